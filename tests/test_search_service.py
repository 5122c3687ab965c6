"""The whoosh side of search: the CLI finds the seeds by known phrases, the index is updated
incrementally, and serve-search answers JSON."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request

import pytest
from conftest import Project, report_text

from site_builder.build import inspect_site
from site_builder.config import load_config
from site_builder.search.service import search, update_index


@pytest.fixture
def indexed(project: Project):
    config, _ = load_config(project.root / "config.yaml")
    assert update_index(inspect_site(config)[0]) == (5, 0)
    return config


@pytest.mark.parametrize(("query", "expected"), [
    ("果品营销调委会", ["shandong/yiyuan/zhongzhuang/2022/"]),
    ("新丰书院", ["chongqing/fengdu/rensha/2024/"]),
    ('"警司联调"', ["shandong/yiyuan/zhongzhuang/2022/"]),
    ("第六埠村", ["tianjin/xiqing/xinkou/2023/"]),
    ("双江镇 法律顾问", ["chongqing/tongnan/shuangjiang/2023/"]),
    ("work", ["tianjin/xiqing/xinkou/2023/"]),
    ("量子计算机", []),
])
def test_cli_search_finds_the_seeds_by_known_phrases(indexed, query: str, expected: list[str]) -> None:
    found = search(indexed, query)
    assert found.total == len(expected) and [h.url for h in found.hits] == expected
    for hit in found.hits:
        assert "【" in hit.snippet


def test_all_five_seeds_mention_disputes_and_filters_narrow_them(indexed) -> None:
    assert search(indexed, "矛盾纠纷").total == 5
    assert search(indexed, "矛盾纠纷", year=2023).total == 2
    assert [h.url for h in search(indexed, "矛盾纠纷", year=2023, county="西青区").hits] == ["tianjin/xiqing/xinkou/2023/"]
    assert search(indexed, "矛盾纠纷", town="仁沙镇").total == 1


def test_an_index_written_by_several_processes_answers_the_same(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    """A first build of a large site writes the whoosh index from several processes (a segment
    each): it must answer exactly as the one written by one process."""
    from site_builder import parallel

    queries = ["矛盾纠纷", "法律顾问 行政复议", '"依法治镇"', "work", "法治"]
    config, _ = load_config(project.root / "config.yaml")
    assert update_index(inspect_site(config)[0]) == (5, 0)
    one = [(search(config, q).total, [h.url for h in search(config, q).hits]) for q in queries]
    shutil.rmtree(project.root / ".site-cache" / "whoosh")
    monkeypatch.setattr(parallel, "PARALLEL_THRESHOLD", 2)
    assert update_index(inspect_site(config)[0]) == (5, 0)
    assert [(search(config, q).total, [h.url for h in search(config, q).hits]) for q in queries] == one
    assert one[0][0] == 5
    if parallel.workers() > 1 and parallel.can_fork():
        from whoosh import index

        assert len(index.open_dir(str(project.root / ".site-cache" / "whoosh"))._segments()) > 1  # it did run in parallel
    # Two reports changed: their old versions deleted and the new ones written by workers, in one commit.
    project.write("content/chongqing/tongnan/shuangjiang/2023.md", report_text(n=7) + "\n新增的独特词语测试内容。\n")
    xinkou = project.root / "content/tianjin/xiqing/xinkou/2023.md"
    xinkou.write_text(xinkou.read_text(encoding="utf-8") + "\n另一段独特词语。\n", encoding="utf-8")
    assert update_index(inspect_site(config)[0]) == (2, 2)
    again = [(search(config, q).total, [h.url for h in search(config, q).hits]) for q in [*queries, "独特词语"]]
    shutil.rmtree(project.root / ".site-cache" / "whoosh")
    monkeypatch.setattr(parallel, "PARALLEL_THRESHOLD", 200)
    assert update_index(inspect_site(config)[0]) == (5, 0)
    assert [(search(config, q).total, [h.url for h in search(config, q).hits]) for q in [*queries, "独特词语"]] == again
    assert again[-1][0] == 2


def test_title_and_heading_hits_rank_first(indexed) -> None:
    found = search(indexed, "依法化解矛盾")
    assert found.total >= 1 and found.hits[0].section.startswith("（八）依法化解矛盾")


def test_index_is_updated_incrementally(project: Project, indexed) -> None:
    project.write("content/chongqing/tongnan/shuangjiang/2023.md", report_text(n=7) + "\n新增的独特词语测试内容。\n")
    assert update_index(inspect_site(indexed)[0]) == (1, 1)  # one report analysed again, its old version removed
    assert update_index(inspect_site(indexed)[0]) == (0, 0)
    assert search(indexed, "独特词语").total == 1


def test_whoosh_answers_exactly_what_substring_search_answers(project: Project) -> None:
    """The differential oracle (tests/search_oracle.py) on the CLI's and serve-search's engine."""
    from search_oracle import VARIETY_REPORT, report_units, samples, truth

    project.write("content/chongqing/ceshi/ceshi/2023.md", VARIETY_REPORT)
    config, _ = load_config(project.root / "config.yaml")
    update_index(inspect_site(config)[0])
    units = report_units(project.root / "config.yaml")
    queries = list(samples(units, 600))
    wrong = [q for q in queries if {h.url for h in search(config, q, limit=100).hits} != truth(units, q)]
    assert wrong == []
    relaxed = search(config, "矛盾纠纷，调解")
    assert relaxed.relaxed == ["矛盾纠纷", "调解"] and relaxed.total == 5


def test_a_snippet_marks_every_word_in_body_text(indexed) -> None:
    hit = search(indexed, "信访 2023").hits[0]
    assert "【信访】" in hit.snippet and "【2023】" in hit.snippet and hit.snippet.strip("…") not in hit.title


def test_cli_prints_hits_with_links(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    result = project.run(capsys, "search", "矛盾纠纷 调解", "--limit", "2", "--site-url", "https://example.org")
    assert result.code == 0
    assert "5 report(s) contain" in result.out and result.out.count("https://example.org/") == 2 and "【" in result.out
    assert project.run(capsys, "search", "量子计算机").code == 1


def test_serve_search_answers_json(project: Project) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = subprocess.Popen([sys.executable, "-m", "site_builder", "serve-search", "--port", str(port),
                                "--config", str(project.root / "config.yaml")], cwd=project.root,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        url = f"http://127.0.0.1:{port}/api/search?" + urllib.parse.urlencode({"q": "法律顾问", "year": "2023", "limit": "5"})
        for _ in range(3000):  # the service indexes first: generous on a loaded CI host
            try:
                with urllib.request.urlopen(url, timeout=60) as response:
                    body = json.loads(response.read().decode("utf-8"))
                    assert response.headers["Content-Type"].startswith("application/json")
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("serve-search did not answer")
        assert body["total"] == 2 and {r["town"] for r in body["results"]} == {"双江镇", "辛口镇"}
        assert all(r["url"].startswith("/") and "snippet" in r for r in body["results"])
    finally:
        process.terminate()
        process.wait(timeout=120)
