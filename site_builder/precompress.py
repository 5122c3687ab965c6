"""`build --precompress`: a gzip copy beside each text file (`index.html.gz`), which nginx's
gzip_static and Apache's rewrite rules send as they are — compressed once at build time, at the
highest level, instead of on every request. Deterministic: no file name and time 0 in the header."""

from __future__ import annotations

import gzip

from site_builder.writer import SiteWriter

TEXT_FILES = (".html", ".css", ".js", ".json", ".xml", ".csv", ".svg", ".txt", ".bin")  # .bin: search/lengths.bin
DEFLATED = ("search/s/", "search/p/", "search/docs/")
"""Their .bin files are zlib-compressed by the build already (search/encode.py): gzip would not shrink them."""


def precompress(writer: SiteWriter, enabled: bool) -> None:
    """Record (and write, unless the site already holds it) `x.gz` for every text file `x` of the new
    site; when not `enabled`, leave out the copies a folder kept from before (the search index's)."""
    copies = [path for path in writer.manifest.files if path.endswith(".gz") and path[:-3].endswith(TEXT_FILES)]
    writer.drop(copies)
    if not enabled:
        return
    for path, key in sorted(writer.manifest.files.items()):
        if not path.endswith(TEXT_FILES) or (path.endswith(".bin") and path.startswith(DEFLATED)):
            continue
        compressed, compressed_key = f"{path}.gz", f"gzip {key}"
        if writer.unchanged(compressed, compressed_key):
            writer.record(compressed, compressed_key)
            continue
        staged = writer.staging / path  # written by this build, else kept from the site in the folder
        try:
            data = staged.read_bytes() if staged.is_file() else (writer.output / path).read_bytes()
        except FileNotFoundError:  # kept without being in the folder (serve's first pass): next time
            continue
        writer.record(compressed, compressed_key)
        writer.write(compressed, gzip.compress(data, compresslevel=9, mtime=0))
