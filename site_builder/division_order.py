"""Sort keys of places in 区划代码 order, as government portals list them: provinces, counties and
towns by the national division list's codes (site_builder.divisions; a town's own front-matter
division_code first), and by pinyin after the coded ones when the code is not known. The site
model sorts its tree with these keys (models.build_site) and the statistics their rows, so pages,
tables and downloads share one order and no template computes it."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from site_builder import divisions
from site_builder.names import sort_key

Pinyin = tuple[tuple[str, ...], str]
PlaceKey = tuple[str, Pinyin, str, Pinyin, str, Pinyin]

OUTSIDE_THE_LIST = {"台湾省": "71", "香港特别行政区": "81", "澳门特别行政区": "82"}
"""GB/T 2260 codes of the provinces the 统计用区划代码 does not cover."""


@lru_cache(maxsize=4096)
def province_key(province: str) -> tuple[str, Pinyin]:
    code = divisions.data().provinces.get(province) or OUTSIDE_THE_LIST.get(province, divisions.UNKNOWN[:2])
    return code, sort_key(province)


def county_key(province: str, county: str, town_codes: Iterable[str] = ()) -> tuple[str, Pinyin]:
    """The list's code, else the first 6 digits its towns' reports give, else after every code."""
    code = divisions.county_code(province, county)
    if code == divisions.UNKNOWN[:6]:
        code = min((c[:6] for c in town_codes if c), default=code)
    return code, sort_key(county)


def town_key(province: str, county: str, town: str, division_code: str = "") -> tuple[str, Pinyin]:
    return (division_code or divisions.town_code(province, county, town)), sort_key(town)


def place_key(province: str, county: str, town: str, division_code: str = "") -> PlaceKey:
    """Sort key of a (province, county, town) in 区划代码 order, for tables and downloads."""
    return (*province_key(province), *county_key(province, county, [division_code]),
            *town_key(province, county, town, division_code))
