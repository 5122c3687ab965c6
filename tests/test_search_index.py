"""The match rule, the static index files it produces, and the differential oracle: on thousands
of drawn queries the index answers exactly what plain substring search answers."""

from __future__ import annotations

import json
import subprocess
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO, Project, copy_project
from search_oracle import VARIETY_REPORT, StaticIndex, report_units, samples, truth

from site_builder.search.browser import fnv1a
from site_builder.search.match import fold, grams, relaxed, words


def test_the_match_rule_on_its_examples() -> None:
    assert words('矛盾纠纷  "Work   Plan"　ｘ') == ["矛盾纠纷", "work plan", "x"]
    assert fold("（ＡＢ）\u3000１２％") == "(ab) 12%"
    assert fold("雙江鎮開展宣傳") == "双江镇开展宣传" and words("鄉 縣") == ["乡", "县"]  # traditional = simplified
    assert grams("法治政府建设") == [("法治", 0), ("政府", 2), ("建设", 4)]
    assert grams("矛盾纠纷调") == [("矛盾", 0), ("纠纷", 2), ("纷调", 3)] and grams("法") == [("法", 0)]
    assert relaxed(["矛盾纠纷，调解"]) == ["矛盾纠纷", "调解"] and relaxed(["调解"]) is None
    units = {"a": ["100余人"], "b": ["100%的村"], "c": ["学习民法典"], "d": ["《民法典》"]}
    assert truth(units, "100%") == {"b"} and truth(units, "《民法典》") == {"d"} and truth(units, "民法典") == {"c", "d"}


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


def _varints(data: bytes, at: int = 0) -> Iterator[int]:
    """LEB128, decoded here independently of the encoder."""
    value = shift = 0
    for byte in data[at:]:
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            yield value
            value = shift = 0


def _shard(path: Path) -> dict[str, list[int]]:
    """term → its entry as a list of numbers (a shard file is zlib-compressed)."""
    data = zlib.decompress(path.read_bytes())
    size = next(_varints(data))
    start = next(i for i, byte in enumerate(data) if not byte & 0x80) + 1   # after the size's last byte
    header = json.loads(data[start: start + size].decode("utf-8"))
    entries, at = {}, start + size
    for term, length in zip(header[::2], header[1::2], strict=True):
        entries[term] = list(_varints(data[at: at + length]))
        at += length
    assert at == len(data)
    return entries


def _meta(index: Project) -> dict[str, Any]:
    return json.loads((index.site / "search" / "meta.json").read_text(encoding="utf-8"))


def test_index_files_and_size_budgets(index: Project) -> None:
    search = index.site / "search"
    meta = _meta(index)
    assert meta["v"] == 9 and meta["docs"] == 5 and meta["filters"]["year"] == ["2024", "2023", "2022", "2021"]
    assert meta["counties"]["重庆市"] == ["丰都县", "潼南区", "渝北区"]
    assert len(list(_varints((search / "lengths.bin").read_bytes()))) == 3 * 5   # length, headings and body starts
    shards, tails = sorted((search / "s").glob("*.bin")), sorted((search / "p").glob("*.bin"))
    assert len(shards) == len(tails) == meta["n"] and max(p.stat().st_size for p in shards) <= 64 * 1024
    stats = json.loads((search / "stats.json").read_bytes())
    assert stats["docs"] == 5 and stats["chars"] == sum(list(_varints((search / "lengths.bin").read_bytes()))[::3])
    assert (search / "meta.json").stat().st_size <= 4 * 1024
    headers, texts = list((search / "docs").glob("*.json")), list((search / "docs").glob("*.bin"))
    assert len(headers) == len(texts) == 5 and len(list((search / "docs").iterdir())) == 10
    assert max(p.stat().st_size for p in headers) <= 4 * 1024 and max(p.stat().st_size for p in texts) <= 16 * 1024
    assert StaticIndex(index.site).shards == meta["n"]   # the search page carries the shard count


def test_every_term_is_in_the_shard_its_hash_names(index: Project) -> None:
    meta = _meta(index)
    for path in [*(index.site / "search" / "s").glob("*.bin"), *(index.site / "search" / "p").glob("*.bin")]:
        for term in _shard(path):
            assert fnv1a(term) % meta["n"] == int(path.stem)


@pytest.fixture
def varied(project: Project, capsys: pytest.CaptureFixture[str]) -> Project:
    """The five seeds and a report of Latin words, full-width forms, symbols and characters
    beyond the Basic Multilingual Plane."""
    project.write("content/chongqing/ceshi/ceshi/2023.md", VARIETY_REPORT)
    assert project.run(capsys, "build").code == 0
    return project


