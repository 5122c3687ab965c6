"""Metadata inference: each field with where it came from. What cannot be determined is left
empty for the command line to supply; nothing is guessed."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

COMMISSION = r"(?:卫生健康|卫健|发展和改革|发展改革|发改|国资|民族宗教|民宗|经济和信息化|经信|住房和城乡建设|住建|农业农村|农|商务|交通|教|科)委"
"""A government commission named by its short form (`某省卫生健康委`, `某市发展改革委`): a department,
not the party committee of a place (县委, 市委)."""
ORG_SUFFIX = rf"(?:委员会|人民政府|政府|党委|党工委|工委|[县区市州旗盟]委|{COMMISSION}|办事处|办公室|司法厅|司法局|司法所|局|厅)"
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
    """An organisation's name alone (`某某镇人民政府`, a name a copying site masked, is none)."""
    return bool(ORG_LINE.match(text.strip())) and "报告" not in text and "某某" not in text


def report_year(text: str) -> int | None:
    """The year a title or opening sentence is about; cited documents and ranges are not it."""
    cleaned = DOC_NUMBER.sub(" ", YEAR_RANGE.sub(" ", text))
    for match in REPORT_YEAR.finditer(cleaned):
        year = int(match.group(1))
        if 1990 <= year <= 2100:
            return year
    return None


FUNCTION_CHARS = set("我全各本该此其于和在对为的了把被是有与及向从到将让使由等个们")
GENERIC_STEMS = {"法治", "依法", "治理", "组织", "城乡", "全体", "乡镇", "村镇", "小城", "特色", "集镇", "中心", "重点", "示范"}
