"""The XLSX download: a 说明 sheet (source, date, definitions), then one sheet per table with
Chinese headers, column widths, a frozen header row and filters; dates as dates, links clickable."""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from site_builder.stats.exports import HEADERS, JSON_ONLY, TABLES, TITLES, for_people, link_base, rows
from site_builder.stats.naming import as_of
from site_builder.stats.sheetxml import Sheet, Styles, splice

if TYPE_CHECKING:
    from site_builder.models import Site
    from site_builder.stats.tables import SiteStats

MAX_WIDTH, MIN_WIDTH = 50, 6
SAMPLE = 2000
"""Rows read to size a column (the first ones: a table's columns hold much the same throughout)."""
MAX_LINKS = 60000
"""Excel allows 65,530 hyperlinks a sheet; past this, links are written as text."""

LIST_TERMS = ("应公开", "未公开", "名录外")
"""Defined only when the site has a list of units: without one, no download speaks of them."""
DEFINITIONS = (
    ("应公开", "名录（units.csv）列出、且在该年度存在的乡镇（街道）应公开该年度的报告。"),
    ("已公开", "本站收录了该单位该年度的报告。没有名录时“应公开”一列为“不详”：本站不知道谁应公开。"),
    ("未公开", "名录中应公开、但本站尚未收录报告：尚未在本站公开，不等于该单位从未公开（可能公开在别处）。"),
    ("名录外", "本站有报告，但名录没有列出该单位或该年度。"),
    ("逾期", "发布日期在次年逾期起算日（默认 4 月 1 日，《法治政府建设与责任落实督察工作规定》第二十四条）当天或之后；逾期天数从该日算起。"),
    ("必备部分齐全", "报告中找到了工作举措和成效、不足和原因、党政主要负责人履职情况、下一年度安排四个部分的标题。"),
    ("约数", "报告给出的是下限：“余”“多”“以上”。"),
    ("报告声明", "数字由报告前言（front-matter 的 metrics）给出，不是从正文中摘出。"),
    ("推算", "本站计算得出、报告中没有直接写明的数字，例如区县合计 = 该年度给出该指标的乡镇（街道）数字之和；"
             "只计给出数字的乡镇，比例类指标不合计。"),
)


def _width(value: Any) -> int:
    text = value.isoformat() if isinstance(value, dt.date) else str(value)
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def to_xlsx(site: Site, stats: SiteStats, tables: dict[str, list[dict[str, Any]]] | None = None) -> bytes:
    """xlsxwriter makes the workbook with each data sheet's header, widths, frozen row and filter;
    sheetxml.splice writes the rows (fifty times faster than xlsxwriter's cell by cell)."""
    import xlsxwriter

    tables = tables or {table: rows(site, stats, table) for table in TABLES}
    buffer = io.BytesIO()
    # Text is written as text: never turned into a formula, a link or a number.
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
                                            "strings_to_numbers": False})
    # A fixed creation date keeps the file byte-identical between builds.
    workbook.set_properties({"title": site.config.site_name, "created": dt.datetime(2000, 1, 1)})
    formats = {"bold": workbook.add_format({"bold": True}), "date": workbook.add_format({"num_format": "yyyy-mm-dd"}),
               "wrap": workbook.add_format({"text_wrap": True, "valign": "top"})}
    _notes(workbook.add_worksheet("说明"), site, stats, formats)
    sheets: list[Sheet] = []
    for number, table in enumerate(TABLES, 2):
        sheet = _frame(workbook.add_worksheet(TITLES[table]), tables[table], formats, first=not sheets)
        if sheet is not None:
            sheets.append(replace(sheet, number=number))
    # the 说明 sheet's strings (the headers and the first sheet's placeholder link are written again by splice)
    framed = workbook.str_table.count - sum(len(s.header) for s in sheets) - (1 if sheets else 0)
    workbook.close()
    styles = Styles(date=formats["date"].xf_index, link=workbook.default_url_format.xf_index)
    return splice(buffer.getvalue(), sheets, workbook.str_table.string_array, framed, styles, formats["bold"].xf_index)
def _notes(sheet: Any, site: Site, stats: SiteStats, formats: dict[str, Any]) -> None:
    date = as_of(site)
    source = f"{site.config.site_name}（{link_base(site)}）" if site.config.site_url else site.config.site_name
    units = (f"名录：{stats.units.source}。" if stats.units else
             "本站没有应公开单位名录（units.csv）：不知道哪些单位应公开，因此不判断任何单位是否公开，也不计算公开比例。")
    lines = [("来源", source), ("统计截至", f"{date.isoformat()}（最新一份报告的日期）" if date else "—"),
             ("年度", f"{stats.years[0]}–{stats.years[-1]}" if stats.years else "—"), ("应公开单位", units),
             ("数据说明", "数字由程序按固定规则从报告原文摘出，每个数字都链接到原文句子；请在引用前核对原文。"),
             *(d for d in DEFINITIONS if stats.listed or d[0] not in LIST_TERMS)]
    sheet.set_column(0, 0, 14)
    sheet.set_column(1, 1, 90, formats["wrap"])
    sheet.write_row(0, 0, ["项目", "说明"], formats["bold"])
    for number, (term, text) in enumerate(lines, 1):
        sheet.write_string(number, 0, term, formats["bold"])
        sheet.write_string(number, 1, text)


def _frame(sheet: Any, records: list[dict[str, Any]], formats: dict[str, Any], first: bool) -> Sheet | None:
    """The sheet without its rows (which splice writes): header, widths, frozen header, filter;
    the rows as cells to write. The first one also writes a link and a date in row 2, which splice
    replaces, so that the workbook's styles hold the formats of both."""
    if not records:
        sheet.write_string(0, 0, "（无）")
        return None
    keys = [key for key in records[0] if key not in JSON_ONLY]
    headers = [HEADERS.get(key, key) for key in keys]
    sheet.write_row(0, 0, headers, formats["bold"])
    cells = [[value if type(value) is str else _cell(value, key) for key in keys for value in (record[key],)]
             for record in records]
    links: set[tuple[int, int]] = set()
    for row, values in enumerate(cells):
        for column, value in enumerate(values):
            if isinstance(value, str) and value[:1] == "h" and value.startswith(("http://", "https://")) and len(links) < MAX_LINKS:
                links.add((row, column))
    for column, key in enumerate(keys):
        # each distinct value measured once (a column repeats its provinces, years and 是/否); by
        # type too, since 1 == 1.0 but "1" is narrower than "1.0"
        shown = {(type(value), value) for r in records[:SAMPLE] for value in (for_people(r[key], key),)}
        widest = max([_width(headers[column]) + 2] + [_width(value) + 1 for _, value in shown])
        sheet.set_column(column, column, max(MIN_WIDTH, min(MAX_WIDTH, widest)))
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, len(records), len(keys) - 1)
    if first:
        sheet.write_url(1, 0, "https://example.invalid/", string=headers[0])
        sheet.write_datetime(1, 1, dt.datetime(2000, 1, 1), formats["date"])
    return Sheet(0, headers, cells, frozenset(links))


def _cell(value: object, key: str) -> object:
    """A value as splice writes it (for_people's, without None): text, a number, a date, or ""
    (nothing written)."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "是" if value else "否"
    if value is None:
        return "不详" if key == "expected" else ""
    if isinstance(value, dt.datetime):
        return value.date()
    return value
