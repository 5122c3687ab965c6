"""Every page type at 320, 375 and 1280 px, in normal, 字号 大 and 长辈模式, on the bundled site and
on a generated site of 1,000 reports (issue 15): nothing scrolls sideways, no table header and no
number is broken inside a word or away from its unit, every target in 长辈模式 is at least
44 × 44 px, and axe-core finds no violation."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.browser.test_site_in_browser import _contrast, run_axe

WIDTHS = (320, 375, 1280)
MODES = {"normal": "", "large": "localStorage.setItem('font-size', 'large');", "elderly": "localStorage.setItem('elderly', 'on');"}

# One script measures what a reader would see; it returns a list of problems, empty when all is well.
AUDIT = r"""(elderly) => {
  const problems = [];
  const doc = document.documentElement;
  if (doc.scrollWidth > window.innerWidth + 1) {
    const wide = [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 1
        && !e.closest('.table-scroll') && getComputedStyle(e).position !== 'absolute')
      .slice(0, 3).map(e => e.tagName + '.' + e.className);
    problems.push(`scrolls sideways: ${doc.scrollWidth} > ${window.innerWidth} (${wide.join(', ')})`);
  }
  // Lines a piece of text takes: its glyph boxes grouped by vertical overlap (digits and Chinese may
  // come from different fonts, so their tops differ by a pixel or two on one line).
  const lines = (rects) => {
    const rows = [];
    for (const r of rects) {
      if (r.width === 0 || r.height === 0) continue;
      const middle = r.top + r.height / 2;
      if (!rows.some(([top, bottom]) => middle > top && middle < bottom)) rows.push([r.top, r.bottom]);
    }
    return rows.length;
  };
  const textRects = (element) => {
    const found = [];
    const walk = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    while (walk.nextNode()) {
      if (!walk.currentNode.data.trim()) continue;
      const range = document.createRange(); range.selectNodeContents(walk.currentNode);
      found.push(...range.getClientRects());
    }
    return found;
  };
  for (const th of document.querySelectorAll('th')) {
    const text = th.textContent.trim();
    // A card's title (长辈模式's tables as cards) may break between words, as any line of text.
    if (!text || text.length > 12 || th.offsetParent === null || th.closest('table.cards > tbody')) continue;
    if (lines(textRects(th)) > 1) { problems.push(`table header broken: ${text}`); }
  }
  // A number with its unit, or any run of two or more digits (2023, 1,200, 3.5): never split.
  const unit = /\d[\d,.]*\s?(?:%|％|件|次|人|场|个|份|元|万|起|余|天|名|年|月|日|号|小时|人次|场次|件次)|\d[\d,.]*\d/g;
  const walker = document.createTreeWalker(document.querySelector('main') || document.body, NodeFilter.SHOW_TEXT);
  let checked = 0;
  while (walker.nextNode() && checked < 4000) {
    const node = walker.currentNode;
    if (!node.parentElement || node.parentElement.offsetParent === null) continue;
    for (const m of node.data.matchAll(unit)) {
      checked++;
      const range = document.createRange(); range.setStart(node, m.index); range.setEnd(node, m.index + m[0].length);
      if (lines(range.getClientRects()) > 1) { problems.push(`number broken from its unit: ${m[0]}`); }
    }
  }
  if (elderly) {
    for (const e of document.querySelectorAll('a, button, input, select, summary, [tabindex="0"]')) {
      if (e.offsetParent === null || e.closest('.visually-hidden') || e.classList.contains('skip-link')) continue;
      if (e.closest('p, .snippet') && e.tagName === 'A') continue;  // links inside a sentence (WCAG 2.5.8's inline exception)
      const r = e.getBoundingClientRect();
      if (r.width < 43.5 || r.height < 43.5) { problems.push(`target ${Math.round(r.width)}×${Math.round(r.height)}: ${e.tagName} ${e.textContent.trim().slice(0, 12)}`); }
    }
  }
  return problems.slice(0, 12);
}"""


def _visit(browser, url: str, pages: dict[str, str], mode: str) -> Iterator[tuple[int, str, object]]:
    """(width, page type, the loaded tab) for every page type at every width, in one display mode."""
    for width in WIDTHS:
        context = browser.new_context(viewport={"width": width, "height": 800}, locale="zh-CN")
        context.add_init_script(MODES[mode])
        tab = context.new_page()
        for name, path in pages.items():
            tab.goto(url + path)
            if name.startswith("search"):
                tab.wait_for_function("document.getElementById('search-status').textContent.match(/找到|没有|最多/)")
            yield width, name, tab
        context.close()


@pytest.mark.parametrize("site_name", ["bundled", "generated"])
@pytest.mark.parametrize("mode", list(MODES))
def test_every_page_type_fits_phones_and_desktops(browser, sites, site_name: str, mode: str) -> None:
    url, pages = sites[site_name]
    problems = [f"{width}px {name}: {problem}" for width, name, tab in _visit(browser, url, pages, mode)
                for problem in tab.evaluate(AUDIT, mode == "elderly")]
    assert problems == [], "\n".join(problems[:40])


@pytest.mark.parametrize("site_name", ["bundled", "generated"])
@pytest.mark.parametrize("mode", list(MODES))
def test_axe_finds_nothing_on_any_page_type(browser, sites, axe_source: str, site_name: str, mode: str) -> None:
    url, pages = sites[site_name]
    found = {f"{width}px {name}: {violation['id']}": len(violation["nodes"])
             for width, name, tab in _visit(browser, url, pages, mode) for violation in run_axe(tab, axe_source)}
    assert found == {}


def _pdf_text_and_extent(pdf: bytes) -> tuple[str, float, float, float, float]:
    """All text of a PDF and the horizontal and vertical extent of the text on its pages (in pt)."""
    import io

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    xs: list[float] = []
    ys: list[float] = []
    texts: list[str] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if text.strip():
            xs.append(cm[4] + tm[4] * cm[0])
            ys.append(cm[5] + tm[5] * cm[3])
            texts.append(text)

    for page in reader.pages:
        page.extract_text(visitor_text=visit)
    return "".join(texts), min(xs), max(xs), min(ys), max(ys)


@pytest.mark.parametrize("path", ["report", "stats"])
def test_printing_gives_a4_with_margins_and_no_navigation_or_downloads(browser, sites, path: str) -> None:
    url, pages = sites["bundled"]
    context = browser.new_context(locale="zh-CN")
    tab = context.new_page()
    tab.goto(url + pages[path])
    pdf = tab.pdf(prefer_css_page_size=True, print_background=False)
    context.close()
    import io

    from pypdf import PdfReader

    box = PdfReader(io.BytesIO(pdf)).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4
    text, left, right, bottom, top = _pdf_text_and_extent(pdf)
    mm = 72 / 25.4
    assert left >= 19 * mm and right <= 595 - 19 * mm, (left, right)  # @page margins of 20 mm at the sides
    assert bottom >= 19 * mm and top <= 842 - 24 * mm, (bottom, top)  # 25 mm at the top, 20 at the bottom
    for never in ("跳到正文", "长辈模式", "下载统计数据", "返回顶部", "订阅更新", "网站地图", "按地区浏览"):
        assert never not in text, never  # navigation, controls and download boxes are not printed
    # The print line (PDF text maps some glyphs to radicals, 页 → ⻚: look for the others).
    assert "地址" in text and "打印" in text and pages[path] in text.replace("\n", "")


def test_font_size_buttons_work_in_elderly_mode_too(browser, sites) -> None:
    url, pages = sites["bundled"]
    context = browser.new_context(viewport={"width": 375, "height": 800}, locale="zh-CN")
    context.add_init_script(MODES["elderly"])
    tab = context.new_page()
    tab.goto(url + pages["report"])
    size = "() => parseFloat(getComputedStyle(document.querySelector('.report-body p')).fontSize)"
    tab.click(".size-toggle")  # in 长辈模式 字号 folds behind one button
    sizes = {}
    for button in ("large", "small", "medium"):
        tab.click(f"button[data-font-size='{button}']")
        sizes[button] = tab.evaluate(size)
        assert tab.get_attribute(f"button[data-font-size='{button}']", "aria-pressed") == "true"
    context.close()
    assert sizes["small"] < sizes["medium"] == 24 < sizes["large"], sizes  # 中 is the 24 px (18 pt) of 适老化


def test_the_focus_ring_stands_out_at_3_to_1(browser, sites) -> None:
    url, pages = sites["bundled"]
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
    tab = context.new_page()
    tab.goto(url + pages["report"])
    rgb = "(c) => c.match(/\\d+(\\.\\d+)?/g).slice(0, 3).map(Number)"
    checked = 0
    for _ in range(40):  # the skip link, the header's controls, the menu, then the page's links
        tab.keyboard.press("Tab")
        ring, behind = tab.evaluate(f"""() => {{
            const e = document.activeElement, s = getComputedStyle(e); const parse = {rgb};
            let box = e.parentElement; while (box && getComputedStyle(box).backgroundColor === 'rgba(0, 0, 0, 0)') box = box.parentElement;
            return [s.outlineStyle === 'none' ? null : parse(s.outlineColor), parse(box ? getComputedStyle(box).backgroundColor : 'rgb(255,255,255)')];
        }}""")
        assert ring is not None, "a focused element shows no outline"
        assert _contrast(ring, behind) >= 3, (ring, behind)
        checked += 1
    context.close()
    assert checked == 40


def test_a_wide_table_says_that_it_scrolls(browser, sites) -> None:
    url, pages = sites["generated"]
    context = browser.new_context(viewport={"width": 320, "height": 800}, locale="zh-CN")
    tab = context.new_page()
    tab.goto(url + pages["stats-county"])
    hints = tab.evaluate("""() => [...document.querySelectorAll('.table-scroll.scrolls')].map(
        e => getComputedStyle(e, '::before').content)""")
    context.close()
    assert hints and all("左右滑动" in h for h in hints)
