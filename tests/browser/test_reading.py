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
    url, pages = sites["bundled"]
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
