"""更新记录: when each version of a report was published, as disclosure rules expect a changed
document to say. In a git repository the dates are the commits' own (committer dates: the same
every build, no clock); otherwise the build keeps its own record (update-history.json beside
config.yaml: the date a build first published each content hash — a project input like the
reports, to be kept with them, not a cache). The first version is dated by `published` when the
front-matter gives it."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from pathlib import Path

from site_builder.models import Report
from site_builder.store import read_text, save_text

RECORD = "update-history.json"


def attach_history(root: Path, reports: list[Report], *, record: bool) -> None:
    """Set each report's `history` (its versions' dates, oldest first; empty when unchanged)."""
    versions = _from_git(root) or {}
    unknown = [r for r in reports if r.rel_path not in versions]
    if unknown:
        versions.update(_from_record(root, unknown, record))
    for report in reports:
        dates = sorted(versions.get(report.rel_path, []))
        if dates and report.meta.published and report.meta.published < dates[0]:
            dates[0] = report.meta.published  # published before the site first carried it
        days = sorted(set(dates))
        report.history[:] = days if len(days) > 1 else []


def _from_git(root: Path) -> dict[str, list[dt.date]] | None:
    """Each committed file's commit dates (a day once), or None outside a git repository."""
    try:
        found = subprocess.run(["git", "-C", str(root), "log", "--format=%x01%cs", "--name-only", "--no-renames", "--relative", "--", "."],
                               capture_output=True, text=True, encoding="utf-8", timeout=60, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    if found.returncode != 0:
        return None
    dates: dict[str, list[dt.date]] = {}
    day = None
    for line in found.stdout.splitlines():
        if line.startswith("\x01"):
            day = dt.date.fromisoformat(line[1:].strip())
        elif line.strip() and day is not None:
            dates.setdefault(line.strip(), []).append(day)
    return dates


def _from_record(root: Path, reports: list[Report], record: bool) -> dict[str, list[dt.date]]:
    path = root / RECORD
    try:
        kept: dict[str, list[list[str]]] = json.loads(read_text(path) or "{}")
    except ValueError:
        kept = {}
    if not isinstance(kept, dict) or not all(isinstance(v, list) and all(isinstance(x, list) and len(x) == 2 for x in v)
                                             for v in kept.values()):
        kept = {}  # not a record this tool wrote: started again
    changed = False
    today = dt.date.today().isoformat()
    for report in reports:
        versions = kept.setdefault(report.rel_path, [])
        if not versions or versions[-1][1] != report.content_hash:
            versions.append([today, report.content_hash])
            changed = True
    if record and changed:
        save_text(path, json.dumps(kept, ensure_ascii=False, sort_keys=True))
    return {r.rel_path: [dt.date.fromisoformat(day) for day, _ in kept[r.rel_path]] for r in reports}
