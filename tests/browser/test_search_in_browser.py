"""Search in a real browser: exact Chinese substring semantics on the seeds (recall and precision
1.0 against plain substring search), keyboard-only use, escaping, filters and shareable URLs,
and the bytes the first query downloads."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

import pytest
from conftest import REPO, copy_project

from tests.browser.conftest import HOSTILE_REPORT

QUERIES = [
    # common terms
    "法治", "矛盾纠纷", "法律顾问", "行政复议", "行政执法", "普法", "调解", "信访", "营商环境", "合法性审查", "依法行政",
    "法治政府建设", "第一责任人", "民主法治", "公共法律服务", "乡村振兴", "执法人员", "规范性文件", "行政诉讼", "宪法", "民法典",
    "枫桥经验", "网格", "扫黑除恶", "安全生产", "综合执法", "法律援助", "政务公开", "述法", "出庭应诉",
    # rare terms
    "果品营销调委会", "新丰书院", "第六埠村", "三治融合", "警司联调", "律师事务所", "长牙齿",
    # places
    "双江镇", "中庄镇", "兴隆镇", "仁沙镇", "辛口镇", "潼南区", "丰都县", "沂源县",
    # several terms, quoted phrases, nothing
    "矛盾纠纷 调解", "法律顾问 行政复议", "普法 宣传 网格", '"调解成功率"', '"依法治镇"', "量子计算机",
    # digits joined to Chinese (the Chinese part begins or ends a run), three and eight characters
    "2022年度", "2024年", "12次", "17个村", "制定2024", "辛口镇2023", "民法典", "法治政府建设工作",
]


def _plain_texts() -> dict[str, str]:
    """Report URL → title + body text, from the Markdown sources: the baseline for substring search."""
    texts = {}
    for path in sorted((REPO / "content").rglob("*.md")):
        texts[_url_of(path)] = _plain(path.read_text(encoding="utf-8"))
    texts["chongqing/tongnan/ceshi/2022/"] = _plain(HOSTILE_REPORT)
    return texts


def _url_of(path) -> str:
    front = path.read_text(encoding="utf-8").split("\n---\n", 1)[0]
    year = re.search(r"^year: (\d{4})", front, re.M).group(1)
    return path.relative_to(REPO / "content").parent.as_posix() + f"/{year}/"


def _plain(markdown: str) -> str:
    front, body = markdown.split("\n---\n", 1)
    title = re.search(r'^title: "?([^"\n]+?)"?(?:\s+#.*)?$', front, re.M).group(1)
    body = re.sub(r"^#+ ", "", body, flags=re.M).replace("\\", "").replace("`", "")
    return unicodedata.normalize("NFKC", title + "\n" + body).lower()


def _expected(query: str, texts: dict[str, str]) -> set[str]:
    terms = [a or b for a, b in re.findall(r'"([^"]+)"|(\S+)', query)]
    return {url for url, text in texts.items() if all(unicodedata.normalize("NFKC", t).lower() in text for t in terms)}


def _results(page, site_url: str, query: str) -> set[str]:
    page.goto(site_url + "search/?q=" + quote(query))
    page.wait_for_function("document.getElementById('search-results').getAttribute('data-complete') === 'true'")
    hrefs = page.eval_on_selector_all(".search-list h2 a", "els => els.map(e => e.getAttribute('href'))")
    return {h.split("#")[0].split("?")[0].removeprefix("/reports-site/") for h in hrefs}


def test_results_equal_substring_search_for_every_query(page, site_url: str) -> None:
    texts = _plain_texts()
    assert len(QUERIES) >= 40
    misses, false_hits = {}, {}
    for query in QUERIES:
        got, want = _results(page, site_url, query), _expected(query, texts)
        if want - got:
            misses[query] = sorted(want - got)
        if got - want:
            false_hits[query] = sorted(got - want)
    assert misses == {} and false_hits == {}
    assert _results(page, site_url, "矛盾纠纷") == _expected("矛盾纠纷", texts) and len(_expected("矛盾纠纷", texts)) == 5


def test_keyboard_only_search_and_open_the_matched_section(page, site_url: str) -> None:
    page.goto(site_url)
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "site-search-q":
            break
    else:
        pytest.fail("the search box cannot be reached with Tab")
    page.keyboard.type("果品营销调委会")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_function("document.getElementById('search-results').getAttribute('data-complete') === 'true'")
    assert page.get_attribute("#search-status", "role") == "status"
    assert page.get_attribute("#search-status", "aria-live") == "polite"
    assert page.text_content("#search-status").startswith("找到 1 份报告")
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("!!document.activeElement.closest('.search-list')"):
            break
    else:
        pytest.fail("the first result cannot be reached with Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/shandong/yiyuan/zhongzhuang/2022/?hl=" in page.url and "#" in page.url
    anchor = page.url.split("#", 1)[1].split(":~:", 1)[0]
    section_text = page.evaluate("""(id) => { const h = document.getElementById(decodeURIComponent(id)); let text = '', n = h.nextElementSibling;
        while (n && !/^H[1-3]$/.test(n.tagName)) { text += n.textContent; n = n.nextElementSibling; } return text; }""", anchor)
    assert "果品营销调委会" in section_text
    assert page.evaluate("Array.from(document.querySelectorAll('mark.search-hit')).map(m => m.textContent)") == ["果品营销调委会"] * \
        page.evaluate("document.querySelector('.report-body').textContent.split('果品营销调委会').length - 1")


def test_markup_in_a_report_is_found_and_shown_as_text(page, site_url: str) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    assert _results(page, site_url, "alert") == {"chongqing/tongnan/ceshi/2022/"}
    snippet = page.inner_text(".search-list .snippet")
    assert "<script>alert(1)</script>" in snippet
    assert page.eval_on_selector_all(".search-list script", "els => els.length") == 0
    assert dialogs == []


def test_filters_and_the_url_round_trip(page, site_url: str) -> None:
    assert len(_results(page, site_url, "矛盾纠纷")) == 5
    page.select_option("#search-year", "2023")
    page.select_option("#search-province", "重庆市")
    with page.expect_navigation():
        page.click(".search-row button")
    assert "year=2023" in page.url and "province=" in page.url and "q=" in page.url
    page.wait_for_function("document.getElementById('search-status').textContent.startsWith('找到')")
    first = page.eval_on_selector_all(".search-list h2 a", "els => els.map(e => e.getAttribute('href').split(/[?#]/)[0])")
    assert first == ["/reports-site/chongqing/tongnan/shuangjiang/2023/"]
    shared = page.url
    page.goto(site_url)
    page.goto(shared)  # a shared link shows the same list
    page.wait_for_function("document.getElementById('search-status').textContent.startsWith('找到')")
    assert page.eval_on_selector_all(".search-list h2 a", "els => els.map(e => e.getAttribute('href').split(/[?#]/)[0])") == first
    # The year list is filled from meta.json, asked for once the first page is drawn.
    page.wait_for_function("document.getElementById('search-year').value === '2023'")
    assert page.input_value("#search-q") == "矛盾纠纷"
    page.goto(site_url + "search/?q=" + quote("矛盾纠纷") + "&town=" + quote("辛口镇"))
    page.wait_for_function("document.getElementById('search-status').textContent.startsWith('找到')")
    assert page.text_content("#search-status").startswith("找到 1 份报告")


def test_first_and_second_query_download_budgets(browser, site_url: str) -> None:
    context = browser.new_context()
    tab = context.new_page()
    sizes: dict[str, int] = {}
    tab.on("requestfinished", lambda r: sizes.__setitem__(r.url, max(0, r.sizes()["responseBodySize"]))  # < 0: from the cache
           if "/search/" in r.url or "search.js" in r.url else None)
    tab.goto(site_url + "search/?q=" + quote("矛盾纠纷"))
    tab.wait_for_function("document.getElementById('search-status').textContent.startsWith('找到')")
    tab.wait_for_load_state("networkidle")  # late responses of the first query must not count for the second
    first = sum(v for k, v in sizes.items() if "?q=" not in k)
    sizes.clear()
    tab.goto(site_url + "search/?q=" + quote("法律顾问"))
    tab.wait_for_function("document.getElementById('search-status').textContent.startsWith('找到')")
    tab.wait_for_load_state("networkidle")
    second = sum(v for k, v in sizes.items() if "?q=" not in k)
    context.close()
    # The script (39 KB), stats.json, two heads shards (a sixteenth of this small site's heads
    # each: on six reports every head is its term's whole entry, with positions, and the heads
    # settle everything), five results' files: 122 KB when written; the second needs no script
    # (format 9: nor, on this small site, any file not already fetched — its phrase head can share a
    # shard with the first's, and its results are the same reports).
    assert 0 < first <= 128 * 1024, first
    assert 0 <= second <= 64 * 1024, second


def _answers(context, site_url: str, queries: list[str]) -> tuple[list[tuple[str, str]], list[str]]:
    """Each query's status line and results list (titles, snippets, pages) once complete, and the URLs asked."""
    tab = context.new_page()
    asked: list[str] = []
    tab.on("request", lambda r: asked.append(r.url))
    shown = []
    for query in queries:
        tab.goto(site_url + "search/?q=" + quote(query))
        tab.wait_for_function("document.getElementById('search-results').getAttribute('data-complete') === 'true'")
        shown.append((tab.text_content("#search-status"), tab.inner_html("#search-results")))
    tab.goto(site_url + "search/?year=2023")
    tab.wait_for_function("document.getElementById('search-status').textContent.startsWith('共 ')")
    shown.append((tab.text_content("#search-status"), tab.inner_html("#search-results")))
    context.close()
    return shown, asked


