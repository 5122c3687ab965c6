"""The hostile-tree fuzzer (issue 23): a small project whose content/, theme and cache hold random
symlinks (in and out of the tree, loops, dangling, to devices), FIFOs and odd names (not UTF-8,
NFD, very long, reserved on Windows), built with the command line in this process.

Invariants, each a finding when broken:
- nothing outside the project and its output changes (a folder of decoys beside it: a secret file,
  a report, folders named like the cache's, all compared byte for byte and by their listing);
- nothing from outside the project is published (the decoys' marker never appears in the site);
- no traceback, no "unexpected failure";
- a message naming each bad path the build meets: a link out of the project, a loop, a dangling
  link, a pipe where a file is read, a name that is not UTF-8, a link in the cache or as the output,
  anything but an ordinary file as one of the project's records (published-urls.txt,
  update-history.json). The cache, the output and the records are checked first (nothing is read
  while they are unsafe): when one of them is bad, the build stops there and only their messages are owed.

Unreadable files are left out: the suite runs as root in CI, where no permission stops a read.
One tree takes tens of milliseconds when the build stops at a bad path; a tree without one is
built whole (a few in ten), and its compiled templates are kept between trees."""

from __future__ import annotations

import contextlib
import io
import os
import random
import shutil
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from site_builder.cli import main
from tests.conftest import report_text

MARKER = "OUTSIDE-THE-PROJECT-7f3a"
"""In every decoy: found in the site, something from outside was published."""
WHERE = ("content", "content/sub", "custom/assets", "custom/templates", ".site-cache", ".site-cache/documents",
         ".site-cache/locks", ".site-cache/reports", "", "site")
READ_PLACES = ("content", "content/sub", "custom/assets", "custom/templates")
CACHE_PLACES = (".site-cache", ".site-cache/documents", ".site-cache/locks", ".site-cache/reports")
BESIDE = [".site.lock", ".site.staging", ".site.previous", ".site.journal", ".site.search-spill", "site.lock"]
"""What a build once kept, or still keeps, beside its output: planted there, nothing may be written through them."""
RECORDS = ["published-urls.txt", "update-history.json"]
"""The project's records a build reads and rewrites (safepaths.RECORDS): anything but an ordinary file is named."""
NAMES = ["x.md", "report.md", "passwd.txt", "style.css", "base.html", "documents", "templates", "index.bin", "a"]


@dataclass
class Planted:
    path: Path
    bad: bool
    """Whether the build owes a message naming it."""


def _decoys(outside: Path) -> None:
    if outside.is_dir():
        return
    outside.mkdir(parents=True)
    (outside / "secret.txt").write_text(f"root:x:0:0:{MARKER}\n", encoding="utf-8")
    (outside / "report.md").write_text(report_text(town="外来镇").replace("现将情况报告如下", MARKER), encoding="utf-8")
    for name in ("templates", "documents", "reports", "search", "outputs", "locks"):
        (outside / name).mkdir()
        (outside / name / "keep.txt").write_text(MARKER, encoding="utf-8")


def _listing(folder: Path) -> dict[str, bytes]:
    found: dict[str, bytes] = {}
    for path in sorted(folder.rglob("*")):
        found[os.fsencode(path.relative_to(folder))] = path.read_bytes() if path.is_file() and not path.is_symlink() else b"/"  # type: ignore[index]
    return found


def _odd_name(rng: random.Random) -> tuple[str, bool]:
    """(name, whether the build must refuse it)."""
    kind = rng.randrange(5)
    suffix = rng.choice([".md", ".css", ""])
    if kind == 0:
        return os.fsdecode(b"bad\xff" + bytes([rng.randint(0x80, 0xff)])) + suffix, True
    if kind == 1:
        return unicodedata.normalize("NFD", "é镇ü") + suffix, False
    if kind == 2:
        return "长" * rng.randint(60, 80) + suffix, False  # up to 240 bytes of UTF-8, under the 255 limit
    return rng.choice(["CON", "aux", "NUL.txt", "com1", "LPT9"]) + suffix, False


