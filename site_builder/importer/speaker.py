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

from site_builder.importer import gazetteer, places
from site_builder.importer.metadata import COMMISSION
from site_builder.names import PROVINCE_FULL_NAMES

MINISTRIES = ("司法部", "公安部", "民政部", "财政部", "商务部", "水利部", "教育部", "外交部", "国防部", "文化和旅游部", "交通运输部",
              "农业农村部", "自然资源部", "生态环境部", "科学技术部", "工业和信息化部", "人力资源和社会保障部", "住房和城乡建设部",
              "应急管理部", "退役军人事务部", "国家安全部", "环境保护部", "国土资源部", "农业部", "文化部", "卫生部",
              "监察部", "建设部", "铁道部")
"""Ministries, with the former names a report of their year still uses (原环境保护部)."""
BUREAU = rf"(?:[\u4e00-\u9fff]{{1,12}}?(?:省|市|县|区|旗|州|盟))?[\u4e00-\u9fff]{{2,10}}?(?:局|厅|委员会|办公室|{COMMISSION})"
SHORT_NAME = r"(?:[（(]以下简?称[\u4e00-\u9fff“”\"]{1,12}[）)])?"
"""`某市人力资源和社会保障局（以下称市人社局）坚持…`: the name the report gives itself."""
VERB_AFTER = r"坚持|坚决|紧紧|紧扣|深入|认真|全面|始终|以|在|立足|发布|围绕|聚焦|着力|扎实|切实|积极|按照|严格|持续|不断|把|高度|主动|奋力|锚定"
OPENING_ORG = re.compile(rf"(?:^|[，,。；;\s]|\d{{4}}年度?[，,]?)原?(?P<name>{'|'.join(MINISTRIES)}|{BUREAU}){SHORT_NAME}(?={VERB_AFTER})")
SELF_AS_ORG = {"部": ("我部", "本部", "部党组"), "局": ("我局", "本局", "局党组", "局党委"), "厅": ("我厅", "本厅", "厅党组", "厅党委"),
               "委员会": ("我委", "本委", "委党组"), "委": ("我委", "本委", "委党组", "委党委", "委主要负责"), "办公室": ("我办", "本办", "办公室党组", "办党组", "政府办")}
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
    named_itself = any(re.search(rf"{re.escape(name)}[（(]以下简?称", text) for text in opening[:1])
    if not suffix or not (any(word in body for word in SELF_AS_ORG[suffix]) or _led_as_subject(name, opening, body) or named_itself):
        return None
    if name.endswith("厅") and not places.place_in(name).province:
        province = _named_province(body, ("省", "自治区"))
        if province is None:
            return None  # 司法厅 of which province: nothing says
        return province + name.removeprefix("省"), f"opening sentence ({name}), of the province the report names ({province})"
    generic = GENERIC_PLACE.match(name)
    of_name = places.place_in(name)
    if not generic and not (of_name.province or of_name.city or of_name.county) and name not in MINISTRIES:
        return None  # a bare function (司法局) names no organisation
    if generic:
        of_site = places.place_in(site) if site else places.Place()
        place = of_site.county if generic.group(1) in "县区旗" else of_site.city
        if not place or not place.endswith(generic.group(1)):
            return None  # 县司法局 of which county: nothing says
        return place + name[1:], f"opening sentence ({name}), the county or city from the site's header ({site})"
    return name, f"opening sentence: {name} … (the report speaks as {SELF_AS_ORG[suffix][0]})"


def _led_as_subject(name: str, opening: list[str], body: str) -> bool:
    """`今年以来，吉安市司法局在市委、市政府的正确领导下，坚持…`: an organisation named in full, its
    place included, opens the report as the one its superiors lead — the report's own, when the
    report never speaks as a town or a county (我镇, 我县)."""
    of_name = places.place_in(name)
    if not (of_name.province or of_name.city or of_name.county) or GENERIC_PLACE.match(name):
        return False
    led = re.compile(rf"{re.escape(name)}在[^。；;]{{0,40}}?(?:领导|指导)")
    places_words = [word for level, words in SELF_AS_PLACE.items() if level != "部门" for word in words]
    return any(led.search(text) for text in opening[:1]) and not any(word in body for word in places_words)