def test_the_index_answers_exactly_what_substring_search_answers(varied: Project) -> None:
    units = report_units(varied.root / "config.yaml")
    index = StaticIndex(varied.site)
    cases = [(q, truth(units, q), index.search(q)) for q in samples(units, 1500)]  # each answer computed once
    wrong = {q: (sorted(right), sorted(found)) for q, right, found in cases if found != right}
    assert wrong == {}
    assert sum(1 for _, right, _ in cases if right) > 1000 and sum(1 for _, right, _ in cases if not right) > 100
    # The phrases that once found nothing (issue 11), and what sets them apart.
    expected = {"村（社区）": 5, "“八五”普法": 4, "学法、知法": 2, "《民法典》": 1, "2023年": 4, "100%": 5, "a&b": 1, "c++": 1,
                "𠀀字": 1, '"work  plan"': 1, "ｗｏｒｋ": 2, "100余": 3, "民法典": 3,
                "雙江鎮開展": 1, "双江镇开展法治宣传": 1, "调解糾紛": 1}
    assert {q: len(index.search(q)) for q in expected} == {q: len(truth(units, q)) for q in expected} == expected


@pytest.fixture
def large_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Project:
    """A generated site big enough to be indexed by forked workers, each spilling many times."""
    from corpus import generate

    from site_builder import parallel

    project = copy_project(tmp_path / "large", with_content=False)
    generate(parallel.PARALLEL_THRESHOLD + 20, project.root)
    project.write("content/chongqing/ceshi/ceshi/2023.md", VARIETY_REPORT)
    monkeypatch.setattr("site_builder.search.shards.FLUSH_ROWS", 20_000)
    assert project.run(capsys, "build", "--no-stats").code == 0
    return project


def test_the_index_of_a_large_site_built_by_workers_is_exact(large_index: Project) -> None:
    units = report_units(large_index.root / "config.yaml")
    index = StaticIndex(large_index.site)
    wrong = [q for q in samples(units, 600) if index.search(q) != truth(units, q)]
    assert wrong == []


