"""Stage 4: renderers. The site model → the pages of the site (typed kinds, each with the view
its template reads and the inputs it is made from), then HTML. The pages of the places and years
are the core's (PagesOutput in site_outputs.py); outputs add others (statistics, search)."""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Any

import jinja2

from site_builder.models import County, Province, Report, Site, Town, Year
from site_builder.typeset import typeset

if TYPE_CHECKING:
    from site_builder.writer import SiteWriter


class Kind(Enum):
    """A kind of page; the value is its template."""

    HOME = "home.html"
    REGIONS = "regions.html"
    YEARS = "years.html"
    TOWNS = "towns.html"
    NOT_FOUND = "404.html"
    SITEMAP = "sitemap.html"
    STATS = "stats.html"
    STATS_COUNTY = "stats_county.html"
    SEARCH = "search.html"
    PROVINCE = "province.html"
    COUNTY = "county.html"
    TOWN = "town.html"
    REPORT = "report.html"
    YEAR = "year.html"


@dataclass(slots=True)
class ProvinceView:
    province: Province


@dataclass(slots=True)
class CountyView:
    province: Province
    county: County


@dataclass(slots=True)
class TownView:
    province: Province
    county: County
    town: Town


@dataclass(slots=True)
class ReportView:
    province: Province
    county: County
    town: Town
    report: Report


@dataclass(slots=True)
class YearView:
    year: Year


LISTING = ("*listing",)
"""The inputs of a page listing every report by its front-matter (titles, places, dates)."""
SUMMARY = ("*summary",)
"""The inputs of a page summarising every report: the front-matter and what stats found in the text."""


@dataclass(slots=True)
class Page:
    kind: Kind
    path: str
    """Site-relative URL path: '' for home, 'years/2023/' for a folder page, '404.html' for a file."""
    title: str
    view: Any = None
    """What the template reads besides `site` and `config`: one of the *View classes (or a view
    of another stage, such as a county's statistics), None for pages about the whole site."""
    inputs: tuple[str, ...] = ()
    """What the page is made from besides the code, theme and config: the inputs of each report
    it shows (see Inputs), or LISTING or SUMMARY for all of them. An incremental build renders the
    page again only when these change."""
    in_sitemap: bool = True

    @property
    def template(self) -> str:
        return self.kind.value

    @property
    def file_path(self) -> str:
        return self.path + "index.html" if self.path == "" or self.path.endswith("/") else self.path

    def context(self) -> dict[str, Any]:
        view = self.view
        if view is None:
            return {}
        return {f.name: getattr(view, f.name) for f in dataclasses.fields(view)}


@dataclass(frozen=True)
class Inputs:
    """How a report counts as a page's input, from the least to the most it can show of it."""

    summaries: Mapping[str, str]
    """Content hash → a digest of what the statistics found in the report ('' without stats)."""
    listings: dict[int, str] = dataclasses.field(default_factory=dict)

    def listing(self, report: Report) -> str:
        """As a line of a list: its front-matter, URL and file (whose place among the files
        decides, say, which spelling of a town's level wins)."""
        found = self.listings.get(id(report))
        if found is None:
            found = self.listings[id(report)] = f"{report.path} {report.rel_path} {report.meta!r}"
        return found

    def summary(self, report: Report) -> str:
        """As a row of a summary: also its parts and key figures."""
        return f"{self.listing(report)} {self.summaries.get(report.content_hash, '')}"

    @staticmethod
    def whole(report: Report) -> str:
        """As the page of the report itself: every byte of it."""
        return f"{report.content_hash} {report.path} {report.rel_path} {report.bundle_key} {report.history}"


def index_pages() -> list[Page]:
    """The home page and the indexes of the whole site, in the menu's order."""
    return [
        Page(Kind.HOME, "", "首页", inputs=LISTING),
        Page(Kind.REGIONS, "regions/", "地区", inputs=LISTING),
        Page(Kind.YEARS, "years/", "年度", inputs=LISTING),
        Page(Kind.TOWNS, "towns/", "乡镇（街道）", inputs=LISTING),
        Page(Kind.NOT_FOUND, "404.html", "页面未找到", in_sitemap=False),
        Page(Kind.SITEMAP, "sitemap/", "网站地图", inputs=LISTING),
    ]