def unnamed_department(opening: list[str], body: str) -> str | None:
    """The words when the opening makes a department its subject without naming it (`2024年以来，
    教育局坚持…`) and the report speaks as that department (局党委, 我局): a department's report."""
    names = {match.group("name") for text in opening[:2] for match in OPENING_ORG.finditer(text)}
    names = {name for name in names if places.place_in(name).department and not name.endswith(("人民政府", "办事处"))}
    suffixes = {next((s for s in SELF_AS_ORG if name.endswith(s)), "") for name in names}
    if len(names) != 1 or "" in suffixes:
        return None
    name, suffix = next(iter(names)), suffixes.pop()
    word = next((word for word in SELF_AS_ORG[suffix] if word in body), "")
    return f"{name} … {word}" if word else None


OWN_DOCUMENTS = re.compile(r"(?:印发|制定|出台|审议并?通过)了?(?P<titles>(?:《[^《》]{1,80}》[、，,和及与]?)+)")
DOCUMENT_ISSUER = re.compile(rf"《(?P<name>{BUREAU})(?=贯彻|关于|参与|落实|实施|\d{{4}}年)")
"""`印发《綦江区司法局贯彻落实…方案》`, `审议并通过了《某区卫生健康局…实施方案》`: a document the report's
department issued or adopted, under its own name."""


def own_document_org(opening: list[str], body: str) -> tuple[str, str] | None:
    """(the department, how) for a report that never writes its name but as that of a document it
    issued, when it speaks as that department: `区司法局` as the opening's subject (the same
    function, a district's), or 我局/局党组 (the same kind of body); one such name only."""
    titles = [match.group("titles") for match in OWN_DOCUMENTS.finditer(body)]
    names = {match.group("name") for title in titles for match in DOCUMENT_ISSUER.finditer(title)}
    names = {name for name in names if (of := places.place_in(name)).department and (of.county or of.city)}
    if len(names) != 1:
        return None
    name = next(iter(names))
    subjects = {match.group("name") for text in opening[:2] for match in OPENING_ORG.finditer(text) if GENERIC_PLACE.match(match.group("name"))}
    if subjects:
        of_name = places.place_in(name)
        same = [subject for subject in subjects if name.endswith(subject[1:])
                and (of_name.county if subject[0] in "县区旗" else of_name.city).endswith(subject[0])]
        return (name, f"the report's own document 《{name}…》, the {same[0]} of its opening") if len(same) == 1 else None
    suffix = next((s for s in SELF_AS_ORG if name.endswith(s)), "")
    word = next((word for word in SELF_AS_ORG.get(suffix, ()) if word in body), "")
    return (name, f"the report's own document 《{name}…》 (it speaks as {word})") if word else None


OPENING_GOVERNMENT = re.compile(rf"(?:^|[，,。；;\s])(?P<name>[\u4e00-\u9fff]{{1,10}}?(?:县|区|市|旗|省|自治区)人民政府)(?={VERB_AFTER})")
SELF_AS_GOVERNMENT = {"县": ("我县", "全县", "本县"), "区": ("我区", "全区", "本区"), "市": ("我市", "全市", "本市"), "旗": ("我旗", "全旗"),
                      "省": ("我省", "全省"), "自治区": ("我区", "全区")}


def opening_government(opening: list[str], body: str) -> tuple[str, str] | None:
    """(name, how) for a county's, city's or province's own government made the subject of the
    opening (`…领导下，息县人民政府坚持…`), when the report speaks as that place (全县, 我县)."""
    names = {match.group("name") for text in opening[:2] for match in OPENING_GOVERNMENT.finditer(text)}
    names = {name for name in names if not places.place_in(name).town and not places.place_in(name).empty}
    if len(names) != 1:
        return None
    name = next(iter(names))
    kind = next(k for k in ("自治区", "县", "区", "市", "旗", "省") if name.removesuffix("人民政府").endswith(k))
    towns = [word for level in ("镇", "乡", "街道") for word in SELF_AS_PLACE[level]]
    if not any(word in body for word in SELF_AS_GOVERNMENT[kind]) or any(word in body for word in towns):
        return None  # a town's report naming the county's government (在我镇召开) is not the county's
    return name, f"opening sentence: {name} … (the report speaks as {SELF_AS_GOVERNMENT[kind][1]})"


