"""File and folder names every editor's system can hold: Windows refuses its device names (CON,
NUL, AUX, COM1…, with any extension), names ending in a dot or a space, and a few characters; a
report named so builds on Linux but cannot be checked out or opened at an office on Windows."""

from __future__ import annotations

import functools
from pathlib import Path, PurePosixPath

from site_builder.diagnostics import Diagnostic, display_path, error
from site_builder.i18n import current_language, t

DEVICE_NAMES = frozenset({"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"}
                         | {f"{port}{n}" for port in ("COM", "LPT") for n in [*"123456789", "¹", "²", "³"]})
FORBIDDEN = frozenset('<>:"\\|?*')


@functools.lru_cache(maxsize=4096)  # a big site's folders repeat a few hundred names thousands of times
def _verdict(name: str) -> tuple[str, str]:
    """What Windows objects to in `name` ('', '' when nothing): the kind and its detail, in no language."""
    device = name.split(".", 1)[0].rstrip(" ").upper()
    if device in DEVICE_NAMES:
        return "device", device
    if name.endswith((".", " ")):
        return "end", ""
    bad = sorted(c for c in set(name) if c in FORBIDDEN or ord(c) < 32)
    return ("characters", "\0".join(repr(c)[1:-1] for c in bad)) if bad else ("", "")


def windows_problem(name: str, in_path: bool = False) -> str:
    """Why Windows cannot hold a file or folder called `name`, as a sentence ('' when it can);
    `in_path`: said of a part of a report's path, with what it means for the editors."""
    kind, detail = _verdict(name)
    if not kind:
        return ""
    if kind == "device":
        return t("In the path, “{name}” is a name Windows reserves for a device ({device}): it cannot be created or opened "
                 "on a Windows computer. Editors using Windows cannot check out this report.", name=name, device=detail) \
            if in_path else t("“{name}” is a name Windows reserves for a device ({device}): it cannot be created or opened "
                              "on a Windows computer.", name=name, device=detail)
    if kind == "end":
        return t("In the path, “{name}” ends in a dot or a space, which Windows drops, so the file cannot be found on a "
                 "Windows computer. Editors using Windows cannot check out this report.", name=name) \
            if in_path else t("“{name}” ends in a dot or a space, which Windows drops, so the file cannot be found on a "
                              "Windows computer.", name=name)
    shown = detail.replace("\0", "、" if current_language() == "zh" else " ")
    return t("In the path, “{name}” holds characters Windows does not allow in a file name ({characters}). Editors "
             "using Windows cannot check out this report.", name=name, characters=shown) \
        if in_path else t("“{name}” holds characters Windows does not allow in a file name ({characters}).",
                          name=name, characters=shown)


def portable_name(name: str) -> str:
    """A name Windows can hold, close to `name`: CON.md → CON-1.md, "a." → "a", a:b → a-b."""
    name = "".join("-" if c in FORBIDDEN or ord(c) < 32 else c for c in name).rstrip(". ") or "-"
    stem, dot, extension = name.partition(".")
    if stem.rstrip(" ").upper() in DEVICE_NAMES:
        return f"{stem.rstrip(' ')}-1{dot}{extension}"
    return name


def reserved_name_problems(files: list[Path], content_dir: Path, project_root: Path | None) -> list[Diagnostic]:
    """One error per report file whose path below content/ has a part Windows cannot hold."""
    problems: list[Diagnostic] = []
    below = content_dir.as_posix().rstrip("/") + "/"
    for path in files:
        text = path.as_posix()  # string slicing: a third of Path.relative_to's time (0.09 s at 50,000 paths)
        parts = text[len(below):].split("/") if text.startswith(below) else PurePosixPath(path.relative_to(content_dir).as_posix()).parts
        for part in parts:
            problem = windows_problem(part, in_path=True)
            if problem:
                problems.append(error(display_path(path, project_root), 0, "", problem,
                                      t("Rename “{name}”, for example to “{portable}”.", name=part,
                                        portable=portable_name(part))))
                break
    return problems
