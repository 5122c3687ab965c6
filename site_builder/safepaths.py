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
from collections.abc import Callable
from pathlib import Path

from site_builder.diagnostics import BuildError, Diagnostic, display_path, error
from site_builder.i18n import t

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
        return error(shown, 0, "", f"文件名“{printable(path.name)}”不是有效的 UTF-8 编码，本工具不读取它。",
                     "请把文件重命名为只含常用汉字、字母和数字的名称（例如 2023.md）。")
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return error(shown, 0, "", "这是一个指向自身的循环链接，无法读取。", "请删除这个链接。")
        if exc.errno == errno.ENOENT:
            return error(shown, 0, "", "这是一个指向不存在文件的链接，无法读取。", "请删除这个链接或恢复它指向的文件。")
        return error(shown, 0, "", f"无法读取（{exc.strerror or exc}）。", "请检查文件是否存在、是否有读取权限。")
    if path.is_symlink() and not within(path, bounds):
        return error(shown, 0, "", f"这是一个指向项目文件夹之外（{printable(os.readlink(path))}）的链接，为安全起见不读取、不发布。",
                     "请删除这个链接，或把所需文件复制到项目文件夹内。")
    if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        return error(shown, 0, "", "这不是普通文件（是管道、套接字或设备），不读取。", "请删除它，或移出项目文件夹。")
    return None


def folder_link_out(folder: Path, root: Path) -> Diagnostic | None:
    """A folder the config names inside the project (content/, the custom theme) that is in fact
    a link leading out of it: refused (a folder named outside the project on purpose is allowed)."""
    if Path(os.path.normpath(folder)).is_relative_to(root) and not within(folder, bounds_of(root)):
        return error(printable(display_path(folder, root)), 0, "", "这个文件夹是指向项目文件夹之外的链接，为安全起见不读取。",
                     "请删除这个链接，把所需文件复制到项目文件夹内。")
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
            problems.append(error(printable(display_path(current, root)), 0, "", f"无法读取这个文件夹（{exc.strerror or exc}）。",
                                  "请检查文件夹的权限，或删除指向别处的链接。"))
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
    return error(printable(path), 0, "", f"{what}是一个链接（指向 {printable(os.readlink(path))}），为防止改写别处的文件，本工具拒绝通过链接写入。",
                 "请删除这个链接（它会在下次构建时重新生成为普通文件夹或文件）。")


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
        return [link_refused(cache, "缓存文件夹")]
    found: list[Diagnostic] = []
    pending = [cache] if cache.is_dir() else []
    while pending:
        try:
            with os.scandir(pending.pop()) as entries:
                for entry in sorted(entries, key=lambda e: e.name):
                    if entry.is_symlink():
                        found.append(link_refused(Path(entry.path), "缓存中的这个路径"))
                    elif entry.is_dir(follow_symlinks=False):
                        pending.append(Path(entry.path))
        except OSError:
            continue
    return found


RECORDS = {"published-urls.txt": "已发布地址的记录 published-urls.txt", "update-history.json": "更新记录 update-history.json"}
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
                                                         "the build cannot read or keep what it remembers there.", what=what),
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
        raise BuildError([error(printable(where), 0, "", f"这是一个指向 {printable(folder)} 之外的链接，为防止改写别处的文件，本工具不通过它写入。"
                                if not path.is_symlink() else "这个文件是一个链接，为防止改写它指向的文件，本工具不通过它写入。",
                                "请删除这个链接后再试。")], t("No file was written."))
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
        refuse_link(step, "锁文件所在的文件夹")
    path.parent.mkdir(parents=True, exist_ok=True)
    refuse_link(path, "构建锁文件")


def open_for_write(path: Path, flags: int, mode: int = 0o644) -> int:
    """os.open that never writes through a link: a link at `path` fails with ELOOP."""
    return os.open(path, flags | NOFOLLOW | getattr(os, "O_CLOEXEC", 0), mode)
