"""Published addresses are permanent. Every address of a place or a report the site has published
is remembered in `published-urls.txt` beside config.yaml — a file committed with the content, not
only the output's manifest in .site-cache/, because GitHub Pages builds every time from a fresh
checkout and must know them as well as the clerk's own machine (and a moved address then shows up
in the pull request as a changed line).

A build that would move or drop a remembered address stops with a message naming the old and the
new one — unless the report names the old address in `aliases:` or the build is run with
`--allow-move`: then a redirect page is written at the old address (meta refresh, canonical link
and a plain link, as Hugo's aliases) and the move is remembered, listed on the 网站地图 page.
A remembered place keeps its URL segment when a new name would take it (福集 beside 福集镇), and a
`slug` (front-matter or config `slugs:`) equal to another place's is an error."""

from __future__ import annotations

import hashlib
import html
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from site_builder.diagnostics import Diagnostic, error
from site_builder.i18n import t
from site_builder.models import Site
from site_builder.store import read_text, save_text

FILE_NAME = "published-urls.txt"
HEADER = ("# 本站发布过的每个地址（site-builder build 自动维护，请随内容一起提交，不要手工修改）。\n"
          "# Every address this site has published: kept by `site-builder build`; commit it with the content.\n")
MOVED = "→ "
YEAR = "〔年度〕"
PAGE = "〔页面〕"
DOWNLOAD = "〔下载〕"
"""Labels of the addresses that are not places or reports: a year's page (it goes when its last
report does: its old address then leads to the years' index), any other page (home, indexes,
statistics, search), a download under a stable name (data/stats.xlsx)."""
YEARS_INDEX = "years/"
HOME = "/"
"""How the home page's address (site-relative: empty) is written in the file."""


@dataclass
class Published:
    """What published-urls.txt holds: live addresses with what is there, and redirects."""

    live: dict[str, str] = field(default_factory=dict)
    """Site-relative path → its label: 省/县/镇 for a place, 省/县/镇/年 for a report."""
    moved: dict[str, str] = field(default_factory=dict)
    """Old path → the path it redirects to."""

    @classmethod
    def load(cls, root: Path) -> Published:
        published = cls()
        for line in (read_text(root / FILE_NAME) or "").split("\n"):
            path, _, value = line.partition("\t")
            if not path or path.startswith("#") or not value:
                continue
            path = "" if path == HOME else path
            if value.startswith(MOVED):
                published.moved[path] = value[len(MOVED):]
            else:
                published.live[path] = value

        return published

    def text(self) -> str:
        rows = [f"{path or HOME}\t{label}" for path, label in self.live.items()]
        rows += [f"{path or HOME}\t{MOVED}{target}" for path, target in self.moved.items()]
        return HEADER + "".join(f"{row}\n" for row in sorted(rows))

    def remembered_slugs(self) -> dict[str, str]:
        """Label of each place → the last URL segment it was published under (for models.build_site)."""
        return {label: path.rstrip("/").rsplit("/", 1)[-1] for path, label in self.live.items()
                if label.count("/") < 3 and not label.startswith("〔")}


def live_addresses(site: Site) -> dict[str, str]:
    """Every address of a place, a report or a year in `site`, with its label."""
    found: dict[str, str] = {}
    for province in site.provinces:
        found[province.path] = province.name
        for county in province.counties:
            found[county.path] = f"{province.name}/{county.name}"
            for town in county.towns:
                found[town.path] = f"{province.name}/{county.name}/{town.name}"
                for report in town.reports:
                    found[report.path] = f"{found[town.path]}/{report.meta.year}"
    for year in site.years:
        found[year.path] = f"{YEAR}{year.year}"
    return found


def normal_path(address: str) -> str:
    """'/chongqing/x/2023' or 'chongqing/x/2023/' → 'chongqing/x/2023/' (site-relative, as the model writes it)."""
    path = address.strip().strip("/")
    return path if path.endswith(".html") else (f"{path}/" if path else "")


