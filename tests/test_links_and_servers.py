"""Issue 23: hostile trees and servers, each of its twelve findings as the user or the attacker hits
it. Never follow a link out of the project, never write through a link (site_builder/safepaths.py);
servers that shed idle clients, refuse bodies and stay quiet when a client hangs up."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from servers import fetch, free_port, serving, wait_for

from tests.conftest import REPO, Project, copy_project, report_text, snapshot

SHUANGJIANG = "content/chongqing/tongnan/shuangjiang/2023.md"


def run(project: Project, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    result = project.run(capsys, *args)
    assert "unexpected failure" not in result.err and "Traceback" not in result.err, result.err
    return result.code, result.out + result.err


def outside(tmp_path: Path) -> Path:
    """A folder beside the project that a build must never change or publish."""
    folder = tmp_path / "elsewhere"
    folder.mkdir(exist_ok=True)
    (folder / "secret.txt").write_text("root:x:0:0:secret\n", encoding="utf-8")
    return folder


# 1. The output lock ------------------------------------------------------------------------------

def test_a_lock_planted_as_a_link_beside_the_output_writes_nothing_there(project: Project, tmp_path: Path,
                                                                         capsys: pytest.CaptureFixture[str]) -> None:
    victim = outside(tmp_path) / "secret.txt"
    (project.root / ".site.lock").symlink_to(victim)  # where the lock was until issue 23
    (tmp_path / ".x.lock").symlink_to(victim)  # `--output ../x`: a folder others may write to
    assert run(project, capsys, "build")[0] == 0
    assert run(project, capsys, "build", "--output", str(tmp_path / "x"))[0] == 0
    assert victim.read_text(encoding="utf-8") == "root:x:0:0:secret\n"
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".x.") and not p.is_symlink()]


def test_a_lock_that_is_a_link_in_the_cache_is_refused_with_its_path(project: Project, tmp_path: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    from site_builder.safepaths import lock_path

    victim = outside(tmp_path) / "secret.txt"
    lock = lock_path(project.root, project.site)
    lock.parent.mkdir(parents=True)
    lock.symlink_to(victim)
    code, text = run(project, capsys, "build")
    assert code == 1 and "link" in text and lock.name in text
    assert victim.read_text(encoding="utf-8") == "root:x:0:0:secret\n"


# 2. The cache ------------------------------------------------------------------------------------

@pytest.mark.parametrize("where", [".site-cache", ".site-cache/documents"])
def test_a_cache_that_is_a_link_is_refused_and_its_target_kept(project: Project, tmp_path: Path, where: str,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    target = outside(tmp_path)
    for name in ("templates", "documents", "reports", "search", "outputs"):
        (target / name).mkdir()
        (target / name / "keep.txt").write_text(name, encoding="utf-8")
    before = snapshot(target)
    link = project.root / where
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(target, target_is_directory=True)
    code, text = run(project, capsys, "build")
    assert code == 1 and "link" in text and where.split("/")[-1] in text
    assert snapshot(target) == before
    assert run(project, capsys, "check")[0] == 2


# 3. Links in the theme ---------------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["assets", "templates"])
def test_a_theme_link_out_of_the_project_is_neither_read_nor_published(project: Project, tmp_path: Path, kind: str,
                                                                        capsys: pytest.CaptureFixture[str]) -> None:
    secret = outside(tmp_path) / "secret.txt"
    (project.root / "custom" / kind).mkdir(parents=True)
    (project.root / "custom" / kind / "passwd.txt").symlink_to(secret)
    (project.root / "custom" / "assets").mkdir(exist_ok=True)
    (project.root / "custom" / "assets" / "inside.css").symlink_to(project.root / "config.yaml")  # inside: fine
    config = project.root / "config.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace('custom_dir: ""', "custom_dir: custom"), encoding="utf-8")
    code, text = run(project, capsys, "build")
    assert code == 1 and f"custom/{kind}/passwd.txt" in text and "outside the project folder" in text
    assert not project.site.exists()
    code, text = run(project, capsys, "check")
    assert code == 2 and f"custom/{kind}/passwd.txt" in text and "inside.css" not in text
    (project.root / "custom" / kind / "passwd.txt").unlink()
    assert run(project, capsys, "build")[0] == 0
    assert not [p for p in project.site.rglob("*") if p.is_file() and b"root:x:0:0" in p.read_bytes()]


# 4. Links in content/ ----------------------------------------------------------------------------

def test_a_content_link_out_of_the_project_is_not_published(project: Project, tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    elsewhere = outside(tmp_path)
    (elsewhere / "report.md").write_text(report_text(town="外来镇"), encoding="utf-8")
    (project.content / "linked.md").symlink_to(elsewhere / "report.md")
    (project.content / "folder").symlink_to(elsewhere, target_is_directory=True)
    (project.content / "root").symlink_to("/", target_is_directory=True)
    (project.content / "inside").symlink_to(project.root / "content" / "chongqing", target_is_directory=True)
    code, text = run(project, capsys, "build")
    assert code == 1
    for name in ("content/linked.md", "content/folder", "content/root"):
        assert f"{name}: error: This is a link leading outside the project folder" in text
    assert "content/inside:" not in text
    for name in ("linked.md", "folder", "root"):
        (project.content / name).unlink()
    assert run(project, capsys, "build")[0] == 0
    assert "外来镇" not in "".join(p.read_text(encoding="utf-8") for p in project.site.rglob("*.html"))


def test_a_content_folder_that_is_a_link_out_of_the_project_is_refused(project: Project, tmp_path: Path,
                                                                       capsys: pytest.CaptureFixture[str]) -> None:
    elsewhere = outside(tmp_path)
    (project.content / "chongqing").rename(elsewhere / "chongqing")
    os.rename(project.content, tmp_path / "old-content")
    project.content.symlink_to(elsewhere, target_is_directory=True)
    code, text = run(project, capsys, "build")
    assert code == 1 and "content: error: This folder is a link leading outside the project folder" in text


# 5 and 12. serve-search ---------------------------------------------------------------------------

@pytest.fixture
def search_server(project: Project) -> Iterator[tuple[int, list[str]]]:
    """serve-search in this process, with a 1-second idle timeout; yields its port and what it logged."""
    import logging

    from site_builder.build import inspect_site
    from site_builder.config import load_config
    from site_builder.search.http import make_server
    from site_builder.search.service import update_index

    config, _ = load_config(project.root / "config.yaml")
    update_index(inspect_site(config)[0])
    server = make_server(config, "127.0.0.1", 0, timeout=1)
    logged: list[str] = []
    handler = logging.Handler()
    handler.emit = lambda record: logged.append(record.getMessage())  # type: ignore[method-assign]
    logging.getLogger("waitress").addHandler(handler)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield server.effective_port, logged
    finally:
        logging.getLogger("waitress").removeHandler(handler)

        def stop() -> None:  # in the server's own thread: its loop ends once no socket is left
            for channel in list(server._map.values()):
                channel.close()

        server.trigger.pull_trigger(stop)
        thread.join(timeout=120)
        server.task_dispatcher.shutdown()


def _get(port: int, query: str) -> tuple[int, dict[str, object]]:
    url = f"http://127.0.0.1:{port}/api/search?" + urllib.parse.urlencode({"q": query})
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def test_serve_search_closes_idle_connections(search_server: tuple[int, list[str]]) -> None:
    port, _ = search_server
    with socket.create_connection(("127.0.0.1", port)) as idle:
        idle.settimeout(120)  # generous: the server closes it after 1 s (and its next clean-up)
        assert idle.recv(1) == b""


@pytest.fixture
def search_command(project: Project) -> Iterator[tuple[int, subprocess.Popen[str]]]:
    """`site-builder serve-search` as a user starts it; yields its port and its process."""
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "site_builder", "serve-search", "--port", str(port)],
                               cwd=project.root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert wait_for(lambda: _get(port, "法律顾问")[0] == 200)
        yield port, process
    finally:
        if process.poll() is None:
            process.terminate()
            process.communicate(timeout=120)


def test_serve_search_refuses_bodies_and_idle_clients_hold_no_thread(search_command: tuple[int, subprocess.Popen[str]]) -> None:
    port, _ = search_command
    idle = [socket.create_connection(("127.0.0.1", port)) for _ in range(150)]
    try:
        assert _get(port, "法律顾问")[0] == 200
    finally:
        for sock in idle:
            sock.close()
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.settimeout(60)
        sock.sendall(b"GET /api/search?q=a HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000000\r\n\r\n")
        assert sock.recv(100).startswith(b"HTTP/1.1 413")  # at once, nothing of the body read


def test_serve_search_is_quiet_when_clients_hang_up(search_command: tuple[int, subprocess.Popen[str]]) -> None:
    port, process = search_command
    for _ in range(30):
        with socket.create_connection(("127.0.0.1", port)) as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")  # reset on close
            sock.sendall(b"GET /api/search?q=%E6%B3%95%E5%BE%8B HTTP/1.1\r\nHost: x\r\n\r\n")
    assert _get(port, "法律顾问")[0] == 200
    process.terminate()
    _, err = process.communicate(timeout=120)
    assert "Traceback" not in err and "BrokenPipe" not in err and "ConnectionReset" not in err, err[-2000:]


def test_the_output_lock_is_in_the_cache_never_beside_the_output(project: Project, tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    beside = set(tmp_path.iterdir())
    assert run(project, capsys, "build", "--output", str(tmp_path / "public"))[0] == 0
    assert set(tmp_path.iterdir()) - beside == {tmp_path / "public"}
    assert not [p.name for p in project.root.iterdir() if p.name.endswith(".lock") or p.name.startswith(".site.")]


# 6. File names that are not UTF-8 ----------------------------------------------------------------

def test_a_file_name_that_is_not_utf8_is_a_message_not_a_crash(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    name = os.fsdecode(b"bad\xff\xfe.md")
    (project.content / name).write_text(report_text(town="测试镇"), encoding="utf-8")
    code, text = run(project, capsys, "build")
    assert code == 1 and "content/bad\\xff\\xfe.md" in text and "is not valid UTF-8" in text
    result = project.run(capsys, "check", "--format", "json")
    assert result.code == 2 and "Traceback" not in result.err
    assert [p["file"] for p in json.loads(result.out) if "UTF-8" in p["message"]] == ["content/bad\\xff\\xfe.md"]


# 7. serve and %00 --------------------------------------------------------------------------------

def test_serve_answers_a_nul_in_the_path_with_404_and_stays_quiet(project: Project) -> None:
    with serving(project.root) as served:
        assert fetch(served.base + "index%00.html")[0] == 404
        for _ in range(20):  # clients that hang up mid-request
            with socket.create_connection(("127.0.0.1", served.port)) as sock:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
                sock.sendall(b"GET /assets/ HTTP/1.1\r\nHost: x\r\n\r\n")
        assert fetch(served.base)[0] == 200
    text = served.logged()
    assert "Traceback" not in text and not re.search(r"\b500\b", text) and "ERROR" not in text, text  # a port may hold 500


def test_serve_closes_idle_connections() -> None:
    from tornado.httpserver import HTTPServer

    from site_builder.serve import LISTEN_OPTIONS, _harden_http

    _harden_http()
    try:
        server = HTTPServer(lambda request: None)  # as livereload makes them, without options
        assert server.conn_params.header_timeout == LISTEN_OPTIONS["idle_connection_timeout"] == 60
        assert server.conn_params.max_body_size == LISTEN_OPTIONS["max_body_size"]
    finally:
        HTTPServer.configure(None)


# 8. check and a broken config --------------------------------------------------------------------

@pytest.mark.parametrize("form", ["text", "json", "github"])
def test_check_reports_config_errors_as_errors_in_the_format_asked(project: Project, form: str,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    (project.root / "config.yaml").write_text("base_url: 5\noutput_dir: [1]\n", encoding="utf-8")
    result = project.run(capsys, "check", "--format", form)
    assert result.code == 2, result.out + result.err
    if form == "json":
        assert {p["field"] for p in json.loads(result.out)} == {"base_url", "output_dir"}
    elif form == "github":
        assert result.out.startswith("::error file=") and "config.yaml,line=1,title=base_url::" in result.out
    else:
        assert "config.yaml:1: error [base_url]" in result.out


# 9. Dates far in the future ----------------------------------------------------------------------

@pytest.mark.parametrize("field", ["published", "signed"])
def test_a_date_far_in_the_future_is_an_error(project: Project, field: str, capsys: pytest.CaptureFixture[str]) -> None:
    project.write(SHUANGJIANG, report_text(extra=f"{field}: 9999-12-31\n"))
    code, text = run(project, capsys, "build")
    assert code == 1 and f"{SHUANGJIANG}:8: error [{field}]" in text and "9999-12-31" in text
    project.write(SHUANGJIANG, report_text(extra=f"{field}: 2024-03-28\n"))
    assert run(project, capsys, "build")[0] == 0


# 10. The shipped project is clean ----------------------------------------------------------------

def test_the_shipped_project_builds_strict_without_a_site_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    from site_builder.cli import main

    assert main(["init", str(tmp_path / "new"), "--example"]) == 0
    capsys.readouterr()
    for project in (copy_project(tmp_path / "shipped"), Project(tmp_path / "new")):
        code, text = run(project, capsys, "build", "--strict")
        assert code == 0, text
        assert "None" not in "".join(p.read_text(encoding="utf-8") for p in project.content.rglob("*.md"))
        code, text = run(project, capsys, "check")
        assert "index_no" not in text and "error" not in text.replace("0 error(s)", ""), text


def test_the_importer_does_not_copy_a_portal_placeholder_as_the_index_number(tmp_path: Path) -> None:
    from site_builder.importer.output import import_one

    raw = tmp_path / "page.txt"
    raw.write_text("关于2023年法治政府建设情况的报告\n索引号: 1137032300422372XD/2024-None 发布日期: 2024-03-01\n\n"
                   + (REPO / SHUANGJIANG).read_text(encoding="utf-8").split("---", 2)[2], encoding="utf-8")
    outcome = import_one(raw, tmp_path / "into", {}, dry_run=True, allow_incomplete=True)
    assert "None" not in outcome.text and "1137032300422372XD" not in outcome.text


# 11. Unknown metric names ------------------------------------------------------------------------

def test_an_unknown_metric_name_warns_with_the_nearest_known_one(project: Project,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    project.write(SHUANGJIANG, report_text(extra="metrics:\n  矛盾纠纷调处: 120\n  矛盾纠纷化解: 338\n"))
    code, text = run(project, capsys, "build")
    assert code == 0
    assert f"{SHUANGJIANG}:9: warning [metrics]: The tables do not know the figure “矛盾纠纷调处”" in text
    assert "化解（调处成功）矛盾纠纷: 120" in text and "矛盾纠纷化解”" not in text  # the name `new` writes is known
    assert run(project, capsys, "check")[0] == 1


# `new` and `import` write into content/: never through a link ------------------------------------

def test_new_and_import_never_write_through_a_link(project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    elsewhere = outside(tmp_path)
    (project.content / "shaanxi").symlink_to(elsewhere, target_is_directory=True)  # a folder leading out
    code, text = run(project, capsys, "new", "--province", "陕西省", "--county", "某县", "--town", "某镇", "--year", "2023")
    assert code == 1 and "link" in text
    target = project.content / "chongqing" / "tongnan" / "shuangjiang" / "2023.md"
    target.unlink()
    target.symlink_to(elsewhere / "secret.txt")  # a report file that is a link
    raw = tmp_path / "raw.txt"
    raw.write_text("关于2023年法治政府建设情况的报告\n\n" + report_text().split("---", 2)[2], encoding="utf-8")
    code, text = run(project, capsys, "import", str(raw), "--province", "重庆市", "--county", "潼南区", "--town", "双江镇",
                     "--year", "2023", "--unit", "重庆市潼南区双江镇人民政府", "--published", "2024-03-28",
                     "--signed", "2024-03-20", "--recipients", "区委、区政府", "--force")
    assert code == 1 and "link" in text
    assert snapshot(elsewhere)["secret.txt"] == b"root:x:0:0:secret\n" and len(snapshot(elsewhere)) == 1