def test_search_can_be_turned_off(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    assert project.run(capsys, "build", "--no-search").code == 0
    assert not (project.site / "search").exists()
    assert project.page("").select_one("form.site-search") is None


def test_rebuild_after_one_change_analyses_only_that_report(project: Project) -> None:
    from site_builder.build import build
    from site_builder.config import load_config

    config, _ = load_config(project.root / "config.yaml")
    assert build(config).search_analysed == 5
    first = {p.relative_to(project.site).as_posix(): p.read_bytes() for p in (project.site / "search").rglob("*.bin")}
    assert build(config).search_analysed == 0
    assert {p.relative_to(project.site).as_posix(): p.read_bytes() for p in (project.site / "search").rglob("*.bin")} == first
    path = project.content / "chongqing" / "tongnan" / "shuangjiang" / "2023.md"
    path.write_text(path.read_text(encoding="utf-8") + "\n新增一句独特的话。\n", encoding="utf-8")
    assert build(config).search_analysed == 1
    entries = lambda: list((project.root / ".site-cache" / "search").rglob("*.bin"))  # noqa: E731
    assert len(entries()) == 6  # the old version is kept one build, to patch the index
    assert build(config).search_analysed == 0
    assert len(entries()) == 5  # then forgotten


def test_the_vectorised_analysis_agrees_with_the_plain_definitions() -> None:
    import numpy as np

    from site_builder.search.analysis import analyse, key_text
    from site_builder.search.phrases import phrases

    dictionary = set(phrases())
    assert {"法律顾问", "法治政府", "矛盾纠纷"} <= dictionary
    texts = ["法治政府建设的法律顾问\n矛盾纠纷", "2023年，矛盾纠纷调处成功338件；Work 提示ＡＢ。双江镇", "單", "年", "ＡＢ㈠ﬁİstanbul 𠀀字 中\n\n文", "", "法治法治法治", "\n", "a\nb"]
    texts += [p.read_text(encoding="utf-8") for p in sorted((REPO / "content").rglob("*.md"))]
    for text in texts:
        fields = (np.arange(len(text)) % 3).astype(np.uint8)
        found = analyse(text, fields)
        folded = fold(text)
        chars: dict[str, list[int]] = {}
        pairs: dict[str, list[int]] = {}
        for at, char in enumerate(folded):
            if char != "\n":
                chars.setdefault(char, []).append(at)
                if at + 1 < len(folded) and folded[at + 1] != "\n":
                    pairs.setdefault(folded[at: at + 2], []).append(at)
                for size in (3, 4):  # the phrase dictionary's words (search/phrases.py)
                    if at + size <= len(folded) and folded[at: at + size] in dictionary:
                        pairs.setdefault(folded[at: at + size], []).append(at)
        got = {key_text(int(k)): (int(n), int(b)) for k, n, b in zip(found.listed_keys, found.listed_counts, found.listed_best, strict=True)}
        assert got == {c: (len(p), min(p, key=lambda at: (at % 3, at))) for c, p in chars.items()}
        placed: dict[str, list[int]] = {}
        for key, at in zip(found.placed_keys.tolist(), found.placed_codes.tolist(), strict=True):
            placed.setdefault(key_text(key), []).append(at)
        assert placed == pairs
        assert list(found.listed_keys) == sorted(found.listed_keys) and list(found.placed_keys) == sorted(found.placed_keys)
        assert found.count == sum(map(len, chars.values()))


def test_bulk_varints_equal_the_plain_encoding_and_decode_back() -> None:
    import numpy as np

    from site_builder.search.encode import varint_bytes, varints

    values = [0, 1, 127, 128, 255, 16383, 16384, 2**21 - 1, 2**21, 2**28 - 1, 2**28, 2**32 + 5, 2**35 - 1, 300, 7]
    data, offsets = varints(np.array(values, dtype=np.int64))
    assert data.tobytes() == varint_bytes(values)
    assert list(_varints(data.tobytes())) == values
    assert [offsets[i + 1] - offsets[i] for i in range(len(values))] == [len(varint_bytes([v])) for v in values]


def test_packed_stable_order_equals_numpys_stable_argsort() -> None:
    """The index's sorts (analysis.stable_order): the same permutation as a stable argsort, on
    keys with many ties, on keys too wide to pack with their index (the fallback), and on none."""
    import numpy as np

    from site_builder.search.analysis import stable_order

    rng = np.random.default_rng(7)
    for count in (0, 1, 2, 50, 5_000):
        for high in (2, 300, 2**42, 2**63):
            keys = rng.integers(0, high, count, dtype=np.uint64)
            assert stable_order(keys).tolist() == np.argsort(keys, kind="stable").tolist(), (count, high)


def test_heads_hold_the_best_scoring_reports_and_bound_the_rest() -> None:
    """A head (search/heads.py) keeps the HEAD reports of highest score bound in that order, and
    its tail bound is above every report left out; the patch's head, made from the term's full
    entry, is byte for byte the build's."""
    import random

    import numpy as np

    from site_builder.search import heads
    from site_builder.search.encode import LISTED, PLACED, decode_values, doc_list_entries, position_entries

    rng = random.Random(3)
    docs = 400
    lengths = [(rng.randint(50, 4000), (t := rng.randint(5, 30), t + rng.randint(0, 200))) for _ in range(docs)]
    table = heads.DocTable(lengths)
    assert table.average >= sum(length for length, _ in lengths) / docs
    for positions in (False, True):
        rows = []
        for key in (1, 2, 3):
            for doc in sorted(rng.sample(range(docs), rng.choice([3, heads.HEAD, 300]))):
                places = sorted(rng.sample(range(lengths[doc][0]), rng.randint(1, 6)))
                if positions:
                    rows += [(key, doc, place) for place in places]
                else:
                    rows.append((key, doc, len(places), places[0]))
        array = np.array(rows, dtype=PLACED if positions else LISTED)
        if positions:
            built, full = heads.placed_heads(array["key"], array["doc"], array["code"], table), position_entries(array)
        else:
            built = heads.listed_heads(array["key"], array["doc"], array["count"], array["best"], table)
            full = doc_list_entries(array)
        for index in range(len(built.keys)):
            head = built.entry(index)
            assert heads.head_of_entry(full.entry(index), positions, table) == head
            values = decode_values(head).tolist()
            df, bound, kept = values[:3]
            assert kept == min(df, heads.HEAD) and (bound == 0) == (df <= heads.HEAD)
            chosen, at, scores = [], 3, []
            for _ in range(kept):
                doc, length = values[at], values[at + 1]
                if positions:
                    count = values[at + 4]
                    tf, first = count, values[at + 5]
                    field = (first >= lengths[doc][1][0]) + (first >= lengths[doc][1][1])
                    at += 5 + count
                else:
                    tf, field = values[at + 2], values[at + 3]
                    at += 4
                assert length == lengths[doc][0]
                chosen.append(doc)
                scores.append(heads.score_bounds(np.array([float(tf)]), np.array([length]), np.array([field]), table.average)[0])
            assert at == len(values) and scores == sorted(scores, reverse=True)
            mine = array[array["key"] == built.keys[index]]
            tf_of: dict[int, int] = {}
            first_of: dict[int, int] = {}
            for row in mine.tolist():
                doc = int(row[1])
                tf_of[doc] = tf_of.get(doc, 0) + 1 if positions else int(row[2])
                first_of.setdefault(doc, int(row[2] if positions else row[3]))
            assert set(chosen) <= set(tf_of) and len(tf_of) == df
            left = [heads.score_bounds(np.array([float(tf_of[d])]), np.array([lengths[d][0]]),
                                       np.array([(first_of[d] >= lengths[d][1][0]) + (first_of[d] >= lengths[d][1][1])]),
                                       table.average)[0] for d in tf_of if d not in chosen]
            assert not left or (max(left) <= scores[-1] and max(left) < bound / heads.SCALE <= max(left) + 2 / heads.SCALE)


def test_phrase_heads_hold_the_first_reports_of_the_full_ranking(large_index: Project) -> None:
    """Format 9's phrase heads (search/phrases.py): a dictionary word's head in s/ has its exact
    count and the HEAD reports of highest score in the full ranking's order — computed here from
    the word's starts found by its bigrams' full entries (p/), another path — with their exact
    positions, and a tail bound above every report left out: the first page of such a word, and
    of a longer word made of them, is the full ranking's."""
    import numpy as np

    from site_builder.search import heads
    from site_builder.search.phrases import phrases

    root = large_index.site / "search"
    numbers = list(_varints((root / "lengths.bin").read_bytes()))
    lengths = [(numbers[i], (numbers[i + 1], numbers[i + 2])) for i in range(0, len(numbers), 3)]
    table = heads.DocTable(lengths)
    index, shards = StaticIndex(large_index.site), _meta(large_index)["n"]
    files: dict[int, dict[str, list[int]]] = {}
    checked = tailed = 0
    for word in phrases()[::4]:
        shard = fnv1a(word) % shards
        head = (files.get(shard) or files.setdefault(shard, _shard(root / "s" / f"{shard}.bin"))).get(word)
        starts = index.starts(word)
        if not starts:
            assert head is None, word
            continue
        assert head is not None, word
        df, bound, kept = head[:3]
        assert df == len(starts) and kept == min(df, heads.HEAD)

        def score(doc: int, places: set[int]) -> float:
            field = (min(places) >= lengths[doc][1][0]) + (min(places) >= lengths[doc][1][1])
            return float(heads.score_bounds(np.array([float(len(places))]), np.array([lengths[doc][0]]),
                                            np.array([field]), table.average)[0])

        scores = {doc: score(doc, places) for doc, places in starts.items()}
        ranked = sorted(scores, key=lambda doc: (-scores[doc], doc))
        chosen, at = [], 3
        for _ in range(kept):
            doc, length, headings, body, count = head[at: at + 5]
            assert list(np.cumsum(head[at + 5: at + 5 + count])) == sorted(starts[doc])
            assert (length, (headings, body)) == lengths[doc]
            chosen.append(doc)
            at += 5 + count
        assert at == len(head) and chosen == ranked[: heads.HEAD], word
        assert (bound == 0) == (df <= heads.HEAD)
        if bound:
            assert scores[ranked[heads.HEAD]] < bound / heads.SCALE
            tailed += 1
        checked += 1
    assert checked > 50 and tailed > 5, (checked, tailed)


def test_shards_stay_small_as_the_collection_grows() -> None:
    """One edited report touches ≈ 3,500 shards: their size, not their number, is what a patch
    re-deflates (at 50,000 reports 16,384 shards of 50 KB took 287 s an edit)."""
    from site_builder.search.browser import MAX_SHARDS, SHARD_TARGET_BYTES, shard_count

    for content_bytes in (40_000, 86_000_000, 344_000_000, 860_000_000):
        count = shard_count(content_bytes)
        assert count & (count - 1) == 0  # a power of two: search.js takes FNV-1a mod n
        assert content_bytes / count <= SHARD_TARGET_BYTES or count == MAX_SHARDS
        assert count == 8 or content_bytes / (count // 2) > SHARD_TARGET_BYTES  # no more than needed
    assert shard_count(860_000_000) == 131_072 and MAX_SHARDS >= 131_072
