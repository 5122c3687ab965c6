"""The list of units that must publish (units.csv at the project root, kept in Excel by the
office): one row per 乡镇（街道）, with the years it existed. Only with this list can the
statistics say that a unit has not published; without it they say what the site holds.

Columns `province,county,town,from_year,to_year,note` or 省,区县,乡镇（街道）,起始年度,终止年度,备注;
an empty to_year means the unit still exists; a merged or renamed unit ends with a to_year and
says so in the note. The file may be UTF-8 (with or without BOM) or GB18030, as Excel writes it."""

from __future__ import annotations

import csv
import difflib
import io
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from site_builder import divisions
from site_builder.diagnostics import Diagnostic, display_path, error, warning
from site_builder.i18n import t
from site_builder.names import strip_suffix

if TYPE_CHECKING:
    from site_builder.config import Registry
    from site_builder.models import Site

FILE_NAME = "units.csv"
COLUMNS = {"province": "省", "county": "区县", "town": "乡镇（街道）", "from_year": "起始年度", "to_year": "终止年度",
           "note": "备注"}
ALIASES = {**{chinese: key for key, chinese in COLUMNS.items()}, "乡镇": "town", "街道": "town", "乡镇(街道)": "town",
           "省份": "province", "县": "county", "区县（市）": "county", "说明": "note"}
REQUIRED = ("province", "county", "town", "from_year")
HINT = "第一行写列名 省,区县,乡镇（街道）,起始年度,终止年度,备注（或 province,county,town,from_year,to_year,note）"


@dataclass(frozen=True)
class Unit:
    province: str
    county: str
    town: str
    from_year: int
    to_year: int | None
    """None: the unit still exists."""
    note: str = ""
    line: int = 0

    @property
    def place(self) -> tuple[str, str, str]:
        return self.province, self.county, self.town

    def covers(self, year: int) -> bool:
        return self.from_year <= year and (self.to_year is None or year <= self.to_year)


@dataclass(frozen=True)
class UnitList:
    units: tuple[Unit, ...]
    source: str
    """Where the list came from, as a clerk knows it: units.csv, or config.yaml's registry."""
    years: tuple[int, ...] | None = None
    """The registry's years (when it names none: the years of the reports); None for units.csv,
    whose tables run from the first from_year to the last year a report or the list names."""

    def expected(self, place: tuple[str, str, str], year: int) -> bool:
        return any(u.covers(year) for u in self.units if u.place == place)

    def notes(self, place: tuple[str, str, str]) -> str:
        return "；".join(u.note for u in self.units if u.place == place and u.note)

    @property
    def fingerprint(self) -> str:
        return repr((self.units, self.years))


