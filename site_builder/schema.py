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
from site_builder.i18n import t, translate
from site_builder.names import canonical_place
from site_builder.portable_names import windows_problem
from site_builder.yamlsafe import YamlMapping

LEVELS = ("镇", "乡", "街道", "县区", "部门", "市", "省")
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
DIVISION_CODE_RE = re.compile(r"^\d{9}(?:\d{3})?$")
MIN_YEAR, MAX_YEAR = 1990, 2100
LATEST_DATE_AFTER_YEAR = 3
"""A report on year N is signed and published in N or N+1; a date more than this many years later is a typo."""
MAX_FIGURE = 1e15
PLACEHOLDER = "（待填写"
"""Starts each hint `site-builder new` puts in a report body; a report still holding one is refused."""
# Characters that make XML (feed.xml) invalid or reorder text invisibly (bidi overrides): never in
# front-matter. Tab and line breaks are fine.
FORBIDDEN_CHARS = re.compile("[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e\u2066-\u2069]")


@dataclass(frozen=True)
class Withdrawn:
    """A report taken down on purpose: its page says so (已撤回), with the date and the reason."""

    date: dt.date
    reason: str


@dataclass(frozen=True)
class AttachmentEntry:
    """One 附件 named in the front-matter: a file beside the report, and the title to show."""

    file: str
    title: str = ""


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
    public_numbers: tuple[str, ...] = ()
    """Mobile (or other) numbers the office publishes on purpose; any other is refused (see privacy)."""
    public_names: tuple[str, ...] = ()
    """Names next to 联系人 that may be published (a spokesperson's); any other is refused."""
    aliases: tuple[str, ...] = ()
    """Addresses this report was published under before: each gets a page sending readers here."""
    withdrawn: Withdrawn | None = None
    """Set when the report was taken down on purpose (see permanence)."""
    attachments: tuple[AttachmentEntry, ...] = ()
    """附件 published with the report: files beside it (see bundles)."""
    topic: str = ""
    """主题分类 of the publishing portal, e.g. 政务公开/法治政府建设."""
    validity: str = ""
    """有效性, e.g. 有效 or 已废止."""


Checker = Callable[[Any], tuple[Any, str, str]]
"""Returns (value, problem, hint); problem is '' when the value is good."""


def _text(value: Any) -> tuple[Any, str, str]:
    if isinstance(value, bool) or value is None or isinstance(value, (list, dict)):
        return None, t("Text was expected here; found {found}.", found=_kind(value)), \
            t("Write the text after the colon, in quotes if it contains “: ” or starts with a symbol.")
    text = str(value).strip()
    if not text:
        return None, t("The value is empty."), t("Write the text after the colon.")
    return text, "", ""


def _year(value: Any) -> tuple[Any, str, str]:
    hint = t("Write the year in four Arabic digits, e.g. `year: 2023`.")
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        return None, t("A year was expected here; found {found}.", found=_kind(value)), hint
    text = str(value).strip()
    if not re.fullmatch(r"\d{4}", text):
        return None, t("“{text}” is not a year.", text=text), hint
    year = int(text)
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None, t("{year} is outside {first}–{last}.", year=year, first=MIN_YEAR, last=MAX_YEAR), hint
    return year, "", ""


def _date(value: Any) -> tuple[Any, str, str]:
    hint = t("Write the date as YYYY-MM-DD, e.g. `published: 2024-03-28`.")
    text = str(value).strip() if isinstance(value, (str, int)) and not isinstance(value, bool) else None
    if text is None:
        return None, t("A date was expected here; found {found}.", found=_kind(value)), hint
    match = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
    if not match:
        return None, t("“{text}” is not a date in the form YYYY-MM-DD.", text=text), hint
    try:
        return dt.date(*map(int, match.groups())), "", ""
    except ValueError:
        return None, t("“{text}” is not a real date (no such day in that month).", text=text), hint


def _level(value: Any) -> tuple[Any, str, str]:
    text, problem, hint = _text(value)
    if problem:
        return text, problem, hint
    if text not in LEVELS:
        close = difflib.get_close_matches(text, LEVELS, n=1, cutoff=0.4)
        if close:
            return None, t("“{text}” is not a known level.", text=text), t("Did you mean `level: {name}`?", name=close[0])
        return None, t("“{text}” is not a known level.", text=text), t("Use one of: {choices}.", choices="、".join(LEVELS))
    return text, "", ""


def _slug(value: Any) -> tuple[Any, str, str]:
    text, problem, hint = _text(value)
    if problem:
        return text, problem, hint
    if not SLUG_RE.fullmatch(text) or len(text) > 60:
        return None, t("“{text}” is not a valid URL segment.", text=text), \
            t("Use lowercase ASCII letters, digits and single hyphens, e.g. `slug: shuangjiang`.")
    if windows_problem(text):  # the slug names a folder of the site
        return None, f"{windows_problem(text)}slug 是网站里的文件夹名。", f"请换一个 slug，例如 `slug: {text}-1`。"
    return text, "", ""


