"""Stage 5: the one writer. Pages go into a staging folder beside the output; only a build that
finished swaps it in, atomically. A failed, interrupted or concurrent build never leaves a broken
site behind."""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import functools
import hashlib
import json
import os
import shutil
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

from site_builder.diagnostics import BuildError, error
from site_builder.i18n import N_, t
from site_builder.locking import acquire_lock, release_lock
from site_builder.safepaths import NOFOLLOW, lock_path, prepare_lock, refuse_link, remove
from site_builder.store import PickleFile

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100
MARKER = ".site-builder-output"
"""A file in every built site: only a folder holding it is ever replaced by a build."""
MARKER_TEXT = ("此文件夹由 site-builder 生成，每次构建都会整体替换，请不要在这里存放其他文件。\n"
               "This folder is written by site-builder and replaced on every build; do not keep files here.\n")
"""In both languages: the built site is the same bytes whatever language its builder spoke."""


class OutputError(BuildError):
    """The output folder cannot be written; the message says what to do."""

    def __init__(self, path: Path, what: str, hint: str) -> None:
        super().__init__([error(str(path), 0, "", what, hint)], t("Nothing was written; the previous site is unchanged."))

    def __reduce__(self) -> tuple[object, ...]:
        # Raised in a worker process, it reaches the build as the BuildError it is.
        return (BuildError, (self.diagnostics, self.summary))


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux renameat2); False where the system cannot."""
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if result == 0:
        return True
    if ctypes.get_errno() in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()), str(a))


GENERATOR_TAG = b'<meta name="generator" content="site_builder">'


def _built_before_markers(output: Path) -> bool:
    """A site written by site-builder 0.1 (before MARKER): its home page names the generator."""
    try:
        with (output / "index.html").open("rb") as page:
            return GENERATOR_TAG in page.read(4096)
    except OSError:
        return False


def unsafe_output(output: Path, project: Path | None, protected: dict[str, Path]) -> str:
    """Why writing the site to `output` would destroy something ('' when it is safe).

    The output may lie inside the project but must not be it or contain it; it must not be, contain
    or lie inside a `protected` folder (content/, the theme). It is replaced whole, so it must be a
    folder site-builder wrote (it holds MARKER), an empty one, or a new one."""
    output = output.resolve()
    if output == Path(output.anchor) or output == Path.home().resolve():
        return t("{folder} is a root or home folder.", folder=output)
    if project is not None and project.resolve().is_relative_to(output):
        return t("It is or contains the project ({folder}).", folder=project.resolve())
    for what, folder in protected.items():
        folder = folder.resolve()
        if output == folder or folder.is_relative_to(output):
            return t("It is or contains {what} ({folder}).", what=what, folder=folder)
        if output.is_relative_to(folder):
            return t("It is inside {what} ({folder}).", what=what, folder=folder)
    if output.is_symlink() or (output.exists() and not output.is_dir()):
        return t("{folder} exists and is not a folder.", folder=output)
    if output.is_dir() and any(output.iterdir()) and not (output / MARKER).is_file() and not _built_before_markers(output):
        return t("{folder} already holds files that site-builder did not write (it has no {marker}); "
                 "a build replaces the whole folder.", folder=output, marker=MARKER)
    return ""


@dataclass
class Manifest:
    """What a build left in an output folder: each file with the key of what it was made from.
    Kept in .site-cache/outputs/; valid only while the folder's MARKER names its build."""

    files: dict[str, str] = field(default_factory=dict)

    @functools.cached_property
    def build_id(self) -> str:
        """A digest of the whole manifest (read once every file is recorded)."""
        text = "".join(f"{path}\0{key}\n" for path, key in sorted(self.files.items()))
        return hashlib.sha256(text.encode()).hexdigest()[:32]

    @staticmethod
    def location(project: Path, output: Path) -> Path:
        name = hashlib.sha256(str(output.resolve()).encode()).hexdigest()[:16]
        return project / ".site-cache" / "outputs" / f"{name}.manifest"

    @classmethod
    def of_output(cls, project: Path, output: Path) -> Manifest | None:
        """The manifest of the site now in `output`, if that site is the one it describes."""
        saved = PickleFile[tuple[str, dict[str, str], str]](cls.location(project, output)).load()
        if saved is None:
            return None
        try:
            build_id, files, _ = saved
            marker = (output / MARKER).read_text(encoding="utf-8")
        except (OSError, ValueError, TypeError):
            return None
        if marker != marker_text(build_id):
            return None
        manifest = cls(files)
        manifest.__dict__["build_id"] = build_id  # as computed when it was saved
        return manifest

    def save(self, project: Path, output: Path) -> None:
        # Not saved, the next build is a full one.
        PickleFile[tuple[str, dict[str, str], str]](self.location(project, output)).save(
            (self.build_id, self.files, str(output.resolve())))

    def describes(self, output: Path) -> bool:
        """Whether `output` holds exactly the files recorded (their contents are not read)."""
        found: set[str] = set()
        folders = [str(output)]
        prefix = len(str(output)) + 1
        while folders:
            with os.scandir(folders.pop()) as entries:
                for entry in entries:
                    if entry.is_dir(follow_symlinks=False):
                        folders.append(entry.path)
                    else:
                        found.add(entry.path[prefix:].replace(os.sep, "/"))
        found.discard(MARKER)
        return found == self.files.keys()

    @classmethod
    def forget(cls, project: Path, output: Path) -> None:
        """Remove what the cache keeps of an output folder (serve's, when it stops)."""
        location = cls.location(project, output)
        for path in location.parent.glob(f"{location.stem}.*"):
            if path.is_dir() and not path.is_symlink():  # the search index's phrase entries
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)


