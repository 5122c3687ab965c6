"""The search analysis and the static index files it produces."""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Callable, Iterator
from itertools import accumulate
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO, Project, copy_project

from site_builder.search.browser import CHUNK_CHARS, fnv1a
from site_builder.search.tokens import RUN, normalize, tokens


def test_chinese_as_bigrams_with_positions_latin_and_digits_as_words() -> None:
    assert list(tokens("矛盾纠纷")) == [("矛盾", 0), ("盾纠", 1), ("纠纷", 2)]
    assert list(tokens("2023年，Work 提示ＡＢ")) == [("2023", 0), ("年", 4), ("work", 6), ("提示", 11), ("ab", 13)]
    assert list(tokens("，。！")) == []


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
    """term → its entry as a list of numbers."""
    data = path.read_bytes()
    size = next(_varints(data))
    start = next(i for i, byte in enumerate(data) if not byte & 0x80) + 1   # after the size's last byte
    header = json.loads(data[start: start + size].decode("utf-8"))
    entries, at = {}, start + size
    for term, length in zip(header[::2], header[1::2], strict=True):
        entries[term] = list(_varints(data[at: at + length]))
        at += length
    assert at == len(data)
    return entries


def _doc_list(numbers: list[int]) -> dict[int, tuple[int, int]]:
    found, doc, rest = {}, 0, iter(numbers[1:])
    for delta, tf, best in zip(rest, rest, rest, strict=True):
        doc += delta
        found[doc] = (tf, best)
    assert len(found) == numbers[0]
    return found


def _positions(numbers: list[int]) -> dict[int, list[int]]:
    found, doc, at = {}, 0, 1
    for _ in range(numbers[0]):
        doc, count = doc + numbers[at], numbers[at + 1]
        found[doc] = list(accumulate(numbers[at + 2: at + 2 + count]))
        at += 2 + count
    assert at == len(numbers)
    return found


def _meta(index: Project) -> dict[str, Any]:
    return json.loads((index.site / "search" / "meta.json").read_text(encoding="utf-8"))


def test_index_files_and_size_budgets(index: Project) -> None:
    search = index.site / "search"
    meta = _meta(index)
    assert meta["docs"] == 5 and meta["filters"]["year"] == ["2024", "2023", "2022", "2021"]
    assert len(list(_varints((search / "lengths.bin").read_bytes()))) == 5
    for folder in ("t", "p"):
        shards = sorted((search / folder).glob("*.bin"))
        assert len(shards) == meta["n"]
        assert max(p.stat().st_size for p in shards) <= 64 * 1024          # a shard stays small
    assert (search / "meta.json").stat().st_size <= 4 * 1024
    docs = list((search / "docs").glob("*.json"))
    chunks = list((search / "docs").glob("*.txt"))
    assert len(docs) == 5 and max(p.stat().st_size for p in docs) <= 4 * 1024     # title, place, section starts
    assert chunks and max(len(p.read_text(encoding="utf-8")) for p in chunks) == CHUNK_CHARS


def test_every_term_is_in_the_shard_its_hash_names(index: Project) -> None:
    meta = _meta(index)
    for folder in ("t", "p"):
        for path in (index.site / "search" / folder).glob("*.bin"):
            for term in _shard(path):
                assert fnv1a(term) % meta["n"] == int(path.stem)


def _placed_reference(text: str) -> dict[str, list[int]]:
    """What the positions files must hold for a text, written plainly from the definition: every
    trigram of each Chinese run; the first character and bigram of a run right after a Latin
    letter or digit, the last ones of a run right before one; every word."""
    expected: dict[str, set[int]] = {}
    folded = normalize(text)
    for match in RUN.finditer(folded):
        run, start, end = match.group(), match.start(), match.end()
        if run.isascii():
            expected.setdefault(run, set()).add(start)
            continue
        for offset in range(len(run) - 2):
            expected.setdefault(run[offset: offset + 3], set()).add(start + offset)
        edges = []
        if start > 0 and re.match(r"[0-9a-z]", folded[start - 1]):
            edges += [(run[:1], start), (run[:2], start)]
        if re.match(r"[0-9a-z]", folded[end: end + 1]):
            edges += [(run[-1:], end - 1), (run[-2:], end - len(run[-2:]))]
        for piece, at in edges:
            expected.setdefault(piece, set()).add(at)
    return {term: sorted(places) for term, places in expected.items()}


@pytest.fixture
def large_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Project:
    """A generated site big enough to be indexed by forked workers, each spilling many times."""
    from corpus import generate

    from site_builder import parallel

    project = copy_project(tmp_path / "large", with_content=False)
    generate(parallel.PARALLEL_THRESHOLD + 20, project.root)
    monkeypatch.setattr("site_builder.search.shards.FLUSH_ROWS", 20_000)
    assert project.run(capsys, "build", "--no-stats").code == 0
    return project


def test_entries_decode_to_the_tokens_of_the_text(index: Project) -> None:
    _check_entries(index, {"矛盾纠": 5, "=year:2023": 2})


