"""The workbook's rows written as SpreadsheetML (stats/sheetxml.py) read back as xlsxwriter's own
cell-by-cell writing of the same values does: text (control characters, XML's characters, spaces
at the ends, `_x0041_` literally), numbers, dates, blank cells and links with and without an anchor."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import openpyxl
import xlsxwriter

from site_builder.stats.sheetxml import Sheet, Styles, column_name, splice

HEADER = ["名称", "数值", "日期", "链接"]
ROWS: list[list[object]] = [
    ["双江镇 & <古溪>", 12, dt.date(2024, 3, 1), "https://x.example/cq/tn/2023/#ev-publicity_events"],
    [" 前后有空格 ", 0.5, "", "https://x.example/a b/{c}/"],
    ["控制\x01字符 _x0041_ 与\t制表符", -3, dt.date(1999, 12, 31), "不是链接"],
    ["=HYPERLINK(\"a\")", 1e16, "", ""],
]


def _by_xlsxwriter() -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
                                        "strings_to_numbers": False})
    date = book.add_format({"num_format": "yyyy-mm-dd"})
    sheet = book.add_worksheet("数据")
    sheet.write_row(0, 0, HEADER)
    for r, values in enumerate(ROWS, 1):
        for c, value in enumerate(values):
            if isinstance(value, str) and value.startswith("https://"):
                sheet.write_url(r, c, value, string=value)
            elif isinstance(value, dt.date):
                sheet.write_datetime(r, c, dt.datetime(value.year, value.month, value.day), date)
            elif isinstance(value, int | float):
                sheet.write_number(r, c, value)
            elif value:
                sheet.write_string(r, c, str(value))
    book.close()
    return buffer.getvalue()


def _spliced() -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    book.set_properties({"created": dt.datetime(2000, 1, 1)})  # else the clock's second: two calls a second apart differ
    date, bold = book.add_format({"num_format": "yyyy-mm-dd"}), book.add_format({"bold": True})
    sheet = book.add_worksheet("数据")
    sheet.write_row(0, 0, HEADER, bold)
    sheet.write_url(1, 0, "https://placeholder.invalid/", string=HEADER[0])
    sheet.write_datetime(1, 1, dt.datetime(2000, 1, 1), date)
    book.close()
    links = frozenset((r, c) for r, values in enumerate(ROWS) for c, v in enumerate(values)
                      if isinstance(v, str) and v.startswith("https://"))
    styles = Styles(date=date.xf_index, link=book.default_url_format.xf_index)
    return splice(buffer.getvalue(), [Sheet(1, HEADER, ROWS, links)], book.str_table.string_array, 0, styles, bold.xf_index)


def _cells(data: bytes) -> list[list[Any]]:
    sheet = openpyxl.load_workbook(io.BytesIO(data))["数据"]
    return [[(cell.value, cell.hyperlink.target if cell.hyperlink else None, cell.hyperlink.location if cell.hyperlink else None,
              cell.number_format if isinstance(cell.value, dt.datetime) else None) for cell in row] for row in sheet.iter_rows()]


def test_spliced_rows_read_as_xlsxwriters() -> None:
    spliced = _spliced()
    assert _cells(spliced) == _cells(_by_xlsxwriter())
    assert spliced == _spliced()  # the same bytes every time


def test_column_names() -> None:
    assert [column_name(n) for n in (0, 25, 26, 51, 52, 701, 702)] == ["A", "Z", "AA", "AZ", "BA", "ZZ", "AAA"]


def test_csv_and_json_cells_of_every_kind_of_value() -> None:
    """The downloads convert plain text and numbers by their exact type first (most cells of a
    large site): every other kind of value still reads as people and programs expect it."""
    import json

    from site_builder.stats.exports import _json_value, to_csv

    record = {"title": "=HYPERLINK(\"a\")", "town": "+双江镇", "expected": None, "complete": True, "approx": False,
              "value": 1, "share": 1.0, "published_on": dt.date(2024, 3, 1), "signed_on": dt.datetime(2024, 3, 2, 8, 0),
              "note": None, "status": "late", "sentence": "文本"}
    lines = to_csv([record]).decode("utf-8").removeprefix("\ufeff").split("\r\n")
    assert lines[1] == "\"'=HYPERLINK(\"\"a\"\")\",'+双江镇,不详,是,否,1,1.0,2024-03-01,2024-03-02T08:00:00,,文本"
    assert json.loads(json.dumps([record], default=_json_value))[0] == {
        **record, "published_on": "2024-03-01", "signed_on": "2024-03-02T08:00:00"}