def _division_code(value: Any) -> tuple[Any, str, str]:
    text, problem, hint = _text(value)
    if problem:
        return text, problem, hint
    if not DIVISION_CODE_RE.fullmatch(text):
        return None, t("“{text}” is not a 9- or 12-digit division code.", text=text), \
            t("Write the code in quotes, e.g. `division_code: \"500152100\"`.")
    return text, "", ""


def _metrics(value: Any) -> tuple[Any, str, str]:
    hint = t("Write one figure per line, indented: `metrics:` then `  矛盾纠纷化解: 338`.")
    if value is None:
        return {}, "", ""
    if not isinstance(value, dict):
        return None, t("A list of `name: number` lines was expected; found {found}.", found=_kind(value)), hint
    figures: dict[str, float] = {}
    for name, number in value.items():
        if isinstance(number, bool) or not isinstance(number, (int, float)):
            return None, t("The figure “{name}” is {found}, not a number.", name=name, found=_kind(number)), hint
        if not math.isfinite(number) or abs(number) >= MAX_FIGURE:
            return None, t("The figure “{name}” ({number}) is not a number a report can give.", name=name, number=number), \
                t("Write the figure as a plain number below {limit}, e.g. `  {name}: 338`.", limit=f"{MAX_FIGURE:.0e}", name=name)
        figures[str(name)] = number
    return figures, "", ""


def _text_list(value: Any) -> tuple[Any, str, str]:
    hint = t('Write a list in brackets, e.g. `public_numbers: ["023-12345678"]`.')
    items = value if isinstance(value, list) else [value]
    texts = []
    for item in items:
        text, problem, _ = _text(item)
        if problem:
            return None, t("One of its items is wrong: {problem}", problem=problem), hint
        texts.append(text)
    return tuple(texts), "", ""


def _withdrawn(value: Any) -> tuple[Any, str, str]:
    hint = t("Write two indented lines: `withdrawn:` then `  date: 2025-03-01` and `  reason: 内容有误，已重新发布`.")
    if not isinstance(value, dict):
        return None, t("Expected `date` and `reason` lines; found {found}.", found=_kind(value)), hint
    date, problem, _ = _date(value.get("date"))
    reason, reason_problem, _ = _text(value.get("reason"))
    if problem or reason_problem:
        return None, t("It needs a date (YYYY-MM-DD) and a reason: {problem}", problem=problem or reason_problem), hint
    return Withdrawn(date, reason), "", ""


def _attachments(value: Any) -> tuple[Any, str, str]:
    hint = t("Write one item per file, indented: `attachments:` then `  - file: 签章版.pdf` and `    title: 报告（签章版）`.")
    items = value if isinstance(value, list) else [value]
    found = []
    for item in items:
        if isinstance(item, str) and item.strip():
            found.append(AttachmentEntry(item.strip()))
            continue
        if not isinstance(item, dict) or not isinstance(item.get("file"), str) or not item["file"].strip():
            return None, t("One of its items has no `file` (found {found}).", found=_kind(item)), hint
        title = item.get("title")
        found.append(AttachmentEntry(item["file"].strip(), str(title).strip() if title is not None else ""))
    return tuple(found), "", ""


def _kind(value: Any) -> str:
    if value is None:
        return t("nothing")
    if isinstance(value, bool):
        return t("the yes/no value {value}", value=str(value).lower())
    if isinstance(value, list):
        return t("a list")
    if isinstance(value, dict):
        return t("a nested block")
    if isinstance(value, (int, float)):
        return t("the number {value}", value=value)
    return f"“{value}”"


