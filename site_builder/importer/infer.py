"""Front-matter fields from what the document and its page say, each with where it came from; a
field nothing states is left out with the reason (the import summary and the file say it).
Every value is read, none is guessed: a place mentioned in passing, a site's own name and
today's date in its header, an aggregator's headline — none becomes a field."""

from __future__ import annotations

import re
from dataclasses import dataclass

from site_builder.importer import metadata as md
from site_builder.importer import places
from site_builder.importer.lines import Line
from site_builder.importer.titles import Title, clean_title, is_title, org_names
from site_builder.names import to_simplified

DOC_NUMBER_LINE = re.compile(r"^[\u4e00-\u9fff]{1,12}[〔\[【(（]\s*\d{4}\s*[〕\]】)）]\s*\d{1,4}\s*号$")
TITLE_ISSUERS = re.compile(rf"^((?:(?:中共)?[\u4e00-\u9fff（）()]{{2,30}}?{md.ORG_SUFFIX}\s*)+?)(?=关于|\d{{4}}\s*年)")

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
    if labelled and is_title(labelled[0]):
        meta["title"] = md.Inferred(clean_title(labelled[0]), f"page label 标题 (line {labelled[1]})")
    elif evidence.original_title is not None:
        meta["title"] = md.Inferred(evidence.original_title.text, f"title ({_lines(evidence.original_title.lines)})")
    elif (tag := page.get("ArticleTitle") or page.get("title")) and is_title(tag[0]):
        meta["title"] = md.Inferred(clean_title(tag[0]), "the page's own title tag")
    else:
        reasons["title"] = "no line before the body names the report (法治政府建设 … 报告/情况); an opening sentence is not a title"


def _lines(numbers: tuple[int, ...]) -> str:
    return f"line {numbers[0]}" if len(numbers) == 1 else f"lines {numbers[0]}–{numbers[-1]}"


def _unit(evidence: Evidence, meta: dict[str, md.Inferred], reasons: dict[str, str]) -> None:
    signature = [line for line in evidence.closing if md.is_org_line(line.text)]
    title = _plain_title(evidence, meta)
    prefix = TITLE_ISSUERS.match(title)
    issuers = [line for line in evidence.block if org_names(line.text) and not (evidence.title and line.number in evidence.title.lines)]
    page_unit = evidence.page.get("page_unit")
    if signature:
        meta["unit"] = md.Inferred("、".join(line.text for line in signature), f"signature (line {signature[0].number})")
    elif prefix:
        meta["unit"] = md.Inferred("、".join(prefix.group(1).split()), "title, the issuers before 关于 or the year")
    elif evidence.title and evidence.title.issuers:
        meta["unit"] = md.Inferred("、".join(evidence.title.issuers), f"the line above the title (line {evidence.title.lines[0]})")
    elif issuers:
        meta["unit"] = md.Inferred("、".join(n for line in issuers for n in org_names(line.text)), f"above the title (line {issuers[0].number})")
    elif page_unit and md.is_org_line(page_unit[0]) and "网站" not in page_unit[0]:
        meta["unit"] = md.Inferred(page_unit[0], f"page label 发布机构 (line {page_unit[1]})")
    elif (site := _site_unit(evidence)) is not None:
        meta["unit"] = site
    else:
        reasons["unit"] = "no signature, no issuer above or in the title, and no 发布机构 on the page"


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


def _places(evidence: Evidence, meta: dict[str, md.Inferred], reasons: dict[str, str]) -> None:
    found = _named_places(_place_sources(evidence, meta))
    if "town" not in found and "department" not in found and "county" not in found and "city" not in found:
        _place_in_body(evidence, found)
    place = places.Place(*(found.get(k, ("", ""))[0] for k in ("province", "city", "county", "town", "department")))
    level = place.level
    if level in ("镇", "乡", "街道") and "county" not in found:
        _county_of_town(evidence, place, found)
        place = places.Place(place.province, place.city, found.get("county", ("", ""))[0], place.town, place.department)
    _place_fields(place, level, found, meta)
    if "province" not in meta and (place.county or place.city):
        province, how = places.province_of(place)
        if province:
            meta["province"] = md.Inferred(province, how)
    for key, why in (("town", "no town, county or department named in the unit, the title or the opening"),
                     ("county", "no county named in the unit, the title, the salutation or 在…县委 in the opening"),
                     ("province", "no province named, and the gazetteer cannot place the county")):
        if key not in meta:
            reasons[key] = why


