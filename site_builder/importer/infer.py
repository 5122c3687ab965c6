"""Front-matter fields from what the document and its page say, each with where it came from; a
field nothing states is left out with the reason (the import summary and the file say it).
Every value is read, none is guessed: a place mentioned in passing, a site's own name and
today's date in its header, an aggregator's headline — none becomes a field."""

from __future__ import annotations

import re
from dataclasses import dataclass

from site_builder.importer import gazetteer, places, speaker
from site_builder.importer import metadata as md
from site_builder.importer.lines import Line
from site_builder.importer.titles import Title, clean_title, is_title, org_names
from site_builder.names import to_simplified

DOC_NUMBER_LINE = re.compile(r"^[\u4e00-\u9fff]{1,12}[〔\[【(（]\s*\d{4}\s*[〕\]】)）]\s*\d{1,4}\s*号$")
YEAR_THEN_ISSUER = re.compile(rf"^\d{{4}}\s*年度?\s*([\u4e00-\u9fff（）()]{{2,30}}?{md.ORG_SUFFIX})(?=法治|依法)")
"""`2023年度某区某镇人民政府法治政府建设情况报告`: the issuer after the year."""
TITLE_ISSUERS = re.compile(rf"^((?:(?:中共)?[\u4e00-\u9fff（）()]{{2,30}}?{md.ORG_SUFFIX}\s*)+?)(?=关于|\d{{4}}\s*年)")

NEWS_COPY = re.compile(r"^[\u4e00-\u9fff]{1,8}(?:网|社|报|新闻|客户端)\s*(?:\d{4}年)?\d{1,2}月\d{1,2}日电|^据[\u4e00-\u9fff]{2,12}网站?消息")
"""A news report's dateline: the page copies a report from a news wire, with the wire's date."""

FIRST_HEADING_YEAR = re.compile(r"^[一1][、.．]\s*\d{4}年度?(?:推进)?(?:法治政府建设|工作)")
"""`一、2023年法治政府建设情况` as the first heading of a report whose opening says only 今年以来."""

Page = dict[str, tuple[str, int]]


@dataclass
class Evidence:
    """What the metadata is read from, texts already made simplified."""

    title: Title | None
    block: list[Line]
    """The lines before the body (title, issuers, a document number)."""
    closing: list[Line]
    """The signature and date at the end."""
    page: Page
    """Labelled values of the page (labels.py), <meta> tags, the site's name (`site`)."""
    recipients: str
    body: list[tuple[str, int]]
    """Body paragraphs (simplified) with their lines."""
    original_title: Title | None = None
    """The title as written (traditional characters kept)."""


def infer(evidence: Evidence) -> tuple[dict[str, md.Inferred], dict[str, str]]:
    meta: dict[str, md.Inferred] = {}
    reasons: dict[str, str] = {}
    _title(evidence, meta, reasons)
    _unit(evidence, meta, reasons)
    _places(evidence, meta, reasons)
    _year(evidence, meta, reasons)
    _dates(evidence, meta, reasons)
    _numbers(evidence, meta)
    if evidence.recipients:
        meta["recipients"] = md.Inferred(evidence.recipients, "salutation")
    return meta, reasons


def _title(evidence: Evidence, meta: dict[str, md.Inferred], reasons: dict[str, str]) -> None:
    page = evidence.page
    labelled = page.get("page_title")
    if labelled and is_title(to_simplified(labelled[0])):
        meta["title"] = md.Inferred(clean_title(labelled[0]), f"page label 标题 (line {labelled[1]})")
    elif evidence.original_title is not None:
        meta["title"] = md.Inferred(evidence.original_title.text, f"title ({_lines(evidence.original_title.lines)})")
    elif (tag := page.get("ArticleTitle") or page.get("title")) and is_title(to_simplified(tag[0])):
        meta["title"] = md.Inferred(clean_title(tag[0]), "the page's own title tag")
    else:
        reasons["title"] = "no line before the body names the report (法治政府建设 … 报告/情况); an opening sentence is not a title"


def _lines(numbers: tuple[int, ...]) -> str:
    return f"line {numbers[0]}" if len(numbers) == 1 else f"lines {numbers[0]}–{numbers[-1]}"


