"""The workbook's data rows written as SpreadsheetML directly, into a workbook xlsxwriter made
without them. xlsxwriter spends ≈ 10 µs a cell checking and wrapping each value (a minute for the
50,000-report workbook, made again after every edit that changes a figure); the rows of these
sheets are plain text, numbers, dates and links, which a string join writes fifty times faster.

xlsxwriter still writes everything else (the 说明 sheet, styles, column widths, the frozen header,
the filter and its defined name, the package parts); `splice` replaces each data sheet's
`<sheetData>`, hyperlinks and relationships, and the shared strings. Same input, same bytes."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass

MAX_CELL = 32767
"""Excel's longest cell text."""
_EPOCH = dt.date(1899, 12, 30)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\ufffe\uffff]")
_ESCAPE_OF_ESCAPE = re.compile("(_x[0-9a-fA-F]{4}_)")
_TO_ESCAPE = re.compile(r'[%"<>\[\]^`{} ]')
_LINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"


@dataclass(frozen=True)
class Styles:
    """The cell formats' indices in the workbook's styles.xml."""

    date: int
    link: int


@dataclass(frozen=True)
class Sheet:
    """One data sheet's cells below its header: rows of values already as a spreadsheet shows
    them (text, int, float, date, or "" for a blank cell); `links` says which text cells are links."""

    number: int
    """Its place in the workbook, from 1 (sheet{number}.xml)."""
    header: Sequence[str]
    rows: Sequence[Sequence[object]]
    links: frozenset[tuple[int, int]]
    """(row, column) of the cells written as links, rows counted from 0 below the header."""


class Strings:
    """The shared string table: xlsxwriter's own strings first, in its order, then ours."""

    def __init__(self, first: Sequence[str], references: int) -> None:
        self.index = {text: number for number, text in enumerate(first)}
        self.references = references

    def __call__(self, text: str) -> int:
        self.references += 1
        found = self.index.get(text)
        if found is None:
            found = self.index[text] = len(self.index)
        return found

    def xml(self) -> bytes:
        items = "".join(_si(text) for text in self.index)
        return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://schemas.openxmlformats.org/'
                f'spreadsheetml/2006/main" count="{self.references}" uniqueCount="{len(self.index)}">{items}</sst>').encode()


def _text(value: str) -> str:
    """As xlsxwriter writes a string: control characters as _xHHHH_, XML's three characters escaped."""
    if _CONTROL.search(value) or "_x" in value:
        value = _ESCAPE_OF_ESCAPE.sub(r"_x005F\1", value)
        value = _CONTROL.sub(lambda m: f"_x{ord(m.group()):04X}_", value)
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _si(text: str) -> str:
    escaped = _text(text)
    preserve = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() else ""
    return f"<si><t{preserve}>{escaped}</t></si>"


def _attribute(value: str) -> str:
    return value.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;").replace("\n", "&#xA;")


