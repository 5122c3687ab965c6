"""Typesetting of a finished page for narrow screens, applied to every HTML page the site writes:

- a number stays on one line with its unit (338件, 100%, 70余场次) and a date stays whole
  (2024年3月28日): Chinese line breaking may otherwise put 件 or 3月28日 on the next line;
- every data table sits in a scroll container that a keyboard can reach, so a wide table scrolls
  inside the page instead of making the whole page scroll sideways (site.js marks the ones that
  do scroll, and the page says so).

Only text between tags is touched, never inside <head>, <script>, <style> or <textarea>; the
page's markup is otherwise left as the templates and the Markdown renderer wrote it."""

from __future__ import annotations

import re

import markupsafe

TAG_OR_TEXT = re.compile(r"(<[^>]*>)")
DATE = r"\d{4}年\d{1,2}月(?:\d{1,2}日)?|\d{1,2}月\d{1,2}日"
UNIT = (r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?\s?(?:%|％|‰|余|多)?\s?"
        r"(?:人次|场次|件次|小时|个月|万元|亿元|平方米|公里|[件次人场个份元万起天名年月日号项家期条篇户所张套本批轮])")
NUMBER_WITH_UNIT = re.compile(rf"(?:{DATE}|{UNIT}|\d+(?:\.\d+)?\s?[%％‰])")
RAW_ELEMENTS = ("head", "script", "style", "textarea", "title", "option")  # text only: no markup added
TABLE_OPEN = re.compile(r"<table\b[^>]*>")
SCROLL_OPEN = '<div class="table-scroll" tabindex="0" role="region" aria-label="表格（可左右滑动）">'


def typeset(html: str) -> str:
    parts = TAG_OR_TEXT.split(html)
    out: list[str] = []
    raw_until = ""
    tables: list[bool] = []  # for each open table: was it wrapped?
    for part in parts:
        if not part:
            continue
        if part.startswith("<"):
            lowered = part[:12].lower()
            if raw_until:
                if lowered.startswith(raw_until):
                    raw_until = ""
                out.append(part)
                continue
            name = re.match(r"<(/?)([a-zA-Z0-9]+)", part)
            if name and not name.group(1) and name.group(2).lower() in RAW_ELEMENTS:
                raw_until = f"</{name.group(2).lower()}"
            elif name and name.group(2).lower() == "table":
                if name.group(1):
                    out.append(part)
                    if tables and tables.pop():
                        out.append("</div>")
                    continue
                wrap = "doc-meta" not in part and not (out and out[-1].startswith('<div class="table-scroll"'))
                tables.append(wrap)
                if wrap:
                    out.append(SCROLL_OPEN)
            out.append(part)
            continue
        out.append(part if raw_until else NUMBER_WITH_UNIT.sub(_keep_together, part))
    return "".join(out)


def _keep_together(match: re.Match[str]) -> str:
    return f'<span class="nu">{match.group(0)}</span>'


# Where a report title may break between words: after 关于 and a year, after a place's suffix,
# before the usual words of a title. Everything between two such points stays on one line
# (with `word-break: keep-all`), so 法治政府 never splits as 法治政/府.
TITLE_BREAKS = re.compile(r"(?<=关于)|(?<=\d年度)|(?<=\d年)(?!度)|(?<=[省市区县镇乡旗])(?=[\u4e00-\u9fff\d])|(?<=街道)"
                          r"|(?<=人民政府)|(?<=委员会)|(?<=情况)(?=报告)|(?=法治)|(?=建设)|(?=工作)|(?=情况)|(?=的报告)|(?=年度报告)|(?=（)")


def slash_breaks(text: str) -> markupsafe.Markup:
    """Escaped, with a <wbr> after each slash: a long 索引号 may break there on a narrow screen
    (and nowhere else), and copies as written."""
    return markupsafe.Markup("/<wbr>".join(str(markupsafe.escape(part)) for part in text.split("/")))


def title_breaks(text: str) -> markupsafe.Markup:
    """The title, escaped, with <wbr> between its words."""
    marked = TITLE_BREAKS.sub("\x00", text)
    return markupsafe.Markup("<wbr>".join(str(markupsafe.escape(part)) for part in marked.split("\x00") if part))
