"""Places in 行政区划代码 order (GB/T 2260), as government portals list them: provinces by their
two-digit code, counties and towns by the 统计用区划代码 their reports give. Places without a
known code keep their pinyin order, after the coded ones."""

from __future__ import annotations

from site_builder.models import County, Province, Town

PROVINCE_CODES = {
    "北京市": 11, "天津市": 12, "河北省": 13, "山西省": 14, "内蒙古自治区": 15, "辽宁省": 21, "吉林省": 22,
    "黑龙江省": 23, "上海市": 31, "江苏省": 32, "浙江省": 33, "安徽省": 34, "福建省": 35, "江西省": 36,
    "山东省": 37, "河南省": 41, "湖北省": 42, "湖南省": 43, "广东省": 44, "广西壮族自治区": 45, "海南省": 46,
    "重庆市": 50, "四川省": 51, "贵州省": 52, "云南省": 53, "西藏自治区": 54, "陕西省": 61, "甘肃省": 62,
    "青海省": 63, "宁夏回族自治区": 64, "新疆维吾尔自治区": 65, "台湾省": 71, "香港特别行政区": 81,
    "澳门特别行政区": 82,
}
UNKNOWN = "~"
"""Sorts after every code (digits)."""


def _town_code(town: Town) -> str:
    return next((r.meta.division_code for r in town.reports if r.meta.division_code), UNKNOWN)


def _county_code(county: County) -> str:
    return min((_town_code(t)[:6] for t in county.towns), default=UNKNOWN)


def provinces_in_code_order(provinces: list[Province]) -> list[Province]:
    return sorted(provinces, key=lambda p: PROVINCE_CODES.get(p.name, 100))


def counties_in_code_order(counties: list[County]) -> list[County]:
    return sorted(counties, key=_county_code)


def towns_in_code_order(towns: list[Town]) -> list[Town]:
    return sorted(towns, key=_town_code)