def test_a_browser_without_decompression_streams_searches_the_same_with_the_vendored_inflate(browser, site_url: str) -> None:
    """The shard files and texts are deflated (format 8): where DecompressionStream is missing,
    search.js loads assets/vendor/fflate.min.js once and answers word queries exactly as a modern
    browser does (count, order, snippets, the other pages); a modern browser never fetches it."""
    queries = ["矛盾纠纷", "信访 2023", "法治", "矛盾纠纷，调解"]
    modern, modern_asked = _answers(browser.new_context(), site_url, queries)
    old = browser.new_context()
    old.add_init_script("delete window.DecompressionStream;")
    without, without_asked = _answers(old, site_url, queries)
    assert without == modern
    assert all('class="snippet"' in html and "<mark>" in html for _, html in modern[:3])
    assert modern[0][0].startswith("找到") and modern[2][0].startswith("找到")
    assert not [u for u in modern_asked if "fflate" in u]
    inflate = [u for u in without_asked if "fflate" in u]
    assert 1 <= len(inflate) <= len(queries) + 1  # at most once a page
    assert inflate[0].startswith(site_url + "assets/vendor/fflate.min.js?v=")  # fingerprinted, under the sub-path base
    for kind in ("/search/s/", "/search/p/", "/search/docs/"):
        assert [u for u in without_asked if kind in u and u.endswith(".bin")], kind


