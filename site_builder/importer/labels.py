"""The labels a government site prints around a report — 索引号, 发布机构, 来源, 成文日期, 发布日期 … —
read by one set of rules from every reader's lines: text copied from a page, a saved page (HTML
cells become lines), a Word document (its tables become `| a | b |` rows).

The layouts these rules read (docs/import-formats.md has an example of each):
- `索引号：… 发布机构：…`, several labels on a line, full- or half-width colons, spaces inside a
  label (`索 引 号`, `标　　题`);
- `[ 索引号 ] … [ 发文字号 ]`, `【发布机构】…`: labels in brackets;
- `信息索引号 … 文件编号`, `责任部门 某镇 公开形式 主动公开`: no colons, label and value by spaces;
- `索 引 号 | … | 主题分类 | … |` and `| 索引号:… | |`: table rows;
- `• 索引号:` with the value on the next line;
- `浏览次数:信息来源: 某县司法局发布时间:2025-03-07`: labels glued to the values before them;
- `• 2023年03月30日 09时24分 • 来源: 司法厅`: a date before the first label is the page's date.
Labels that say nothing about the report (主题分类, 有效性, 浏览次数 …) are read and dropped, so
their line is recognised as page furniture rather than taken for the title or the body."""

from __future__ import annotations

import re
from dataclasses import dataclass

FIELD_LABELS: dict[str, tuple[str, ...]] = {
    "index_no": ("信息索引号", "索引号", "索引编号"),
    "doc_no": ("发文字号", "发文编号", "文件编号", "备注/文号", "文号"),
    "page_unit": ("发布机构", "发布单位", "发布部门", "发文机关", "发文机构", "发文单位", "制发机构", "制发单位", "责任部门",
                  "责任单位", "公开主体", "所属机构"),
    "source": ("信息来源", "文章来源", "稿件来源", "来源"),
    "published": ("发布日期", "发布时间", "公开日期", "公开时间", "更新时间", "生成日期", "时间", "日期"),
    "signed": ("成文日期", "成文时间", "发文日期", "发文时间", "印发日期", "公文生成日期"),
    "page_title": ("文件名称", "信息名称", "标题", "名称"),
    "": ("主题分类", "内容分类", "体裁分类", "组配分类", "服务对象分类", "主题词", "关键词", "有效性/截止日期", "有效性", "失效日期",
         "公开形式", "公开方式", "公开时限", "公开范围", "公开属性", "内容概述", "摘要", "浏览次数", "阅读次数", "访问次数", "点击数",
         "点击率", "访问量", "浏览量", "阅读量", "公开目录", "信息分类", "字体大小", "字体", "字号", "作者", "编辑", "责任编辑", "审核", "统一编号", "文件分类", "分类", "所属主题", "生效日期", "栏目", "所属栏目",
         "时效性", "时效", "效力状态", "公开类别", "信息格式/语种", "信息格式", "生命周期分类"),
}
"""Field → its labels. A label that is the start of another (时间 in 发布时间) comes after it."""

LABEL_FIELD = {label: key for key, labels in FIELD_LABELS.items() for label in labels}
_SPACED = "|".join(r"\s*".join(map(re.escape, label)) for label in sorted(LABEL_FIELD, key=len, reverse=True))
# A label, as written (spaces may sit between its characters), then a colon, a closing bracket or a space.
LABEL = re.compile(rf"(?P<label>{_SPACED})\s*(?P<end>[:：]|[\]】]|(?=\s)|$)")
DECORATION = re.compile(r"^[\s•·●◆◇▪■□\-*|｜\[【]+")
DATE_TIME = re.compile(r"^(\d{4})\s*[年\-/.]\s*(\d{1,2})\s*[月\-/.]\s*(\d{1,2})\s*日?(?:\s*\d{1,2}\s*[:：时]\s*\d{1,2}(?:\s*[:：分]\s*\d{0,2}秒?)?)?")
SEPARATORS = " \t|｜[]【】•·●"
NO_VALUE = ("无", "暂无", "/", "-", "—")
"""What a page prints in a label it has no value for (`文号:无`): not a value."""
GLUED_VALUE = {
    "index_no": re.compile(r"^[0-9A-Za-z][0-9A-Za-z\-/.]*\d[0-9A-Za-z\-/.]*$"),
    "published": re.compile(r"^\d{4}\s*[年\-/.]\s*\d{1,2}\s*[月\-/.]\s*\d{1,2}\s*日?(?:\s+[\d:：]+)?$"),
    "signed": re.compile(r"^\d{4}\s*[年\-/.]\s*\d{1,2}\s*[月\-/.]\s*\d{1,2}\s*日?(?:\s+[\d:：]+)?$"),
    "page_unit": re.compile(r"^[\u4e00-\u9fff（）()]{2,30}(?:人民政府|办事处|委员会|局|厅|委)$"),
    "": re.compile(r"^(?:有效|失效|废止|主动公开|长期公开)$"),
}
"""A label glued to its value with nothing between (`发布机构某县某乡人民政府`, `发布日期2026-01-28`,
`时效性有效`) stands only when the value has the field's shape."""
ORG_THEN_DATE = re.compile(r"^[\u4e00-\u9fff（）()]{2,30}?(?:人民政府|办事处|委员会|办公室|局|厅|委)\s+(?=\d{4}\s*[年\-/.])")
"""`某市教育局   2025-01-09 10:21:00   来源:某科`: the office that posted the page, before its date."""
MAX_LINE = 240
"""A longer line is body text, whatever label it starts with."""