def _unit(evidence: Evidence, meta: dict[str, md.Inferred], reasons: dict[str, str]) -> None:
    signature = [line for line in evidence.closing if md.is_org_line(line.text)]
    title = _plain_title(evidence, meta)
    prefix = _title_issuers(title)
    issuers = [line for line in evidence.block if org_names(line.text) and not (evidence.title and line.number in evidence.title.lines)
               and not _site_department(line.text, title) and not _leads_elsewhere(evidence, line.text)]
    page_unit = _issuing_page_unit(evidence, title)
    if signature:
        meta["unit"] = md.Inferred("、".join(line.text for line in signature), f"signature (line {signature[0].number})")
    elif prefix:
        meta["unit"] = md.Inferred("、".join(prefix.group(1).split()), "title, the issuers before 关于 or the year")
    elif after_year := YEAR_THEN_ISSUER.match(title):
        meta["unit"] = md.Inferred(after_year.group(1), "title, the issuer after the year")
    elif evidence.title and evidence.title.issuers:
        meta["unit"] = md.Inferred("、".join(evidence.title.issuers), f"the line above the title (line {evidence.title.lines[0]})")
    elif issuers:
        meta["unit"] = md.Inferred("、".join(n for line in issuers for n in org_names(line.text)), f"above the title (line {issuers[0].number})")
    elif page_unit and md.is_org_line(page_unit[0]) and "网站" not in page_unit[0]:
        meta["unit"] = md.Inferred(page_unit[0], f"page label 发布机构 (line {page_unit[1]})")
    elif (site := _site_unit(evidence)) is not None:
        meta["unit"] = site
    elif (crumb := _breadcrumb_unit(evidence, title)) is not None:
        meta["unit"] = crumb
    elif (spoken := speaker.opening_org([text for text, _ in evidence.body[:2]], _all_text(evidence),
                                        evidence.page.get("site", ("", 0))[0])) is not None:
        meta["unit"] = md.Inferred(*spoken)
    elif not places.place_in(title).town and \
            (government := speaker.opening_government([text for text, _ in evidence.body[:2]], _all_text(evidence))) is not None:
        meta["unit"] = md.Inferred(*government)
    elif (office := speaker.opening_town_office([text for text, _ in evidence.body[:2]])) is not None and \
            places.place_in(title).town in ("", places.place_in(office[0]).town):
        meta["unit"] = md.Inferred(*office)
    elif not places.place_in(title).town and \
            (own := speaker.own_document_org([text for text, _ in evidence.body[:2]], _all_text(evidence))) is not None:
        meta["unit"] = md.Inferred(*own)
    elif not title and (government := speaker.own_government_document(" ".join(t for t, _ in evidence.body[:3]),
                                                                       _all_text(evidence))) is not None:
        meta["unit"] = md.Inferred(*government)
    else:
        reasons["unit"] = "no signature, no issuer above or in the title, and no 发布机构 on the page"
    if "unit" in meta and places.place_in(str(meta["unit"].value)).empty:
        del meta["unit"]  # 街道办事处, 镇人民政府: an organisation without its name (a copy masked it)
        reasons["unit"] = "the issuer is written without its name (街道办事处, 镇人民政府)"


def _title_issuers(title: str) -> re.Match[str] | None:
    """The issuers before 关于 or the year — unless they are departments named by their place's
    kind alone (`市人力资源社会保障局2020年…`: which city's, the title does not say)."""
    prefix = TITLE_ISSUERS.match(title)
    return None if prefix and all(places.placeless_department(name) for name in prefix.group(1).split()) else prefix


def _site_department(line: str, title: str) -> bool:
    """A department's name above a title that names a place and no department (`黑龙江省司法厅`
    over `黑龙江省2021年…报告`): the name of the site the page is on, not the report's issuer."""
    of_title = places.place_in(title)
    return bool(title) and not of_title.department and not of_title.empty and \
        all(places.place_in(name).department for name in org_names(line))


def _page_unit(page: Page) -> tuple[str, int] | None:
    """The 发布机构 label's organisation; a word a mirror site put before it with a colon
    (`澳门皇冠:某镇人民政府`) is not part of the name."""
    found = page.get("page_unit")
    if found is None or md.is_org_line(found[0]):
        return found
    tail = re.split(r"[:：]", found[0])[-1].strip()
    return (tail, found[1]) if tail != found[0] and md.is_org_line(tail) else found


