"""Page bundles, as Hugo has them: the photos and the signed original of a report are files beside
it in content/, published with its page.

An image the report's Markdown shows by a relative address (`![会议现场](photos/meeting.jpg)`) is
copied beside the report's page under a content-hashed ASCII name (meeting.3f2a9c1b0d.jpg: a
changed photo is never served stale from a cache; 会议.jpg becomes image.….jpg) and shown with its width and height, lazy-loaded.
`attachments:` in the front-matter lists 附件 (`file`, optional `title`): PDF, OFD, Word, Excel,
WPS and ZIP files, copied byte for byte and listed on the page with their type and size. Every
file is checked on every build — by `serve` as by `build` — to exist, to lie beside the report
(not above it, not on another site) and to stay within a size limit."""

from __future__ import annotations

import hashlib
import html as html_lib
import re
import struct
from pathlib import Path, PurePosixPath
from urllib.parse import quote, unquote, urlsplit

from site_builder.diagnostics import Diagnostic, error
from site_builder.models import BundleFile, Report, Site
from site_builder.safepaths import bounds_of, within

IMAGE_TYPES = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".gif": "GIF", ".webp": "WebP"}
ATTACHMENT_TYPES = {".pdf": "PDF", ".ofd": "OFD", ".doc": "Word", ".docx": "Word", ".xls": "Excel", ".xlsx": "Excel",
                    ".wps": "WPS", ".et": "WPS 表格", ".zip": "ZIP"}
MAX_IMAGE_BYTES = 5 * 2**20
"""A photo larger than this makes the page slow on a phone: it should be made smaller first."""
MAX_ATTACHMENT_BYTES = 50 * 2**20
"""GitHub warns above 50 MB and refuses above 100 MB; a scanned signed copy is far smaller."""
OUTSIDE_HINT = "请把文件放在报告（.md 文件）所在的文件夹或其子文件夹中，并用相对地址引用，例如 ![会议现场](photos/meeting.jpg)。"


def attach_files(site: Site, references: dict[str, tuple[tuple[int, str], ...]]) -> list[Diagnostic]:
    """Give each report its images (by the address its Markdown writes) and attachments, checked;
    `references`: each report's (line, image address) by content hash, found when it was read."""
    problems: list[Diagnostic] = []
    for report in site.reports:
        if report.meta.withdrawn is not None:
            continue  # taken down: nothing of it is published but the notice
        folder = report.source.path.parent
        for line, address in references.get(report.content_hash, ()):
            found, problem = _bundle_file(report, folder, address, line, IMAGE_TYPES, MAX_IMAGE_BYTES)
            if problem:
                problems.append(problem)
            elif found is not None:
                report.images[address] = found
        for attachment in report.meta.attachments:
            line = _line_of(report, attachment.file)
            found, problem = _bundle_file(report, folder, attachment.file, line, ATTACHMENT_TYPES, MAX_ATTACHMENT_BYTES,
                                          attachment.title)
            if problem:
                problems.append(problem)
            elif found is not None:
                report.attachments.append(found)
    return problems


def outside_images(shown: str, body_line: int, external: tuple[tuple[int, str], ...]) -> list[Diagnostic]:
    """Images the page would load from another site: refused by every build (a privacy leak, and
    nothing on an intranet), with the way to publish the photo instead."""
    return [error(shown, body_line + line, "external-resource", f"图片「{address}」在别的网站上，页面不能从外部加载文件。", OUTSIDE_HINT)
            for line, address in external]


def _bundle_file(report: Report, folder: Path, address: str, line: int, types: dict[str, str], limit: int,
                 title: str = "") -> tuple[BundleFile | None, Diagnostic | None]:
    shown = report.rel_path
    what = "附件" if types is ATTACHMENT_TYPES else "图片"
    relative = PurePosixPath(unquote(urlsplit(address).path))
    if relative.is_absolute() or ".." in relative.parts or "\\" in address:
        return None, error(shown, line, "bundle", f"{what}「{address}」不在报告所在的文件夹中，发布时不会带上它。", OUTSIDE_HINT)
    path = folder / relative
    kind = types.get(relative.suffix.lower())
    if kind is None:
        return None, error(shown, line, "bundle", f"{what}「{address}」的类型（{relative.suffix or '无扩展名'}）不能发布。",
                           f"{what}可以是：{'、'.join(sorted(set(types)))}；请另存为其中一种格式。")
    if not within(path, bounds_of(folder)):  # a linked folder on the way out of the report's folder
        return None, error(shown, line, "bundle", f"{what}「{address}」经过一个指向报告文件夹之外的链接，为安全起见不发布。",
                           "请删除这个链接，把文件复制到报告旁边。")
    known = _digest_of(path)
    if known is None:
        return None, error(shown, line, "bundle", f"找不到{what}「{address}」（应在 {folder.name}/ 文件夹中）。",
                           "请检查文件名（包括大小写和扩展名）是否与报告中写的一致，并把文件放在报告旁边。")
    size, digest, width, height = known
    if size > limit:
        return None, error(shown, line, "bundle", f"{what}「{address}」有 {size / 2**20:.1f} MB，超过了 {limit // 2**20} MB 的上限。",
                           "请压缩图片（如缩小到 2000 像素宽）或拆分文件后再发布。" if what == "图片"
                           else "请压缩或拆分文件（扫描件可用较低分辨率重新扫描）后再发布。")
    stem = "-".join(re.findall(r"[A-Za-z0-9_]+", relative.stem))[:40] or ("image" if what == "图片" else "attachment")
    written = f"{stem}.{digest[:10]}{relative.suffix.lower()}"  # ASCII: every server and proxy serves it
    return BundleFile(path, written, size, digest, title or relative.stem, kind, relative.name, width, height), None