@dataclass(frozen=True)
class Found:
    key: str
    """The field ('' for a label that says nothing about the report)."""
    label: str
    value: str
    line: int


def _compact(label: str) -> str:
    return re.sub(r"\s+", "", label)


def _labels_in(text: str) -> list[re.Match[str]]:
    """Every label occurrence that stands as a label: after a separator or a colon (or at the
    start), or glued to the value before it when a colon follows it."""
    found: list[re.Match[str]] = []
    position = 0
    while (match := LABEL.search(text, position)) is not None:
        before = text[match.start() - 1] if match.start() else " "
        colon = match.group("end") in (":", "：")
        if ((before in SEPARATORS or before in ":：") and _strong_enough(match)) or (colon and found):
            found.append(match)
            position = match.end()
        else:
            position = match.start() + 1
    return found


def _strong_enough(match: re.Match[str]) -> bool:
    """A bare two-character word (时间, 日期, 名称, 作者 …) is a label only with a colon or a
    bracket after it; longer labels and 来源/文号/标题 also stand with a space."""
    label = _compact(match.group("label"))
    return match.group("end") != "" or len(label) >= 3 or label in ("来源", "文号", "标题")


def read_line(text: str, number: int) -> tuple[list[Found], bool]:
    """The labels and values of one line, and whether the line is page metadata (and nothing
    else). A line is metadata when it starts with a label — or with the page's date then a label."""
    if len(text) > MAX_LINE:
        return [], False
    stripped = DECORATION.sub("", text)
    if (glued := _glued(stripped, number)) is not None:
        return [glued], True
    lead: list[Found] = []
    poster = ORG_THEN_DATE.match(stripped)
    if poster and (after := DATE_TIME.match(stripped[poster.end():])) is not None and \
            _starts_with_label(DECORATION.sub("", stripped[poster.end() + after.end():])):
        stripped = stripped[poster.end():]  # the poster is the page's, not the report's issuer
    date = DATE_TIME.match(stripped)
    if date and not _starts_with_label(stripped):
        rest = DECORATION.sub("", stripped[date.end():])
        if not _starts_with_label(rest):
            return [], False
        lead = [Found("published", "", date.group(0).strip(), number)]
        stripped = rest
    if not _starts_with_label(stripped):
        return [], False
    labels = _labels_in(stripped)
    found = list(lead)
    for index, match in enumerate(labels):
        end = labels[index + 1].start() if index + 1 < len(labels) else len(stripped)
        value = stripped[match.end():end].strip(SEPARATORS + ":：")
        label = _compact(match.group("label"))
        if "。" in value:
            return [], False  # a sentence: body text that happens to start with a label's word
        found.append(Found(LABEL_FIELD[label], label, value, number))
    return found, True


def _glued(text: str, number: int) -> Found | None:
    """A line that is one label glued to its value (`索引号1153…/2026-00001`), or None."""
    for label in sorted(LABEL_FIELD, key=len, reverse=True):
        if len(label) >= 3 and text.startswith(label) and len(text) > len(label) and not text[len(label)].isspace() \
                and text[len(label)] not in SEPARATORS + ":：":
            key = LABEL_FIELD[label]
            value = text[len(label):].strip()
            shape = GLUED_VALUE.get(key)
            return Found(key, label, value, number) if shape is not None and shape.match(value) else None
    return None


def _value_then_labels(text: str) -> tuple[str, str]:
    """A line taken as the value of the label above it: (the value, the labels after it). A
    page that lists its labels as bullets may put the next label on the value's line."""
    labels = [match for match in _labels_in(text) if match.start() > 0 and text[match.start() - 1].isspace()]
    if not labels:
        return text, ""
    return text[:labels[0].start()].rstrip(SEPARATORS + "-—"), text[labels[0].start():]


def _starts_with_label(text: str) -> bool:
    match = LABEL.match(text)
    return match is not None and _strong_enough(match)


def read_labels(lines: list[tuple[str, int]]) -> tuple[dict[str, tuple[str, int]], set[int]]:
    """Field → (value, line) for every label with a value in `lines` (the first one wins), and
    the numbers of the lines that were page metadata. A label left without a value takes the
    next line when that line is not itself labelled (`• 索引号:` above its value)."""
    values: dict[str, tuple[str, int]] = {}
    used: set[int] = set()
    lines = list(lines)
    index = 0
    while index < len(lines):
        text, number = lines[index]
        found, is_meta = read_line(text, number)
        if not is_meta:
            index += 1
            continue
        used.add(number)
        for position, item in enumerate(found):
            value = item.value
            last = position == len(found) - 1
            ahead = index + 1
            while ahead < len(lines) and not lines[ahead][0].strip():
                ahead += 1  # blank lines between a label and its value (list items of a page)
            if not value and last and item.key and ahead < len(lines):
                following, next_number = lines[ahead]
                if following.strip() and not read_line(following, next_number)[1] and len(following) <= 80 \
                        and not re.search(r"[，。；]", following) and (item.key == "page_title" or "报告" not in following):
                    value, rest = _value_then_labels(DECORATION.sub("", following).strip())
                    used.add(next_number)
                    index = ahead
                    if rest:  # `某县教育局 发文日期:… - 名称:`: the value, then the line's own labels
                        lines[ahead] = (rest, next_number)
                        index = ahead - 1
            if value and item.key and value not in NO_VALUE:
                values.setdefault(item.key, (value, item.line))
        index += 1
    return values, used
