"""Where the bytes of a built site go: bytes per report by kind of output (report pages, town,
county and province pages, lists, stats pages, the browser search index, downloads, assets,
feeds and sitemaps, redirects), as printed by benchmarks/build.py; with --pages also where a
report page's bytes go (head, header, table of contents, the report's own text, …) and the
downloads' (data/) by file.

    python benchmarks/sizes.py SITE_FOLDER REPORTS [--pages]
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

YEAR_PAGE = re.compile(r"[^/]+/[^/]+/[^/]+/(19|20)[0-9]{2}/index\.html")
LISTS = ("years", "regions", "towns", "sitemap")
REDIRECT = b'http-equiv="refresh"'


def kind_of(relative: str, head: bytes) -> str:
    """The kind of one output file, from its path under the site folder (and, for a small page,
    whether it only redirects)."""
    top = relative.split("/", 1)[0]
    if relative.endswith(".html") and REDIRECT in head:
        return "redirects"
    if top == "search":
        return "search index (browser)"
    if top == "data":
        return "downloads (data/)"
    if top == "assets":
        return "assets (css, js)"
    if top == "stats":
        return "stats pages"
    if top in LISTS:
        return "year/region/town lists"
    if relative in ("feed.xml", "sitemap.xml") or relative.endswith("feed.xml"):
        return "feeds and sitemap"
    if YEAR_PAGE.fullmatch(relative):
        return "report pages"
    depth = relative.count("/")
    if relative.endswith("index.html") and 1 <= depth <= 3:
        return ("province pages", "county pages", "town pages")[depth - 1]
    if depth >= 3:
        return "report attachments"
    return "home, 404, robots, other"


def breakdown(site: Path) -> Counter[str]:
    sizes: Counter[str] = Counter()
    for path in site.rglob("*"):
        if path.is_file() and not path.name.startswith(".site-builder"):
            with path.open("rb") as file:
                head = file.read(1024)
            sizes[kind_of(path.relative_to(site).as_posix(), head)] += path.stat().st_size
    return sizes


def print_breakdown(site: Path, reports: int, label: str = "") -> None:
    sizes = breakdown(site)
    total = sum(sizes.values())
    search = sizes["search index (browser)"]
    print(f"{label}bytes per report by kind ({reports} reports, {total / 1e6:.1f} MB in all):", flush=True)
    for kind, size in sorted(sizes.items(), key=lambda item: -item[1]):
        print(f"    {kind:<28} {size / reports / 1000:>8.2f} KB  {100 * size / total:>5.1f} %")
    print(f"    {'total':<28} {total / reports / 1000:>8.2f} KB (target ≤ 45); pages and downloads without the search "
          f"index {(total - search) / reports / 1000:.2f} KB", flush=True)


# The parts of a report page, from the first marker to the end of the second (both as the templates write them).
PAGE_PARTS = {"head (meta, title, links, inline script)": ("<!doctype", "</head>"),
              "header, navigation, search box": ("<body", "</header>"), "breadcrumbs": ('<nav class="breadcrumbs', "</nav>"),
              "disclosure block": ('<details class="doc-info', "</details>"), "reading bar": ('<nav class="reading-bar', "</nav>"),
              "table of contents": ('<nav class="toc', "</nav>"), "figures box": ('<aside class="figures', "</aside>"),
              "report body": ('<div class="report-body">', "</article>"), "other years": ('<nav class="other-years', "</nav>"),
              "print line and footer": ('<p class="print-footer', "</html>")}
TAGS = re.compile(r"<[^>]*>")


def page_anatomy(site: Path, sample: int = 400) -> None:
    """Bytes of a report page by part, averaged over an evenly spread sample of report pages."""
    pages = sorted(p for p in site.glob("*/*/*/*/index.html") if YEAR_PAGE.fullmatch(p.relative_to(site).as_posix()))
    pages = pages[:: max(1, len(pages) // sample)]
    parts: Counter[str] = Counter()
    for path in pages:
        page = path.read_text(encoding="utf-8")
        parts["whole page"] += len(page.encode())
        for part, (start, end) in PAGE_PARTS.items():
            first = page.find(start)
            last = page.find(end, first) if first >= 0 else -1
            if last >= 0:
                parts[part] += len(page[first:last + len(end)].encode())
        body = page[page.find('<div class="report-body">'):page.find("</article>")]
        parts["  of the body: the report's text"] += len(TAGS.sub("", body).encode())
    print(f"where a report page's bytes go (mean of {len(pages)} pages):", flush=True)
    for part, size in parts.items():
        print(f"    {part:<42} {size / len(pages) / 1000:>6.2f} KB", flush=True)


def download_files(site: Path, reports: int) -> None:
    """Bytes per report of each file in data/ (a dated CSV by the table its name ends with)."""
    print("where the downloads' bytes go (data/):", flush=True)
    for path in sorted((site / "data").glob("*"), key=lambda p: -p.stat().st_size):
        name = path.name if path.name.startswith("stats") else "CSV " + path.stem.rsplit("-", 1)[-1]
        print(f"    {name:<42} {path.stat().st_size / reports / 1000:>6.2f} KB", flush=True)


if __name__ == "__main__":
    print_breakdown(Path(sys.argv[1]), int(sys.argv[2]))
    if "--pages" in sys.argv[3:]:
        page_anatomy(Path(sys.argv[1]))
        download_files(Path(sys.argv[1]), int(sys.argv[2]))