def _place_sources(evidence: Evidence, meta: dict[str, md.Inferred]) -> list[tuple[str, str]]:
    """The texts that name the report's place, best first, each with where it was found."""
    sources = [(str(meta["unit"].value), meta["unit"].source)] if "unit" in meta else []
    if evidence.title:
        sources.append((evidence.title.text, f"title ({_lines(evidence.title.lines)})"))
    elif "title" in meta:
        sources.append((_plain_title(evidence, meta), meta["title"].source))
    page_unit = evidence.page.get("page_unit")
    if page_unit:
        sources.append((page_unit[0], f"page label 发布机构 (line {page_unit[1]})"))
    return sources


def _named_places(sources: list[tuple[str, str]]) -> dict[str, tuple[str, str]]:
    found: dict[str, tuple[str, str]] = {}
    for text, where in sources:
        for name in text.split("、"):
            place = places.place_in(name)
            for key in ("province", "city", "county", "town", "department"):
                value = getattr(place, key)
                if value and key not in found:
                    found[key] = (value, where)
    return found


def _place_in_body(evidence: Evidence, found: dict[str, tuple[str, str]]) -> None:
    """The town (or county) the opening or the body names, when nothing else named a place."""
    body = [text for text, _ in evidence.body]
    opening = places.town_in_opening(body)
    if opening:
        found["town"] = (opening[0], f"opening sentence: {opening[1]}…")
    elif (named := places.town_from_body(evidence.body)) is not None:
        found["town"] = (str(named.value), named.source)
    elif (own := places.county_in_opening(body)) is not None:
        found["county"] = (own[0], f"opening sentence: {own[1]}…")


def _county_of_town(evidence: Evidence, place: places.Place, found: dict[str, tuple[str, str]]) -> None:
    """A town's county, when its name does not say it: from the page's source label, the
    salutation, the opening or the body."""
    source = evidence.page.get("source")
    county = places.county_in_recipients(evidence.recipients)
    of_source = places.place_in(source[0]) if source else places.Place()
    if source and of_source.county and of_source.town == place.town:
        found["county"] = (of_source.county, f"page label 来源: {source[0]} (line {source[1]}), the same town")
    elif county:
        found["county"] = (county, f"salutation: {evidence.recipients}")
    elif (dominant := places.dominant_county(evidence.body)) is not None:
        found["county"] = (dominant[0], f"opening: 在{dominant[0]}委 … (line {dominant[1]})")
    elif (counted := places.county_from_body(evidence.body, evidence.recipients)) is not None:
        found["county"] = (str(counted.value), counted.source)


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
        if re.search(r"报告如下|以来|年度|年，|年,", text) and (year := md.report_year(text)):
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
    for key, how in (("published", "page label 发布日期"), ("PubDate", "the page's PubDate tag")):
        if key in page and (date := _page_date(page[key][0])):
            meta["published"] = md.Inferred(date, f"{how} (line {page[key][1]})" if page[key][1] else how)
            break
    else:
        reasons["published"] = "the page gives no 发布日期 (a date in the site's header is today's, not the report's)"


def _page_date(value: str) -> object:
    return md.parse_date(value.split()[0]) if value.split() else None


def _numbers(evidence: Evidence, meta: dict[str, md.Inferred]) -> None:
    page = evidence.page
    if "index_no" in page and page["index_no"][0].split():
        meta["index_no"] = md.Inferred(page["index_no"][0].split()[0], f"page label 索引号 (line {page['index_no'][1]})")
    if "doc_no" in page:
        meta["doc_no"] = md.Inferred(page["doc_no"][0], f"page label 文号 (line {page['doc_no'][1]})")
        return
    for line in evidence.block:
        if DOC_NUMBER_LINE.match(line.text.strip()):
            meta["doc_no"] = md.Inferred(line.text.strip(), f"document number above the title (line {line.number})")
            return