def test_entries_decode_to_the_tokens_of_the_text_on_a_large_site(large_index: Project) -> None:
    _check_entries(large_index, {})


def _check_entries(index: Project, df: dict[str, int]) -> None:
    """Read back from the files: each report's doc lists hold exactly its tokens (count, and the
    first position in the best field), and its positions exactly its trigrams, run edges and
    words, at the places where the report's text (laid out in the chunk files) has them."""
    search = index.site / "search"
    doc_lists: dict[str, dict[int, tuple[int, int]]] = {}
    positions: dict[str, dict[int, list[int]]] = {}
    for path in (search / "t").glob("*.bin"):
        doc_lists.update({term: _doc_list(numbers) for term, numbers in _shard(path).items()})
    for path in (search / "p").glob("*.bin"):
        positions.update({term: _positions(numbers) for term, numbers in _shard(path).items()})
    for doc in range(_meta(index)["docs"]):
        chunks = sorted((search / "docs").glob(f"{doc}-*.txt"), key=lambda p: int(p.stem.split("-")[1]))
        text = "".join(p.read_text(encoding="utf-8") for p in chunks)
        field_of = _fields(search, doc, text)
        listed: dict[str, list[int]] = {}
        for term, place in tokens(text):
            listed.setdefault(term, []).append(place * 3 + field_of(place))
        found = {term: docs[doc] for term, docs in doc_lists.items() if doc in docs and not term.startswith("=")}
        assert found == {term: (len(codes), min(codes, key=lambda c: (c % 3, c))) for term, codes in listed.items()}
        placed = {term: [code // 3 for code in docs[doc]] for term, docs in positions.items() if doc in docs}
        assert placed == _placed_reference(text)
    assert {term: len(positions.get(term) or doc_lists[term]) for term in df} == df


def _fields(search: Path, doc: int, text: str) -> Callable[[int], int]:
    """Field of a position: the title first, then each heading (from the report's section starts)."""
    record = json.loads((search / "docs" / f"{doc}.json").read_text(encoding="utf-8"))
    title_end = len(record["t"])
    headings = [(start, start + len(heading)) for start, anchor, heading in record["s"] if anchor]
    return lambda place: 0 if place < title_end else 1 if any(a <= place < b for a, b in headings) else 2


def test_search_can_be_turned_off(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    assert project.run(capsys, "build", "--no-search").code == 0
    assert not (project.site / "search").exists()
    assert project.page("").select_one("form.site-search") is None


def test_rebuild_after_one_change_analyses_only_that_report(project: Project) -> None:
    from site_builder.build import build
    from site_builder.config import load_config

    config, _ = load_config(project.root / "config.yaml")
    assert build(config).search_analysed == 5
    first = {p.name: p.read_bytes() for p in (project.site / "search").rglob("*.bin")}
    assert build(config).search_analysed == 0
    assert {p.name: p.read_bytes() for p in (project.site / "search").rglob("*.bin")} == first
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

    texts = ["2023年，矛盾纠纷调处成功338件；Work 提示ＡＢ。双江镇", "單", "年", "ＡＢ㈠ﬁİstanbul 𠀀字 中\n\n文", "", "法治法治法治"]
    texts += [p.read_text(encoding="utf-8") for p in sorted((REPO / "content").rglob("*.md"))]
    for text in texts:
        fields = (np.arange(len(text)) % 3).astype(np.uint8)
        found = analyse(text, fields)
        listed: dict[str, list[int]] = {}
        for term, place in tokens(text):
            listed.setdefault(term, []).append(place * 3 + place % 3)
        got = {key_text(int(k)): (int(n), int(b)) for k, n, b in zip(found.listed_keys, found.listed_counts, found.listed_best, strict=True)}
        assert got == {t: (len(c), min(c, key=lambda c: (c % 3, c))) for t, c in listed.items() if not t.isascii()}
        assert found.words == {t: c for t, c in listed.items() if t.isascii()}
        placed: dict[str, list[int]] = {}
        for key, code in zip(found.placed_keys.tolist(), found.placed_codes.tolist(), strict=True):
            assert code % 3 == (code // 3) % 3
            placed.setdefault(key_text(key), []).append(code // 3)
        assert placed == {t: p for t, p in _placed_reference(text).items() if not t.isascii()}
        assert list(found.listed_keys) == sorted(found.listed_keys) and list(found.placed_keys) == sorted(found.placed_keys)
        assert found.count == len(list(tokens(text)))


def test_bulk_varints_equal_the_plain_encoding_and_decode_back() -> None:
    import numpy as np

    from site_builder.search.encode import varint_bytes, varints

    values = [0, 1, 127, 128, 255, 16383, 16384, 2**21 - 1, 2**21, 2**28 - 1, 2**28, 2**32 + 5, 2**35 - 1, 300, 7]
    data, offsets = varints(np.array(values, dtype=np.int64))
    assert data.tobytes() == varint_bytes(values)
    assert list(_varints(data.tobytes())) == values
    assert [offsets[i + 1] - offsets[i] for i in range(len(values))] == [len(varint_bytes([v])) for v in values]
