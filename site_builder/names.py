"""Chinese place names: pinyin URL segments and pinyin sort order."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import cache, lru_cache

from site_builder.i18n import N_


@cache
def _pinyin() -> Callable[[str, str], list[str]]:
    """pypinyin, loaded when a name is first read (its dictionaries take 0.15 s to load)."""
    from pypinyin import Style, lazy_pinyin, load_phrases_dict, load_single_dict

    # Place names read some characters differently from everyday words: 丰都 is Fēngdū, not Fēngdōu.
    # pypinyin is used here for place names only, so these readings are safe defaults for this process.
    load_single_dict({ord("都"): "dū,dōu"})
    load_phrases_dict({"六安": [["lù"], ["ān"]], "蚌埠": [["bèng"], ["bù"]], "丽水": [["lí"], ["shuǐ"]],
                       "乐清": [["yuè"], ["qīng"]], "番禺": [["pān"], ["yú"]], "铅山": [["yán"], ["shān"]]})
    return lambda text, style: list(lazy_pinyin(text, style=getattr(Style, style), v_to_u=False, errors="default"))


_SYLLABLES: dict[tuple[str, str], tuple[str, ...]] = {}
"""(style, text) → its syllables: kept between builds (load.ReadIndex), so a build whose names are
all known never loads pypinyin."""


def syllables(text: str, style: str) -> tuple[str, ...]:
    """Pinyin of `text`, one string per character ('NORMAL' without tones, 'TONE3' with)."""
    found = _SYLLABLES.get((style, text))
    if found is None:
        found = _SYLLABLES[(style, text)] = tuple(_pinyin()(text, style))
    return found


def known_syllables() -> dict[tuple[str, str], tuple[str, ...]]:
    return dict(_SYLLABLES)


def remember_syllables(known: dict[tuple[str, str], tuple[str, ...]]) -> None:
    _SYLLABLES.update(known)

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
    joined = "".join(syllables(text, "NORMAL")).lower()
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
    return tuple(s.lower() for s in syllables(name, "TONE3")), name


def pinyin_initial(name: str) -> str:
    """The capital letter a name is listed under in an A–Z index (双江镇 → S); '#' for none."""
    first = sort_key(name)[0]
    letter = first[0][:1].upper() if first else ""
    return letter if "A" <= letter <= "Z" else "#"


def unique_name(base: str, taken: set[str]) -> str:
    """base, or base-2, base-3 … — the first not in `taken`, which it is then added to."""
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    taken.add(candidate)
    return candidate


def assign_slugs(names: list[str], overrides: dict[str, str], reserved: frozenset[str] = frozenset(),
                 first_year: dict[str, int] | None = None, published: frozenset[str] = frozenset()) -> dict[str, str]:
    """Unique URL segments for sibling names (towns of one county, say).

    Published URLs must not move when a name is added. Where short pinyin collides (双江镇 and
    双江乡), the name with the earliest report (`first_year`; then pinyin order) keeps the short
    segment it has had since then; the newcomer gets its suffix's pinyin too, then a number. The
    names in `published` keep the override they were published under before any other is granted.
    The result never depends on input order."""
    first_year = first_year or {}
    ordered = sorted(set(names), key=lambda n: (first_year.get(n, 0), sort_key(n)))
    result: dict[str, str] = {}
    taken: set[str] = set(reserved)
    for name in sorted(ordered, key=lambda n: n not in published):  # overrides first: what was published, then asked for
        if name in overrides:
            result[name] = unique_name(overrides[name], taken)
    for name in ordered:
        if name in result:
            continue
        slug = base_slug(name)
        if slug in taken:
            slug = full_slug(name)
        result[name] = unique_name(slug, taken)
    return dict(sorted(result.items(), key=lambda item: sort_key(item[0])))


INVISIBLE = re.compile("[\u00ad\u034f\u180e\u200b-\u200f\u2060-\u2064\ufeff]")
"""Zero-width and other invisible characters that come with text copied from web pages."""
PROVINCE_FULL_NAMES = {
    "北京": "北京市", "天津": "天津市", "上海": "上海市", "重庆": "重庆市", "内蒙古": "内蒙古自治区",
    "广西": "广西壮族自治区", "西藏": "西藏自治区", "宁夏": "宁夏回族自治区", "新疆": "新疆维吾尔自治区",
    "香港": "香港特别行政区", "澳门": "澳门特别行政区",
    **{short: short + "省" for short in ("河北", "山西", "辽宁", "吉林", "黑龙江", "江苏", "浙江", "安徽", "福建", "江西",
                                         "山东", "河南", "湖北", "湖南", "广东", "海南", "四川", "贵州", "云南", "陕西",
                                         "甘肃", "青海", "台湾")},
}


@lru_cache(maxsize=1)
def _to_simplified() -> object:
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional characters made simplified (OpenCC t2s); everything else as it is."""
    return str(_to_simplified().convert(text))  # type: ignore[attr-defined]  # opencc has no types


@lru_cache(maxsize=16384)
def canonical_place(name: str, province: bool = False) -> tuple[str, tuple[str, ...]]:
    """(the name as compared and listed, what was changed): NFKC, invisible characters removed,
    traditional characters made simplified, and a province's short form made its official name,
    so 雙江鎮, 双江镇 with a zero-width space and 双江镇 are one town; 重庆 and 重庆市 one province."""
    changes: list[str] = []
    text = INVISIBLE.sub("", unicodedata.normalize("NFKC", name)).strip()
    if text != name.strip():
        changes.append(N_("invisible or full-width characters removed"))
    simplified = to_simplified(text)
    if simplified != text:
        changes.append(N_("traditional characters made simplified"))
        text = simplified
    if province and text in PROVINCE_FULL_NAMES:
        text = PROVINCE_FULL_NAMES[text]
        changes.append(N_("the official full name used"))
    return text, tuple(changes)