OPENING_TOWN_OFFICE = re.compile(rf"(?:^|[，,。；;\s])(?P<name>[\u4e00-\u9fff]{{2,8}}?(?:街道办事处|镇人民政府|乡人民政府|镇政府|乡政府))(?={VERB_AFTER})")


def opening_town_office(opening: list[str]) -> tuple[str, str] | None:
    """(name, how) for a town's government or 街道办事处 made the subject of the opening
    (`…领导下，云岗街道办事处坚持…`, `某镇政府在区委、区政府领导下…`): the report's issuer, as
    written; one such name only."""
    names = {match.group("name") for text in opening[:2] for match in OPENING_TOWN_OFFICE.finditer(text)}
    names = {name for name in names if places.place_in(name).town}
    if len(names) != 1:
        return None
    name = next(iter(names))
    return name, f"opening sentence: {name} … is the report's subject"


SELF_AS_PLACE = {"镇": ("我镇", "本镇"), "乡": ("我乡", "本乡"), "街道": ("我街道", "本街道"), "县区": ("我县", "本县"),
                 "部门": ("我局", "本局", "我部", "我厅", "全厅", "我委", "本委", "市政府办", "县政府办", "区政府办")}


MASKED_TOWN = re.compile(r"(?:XX|xx|ＸＸ|××|\*{1,3}|＊{1,3}|某某)(街道|镇|乡)")
"""A town's name a copying site masked (`XX街道`, `xx镇`): the kind of place is still stated."""


STREET_AS_SUBJECT = re.compile(rf"(?:^|[，,。；;：:\s])街道(?={VERB_AFTER}|建立|绘制|内设)")
"""`街道按照…`, `，街道建立…`: a 街道's report making itself (unnamed) the sentence's subject."""
REPORT_OF_DEPARTMENT = re.compile(rf"现将(?P<name>{BUREAU})(?:\d{{4}}年|关于)")
"""`现将市人社局2022年…报告…`: the report is said to be a department's."""


def self_level(body: str) -> tuple[str, str] | None:
    """(level, the words) when the report calls itself one kind of place only (我镇 … 全镇), names
    itself only by a masked name of one kind (`XX街道`), makes a bare 街道 the subject of its
    sentences, or says it is a department's report (现将市人社局2022年…)."""
    kinds = {level: next(word for word in words if word in body) for level, words in SELF_AS_PLACE.items()
             if any(word in body for word in words)}
    for match in MASKED_TOWN.finditer(body):
        kinds.setdefault(match.group(1), match.group())
    if (subject := STREET_AS_SUBJECT.search(body)) is not None:
        kinds.setdefault("街道", subject.group().lstrip("，,。；;：: "))
    if (report_of := REPORT_OF_DEPARTMENT.search(body)) is not None and places.place_in(report_of.group("name")).department:
        kinds.setdefault("部门", report_of.group("name"))
    if len(kinds) != 1:
        return None
    level, word = next(iter(kinds.items()))
    return level, word


def own_province(body: str) -> tuple[str, str] | None:
    """(province, how) for a provincial government's own report that never writes its name but
    as `法治内蒙古`: 自治区人民政府 with 我区 (or 全区各级人民政府), or 省人民政府/省政府 with 我省; one
    province only."""
    if any(word in body for words in SELF_AS_ORG.values() for word in words):
        return None  # a department's report (厅党委, 我局) names its province's government too
    if "自治区人民政府" in body and ("我区" in body or "全区各级人民政府" in body):
        kind = "自治区"
    elif ("省人民政府" in body or "省政府" in body) and "我省" in body:
        kind = "省"
    else:
        return None
    province = _named_province(body, (kind,))
    return (province, f"the report speaks as the {kind} government (我{kind[-1]}) of {province}") if province else None


OTHER_BODY = (r"[\u4e00-\u9fff]{0,6}?(?:博物馆|图书馆|档案馆|医院|大学|学院|科学院|研究院|研究所|党校|学会|协会|银行|公司|集团)")
"""A body a province's name is part of (湖南省博物馆, 四川省人民医院): naming it is no statement of the
report's own province."""


def _named_province(body: str, kinds: tuple[str, ...]) -> str | None:
    """The one province of these kinds the text names, in full (not as part of another body's
    name) or as 法治四川/平安新疆."""
    found = {full for short, full in PROVINCE_FULL_NAMES.items()
             if full.endswith(kinds) and (re.search(rf"{full}(?!{OTHER_BODY})", body)
                                          or re.search(rf"(?:法治|平安|美丽|数字|健康){short}", body))}
    return next(iter(found)) if len(found) == 1 else None


