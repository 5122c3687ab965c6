"""Stage 3: the site model. Reports grouped into towns, counties, provinces and years, each with
its URL. Built once from validated input; renderers only read it."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from site_builder import division_order
from site_builder.config import Config
from site_builder.diagnostics import Diagnostic, error
from site_builder.document import Document
from site_builder.i18n import t
from site_builder.names import assign_slugs, pinyin_initial, sort_key
from site_builder.reader import ReportFile
from site_builder.schema import ReportMeta

Bodies = Callable[["Report"], Document]
"""A report's parsed body as its page shows it (build.Bodies: from the cache, marked by the outputs)."""

# Top-level URL segments the site uses for itself; no province may take them.
RESERVED_SEGMENTS = frozenset({"assets", "years", "regions", "towns", "search", "stats", "data", "404.html"})


@dataclass(frozen=True)
class BundleFile:
    """A photo or an attachment beside a report, published with its page (see bundles)."""

    source: Path
    written: str
    """Its name in the report page's folder: the name with a digest of its bytes (photo.3f2a9c1b0d.jpg)."""
    size: int
    digest: str
    title: str
    kind: str
    """JPEG, PNG …; PDF, OFD, Word, Excel, WPS, ZIP."""
    name: str
    """The file's own name, which a download keeps."""
    width: int = 0
    height: int = 0

    @property
    def size_text(self) -> str:
        """1.2 MB, 340 KB: as the 附件 list shows it."""
        return f"{self.size / 2**20:.1f} MB" if self.size >= 2**20 else f"{max(1, round(self.size / 1024))} KB"


@dataclass(frozen=True)
class Report:
    """One published report, as every output sees it for the whole build: its file, metadata,
    URLs, what each output's analyser found in it, and (on demand) its parsed body."""

    meta: ReportMeta
    source: ReportFile
    """Where it came from: file, content hash, line of the body."""
    path: str
    """Site-relative URL path, e.g. chongqing/tongnan/shuangjiang/2023/ (no leading slash)."""
    town_path: str
    county_path: str
    province_path: str
    analyses: Mapping[str, object] = field(default_factory=dict, compare=False)
    """What each enabled output's analyser found in it, by the output's name."""
    bodies: Bodies | None = field(default=None, repr=False, compare=False)
    history: list[dt.date] = field(default_factory=list, compare=False)
    """The dates of its published versions, oldest first, when it has changed (history.py)."""
    images: dict[str, BundleFile] = field(default_factory=dict, compare=False)
    """The photos beside the report its body shows, by the address written there."""
    attachments: list[BundleFile] = field(default_factory=list, compare=False)
    """附件 listed in its front-matter, in that order."""

    @property
    def body(self) -> Document:
        """The parsed body with what the outputs mark in it, read from the cache when asked (so
        thousands of bodies are never held at once): the same whenever it is read."""
        if self.bodies is None:
            raise LookupError(f"{self.rel_path}: a report built without its bodies")
        return self.bodies(self)

    @property
    def bundle_key(self) -> str:
        """Changes when a photo or attachment of the report does (its page is made again)."""
        return " ".join(f.digest[:16] for f in [*self.images.values(), *self.attachments])

    @property
    def rel_path(self) -> str:
        return self.source.rel_path

    @property
    def content_hash(self) -> str:
        return self.source.content_hash

    @property
    def date(self) -> dt.date | None:
        """The best date known for ordering: published, else signed."""
        return self.meta.published or self.meta.signed

    @property
    def description(self) -> str:
        """The summary, else the opening of the body."""
        return self.meta.summary or self.body.excerpt

    @property
    def place(self) -> str:
        """省 + 区县 + 乡镇, which lists show first: many reports share one title."""
        return f"{self.meta.province}{self.meta.county}{self.meta.town}"

    @property
    def disclosure(self) -> list[tuple[str, str]]:
        """The 公开信息 block's fields that are known, in the usual order (label, value)."""
        m = self.meta
        fields = [("索引号", m.index_no), ("年度", str(m.year)), ("发布机构", m.unit), ("发布日期", cn_date(m.published)),
                  ("成文日期", cn_date(m.signed)), ("文号", m.doc_no), ("主题分类", m.topic), ("有效性", m.validity),
                  ("主送", m.recipients)]
        return [(label, value) for label, value in fields if value]

    @property
    def public_source(self) -> str:
        """`source` when a reader can use it (a web address or a document's title), '' for a file name."""
        source = self.meta.source.strip()
        if re.match(r"https?://", source, re.I) or (source and not FILE_NAME.search(source)):
            return source
        return ""


