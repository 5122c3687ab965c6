"""The intranet recipe of docs/intranet.md, served by Debian's nginx: a `--base-url /pub/fzzf/`
build under that sub-path has no broken link, answers a missing address with the site's own 404
page, sends the right types with charset=utf-8, the `.gz` files of `--precompress` and long
caching for hashed assets only. Skipped, with one line, where nginx is not installed — except under
CI (SITE_BUILDER_REQUIRE_NGINX=1, set by .ci/run, which installs it)."""

from __future__ import annotations

import gzip
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, urldefrag, urljoin, urlsplit

import pytest
from conftest import REPO, report_text
from servers import free_port

BASE = "/pub/fzzf/"
NGINX = shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if Path(p).is_file()), None)
if NGINX is None:
    if os.environ.get("SITE_BUILDER_REQUIRE_NGINX") == "1":
        raise RuntimeError("nginx is missing (apt-get install nginx): the intranet recipe cannot be served")
    pytest.skip("nginx is not installed (apt-get install nginx): the intranet recipe was not served", allow_module_level=True)

TOWNS = ["双江镇", "中庄镇", "兴隆镇", "仁沙镇", "辛口镇", "古溪镇"]


def recipe() -> str:
    """The nginx block of docs/intranet.md, as a reader copies it."""
    text = (REPO / "docs" / "intranet.md").read_text(encoding="utf-8")
    found = re.search(r"<!-- nginx-recipe:[^>]*-->\s*```nginx\n(.*?)```", text, re.S)
    assert found, "docs/intranet.md has no nginx recipe"
    return found.group(1)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    root = tmp_path_factory.mktemp("intranet")
    (root / "config.yaml").write_text((REPO / "config.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    for index, town in enumerate(TOWNS):
        for year in (2022, 2023):
            path = root / "content" / f"{index}-{year}.md"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(report_text(town=town, year=year, n=index + year), encoding="utf-8")
    built = subprocess.run([sys.executable, "-m", "site_builder", "build", "--base-url", BASE, "--precompress",
                            "--site-url", "https://www.example.gov.cn"], cwd=root, capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stderr
    site = root / "site"
    port = free_port()
    conf = recipe().replace("/srv/fzzf/site/", f"{site}/").replace("listen 80;", f"listen 127.0.0.1:{port};")
    prefix = root / "nginx"
    prefix.mkdir()
    temp = " ".join(f"{kind}_temp_path {prefix}/{kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    user = "user root;\n" if os.geteuid() == 0 else ""  # workers must read the test's private temporary folder
    (prefix / "nginx.conf").write_text(
        f"{user}worker_processes 1;\ndaemon off;\npid {prefix}/nginx.pid;\nerror_log {prefix}/error.log;\n"
        f"events {{ worker_connections 64; }}\nhttp {{\n access_log off;\n {temp}\n{conf}\n}}\n", encoding="utf-8")
    process = subprocess.Popen([NGINX, "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-e", str(prefix / "error.log")],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 300  # a hang detector, not a speed check
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert process.poll() is None, (process.stdout.read() if process.stdout else b"").decode() + \
                    (prefix / "error.log").read_text(errors="replace")
                time.sleep(0.1)
        yield url, site
    finally:
        process.terminate()
        process.wait(timeout=120)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


OPENER = urllib.request.build_opener(NoRedirect)


def get(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    # As a browser does: a link written with Chinese characters (the dated downloads) goes out percent-encoded.
    request = urllib.request.Request(quote(url, safe=":/?#[]@!$&'()*+,;=%"), headers=headers or {})
    try:
        with OPENER.open(request, timeout=60) as response:
            return response.status, dict(response.headers.items()), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers.items()), exc.read()


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value and not value.startswith(("data:", "mailto:", "#")):
                self.found.append(value)


def test_every_link_of_the_site_under_the_sub_path_answers(server: tuple[str, Path]) -> None:
    url, site = server
    pending, seen, broken = [url + BASE], set(), []
    while pending:
        address = pending.pop()
        if address in seen:
            continue
        seen.add(address)
        status, headers, body = get(address)
        if status in (301, 302):
            pending.append(urljoin(address, headers["Location"]))
            continue
        if status != 200:
            broken.append((address, status))
            continue
        if headers.get("Content-Type", "").startswith("text/html"):
            parser = Links()
            parser.feed(body.decode("utf-8"))
            for link in parser.found:
                target = urldefrag(urljoin(address, link))[0]
                if urlsplit(target).netloc == urlsplit(url).netloc:
                    pending.append(target)
    pages = [a for a in seen if not urlsplit(a).path.startswith(BASE + "assets/")]
    assert len(pages) > 20, seen
    assert broken == []
    # Every file of the built site is served at its address under the sub-path.
    for path in sorted(site.rglob("*")):
        rel = path.relative_to(site).as_posix()
        if path.is_file() and not rel.startswith("."):
            status, _, body = get(f"{url}{BASE}{rel}")
            assert (status, body) == (200, path.read_bytes()), rel


def test_a_missing_address_gets_the_sites_styled_404_page(server: tuple[str, Path]) -> None:
    url, site = server
    for missing in ("no/such/page/", "chongqing/tongnan/nowhere/2023/", "assets/none.css"):
        status, headers, body = get(f"{url}{BASE}{missing}")
        assert status == 404 and body == (site / "404.html").read_bytes(), missing
        assert headers["Content-Type"] == "text/html; charset=utf-8"
    stylesheet = re.search(r'href="([^"]+\.css\?v=[^"]+)"', (site / "404.html").read_text(encoding="utf-8"))
    assert stylesheet and stylesheet.group(1).startswith(BASE)
    assert get(url + stylesheet.group(1))[0] == 200  # styled: its stylesheet resolves under the sub-path
    assert get(f"{url}{BASE}.site-builder-output")[0] == 404
    status, headers, _ = get(f"{url}{BASE}years")
    assert status == 301 and headers["Location"] == f"{BASE}years/"


def test_types_charset_precompressed_files_and_caching(server: tuple[str, Path]) -> None:
    url, site = server
    expected = {"index.html": "text/html; charset=utf-8", "assets/site.css": "text/css; charset=utf-8",
                "assets/site.js": "application/javascript; charset=utf-8", "search/meta.json": "application/json; charset=utf-8",
                "sitemap.xml": "application/xml; charset=utf-8", "robots.txt": "text/plain; charset=utf-8",
                "data/stats.xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
    expected |= {f"data/{p.name}": "text/csv; charset=utf-8" for p in (site / "data").glob("*.csv")}
    assert any(name.endswith(".csv") for name in expected)
    for rel, kind in expected.items():
        status, headers, _ = get(f"{url}{BASE}{rel}")
        assert (status, headers.get("Content-Type")) == (200, kind), rel

    # The .gz written by the build is what is sent, byte for byte (on-the-fly gzip would differ).
    for rel in ("", "assets/site.css", "search/meta.json"):
        status, headers, body = get(f"{url}{BASE}{rel}", {"Accept-Encoding": "gzip"})
        file = site / (rel or "index.html")
        assert status == 200 and headers.get("Content-Encoding") == "gzip", rel
        assert body == Path(f"{file}.gz").read_bytes() and gzip.decompress(body) == file.read_bytes(), rel

    page = (site / "index.html").read_text(encoding="utf-8")
    hashed = re.search(rf'"({BASE}assets/[^"?]+\?v=[0-9a-f]+)"', page)
    assert hashed
    assert "max-age=315360000" in get(url + hashed.group(1))[1].get("Cache-Control", "")
    assert "Cache-Control" not in get(url + BASE)[1]  # pages change with every report
    assert "Cache-Control" not in get(url + hashed.group(1).split("?")[0])[1]  # not a hashed URL