def _issuing_page_unit(evidence: Evidence, title: str) -> tuple[str, int] | None:
    """The 发布机构 label, unless it names a department that only posted a place's own report:
    `发布机构: 某区司法局` over `某区2024年法治政府建设工作报告` (the title names a place, no department)."""
    page_unit = _page_unit(evidence.page)
    if page_unit is None or not title:
        return page_unit
    of_label, of_title = places.place_in(page_unit[0]), places.place_in(title)
    posted_only = of_label.department and not of_title.department and not of_title.empty
    return None if posted_only else page_unit


def _leads_elsewhere(evidence: Evidence, line: str) -> bool:
    """A department's name above a report whose first sentence makes a province or a city its
    subject (`青海省司法厅` over `2024年，青海省委、省政府坚持…`): the site's name, not the issuer."""
    opening = evidence.body[0][0] if evidence.body else ""
    return bool(places.place_in(line).department) and speaker.own_place_in_opening(opening, _all_text(evidence)) is not None


def _plain_title(evidence: Evidence, meta: dict[str, md.Inferred]) -> str:
    """The title read (from the document or a page label), in simplified characters."""
    if evidence.title is not None:
        return evidence.title.text
    return to_simplified(str(meta["title"].value)) if "title" in meta else ""


def _site_unit(evidence: Evidence) -> md.Inferred | None:
    """A county's, city's or province's own government whose site the page is from, when the
    title is about that very place (静海区2023年度… on 天津市静海区人民政府's site)."""
    site = evidence.page.get("site")
    if site is None or evidence.title is None or not site[0].endswith("人民政府"):
        return None
    of_site, of_title = places.place_in(site[0]), places.place_in(evidence.title.text)
    same = of_title.county or of_title.city or of_title.province
    if not of_title.town and same and (of_site.county or of_site.city or of_site.province) == same:
        return md.Inferred(site[0], f"the site's name in its header (line {site[1]}), the place of the title")
    return None


def _all_text(evidence: Evidence) -> str:
    return " ".join(text for text, _ in evidence.body)


def _breadcrumb_unit(evidence: Evidence, title: str) -> md.Inferred | None:
    """The organisation in the page's location bar (`首页 > 乡镇信息公开 > 某镇人民政府 > …`), when
    the title is about that very town or department: the page is that organisation's."""
    crumb = evidence.page.get("breadcrumb")
    if crumb is None or not title:
        return None
    of_crumb, of_title = places.place_in(crumb[0]), places.place_in(title)
    same = (of_crumb.town and of_crumb.town == of_title.town) or (of_crumb.department and of_crumb.department == of_title.department)
    return md.Inferred(crumb[0], f"the page's location bar (line {crumb[1]}), naming the title's {of_title.town or of_title.department}") \
        if same else None


Found = dict[str, tuple[str, str]]
"""Place field → (value, where it was read)."""


def _places(evidence: Evidence, meta: dict[str, md.Inferred], reasons: dict[str, str]) -> None:
    found = _named(evidence, meta)
    if not {"town", "department", "county", "city"} & set(found):
        _from_opening(evidence, found)
    place = places.Place(*(found.get(k, ("", ""))[0] for k in ("province", "city", "county", "town", "department")))
    level = place.level
    if level in ("镇", "乡", "街道") and "county" not in found:
        _town_county(evidence, place.town, found)
        place = places.Place(place.province, found.get("city", ("", ""))[0], found.get("county", ("", ""))[0], place.town,
                             place.department)
    if not level and (unnamed := _unnamed(evidence, found)) is not None:
        place, level = unnamed
    _place_fields(place, level, found, meta)
    if not level and (said := speaker.self_level(_all_text(evidence))) is not None:
        meta["level"] = md.Inferred(said[0], f"the report calls itself {said[1]}; its name is not given")
    elif not level and (department := speaker.unnamed_department([t for t, _ in evidence.body], _all_text(evidence))):
        meta["level"] = md.Inferred("部门", f"opening sentence: {department} (a department's report; its name is not given)")
    if "province" not in meta and (place.county or place.city):
        province, how = places.province_of(place)
        if province:
            meta["province"] = md.Inferred(province, how)
    for key, why in (("town", "no town, county or department named in the unit, the title or the opening"),
                     ("county", "no county named in the unit, the title, the salutation or 在…县委 in the opening"),
                     ("province", "no province named, and the gazetteer cannot place the county")):
        if key not in meta:
            reasons[key] = why


