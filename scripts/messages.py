"""The message catalogue: extract the sentences from the code, update the .po, compile the .mo.

    python scripts/messages.py update    # after changing a message: new ids added (untranslated), gone ids dropped
    python scripts/messages.py compile   # after translating: site_builder/locale/*/LC_MESSAGES/site_builder.mo

(The same as `pybabel extract -k t -k tn:1,2`, `pybabel update` and `pybabel compile`; tests/test_messages.py
checks that the .mo files are those of the .po files and that every message is translated.)
"""

from __future__ import annotations

import io
import sys
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "site_builder"
LOCALES = {"zh_CN": PACKAGE / "locale" / "zh_CN" / "LC_MESSAGES" / "site_builder.po"}
KEYWORDS = {"t": None, "tn": (1, 2), "N_": None}
CREATION_DATE = datetime(2026, 11, 1, tzinfo=UTC)


def extracted() -> Catalog:
    """Every message id in the code (calls of i18n.t and i18n.tn with literal sentences)."""
    # A fixed date: a timestamp in the header would make every update a change, and every two
    # branches that add messages a merge conflict.
    catalog = Catalog(domain="site_builder", project="site-builder", creation_date=CREATION_DATE)
    for filename, lineno, message, comments, context in extract_from_dir(
            PACKAGE, method_map=[("**.py", "python")], keywords=KEYWORDS, comment_tags=("TRANSLATORS:",)):
        catalog.add(message, None, [(f"site_builder/{filename}", lineno)], auto_comments=comments, context=context)
    return catalog


def read(path: Path) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle)


def compiled(path: Path) -> bytes:
    buffer = io.BytesIO()
    write_mo(buffer, read(path))
    return buffer.getvalue()


def update() -> None:
    template = extracted()
    for locale, path in LOCALES.items():
        catalog = read(path) if path.exists() else Catalog(locale=locale, domain="site_builder")
        catalog.update(template, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as handle:
            write_po(handle, catalog, omit_header=False, sort_output=True, include_lineno=False, width=120)


def compile_all() -> None:
    for path in LOCALES.values():
        path.with_suffix(".mo").write_bytes(compiled(path))


if __name__ == "__main__":
    {"update": update, "compile": compile_all}[sys.argv[1] if len(sys.argv) > 1 else "compile"]()
