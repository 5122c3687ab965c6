"""One rule for every file the tool reads or writes: never follow a link out of the project, never
write through a link.

- Reads (content/, the custom theme, config.yaml) go through `walk_files` / `refusal`: a file or
  folder reached through a link is read only when it resolves inside the project (or inside the
  folder the config names); a link out, to a pipe or a device, or a name the file system cannot
  give as UTF-8 is refused with a message naming the path.
- Writes (the output lock, the cache, the output folder) go through `refuse_link` and
  `open_for_write`: a path that is a link is refused, files are opened with O_NOFOLLOW.

The lock of an output folder lives in the project's .site-cache/locks/, never beside the output."""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import stat
from collections.abc import Callable, Iterator
from pathlib import Path

from site_builder.diagnostics import BuildError, Diagnostic, display_path, error
from site_builder.i18n import N_, t, translate

CACHE_DIR = ".site-cache"
NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


def printable(path: Path | str) -> str:
    """A path as text that can always be printed: bytes that are not UTF-8 shown as \\xff."""
    return os.fsencode(str(path)).decode("utf-8", "backslashreplace")


def bad_name(name: str) -> bool:
    """A file name that is not valid UTF-8 (Python holds its bytes as lone surrogates)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def within(path: Path, bounds: tuple[Path, ...]) -> bool:
    """Whether `path`, every link resolved, lies inside one of `bounds` (already resolved)."""
    try:
        target = path.resolve()
    except (OSError, RuntimeError):
        return False
    return any(target == bound or target.is_relative_to(bound) for bound in bounds)


def bounds_of(*folders: Path | None) -> tuple[Path, ...]:
    """The resolved folders a read may reach (the project root, and folders the config names)."""
    found: list[Path] = []
    for folder in folders:
        if folder is not None:
            try:
                found.append(folder.resolve())
            except (OSError, RuntimeError):
                continue
    return tuple(found)


def refusal(path: Path, bounds: tuple[Path, ...], root: Path | None) -> Diagnostic | None:
    """Why `path` (a file or folder met in a walk) must not be read, or None when it may.

    A link is fine when it resolves inside `bounds`; anything else that is not an ordinary file or
    folder (a pipe, a device, a socket) is refused too."""
    shown = printable(display_path(path, root))
    if bad_name(path.name):
        return error(shown, 0, "", t("The file name “{name}” is not valid UTF-8; site-builder does not read it.", name=printable(path.name)),
                     t("Rename the file using only common Chinese characters, letters and digits (for example 2023.md)."))
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return error(shown, 0, "", t("This is a link that loops back to itself; it cannot be read."), t("Remove this link."))
        if exc.errno == errno.ENOENT:
            return error(shown, 0, "", t("This is a link to a file that does not exist; it cannot be read."),
                         t("Remove this link or restore the file it points to."))
        return error(shown, 0, "", t("It cannot be read ({reason}).", reason=exc.strerror or exc),
                     t("Check that the file exists and that you may read it."))
    if path.is_symlink() and not within(path, bounds):
        return error(shown, 0, "", t("This is a link leading outside the project folder ({target}); for safety it is neither read nor published.",
                       target=printable(os.readlink(path))),
                     t("Remove this link, or copy the file you need into the project folder."))
    if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        return error(shown, 0, "", t("This is not an ordinary file (it is a pipe, a socket or a device); it is not read."),
                     t("Remove it, or move it out of the project folder."))
    return None


def folder_link_out(folder: Path, root: Path) -> Diagnostic | None:
    """A folder the config names inside the project (content/, the custom theme) that is in fact
    a link leading out of it: refused (a folder named outside the project on purpose is allowed)."""
    if Path(os.path.normpath(folder)).is_relative_to(root) and not within(folder, bounds_of(root)):
        return error(printable(display_path(folder, root)), 0, "", t("This folder is a link leading outside the project folder; for safety it is not read."),
                     t("Remove this link and copy the files you need into the project folder."))
    return None


def walk_files(folder: Path, bounds: tuple[Path, ...], root: Path | None,
               skip_hidden: bool = False) -> tuple[list[Path], list[Diagnostic]]:
    """Every ordinary file below `folder`, sorted; links followed only while they stay inside
    `bounds`, each folder once (a link back up the tree is no loop), and a message per path refused."""
    found: list[Path] = []
    problems: list[Diagnostic] = []
    visited: set[tuple[int, int]] = set()
    pending = [folder]
    while pending:
        current = pending.pop()
        try:
            status = current.stat()
            if (status.st_dev, status.st_ino) in visited:
                continue
            visited.add((status.st_dev, status.st_ino))
            names = sorted(os.listdir(current))
        except OSError as exc:
            problems.append(error(printable(display_path(current, root)), 0, "", t("This folder cannot be read ({reason}).", reason=exc.strerror or exc),
                                  t("Check the folder's permissions, or remove the link that points elsewhere.")))
            continue
        for name in names:
            if skip_hidden and name.startswith("."):
                continue
            path = current / name
            problem = refusal(path, bounds, root)
            if problem is not None:
                problems.append(problem)
            elif path.is_dir():
                pending.append(path)
            else:
                found.append(path)
    return sorted(found), problems


def unchanged() -> str:
    return t("Nothing was written; the previous site is unchanged.")


def link_refused(path: Path, what: str) -> Diagnostic:
    """`what`: a capitalised noun phrase marked with N_ (CACHE_FOLDER, RECORDS' values …)."""
    return error(printable(path), 0, "", t("{what} is a link (to {target}); so as not to overwrite files elsewhere, "
                                           "site-builder refuses to write through a link.",
                                           what=translate(what), target=printable(os.readlink(path))),
                 t("Remove this link (the next build creates it again as an ordinary folder or file)."))


CACHE_FOLDER = N_("The cache folder")
CACHE_PATH = N_("This path in the cache")
LOCK_FOLDER = N_("The folder of the lock file")
LOCK_FILE = N_("The build lock file")


def refuse_link(path: Path, what: str) -> None:
    """Raise BuildError when `path` (a lock, the cache, the output, or a folder on the way to them
    inside the project) is a link: writing there would write wherever the link points."""
    try:
        is_link = path.is_symlink()
    except OSError:  # a name too long for the file system, say: the write that follows says so
        return
    if is_link:
        raise BuildError([link_refused(path, what)], unchanged())


def cache_links(project: Path) -> list[Diagnostic]:
    """The cache folder, and everything inside it, must not be links: a build removes and writes
    folders and files there. A message for each one that is."""
    cache = project / CACHE_DIR
    if cache.is_symlink():
        return [link_refused(cache, CACHE_FOLDER)]
    if next(_links_inside(cache, ordered=False), False) is False:
        return []  # as nearly always: the folders are not sorted (100,000 files at 50,000 reports)
    return [link_refused(link, CACHE_PATH) for link in _links_inside(cache, ordered=True) if link is not None]


def _links_inside(folder: Path, *, ordered: bool) -> Iterator[Path | None]:
    """Each link inside `folder`, each folder's entries by name if `ordered`; None for a folder
    that could not be read (the ordered walk goes on without it)."""
    pending = [folder] if folder.is_dir() else []
    while pending:
        try:
            with os.scandir(pending.pop()) as entries:
                for entry in sorted(entries, key=lambda e: e.name) if ordered else entries:
                    if entry.is_symlink():
                        yield Path(entry.path)
                    elif entry.is_dir(follow_symlinks=False):
                        pending.append(Path(entry.path))
        except OSError:
            yield None


RECORDS = {"published-urls.txt": N_("The record of published addresses, published-urls.txt"),
           "update-history.json": N_("The update history, update-history.json")}
"""The project's own records beside config.yaml that a build reads and rewrites (permanence, history)."""


def unsafe_records(project: Path) -> list[Diagnostic]:
    """A record (RECORDS) that is a link or not an ordinary file: a build would read through it,
    or block on a pipe, and lose what it remembers. A message for each."""
    found = []
    for name, what in RECORDS.items():
        path = project / name
        if path.is_symlink():
            found.append(link_refused(path, what))
        elif path.exists() and not path.is_file():
            found.append(error(printable(path), 0, "", t("{what} is not an ordinary file (a folder, a pipe or a device): "
                                                         "the build cannot read or keep what it remembers there.",
                                                         what=translate(what)),
                               t("Remove it; the next build writes the file again.")))
    return found


def refuse_unsafe_writes(project: Path, refuse_output: Callable[[], None]) -> None:
    """Before a build reads anything: the output (checked by `refuse_output`), the cache and the
    project's records must be safe to write; every problem is named at once."""
    found = cache_links(project) + unsafe_records(project)
    try:
        refuse_output()
    except BuildError as exc:
        found = [*exc.diagnostics, *found]
    if found:
        raise BuildError(found, unchanged())


def check_cache(project: Path) -> None:
    """Raise BuildError naming every link in the cache (see cache_links) and every unsafe record."""
    refuse_unsafe_writes(project, lambda: None)


def remove(path: Path) -> None:
    """Remove a file, a link or a whole folder from the cache; never follows a link, never opens a
    pipe (shutil.rmtree opens what it is given before looking: a pipe there would block for ever)."""
    try:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
    except OSError:
        pass  # the next build tries again


def write_file(path: Path, data: bytes, folder: Path) -> None:
    """Create or replace a file the user asked for (`import`, `new`) inside `folder`, and the
    folders on the way: never through a link (at the file, or a folder leading out of `folder`)."""
    if path.is_symlink() or not within(path.parent, bounds_of(folder)):
        where = path if path.is_symlink() else path.parent
        raise BuildError([error(printable(where), 0, "", t("This is a link leading outside {folder}; so as not to overwrite files elsewhere, site-builder does not "
                                  "write through it.", folder=printable(folder))
                                if not path.is_symlink() else t("This file is a link; so as not to overwrite the file it "
                                                                "points to, site-builder does not write through it."),
                                t("Remove this link and try again."))], t("No file was written."))
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = open_for_write(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    with os.fdopen(fd, "wb") as stream:
        stream.write(data)


def lock_path(project: Path | None, output: Path) -> Path:
    """The lock of an output folder: in the project's .site-cache/locks/ (never beside the
    output, where anyone who may write that folder could plant a link)."""
    resolved = output.resolve()
    if project is None:
        return resolved.parent / f".{resolved.name}.lock"
    name = hashlib.sha256(os.fsencode(str(resolved))).hexdigest()[:16]
    return project / CACHE_DIR / "locks" / f"{name}.lock"


def prepare_lock(path: Path) -> None:
    """Create the lock's folder, refusing links on the way (the cache folder, locks/, the lock)."""
    for step in (path.parent.parent, path.parent):
        refuse_link(step, LOCK_FOLDER)
    path.parent.mkdir(parents=True, exist_ok=True)
    refuse_link(path, LOCK_FILE)


def open_for_write(path: Path, flags: int, mode: int = 0o644) -> int:
    """os.open that never writes through a link: a link at `path` fails with ELOOP."""
    return os.open(path, flags | NOFOLLOW | getattr(os, "O_CLOEXEC", 0), mode)
