"""Where the running site-builder was installed from, so that a new site's workflows install the
same thing: the URL of a release's wheel, a git repository at a commit (PEP 610 `direct_url.json`),
or — installed from a local file, a folder, an index or unknown — this very installation as a wheel
bundled into the site. Never a bare `site-builder==x`: nothing says the index serves this project."""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from pathlib import Path
from urllib.parse import unquote, urlsplit

from site_builder import __version__
from site_builder.i18n import t

DISTRIBUTION = "site-builder"
BUNDLE_FOLDER = ".github/site-builder"
"""Where a bundled wheel goes in the new site (committed with it; the workflows install it)."""
# Written by the installer about this installation, not part of the wheel itself.
_INSTALLER_FILES = {"INSTALLER", "REQUESTED", "direct_url.json", "RECORD"}


@dataclass(frozen=True)
class Source:
    requirement: str
    """What `pip install` is given in the workflows."""
    wheel: bytes | None = None
    """The wheel to bundle into the site at `requirement` (a path relative to the site), if any."""


@cache  # building a wheel takes seconds: once per process
def install_source() -> Source:
    """The requirement the new site's workflows install (see the module's docstring)."""
    source = Path(__file__).resolve().parent.parent
    if (source / "pyproject.toml").is_file():  # running from a source tree (editable, or on the path)
        return _bundled(_built_from(source))
    try:
        dist = metadata.distribution(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        raise OSError(t("site-builder's installation record cannot be found, so what the workflows should install is not "
                        "known. Give it with --tool, e.g. the address of a released wheel.")) from None
    direct = _direct_url(dist)
    remote = _remote_requirement(direct)
    if remote:
        return Source(remote)
    return _bundled(_local_wheel(dist, direct))


def _direct_url(dist: metadata.Distribution) -> dict[str, object]:
    try:
        data = json.loads(dist.read_text("direct_url.json") or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _remote_requirement(direct: dict[str, object]) -> str:
    """A requirement that resolves anywhere: a wheel's https URL (with its hash) or git at a commit."""
    url = str(direct.get("url") or "")
    if urlsplit(url).scheme not in ("https", "http"):
        return ""
    vcs = direct.get("vcs_info")
    if isinstance(vcs, dict):
        commit = str(vcs.get("commit_id") or "")
        if vcs.get("vcs") != "git" or not commit:
            return ""
        subdirectory = str(direct.get("subdirectory") or "")
        return f"git+{url}@{commit}" + (f"#subdirectory={subdirectory}" if subdirectory else "")
    archive = direct.get("archive_info")
    if isinstance(archive, dict) and url.endswith(".whl"):
        hashes = archive.get("hashes")
        sha256 = hashes.get("sha256") if isinstance(hashes, dict) else None
        old_style = str(archive.get("hash") or "")  # pip before 23: "sha256=…"
        sha256 = sha256 or (old_style.removeprefix("sha256=") if old_style.startswith("sha256=") else None)
        return f"{DISTRIBUTION} @ {url}" + (f"#sha256={sha256}" if sha256 else "")
    return ""


def _local_wheel(dist: metadata.Distribution, direct: dict[str, object]) -> tuple[str, bytes]:
    """This installation as a wheel: the file it came from when it is still there, else rebuilt."""
    url = str(direct.get("url") or "")
    if urlsplit(url).scheme == "file":
        path = Path(unquote(urlsplit(url).path))
        if path.suffix == ".whl" and path.is_file():
            return path.name, path.read_bytes()
        dir_info = direct.get("dir_info")
        # An editable install's files stay in the folder; a folder installed as it was is complete
        # in site-packages and repacked like any other (rebuilding needs the venv to hold the
        # project's build backend: a new venv's setuptools is too old for it).
        if isinstance(dir_info, dict) and dir_info.get("editable") and path.is_dir():
            return _built_from(path)
    return _repacked(dist)


def _built_from(project: Path) -> tuple[str, bytes]:
    """A wheel built from a source folder, without downloading anything."""
    with tempfile.TemporaryDirectory(prefix="site-builder-wheel-") as out:
        result = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                                 "-w", out, str(project)], capture_output=True, text=True, check=False)
        wheels = sorted(Path(out).glob("site_builder-*.whl"))
        if result.returncode != 0 or not wheels:
            raise OSError(t("A site-builder wheel cannot be made from {project}: {error}. Give what the workflows install "
                            "with --tool instead, e.g. the address of a released wheel.", project=project,
                            error=result.stderr.strip()[-300:]))
        return wheels[0].name, wheels[0].read_bytes()


def _repacked(dist: metadata.Distribution) -> tuple[str, bytes]:
    """The installed files listed in RECORD, zipped back into the wheel they were installed from."""
    files = [f for f in dist.files or [] if not f.parts[0].startswith("..") and "__pycache__" not in f.parts
             and not (f.parts[0].endswith(".dist-info") and f.name in _INSTALLER_FILES)]
    info = next((f.parts[0] for f in files if f.parts[0].endswith(".dist-info")), "")
    if not info:
        raise OSError(t("site-builder's installation record (RECORD) is incomplete, so it cannot be packed. Give what the "
                        "workflows install with --tool instead."))
    buffer, record = io.BytesIO(), io.StringIO()
    rows = csv.writer(record, lineterminator="\n")
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as wheel:
        for file in sorted(files, key=lambda f: (f.parts[0] == info, f.as_posix())):
            data = Path(str(dist.locate_file(file))).read_bytes()
            _add(wheel, file.as_posix(), data)
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
            rows.writerow([file.as_posix(), f"sha256={digest}", len(data)])
        rows.writerow([f"{info}/RECORD", "", ""])
        _add(wheel, f"{info}/RECORD", record.getvalue().encode())
    return f"site_builder-{__version__}-py3-none-any.whl", buffer.getvalue()


def _add(wheel: zipfile.ZipFile, name: str, data: bytes) -> None:
    entry = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))  # the same bytes from the same files
    entry.external_attr = 0o644 << 16
    entry.compress_type = zipfile.ZIP_DEFLATED
    wheel.writestr(entry, data)


def _bundled(wheel: tuple[str, bytes]) -> Source:
    name, data = wheel
    return Source(f"./{BUNDLE_FOLDER}/{name}", data)
