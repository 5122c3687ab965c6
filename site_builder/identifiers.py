"""The identifiers a government website must show (《政府网站发展指引》, 国办发〔2017〕47号): 主办单位,
网站标识码 and the ICP备案号 in every page's footer. A site published on its own host without them
gets a warning (`build --strict` refuses it); a local preview, a test host or a GitHub Pages copy
has no record to show and is not warned."""

from __future__ import annotations

import re

from site_builder.config import Config
from site_builder.diagnostics import Diagnostic, warning
from site_builder.i18n import t

REQUIRED = (
    ("organiser", "主办单位", "organiser: 某某县司法局"),
    ("site_code", "网站标识码", "site_code: \"5001520001\""),
    ("icp", "ICP备案号", "icp: 渝ICP备12345678号"),
)
PREVIEW_HOST = re.compile(r"(?:^|\.)(?:localhost|github\.io|example\.(?:org|com|net)|test|local|invalid)$|^127\.|^\[?::1\]?$")
"""Hosts that are never a government site's own: previews, tests, GitHub Pages."""


def missing_identifiers(config: Config) -> list[Diagnostic]:
    """A warning for each identifier left empty, when the site is published on its own host."""
    host = config.site_domain.split(":")[0].lower()
    if not host or PREVIEW_HOST.search(host):
        return []
    lines = _key_lines(config)
    return [warning("config.yaml", lines.get(key, 0), key,
                    t("The site is published at {host}, but its footer lacks the {label}: a government site must show its "
                      "organiser (主办单位), site code (网站标识码) and ICP number on every page.", host=host, label=label),
                    t("Fill in `{example}` in config.yaml (with your unit's own number).", example=example))
            for key, label, example in REQUIRED if not getattr(config, key).strip()]


def _key_lines(config: Config) -> dict[str, int]:
    try:
        text = (config.root / "config.yaml").read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return {}
    return {m.group(1): text.count("\n", 0, m.start()) + 1 for m in re.finditer(r"^(\w+)\s*:", text, re.M)}
