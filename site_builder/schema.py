"""The front-matter schema of a report: which keys exist, what each must hold, and validation
that collects every problem in a file instead of stopping at the first."""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from site_builder.diagnostics import Diagnostic, error, warning
from site_builder.names import canonical_place
from site_builder.portable_names import windows_problem
from site_builder.yamlsafe import YamlMapping

LEVELS = ("镇", "乡", "街道", "县区", "部门", "市", "省")
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
DIVISION_CODE_RE = re.compile(r"^\d{9}(?:\d{3})?$")
MIN_YEAR, MAX_YEAR = 1990, 2100
MAX_FIGURE = 1e15
PLACEHOLDER = "（待填写"
"""Starts each hint `site-builder new` puts in a report body; a report still holding one is refused."""
# Characters that make XML (feed.xml) invalid or reorder text invisibly (bidi overrides): never in
# front-matter. Tab and line breaks are fine.
FORBIDDEN_CHARS = re.compile("[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e\u2066-\u2069]")


@dataclass(frozen=True)
class ReportMeta:
    """Validated front-matter of one report. Field names are the front-matter keys."""

    title: str
    """Full title, e.g. 关于2023年法治政府建设情况的报告."""
    unit: str
    """发布机构: the issuing body's full name (joint issuers separated by 、)."""
    town: str
    """Township-level name with its suffix, e.g. 双江镇, 某某街道; for a county report, the county."""
    county: str
    """County-level name with suffix, e.g. 潼南区, 沂源县."""
    province: str
    """Province-level name with suffix, e.g. 重庆市, 山东省."""
    year: int
    """The year the report is about (not the year it was written)."""
    level: str
    """镇, 乡, 街道, 县区, 部门, 市 or 省; derived from `town` when not given. A county's, city's or
    province's own report names that place as its town (and a city or province as its county
    too); a department's names the department."""
    published: dt.date | None = None
    """Date the report was made public (发布日期)."""
    signed: dt.date | None = None
    """Date written on the document (成文日期)."""
    index_no: str = ""
    """索引号 from the publishing portal, kept as text (leading zeros matter)."""
    doc_no: str = ""
    """文号, e.g. 潼双江府发〔2024〕1号."""
    recipients: str = ""
    """主送机关, e.g. 区委、区政府."""
    slug: str = ""
    """Overrides the town's URL segment (lowercase ASCII letters, digits, hyphens)."""
    source: str = ""
    """Where the text came from: a file name or a URL."""
    summary: str = ""
    """One or two sentences shown in lists and in the page description."""
    division_code: str = ""
    """统计用区划代码 of the town (9 digits, or 12), kept as text."""
    metrics: dict[str, float] = field(default_factory=dict)
    """Declared figures, name -> number; they override figures extracted from the text."""


Checker = Callable[[Any], tuple[Any, str, str]]
"""Returns (value, problem, hint); problem is '' when the value is good."""


def _text(value: Any) -> tuple[Any, str, str]:
    if isinstance(value, bool) or value is None or isinstance(value, (list, dict)):
        return None, f"expected text, found {_kind(value)}", "write the text after the colon, in quotes if it contains ': ' or starts with a symbol"
    text = str(value).strip()
    if not text:
        return None, "is empty", "write the text after the colon"
    return text, "", ""


def _year(value: Any) -> tuple[Any, str, str]:
    hint = "write the year in four Arabic digits, e.g. `year: 2023`"
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        return None, f"expected a year, found {_kind(value)}", hint
    text = str(value).strip()
    if not re.fullmatch(r"\d{4}", text):
        return None, f"'{text}' is not a year", hint
    year = int(text)
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None, f"{year} is outside {MIN_YEAR}–{MAX_YEAR}", hint
    return year, "", ""


