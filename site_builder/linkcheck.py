"""Check a built site: every internal link and anchor must resolve to a file and an id in it.

Used by the tests on every build, and meant for `site-builder check` on an output folder."""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from site_builder.i18n import t


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.duplicate_ids: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            if values["id"] in self.ids:
                self.duplicate_ids.append(values["id"] or "")
            self.ids.add(values["id"] or "")
        for name in ("href", "src"):
            if values.get(name) and not (tag == "link" and values.get("rel") == "canonical"):
                self.links.append(values[name] or "")


@dataclass(frozen=True)
class BrokenLink:
    page: str
    link: str
    reason: str

    def __str__(self) -> str:
        return f"{self.page}: {self.link} — {self.reason}"


def _parse(path: Path) -> _Collector:
    collector = _Collector()
    collector.feed(path.read_text(encoding="utf-8"))
    return collector


def resolve(site: Path, base_url: str, page: Path, link: str) -> tuple[Path | None, str, str]:
    """(target file or None if external, fragment, problem)."""
    parts = urlsplit(link)
    if parts.scheme or parts.netloc:
        return None, "", ""
    if parts.path == "":
        return page, unquote(parts.fragment), ""
    if parts.path.startswith("/"):
        if not parts.path.startswith(base_url):
            return None, "", t("It does not start with the base URL {base_url}.", base_url=base_url)
        target = site / unquote(parts.path[len(base_url):])
    else:
        target = page.parent / unquote(parts.path)
    if target.is_dir() or parts.path.endswith("/"):
        target = target / "index.html"
    return target, unquote(parts.fragment), ""


def check_site(site: Path, base_url: str = "/") -> tuple[list[BrokenLink], int]:
    """All broken internal links in the HTML pages below `site`, and how many links were checked."""
    pages = {p: _parse(p) for p in sorted(site.rglob("*.html"))}
    broken: list[BrokenLink] = []
    checked = 0
    for page, found in pages.items():
        shown = page.relative_to(site).as_posix()
        broken += [BrokenLink(shown, f"#{d}", t("This id is used more than once on the page.")) for d in found.duplicate_ids]
        for link in found.links:
            if link.startswith(("mailto:", "tel:")):
                continue
            target, fragment, problem = resolve(site, base_url, page, link)
            if problem:
                broken.append(BrokenLink(shown, link, problem))
                continue
            if target is None:
                continue
            checked += 1
            resolved = target.resolve()
            if not resolved.is_file() or not resolved.is_relative_to(site.resolve()):
                broken.append(BrokenLink(shown, link, t("There is no such file in the site.")))
            elif fragment and target.suffix == ".html":
                ids = pages[resolved].ids if resolved in pages else _parse(resolved).ids
                if fragment not in ids:
                    broken.append(BrokenLink(shown, link, t("No element has the id “{fragment}”.", fragment=fragment)))
    return broken, checked
