"""Chinese place names: pinyin URL segments and pinyin sort order."""

from __future__ import annotations

import re
from functools import lru_cache

from pypinyin import Style, lazy_pinyin, load_phrases_dict, load_single_dict

# Place names read some characters differently from everyday words: 丰都 is Fēngdū, not Fēngdōu.
# pypinyin is used here for place names only, so these readings are safe defaults for this process.
load_single_dict({ord("都"): "dū,dōu"})
load_phrases_dict({"六安": [["lù"], ["ān"]], "蚌埠": [["bèng"], ["bù"]], "丽水": [["lí"], ["shuǐ"]],
                   "乐清": [["yuè"], ["qīng"]], "番禺": [["pān"], ["yú"]], "铅山": [["yán"], ["shān"]]})

# Conventional romanisations where plain pinyin is ambiguous or not what people type.
PROVINCE_SLUGS = {
    "北京": "beijing", "天津": "tianjin", "河北": "hebei", "山西": "shanxi", "内蒙古": "neimenggu",
    "辽宁": "liaoning", "吉林": "jilin", "黑龙江": "heilongjiang", "上海": "shanghai", "江苏": "jiangsu",
    "浙江": "zhejiang", "安徽": "anhui", "福建": "fujian", "江西": "jiangxi", "山东": "shandong",
    "河南": "henan", "湖北": "hubei", "湖南": "hunan", "广东": "guangdong", "广西": "guangxi",
    "海南": "hainan", "重庆": "chongqing", "四川": "sichuan", "贵州": "guizhou", "云南": "yunnan",
    "西藏": "xizang", "陕西": "shaanxi", "甘肃": "gansu", "青海": "qinghai", "宁夏": "ningxia",
    "新疆": "xinjiang", "香港": "xianggang", "澳门": "aomen", "台湾": "taiwan",
}
# Longest first, so 街道办事处 is removed before 街道 would leave 办事处 behind.
SUFFIXES = ("维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "街道办事处", "特别行政区", "自治州", "自治县",
            "街道", "省", "市", "区", "县", "旗", "镇", "乡", "盟")


def strip_suffix(name: str) -> str:
    """潼南区 -> 潼南; a name that would be left with one character keeps its suffix (沙县)."""
    for suffix in SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


@lru_cache(maxsize=4096)
def to_pinyin_slug(text: str) -> str:
    """Lowercase ASCII pinyin without tones; ASCII letters and digits kept, the rest dropped."""
    syllables = lazy_pinyin(text, style=Style.NORMAL, v_to_u=False, errors="default")
    joined = "".join(syllables).lower()
    joined = re.sub(r"[^a-z0-9]+", "-", joined).strip("-")
    return joined or "x"


def base_slug(name: str) -> str:
    short = strip_suffix(name)
    if short in PROVINCE_SLUGS:
        return PROVINCE_SLUGS[short]
    return to_pinyin_slug(short)


def full_slug(name: str) -> str:
    return to_pinyin_slug(name)


@lru_cache(maxsize=8192)
def sort_key(name: str) -> tuple[tuple[str, ...], str]:
    """Order by pinyin with tones (so 重庆 chong2 comes after 长 chang2), then by the characters."""
    return tuple(s.lower() for s in lazy_pinyin(name, style=Style.TONE3, errors="default")), name


def unique_name(base: str, taken: set[str]) -> str:
    """base, or base-2, base-3 … — the first not in `taken`, which it is then added to."""
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    taken.add(candidate)
    return candidate


def assign_slugs(names: list[str], overrides: dict[str, str], reserved: frozenset[str] = frozenset()) -> dict[str, str]:
    """Unique URL segments for sibling names (towns of one county, say).

    Names whose short pinyin collides (双江镇 and 双江乡) get their suffix's pinyin too; any
    remaining collision gets a number, in pinyin order, so the result never depends on input order."""
    ordered = sorted(set(names), key=sort_key)
    wanted = {name: overrides.get(name) or base_slug(name) for name in ordered}
    counts: dict[str, int] = {}
    for slug in wanted.values():
        counts[slug] = counts.get(slug, 0) + 1
    result: dict[str, str] = {}
    taken: set[str] = set(reserved)
    for name in ordered:
        slug = wanted[name]
        if counts[slug] > 1 and name not in overrides:
            slug = full_slug(name)
        result[name] = unique_name(slug, taken)
    return result
