"""Search that browses (issue 26): filters alone list reports, facets count them by 年度, 区县 and
乡镇 (each count equal to a plain count of the reports' front-matter), a town picker that completes
a name, sorting by year or 发布日期, 直达 a town the query names, labels kept with their boxes."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.browser.test_phones import MODES

DONE = "document.getElementById('search-results').getAttribute('data-complete') === 'true' || /没有|不可用|请输入/.test(document.getElementById('search-status').textContent)"


def _front_matter(project: Path) -> list[dict[str, str]]:
    """Every report's front-matter keys, read plainly from its file."""
    found = []
    for path in sorted((project / "content").rglob("*.md")):
        head = path.read_text(encoding="utf-8").split("---")[1]
        found.append(dict(re.findall(r"^(\w+): *(.*?) *$", head, re.M)))
    return found


def _open(browser, url: str, width: int = 375, mode: str = "normal"):
    context = browser.new_context(viewport={"width": width, "height": 800}, locale="zh-CN")
    context.add_init_script(MODES[mode])
    tab = context.new_page()
    tab.goto(url)
    tab.wait_for_function(DONE)
    return context, tab


def test_filters_alone_list_a_countys_reports_with_counts(browser, sites, site_projects) -> None:
    url, _ = sites["generated"]
    reports = _front_matter(site_projects["generated"])
    county, year = Counter((r["county"], r["year"]) for r in reports).most_common(1)[0][0]
    expected = sum(r["county"] == county and r["year"] == year for r in reports)
    context, tab = _open(browser, f"{url}search/?year={year}&county={quote(county)}")
    status = tab.inner_text("#search-status")
    pages = tab.evaluate("document.querySelectorAll('.search-list li').length")
    town_counts = tab.evaluate("Object.fromEntries([...document.querySelectorAll('.facet-list a')].map(a => [a.textContent, +a.dataset.count]))")
    context.close()
    assert f"共 {expected} 份报告" in status and pages == min(10, expected)
    plain = Counter(r["town"] for r in reports if r["county"] == county and r["year"] == year)
    assert town_counts and all(plain[town] == count for town, count in town_counts.items())


def test_facet_counts_equal_a_plain_count(browser, sites, site_projects) -> None:
    url, _ = sites["generated"]
    reports = _front_matter(site_projects["generated"])
    county = Counter(r["county"] for r in reports).most_common(1)[0][0]
    context, tab = _open(browser, f"{url}search/?county={quote(county)}")
    facets = tab.evaluate("""[...document.querySelectorAll('.facet')].map(f => [f.querySelector('h2').textContent,
        Object.fromEntries([...f.querySelectorAll('.facet-list a')].map(a => [a.textContent, +a.dataset.count]))])""")
    context.close()
    by = dict(facets)
    assert by["按年度"] == dict(Counter(r["year"] for r in reports if r["county"] == county))
    towns = Counter(r["town"] for r in reports if r["county"] == county)
    assert by["按乡镇（街道）"] == dict(towns.most_common(12)) or all(towns[t] == n for t, n in by["按乡镇（街道）"].items())


def test_the_town_picker_completes_a_name(browser, sites, site_projects) -> None:
    url, _ = sites["bundled"]
    context, tab = _open(browser, f"{url}search/?q={quote('法律顾问')}&town={quote('双江')}")
    status = tab.inner_text("#search-status")
    town = tab.input_value("#search-town")
    options = tab.evaluate("[...document.querySelectorAll('#search-towns option')].map(o => o.value)")
    context.close()
    assert "找到 1 份报告" in status and town == "双江镇"  # 白中 → 白中镇: not 没有找到
    assert "双江镇" in options and len(options) == len(set(options)) >= 5


@pytest.mark.parametrize("sort", ["date", "year"])
def test_sorting_by_date_or_year(browser, sites, site_projects, sort: str) -> None:
    url, _ = sites["generated"]
    reports = _front_matter(site_projects["generated"])
    county = Counter(r["county"] for r in reports).most_common(1)[0][0]
    context, tab = _open(browser, f"{url}search/?county={quote(county)}&sort={sort}")
    shown = tab.evaluate("[...document.querySelectorAll('.search-list li')].map(li => [li.querySelector('h2').textContent, li.querySelector('.meta').textContent])")
    context.close()
    dates = sorted((r.get("published", ""), r["year"]) for r in reports if r["county"] == county)[::-1]
    if sort == "year":
        years = [int(re.search(r"(\d{4})年度", h).group(1)) for h, _ in shown]
        assert years == sorted(years, reverse=True) and str(years[0]) == max(r["year"] for r in reports if r["county"] == county)
    else:
        first = re.search(r"发布于 (\d+)年(\d+)月(\d+)日", shown[0][1])
        assert first and "{}-{:02d}-{:02d}".format(*(int(x) for x in first.groups())) == dates[0][0]


def test_a_query_naming_a_town_leads_straight_to_it(browser, sites, site_projects) -> None:
    url, _ = sites["generated"]
    reports = _front_matter(site_projects["generated"])
    town = Counter(r["town"] for r in reports).most_common(1)[0][0]
    context, tab = _open(browser, f"{url}search/?q={quote(town)}")
    line = tab.inner_text(".direct")
    context.close()
    counties = {r["county"] for r in reports if r["town"] == town}
    assert f"直达 {town}" in line
    assert all(f"{sum(r['town'] == town and r['county'] == c for r in reports)} 份报告" in line for c in counties)


@pytest.mark.parametrize("mode", list(MODES))
@pytest.mark.parametrize("width", [320, 375, 1280])
def test_filter_labels_stay_with_their_boxes(browser, sites, site_projects, width: int, mode: str) -> None:
    url, _ = sites["bundled"]
    context, tab = _open(browser, f"{url}search/?year=2023", width, mode)
    pairs = tab.evaluate("""[...document.querySelectorAll('.search-filters .filter')].filter(f => f.querySelector('label')).map(f => {
        const l = f.querySelector('label').getBoundingClientRect(), c = f.querySelector('select, input').getBoundingClientRect();
        return [f.querySelector('label').textContent, l.left - c.left, c.top - l.bottom, c.right <= innerWidth];
    })""")
    context.close()
    assert len(pairs) == 5
    for label, left, gap, inside in pairs:
        assert abs(left) < 1 and 0 <= gap < 8 and inside, (label, left, gap)