def _plant(rng: random.Random, project: Path, outside: Path) -> Planted | None:
    place = rng.choice(WHERE)
    folder = project / place
    if place == "site":
        if folder.exists() or folder.is_symlink():
            return None
        folder.symlink_to(outside, target_is_directory=True)  # the output a link: never written through
        return Planted(folder, True)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:  # something planted before took the folder's name
        return None
    if not folder.is_dir() or folder.is_symlink():
        return None
    kind = rng.randrange(9)
    name, refused_name = _odd_name(rng) if kind == 8 else (rng.choice(BESIDE + RECORDS if place == "" else NAMES), False)
    path = folder / name
    if path.exists() or path.is_symlink():
        return None
    reads, cache = place in READ_PLACES, place in CACHE_PLACES or (place == "" and name in RECORDS)
    if kind == 0:
        path.symlink_to(outside / rng.choice(["secret.txt", "report.md"]))
    elif kind == 1:
        path.symlink_to(outside / rng.choice(["templates", "documents", "locks"]), target_is_directory=True)
    elif kind == 2:
        path.symlink_to(rng.choice(["/", "/dev/zero", "/dev/null", "/dev/urandom", "/proc/self/environ"]))
    elif kind == 3:  # inside the tree, or dangling inside it
        path.symlink_to(rng.choice(["../content/a.md", "..", ".", "a.md", "../../content", "../custom/assets/site.css"]))
        return Planted(path, cache or (reads and not path.exists()))
    elif kind == 4:
        path.symlink_to(path.name)  # a loop
    elif kind == 5:
        path.symlink_to(outside / "missing")  # dangling, out of the tree
    elif kind == 6:
        os.mkfifo(path)
        return Planted(path, place.startswith("custom") or (reads and path.suffix == ".md") or (place == "" and name in RECORDS))
    elif kind == 7:
        path.write_text(report_text(town="测试镇") if path.suffix == ".md" else "/* plain */", encoding="utf-8")
        return Planted(path, False)
    else:
        year = rng.choice([2019, 2020, 2021, 2022])
        path.write_text(report_text(town="异名镇", year=year) if path.suffix == ".md" else "/* odd */", encoding="utf-8")
        return Planted(path, refused_name and reads)
    return Planted(path, reads or cache)


def _owed(planted: list[Planted], project: Path) -> list[Planted]:
    """The bad paths the build must name: those of the cache and the output when there are any (it
    stops there), else those of content/ and the theme."""
    bad = [p for p in planted if p.bad]
    first = [p for p in bad if p.path.relative_to(project).parts[0] in (".site-cache", "site", *RECORDS)]
    return first or bad


def _shown(path: Path, project: Path) -> str:
    return os.fsencode(str(path.relative_to(project))).decode("utf-8", "backslashreplace")


def hostile_tree_case(rng: random.Random, work: Path) -> None:
    outside = work / "outside"
    _decoys(outside)
    project = work / "project"
    kept = work / "templates-cache"
    if (project / ".site-cache" / "templates").is_dir() and not (project / ".site-cache" / "templates").is_symlink():
        shutil.rmtree(kept, ignore_errors=True)
        os.rename(project / ".site-cache" / "templates", kept)
    if project.exists():
        shutil.rmtree(project)
    (project / "content").mkdir(parents=True)
    (project / "custom" / "assets").mkdir(parents=True)
    (project / "config.yaml").write_text('stats: false\nsearch: false\ncustom_dir: custom\nsite_url: "https://example.org"\n',
                                         encoding="utf-8")
    (project / "content" / "a.md").write_text(report_text(), encoding="utf-8")
    (project / "custom" / "assets" / "site.css").write_text("/* custom */\n", encoding="utf-8")
    if kept.is_dir():
        (project / ".site-cache").mkdir()
        os.rename(kept, project / ".site-cache" / "templates")
    planted = [p for p in (_plant(rng, project, outside) for _ in range(rng.choice([0, 1, 1, 2, 3, 4]))) if p]
    before = _listing(outside)
    beside = sorted(os.listdir(work))
    out, err = io.StringIO(), io.StringIO()
    with contextlib.chdir(project), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["build", "--config", str(project / "config.yaml")])
    said = out.getvalue() + err.getvalue()
    assert "unexpected failure" not in said and "Traceback" not in said, said[-800:]
    assert _listing(outside) == before, "a file outside the project changed"
    assert sorted(os.listdir(work)) == beside, "a file appeared beside the project"
    missing = [_shown(p.path, project) for p in _owed(planted, project) if _shown(p.path, project) not in said]
    assert not missing, f"no message for {missing}: {said[-800:]}"
    if code == 0:
        site = project / "site"
        for path in site.rglob("*"):
            if path.is_file():
                data = path.read_bytes()
                assert MARKER.encode() not in data and "外来镇".encode() not in data, f"published from outside: {path}"
    else:
        assert code == 1 and "error" in said, (code, said[-800:])