def marker_text(build_id: str) -> str:
    return f"{MARKER_TEXT}build {build_id}\n"


def digest(data: bytes) -> str:
    """The key of a file made from nothing but its own bytes."""
    return hashlib.sha256(data).hexdigest()[:32]


def journal_plan(path: Path) -> dict[str, Any] | None:
    """The plan in a commit journal, or None when the file is not one a build wrote (damaged,
    empty, a link, a pipe: opened without following a link or waiting on a writer)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | NOFOLLOW)
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        with os.fdopen(os.dup(fd), "rb") as stream:
            plan = json.loads(stream.read(64 * 1024 * 1024).decode("utf-8"))
    except (OSError, ValueError):
        return None
    finally:
        os.close(fd)
    valid = isinstance(plan, dict) and isinstance(plan.get("marker"), str) and all(
        isinstance(plan.get(key), list) and all(isinstance(item, str) and _inside_site(item) for item in plan[key])
        for key in ("write", "remove"))
    return plan if valid else None


def _inside_site(rel_path: str) -> bool:
    """A site-relative path that cannot leave the site (no `..`, no absolute path, no empty part)."""
    parts = rel_path.split("/")
    return bool(rel_path) and not rel_path.startswith("/") and ".." not in parts and "" not in parts \
        and "\\" not in rel_path and "\x00" not in rel_path


class SiteWriter:
    """`with SiteWriter(out) as w: w.write(...); w.commit()` — without commit() nothing changes.

    A full build stages the whole site and swaps it in (renameat2). Given the manifest of the site
    now in the folder, a build is incremental: only files whose key changed are staged, and commit
    moves them in through a journal that a killed build's successor completes (roll forward)."""

    def __init__(self, output: Path, project: Path | None = None, protected: dict[str, Path] | None = None,
                 incremental: bool = True, check_files: bool = True) -> None:
        self.project, self.protected = project, protected or {}
        self.given = output
        """The output as configured: a link there is refused, never resolved and written through."""
        self.output = output.resolve()
        self.parent = self.output.parent
        self.staging = self.parent / f".{self.output.name}.staging"
        self.previous = self.parent / f".{self.output.name}.previous"
        self.journal = self.parent / f".{self.output.name}.journal"
        self.want_incremental = incremental
        self.check_files = check_files
        """Whether to list the output folder first (80 ms at 5,000 reports; serve's first build skips it)."""
        self.before: Manifest | None = None
        """The manifest of the site in the folder when this build is incremental, else None."""
        self.manifest = Manifest()
        self._lock_file: int | None = None
        self._lock_path = lock_path(project, self.output)
        self._folders: set[str] = set()
        self.files_written = 0
        self.bytes_written = 0

    @property
    def incremental(self) -> bool:
        return self.before is not None

    def unchanged(self, rel_path: str, key: str) -> bool:
        """True when the site in the folder already holds this file made from the same inputs."""
        return self.before is not None and self.before.files.get(rel_path) == key

    def record(self, rel_path: str, key: str) -> None:
        """Note a file of the new site with its key (in the build process, not in workers)."""
        self.manifest.files[rel_path] = key

    def keep(self, folders: tuple[str, ...]) -> None:
        """Record the files of these folders now in the output as part of the new site, unchanged
        (pages excepted: they are planned, and recorded, one by one)."""
        before = self.before.files if self.before else {}
        self.manifest.files.update({path: key for path, key in before.items()
                                    if path.startswith(folders) and not path.endswith(".html")})

    def drop(self, rel_paths: Iterable[str]) -> None:
        """Leave files out of the new site (recorded, or kept, before)."""
        for path in rel_paths:
            self.manifest.files.pop(path, None)

    def put(self, rel_path: str, data: bytes | str) -> None:
        """Write a file keyed by its own bytes, unless the site already holds those bytes."""
        payload = data.encode("utf-8") if isinstance(data, str) else data
        key = digest(payload)
        self.record(rel_path, key)
        if not self.unchanged(rel_path, key):
            self.write(rel_path, payload)

    def refuse_unsafe(self) -> None:
        """Raise OutputError when the output folder must not be replaced (see unsafe_output)."""
        refuse_link(self.given, N_("The output folder"))
        try:
            reason = unsafe_output(self.output, self.project, self.protected)
        except OSError as exc:  # a name too long for the file system, a folder that cannot be read
            raise self.explain(exc) from None
        if reason:
            raise OutputError(self.output, t("Refusing to write the site here: {reason}", reason=reason),
                              t("Choose a new or empty folder for --output / output_dir (the default is `site`); "
                                "a folder site-builder built before can be reused."))

    def __enter__(self) -> SiteWriter:
        self.refuse_unsafe()  # before anything is created: a wrong --output must never cost a file
        try:
            self.parent.mkdir(parents=True, exist_ok=True)
            for beside in (self.staging, self.previous, self.journal):
                refuse_link(beside, N_("This temporary path beside the output folder"))
            prepare_lock(self._lock_path)
            self._lock_file = acquire_lock(self._lock_path, f"{self.output.name}/")
            self._recover()
            if self.want_incremental and self.project is not None:
                self.before = Manifest.of_output(self.project, self.output)  # read under the lock
                if self.before is not None and self.check_files and not self.before.describes(self.output):
                    self.before = None  # a file was removed or added by hand: a full build puts it right
            self.staging.mkdir()
        except OSError as exc:
            raise self.explain(exc) from None
        return self

    def _recover(self) -> None:
        """Finish or undo what a killed build left: a journal is completed (it was written once
        everything was staged), a half-done swap undone, a staging folder removed."""
        if self.journal.exists() or self.journal.is_symlink():
            if journal_plan(self.journal) is None:
                remove(self.journal)  # not one a build wrote (those are whole: written, then renamed into place)
            else:
                self._apply_journal()
        if self._holds_a_site(self.previous) and not self.output.exists() and not self.output.is_symlink():
            os.rename(self.previous, self.output)
        for leftover in (self.staging, self.previous):
            if leftover.exists():
                remove(leftover)  # a pipe put there is unlinked, not opened

    @staticmethod
    def _holds_a_site(folder: Path) -> bool:
        """A real folder holding a site a build wrote (not a pipe or a link planted in its place)."""
        return folder.is_dir() and not folder.is_symlink() and ((folder / MARKER).is_file() or _built_before_markers(folder))

    def _target(self, rel_path: str) -> str:
        """The staging path for a site-relative path; refuses anything that would leave the site."""
        if not _inside_site(rel_path):
            raise OutputError(self.output, t("Refusing to write outside the site: {path}", path=repr(rel_path)),
                              t("Check the slug fields."))
        return f"{self.staging}/{rel_path}"

    def write(self, rel_path: str, data: bytes | str) -> None:
        self.count(1, self.write_uncounted(rel_path, data))

    def write_uncounted(self, rel_path: str, data: bytes | str) -> int:
        """Write one file into the staging folder (safe from worker processes); returns its size."""
        payload = data.encode("utf-8") if isinstance(data, str) else data
        path = self._target(rel_path)
        try:
            folder = os.path.dirname(path)
            if folder not in self._folders:  # thousands of files share a few folders
                os.makedirs(folder, exist_ok=True)
                self._folders.add(folder)
            with open(path, "wb") as stream:
                stream.write(payload)
        except OSError as exc:
            raise self.explain(exc) from None
        return len(payload)

    def count(self, files: int, size: int) -> None:
        """Add files written with write_uncounted (by worker processes, say) to the totals."""
        self.files_written += files
        self.bytes_written += size

    def commit(self) -> None:
        """Make the staged site the output: in one step, or through the journal when incremental."""
        if self.project is not None:
            self.manifest.save(self.project, self.output)
        try:
            if self.before is not None:
                self._commit_changes(self.before)
                return
            (self.staging / MARKER).write_text(marker_text(self.manifest.build_id), encoding="utf-8")
            if not self.output.exists():
                os.rename(self.staging, self.output)
                return
            if _exchange(self.staging, self.output):
                remove(self.staging)  # now holds the old site
                return
            os.rename(self.output, self.previous)
            os.rename(self.staging, self.output)
            shutil.rmtree(self.previous)
        except OSError as exc:
            raise self.explain(exc) from None

    def _commit_changes(self, before: Manifest) -> None:
        """Write the journal (the commit point), then apply it."""
        written = sorted(path for path, key in self.manifest.files.items() if before.files.get(path) != key)
        removed = sorted(set(before.files) - set(self.manifest.files))
        plan = {"write": written, "remove": removed, "marker": marker_text(self.manifest.build_id)}
        temporary = self.journal.with_name(self.journal.name + ".tmp")
        with temporary.open("w", encoding="utf-8") as stream:
            json.dump(plan, stream, ensure_ascii=False)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, self.journal)
        self._apply_journal()

    def _apply_journal(self) -> None:
        """Move each staged file into the output, remove the files the new site lacks, write the
        marker. Safe to run again from any point: a build killed here is finished by the next."""
        plan = journal_plan(self.journal)
        if plan is None:
            raise OSError(errno.EIO, "the journal cannot be read", str(self.journal))
        for rel_path in plan["write"]:
            staged = self.staging / rel_path
            if staged.exists():
                (self.output / rel_path).parent.mkdir(parents=True, exist_ok=True)
                os.replace(staged, self.output / rel_path)
        emptied: set[Path] = set()
        for rel_path in plan["remove"]:
            gone = self.output / rel_path
            gone.unlink(missing_ok=True)
            emptied.update(p for p in gone.parents if p.is_relative_to(self.output) and p != self.output)
        for folder in sorted(emptied, key=lambda p: len(p.parts), reverse=True):  # the deepest first
            with contextlib.suppress(OSError):  # not empty (or gone): kept
                folder.rmdir()
        temporary = self.output / f"{MARKER}.tmp"
        temporary.write_text(plan["marker"], encoding="utf-8")
        os.replace(temporary, self.output / MARKER)
        self.journal.unlink()
        shutil.rmtree(self.staging, ignore_errors=True)

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        try:
            if self.staging.exists():
                shutil.rmtree(self.staging, ignore_errors=True)
        finally:
            if self._lock_file is not None:
                with contextlib.suppress(OSError):  # a waiting build then locks a new file (acquire_lock checks)
                    self._lock_path.unlink()
                release_lock(self._lock_file)

    def explain(self, exc: OSError) -> OutputError:
        if exc.errno == errno.ENOSPC:
            return OutputError(self.output, t("The disk is full."), t("Free some space and build again; the previous site is unchanged."))
        if exc.errno == errno.ENAMETOOLONG:
            return OutputError(self.output, t("The folder's name is too long for the file system."),
                               t("Choose a shorter --output / output_dir; the previous site is unchanged."))
        if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            return OutputError(self.output, t("No permission to write here ({path}).", path=exc.filename),
                               t("Choose a writable --output folder or fix its permissions; the previous site is unchanged."))
        return OutputError(self.output, f"{exc.strerror} ({exc.filename})", t("The previous site is unchanged."))