REQUIRED: dict[str, Checker] = {
    "title": _text, "unit": _text, "town": _text, "county": _text, "province": _text, "year": _year,
}
OPTIONAL: dict[str, Checker] = {
    "published": _date, "signed": _date, "index_no": _text, "doc_no": _text, "recipients": _text,
    "slug": _slug, "source": _text, "metrics": _metrics, "summary": _text, "level": _level,
    "division_code": _division_code, "public_numbers": _text_list, "public_names": _text_list,
    "aliases": _text_list, "withdrawn": _withdrawn, "attachments": _attachments, "topic": _text, "validity": _text,
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
            problems.append(error(file, line_of(key), key, t("`{key}` holds an invisible control character (U+{code}).", key=key, code=f"{ord(bad):04X}"),
                                  t("Retype the line; text copied from a web page or PDF can carry such characters.")))
    if problems:
        return None, problems
    for key, check in {**REQUIRED, **OPTIONAL}.items():
        if key not in front.values:
            if key in REQUIRED:
                problems.append(_missing(key, front.values, file, max(line_offset, 1)))
            continue
        raw = front.values[key]
        if key in OPTIONAL and (raw is None or (isinstance(raw, str) and not raw.strip())):
            continue  # an optional key left empty means "not known"
        value, problem, hint = check(raw)
        if problem:
            problems.append(error(file, line_of(key), key, t("`{key}`: {problem}", key=key, problem=problem), hint))
        else:
            values[key] = value
    for key in front.values:
        if key not in KNOWN_KEYS:
            close = difflib.get_close_matches(key, KNOWN_KEYS, n=1, cutoff=0.6)
            hint = t("Did you mean `{name}`?", name=close[0]) if close else t("Known fields: {names}.", names=", ".join(KNOWN_KEYS))
            problems.append(warning(file, line_of(key), key, t("The unknown field `{key}` is ignored.", key=key), hint))
    problems.extend(_check_dates(values, file, line_of))
    problems.extend(_canonical_places(values, file, line_of))
    problems.extend(_county_of_unit(values, file, line_of))
    if any(p.severity.value == "error" for p in problems):
        return None, problems
    values.setdefault("level", derive_level(values["town"]))
    return ReportMeta(**values), problems


UNIT_TOWN = re.compile(r"^(.+?(?:镇|乡|街道))")
TOWN_AFTER_COUNTY = re.compile(r".*[县区市旗]([\u4e00-\u9fff]{1,8}?(?:镇|乡|街道))")


def _missing(key: str, raw: dict[str, Any], file: str, line: int) -> Diagnostic:
    """A required field left out; for `town`, the name the file's own `unit` gives."""
    unit, county = str(raw.get("unit") or ""), str(raw.get("county") or "")
    town = ""
    if key == "town" and unit:
        after = unit[unit.find(county) + len(county):] if county and county in unit else ""
        match = UNIT_TOWN.match(after) if after else TOWN_AFTER_COUNTY.match(unit)
        town = match.group(1) if match else ""
    if town:
        return error(file, line, key, t("The required field `town` is missing; from the issuing body (unit), it is {town}.", town=town),
                     t("Add the line `town: {town}` to the front-matter.", town=town))
    return error(file, line, key, t("The required field `{key}` is missing.", key=key),
                 t("Add the line `{example}` to the front-matter.", example=EXAMPLES[key]))


COUNTY_SUFFIX = ("县", "区", "市", "旗")


def _county_of_unit(values: dict[str, Any], file: str, line_of: Callable[[str], int]) -> list[Diagnostic]:
    """A town's report whose issuing body names the town under another county: the county written
    between the province (and a prefecture-level city) and the town in `unit` is offered."""
    unit, town, county, province = (str(values.get(k, "")) for k in ("unit", "town", "county", "province"))
    if not (unit and town and county) or county in unit or town not in unit or town == county:
        return []
    between = unit[unit.find(province) + len(province) if province and province in unit else 0: unit.find(town)]
    if "市" in between[:-1]:
        between = between[between.index("市") + 1:]  # 泸州市泸县 → 泸县
    if not (1 < len(between) <= 8 and between.endswith(COUNTY_SUFFIX)):
        return []
    return [warning(file, line_of("county"), "county",
                    t("The issuing body (unit) places {town} in {named}, but `county` says {county}.", town=town, named=between,
                      county=county),
                    t("If the unit is right, write `county: {named}`; if the county is right, correct the unit.", named=between),
                    fixed=f"county: {between}")]


def _canonical_places(values: dict[str, Any], file: str, line_of: Callable[[str], int]) -> list[Diagnostic]:
    """Place names as they are compared and listed (see names.canonical_place); a name changed
    on the way gets a warning, so two spellings never make two towns."""
    found: list[Diagnostic] = []
    for key in ("town", "county", "province"):
        if key not in values:
            continue
        name, changes = canonical_place(values[key], province=key == "province")
        if not name:
            found.append(error(file, line_of(key), key, t("`{key}` holds only invisible characters.", key=key), t("Write the name, e.g. `{example}`.", example=EXAMPLES[key])))
        elif changes:
            found.append(warning(file, line_of(key), key, t("`{key}: {value}` is listed as {name} ({changes}).", key=key,
                                                            value=values[key], name=name, changes="; ".join(translate(c) for c in changes)),
                                 t("Write `{key}: {name}`, so every report of the place has the same name.", key=key, name=name),
                                 fixed=f"{key}: {name}"))
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
        if year and date and date.year > year + LATEST_DATE_AFTER_YEAR:
            found.append(error(file, line_of(key), key,
                               f"`{key}` 的日期 {date} 远在报告年度 {year} 之后，不可能是真实的日期（它会排在网站最新发布的首位）。",
                               f"请按公开页面或落款改正日期；关于 {year} 年度的报告一般在 {year + 1} 年成文、发布。"))
        elif year and date and date.year <= year - 1:
            found.append(warning(file, line_of(key), key, t("`{key}` {date} is before the report year {year} began.", key=key, date=date, year=year),
                                 t("Check the year and the date; a report on year N is written in N or N+1.")))
    if values.get("published") and values.get("signed") and values["published"] < values["signed"]:
        found.append(warning(file, line_of("published"), "published",
                             t("The publication date {published} is before the signing date {signed}.",
                               published=values["published"], signed=values["signed"]),
                             t("Check both dates.")))
    return found