FILE_NAME = re.compile(r"\.(?:txt|html?|docx?|pdf|md|wps|xlsx?)$|^[A-Za-z0-9_.-]+$", re.I)
"""An internal file name (000_b24b1b9919cb2792.txt), not a source a reader can look up."""


def cn_date(value: dt.date | None) -> str:
    """2024-01-10 -> 2024年1月10日; None -> ''."""
    return f"{value.year}年{value.month}月{value.day}日" if value else ""


@dataclass
class Town:
    name: str
    slug: str
    path: str
    county: str
    province: str
    level: str
    reports: list[Report] = field(default_factory=list)
    """All years, newest first."""


@dataclass
class County:
    name: str
    slug: str
    path: str
    province: str
    towns: list[Town] = field(default_factory=list)
    """In 区划代码 order (pinyin after the towns whose code is not known)."""

    @property
    def report_count(self) -> int:
        return sum(len(t.reports) for t in self.towns)


@dataclass
class Province:
    name: str
    slug: str
    path: str
    counties: list[County] = field(default_factory=list)

    @property
    def report_count(self) -> int:
        return sum(c.report_count for c in self.counties)

    @property
    def town_count(self) -> int:
        return sum(len(c.towns) for c in self.counties)


@dataclass
class CountyReports:
    county: County
    reports: list[Report]


@dataclass
class ProvinceReports:
    province: Province
    counties: list[CountyReports]


@dataclass
class Year:
    year: int
    path: str
    groups: list[ProvinceReports]
    """Reports of this year grouped by province, then county, in 区划代码 order."""

    @property
    def report_count(self) -> int:
        return sum(len(c.reports) for g in self.groups for c in g.counties)


@dataclass
class Site:
    """Everything the renderers need, and nothing they must compute."""

    config: Config
    reports: list[Report]
    """In region order: province, county, town (区划代码, else pinyin), then year (newest first)."""
    provinces: list[Province]
    """In 区划代码 order, and so are their counties and towns (division_order)."""
    years: list[Year]
    """Newest first."""
    towns: list[Town]
    """All towns in pinyin order."""
    latest: list[Report]
    """Newest by date (published, else signed, else year); the home page and feed list these."""
    moved: dict[str, str] = field(default_factory=dict)
    """Old address → new, for the addresses that moved (see permanence); 网站地图 lists them."""

    @property
    def towns_by_initial(self) -> list[tuple[str, list[Town]]]:
        """Towns grouped under the capital of their pinyin, for the A–Z index of the towns page."""
        groups: dict[str, list[Town]] = {}
        for town in self.towns:
            groups.setdefault(pinyin_initial(town.name), []).append(town)
        return sorted(groups.items())

    @property
    def counties(self) -> list[County]:
        return [c for p in self.provinces for c in p.counties]


def build_site(sources: list[ReportFile], config: Config, analyses: Mapping[str, Mapping[str, object]] | None = None,
               bodies: Bodies | None = None, remembered: Mapping[str, str] | None = None) -> tuple[Site, list[Diagnostic]]:
    """Group validated reports into the site tree and give everything a URL; `analyses`: each
    report's by content hash, `bodies`: where the reports find their parsed bodies, `remembered`:
    the URL segment each place was published under (省, 省/县, 省/县/镇 → slug; see permanence),
    kept unless a slug asked for says otherwise."""
    analyses = analyses or {}
    problems: list[Diagnostic] = []
    remembered = remembered or {}

    def kept(names: set[str], prefix: str, asked: dict[str, str]) -> dict[str, str]:
        return {**{n: remembered[prefix + n] for n in names if prefix + n in remembered}, **asked}

    def published(names: set[str], prefix: str, asked: dict[str, str]) -> frozenset[str]:
        return frozenset(n for n in names if prefix + n in remembered and n not in asked)

    province_slugs = assign_slugs([s.meta.province for s in sources],
                                  kept({s.meta.province for s in sources}, "", config.slugs), RESERVED_SEGMENTS,
                                  _first_years(sources, "province"), published({s.meta.province for s in sources}, "", config.slugs))
    provinces: dict[str, Province] = {
        name: Province(name, slug, f"{slug}/") for name, slug in province_slugs.items()
    }
    for province in provinces.values():
        in_province = [s for s in sources if s.meta.province == province.name]
        county_slugs = assign_slugs([s.meta.county for s in in_province],
                                    kept({s.meta.county for s in in_province}, f"{province.name}/", config.slugs), frozenset(),
                                    _first_years(in_province, "county"),
                                    published({s.meta.county for s in in_province}, f"{province.name}/", config.slugs))
        for county_name, county_slug in county_slugs.items():
            county = County(county_name, county_slug, f"{province.path}{county_slug}/", province.name)
            province.counties.append(county)
            in_county = [s for s in in_province if s.meta.county == county_name]
            town_names, prefix = {s.meta.town for s in in_county}, f"{province.name}/{county_name}/"
            asked = {**config.slugs, **{s.meta.town: s.meta.slug for s in in_county if s.meta.slug}}
            town_overrides, found = _town_slug_overrides(in_county, kept(town_names, prefix, config.slugs))
            problems.extend(found)
            town_slugs = assign_slugs([s.meta.town for s in in_county], town_overrides, frozenset(), _first_years(in_county, "town"),
                                      published(town_names, prefix, asked))
            for town_name, town_slug in town_slugs.items():
                town_sources = [s for s in in_county if s.meta.town == town_name]
                town = Town(town_name, town_slug, f"{county.path}{town_slug}/", county_name, province.name,
                            town_sources[0].meta.level)
                county.towns.append(town)
                for source in sorted(town_sources, key=lambda s: -s.meta.year):
                    town.reports.append(Report(source.meta, source, f"{town.path}{source.meta.year}/", town.path,
                                               county.path, province.path, analyses.get(source.content_hash, {}), bodies))
    ordered = _in_code_order(list(provinces.values()))
    reports = [r for p in ordered for c in p.counties for t in c.towns for r in t.reports]
    towns = sorted((t for p in ordered for c in p.counties for t in c.towns), key=lambda t: (sort_key(t.name), t.path))
    latest = sorted(reports, key=_recency, reverse=True)
    return Site(config, reports, ordered, _years(ordered), towns, latest), problems