def test_the_vendored_inflate_is_loaded_once_a_page_and_a_failure_says_so(browser, site_url: str) -> None:
    context = browser.new_context()
    context.add_init_script("delete window.DecompressionStream;")
    tab = context.new_page()
    asked: list[str] = []
    tab.on("request", lambda r: asked.append(r.url))
    tab.goto(site_url + "search/?q=" + quote("法治政府建设"))
    tab.wait_for_function("document.getElementById('search-results').getAttribute('data-complete') === 'true'")
    assert len([u for u in asked if "fflate" in u]) == 1
    assert len([u for u in asked if "/search/" in u and u.endswith(".bin")]) > 2  # shards and texts, one script
    tab.route("**/fflate.min.js*", lambda route: route.abort())
    tab.goto(site_url + "search/?q=" + quote("调解"))
    tab.wait_for_function("document.getElementById('search-status').textContent.includes('fflate.min.js')")
    assert "新版浏览器" in tab.text_content("#search-status")
    context.close()


def test_a_single_character_is_searched_exactly(page, site_url: str) -> None:
    texts = _plain_texts()
    for query in ("法", "镇", "%", "（"):
        assert _results(page, site_url, query) == _expected(query, texts)
    assert len(_results(page, site_url, "法")) == 6


def test_results_show_why_they_matched(page, site_url: str) -> None:
    """Link text names the place and year; the snippet is body text with every word marked; the
    page title carries the query; focus moves to the count; a query with punctuation that finds
    nothing runs again without it, and says so."""
    page.goto(site_url + "search/?q=" + quote("信访 2023"))
    page.wait_for_function("document.getElementById('search-results').getAttribute('data-complete') === 'true'")
    assert "信访 2023" in page.title() and page.evaluate("document.activeElement.id") == "search-status"
    first = page.query_selector(".search-list li")
    assert re.fullmatch(r"\S+镇 20\d\d年度", first.query_selector("h2 a").inner_text())
    assert sorted(set(first.eval_on_selector_all(".snippet mark", "els => els.map(e => e.textContent)"))) == ["2023", "信访"]
    page.goto(site_url + "search/?q=" + quote("矛盾纠纷，调解"))
    page.wait_for_function("document.getElementById('search-status').textContent.includes('找到')")
    assert "按“矛盾纠纷 调解”" in page.text_content("#search-status") and len(page.query_selector_all(".search-list li")) == 5


def test_the_county_list_follows_the_province(page, site_url: str) -> None:
    page.goto(site_url + "search/")
    page.wait_for_function("document.querySelectorAll('#search-county option').length > 1")
    page.select_option("#search-province", "山东省")
    assert page.eval_on_selector_all("#search-county option", "els => els.map(e => e.value)") == ["", "沂源县"]


@pytest.fixture(scope="module")
def oracle_site(tmp_path_factory: pytest.TempPathFactory):
    """The seeds, the markup report and a report of Latin words, full-width forms and symbols,
    built and served for the differential oracle."""
    import functools
    import http.server
    import threading

    from search_oracle import VARIETY_REPORT

    from site_builder.cli import main
    from tests.browser.conftest import QuietHandler

    root = tmp_path_factory.mktemp("oracle")
    project = copy_project(root / "project")
    project.write("content/chongqing/tongnan/ceshi/2022.md", HOSTILE_REPORT)
    project.write("content/chongqing/ceshi/ceshi/2023.md", VARIETY_REPORT)
    assert main(["build", "--config", str(project.root / "config.yaml"), "--output", str(root / "www")]) == 0
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(root / "www")))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield project.root, root / "www", f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