@dataclass
class Addresses:
    """This build's addresses: the redirects to write and what is wrong."""

    published: Published
    redirects: dict[str, str] = field(default_factory=dict)
    """Old path → new path, every one to be written (remembered ones and new ones)."""
    problems: list[Diagnostic] = field(default_factory=list)

    @property
    def digest(self) -> str:
        """Changes when a redirect does (the 网站地图 page lists them)."""
        return hashlib.sha256(repr(sorted(self.redirects.items())).encode()).hexdigest()[:16]

    def save(self, root: Path) -> None:
        """Remember the addresses of the site just published (written only when they changed)."""
        save_text(root / FILE_NAME, self.published.text())  # if it fails, the next build remembers again

    def settle(self, site: Site, planned: dict[str, str], allow_move: bool) -> list[Diagnostic]:
        """The other pages and the stable downloads (`planned`: path → label), known once every
        output has planned its pages: a remembered one that is gone is an error — or, with
        --allow-move, a redirect to the nearest page above it (a download is only forgotten: a
        spreadsheet's address cannot lead on). Returns the problems; new redirects join `redirects`."""
        live, problems = self.published.live, []
        for old, label in sorted(live.items()):
            if not label.startswith((PAGE, DOWNLOAD)) or old in planned:
                continue
            if not allow_move:
                problems.append(error(FILE_NAME, 0, "url", t(
                    "The published address {address} ({label}) is no longer built: links to it from elsewhere would break.",
                    address=_shown(site, old), label=label), t(
                    "If a feature such as the statistics or the search was switched off in config.yaml, switch it on "
                    "again; to take the page down on purpose, build with --allow-move: its address then leads to the "
                    "page above it (a download is dropped).")))
                continue
            del live[old]
            if label.startswith(PAGE):
                self.redirects[old] = self.published.moved[old] = _nearest_live(old, {**live, **planned})
        for old in [old for old in self.redirects if old in planned]:  # a page built again at its old address
            del self.redirects[old]
            self.published.moved.pop(old, None)
        live.update(planned)
        return problems

    def pages(self, site: Site) -> Iterator[tuple[str, str]]:
        """(file path, HTML) of each redirect page."""
        for old, new in sorted(self.redirects.items()):
            file_path = old if old.endswith(".html") else f"{old}index.html"
            yield file_path, redirect_page(site, new)


def plan_addresses(site: Site, published: Published, allow_move: bool) -> Addresses:
    """Compare the addresses of `site` with those published before; see the module's text."""
    now = live_addresses(site)
    aliases, problems = _aliases(site, now, published)
    where = {label: path for path, label in now.items()}
    redirects: dict[str, str] = {}
    for old, target in published.moved.items():
        if old not in now:
            redirects[old] = target
    for old, label in sorted(published.live.items()):
        if now.get(old) == label or label.startswith((PAGE, DOWNLOAD)):
            continue  # the other pages and the downloads: Addresses.settle, once they are planned
        new = where.get(label, "")
        if old in now and not new:
            continue  # renamed where it stands (兴隆镇 → 兴隆街道 under the same address)
        if old in now:  # another place or report would take the address
            problems.append(_taken(site, old, label, now[old], new))
        elif old in aliases:
            redirects[old] = aliases[old]
        elif label.startswith(YEAR):  # its last report moved or went, as the editor allowed
            redirects[old] = YEARS_INDEX
        elif allow_move:
            redirects[old] = new or _nearest_live(old, now)
        else:
            problems.append(_moved(site, old, label, new))
    redirects.update({old: new for old, new in aliases.items() if old not in now})
    redirects = {old: _final(new, redirects, now) for old, new in redirects.items()}
    remembered = Published({**published.live, **now}, {})
    for old in redirects:
        remembered.live.pop(old, None)
    remembered.moved = dict(redirects)
    return Addresses(remembered, redirects, problems + slug_conflicts(site, published))


def _aliases(site: Site, now: dict[str, str], published: Published) -> tuple[dict[str, str], list[Diagnostic]]:
    """Old address → the report that names it in `aliases:`; an old address of a place (a renamed
    town's page) → the same level above the report (its town, county or province page)."""
    found: dict[str, str] = {}
    problems: list[Diagnostic] = []
    for report in site.reports:
        for alias in report.meta.aliases:
            old = normal_path(alias)
            if old in now and old != report.path:
                problems.append(error(report.rel_path, _line_of(report.source.path, "aliases"), "aliases",
                                      f"aliases 中的地址 /{old} 正被「{now[old]}」使用，不能改为跳转页。",
                                      "请从 aliases 中删去这个地址。"))
            elif old != report.path:
                depth = published.live[old].count("/") if old in published.live else 3
                found[old] = (report.province_path, report.county_path, report.town_path, report.path)[min(depth, 3)]
    return found, problems


def _final(target: str, redirects: dict[str, str], now: dict[str, str]) -> str:
    """Follow redirects to an address that is live (a moved page moved again)."""
    seen = {target}
    while target not in now and target in redirects and redirects[target] not in seen:
        target = redirects[target]
        seen.add(target)
    return target


def _nearest_live(old: str, now: dict[str, str]) -> str:
    """The closest live address above a dropped one (its town, county, province, else home)."""
    parts = old.rstrip("/").split("/")
    while parts:
        parts.pop()
        candidate = "/".join(parts) + "/" if parts else ""
        if candidate in now or not candidate:
            return candidate
    return ""


def _shown(site: Site, path: str) -> str:
    return f"{site.config.base_url}{path}"


