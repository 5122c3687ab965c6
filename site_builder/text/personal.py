"""Personal data in report text: mobile and landline numbers, 18-digit ID numbers (checksum
verified), bank card numbers (Luhn) and the names written next to 联系人/经办人. Found, listed and
replaced by a marker; public officials' titles and office numbers are left to the editor."""

from __future__ import annotations

import re
from dataclasses import dataclass

MARKER = "〔已隐去〕"
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"

MOBILE = re.compile(r"(?<![0-9A-Za-z])(?:\+?86[- ]?)?1[3-9]\d(?:[- ]?\d{4}){2}(?![0-9A-Za-z])")
LANDLINE = re.compile(r"(?<![0-9A-Za-z-])(?:[（(]0\d{2,3}[)）]\s?|0\d{2,3}[-－—\s])[2-9]\d{6,7}(?:[-－转]\d{1,5})?(?![0-9A-Za-z])")
ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])[1-9]\d{5}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![0-9A-Za-z])")
BANK_CARD = re.compile(r"(?<![0-9A-Za-z])[3-9]\d{3}(?:[ -]?\d{4}){2,3}(?:[ -]?\d{1,3})?(?![0-9A-Za-z])")
CONTACT_NAME = re.compile(r"(?P<label>联系人|经办人|承办人)(?:\s*[:：]\s*|\s+)(?P<name>[\u4e00-\u9fff·]{2,4}?)(?=[\s,，;；、。.)）(（:：]|电话|手机|$)")


NOT_A_PERSON = re.compile(r"[县区市镇乡省局办所室处科部委会院站组队]|中心|政府|同志")


@dataclass(frozen=True)
class Finding:
    kind: str
    """mobile, landline, id-number, bank-card or contact-name."""
    start: int
    end: int
    text: str


def id_checksum_ok(number: str) -> bool:
    total = sum(int(d) * w for d, w in zip(number[:17], ID_WEIGHTS, strict=True))
    return ID_CHECK[total % 11] == number[17].upper()


def luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def find_personal_data(text: str) -> list[Finding]:
    """Non-overlapping findings, in order of position."""
    found: list[Finding] = []
    for match in ID_NUMBER.finditer(text):
        if id_checksum_ok(match.group()):
            found.append(Finding("id-number", match.start(), match.end(), match.group()))
    for match in BANK_CARD.finditer(text):
        digits = re.sub(r"\D", "", match.group())
        if 16 <= len(digits) <= 19 and luhn_ok(digits):
            found.append(Finding("bank-card", match.start(), match.end(), match.group()))
    for kind, pattern in (("mobile", MOBILE), ("landline", LANDLINE)):
        for match in pattern.finditer(text):
            found.append(Finding(kind, match.start(), match.end(), match.group()))
    for match in CONTACT_NAME.finditer(text):
        if NOT_A_PERSON.search(match.group("name")):
            continue  # 联系人：县司法局 names an office, not a person
        found.append(Finding("contact-name", match.start("name"), match.end("name"), match.group("name")))
    found.sort(key=lambda f: (f.start, -(f.end - f.start)))
    kept: list[Finding] = []
    for finding in found:
        if not kept or finding.start >= kept[-1].end:
            kept.append(finding)
    return kept


def mask(text: str) -> str:
    """Enough of a found value to recognise it in a message, not enough to publish it."""
    return text[:3] + "*" * max(0, len(text) - 5) + text[-2:] if len(text) > 5 else "*" * len(text)


def redact(text: str) -> tuple[str, list[Finding]]:
    findings = find_personal_data(text)
    for finding in reversed(findings):
        text = text[: finding.start] + MARKER + text[finding.end:]
    return text, findings


CONTACT_ONLY = re.compile(rf"^[\s（(]*(?:(?:联系人|经办人|承办人|联系电话|电话|手机|联系方式|传真)\s*[:：]?\s*(?:{re.escape(MARKER)})?[\s;；,，、]*)+[)）]?[。.]?$")


def is_contact_only(redacted: str) -> bool:
    """A line that, once redacted, is nothing but contact labels (a note to the recipient)."""
    return MARKER in redacted and bool(CONTACT_ONLY.match(redacted))