def test_the_browser_answers_exactly_what_substring_search_answers(browser, oracle_site) -> None:
    from search_oracle import StaticIndex, report_units, samples, truth

    project, www, url = oracle_site
    units = report_units(project / "config.yaml")
    docs = StaticIndex(www).docs
    queries = list(samples(units, 800, seed=11))
    tab = browser.new_page()
    tab.goto(url + "search/")
    answers = tab.evaluate("""async (qs) => { const out = []; for (const q of qs) {
        try { out.push(await window.siteSearch.ids(q, {})); } catch (e) { out.push(String(e)); } } return out; }""", queries)
    tab.close()
    wrong = {q: (sorted(truth(units, q)), got) for q, got in zip(queries, answers, strict=True)
             if not isinstance(got, list) or {docs[int(i)] for i in got} != truth(units, q)}
    assert wrong == {}
    assert sum(1 for q in queries if truth(units, q)) > 500


def test_a_query_past_the_bounds_is_refused_with_the_reason(page, site_url: str) -> None:
    """The same bounds as serve-search (site_builder/search/limits.py, via meta.json)."""
    words = " ".join(["法治", "调解", "信访", "普法", "复议", "诉讼", "顾问", "培训", "宣传", "执法", "公开"])
    page.goto(site_url + "search/?q=" + quote(words))
    page.wait_for_function("document.getElementById('search-status').textContent.length > 0")
    assert "最多 10 个" in page.text_content("#search-status")
    page.goto(site_url + "search/?q=" + quote("法治" * 101))
    page.wait_for_function("document.getElementById('search-status').textContent.length > 0")
    assert "最多查找 200 个" in page.text_content("#search-status")


def test_all_three_front_ends_are_exact_on_a_generated_corpus(browser, tmp_path_factory: pytest.TempPathFactory) -> None:
    """1,000 generated reports (and the report of Latin words and symbols): the browser, the
    static index read in Python, and whoosh (`search` and serve-search's engine) each answer
    a few hundred drawn queries exactly as plain substring search does."""
    import functools
    import http.server
    import threading

    from corpus import generate
    from search_oracle import VARIETY_REPORT, StaticIndex, report_units, samples, truth

    from site_builder.build import inspect_site
    from site_builder.cli import main
    from site_builder.config import load_config
    from site_builder.search.service import report_urls, update_index
    from tests.browser.conftest import QuietHandler

    root = tmp_path_factory.mktemp("corpus")
    project = copy_project(root / "project", with_content=False)
    generate(1000, project.root)
    project.write("content/chongqing/ceshi/ceshi/2023.md", VARIETY_REPORT)
    assert main(["build", "--no-stats", "--config", str(project.root / "config.yaml"), "--output", str(root / "www")]) == 0
    units = report_units(project.root / "config.yaml")
    queries = list(samples(units, 300, seed=3))
    expected = [truth(units, q) for q in queries]
    static = StaticIndex(root / "www")
    assert [static.search(q) for q in queries] == expected
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(root / "www")))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        tab = browser.new_page()
        tab.goto(f"http://127.0.0.1:{server.server_address[1]}/search/")
        answers = tab.evaluate("""async (qs) => { const out = []; for (const q of qs) {
            try { out.push(await window.siteSearch.ids(q, {})); } catch (e) { out.push(String(e)); } } return out; }""", queries)
        # The first page drawn from the heads (before the full entries) is the first page of the
        # complete ranking; count how often the heads settled it.
        firsts = tab.evaluate("""async (qs) => { const out = [], how = {}; for (const q of qs) {
            let a; try { a = await window.siteSearch.firstPage(q); } catch (e) { continue; }
            const b = (await window.siteSearch.ids(q, {})).slice(0, 10);
            how[a[1]] = (how[a[1]] || 0) + 1;
            if (a[0].join() !== b.join()) { out.push([q, a, b]); } } return [out, how]; }""", queries)
        tab.close()
    finally:
        server.shutdown()
    assert firsts[0] == [] and firsts[1].get("heads", 0) + firsts[1].get("all", 0) > 100, firsts[1]
    assert [{static.docs[int(i)] for i in a} if isinstance(a, list) else a for a in answers] == expected
    config, _ = load_config(project.root / "config.yaml")
    update_index(inspect_site(config)[0])
    assert [set(report_urls(config, q)) for q in queries[:150]] == expected[:150]
    assert sum(1 for found in expected if found) > 200 and max(len(found) for found in expected) > 500