def place_pages(site: Site, inputs: Inputs) -> list[Page]:
    """The page of every province, county, town, report and year, in a stable order."""
    pages = []
    for province in site.provinces:
        in_province = [r for c in province.counties for t in c.towns for r in t.reports]
        pages.append(Page(Kind.PROVINCE, province.path, province.name, ProvinceView(province),
                          tuple(map(inputs.listing, in_province))))
        for county in province.counties:
            in_county = [r for t in county.towns for r in t.reports]
            pages.append(Page(Kind.COUNTY, county.path, county.name, CountyView(province, county),
                              tuple(map(inputs.listing, in_county))))
            for town in county.towns:
                pages.append(Page(Kind.TOWN, town.path, town.name, TownView(province, county, town),
                                  tuple(map(inputs.summary, town.reports))))
                siblings = tuple(map(inputs.listing, town.reports))
                for report in town.reports:
                    pages.append(Page(Kind.REPORT, report.path, report.meta.title, ReportView(province, county, town, report),
                                      (inputs.whole(report), *siblings)))
    for year in site.years:
        in_year = [r for g in year.groups for c in g.counties for r in c.reports]
        pages.append(Page(Kind.YEAR, year.path, f"{year.year}年度", YearView(year), tuple(map(inputs.summary, in_year))))
    return pages


def site_inputs(site: Site, inputs: Inputs) -> dict[tuple[str, ...], str]:
    """The digests LISTING and SUMMARY stand for."""
    listing = hashlib.sha256("\n".join(map(inputs.listing, site.reports)).encode()).hexdigest()
    summary = hashlib.sha256("\n".join(map(inputs.summary, site.reports)).encode()).hexdigest()
    return {LISTING: listing, SUMMARY: summary}


def input_key(page: Page, common: str, whole_site: Mapping[tuple[str, ...], str]) -> str:
    """A digest of everything `page` is made from: equal keys, equal pages."""
    digest = hashlib.sha256(f"{page.kind.name} {page.path} {page.title} {common}".encode())
    digest.update(whole_site.get(page.inputs, "\n".join(page.inputs)).encode())
    return digest.hexdigest()[:32]


def render_pages(site: Site, env: jinja2.Environment, pages: list[Page],
                 extra: Mapping[str, object] | None = None) -> Iterator[tuple[str, str]]:
    """(file path, HTML) for each page; templates are compiled once. `extra` holds what other
    stages give every template (the statistics, as `stats`)."""
    compiled: dict[str, jinja2.Template] = {}
    common = {"site": site, "config": site.config, **(extra or {})}
    for page in pages:
        template = compiled.get(page.template) or compiled.setdefault(page.template, env.get_template(page.template))
        yield page.file_path, typeset(template.render(common, page=page, **page.context()))


FIRST_KINDS = frozenset({Kind.REPORT, Kind.TOWN})
"""What a deferred build (serve's first) renders: the pages of the reports themselves and of their
towns; the lists, years and statistics follow with the search index (as Hugo's fast render does)."""


def pages_to_render(writer: SiteWriter, pages: list[Page], common: str, whole_site: Mapping[tuple[str, ...], str],
                    deferred: bool) -> list[int]:
    """The pages whose inputs changed, recording each with its key. Deferred, a changed page of
    another kind keeps the key it had (and its file), so the next build renders it."""
    todo = []
    before = writer.before.files if writer.before else {}
    for index, page in enumerate(pages):
        path, key = page.file_path, input_key(page, common, whole_site)
        if writer.unchanged(path, key):
            writer.record(path, key)
        elif not deferred or page.kind in FIRST_KINDS:
            writer.record(path, key)
            todo.append(index)
        elif path in before:
            writer.record(path, before[path])
    return todo
