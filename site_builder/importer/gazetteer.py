"""Administrative divisions (province › city › county) from the national division codes shipped in
the PyPI package cpca (0.5.x, its resources/adcodes.csv of November 2020: 潼南区 (2015), 开州区
(2016) and 渝北区 are there). Only the data file is read: importing cpca would load pandas."""

from __future__ import annotations

import csv
import importlib.metadata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

VINTAGE = "cpca 0.5.x resources/adcodes.csv (division codes, November 2020)"


@dataclass(frozen=True)
class County:
    code: str
    """6-digit division code."""
    name: str
    city: str
    province: str


def _data_file() -> Path:
    distribution = importlib.metadata.distribution("cpca")
    return Path(str(distribution.locate_file("cpca/resources/adcodes.csv")))


@lru_cache(maxsize=1)
def counties() -> dict[str, tuple[County, ...]]:
    """County-level name → every county of that name (城关区 exists more than once)."""
    names: dict[str, str] = {}
    rows: list[tuple[str, str]] = []
    with _data_file().open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            code, name = row["adcode"][:6], row["name"].strip()
            names.setdefault(code, name)
            rows.append((code, name))
    found: dict[str, list[County]] = {}
    for code, name in rows:
        if code.endswith("00"):
            continue  # a province or a city
        province = names.get(code[:2] + "0000", "")
        city = names.get(code[:4] + "00", province)
        if city in ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"):
            city = province if province.endswith("市") else ""  # municipalities: the city is the province
        found.setdefault(name, []).append(County(code, name, city, province))
    return {name: tuple(items) for name, items in found.items()}


@lru_cache(maxsize=1)
def provinces() -> frozenset[str]:
    with _data_file().open(encoding="utf-8") as handle:
        return frozenset(row["name"].strip() for row in csv.DictReader(handle) if row["adcode"][2:6] == "0000")


@lru_cache(maxsize=1)
def cities() -> dict[str, str]:
    """Prefecture-level city (or 州, 盟, 地区) → its province (the municipalities are provinces)."""
    with _data_file().open(encoding="utf-8") as handle:
        rows = [(row["adcode"][:6], row["name"].strip()) for row in csv.DictReader(handle)]
    names = dict(rows)
    return {name: names.get(code[:2] + "0000", "") for code, name in rows
            if code.endswith("00") and not code.endswith("0000") and name not in ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划")}


def lookup(county: str) -> tuple[County, ...]:
    return counties().get(county, ())
