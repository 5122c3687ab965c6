"""Stage 4: renderers. Turn the site model into files: HTML pages, sitemap, feed, robots.txt.
Each page names the reports it depends on, the map an incremental rebuild needs."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import jinja2

from site_builder.models import Report, Site
from site_builder.typeset import typeset


@dataclass(frozen=True)
class Page:
    path: str
    """Site-relative URL path: '' for home, 'years/2023/' for a folder page, '404.html' for a file."""
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    depends_on: tuple[str, ...] = ()
    """Content hashes of the reports shown; () for pages that list everything."""
    title: str = ""
    in_sitemap: bool = True

    @property
    def file_path(self) -> str:
        return self.path + "index.html" if self.path == "" or self.path.endswith("/") else self.path


def plan_pages(site: Site) -> list[Page]:
    """Every HTML page of the site, in a stable order."""
    pages = [
        Page("", "home.html", title="首页"),
        Page("regions/", "regions.html", title="地区"),
        Page("years/", "years.html", title="年度"),
        Page("towns/", "towns.html", title="乡镇（街道）"),
        Page("404.html", "404.html", title="页面未找到", in_sitemap=False),
        Page("sitemap/", "sitemap.html", title="网站地图"),
    ]
    if site.stats:
        pages.append(Page("stats/", "stats.html", title="统计"))
    if site.config.search:
        pages.append(Page("search/", "search.html", title="搜索", in_sitemap=False))
    for province in site.provinces:
        pages.append(Page(province.path, "province.html", {"province": province}, title=province.name))
        for county in province.counties:
            pages.append(Page(county.path, "county.html", {"province": province, "county": county}, title=county.name))
            for town in county.towns:
                hashes = tuple(r.content_hash for r in town.reports)
                pages.append(Page(town.path, "town.html", {"province": province, "county": county, "town": town},
                                  hashes, title=town.name))
                for report in town.reports:
                    context = {"province": province, "county": county, "town": town, "report": report}
                    pages.append(Page(report.path, "report.html", context, (report.content_hash,), title=report.meta.title))
    for block in site.stats.coverage if site.stats else []:
        pages.append(Page(block.stats_path, "stats_county.html", {"block": block}, tuple(r.content_hash for r in block.reports),
                          title=f"{block.province}{block.county}统计"))
    for year in site.years:
        hashes = tuple(r.content_hash for g in year.groups for c in g.counties for r in c.reports)
        pages.append(Page(year.path, "year.html", {"year": year}, hashes, title=f"{year.year}年度"))
    return pages


def render_pages(site: Site, env: jinja2.Environment, pages: list[Page]) -> Iterator[tuple[str, str]]:
    """(file path, HTML) for each page; templates are compiled once."""
    compiled: dict[str, jinja2.Template] = {}
    common = {"site": site, "config": site.config}
    for page in pages:
        template = compiled.get(page.template) or compiled.setdefault(page.template, env.get_template(page.template))
        yield page.file_path, typeset(template.render(common, page=page, **page.context))


def absolute_url(site: Site, path: str) -> str:
    return f"{site.config.site_url}{site.config.base_url}{path}"


def feed_updated(site: Site) -> dt.datetime:
    """The newest report date; SOURCE_DATE_EPOCH only when no report carries a date."""
    dates = [r.date for r in site.reports if r.date]
    if dates:
        newest = max(dates)
        return dt.datetime(newest.year, newest.month, newest.day, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "0") or 0)
    return dt.datetime.fromtimestamp(epoch, tz=dt.UTC)


def entry_date(report: Report) -> dt.datetime:
    date = report.date or dt.date(report.meta.year + 1, 1, 1)
    return dt.datetime(date.year, date.month, date.day, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def render_feeds(site: Site, env: jinja2.Environment, pages: list[Page]) -> Iterator[tuple[str, str]]:
    helpers = {"site": site, "config": site.config, "absolute_url": lambda p: absolute_url(site, p),
               "entry_date": entry_date}
    sitemap_pages = [p for p in pages if p.in_sitemap]
    yield "sitemap.xml", env.get_template("sitemap.xml").render(helpers, pages=sitemap_pages)
    entries = site.latest[: site.config.feed_size]
    yield "feed.xml", env.get_template("feed.xml").render(helpers, entries=entries, updated=feed_updated(site))
    yield "robots.txt", env.get_template("robots.txt").render(helpers)
