"""Typesetting of a finished page for narrow screens, applied to every HTML page the site writes:

- a number stays on one line with its unit (338件, 100%, 70余场次) and a date stays whole
  (2024年3月28日): Chinese line breaking may otherwise put 件 or 3月28日 on the next line. The
  wrapper is <n-u> (a custom element, styled `white-space: nowrap` by site.css): 11 bytes a number
  where <span class="nu"> took 24, ≈ 1 KB a report page. Not U+2060 (word joiner), which would be
  fewer bytes but is copied with the text, so a figure pasted into Word or a search box would no
  longer match. A number alone in <time>, <th> or a heading is left bare: those are kept whole by
  the CSS already (nowrap; keep-all);
- every data table sits in a scroll container that a keyboard can reach, so a wide table scrolls
  inside the page instead of making the whole page scroll sideways (site.js marks the ones that
  do scroll, and the page says so);
- the templates' indentation goes: spaces around a line break between tags or words become the
  line break alone, which a browser shows the same (a run of white space is one space, and no
  element of the theme keeps white space as written), 2–5 % of every page.

Only text between tags is touched, never inside <script>, <style>, <textarea> or <pre> (nor inside
<head> but for the indentation); the
page's markup is otherwise left as the templates and the Markdown renderer wrote it."""

from __future__ import annotations

import re

import markupsafe

UNITS = r"(?:人次|场次|件次|小时|个月|万元|亿元|平方米|公里|[件次人场个份元万起天名年月日号项家期条篇户所张套本批轮])"
# A date (2024年3月28日, 3月28日), a number with its unit (338件, 1,200余人次, 70%) in text, not
# inside a tag: no `>` comes before the next `<`. The first digit is taken out of every branch
# as one character class (ASCII or full-width digits), so the engine skips to the next digit at
# C speed: twice as quick on a report page as trying each position.
NUMBER_WITH_UNIT = re.compile(
    r"[0-9０-９](?:"
    r"\d{3}年\d{1,2}月(?:\d{1,2}日)?|\d?月\d{1,2}日"                                # dates
    rf"|(?:\d{{0,2}}(?:,\d{{3}})+|\d*)(?:\.\d+)?\s?(?:%|％|‰|余|多)?\s?{UNITS}"      # number + unit
    r"|\d*(?:\.\d+)?\s?[%％‰]"                                                   # a bare percentage
    r")(?![^<]*>)(?![^<]*</(?:time|th|h[1-4])>)")
# Elements whose text must stay as it is: scripts, styles, form fields' text.
RAW_ELEMENT = re.compile(r"<(script|style|textarea|option)\b.*?</\1\s*>", re.S | re.I)
TABLE_TAG = re.compile(r"<table\b[^>]*>|</table\s*>", re.I)
# Elements whose white space is shown or read as written.
KEEPS_SPACES = re.compile(r"<(script|style|textarea|pre)\b.*?</\1\s*>", re.S | re.I)
# Spaces and line breaks around a line break, outside a tag (no `>` before the next `<`).
INDENTATION = re.compile(r"[ \t]*\n[ \t\r\n]*(?![^<]*>)")
SCROLL_OPEN = '<div class="table-scroll" tabindex="0" role="region" aria-label="表格（可左右滑动）">'


def typeset(html: str) -> str:
    """The page with numbers kept whole and tables in scroll boxes (only <body> is touched)."""
    html = _without_indentation(html)
    body = html.find("<body")
    if body < 0:
        return html
    return html[:body] + _scroll_boxes(_heading_breaks(_keep_numbers_whole(html[body:])))


def _without_indentation(html: str) -> str:
    parts: list[str] = []
    last = 0
    for kept in KEEPS_SPACES.finditer(html):
        parts += [INDENTATION.sub("\n", html[last:kept.start()]), kept.group(0)]
        last = kept.end()
    parts.append(INDENTATION.sub("\n", html[last:]))
    return "".join(parts)


HEADING = re.compile(r"(<h([2-4])\b[^>]*>)(.*?)(</h\2\s*>)", re.S | re.I)
TAG = re.compile(r"(<[^>]*>)")


def _heading_breaks(html: str) -> str:
    """Headings break between words, as titles do (see title_breaks; the CSS keeps the rest
    together), so 抓好法治宣传 never wraps as 抓好法 / 治宣传."""
    def words(match: re.Match[str]) -> str:
        inner = "".join(part if part.startswith("<") else TITLE_BREAKS.sub("<wbr>", part) for part in TAG.split(match.group(3)))
        return match.group(1) + inner + match.group(4)
    return HEADING.sub(words, html)


def _keep_numbers_whole(html: str) -> str:
    parts: list[str] = []
    last = 0
    for raw in RAW_ELEMENT.finditer(html):
        parts.append(NUMBER_WITH_UNIT.sub(_keep_together, html[last:raw.start()]))
        parts.append(raw.group(0))
        last = raw.end()
    parts.append(NUMBER_WITH_UNIT.sub(_keep_together, html[last:]))
    return "".join(parts)


def _scroll_boxes(html: str) -> str:
    """Every table but the 公开信息 block in a scroll box; nested tables stay inside their parent's box."""
    parts: list[str] = []
    last = 0
    wrapped: list[bool] = []
    for tag in TABLE_TAG.finditer(html):
        parts.append(html[last:tag.start()])
        text = tag.group(0)
        if text.startswith("</"):
            parts.append(text + ("</div>" if wrapped and wrapped.pop() else ""))
        else:
            wrap = not wrapped and "doc-meta" not in text
            wrapped.append(wrap)
            parts.append((SCROLL_OPEN if wrap else "") + text)
        last = tag.end()
    parts.append(html[last:])
    return "".join(parts)


def _keep_together(match: re.Match[str]) -> str:
    return f"<n-u>{match.group(0)}</n-u>"


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
    # The break points sit next to Chinese characters or （, never inside an entity such as &#34;.
    return markupsafe.Markup(TITLE_BREAKS.sub("<wbr>", str(markupsafe.escape(text))))