def column_name(number: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    name = ""
    number += 1
    while number:
        number, rest = divmod(number - 1, 26)
        name = chr(65 + rest) + name
    return name


def _url(url: str) -> tuple[str, str]:
    """(target, location): the part after # goes in the hyperlink's location, as xlsxwriter does;
    characters Excel wants escaped are, unless the address looks escaped already."""
    target, _, location = url.partition("#")
    if _TO_ESCAPE.search(target) and not re.search("%[0-9a-fA-F]{2}", target):
        for char, code in (("%", "%25"), ('"', "%22"), (" ", "%20"), ("<", "%3c"), (">", "%3e"), ("[", "%5b"),
                           ("]", "%5d"), ("^", "%5e"), ("`", "%60"), ("{", "%7b"), ("}", "%7d")):
            target = target.replace(char, code)
    return target, location


def sheet_data(sheet: Sheet, strings: Strings, styles: Styles, bold: int) -> tuple[str, str, str]:
    """(the <sheetData> element, the <hyperlinks> element or "", the relationships part or "")."""
    columns = [column_name(c) for c in range(len(sheet.header))]
    spans = f"1:{len(columns)}"
    out = [f'<sheetData><row r="1" spans="{spans}">']
    out += [f'<c r="{columns[c]}1" s="{bold}" t="s"><v>{strings(text)}</v></c>' for c, text in enumerate(sheet.header)]
    out.append("</row>")
    hyperlinks: list[str] = []
    relations: list[str] = []
    known = strings.index
    for number, values in enumerate(sheet.rows):
        r = number + 2
        out.append(f'<row r="{r}" spans="{spans}">')
        for c, value in enumerate(values):
            if type(value) is str and len(value) <= MAX_CELL and (number, c) not in sheet.links:
                if value:  # a blank cell without a format is not written at all
                    # strings(value), inline: most cells of a large sheet are text
                    strings.references += 1
                    found = known.get(value)
                    if found is None:
                        found = known[value] = len(known)
                    out.append(f'<c r="{columns[c]}{r}" t="s"><v>{found}</v></c>')
                continue
            if isinstance(value, str):
                if value == "":
                    continue  # a blank cell without a format is not written at all
                if (number, c) in sheet.links:
                    target, location = _url(value)
                    rid = f"rId{len(relations) + 1}"
                    relations.append(f'<Relationship Id="{rid}" Type="{_LINK}" Target="{_attribute(target)}" TargetMode="External"/>')
                    anchor = f' location="{_attribute(location)}"' if location else ""
                    hyperlinks.append(f'<hyperlink ref="{columns[c]}{r}" r:id="{rid}"{anchor}/>')
                    out.append(f'<c r="{columns[c]}{r}" s="{styles.link}" t="s"><v>{strings(value[:MAX_CELL])}</v></c>')
                else:
                    out.append(f'<c r="{columns[c]}{r}" t="s"><v>{strings(value[:MAX_CELL])}</v></c>')
            elif isinstance(value, dt.date):
                out.append(f'<c r="{columns[c]}{r}" s="{styles.date}"><v>{(value - _EPOCH).days}</v></c>')
            elif isinstance(value, int | float):
                out.append(f'<c r="{columns[c]}{r}"><v>{value:.16g}</v></c>')
            else:
                out.append(f'<c r="{columns[c]}{r}" t="s"><v>{strings(str(value)[:MAX_CELL])}</v></c>')
        out.append("</row>")
    out.append("</sheetData>")
    links = f"<hyperlinks>{''.join(hyperlinks)}</hyperlinks>" if hyperlinks else ""
    rels = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{_RELS}">{"".join(relations)}'
            "</Relationships>") if relations else ""
    return "".join(out), links, rels


_SHEET_DATA = re.compile(r"<sheetData(?:/>|>.*?</sheetData>)", re.S)
_HYPERLINKS = re.compile(r"<hyperlinks>.*?</hyperlinks>", re.S)
_DIMENSION = re.compile(r'<dimension ref="[^"]*"/>')


def splice(skeleton: bytes, sheets: Sequence[Sheet], strings_first: Sequence[str], references: int,
           styles: Styles, bold: int) -> bytes:
    """The workbook `skeleton` with each of `sheets` given its rows; every other part as it was."""
    strings = Strings(strings_first, references)
    source = zipfile.ZipFile(io.BytesIO(skeleton))
    parts = {info.filename: source.read(info) for info in source.infolist()}
    rels_of = {f"xl/worksheets/_rels/sheet{s.number}.xml.rels" for s in sheets}
    parts = {name: data for name, data in parts.items() if name not in rels_of}
    added: dict[str, bytes] = {}
    for sheet in sheets:
        name = f"xl/worksheets/sheet{sheet.number}.xml"
        data, links, rels = sheet_data(sheet, strings, styles, bold)
        xml: str = parts[name].decode("utf-8")
        xml = _HYPERLINKS.sub("", xml)
        found = _SHEET_DATA.search(xml)
        assert found is not None, name
        xml = xml[: found.start()] + data + xml[found.end():]
        last = f"{column_name(len(sheet.header) - 1)}{len(sheet.rows) + 1}"
        xml = _DIMENSION.sub(f'<dimension ref="A1:{last}"/>', xml, count=1)
        if links:
            xml = xml.replace("<pageMargins", links + "<pageMargins", 1)
        parts[name] = xml.encode()
        if rels:
            added[f"xl/worksheets/_rels/sheet{sheet.number}.xml.rels"] = rels.encode("utf-8")
    parts["xl/sharedStrings.xml"] = strings.xml()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for name, content in sorted({**parts, **added}.items(), key=lambda item: _order(item[0])):
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            out.writestr(info, content, compresslevel=6)
    return buffer.getvalue()


def _order(name: str) -> tuple[int, str]:
    """xlsxwriter's order of the parts: [Content_Types].xml first; sheets by number, not by text."""
    number = re.search(r"sheet(\d+)\.xml", name)
    return (0 if name.startswith("[") else 1, re.sub(r"sheet\d+\.xml", f"sheet{int(number.group(1)):05d}.xml", name)
            if number else name)
