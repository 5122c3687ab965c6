"""The core's own outputs: the pages of the site (home, indexes, places, reports, years), the
Atom feed, the sitemap with robots.txt, the photos and attachments beside the reports, and the
redirect pages of moved addresses. Features add theirs beside them (registry.py)."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable

import jinja2

from site_builder.bundles import files_to_publish, show_images
from site_builder.diagnostics import BuildError, Diagnostic, display_path, error
from site_builder.i18n import t
from site_builder.models import Report, Site
from site_builder.outputs import Output, Run
from site_builder.pages import Kind, Page, index_pages, place_pages
from site_builder.permanence import DOWNLOAD, PAGE, Addresses, Published, plan_addresses
from site_builder.theme import template_error


class PagesOutput(Output):
    name = "pages"

    def site_pages(self, run: Run) -> list[Page]:
        return index_pages()

    def pages(self, run: Run) -> list[Page]:
        return place_pages(run.site, run.inputs)


class FeedOutput(Output):
    """feed.xml: the newest reports (config.feed_size), each with its summary."""

    name = "feed"

    def write(self, run: Run, pages: list[Page]) -> int:
        reports = feed_reports(run.site)
        made_from = "\n".join([feed_updated(run.site).isoformat(), *map(run.inputs.whole, reports),
                               *map(run.inputs.listing, reports)])
        write_if_changed(run, "feed.xml", made_from,
                         lambda: {"entries": reports, "updated": feed_updated(run.site)})
        return 0


class SitemapOutput(Output):
    """sitemap.xml (every page listed in it, in the order planned) and robots.txt, which names it."""

    name = "sitemap"

    def write(self, run: Run, pages: list[Page]) -> int:
        listed = [p for p in pages if p.in_sitemap]
        write_if_changed(run, "sitemap.xml", "\n".join(p.path for p in listed), lambda: {"pages": listed})
        write_if_changed(run, "robots.txt", "", dict)
        return 0


class BundlesOutput(Output):
    """The photos and attachments beside the reports, byte for byte, each under its page; the
    photos a report's body shows point at them (see bundles)."""

    name = "bundles"

    def mark(self, report: Report, html: str) -> str:
        return show_images(html, report) if report.images else html

    def write(self, run: Run, pages: list[Page]) -> int:
        for path, item in files_to_publish(run.site):
            key = item.digest[:32]
            run.writer.record(path, key)
            if not run.writer.unchanged(path, key):
                try:
                    run.writer.write(path, item.source.read_bytes())
                except OSError:
                    raise BuildError([error(display_path(item.source, run.config.root), 0, "bundle",
                                            t("This file was moved or could not be read while the site was being built."),
                                            t("Build again once editing has finished."))]) from None
        return 0


class AddressesOutput(Output):
    """Permanent addresses (see permanence): a moved address gets a redirect page, and the
    addresses published — of every page, and of the downloads under stable names (`permanent`)
    — are remembered in published-urls.txt once the site is published."""

    name = "addresses"

    def __init__(self, published: Published, *, allow_move: bool, remember: bool, downloads: tuple[str, ...] = ()) -> None:
        self.known, self.allow_move, self.remember, self.downloads = published, allow_move, remember, downloads
        self.addresses: Addresses | None = None
        self.planned: dict[str, str] = {}

    def prepare(self, site: Site) -> list[Diagnostic]:
        self.addresses = plan_addresses(site, self.known, allow_move=self.allow_move)
        site.moved = self.addresses.redirects  # the 网站地图 page lists them
        return self.addresses.problems

    def inputs(self) -> str:
        return self.addresses.digest if self.addresses else ""

    def write(self, run: Run, pages: list[Page]) -> int:
        self.planned = {page.path: f"{PAGE}{page.title}" for page in pages if page.kind not in PLACES}
        self.planned.update({path: f"{DOWNLOAD}{path.rsplit('/', 1)[-1]}" for path in self.downloads})
        return 0

    def finish(self, run: Run) -> None:
        """Once every output has planned its pages and written its files (the last output)."""
        if self.addresses is None:
            return
        problems = self.addresses.settle(run.site, self.planned, self.allow_move)
        if problems:
            raise BuildError(problems)
        for path, redirect in self.addresses.pages(run.site):
            run.writer.put(path, redirect)

    def published(self, run: Run) -> None:
        if self.remember and self.addresses is not None:
            self.addresses.save(run.config.root)


PLACES = frozenset({Kind.PROVINCE, Kind.COUNTY, Kind.TOWN, Kind.REPORT, Kind.YEAR})
"""The pages whose addresses plan_addresses compares before anything is written."""


def write_if_changed(run: Run, name: str, made_from: str, context: Callable[[], dict[str, object]]) -> None:
    """Render the template `name` into the file of that name, unless the output holds it made
    from the same inputs; `context`: what the template reads besides site, config and absolute_url."""
    key = run.key(name, made_from)
    run.writer.record(name, key)
    if run.writer.unchanged(name, key):
        return
    site = run.site
    helpers = {"site": site, "config": site.config, "absolute_url": lambda p: absolute_url(site, p),
               "entry_date": entry_date}
    try:
        run.writer.write(name, run.env.get_template(name).render(helpers, **context()))
    except jinja2.TemplateError as exc:
        raise template_error(exc) from None


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


def feed_reports(site: Site) -> list[Report]:
    return site.latest[: site.config.feed_size]