def decode(data: bytes) -> str:
    """Excel saves CSV as UTF-8 with a BOM, or in the ANSI code page (GBK, a subset of GB18030)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("gb18030")


def read_units(path: Path) -> tuple[UnitList | None, list[Diagnostic]]:
    """The list in `path` (None when there is no such file) and every problem with its line."""
    if not path.is_file():
        return None, []
    shown = display_path(path)
    try:
        text = decode(path.read_bytes())
    except (OSError, UnicodeDecodeError):
        return None, [error(shown, 0, "", "名录文件无法读取：它不是 UTF-8 或 GB18030 编码的文本。",
                            "在 Excel 中用“另存为 → CSV UTF-8（逗号分隔）”重新保存。")]
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        return UnitList((), FILE_NAME), [warning(shown, 1, "", "名录文件是空的，统计不会判断谁未公开。", HINT)]
    columns = [ALIASES.get(name.strip(), name.strip().lower()) for name in rows[0]]
    missing = [COLUMNS[key] for key in REQUIRED if key not in columns]
    if missing:
        return None, [error(shown, 1, "", f"名录第一行缺少列：{'、'.join(missing)}。", HINT)]
    units: list[Unit] = []
    problems: list[Diagnostic] = []
    for number, row in enumerate(rows[1:], 2):
        if not any(cell.strip() for cell in row):
            continue  # Excel leaves rows of empty cells
        unit, problem = _unit(dict(zip(columns, (cell.strip() for cell in row), strict=False)), number, shown)
        if problem:
            problems.append(problem)
        elif unit:
            units.append(unit)
    problems += _duplicates(units, shown) + _unknown_names(units, shown)
    return UnitList(tuple(units), FILE_NAME), problems


def _year(text: str) -> int | None:
    text = text.removesuffix("年").removesuffix(".0")
    return int(text) if text.isdigit() and 1990 <= int(text) <= 2100 else None


def _unit(cells: dict[str, str], line: int, shown: str) -> tuple[Unit | None, Diagnostic | None]:
    for key in ("province", "county", "town"):
        if not cells.get(key):
            return None, error(shown, line, COLUMNS[key], f"第 {line} 行的“{COLUMNS[key]}”是空的。",
                               f"填写{COLUMNS[key]}的全称，例如 重庆市,潼南区,双江镇,2019,,")
    start = _year(cells.get("from_year", ""))
    if start is None:
        return None, error(shown, line, COLUMNS["from_year"], f"第 {line} 行的起始年度“{cells.get('from_year', '')}”不是四位年份。",
                           "写成 2019 这样的四位数字。")
    end_text = cells.get("to_year", "")
    end = _year(end_text) if end_text else None
    if end_text and (end is None or end < start):
        return None, error(shown, line, COLUMNS["to_year"], f"第 {line} 行的终止年度“{end_text}”不是起始年度之后的四位年份。",
                           "写成 2021 这样的四位数字；单位仍然存在时留空。")
    return Unit(cells["province"], cells["county"], cells["town"], start, end, cells.get("note", ""), line), None


def _duplicates(units: list[Unit], shown: str) -> list[Diagnostic]:
    problems: list[Diagnostic] = []
    seen: dict[tuple[str, str, str], list[Unit]] = {}
    for unit in units:
        for other in seen.get(unit.place, []):
            last = other.to_year if other.to_year is not None else 9999
            if unit.from_year <= last and other.from_year <= (unit.to_year or 9999):
                problems.append(error(shown, unit.line, "", f"第 {unit.line} 行与第 {other.line} 行是同一单位（{''.join(unit.place)}），年度重叠。",
                                      "删去重复的一行；单位改名或合并后又恢复的，两行的年度不要重叠。"))
                break
        seen.setdefault(unit.place, []).append(unit)
    return problems


def _unknown_names(units: list[Unit], shown: str) -> list[Diagnostic]:
    """Names the national division list does not hold: most often a typo (潼南县 for 潼南区, 福集 for
    福集镇), answered with the listed name nearest to it."""
    problems = []
    for unit in units:
        if unit.province not in divisions.data().provinces:
            problems.append(warning(shown, unit.line, COLUMNS["province"], f"第 {unit.line} 行的省“{unit.province}”不在全国行政区划中。",
                                    "写省级单位的全称，例如 重庆市、山东省。"))
        elif divisions.find_county(unit.province, unit.county) is None:
            problems.append(warning(shown, unit.line, COLUMNS["county"], f"第 {unit.line} 行的区县“{unit.county}”不在{unit.province}的行政区划中。",
                                    "核对区县全称（例如 潼南区，不是 潼南县）；新设立的区县可不理会此提示。"))
        elif divisions.town_code(*unit.place) == divisions.UNKNOWN and not _gone_before_the_list(unit):
            usual = divisions.town_suggestion(*unit.place)
            problems.append(warning(shown, unit.line, COLUMNS["town"],
                                    f"第 {unit.line} 行：{unit.county}没有“{unit.town}”" + (f"；是不是 {usual}？" if usual else "。"),
                                    (f"改为 {usual}；" if usual else "核对乡镇（街道）全称；") +
                                    f"名称以{divisions.SOURCE}为准，此后新设或改名的单位可不理会此提示。"))
    return problems


def _gone_before_the_list(unit: Unit) -> bool:
    """A unit merged or renamed before the list's date is rightly not on it."""
    return unit.to_year is not None and unit.to_year < int(divisions.DATA_DATE[:4])


def from_registry(registry: Registry) -> UnitList:
    """config.yaml's older `registry:` as a list: every unit expected in every year it names."""
    first, last = (registry.years[0], registry.years[-1]) if registry.years else (0, None)
    units = tuple(Unit(p, c, t, first, last) for p, counties in registry.units.items()
                  for c, towns in counties.items() for t in towns)
    return UnitList(units, "config.yaml › registry", registry.years)