WELL_KNOWN = re.compile(r"(?:法治|平安|美丽|数字|幸福|和谐)([\u4e00-\u9fff]{2})(?=建设|工作|创建|示范)")


def county_by_short_name(body: str, town: str) -> tuple[str, str] | None:
    """(county, how) for a town's report naming its county only as `法治上城建设`: the short name
    must make exactly one county of the gazetteer (上城 → 上城区) and not be the town's own stem."""
    stem = town.removesuffix("街道").rstrip("镇乡")
    shorts = {match.group(1) for match in WELL_KNOWN.finditer(body)} - {stem}
    counties = {short + suffix for short in shorts for suffix in ("区", "县", "市", "旗")
                if len(gazetteer.lookup(short + suffix)) == 1}
    if len(counties) != 1:
        return None
    county = next(iter(counties))
    return county, f"body: 法治{county[:-1]}…, the one county of that short name (gazetteer)"


COUNTY_DOCUMENT = re.compile(r"《(?P<name>[\u4e00-\u9fff]{1,6}?县)(?=法治|关于|贯彻|落实|\d{4}年)")


def own_document_county(body: str) -> tuple[str, str] | None:
    """(county, how) for a report that calls itself 我县 only and names its county only as the
    issuer of a plan it made (`我县制定了《宁都县法治政府建设实施方案》`): one county of the
    gazetteer, never two."""
    if self_level(body) not in (("县区", "我县"), ("县区", "本县")):
        return None
    titles = [match.group("titles") for match in OWN_DOCUMENTS.finditer(body)]
    names = {match.group("name") for title in titles for match in COUNTY_DOCUMENT.finditer(title)}
    names = {name for name in names if len(gazetteer.lookup(name)) == 1}
    if len(names) != 1:
        return None
    county = next(iter(names))
    return county, f"body: 我县 made 《{county}…》, its own plan"


OWN_COUNTY = re.compile(r"(?:^|\s)\d{4}年(?:度|以来)?[，,](?:在[^。；;]{0,60}?下[，,])*(?P<kind>区|县|旗)(?:人民)?政府(?=坚持|紧紧|深入|认真|全面|始终|以|立足|围绕|聚焦|着力|扎实)"
                        r"|现将(?P<said>区|县|旗)人民政府\d{4}年")
"""`2022年，区政府坚持…` (also after `2025年以来，在市委…领导下，`); `现将县人民政府2022年法治政府建设工作情况报告如下`."""


def own_county(opening: str, body: str) -> tuple[str, str, str] | None:
    """(level, county or '', how) for a county's own report whose opening makes 区政府/县政府 its
    subject (`2022年，区政府坚持…`); the county when the text names one county of that kind only."""
    match = OWN_COUNTY.search(opening)
    if match is None or self_level(body) not in (None, ("县区", "我县"), ("县区", "本县")):
        return None
    kind = match.group("kind") or match.group("said")
    names = {name for name in re.findall(rf"[\u4e00-\u9fff]{{2,7}}?{kind}", body)
             for name in [name[start:] for start in range(len(name) - 2)] if len(gazetteer.lookup(name)) == 1}
    county = next(iter(names)) if len(names) == 1 else ""
    return "县区", county, f"opening sentence: {kind}政府 … is the report's subject" + (f"; the text names {county} only" if county else "")


def own_city(body: str) -> tuple[str, str] | None:
    """(city, how) for a prefecture-level city's own report that calls itself 我市 and names one
    city only, at least twice, and no county-level city (whose report says 我市 too)."""
    if "我市" not in body or any(word in body for words in SELF_AS_PLACE.values() for word in words):
        return None
    named = {city for city in gazetteer.cities() if city.endswith("市") and city in body}
    county_cities = [name for name in re.findall(r"[\u4e00-\u9fff]{2,4}?市", body) if gazetteer.lookup(name)]
    if len(named) != 1 or county_cities:
        return None
    city = next(iter(named))
    if re.search(rf"在{city}委|{city}委、", body):
        return None  # the city is the one above the report's own (a county-level city's 我市)
    return (city, f"the report speaks as 我市, and names {city} only") if body.count(city[:-1]) >= 2 else None


