"""whoosh's segments read through their memory map, not copied.

whoosh opens each file inside a segment's compound file as a `BufferFile`, whose `BytesIO(buf)`
copies the whole file out of the memory map: at 50,000 reports the postings are 3.4 GB, copied into
every process that searches (`search` took 18 s to open the index, `serve-search` held 7.6 GB).
`_MappedFile` reads the same bytes from the map itself, so only the pages a query touches are read,
and they stay the kernel's page cache, shared between processes. whoosh 2.7.4 is its last release;
`install()` replaces the one name its segments use."""

from __future__ import annotations

import os
from typing import Any

import whoosh.codec.base
from whoosh.filedb.compound import CompoundStorage
from whoosh.filedb.structfile import BufferFile


class _View:
    """The reading side of BytesIO that whoosh's segment readers use (read, readline for pickle, seek, tell), over a
    memoryview: no copy."""

    def __init__(self, buf: memoryview) -> None:
        self._buf, self._pos = buf, 0

    def read(self, size: int | None = -1) -> bytes:
        end = len(self._buf) if size is None or size < 0 else min(len(self._buf), self._pos + size)
        start, self._pos = self._pos, max(self._pos, end)
        return bytes(self._buf[start:end])

    def readline(self, size: int | None = -1) -> bytes:  # pickle.load asks for it
        end = len(self._buf) if size is None or size < 0 else min(len(self._buf), self._pos + size)
        start = self._pos
        while start < end:  # a few KB at a time: never a copy of the rest of a GB-sized file
            found = bytes(self._buf[start:min(end, start + 4096)]).find(b"\n")
            if found >= 0:
                return self.read(start + found + 1 - self._pos)
            start += 4096
        return self.read(end - self._pos)

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        base = {os.SEEK_SET: 0, os.SEEK_CUR: self._pos, os.SEEK_END: len(self._buf)}[whence]
        self._pos = max(0, base + offset)
        return self._pos

    def tell(self) -> int:
        return self._pos

    def close(self) -> None:
        self._buf = memoryview(b"")


class _MappedFile(BufferFile):  # type: ignore[misc]  # whoosh ships no type information
    def __init__(self, buf: memoryview, name: str | None = None, onclose: Any = None) -> None:
        self._buf, self._name, self.onclose = buf, name, onclose
        self.file = _View(buf)
        self.is_real = self.is_closed = False


class MappedCompoundStorage(CompoundStorage):  # type: ignore[misc]  # whoosh ships no type information
    def open_file(self, name: str, *args: Any, **kwargs: Any) -> Any:
        if self.is_closed or not self._source:
            return super().open_file(name, *args, **kwargs)  # no map (a failed mmap): whoosh's own way
        offset, length = self.range(name)
        return _MappedFile(memoryview(self._source)[offset:offset + length], name=name)


def install() -> None:
    """Segments opened from now on read through their map (whoosh.codec.base names the class it uses)."""
    whoosh.codec.base.CompoundStorage = MappedCompoundStorage
