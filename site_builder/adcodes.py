"""区划代码 of provinces and counties, for putting places in the national order (北京 110000 first,
then 天津, 河北 …) rather than by pinyin. Read from the division codes shipped in the PyPI package
cpca (resources/adcodes.csv, November 2020) — the file the importer's gazetteer reads; only the data
file is opened (importing cpca would load pandas). Names the file does not know sort after those
it does, by pinyin."""

from __future__ import annotations

import csv
import importlib.metadata
from functools import lru_cache
from pathlib import Path

UNKNOWN = "999999"
"""The code given to a name the data does not hold: after every real code."""


def _data_file() -> Path | None:
    try:
        distribution = importlib.metadata.distribution("cpca")
    except importlib.metadata.PackageNotFoundError:
        return None
    path = Path(str(distribution.locate_file("cpca/resources/adcodes.csv")))
    return path if path.is_file() else None


@lru_cache(maxsize=1)
def _codes() -> tuple[dict[str, str], dict[tuple[str, str], str], frozenset[str]]:
    """(province → code, (province, county) → code, every county-level name)."""
    path = _data_file()
    if path is None:
        return {}, {}, frozenset()
    with path.open(encoding="utf-8") as handle:
        rows = sorted((row["adcode"][:6], row["name"].strip()) for row in csv.DictReader(handle))
    names = dict(rows)
    provinces = {name: code for code, name in rows if code.endswith("0000")}
    counties: dict[tuple[str, str], str] = {}
    for code, name in rows:
        if not code.endswith("00"):
            counties.setdefault((names.get(code[:2] + "0000", ""), name), code)
    return provinces, counties, frozenset(name for _, name in counties)


def province_code(province: str) -> str:
    return _codes()[0].get(province, UNKNOWN)


def county_code(province: str, county: str) -> str:
    return _codes()[1].get((province, county), UNKNOWN)


def is_known_province(province: str) -> bool:
    return province in _codes()[0]


def is_known_county(province: str, county: str) -> bool:
    return (province, county) in _codes()[1]


def has_data() -> bool:
    return bool(_codes()[0])
