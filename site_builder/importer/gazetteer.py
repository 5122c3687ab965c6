"""Administrative divisions (province › city › county) for the importer, from the national list
down to 乡镇/街道 that site_builder.divisions reads (国家统计局 统计用区划代码, 2023)."""

from __future__ import annotations

from functools import lru_cache

from site_builder import divisions
from site_builder.divisions import County

__all__ = ["VINTAGE", "County", "cities", "counties", "lookup", "provinces"]

VINTAGE = divisions.SOURCE


@lru_cache(maxsize=1)
def counties() -> dict[str, tuple[County, ...]]:
    """County-level name → every county of that name (城关区 exists more than once). A city without
    districts (东莞市, 中山市, 儋州市, 嘉峪关市) is its own county line in the list: it is a city here."""
    found = {name: tuple(c for c in items if c.name != c.city) for name, items in divisions.data().counties.items()}
    return {name: items for name, items in found.items() if items}


@lru_cache(maxsize=1)
def provinces() -> frozenset[str]:
    return frozenset(divisions.data().provinces)


@lru_cache(maxsize=1)
def cities() -> dict[str, str]:
    """Prefecture-level city (or 州, 盟, 地区) → its province (the municipalities are provinces)."""
    return divisions.cities()


def lookup(county: str) -> tuple[County, ...]:
    return counties().get(county, ())
