"""Where a report is from, and at what level: a town's (镇, 乡, 街道), a county's own (县区), a
department's (部门), a city's (市) or a province's (省). Names are bounded by the gazetteer (counties
and cities from the national division codes) and by suffix rules — never by a window of
characters — and read from text already made simplified (雙溪鎮 → 双溪镇).

For a county's, city's or province's own report the town is that place itself (and the county
too, for a city or a province), so the region tree lists it; a department's town is the
department. A place mentioned in passing in the body never becomes the report's county."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from site_builder.importer import gazetteer
from site_builder.importer import metadata as md
from site_builder.importer.metadata import COMMISSION, COMPANY, FUNCTION_CHARS, GENERIC_STEMS, NOT_TOWNS

TOWN_SUFFIX = r"(?:镇|乡|街道)"
STEM_CHARS = r"[\u4e00-\u9fff]"
AFTER_TOWN = r"(?=人民政府|党委|委员会|工作委员会|党工委|工委|政府|办事处|\d|关于|法治|年|$|[^\u4e00-\u9fff])"
DEPARTMENT = re.compile(rf"(?:局|厅|部|委员会|办公室|中心|所|院|站|{COMMISSION})$")
NOT_STEM = re.compile(r"政府|人民|委员|党委|办事|[县区市]委|乡镇|城乡|中共")


@dataclass(frozen=True)
class Place:
    province: str = ""
    city: str = ""
    county: str = ""
    town: str = ""
    department: str = ""

    @property
    def level(self) -> str:
        if self.town:
            return "街道" if self.town.endswith("街道") else self.town[-1]
        if self.department:
            return "部门"
        if self.county:
            return "县区"
        if self.city:
            return "市"
        return "省" if self.province else ""

    @property
    def empty(self) -> bool:
        return not (self.province or self.city or self.county or self.town or self.department)


def _first(names: list[str], text: str) -> tuple[str, int]:
    """The name of `names` found earliest in `text` (the longest at that place), and its end."""
    best, start = "", len(text) + 1
    for name in names:
        index = text.find(name)
        if 0 <= index < start or (index == start and len(name) > len(best)):
            best, start = name, index
    return (best, start + len(best)) if best else ("", -1)


def _valid_stem(stem: str, in_text: bool = True) -> bool:
    """A town's name without its suffix. In running text (`in_text`) a function word (我, 在, 的 …)
    marks a phrase, not a name; in an organisation's name the suffix bounds it (通和镇, 和平镇)."""
    if len(stem) < 2 or stem in GENERIC_STEMS or NOT_STEM.search(stem) or "某" in stem:
        return False  # 某某镇: a name masked by the copying site, not a town
    return not (in_text and set(stem) & FUNCTION_CHARS)


def place_in(text: str) -> Place:
    """The place an organisation's name or a title is about: 宿州市灵璧县人民政府 → county 灵璧县 (city
    宿州市); 中共黎阳镇委员会 → town 黎阳镇; 丰县司法局 → the department of county 丰县."""
    text = COMPANY.sub(" ", text.strip())
    province, _ = _first(sorted(gazetteer.provinces(), key=len, reverse=True), text)
    city, city_end = _first([c for c in gazetteer.cities() if c in text], text)
    county, county_end = _first(list(_county_names_in(text)), text)
    if county and city and county == city:
        city = ""
    town = _town_in(text, max(county_end, city_end, 0))
    department = ""
    if not town and DEPARTMENT.search(text) and not text.startswith("中共") and not text.endswith(("人民政府", "办事处")):
        department = text[text.find(county or city):] if (county or city) else text
    if department and city and not county:
        county = _branch_county(department, city)
    if city and not province:
        province = gazetteer.cities()[city]
    return Place(province, city, county, town, department)


PLACELESS = re.compile(r"^(?:省|市|县|区|州|盟|旗|自治区|自治州|高新区|开发区|经开区|新区)(?=[\u4e00-\u9fff]{2})")
"""A department named by the kind of its place only (`市人力资源社会保障局`, `州生态环境局`,
`高新区社会事务局`): not an organisation's name, whatever place a reader could guess."""


def placeless_department(name: str) -> bool:
    place = place_in(name)
    return bool(PLACELESS.match(name)) and bool(place.department) and not (place.province or place.city or place.county or place.town)


