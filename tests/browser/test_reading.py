"""Reading on a phone (issue 26): a report's text on the first screen, the folds, the reading bar,
复制本段链接; 长辈模式's compact header; list pages that fit a phone. On the bundled site and on a
generated one of 1,000 reports, at 320/375/1280 px in normal, 字号 大 and 长辈模式."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from tests.browser.test_phones import MODES

FIRST_TEXT = "() => Math.round(document.querySelector('.report-body p').getBoundingClientRect().top + scrollY)"
FOLDS = "() => [...document.querySelectorAll('details[data-wide-open]')].map(d => d.open)"


def _tab(browser, width: int, height: int, mode: str):
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    context.add_init_script(MODES[mode])
    return context, context.new_page()


@pytest.mark.parametrize("site_name", ["bundled", "generated"])
@pytest.mark.parametrize("mode", list(MODES))
def test_a_reports_text_starts_on_the_first_screen_of_a_phone(browser, sites, site_name: str, mode: str) -> None:
    url, pages = sites[site_name]
    context, tab = _tab(browser, 375, 667, mode)
    tab.goto(url + pages["report"])
    top = tab.evaluate(FIRST_TEXT)
    folds = tab.evaluate(FOLDS)
    line = tab.inner_text(".doc-info > summary")
    unit = tab.get_attribute("meta[name=ContentSource]", "content")
    table_shown = tab.is_visible("table.doc-meta")
    context.close()
    assert top + 24 < 667, f"the first paragraph starts at {top} px"
    assert folds and not any(folds)  # 公开信息, 目录 and 主要数据 folded on a phone
    assert unit and unit in line and not table_shown  # 发布机构 on one line, the table behind it


@pytest.mark.parametrize("width", [320, 375, 1280])
def test_folds_open_on_wide_screens_and_the_bar_stays_on_top(browser, sites, width: int) -> None:
    url, pages = sites["bundled"]
    context, tab = _tab(browser, width, 800, "normal")
    tab.goto(url + pages["report"])
    folds = tab.evaluate(FOLDS)
    tab.evaluate("window.scrollTo(0, document.body.scrollHeight / 2)")
    bar_top = tab.evaluate("document.querySelector('.reading-bar').getBoundingClientRect().top")
    bar_height = tab.evaluate("document.querySelector('.reading-bar').getBoundingClientRect().height")
    back_hidden = tab.evaluate("document.querySelector('.bar-back').hidden")
    tab.click(".bar-toc")
    toc_open = tab.evaluate("document.querySelector('.toc details').open")
    context.close()
    assert all(folds) == (width > 600) and any(folds) == (width > 600)
    assert bar_top == 0 and bar_height < 60  # slim, and sticks to the top while reading
    assert back_hidden  # 返回搜索结果 only when the reader came from a search
    assert toc_open


def test_from_a_search_result_the_bar_leads_back_to_the_results(browser, sites) -> None:
    url, _ = sites["bundled"]
    context, tab = _tab(browser, 375, 667, "normal")
    tab.goto(url + "search/?q=" + quote("法律顾问"))
    tab.wait_for_function("document.getElementById('search-results').getAttribute('data-complete') === 'true'")
    results = tab.url
    tab.click(".search-list h2 a")
    tab.wait_for_selector(".bar-back:not([hidden])")
    tab.click(".bar-back")
    tab.wait_for_selector(".search-list")
    back = tab.url
    context.close()
    assert back == results


def test_copy_the_link_of_a_section(browser, sites) -> None:
    url, pages = sites["bundled"]
    context = browser.new_context(viewport={"width": 375, "height": 667}, locale="zh-CN")
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    tab = context.new_page()
    tab.goto(url + pages["report"])
    headings = tab.evaluate("[...document.querySelectorAll('.report-body h2[id]')].map(h => [h.id, !!h.querySelector('.copy-link')])")
    tab.locator(".report-body h2[id] .copy-link").first.click()
    tab.wait_for_function("document.querySelector('.report-body h2[id] .copy-link').textContent === '链接已复制'")
    copied = tab.evaluate("navigator.clipboard.readText()")
    context.close()
    assert headings and all(has for _, has in headings)
    assert copied == url + pages["report"] + "#" + quote(headings[0][0], safe="")


@pytest.mark.parametrize("mode", [*MODES, "elderly-large"])
def test_the_header_takes_at_most_a_quarter_of_a_small_phone(browser, sites, mode: str) -> None:
    url, pages = sites["bundled"]
    script = MODES.get(mode, MODES["elderly"] + MODES["large"])
    context = browser.new_context(viewport={"width": 320, "height": 640}, locale="zh-CN")
    context.add_init_script(script)
    tab = context.new_page()
    tab.goto(url + pages["report"])
    height = tab.evaluate("document.querySelector('.site-header').getBoundingClientRect().height")
    toggle = tab.inner_text(".elderly-toggle").split("（")[0].strip()
    sizes_shown = tab.is_visible("button[data-font-size='large']")
    tab.click(".size-toggle")
    sizes_opened = tab.is_visible("button[data-font-size='large']")
    context.close()
    assert height <= 640 / 4, f"header {height} px"
    assert toggle == ("退出长辈模式" if "elderly" in mode else "长辈模式")
    assert not sizes_shown and sizes_opened  # 大/中/小 fold behind 字号


def test_the_toggle_says_what_it_will_do(browser, sites) -> None:
    url, pages = sites["bundled"]
    context, tab = _tab(browser, 1280, 800, "normal")
    tab.goto(url + pages["report"])
    labels = [tab.inner_text(".elderly-toggle").split("（")[0].strip()]
    tab.click(".elderly-toggle")
    labels.append(tab.inner_text(".elderly-toggle").split("（")[0].strip())
    folded = not tab.is_visible("button[data-font-size='large']")
    tab.click(".elderly-toggle")
    labels.append(tab.inner_text(".elderly-toggle").split("（")[0].strip())
    context.close()
    assert labels == ["长辈模式", "退出长辈模式", "长辈模式"]
    assert folded  # in 长辈模式 字号 folds behind one button at any width


CELLS = """() => [...document.querySelectorAll('main table')].map(t => [t.classList.contains('cards'),
    [...t.querySelectorAll('td')].filter(td => td.textContent.trim()).every(td => {
      const r = td.getBoundingClientRect(); return r.width > 0 && r.right <= innerWidth + 1; }),
    t.closest('.table-scroll') ? t.closest('.table-scroll').scrollWidth <= t.closest('.table-scroll').clientWidth + 1 : true])"""


@pytest.mark.parametrize("width", [320, 375, 1280])
@pytest.mark.parametrize("path", ["stats-county", "stats", "town"])
def test_elderly_tables_become_cards_with_nothing_lost(browser, sites, width: int, path: str) -> None:
    url, pages = sites["generated"]
    context, tab = _tab(browser, width, 800, "elderly")
    tab.goto(url + pages[path])
    tables = tab.evaluate(CELLS)
    labels = tab.evaluate("[...document.querySelectorAll('table.cards td[data-label]')].length")
    context.close()
    assert tables
    for cards, all_shown, no_scroll in tables:
        assert all_shown and no_scroll  # every filled cell on screen, no table scrolls sideways
        assert cards or width > 600
    assert width > 600 or labels > 0


LIST_HEIGHTS = {"year": 25_000, "towns": 16_000, "regions": 3_000}
"""At 375 px on 1,000 reports (before issue 26: 69,195, 13,482 and 19,262 px)."""


@pytest.mark.parametrize("mode", list(MODES))
def test_long_lists_fit_a_phone(browser, sites, mode: str) -> None:
    url, pages = sites["generated"]
    context, tab = _tab(browser, 375, 667, mode)
    heights = {}
    for name in LIST_HEIGHTS:
        tab.goto(url + pages[name])
        heights[name] = tab.evaluate("document.documentElement.scrollHeight")
        if name == "year":
            jumps = tab.evaluate("[...document.querySelectorAll('.jump-links a')].map(a => !!document.getElementById(a.hash.slice(1)))")
            one_column = tab.evaluate("""() => [...document.querySelectorAll('table.rows tbody tr')].slice(0, 50).every(
                tr => tr.querySelector('th').getBoundingClientRect().left === tr.querySelector('td').getBoundingClientRect().left)""")
        if name == "regions":
            folds = tab.evaluate("[...document.querySelectorAll('details.region')].map(d => [d.open, d.querySelector('.region-name').textContent])")
    context.close()
    limits = {k: v * (2.2 if mode == "elderly" else 1) for k, v in LIST_HEIGHTS.items()}
    assert all(heights[k] <= limits[k] for k in heights), heights
    assert len(jumps) > 8 and all(jumps)  # province and county jump links, each to its place
    assert one_column  # the title under the town name, not in a column beside it
    assert folds and not any(open_ for open_, _ in folds)
    from site_builder.division_order import province_key

    codes = [province_key(name)[0] for _, name in folds]
    assert codes == sorted(codes)  # 行政区划代码 order


@pytest.mark.parametrize("width", [320, 1280])
def test_the_filter_box_keeps_the_rows_with_the_name(browser, sites, width: int) -> None:
    url, pages = sites["generated"]
    context, tab = _tab(browser, width, 800, "normal")
    for name in ("year", "towns"):
        tab.goto(url + pages[name])
        word = tab.evaluate("document.querySelector('table.rows tbody th').textContent.trim().slice(0, 2)")
        expected = tab.evaluate("(w) => [...document.querySelectorAll('table.rows tbody tr')].filter(tr => tr.textContent.includes(w)).length", word)
        tab.fill("#list-filter", word)
        shown = tab.evaluate("[...document.querySelectorAll('table.rows tbody tr')].filter(tr => tr.offsetParent !== null)")
        texts = tab.evaluate("[...document.querySelectorAll('table.rows tbody tr')].filter(tr => tr.offsetParent !== null).map(tr => tr.textContent)")
        status = tab.inner_text(".list-filter-count")
        assert len(shown) == expected > 0 and all(word in t for t in texts)
        assert f"找到 {expected} 项" in status
    context.close()