def _where(site: Site, path: str) -> tuple[str, int]:
    """The report file an editor would open for an address (the first report below it), and its slug line."""
    for report in site.reports:
        if report.path.startswith(path):
            return report.rel_path, _line_of(report.source.path, "slug") or 1
    return FILE_NAME, 0


def _moved(site: Site, old: str, label: str, new: str) -> Diagnostic:
    if new:
        message = f"已发布的地址 {_shown(site, old)}（{label}）将变为 {_shown(site, new)}，外部已有的链接会失效。"
        hint = (f"如果不是有意更改，请恢复原来的名称或 slug（也可在 config.yaml 的 slugs 中写回原地址）；如果确实要改，"
                f"请在报告前言中写 `aliases: [\"/{old}\"]`，或用 --allow-move 构建，旧地址会变为跳转页。")
    else:
        message = f"已发布的地址 {_shown(site, old)}（{label}）将不再存在，外部已有的链接会变成 404。"
        hint = ("如果报告是有意撤下的，请恢复文件并在前言中写 `withdrawn:`（日期和原因），页面会显示“已撤回”；"
                "如果它已并入别处，请在那篇报告的前言中写 `aliases: [\"/" + old + "\"]`，或用 --allow-move 构建。")
    return error(*(_where(site, new) if new else (FILE_NAME, 0)), "url", message, hint)


def _taken(site: Site, old: str, label: str, other: str, new: str) -> Diagnostic:
    moved_to = f"，它自己会被移到 {_shown(site, new)}" if new else ""
    return error(*_where(site, old), "url",
                 f"已发布的地址 {_shown(site, old)} 原属于「{label}」，这次构建会把它给「{other}」{moved_to}。",
                 f"请在 config.yaml 的 slugs 中给「{_place_of(other)}」另起一个地址（如加上“镇”“乡”的拼音），"
                 "或删去与它冲突的 slug。")


def _place_of(label: str) -> str:
    """The place's own name in a label (the town of a report's 省/县/镇/年)."""
    parts = label.split("/")
    return parts[-2] if parts[-1].isdigit() and len(parts) > 1 else parts[-1]


def slug_conflicts(site: Site, published: Published) -> list[Diagnostic]:
    """A slug asked for (front-matter `slug`, config `slugs:`) that another place has: an error,
    never a silent `-2`."""
    problems: list[Diagnostic] = []
    config = site.config
    for province in site.provinces:
        wanted = config.slugs.get(province.name)
        if wanted and wanted != province.slug:
            problems.append(_conflict("config.yaml", _line_of(config.root / "config.yaml", province.name), province.name,
                                      wanted, province.slug))
        for county in province.counties:
            wanted = config.slugs.get(county.name)
            if wanted and wanted != county.slug:
                problems.append(_conflict("config.yaml", _line_of(config.root / "config.yaml", county.name), county.name,
                                          wanted, county.slug))
            for town in county.towns:
                with_slug = next((r for r in town.reports if r.meta.slug), None)
                if with_slug is not None and with_slug.meta.slug != town.slug:
                    problems.append(_conflict(with_slug.rel_path, _line_of(with_slug.source.path, "slug"), town.name,
                                              with_slug.meta.slug, town.slug))
                elif with_slug is None and config.slugs.get(town.name, town.slug) != town.slug:
                    problems.append(_conflict("config.yaml", _line_of(config.root / "config.yaml", town.name), town.name,
                                              config.slugs[town.name], town.slug))
    return problems


def _conflict(file: str, line: int, name: str, wanted: str, got: str) -> Diagnostic:
    return error(file, line, "slug", f"「{name}」要求的地址段 {wanted} 已被同级的另一个地方（或本站保留的地址）使用，"
                 f"不能重复（否则它会悄悄变成 {got}）。", f"请给「{name}」换一个不重复的 slug，或删去这一行。")


def _line_of(path: Path, key: str) -> int:
    """The first line of a small text file that starts with `key` (after spaces), 0 if none."""
    try:
        lines = path.read_text(encoding="utf-8-sig").split("\n")
    except (OSError, UnicodeDecodeError):
        return 0
    return next((n for n, text in enumerate(lines, 1) if text.strip().startswith((f"{key}:", f"{key}："))), 0)


def redirect_page(site: Site, new: str) -> str:
    """A page that sends the reader on to `new`: meta refresh, canonical link and a plain link."""
    relative = html.escape(f"{site.config.base_url}{new}", quote=True)
    canonical = html.escape(f"{site.config.site_url}{site.config.base_url}{new}", quote=True)
    return ('<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
            f'<title>本页已迁移</title><link rel="canonical" href="{canonical}">'
            '<meta name="robots" content="noindex">'
            f'<meta http-equiv="refresh" content="0; url={relative}"></head>'
            f'<body><p>本页已迁移到 <a href="{relative}">{relative}</a>。</p></body></html>\n')
