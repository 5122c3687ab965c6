"""The search analysis and the static index files it produces."""

from __future__ import annotations

import json
import subprocess

import pytest
from conftest import Project

from site_builder.search.browser import fnv1a
from site_builder.search.tokens import query_constraints, tokens


def test_chinese_as_bigrams_with_positions_latin_and_digits_as_words() -> None:
    assert list(tokens("矛盾纠纷")) == [("矛盾", 0), ("盾纠", 1), ("纠纷", 2)]
    assert list(tokens("2023年，Work 提示ＡＢ")) == [("2023", 0), ("年", 4), ("work", 6), ("提示", 11), ("ab", 13)]
    assert list(tokens("，。！")) == []


def test_query_constraints_are_offsets_from_the_first_token() -> None:
    assert query_constraints("法律顾问") == [("法律", 0), ("律顾", 1), ("顾问", 2)]
    assert query_constraints("12348热线") == [("12348", 0), ("热线", 5)]


def test_fnv1a_matches_the_browser_implementation() -> None:
    script = ("function fnv1a(t){var h=0x811c9dc5;for(var ch of t){h=Math.imul(h^ch.codePointAt(0),0x01000193)>>>0;}return h;}"
              "console.log(JSON.stringify(['矛盾','work','=year:2023','𠀀字'].map(fnv1a)))")
    node = subprocess.run(["node", "-e", script], capture_output=True, text=True)
    if node.returncode:
        pytest.skip("node not available")
    assert json.loads(node.stdout) == [fnv1a(t) for t in ["矛盾", "work", "=year:2023", "𠀀字"]]


@pytest.fixture
def index(project: Project, capsys: pytest.CaptureFixture[str]) -> Project:
    assert project.run(capsys, "build").code == 0
    return project


def test_index_files_and_size_budgets(index: Project) -> None:
    search = index.site / "search"
    meta = json.loads((search / "meta.json").read_text(encoding="utf-8"))
    assert meta["docs"] == 5 and len(meta["len"]) == 5 and meta["filters"]["year"] == ["2024", "2023", "2022", "2021"]
    shards = sorted((search / "shards").glob("*.json"))
    assert len(shards) == meta["n"] == len(list((search / "shards").glob("*.json.gz")))
    import gzip

    assert all(gzip.decompress((search / "shards" / f"{p.name}.gz").read_bytes()) == p.read_bytes() for p in shards)
    sizes = [p.stat().st_size for p in shards]
    assert max(sizes) <= 64 * 1024, max(sizes)          # a shard stays small
    assert (search / "meta.json").stat().st_size <= 4 * 1024
    docs = [p for p in (search / "docs").glob("*.json") if "-" not in p.stem]
    chunks = [p for p in (search / "docs").glob("*.json") if "-" in p.stem]
    assert len(docs) == 5 and max(p.stat().st_size for p in docs) <= 4 * 1024     # title, place, section starts
    assert chunks and max(p.stat().st_size for p in chunks) <= 8 * 1024           # 2,048 characters of text


def test_every_term_is_in_the_shard_its_hash_names(index: Project) -> None:
    search = index.site / "search"
    meta = json.loads((search / "meta.json").read_text(encoding="utf-8"))
    for path in (search / "shards").glob("*.json"):
        for term in json.loads(path.read_text(encoding="utf-8")):
            assert fnv1a(term) % meta["n"] == int(path.stem)


def test_postings_decode_to_the_positions_of_the_text(index: Project) -> None:
    """Follow 矛盾纠纷 by hand through the files: the bigram positions must spell the phrase."""
    search = index.site / "search"
    meta = json.loads((search / "meta.json").read_text(encoding="utf-8"))

    def positions(term: str) -> dict[int, set[int]]:
        shard = json.loads((search / "shards" / f"{fnv1a(term) % meta['n']}.json").read_text(encoding="utf-8"))
        found: dict[int, set[int]] = {}
        for doc, *deltas in shard[term]:
            value = 0
            for delta in deltas:
                value += delta
                found.setdefault(doc, set()).add(value // 3)
        return found

    first, second, third = positions("矛盾"), positions("盾纠"), positions("纠纷")
    docs = {d for d in first if any(p + 1 in second.get(d, ()) and p + 2 in third.get(d, ()) for p in first[d])}
    assert len(docs) == 5  # every seed report mentions 矛盾纠纷


def test_search_can_be_turned_off(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    assert project.run(capsys, "build", "--no-search").code == 0
    assert not (project.site / "search").exists()
    assert project.page("").select_one("form.site-search") is None


def test_rebuild_after_one_change_analyses_only_that_report(project: Project) -> None:
    from site_builder.build import build
    from site_builder.config import load_config

    config, _ = load_config(project.root / "config.yaml")
    assert build(config).search_analysed == 5
    first = {p.name: p.read_bytes() for p in (project.site / "search" / "shards").glob("*.json")}
    assert build(config).search_analysed == 0
    assert {p.name: p.read_bytes() for p in (project.site / "search" / "shards").glob("*.json")} == first
    path = project.content / "chongqing" / "tongnan" / "shuangjiang" / "2023.md"
    path.write_text(path.read_text(encoding="utf-8") + "\n新增一句独特的话。\n", encoding="utf-8")
    assert build(config).search_analysed == 1
    assert len(list((project.root / ".site-cache" / "search").glob("*.bin"))) == 5  # the old version is forgotten


def test_the_fast_posting_loop_agrees_with_the_tokenizer() -> None:
    from site_builder.search.tokens import add_postings

    text = "2023年，矛盾纠纷调处成功338件；Work 提示ＡＢ。双江镇"
    postings: dict[str, list[int]] = {}
    added = add_postings(text, 10, 2, postings)
    expected: dict[str, list[int]] = {}
    for term, offset in tokens(text):
        expected.setdefault(term, []).append((10 + offset) * 3 + 2)
    assert postings == expected and added == sum(len(v) for v in expected.values())