BRANCH = re.compile(r"局(?P<stem>[\u4e00-\u9fff]{1,4}?)分局$")


def _branch_county(department: str, city: str) -> str:
    """`某市公安局武江分局`: the city bureau's branch in its district 武江区 (the city's only county
    of that stem in the gazetteer), or ''."""
    match = BRANCH.search(department)
    if match is None:
        return ""
    names = [match.group("stem") + suffix for suffix in "区县市旗"]
    found = [name for name in names if any(county.city == city for county in gazetteer.lookup(name))]
    return found[0] if len(found) == 1 else ""


def _county_names_in(text: str) -> list[str]:
    names = gazetteer.counties()
    found = []
    for match in re.finditer(r"[\u4e00-\u9fff]{1,12}?(?:区|县|市|旗)", text):
        for start in range(len(match.group())):
            candidate = match.group()[start:]
            if candidate in names and len(candidate) >= 2:
                found.append(candidate)
                break
    return found


def _town_in(text: str, after: int) -> str:
    """A town named right after the county (or city) in `text`, or at the start of a name."""
    rest = text[after:] if after > 0 else text
    if after > 0:
        rest = rest.removeprefix("人民政府")  # 某县人民政府某某街道办事处: the office is the county's
    match = re.match(rf"^(?:中共)?({STEM_CHARS}{{1,6}}?{TOWN_SUFFIX}){AFTER_TOWN}", rest)
    if not match and after <= 0:
        match = re.search(rf"(?:^|中共|[\s、，,（(])({STEM_CHARS}{{1,6}}?{TOWN_SUFFIX})(?=人民政府|委员会|工作委员会|党委|党工委|工委|办事处)", text)
    if not match:
        return ""
    name = match.group(1)
    stem = name.removesuffix("街道").removesuffix("镇").removesuffix("乡")
    return name if name not in NOT_TOWNS and _valid_stem(stem, in_text=False) else ""


OPENING_TOWN = re.compile(rf"(?:^|[，,。；;、\s]|现将|在|由)({STEM_CHARS}{{2,6}}?{TOWN_SUFFIX})(?=[^\u4e00-\u9fff]|\d|坚持|坚定|始终|深入|认真|全面|紧紧|围绕|在|以|把|将|按照|立足|扎实|积极|持续|着力|大力|落实|推进|贯彻|聚焦|紧扣|狠抓|强化|加强|法治|依法|年度|工作|党委|人民政府|办事处)")


def town_in_opening(paragraphs: list[str]) -> tuple[str, str] | None:
    """(town, the sentence) when the opening names the report's own town — `…领导下,某某街道深入学习…`,
    `现将某镇2020年度…报告如下` — and the report speaks of itself as that kind of place (我街道, 本镇)
    or names it again. One name only: two different towns in the opening are not a reason to pick."""
    opening = " ".join(paragraphs[:2])
    names = _opening_names(OPENING_TOWN, opening)
    if len(set(names)) != 1 or len(set(_opening_names(ANY_OPENING_TOWN, opening))) > 1:
        return None
    name = names[0]
    kind = "街道" if name.endswith("街道") else name[-1]
    text = " ".join(paragraphs)
    if any(word + kind in text for word in ("我", "本", "全")) or text.count(name) >= 2 or (kind == "街道" and "全街" in text):
        return name, opening[:60]
    subject = SUBJECT_TOWN.search(paragraphs[0]) if paragraphs else None
    if subject is not None and subject.group(1).endswith(name) and not OTHER_SELF.search(text) \
            and _towns_named(paragraphs[0]) == {name}:
        return name, opening[:60]  # `2024年，某镇始终坚持…`: the first sentence's subject, the one town it names
    return None


def _towns_named(text: str) -> set[str]:
    """Every town name in running text, a function word before it cut off (`与红寺堡镇` → 红寺堡镇)."""
    names = set()
    for match in re.finditer(rf"[\u4e00-\u9fff]{{2,9}}?{TOWN_SUFFIX}", text):
        phrase = match.group()
        for start in range(len(phrase) - 2):
            name = phrase[start:]
            stem = name.removesuffix("街道").removesuffix("镇").removesuffix("乡")
            if name not in NOT_TOWNS and _valid_stem(stem):
                names.add(name)
                break
    return names


