"""whoosh's segments read through their memory map (search/whoosh_mapped.py): the same bytes as
whoosh's own copy, without the copy."""

from __future__ import annotations

import io
import os
import random
from pathlib import Path

from whoosh.fields import ID, TEXT, Schema
from whoosh.filedb.filestore import FileStorage

from site_builder.search import whoosh_index  # noqa: F401  # installs the mapped segments
from site_builder.search.whoosh_mapped import _View


def test_a_view_reads_seeks_and_tells_as_bytesio_does() -> None:
    rng = random.Random(5)
    data = bytes(rng.choice(b"ab\n\xe6") for _ in range(3000))
    ours, theirs = _View(memoryview(data)), io.BytesIO(data)
    for _ in range(3000):
        step = rng.choice(["read", "readline", "seek", "tell"])
        if step == "read":
            size = rng.choice([-1, None, 0, 1, 7, 500, 5000])
            assert ours.read(size) == theirs.read(size)
        elif step == "readline":
            size = rng.choice([-1, None, 3, 40])
            assert ours.readline(size) == theirs.readline(size)
        elif step == "seek":
            whence = rng.choice([os.SEEK_SET, os.SEEK_CUR, os.SEEK_END])
            offset = rng.randrange(0, 4000) if whence == os.SEEK_SET else rng.randrange(-200, 200)
            base = {os.SEEK_SET: 0, os.SEEK_CUR: theirs.tell(), os.SEEK_END: len(data)}[whence]
            if base + offset < 0:
                continue  # BytesIO refuses a negative position
            assert ours.seek(offset, whence) == theirs.seek(offset, whence)
        assert ours.tell() == theirs.tell()


def test_a_segment_is_read_through_its_map_and_answers_as_before(tmp_path: Path) -> None:
    from whoosh.qparser import QueryParser

    storage = FileStorage(str(tmp_path))
    index = storage.create_index(Schema(name=ID(stored=True), body=TEXT(stored=True)))
    with index.writer() as writer:
        for number in range(200):
            writer.add_document(name=f"r{number}", body=f"report {number} mediation {'dispute ' * (number % 7)}")
    with index.searcher() as searcher:
        (segment, _), = searcher.reader().leaf_readers()
        postings = segment._storage.open_file(segment._segment.make_filename(".pst"))
        hits = searcher.search(QueryParser("body", index.schema).parse("dispute"), limit=None)
        found = sorted(hit["name"] for hit in hits)
        assert type(postings).__name__ == "_MappedFile"
    assert found == sorted(f"r{n}" for n in range(200) if n % 7)
