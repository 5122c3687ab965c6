"""The national list of divisions down to 乡镇/街道 (国家统计局 统计用区划代码, 2023; vendored in
site_builder/data/divisions/, see its README for the source, licence and how to refresh it): the one
place that knows which provinces, counties and towns exist and their codes. The importer's
gazetteer, the 区划代码 order of pages and tables, `init --county` and the town-name checks of
`new`, `check` and `import` read it."""

from __future__ import annotations

import difflib
import lzma
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import NamedTuple

from site_builder.names import strip_suffix

DATA_DATE = "2023-06-30"
SOURCE = "国家统计局 2023年统计用区划代码（截止 2023-06-30）"
UNKNOWN = "999999999"
"""The code of a place the list does not hold: after every real code."""
TOWN_SUFFIXES = ("镇", "乡", "街道", "办事处", "苏木")
GROUPINGS = ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划")
"""Prefecture-level lines that are groupings, not cities (a municipality's districts and counties)."""


@dataclass(frozen=True)
class County:
    code: str
    """6-digit division code."""
    name: str
    city: str
    """The prefecture (for a municipality's districts: the municipality; for a county directly under its
    province: '')."""
    province: str

    @property
    def full_name(self) -> str:
        return self.province + (self.city if self.city not in (self.province, self.name) else "") + self.name


class Town(NamedTuple):  # a tuple: 41,352 of them are made on every first use
    code: str
    """9-digit division code."""
    name: str

    @property
    def is_township(self) -> bool:
        """A 街道, 镇, 乡 or 民族乡/苏木 — not a 开发区, 农场 or similar unit counted with them."""
        return self.code[6] in "0123"


@dataclass(frozen=True)
class Divisions:
    names: dict[str, str]
    """Code → name of the provinces, prefectures and counties."""
    provinces: dict[str, str]
    """Province name → 2-digit code."""
    counties: dict[str, tuple[County, ...]]
    """County-level name → every county of that name (朝阳区 is in 北京 and in 长春)."""
    towns: dict[str, tuple[Town, ...]]
    """County code → its towns in code order."""


@lru_cache(maxsize=1)
def data() -> Divisions:
    packed = resources.files("site_builder").joinpath("data/divisions/divisions.csv.xz").read_bytes()
    names: dict[str, str] = {}
    towns: dict[str, list[Town]] = {}
    for line in lzma.decompress(packed).decode("utf-8").splitlines():
        code, name = line.split(",", 1)
        if len(code) == 9:
            towns.setdefault(code[:6], []).append(Town(code, name))
        else:
            names[code] = name
    provinces = {name: code for code, name in names.items() if len(code) == 2}
    counties: dict[str, list[County]] = {}
    for code, name in names.items():
        if len(code) == 6:
            province = names.get(code[:2], "")
            city = names.get(code[:4], "")
            if city in GROUPINGS:
                city = province if province.endswith("市") else ""
            counties.setdefault(name, []).append(County(code, name, city, province))
    return Divisions(names, provinces, {k: tuple(v) for k, v in counties.items()}, {k: tuple(v) for k, v in towns.items()})


def find_county(province: str, county: str) -> County | None:
    return next((c for c in data().counties.get(county, ()) if c.province == province), None)


def county_code(province: str, county: str) -> str:
    found = find_county(province, county)
    return found.code if found else UNKNOWN[:6]


def cities() -> dict[str, str]:
    """Prefecture-level city (or 州, 盟, 地区) → its province."""
    names = data().names
    return {name: names.get(code[:2], "") for code, name in names.items() if len(code) == 4 and name not in GROUPINGS}


def counties_named(text: str, province: str = "") -> tuple[County, ...]:
    """The counties a clerk means by `text`: 潼南区, 重庆市潼南区, 四川省泸州市泸县 (a province and a city
    may lead the name), narrowed to `province` when one is given."""
    found = data().counties.get(text, ())
    if not found:
        found = tuple(c for cs in data().counties.values() for c in cs
                      if text.endswith(c.name) and text[: -len(c.name)] in _prefixes(c))
    return tuple(c for c in found if not province or c.province == province)


def _prefixes(county: County) -> set[str]:
    short = strip_suffix(county.province)
    return {p + c for p in (county.province, short, "") for c in (county.city, strip_suffix(county.city), "")} - {""}


def towns_of(county: County) -> tuple[Town, ...]:
    return data().towns.get(county.code, ())


def same_town(listed: str, written: str) -> bool:
    """漓东街道办事处 (as the list names it) and 漓东街道 (as its reports do) are one town."""
    return listed == written or listed.removesuffix("办事处") == written.removesuffix("办事处")


@lru_cache(maxsize=65536)
def town_code(province: str, county: str, town: str) -> str:
    found = find_county(province, county)
    listed = next((t for t in towns_of(found) if same_town(t.name, town)), None) if found else None
    return listed.code if listed else UNKNOWN


@lru_cache(maxsize=65536)  # asked once per report by every check: most towns have many years
def town_suggestion(province: str, county: str, town: str) -> str:
    """'' when the county is not on the list or the town is; else the listed town the name most
    likely means (福集 → 福集镇, 双江 → 双江镇, 双红镇 → 双江镇), or '' when none is close."""
    found = find_county(province, county)
    listed = towns_of(found) if found else ()
    if not listed or any(same_town(t.name, town) for t in listed):
        return ""
    stem = strip_suffix(town.removesuffix("办事处"))
    same_stem = [t.name for t in listed if strip_suffix(t.name.removesuffix("办事处")) == stem]
    if same_stem:
        return same_stem[0].removesuffix("办事处")
    if not town.endswith(TOWN_SUFFIXES):
        return ""  # a department (司法局) or another office: not a misspelt town
    close = difflib.get_close_matches(town, [t.name for t in listed], n=1, cutoff=0.6)
    return close[0].removesuffix("办事处") if close else ""
