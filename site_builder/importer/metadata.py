"""Metadata inference: each field with where it came from. What cannot be determined is left
empty for the command line to supply; nothing is guessed."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass

from site_builder.importer import gazetteer

ORG_SUFFIX = r"(?:委员会|人民政府|政府|党委|办事处|工作委员会|办公室|司法局|司法所|局)"
ORG_LINE = re.compile(rf"^[\u4e00-\u9fff（）()]{{2,30}}{ORG_SUFFIX}$")
COMPANY = re.compile(r"[\u4e00-\u9fff（）()]{2,30}?(?:律师事务所|有限责任公司|有限公司|公司|银行|医院|学校|大学)")
TOWN = r"[\u4e00-\u9fff]{1,5}?(?:镇|乡|街道)"
NOT_TOWNS = {"乡镇", "城镇", "全镇", "我镇", "本镇", "该镇", "各镇", "村镇", "集镇", "市镇", "全乡", "我乡", "本乡", "各乡", "城乡",
             "镇街", "各街道", "全街道", "本街道", "我街道", "辖区镇"}
CN_DIGITS = {"〇": 0, "零": 0, "○": 0, "Ｏ": 0, "O": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
DATE_LINE = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$")
CN_DATE_LINE = re.compile(r"^([〇零○Ｏ一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日$")
YEAR_RANGE = re.compile(r"\d{4}\s*[-—–－~～至到]\s*\d{4}")
DOC_NUMBER = re.compile(r"[〔\[【(（]\s*\d{4}\s*[〕\]】)）]")
REPORT_YEAR = re.compile(r"(?<!\d)(\d{4})\s*年\s*(?:度)?")


@dataclass(frozen=True)
class Inferred:
    value: object
    source: str
    """Where the value came from, for the import summary."""


def parse_date(text: str) -> dt.date | None:
    text = text.strip()
    match = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?", text)
    if match:
        try:
            return dt.date(*map(int, match.groups()))
        except ValueError:
            return None
    return None


def date_line(text: str) -> dt.date | None:
    """A line that is only a date: 2023年1月31日, or 二〇二四年一月十日."""
    text = text.strip()
    match = DATE_LINE.match(text)
    if match:
        try:
            return dt.date(*map(int, match.groups()))
        except ValueError:
            return None
    match = CN_DATE_LINE.match(text)
    if match:
        year = int("".join(str(CN_DIGITS[c]) for c in match.group(1)))
        month, day = _cn_small_number(match.group(2)), _cn_small_number(match.group(3))
        if month is None or day is None:
            return None  # 十十月 and the like: not a date, and not a reason to fail the import
        try:
            return dt.date(year, month, day)
        except ValueError:
            return None
    return None


def _cn_small_number(text: str) -> int | None:
    """1–99 written in Chinese: 十, 十二, 二十, 二十三, or digit by digit (一二 = 12); None otherwise."""
    if "十" not in text:
        digits = [CN_DIGITS.get(c) for c in text]
        return int("".join(map(str, digits))) if digits and None not in digits else None
    tens, _, ones = text.partition("十")
    if "十" in ones or len(tens) > 1 or len(ones) > 1:
        return None
    tens_value = CN_DIGITS.get(tens, -1) if tens else 1
    ones_value = CN_DIGITS.get(ones, -1) if ones else 0
    return None if tens_value < 1 or ones_value < 0 else tens_value * 10 + ones_value


def is_org_line(text: str) -> bool:
    return bool(ORG_LINE.match(text.strip())) and "报告" not in text


def report_year(text: str) -> int | None:
    """The year a title or opening sentence is about; cited documents and ranges are not it."""
    cleaned = DOC_NUMBER.sub(" ", YEAR_RANGE.sub(" ", text))
    for match in REPORT_YEAR.finditer(cleaned):
        year = int(match.group(1))
        if 1990 <= year <= 2100:
            return year
    return None


@dataclass(frozen=True)
class Place:
    province: str = ""
    county: str = ""
    town: str = ""


def places_in(text: str) -> Place:
    """Province, county and town named in an organisation's name or a title."""
    text = COMPANY.sub(" ", text)
    province = next((p for p in sorted(gazetteer.provinces(), key=len, reverse=True) if p in text), "")
    county, county_end = "", -1
    for name in gazetteer.counties():
        index = text.find(name)
        if index >= 0 and (not county or len(name) > len(county)):
            county, county_end = name, index + len(name)
    town = ""
    after = text[county_end:] if county else text
    match = re.match(rf"^(?:中共)?({TOWN})(?=人民政府|党委|委员会|政府|办事处|\d|关于|法治|年|$|[^\u4e00-\u9fff])", after)
    if not match and not county:
        match = re.search(rf"(?:中共)?({TOWN})(?=人民政府|委员会|党委|办事处)", text)
    if match and match.group(1) not in NOT_TOWNS:
        town = match.group(1).removeprefix("中共")
    return Place(province, county, town)


FUNCTION_CHARS = set("我全各本该此其于和在对为的了把被是有与及向从到将让使由等个们")
GENERIC_STEMS = {"法治", "依法", "治理", "组织", "城乡", "全体", "乡镇", "村镇", "小城", "特色", "集镇", "中心", "重点", "示范"}


def town_from_body(paragraphs: list[tuple[str, int]]) -> Inferred | None:
    """A town named in the body (建成双江镇基层治理中心, 平安双江): only when one name clearly dominates
    and the report speaks of itself as that kind of place (我镇, 全镇)."""
    counts: Counter[str] = Counter()
    lines: dict[str, list[int]] = {}
    self_reference: Counter[str] = Counter()
    for text, line in paragraphs:
        text = COMPANY.sub(" ", text)
        for suffix in ("镇", "乡", "街道"):
            self_reference[suffix] += text.count("我" + suffix) + text.count("全" + suffix)
            for match in re.finditer(suffix, text):
                stem = text[max(0, match.start() - 2): match.start()]
                if len(stem) < 2 or not all("\u4e00" <= c <= "\u9fff" for c in stem):
                    continue
                if set(stem) & FUNCTION_CHARS or stem in GENERIC_STEMS:
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
        return Inferred(best, f"body: {best} named {len(lines[best])}× (lines {where}), with 平安/法治 mentions {best_count - len(lines[best])}×; the report says 我{level}")
    return None


def county_from_body(paragraphs: list[tuple[str, int]], recipients: str) -> Inferred | None:
    """A county named in the body (按照潼南区《…》), agreeing with the recipients (区委 → a 区)."""
    counts: Counter[str] = Counter()
    first_line: dict[str, int] = {}
    names = gazetteer.counties()
    for text, line in paragraphs:
        text = COMPANY.sub(" ", text)
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
        return Inferred(name, f"body: {name} (line {first_line[name]}){agree}")
    return None


def province_for(county: str) -> tuple[str, str]:
    """(province, how) from the gazetteer, when the county name is unique."""
    matches = gazetteer.lookup(county)
    if len(matches) == 1:
        found = matches[0]
        via = f" ({found.city})" if found.city and found.city != found.province else ""
        return found.province, f"gazetteer: {county} → {found.province}{via}, {gazetteer.VINTAGE}"
    return "", ""