_KNOWN: dict[tuple[str, int, int, int, int], tuple[int, str, int, int]] = {}
"""(path, mtime, size, inode, ctime) → (size, sha256, width, height): `serve` reads a photo again only when it changed."""


def _digest_of(path: Path) -> tuple[int, str, int, int] | None:
    """(size, sha256, width, height) of an ordinary file (not a link), None when there is none."""
    try:
        if path.is_symlink() or not path.is_file():
            return None
        status = path.stat()
        key = (str(path), status.st_mtime_ns, status.st_size, status.st_ino, status.st_ctime_ns)
        if key not in _KNOWN and path.suffix.lower() in IMAGE_TYPES and status.st_size <= MAX_IMAGE_BYTES:
            data = path.read_bytes()
            _KNOWN[key] = (len(data), hashlib.sha256(data).hexdigest(), *image_size(data))
        elif key not in _KNOWN:  # an attachment (or an image too large to publish): hashed as it is read
            with path.open("rb") as stream:
                _KNOWN[key] = (status.st_size, hashlib.file_digest(stream, "sha256").hexdigest(), 0, 0)
        return _KNOWN[key]
    except OSError:
        return None


def _line_of(report: Report, file: str) -> int:
    try:
        lines = report.source.path.read_text(encoding="utf-8-sig").split("\n")
    except (OSError, UnicodeDecodeError):
        return 0
    return next((n for n, text in enumerate(lines[: report.source.body_line], 1) if file in text), 1)


def image_size(data: bytes) -> tuple[int, int]:
    """(width, height) from a PNG, GIF, JPEG or WebP header; (0, 0) when it cannot be read."""
    if data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) >= 24:
        return struct.unpack(">II", data[16:24])
    if data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
        return struct.unpack("<HH", data[6:10])
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return _webp_size(data)
    if data[:2] == b"\xff\xd8":
        return _jpeg_size(data)
    return 0, 0


def _jpeg_size(data: bytes) -> tuple[int, int]:
    index = 2
    while index + 9 < len(data):
        if data[index] != 0xFF:
            return 0, 0
        marker, length = data[index + 1], struct.unpack(">H", data[index + 2:index + 4])[0]
        if marker in (0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF):
            height, width = struct.unpack(">HH", data[index + 5:index + 9])
            return width, height
        index += 2 + length
    return 0, 0


def _webp_size(data: bytes) -> tuple[int, int]:
    chunk = data[12:16]
    if chunk == b"VP8X" and len(data) >= 30:
        return 1 + int.from_bytes(data[24:27], "little"), 1 + int.from_bytes(data[27:30], "little")
    if chunk == b"VP8 " and len(data) >= 30:
        width, height = struct.unpack("<HH", data[26:30])
        return width & 0x3FFF, height & 0x3FFF
    if chunk == b"VP8L" and len(data) >= 25:
        bits = int.from_bytes(data[21:25], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    return 0, 0


IMG = re.compile(r'<img\b([^>]*?)\bsrc="([^"]*)"([^>]*?)\s*/?>')


def show_images(html: str, report: Report) -> str:
    """The body's HTML with each image beside the report at its published name, sized and lazy."""
    if not report.images:
        return html

    def published(match: re.Match[str]) -> str:
        before, address, after = match.groups()
        found = next((report.images[a] for a in (address, unquote(address), html_lib.unescape(address)) if a in report.images), None)
        if found is None:
            return match.group()
        size = f' width="{found.width}" height="{found.height}"' if found.width and found.height else ""
        return f'<img{before}src="{quote(found.written)}"{after}{size} loading="lazy" decoding="async" />'

    return IMG.sub(published, html)


def files_to_publish(site: Site) -> list[tuple[str, BundleFile]]:
    """(site path, file) of every image and attachment, once each."""
    found: dict[str, BundleFile] = {}
    for report in site.reports:
        for item in [*report.images.values(), *report.attachments]:
            found[f"{report.path}{item.written}"] = item
    return sorted(found.items())