SUBJECT_TOWN = re.compile(rf"(?:^\d{{4}}年(?:度|以来)?[，,]|(?:领导|引领|指导)下[，,])({STEM_CHARS}{{2,6}}?{TOWN_SUFFIX})"
                          r"(?=坚持|始终|深入|认真|全面|紧紧|围绕|在|以|按照|立足|扎实|积极|持续|着力|大力|坚定)")
"""A town as the subject of the report's first sentence: after its year or after 在…领导下."""
OTHER_SELF = re.compile(r"[我本](?:县|区|市|局|厅|委|部|办)")
"""The report speaks as a county, a city or a department: a town its opening names is not its own."""


ANY_OPENING_TOWN = re.compile(rf"(?:^|[，,。；;、\s]|现将|在|由)({STEM_CHARS}{{2,6}}?{TOWN_SUFFIX})")


def _opening_names(pattern: re.Pattern[str], opening: str) -> list[str]:
    names = []
    for match in pattern.finditer(opening):
        name = re.sub(r"^(?:现将|在|由)", "", match.group(1))  # after 。 the lead word is not the name's
        for county in _county_names_in(name):
            name = name.split(county, 1)[-1]
        stem = name.removesuffix("街道").removesuffix("镇").removesuffix("乡")
        if name not in NOT_TOWNS and _valid_stem(stem) and not name.startswith(("我", "全", "本", "各")):
            names.append(name)
    return names


OPENING_COUNTY = re.compile(r"(?:^|[，,。；;、\s]|现将)([\u4e00-\u9fff]{1,8}?(?:县|区|市|旗))(?=[^\u4e00-\u9fff]|坚持|始终|深入|认真|全面|紧紧|围绕|以|把|按照|立足|扎实|积极|持续|着力|大力|法治|依法|年度|政府|人民政府)")


def county_in_opening(paragraphs: list[str]) -> tuple[str, str] | None:
    """(county, the sentence) for a county's own report that names itself only in its opening
    (`…的正确领导下，某县全面贯彻…`) and speaks of itself as one (我县, 全区 …); one name only."""
    opening = " ".join([text for text in paragraphs[:3] if not _salutation(text)][:2])
    names = {name for match in OPENING_COUNTY.finditer(opening) for name in _county_names_in(match.group(1))[-1:]
             if match.group(1).endswith(name)}
    if len(names) != 1:
        return None
    name = next(iter(names))
    kind = name[-1]
    text = " ".join(paragraphs)
    if any(word in text for word in ("我镇", "本镇", "我乡", "本乡", "我街道", "本街道", "我局", "本局", "我委", "我厅", "我办")):
        return None  # a town's or a department's report: the county its opening names is the one above it
    stem = name[:-1]
    speaks = any(word + kind in text for word in ("我", "全", "本")) or (len(stem) >= 2 and text.count(stem) >= 3)
    return (name, opening[:60]) if speaks else None  # 我区, or its name again (吴中经济…, 吴中新实践)


def _salutation(text: str) -> bool:
    """`中共某县委、某县人民政府：` — not an opening that ends `…报告如下：`."""
    return text.rstrip().endswith((":", "：")) and not re.search(r"[，,。；;]", text)


def county_in_recipients(recipients: str) -> str:
    """The county a town reports to: `榆中县人民政府：` → 榆中县 (a city or 区委、区政府 say nothing)."""
    names = _county_names_in(recipients)
    return names[0] if len(set(names)) == 1 and not any(c in recipients for c in gazetteer.cities() if c not in names) else ""


def province_of(place: Place) -> tuple[str, str]:
    """(province, how) from the gazetteer when the county (or else the city) is unique in it."""
    if place.county:
        matches = gazetteer.lookup(place.county)
        if place.city:
            matches = tuple(m for m in matches if m.city == place.city) or matches
        if len(matches) == 1:
            found = matches[0]
            via = f" ({found.city})" if found.city and found.city != found.province else ""
            return found.province, f"gazetteer: {place.county} → {found.province}{via}, {gazetteer.VINTAGE}"
        return "", ""
    if place.city:
        return gazetteer.cities()[place.city], f"gazetteer: {place.city} → {gazetteer.cities()[place.city]}, {gazetteer.VINTAGE}"
    return "", ""


