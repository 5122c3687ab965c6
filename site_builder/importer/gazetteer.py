"""Administrative divisions (province › city › county) for the importer, from the national list
down to 乡镇/街道 that site_builder.divisions reads (国家统计局 统计用区划代码, 2023)."""

from __future__ import annotations

import re
from functools import lru_cache

from site_builder import divisions
from site_builder.divisions import County

__all__ = ["VINTAGE", "County", "cities", "counties", "full_name", "lookup", "provinces"]

VINTAGE = divisions.SOURCE


@lru_cache(maxsize=1)
def counties() -> dict[str, tuple[County, ...]]:
    """County-level name → every county of that name (城关区 exists more than once). A city without
    districts (东莞市, 中山市, 儋州市, 嘉峪关市) is its own county line in the list: it is a city here."""
    found = {name: tuple(c for c in items if c.name != c.city) for name, items in divisions.data().counties.items()}
    named = {name: items for name, items in found.items() if items}
    return named | {short: items for short, items in _short_forms(named).items() if short not in named}


PEOPLES = ("蒙古|回|藏|维吾尔|苗|彝|壮|布依|朝鲜|满|侗|瑶|白|土家|哈尼|哈萨克|傣|黎|傈僳|佤|畲|拉祜|水|东乡|纳西|景颇|"
           "柯尔克孜|土|达斡尔|仫佬|羌|布朗|撒拉|毛南|仡佬|锡伯|阿昌|普米|塔吉克|怒|乌孜别克|俄罗斯|鄂温克|德昂|保安|裕固|京|"
           "塔塔尔|独龙|鄂伦春|赫哲|门巴|珞巴|基诺")
AUTONOMOUS = re.compile(rf"^(?P<stem>[\u4e00-\u9fff]{{2,}}?)(?:(?:{PEOPLES})族)+自治(?P<kind>县|旗)$")
"""An autonomous county's full name: its stem, then its peoples, then 自治县/自治旗."""


def _short_forms(named: dict[str, tuple[County, ...]]) -> dict[str, tuple[County, ...]]:
    """屏边县 for 屏边苗族自治县, 镇宁县 for 镇宁布依族苗族自治县: the short form such a county's own
    documents use, kept only where it stands for one county alone."""
    shorts: dict[str, list[County]] = {}
    for name, items in named.items():
        if (match := AUTONOMOUS.match(name)) is not None:
            shorts.setdefault(match.group("stem") + match.group("kind"), []).extend(items)
    return {short: tuple(items) for short, items in shorts.items() if len(items) == 1}


@lru_cache(maxsize=1)
def provinces() -> frozenset[str]:
    return frozenset(divisions.data().provinces)


@lru_cache(maxsize=1)
def cities() -> dict[str, str]:
    """Prefecture-level city (or 州, 盟, 地区) → its province (the municipalities are provinces)."""
    return divisions.cities()


def lookup(county: str) -> tuple[County, ...]:
    return counties().get(county, ())


def full_name(county: str) -> str:
    """The gazetteer's name for a county written in its short form (通道县 → 通道侗族自治县), else
    the name as given."""
    items = lookup(county)
    return items[0].name if len(items) == 1 and items[0].name != county else county