def _date(value: Any) -> tuple[Any, str, str]:
    hint = "write the date as YYYY-MM-DD, e.g. `published: 2024-03-28`"
    text = str(value).strip() if isinstance(value, (str, int)) and not isinstance(value, bool) else None
    if text is None:
        return None, f"expected a date, found {_kind(value)}", hint
    match = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
    if not match:
        return None, f"'{text}' is not a date in the form YYYY-MM-DD", hint
    try:
        return dt.date(*map(int, match.groups())), "", ""
    except ValueError as exc:
        return None, f"'{text}' is not a real date ({exc})", hint


def _level(value: Any) -> tuple[Any, str, str]:
    text, problem, hint = _text(value)
    if problem:
        return text, problem, hint
    if text not in LEVELS:
        return None, f"'{text}' is not a known level", "use one of: " + ", ".join(LEVELS)
    return text, "", ""


def _slug(value: Any) -> tuple[Any, str, str]:
    text, problem, hint = _text(value)
    if problem:
        return text, problem, hint
    if not SLUG_RE.fullmatch(text) or len(text) > 60:
        return None, f"'{text}' is not a valid URL segment", "use lowercase ASCII letters, digits and single hyphens, e.g. `slug: shuangjiang`"
    if windows_problem(text):  # the slug names a folder of the site
        return None, f"{windows_problem(text)}slug 是网站里的文件夹名。", f"请换一个 slug，例如 `slug: {text}-1`。"
    return text, "", ""


def _division_code(value: Any) -> tuple[Any, str, str]:
    text, problem, hint = _text(value)
    if problem:
        return text, problem, hint
    if not DIVISION_CODE_RE.fullmatch(text):
        return None, f"'{text}' is not a 9- or 12-digit division code", "write the code in quotes, e.g. `division_code: \"500152100\"`"
    return text, "", ""


def _metrics(value: Any) -> tuple[Any, str, str]:
    hint = "write one figure per line, indented: `metrics:` then `  矛盾纠纷化解: 338`"
    if value is None:
        return {}, "", ""
    if not isinstance(value, dict):
        return None, f"expected a list of `name: number` lines, found {_kind(value)}", hint
    figures: dict[str, float] = {}
    for name, number in value.items():
        if isinstance(number, bool) or not isinstance(number, (int, float)):
            return None, f"the figure '{name}' is {_kind(number)}, not a number", hint
        if not math.isfinite(number) or abs(number) >= MAX_FIGURE:
            return None, f"the figure '{name}' ({number}) is not a number a report can give", \
                f"write the figure as a plain number below {MAX_FIGURE:.0e}, e.g. `  {name}: 338`"
        figures[str(name)] = number
    return figures, "", ""


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"the yes/no value {str(value).lower()}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a nested block"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    return f"'{value}'"


REQUIRED: dict[str, Checker] = {
    "title": _text, "unit": _text, "town": _text, "county": _text, "province": _text, "year": _year,
}
OPTIONAL: dict[str, Checker] = {
    "published": _date, "signed": _date, "index_no": _text, "doc_no": _text, "recipients": _text,
    "slug": _slug, "source": _text, "metrics": _metrics, "summary": _text, "level": _level,
    "division_code": _division_code,
}
KNOWN_KEYS = tuple(REQUIRED) + tuple(OPTIONAL)
EXAMPLES = {
    "title": "title: 关于2023年法治政府建设情况的报告", "unit": "unit: 重庆市潼南区双江镇人民政府",
    "town": "town: 双江镇", "county": "county: 潼南区", "province": "province: 重庆市", "year": "year: 2023",
}


def derive_level(town: str) -> str:
    """The administrative level implied by a name's suffix."""
    if town.endswith(("街道", "街道办事处")):
        return "街道"
    if town.endswith("镇"):
        return "镇"
    if town.endswith("乡"):
        return "乡"
    if town.endswith(("省", "自治区", "特别行政区")):
        return "省"
    if town.endswith(("县", "区", "市", "旗")):
        return "县区"
    return "部门"