def load_units(site_root: Path, registry: Registry | None, site: Site) -> tuple[UnitList | None, list[Diagnostic]]:
    """units.csv when the project has one, else config.yaml's registry; with the list's own
    problems and a warning for each report of a unit (or a year) the list does not hold."""
    units, problems = read_units(site_root / FILE_NAME)
    if any(p.severity.value == "error" for p in problems):
        return None, problems
    if units is None:
        return (from_registry(registry) if registry is not None else None), problems
    listed = {u.place for u in units.units}
    for report in site.reports:
        m = report.meta
        if (m.province, m.county, m.town) not in listed:
            problems.append(warning(report.source.rel_path, 0, "town",
                                    f"{m.province}{m.county}{m.town}不在名录 {units.source} 中，统计把这份报告列为“名录外”。",
                                    f"在 {units.source} 中加一行 {m.province},{m.county},{m.town},{m.year},,；或改正本报告的地名。"))
        elif not units.expected((m.province, m.county, m.town), m.year):
            problems.append(warning(report.source.rel_path, 0, "year",
                                    f"名录 {units.source} 中{m.province}{m.county}{m.town}在{m.year}年度不存在，本站却有它这一年度的报告。",
                                    f"核对 {units.source} 中该单位的起始年度和终止年度，或本报告的年度。"))
    return units, problems


def stats_inputs(units: UnitList | None) -> str:
    """What the statistics depend on besides the reports and the config, for the pages' keys: the
    list of units, and SOURCE_DATE_EPOCH (the date in the downloads' names)."""
    return f"{units.fingerprint if units else ''} {os.environ.get('SOURCE_DATE_EPOCH', '')}"


POLICY_YEAR = 2019
"""The 起始年度 `init --county` writes: the year of the 《法治政府建设与责任落实督察工作规定》, under
which each year's report is due by 1 April of the next."""


def choose_county(text: str, province: str = "") -> tuple[divisions.County | None, str, str]:
    """The one county `--county` (and `--province`) name, or None with a message and its fix:
    none of that name, or several (朝阳区 in 北京 and in 长春)."""
    found = divisions.counties_named(text.strip(), province.strip())
    if len(found) == 1:
        return found[0], "", ""
    if not found:
        names = list(divisions.data().counties)
        close = [n for n in names if strip_suffix(n) == strip_suffix(text)] or \
            difflib.get_close_matches(text, names, n=1, cutoff=0.6)  # 潼南县 → 潼南区, else the nearest spelling
        return None, t("The national division list has no county named {county}.", county=text), (
            t("Did you mean --county {usual}?", usual=close[0]) if close else
            t("Write the county's full name, e.g. --county 潼南区 (the names follow {source}).", source=divisions.SOURCE))
    every = "、".join(c.full_name for c in found)
    return None, t("{count} counties are named {county}: {names}.", count=len(found), county=text, names=every), \
        t("Name the province too, e.g. --county {example} or --province {province}.", example=found[0].full_name,
          province=found[0].province)


def list_for_init(text: str, province: str = "", from_year: int = POLICY_YEAR) -> tuple[bytes | None, list[str]]:
    """units.csv for `init --county` and what to tell the clerk; None and the problem when the name
    is not one county."""
    county, message, hint = choose_county(text, province)
    if county is None:
        return None, [f"--county {text}: {message} {hint}"]
    data, listed, left_out = list_of_county(county, from_year)
    notes = [t("{path}: the {count} 乡镇/街道 of {county} ({source}), each to publish from {year}; "
               "correct it in Excel where your county differs.", path=FILE_NAME, count=listed, county=county.full_name,
               source=divisions.SOURCE, year=from_year)]
    if left_out:
        notes.append(t("{count} 开发区, 农场 and similar units of the list were left out; add a line for each that must publish.",
                       count=left_out))
    return data, notes


def list_of_county(county: divisions.County, from_year: int = POLICY_YEAR) -> tuple[bytes, int, int]:
    """units.csv for every 乡镇/街道 of `county` in 区划代码 order, with Chinese headers and a BOM so
    Excel opens it as it is; how many rows it has, and how many 开发区, 农场 and similar units the list
    holds besides (left out: whether they must publish is the county's call)."""
    towns = divisions.towns_of(county)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS.values())
    listed = [town for town in towns if town.is_township]
    for town in listed:
        writer.writerow([county.province, county.name, town.name.removesuffix("办事处"), from_year, "", ""])
    return ("\ufeff" + out.getvalue()).encode("utf-8"), len(listed), len(towns) - len(listed)
