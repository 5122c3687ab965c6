"""The hints `site-builder import` writes on a front-matter line (`# 未找到…` for a field left empty,
`〔请核对：…〕` for a value read from weak evidence), as `check` finds them again."""

from __future__ import annotations

import re

MARKER = re.compile(r"#.*?(未找到[^#]*?|〔请核对[^〕]*〕)\s*$")
"""A hint in a front-matter line."""


def hint_in(line: str) -> str:
    """The importer's hint written on a front-matter line ('' if none)."""
    match = MARKER.search(line)
    return match.group(1).strip() if match else ""