def _in_code_order(provinces: list[Province]) -> list[Province]:
    """Provinces, their counties and their towns in 区划代码 order (pinyin where no code is known),
    the order every page, table and download lists them in."""
    for province in provinces:
        for county in province.counties:
            county.towns.sort(key=lambda t: division_order.town_key(t.province, t.county, t.name, _division_code(t)))
        province.counties.sort(key=lambda c: division_order.county_key(c.province, c.name, [_division_code(t) for t in c.towns]))
    return sorted(provinces, key=lambda p: division_order.province_key(p.name))


def _division_code(town: Town) -> str:
    return next((r.meta.division_code for r in town.reports if r.meta.division_code), "")


def _first_years(sources: list[ReportFile], key: str) -> dict[str, int]:
    """The year each place (province, county or town, by `key`) first reported: the place keeps
    the URL it has had since then when a new name collides with it (see names.assign_slugs)."""
    years: dict[str, int] = {}
    for source in sources:
        name = getattr(source.meta, key)
        years[name] = min(years.get(name, source.meta.year), source.meta.year)
    return years


def _recency(report: Report) -> tuple[dt.date, int, str]:
    # The path breaks ties, so equal dates never depend on input order.
    date = report.date or dt.date(report.meta.year + 1, 1, 1)
    return date, report.meta.year, report.path


def _town_slug_overrides(sources: list[ReportFile], config_slugs: dict[str, str]) -> tuple[dict[str, str], list[Diagnostic]]:
    """A town's `slug` front-matter must agree across its years; config slugs apply otherwise."""
    overrides = dict(config_slugs)
    first: dict[str, ReportFile] = {}
    problems: list[Diagnostic] = []
    for source in sources:
        if not source.meta.slug:
            continue
        seen = first.setdefault(source.meta.town, source)
        if seen.meta.slug != source.meta.slug:
            problems.append(error(source.rel_path, 1, "slug",
                                  t("`slug: {slug}` differs from `slug: {other}` in {path} for the same town.", slug=source.meta.slug,
                                    other=seen.meta.slug, path=seen.rel_path),
                                  t("Give every report of a town the same slug, or remove it.")))
        overrides[source.meta.town] = seen.meta.slug
    return overrides, problems


def _years(provinces: list[Province]) -> list[Year]:
    by_year: dict[int, Year] = {}
    for province in provinces:
        for county in province.counties:
            for town in county.towns:
                for report in town.reports:
                    year = by_year.setdefault(report.meta.year, Year(report.meta.year, f"years/{report.meta.year}/", []))
                    if not year.groups or year.groups[-1].province is not province:
                        year.groups.append(ProvinceReports(province, []))
                    group = year.groups[-1]
                    if not group.counties or group.counties[-1].county is not county:
                        group.counties.append(CountyReports(county, []))
                    group.counties[-1].reports.append(report)
    return [by_year[y] for y in sorted(by_year, reverse=True)]