def validate(front: YamlMapping, file: str, line_offset: int) -> tuple[ReportMeta | None, list[Diagnostic]]:
    """Check every key; return the metadata (None if any error) and all problems found.

    `line_offset` turns a line within the YAML block into a line of the file."""
    problems: list[Diagnostic] = []
    values: dict[str, Any] = {}

    def line_of(key: str) -> int:
        return front.lines.get(key, 0) + line_offset if key in front.lines else max(line_offset, 1)

    for key, raw in front.values.items():
        bad = _forbidden_in(key) or _forbidden_in(raw)
        if bad:
            problems.append(error(file, line_of(key), key, f"`{key}` holds an invisible control character (U+{ord(bad):04X})",
                                  "retype the line; text copied from a web page or PDF can carry such characters"))
    if problems:
        return None, problems
    for key, check in {**REQUIRED, **OPTIONAL}.items():
        if key not in front.values:
            if key in REQUIRED:
                problems.append(error(file, max(line_offset, 1), key, f"the required field `{key}` is missing",
                                      f"add the line `{EXAMPLES[key]}` to the front-matter"))
            continue
        raw = front.values[key]
        if key in OPTIONAL and (raw is None or (isinstance(raw, str) and not raw.strip())):
            continue  # an optional key left empty means "not known"
        value, problem, hint = check(raw)
        if problem:
            problems.append(error(file, line_of(key), key, f"`{key}` {problem}", hint))
        else:
            values[key] = value
    for key in front.values:
        if key not in KNOWN_KEYS:
            close = difflib.get_close_matches(key, KNOWN_KEYS, n=1, cutoff=0.6)
            hint = f"did you mean `{close[0]}`?" if close else "known fields: " + ", ".join(KNOWN_KEYS)
            problems.append(warning(file, line_of(key), key, f"unknown field `{key}` is ignored", hint))
    problems.extend(_check_dates(values, file, line_of))
    problems.extend(_canonical_places(values, file, line_of))
    if any(p.severity.value == "error" for p in problems):
        return None, problems
    values.setdefault("level", derive_level(values["town"]))
    return ReportMeta(**values), problems


def _canonical_places(values: dict[str, Any], file: str, line_of: Callable[[str], int]) -> list[Diagnostic]:
    """Place names as they are compared and listed (see names.canonical_place); a name changed
    on the way gets a warning, so two spellings never make two towns."""
    found: list[Diagnostic] = []
    for key in ("town", "county", "province"):
        if key not in values:
            continue
        name, changes = canonical_place(values[key], province=key == "province")
        if not name:
            found.append(error(file, line_of(key), key, f"`{key}` holds only invisible characters", f"write the name, e.g. {EXAMPLES[key]}"))
        elif changes:
            found.append(warning(file, line_of(key), key, f"`{key}: {values[key]}` is listed as {name} ({'; '.join(changes)})",
                                 f"write `{key}: {name}`, so every report of the place has the same name"))
            values[key] = name
    return found


def _forbidden_in(value: Any) -> str:
    """The first forbidden character in a value (text, or the keys and values of a block)."""
    if isinstance(value, dict):
        return next((c for k, v in value.items() for c in (_forbidden_in(k), _forbidden_in(v)) if c), "")
    if isinstance(value, list):
        return next((c for item in value if (c := _forbidden_in(item))), "")
    match = FORBIDDEN_CHARS.search(value) if isinstance(value, str) else None
    return match.group() if match else ""


def _check_dates(values: dict[str, Any], file: str, line_of: Callable[[str], int]) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    year = values.get("year")
    for key in ("published", "signed"):
        date = values.get(key)
        if year and date and date.year <= year - 1:
            found.append(warning(file, line_of(key), key, f"`{key}` {date} is before the report year {year} began",
                                 "check the year and the date; a report on year N is written in N or N+1"))
    if values.get("published") and values.get("signed") and values["published"] < values["signed"]:
        found.append(warning(file, line_of("published"), "published",
                             f"published {values['published']} is before signed {values['signed']}",
                             "check both dates"))
    return found
