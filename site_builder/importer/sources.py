"""Read a raw report into plain lines, whatever it came as: text in any common Chinese encoding,
a saved web page, or a Word document."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from charset_normalizer import from_bytes

from site_builder.importer.lines import Line

SUPPORTED = (".txt", ".text", ".md", ".html", ".htm", ".docx")
HOW_TO_CONVERT = {
    ".pdf": "PDF is not read directly: text extraction from PDF is unreliable for Chinese. Open it in WPS or Word and "
            "save as .docx, or run `pdftotext -layout report.pdf report.txt`, then import that file",
    ".doc": "old Word .doc files are not read: open it in Word or WPS and save as .docx",
    ".wps": "WPS .wps files are not read: save it as .docx",
}


class UnsupportedSource(Exception):
    """The file cannot be read; the message says how to convert it."""


@dataclass
class Source:
    path: Path
    kind: str
    """txt, html or docx."""
    encoding: str
    lines: list[Line]
    page_meta: dict[str, tuple[str, int]] = field(default_factory=dict)
    """Metadata found outside the text itself (HTML <meta> tags): field -> (value, line)."""
    front: dict[str, str] = field(default_factory=dict)
    """Fields of a front-matter block the file already had (a Markdown report saved in GBK, say)."""


FRONT_KEYS = ("title", "unit", "town", "county", "province", "year", "published", "signed", "recipients", "index_no", "doc_no")


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """(its known fields, the text with the block blanked) for a text that starts with a YAML
    front-matter block; ({}, text) otherwise. Blank lines keep every later line's number."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return {}, text
    end = next((n for n, line in enumerate(lines[1:200], 1) if line.strip() in ("---", "...")), 0)
    if not end:
        return {}, text
    from site_builder.yamlsafe import YamlProblem, load_mapping

    try:
        values = load_mapping("\n".join(lines[1:end])).values
    except YamlProblem:
        return {}, text
    front = {key: str(values[key]).strip() for key in FRONT_KEYS
             if isinstance(values.get(key), (str, int)) and not isinstance(values.get(key), bool) and str(values[key]).strip()}
    return front, "\n" * end + "\n".join(lines[end + 1:])


def decode(data: bytes) -> tuple[str, str]:
    """(text, encoding name). BOMs first, then strict UTF-8, then the detector (GB18030 covers GBK/GB2312)."""
    for bom, name in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if data.startswith(bom):
            return data[len(bom):].decode(name.replace("-sig", "")), name.upper().replace("-SIG", " with BOM")
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    if _looks_like_utf16(data):
        order = "utf-16-le" if data[1:2] == b"\x00" else "utf-16-be"
        return data.decode(order, errors="replace"), order.upper()
    best = from_bytes(data).best()
    encoding = (best.encoding if best else "gb18030").lower()
    if encoding in ("gbk", "gb2312", "hz", "cp936"):
        encoding = "gb18030"  # a superset: characters outside GBK still decode
    return data.decode(encoding, errors="replace"), encoding.upper()


def _looks_like_utf16(data: bytes) -> bool:
    sample = data[:2000]
    return len(sample) > 4 and (sample[1::2].count(0) > len(sample) // 4 or sample[0::2].count(0) > len(sample) // 4)


def read_source(path: Path) -> Source:
    suffix = path.suffix.lower()
    if suffix in HOW_TO_CONVERT:
        raise UnsupportedSource(HOW_TO_CONVERT[suffix])
    if suffix not in SUPPORTED:
        raise UnsupportedSource(f"'{suffix}' files are not supported; import .txt, .html or .docx")
    data = path.read_bytes()
    if suffix == ".docx":
        from site_builder.importer.docx import read_docx

        return Source(path, "docx", "DOCX (UTF-8 XML)", *read_docx(data))
    text, encoding = decode(data)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if suffix in (".html", ".htm"):
        from site_builder.importer.html import read_html

        lines, meta = read_html(text)
        return Source(path, "html", encoding, lines, meta)
    front, text = split_front_matter(text)
    return Source(path, "txt", encoding, [Line(t, n) for n, t in enumerate(text.split("\n"), 1)], front=front)
