"""Who a report speaks for when no signature, title or page label names it:
- the organisation its opening sentence makes the subject — `2022年，长治市司法局坚持…`,
  `据司法部网站消息，司法部发布…`, `2022年，县司法局紧紧围绕…` (the county from the site's header) —
  and only when the report also speaks as that organisation (我局, 局党组, 部党组);
- the kind of place it calls itself (我镇, 本乡, 我街道, 我县) when its name is never given;
- the province or autonomous region of a provincial government's report that names itself only
  through a well-known form (`自治区人民政府` … `法治内蒙古`, with 我区).
Each reads one fact the text states; two readings that disagree give none."""

from __future__ import annotations

import re

from site_builder.importer import places
from site_builder.names import PROVINCE_FULL_NAMES

MINISTRIES = ("司法部", "公安部", "民政部", "财政部", "商务部", "水利部", "教育部", "外交部", "国防部", "文化和旅游部", "交通运输部",
              "农业农村部", "自然资源部", "生态环境部", "科学技术部", "工业和信息化部", "人力资源和社会保障部", "住房和城乡建设部",
              "应急管理部", "退役军人事务部", "国家安全部")
BUREAU = r"(?:[\u4e00-\u9fff]{1,12}?(?:省|市|县|区|旗|州|盟))?[\u4e00-\u9fff]{2,10}?(?:局|厅|委员会|办公室)"
VERB_AFTER = r"坚持|紧紧|紧扣|深入|认真|全面|始终|以|在|立足|发布|围绕|聚焦|着力|扎实|切实|积极|按照|严格|持续|不断|把|高度"
OPENING_ORG = re.compile(rf"(?:^|[，,。；;\s]|\d{{4}}年度?[，,]?)(?P<name>{'|'.join(MINISTRIES)}|{BUREAU})(?={VERB_AFTER})")
SELF_AS_ORG = {"部": ("我部", "本部", "部党组"), "局": ("我局", "本局", "局党组", "局党委", "全局"), "厅": ("我厅", "本厅", "厅党组"),
               "委员会": ("我委", "本委", "委党组"), "办公室": ("我办", "本办", "办公室党组", "办党组")}
GENERIC_PLACE = re.compile(r"^(县|区|市|旗)(?=[\u4e00-\u9fff]{2})")
"""`县司法局`, `市市场监管局`: a department of the place whose site the page is on."""


def opening_org(opening: list[str], body: str, site: str) -> tuple[str, str] | None:
    """(the organisation, how it was read) from the first paragraphs, or None."""
    names = {match.group("name") for text in opening[:2] for match in OPENING_ORG.finditer(text)}
    names = {name for name in names if places.place_in(name).department and not name.endswith(("人民政府", "办事处"))}
    if len(names) != 1:
        return None
    name = next(iter(names))
    suffix = next((s for s in SELF_AS_ORG if name.endswith(s)), "")
    if not suffix or not any(word in body for word in SELF_AS_ORG[suffix]):
        return None
    generic = GENERIC_PLACE.match(name)
    if generic:
        of_site = places.place_in(site) if site else places.Place()
        place = of_site.county if generic.group(1) in "县区旗" else of_site.city
        if not place or not place.endswith(generic.group(1)):
            return None  # 县司法局 of which county: nothing says
        return place + name[1:], f"opening sentence ({name}), the county or city from the site's header ({site})"
    return name, f"opening sentence: {name} … (the report speaks as {SELF_AS_ORG[suffix][0]})"


SELF_AS_PLACE = {"镇": ("我镇", "本镇"), "乡": ("我乡", "本乡"), "街道": ("我街道", "本街道"), "县区": ("我县", "本县"),
                 "部门": ("我局", "本局", "我部", "我厅")}


def self_level(body: str) -> tuple[str, str] | None:
    """(level, the words) when the report calls itself one kind of place only (我镇 … 全镇)."""
    kinds = {level: next(word for word in words if word in body) for level, words in SELF_AS_PLACE.items()
             if any(word in body for word in words)}
    if len(kinds) != 1:
        return None
    level, word = next(iter(kinds.items()))
    return level, word


def own_province(body: str) -> tuple[str, str] | None:
    """(province, how) for a provincial government's own report that never writes its name but
    as `法治内蒙古`: 自治区人民政府 with 我区, or 省人民政府/省政府 with 我省; one province only."""
    if "自治区人民政府" in body and "我区" in body:
        kind = "自治区"
    elif ("省人民政府" in body or "省政府" in body) and "我省" in body:
        kind = "省"
    else:
        return None
    found = {full for short, full in PROVINCE_FULL_NAMES.items()
             if full.endswith(kind) and (full in body or re.search(rf"(?:法治|平安|美丽|数字|健康){short}", body))}
    if len(found) != 1:
        return None
    province = next(iter(found))
    return province, f"the report speaks as the {kind} government (我{kind[-1]}) of {province}"
