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
from site_builder.i18n import N_, current_language, t, translate
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
EMPTY = {
    "province": (N_("Line {line}: the province (省) is empty."),
                 N_("Write the province's full name, for example 重庆市,潼南区,双江镇,2019,,")),
    "county": (N_("Line {line}: the county (区县) is empty."),
               N_("Write the county's full name, for example 重庆市,潼南区,双江镇,2019,,")),
    "town": (N_("Line {line}: the township (乡镇（街道）) is empty."),
             N_("Write the township's full name, for example 重庆市,潼南区,双江镇,2019,,")),
}
"""A required cell left empty: the message and its hint."""


def header_hint() -> str:
    return t("Write the column names on the first line: 省,区县,乡镇（街道）,起始年度,终止年度,备注 "
             "(or province,county,town,from_year,to_year,note).")


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
        return None, [error(shown, 0, "", t("The list of units cannot be read: it is not text in UTF-8 or GB18030."),
                            t("In Excel, save it again with “Save As → CSV UTF-8 (Comma delimited)”."))]
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        return UnitList((), FILE_NAME), [warning(shown, 1, "", t("The list of units is empty; the statistics will not judge "
                                                                        "who has not published."), header_hint())]
    columns = [ALIASES.get(name.strip(), name.strip().lower()) for name in rows[0]]
    missing = [key for key in REQUIRED if key not in columns]
    if missing:
        listed = "、".join(COLUMNS[key] for key in missing) if current_language() == "zh" else ", ".join(missing)
        return None, [error(shown, 1, "", t("The first line of the list lacks the columns {columns}.", columns=listed),
                            header_hint())]
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
            message, hint = EMPTY[key]
            return None, error(shown, line, COLUMNS[key], translate(message).format(line=line), translate(hint))
    start = _year(cells.get("from_year", ""))
    if start is None:
        return None, error(shown, line, COLUMNS["from_year"], t("The from_year (起始年度) “{value}” on line {line} is not a four-digit year.",
                                                                 line=line, value=cells.get("from_year", "")),
                           t("Write four digits, such as 2019."))
    end_text = cells.get("to_year", "")
    end = _year(end_text) if end_text else None
    if end_text and (end is None or end < start):
        return None, error(shown, line, COLUMNS["to_year"], t("The to_year (终止年度) “{value}” on line {line} is not a four-digit year after "
                                                               "the from_year.", line=line, value=end_text),
                           t("Write four digits, such as 2021; leave it empty while the unit still exists."))
    return Unit(cells["province"], cells["county"], cells["town"], start, end, cells.get("note", ""), line), None


def _duplicates(units: list[Unit], shown: str) -> list[Diagnostic]:
    problems: list[Diagnostic] = []
    seen: dict[tuple[str, str, str], list[Unit]] = {}
    for unit in units:
        for other in seen.get(unit.place, []):
            last = other.to_year if other.to_year is not None else 9999
            if unit.from_year <= last and other.from_year <= (unit.to_year or 9999):
                problems.append(error(shown, unit.line, "", t("Line {line} and line {other} are the same unit ({place}), with overlapping years.",
                                        line=unit.line, other=other.line, place="".join(unit.place)),
                                      t("Remove the repeated line; for a unit renamed or merged and later restored, keep "
                                        "the years of the two lines from overlapping.")))
                break
        seen.setdefault(unit.place, []).append(unit)
    return problems


def _unknown_names(units: list[Unit], shown: str) -> list[Diagnostic]:
    """Names the national division list does not hold: most often a typo (潼南县 for 潼南区, 福集 for
    福集镇), answered with the listed name nearest to it."""
    problems = []
    for unit in units:
        if unit.province not in divisions.data().provinces:
            problems.append(warning(shown, unit.line, COLUMNS["province"], t("The province “{province}” on line {line} is not among the national divisions.",
                                      line=unit.line, province=unit.province),
                                    t("Write the full name of the province, for example 重庆市 or 山东省.")))
        elif divisions.find_county(unit.province, unit.county) is None:
            problems.append(warning(shown, unit.line, COLUMNS["county"], t("The county “{county}” on line {line} is not among the divisions of {province}.",
                                      line=unit.line, county=unit.county, province=unit.province),
                                    t("Check the county's full name (for example 潼南区, not 潼南县); a newly created "
                                      "county can ignore this warning.")))
        elif divisions.town_code(*unit.place) == divisions.UNKNOWN and not _gone_before_the_list(unit):
            usual = divisions.town_suggestion(*unit.place)
            values = {"line": unit.line, "county": unit.county, "town": unit.town, "usual": usual, "source": divisions.SOURCE}
            if usual:
                message = t("Line {line}: {county} has no “{town}”; did you mean {usual}?", **values)
                hint = t("Change it to {usual}; the names follow {source}, and a unit created or renamed since can ignore "
                         "this warning.", **values)
            else:
                message = t("Line {line}: {county} has no “{town}”.", **values)
                hint = t("Check the full name of the township (乡镇（街道）); the names follow {source}, and a unit created "
                         "or renamed since can ignore this warning.", **values)
            problems.append(warning(shown, unit.line, COLUMNS["town"], message, hint))
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
        values = {"place": f"{m.province}{m.county}{m.town}", "source": units.source, "year": m.year,
                  "row": f"{m.province},{m.county},{m.town},{m.year},,"}
        if (m.province, m.county, m.town) not in listed:
            problems.append(warning(report.source.rel_path, 0, "town",
                                    t("{place} is not in the list {source}; the statistics count this report as not "
                                      "listed (名录外).", **values),
                                    t("Add the line {row} to {source}, or correct the place names of this report.", **values)))
        elif not units.expected((m.province, m.county, m.town), m.year):
            problems.append(warning(report.source.rel_path, 0, "year",
                                    t("In the list {source}, {place} does not exist in {year}, yet the site has its report "
                                      "for that year.", **values),
                                    t("Check the unit's from_year and to_year in {source}, or this report's year.", **values)))
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