OPENING_PLACE = re.compile(rf"^(?:\d{{4}}年(?:度|以来)?|今年以来|一年来)[，,](?:在[^，,。]{{2,40}}?领导下[，,])?"
                           rf"(?P<name>[\u4e00-\u9fff]{{2,12}}?(?:省|自治区|市|州|地区|盟))"
                           rf"(?:委、(?:省|自治区|市|州)?(?:人民)?政府|党委、政府)?(?={VERB_AFTER})")
"""`2024年，青海省委、省政府坚持…`, `今年以来，阿克苏地区深入…`: a province or a prefecture (its party
committee and government, or its name alone) as the subject of the report's first sentence."""
OTHER_SELF = re.compile(r"[我本](?:镇|乡|街道|县|局|厅|委|部|办)")


def own_place_in_opening(opening: str, body: str) -> tuple[str, str, str] | None:
    """('province' or 'city', its name, how) when the first sentence makes a province or a
    prefecture-level city (地区, 州, 盟 too) its subject and the report never speaks as a town, a
    county or a department (我镇, 我县, 我局 …: then the place is the one above it)."""
    match = OPENING_PLACE.match(opening)
    if match is None or OTHER_SELF.search(body):
        return None
    name = match.group("name")
    how = f"opening sentence: {match.group()[len(match.group()) - len(name) - 4:]}… is the report's subject"
    if name in gazetteer.provinces():
        return "province", name, how
    return ("city", name, how) if name in gazetteer.cities() else None


WHOLE_COUNTY = re.compile(r"全(县|区|旗)(?!各级|域内各)")
OWN_PLAN = re.compile(r"《(?:\d{4}年度?)?(?P<name>[\u4e00-\u9fff]{2,8}?(?:县|区|旗))(?:法治|依法|人民政府|\d{4}年)")
TOWN_OR_DEPARTMENT_SELF = re.compile(r"[我本全](?:镇|乡|街)|街道|[我本](?:局|厅|委|部|办)|局党|厅党|委党组")


def county_speaking_as_whole(body: str) -> tuple[str, str] | None:
    """(county, how) for a county's own report with no name in its opening: it speaks as 全县
    (never as a town or a department) and names one county only — in its own plans (《临泽县法治政府
    建设实施方案》) or as 法治临泽 — unique in the gazetteer."""
    kinds = set(WHOLE_COUNTY.findall(body))
    if len(kinds) != 1 or TOWN_OR_DEPARTMENT_SELF.search(body):
        return None
    kind = next(iter(kinds))
    named = {match.group("name") for match in OWN_PLAN.finditer(body)}
    named |= {short + kind for short in (m.group(1) for m in WELL_KNOWN.finditer(body))}
    counties = {name for name in named if name.endswith(kind) and len(gazetteer.lookup(name)) == 1}
    if len(counties) != 1:
        return None
    county = next(iter(counties))
    return county, f"the report speaks as 全{kind} and names {county} only (its own plans, 法治{county[:-1]})"


GOVERNMENT_DOCUMENT = re.compile(r"《(?:\d{4}年度?)?(?P<name>[\u4e00-\u9fff]{2,8}?(?P<kind>县|区|旗))人民政府(?!关于印发)")


def own_government_document(opening: str, body: str) -> tuple[str, str] | None:
    """(the county's government, how) for a report that speaks as a bare 县人民政府 (`现将县人民政府
    2022年…报告如下`, `2022年，县政府坚持…`) and names itself only in the rules it made
    (`制定了《华容县人民政府常务会会前学法制度》`): one county of that kind, unique in the gazetteer."""
    match = OWN_COUNTY.search(opening)
    if match is None or OTHER_SELF.search(body):
        return None
    kind = match.group("kind") or match.group("said")
    titles = " ".join(found.group("titles") for found in OWN_DOCUMENTS.finditer(body))
    names = {found.group("name") for found in GOVERNMENT_DOCUMENT.finditer(titles)
             if found.group("kind") == kind and len(gazetteer.lookup(found.group("name"))) == 1}
    if len(names) != 1:
        return None
    name = next(iter(names)) + "人民政府"
    return name, f"the report speaks as {kind}人民政府 and names its own rules 《{name}…》"