def dominant_county(paragraphs: list[tuple[str, int]]) -> tuple[str, int, str] | None:
    """(county, line, its city if written too) for a county named in the body's opening as the one
    above the town (在荥经县委、县政府的领导下; 在西安市新城区委 → 新城区 of 西安市)."""
    counts: Counter[str] = Counter()
    first: dict[str, int] = {}
    cities: dict[str, set[str]] = {}
    for text, line in paragraphs[:3]:
        for match in re.finditer(r"在([\u4e00-\u9fff]{2,8}?(?:县|区|市|旗))(?:委|党委)", COMPANY.sub(" ", text)):
            name = match.group(1)
            names = _county_names_in(name)
            if names:
                counts[names[-1]] += 1
                first.setdefault(names[-1], line)
                cities.setdefault(names[-1], set()).add(place_in(name).city)
    if len(counts) == 1:
        name = next(iter(counts))
        city = cities[name].pop() if len(cities[name]) == 1 else ""
        return name, first[name], city
    return None


COMPOUND_AFTER = {"乡": "镇村里间土亲贤愁情音风邻", "镇": "乡区街村压守定静"}
"""A suffix followed by one of these is a word (乡镇, 乡村, 镇区), not the end of a town's name."""


def town_from_body(paragraphs: list[tuple[str, int]]) -> md.Inferred | None:
    """A town named in the body (建成双江镇基层治理中心, 平安双江): only when one name clearly dominates
    and the report speaks of itself as that kind of place (我镇, 全镇)."""
    counts: Counter[str] = Counter()
    lines: dict[str, list[int]] = {}
    self_reference: Counter[str] = Counter()
    for text, line in paragraphs:
        text = md.COMPANY.sub(" ", text)
        for suffix in ("镇", "乡", "街道"):
            self_reference[suffix] += text.count("我" + suffix) + text.count("全" + suffix)
            for match in re.finditer(suffix, text):
                stem = text[max(0, match.start() - 2): match.start()]
                if len(stem) < 2 or not all("\u4e00" <= c <= "\u9fff" for c in stem) or not _valid_stem(stem) \
                        or text[match.end(): match.end() + 1] in COMPOUND_AFTER.get(suffix, ""):
                    continue
                if set(stem) & md.FUNCTION_CHARS or stem in md.GENERIC_STEMS:
                    continue
                counts[stem + suffix] += 1
                lines.setdefault(stem + suffix, []).append(line)
    if not counts:
        return None
    for name in list(counts):
        stem = name.removesuffix("街道").rstrip("镇乡")
        counts[name] += sum(len(re.findall(rf"(?:平安|法治|美丽|和谐|幸福){stem}", t)) for t, _ in paragraphs)
    ranked = counts.most_common(2)
    best, best_count = ranked[0]
    runner_up = ranked[1][1] if len(ranked) > 1 else 0
    level = "街道" if best.endswith("街道") else best[-1]
    if best_count >= 2 and best_count >= 2 * runner_up and self_reference[level] > 0:
        where = ", ".join(str(n) for n in sorted(set(lines[best]))[:3])
        return md.Inferred(best, f"body: {best} named {len(lines[best])}× (lines {where}), with 平安/法治 mentions {best_count - len(lines[best])}×; the report says 我{level}")
    return None


def county_from_body(paragraphs: list[tuple[str, int]], recipients: str) -> md.Inferred | None:
    """A county named in the body (按照潼南区《…》), agreeing with the recipients (区委 → a 区)."""
    counts: Counter[str] = Counter()
    first_line: dict[str, int] = {}
    names = gazetteer.counties()
    for text, line in paragraphs:
        text = md.COMPANY.sub(" ", text)
        for match in re.finditer(r"[\u4e00-\u9fff]{1,8}?(?:区|县|市|旗)", text):
            for start in range(len(match.group())):
                candidate = match.group()[start:]
                if candidate in names and len(candidate) >= 3:
                    counts[candidate] += 1
                    first_line.setdefault(candidate, line)
                    break
    wanted = "区" if "区委" in recipients or "区政府" in recipients else "县" if "县委" in recipients or "县政府" in recipients else ""
    candidates = [(n, c) for n, c in counts.most_common() if not wanted or n.endswith(wanted)]
    if len(candidates) == 1 or (len(candidates) > 1 and candidates[0][1] >= 2 * candidates[1][1]):
        name = candidates[0][0]
        agree = f"; recipients {recipients} agree" if wanted else ""
        return md.Inferred(name, f"body: {name} (line {first_line[name]}){agree}")
    return None