def _named(evidence: Evidence, meta: dict[str, md.Inferred]) -> Found:
    """The places the unit, the title and the 发布机构 label name, the first source of each kept."""
    sources = [(str(meta["unit"].value), meta["unit"].source)] if "unit" in meta else []
    if evidence.title:
        sources.append((evidence.title.text, f"title ({_lines(evidence.title.lines)})"))
    elif "title" in meta:
        sources.append((_plain_title(evidence, meta), meta["title"].source))
    page_unit = _issuing_page_unit(evidence, _plain_title(evidence, meta))
    if page_unit:
        sources.append((page_unit[0], f"page label 发布机构 (line {page_unit[1]})"))
    found: Found = {}
    for text, where in sources:
        for name in text.split("、"):
            place = places.place_in(name)
            for key in ("province", "city", "county", "town", "department"):
                value = getattr(place, key)
                if value and key not in found:
                    found[key] = (value, where)
    return found


def _from_opening(evidence: Evidence, found: Found) -> None:
    """A town or county nothing else names, read from the opening (or a town the body dwells on)."""
    body = [text for text, _ in evidence.body]
    if (opening := places.town_in_opening(body)) is not None:
        found["town"] = (opening[0], f"opening sentence: {opening[1]}…")
    elif (named := places.town_from_body(evidence.body)) is not None:
        found["town"] = (str(named.value), named.source)
    elif (own := places.county_in_opening(body)) is not None:
        found["county"] = (own[0], f"opening sentence: {own[1]}…")
    elif body and (lead := speaker.own_place_in_opening(body[0], _all_text(evidence))) is not None:
        key, name, how = lead
        found[key] = (name, how)
        if key == "city":
            found["province"] = (gazetteer.cities()[name], f"gazetteer: {name} → {gazetteer.cities()[name]}")


def _town_county(evidence: Evidence, town: str, found: Found) -> None:
    """A town's county: a 来源 label naming the same town, the salutation, 在某县委 in the opening,
    the body's mentions, or 法治某某 (a county's short name)."""
    source = evidence.page.get("source")
    of_source = places.place_in(source[0]) if source else places.Place()
    if source and of_source.county and of_source.town == town:
        found["county"] = (of_source.county, f"page label 来源: {source[0]} (line {source[1]}), the same town")
    elif county := places.county_in_recipients(evidence.recipients):
        found["county"] = (county, f"salutation: {evidence.recipients}")
    elif (dominant := places.dominant_county(evidence.body)) is not None:
        found["county"] = (dominant[0], f"opening: 在{dominant[0]}委 … (line {dominant[1]})")
        if dominant[2] and "city" not in found:
            found["city"] = (dominant[2], f"opening: 在{dominant[2]}{dominant[0]}委 … (line {dominant[1]})")
    elif (counted := places.county_from_body(evidence.body, evidence.recipients)) is not None:
        found["county"] = (str(counted.value), counted.source)
    elif (short := speaker.county_by_short_name(_all_text(evidence), town)) is not None:
        found["county"] = short


def _unnamed(evidence: Evidence, found: Found) -> tuple[places.Place, str] | None:
    """(place, level) of a province's, county's or city's own report that never writes its name
    where a name stands: 法治内蒙古 with 我区, 区政府 as the opening's subject, 我市."""
    text = _all_text(evidence)
    if (own := speaker.own_province(text)) is not None:
        found["province"] = own
        return places.Place(province=own[0]), "省"
    subject = speaker.own_county(" ".join(t for t, _ in evidence.body[:3]), text) if evidence.body else None
    if subject is not None and subject[1]:
        found["county"] = (subject[1], subject[2])
        return places.Place(county=subject[1]), "县区"
    if (whole := speaker.county_speaking_as_whole(text)) is not None:
        found["county"] = whole
        return places.Place(county=whole[0]), "县区"
    if (plan := speaker.own_document_county(text)) is not None:
        found["county"] = plan
        return places.Place(county=plan[0]), "县区"
    if (city := speaker.own_city(text)) is not None:
        found["city"] = city
        province = gazetteer.cities()[city[0]]
        found["province"] = (province, f"gazetteer: {city[0]} → {province}")
        return places.Place(province=province, city=city[0]), "市"
    return None


def _place_fields(place: places.Place, level: str, found: dict[str, tuple[str, str]], meta: dict[str, md.Inferred]) -> None:
    """town, county, province (and level when the town's suffix does not say it)."""
    if not level:
        return
    where = {key: value[1] for key, value in found.items()}
    if level in ("镇", "乡", "街道"):
        meta["town"] = md.Inferred(place.town, where["town"])
        if place.county:
            meta["county"] = md.Inferred(place.county, where["county"])
    elif level == "部门":
        meta["town"] = md.Inferred(place.department, where["department"])
        if place.county:
            meta["county"] = md.Inferred(place.county, where["county"])
        meta["level"] = md.Inferred("部门", f"a department's report ({place.department})")
    elif level == "县区":
        meta["town"] = meta["county"] = md.Inferred(place.county, f"{where['county']}: the county's own report")
    elif level == "市":
        meta["town"] = meta["county"] = md.Inferred(place.city, f"{where['city']}: the city's own report")
        meta["level"] = md.Inferred("市", f"{place.city} is a city (gazetteer)")
    else:
        meta["town"] = meta["county"] = md.Inferred(place.province, f"{where['province']}: the province's own report")
        meta["level"] = md.Inferred("省", f"{place.province} is a province")
    if place.province:
        meta["province"] = md.Inferred(place.province, where["province"])


def _year(evidence: Evidence, meta: dict[str, md.Inferred], reasons: dict[str, str]) -> None:
    title = _plain_title(evidence, meta)
    year = md.report_year(title) if title else None
    if year:
        meta["year"] = md.Inferred(year, "title")
        return
    for text, line in evidence.body[:3]:
        if text.startswith("今年") and not re.search(r"现将.{0,30}?\d{4}年", text):
            continue  # 今年以来 … 2022年，某所获评…: this year is not written, the years it names are others'
        if (re.search(r"报告如下|以来|年度|年，|年,|现将.{0,30}?\d{4}年.{0,30}?报告", text) or FIRST_HEADING_YEAR.match(text)) \
                and (year := md.report_year(text)):
            meta["year"] = md.Inferred(year, f"opening paragraph (line {line})")
            return
    reasons["year"] = "no year in the title or the opening paragraph"


def _dates(evidence: Evidence, meta: dict[str, md.Inferred], reasons: dict[str, str]) -> None:
    page = evidence.page
    dates = [(md.date_line(line.text), line.number) for line in evidence.closing]
    dated = [(d, n) for d, n in dates if d]
    if dated:
        meta["signed"] = md.Inferred(dated[-1][0], f"date under the signature (line {dated[-1][1]})")
    elif "signed" in page and (date := _page_date(page["signed"][0])):
        meta["signed"] = md.Inferred(date, f"page label 成文日期 (line {page['signed'][1]})")
    else:
        reasons["signed"] = "no date under the signature and no 成文日期 on the page"
    if evidence.body and NEWS_COPY.match(evidence.body[0][0]):
        reasons["published"] = "the page is a news site's copy (中新网…电): its date is the copy's, not the report's"
        return
    for key, how in (("published", "page label 发布日期"), ("PubDate", "the page's PubDate tag")):
        if key in page and (date := _page_date(page[key][0])):
            meta["published"] = md.Inferred(date, f"{how} (line {page[key][1]})" if page[key][1] else how)
            break
    else:
        reasons["published"] = "the page gives no 发布日期 (a date in the site's header is today's, not the report's)"


PORTAL_PLACEHOLDER = re.compile(r"(?i)(?:none|null|undefined|nan)$")
"""What a portal prints for a number its database lacks (`…/2023-None`): no 索引号, not a value to copy."""


def _page_date(value: str) -> object:
    return md.parse_date(value.split()[0]) if value.split() else None


def _numbers(evidence: Evidence, meta: dict[str, md.Inferred]) -> None:
    page = evidence.page
    if "index_no" in page and page["index_no"][0].split() and not PORTAL_PLACEHOLDER.search(page["index_no"][0].split()[0]):
        meta["index_no"] = md.Inferred(page["index_no"][0].split()[0], f"page label 索引号 (line {page['index_no'][1]})")
    if "doc_no" in page and re.search(r"\d", page["doc_no"][0]):  # a number has digits (文号:无 is none)
        meta["doc_no"] = md.Inferred(page["doc_no"][0], f"page label 文号 (line {page['doc_no'][1]})")
        return
    for line in evidence.block:
        if DOC_NUMBER_LINE.match(line.text.strip()):
            meta["doc_no"] = md.Inferred(line.text.strip(), f"document number above the title (line {line.number})")
            return
