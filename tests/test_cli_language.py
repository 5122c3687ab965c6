"""Every command speaks the editor's language (issue 21): each command run in a new project, its
output read line by line. In Chinese (the default) no line may be English only: a line without a
Chinese character holds nothing but paths, numbers, addresses, options and placeholders
(PROVINCE). With --lang en, every Chinese word printed comes from the reports themselves, the
examples in the English messages, or the published tables' own headings.

A new print() of an English sentence, or a Chinese one written in the code instead of the
catalogue, makes one of these tests fail and names the line."""

from __future__ import annotations

import contextlib
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_messages import catalogue

from site_builder.cli import main
from site_builder.importer.output import LABELS
from site_builder.stats import exports, parts

CJK = re.compile(r"[\u4e00-\u9fff]+")
NOT_WORDS = re.compile(r"https?://\S+|\S*[/\\.@=#]\S*|--?[\w-]+|`[^`]*`|\{[^}]*\}|'[^']*'|\b[A-Z][A-Z_]+\b|\d+")
"""What a Chinese line may hold besides Chinese: paths, file names, addresses, options, code,
placeholders (a usage line's PROVINCE), quoted searches, numbers."""

GOOD_REPORT = """重庆市潼南区双江镇人民政府
关于2021年法治政府建设情况的报告

区委、区政府：
    2021年，我镇在区委、区政府的坚强领导下，深入推进法治政府建设。现将有关情况报告如下。
    一、主要举措和成效
    （一）加强组织领导。镇党委定期研究法治建设工作。
    二、存在的不足和原因
    法治宣传的针对性还不强。
    三、下一步工作打算
    继续推进依法行政。

重庆市潼南区双江镇人民政府
2022年3月20日
"""


def _commands(project: Path, sources: Path) -> Iterator[list[str]]:
    yield ["init", str(project), "--example"]
    yield ["--help"]
    yield ["build", "--help"]
    yield ["new"]  # a usage error: the required options are missing
    yield ["build", "--no-such-option"]
    yield ["search", "法治", "--limit", "0"]
    yield ["build", "--config", f"{project}/config.yaml", "--verbose"]
    yield ["search", "--config", f"{project}/config.yaml", "法律顾问", "--limit", "2"]
    yield ["search", "--config", f"{project}/config.yaml", "没有这样的词组合"]
    yield ["stats", "--config", f"{project}/config.yaml", "--table", "coverage"]
    yield ["new", "--config", f"{project}/config.yaml", "--province", "重庆市", "--county", "潼南区", "--town", "双江镇", "--year", "2024"]
    yield ["import", "--config", f"{project}/config.yaml", "--dry-run", str(sources / "good.txt")]
    yield ["import", "--config", f"{project}/config.yaml", str(sources / "unknown.txt")]
    yield ["check", "--config", f"{project}/config.yaml"]
    yield ["check", "--config", f"{project}/config.yaml", "--format", "github"]
    yield ["check", "--config", f"{project}/config.yaml", "--fix", "--dry-run"]
    yield ["build", "--config", f"{project}/config.yaml"]  # refused: the new report is not written yet
    yield ["build", "--config", f"{project}/missing.yaml"]


def _outputs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
             language: list[str]) -> list[tuple[str, str]]:
    """(the command, a line it printed) for every line every command printed."""
    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / "good.txt").write_text(GOOD_REPORT, encoding="utf-8")
    (sources / "unknown.txt").write_text("会议纪要\n\n今天开了一个会。\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    lines = []
    for command in _commands(tmp_path / "site", sources):
        with contextlib.suppress(SystemExit):  # --help and usage errors leave through argparse
            main(language + command)
        captured = capsys.readouterr()
        lines += [(" ".join(command), line) for line in (captured.out + captured.err).split("\n") if line.strip()]
    return lines


def _english_only(line: str) -> bool:
    if CJK.search(line):
        return False
    return bool(re.search("[A-Za-z]{2,}", NOT_WORDS.sub(" ", line)))


def test_every_command_speaks_chinese_by_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("SITE_BUILDER_LANG")
    monkeypatch.setenv("LANG", "C.UTF-8")
    lines = _outputs(tmp_path, monkeypatch, capsys, [])
    assert len(lines) > 100
    english = [f"{command}: {line}" for command, line in lines if _english_only(line)]
    assert english == [], "\n".join(english)
    said = "\n".join(line for _, line in lines)
    for expected in ("用法：", "错误：", "缺少必需的参数", "已在", "已生成", "报告包含", "将创建", "无法确定", "没有这个配置文件"):
        assert expected in said, expected


def test_english_on_request(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("SITE_BUILDER_LANG")
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    lines = _outputs(tmp_path, monkeypatch, capsys, ["--lang", "en"])
    known = "\n".join([*(path.read_text(encoding="utf-8") for path in (tmp_path / "site").rglob("*.md")),
                       *(path.read_text(encoding="utf-8") for path in (tmp_path / "sources").glob("*.txt")),
                       *(" ".join(command) for command in _commands(tmp_path / "site", tmp_path / "sources")),
                       *catalogue(), *LABELS.values(), *exports.TITLES.values(), *parts.LABELS.values()])
    known += "".join(CJK.findall(known))  # a title or an anchor joins the words of several lines
    # the summary tables are published data: their headings are the site's, in Chinese
    foreign = [(command, line) for command, line in lines if not command.startswith("stats")
               and any(word not in known for word in CJK.findall(line))]
    assert foreign == [], "\n".join(f"{command}: {line}" for command, line in foreign)
    said = "\n".join(line for _, line in lines)
    for expected in ("usage:", "the following arguments are required", "Created a new site", "built ", "report(s) contain"):
        assert expected in said, expected


def test_the_line_test_can_fail() -> None:
    assert _english_only("built 5 reports into 35 pages in 2.1 s")
    assert _english_only("error: something went wrong")
    assert not _english_only("content/a.md:3: 错误：缺少 town")
    assert not _english_only("    https://example.org/chongqing/2023/ --port 8001 PROVINCE content/a.md 12")


def test_serve_speaks_chinese(tmp_path: Path) -> None:
    """serve's first lines (the build and the address), read from a real server process."""
    project = tmp_path / "site"
    env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    subprocess.run([sys.executable, "-m", "site_builder", "init", str(project), "--example"], check=True, env=env,
                   capture_output=True)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-u", "-m", "site_builder", "serve", "--port", str(port)], cwd=project, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: list[str] = []
    try:
        assert server.stdout is not None
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not any("预览网址" in line for line in lines):
            line = server.stdout.readline()
            if not line:
                break
            lines.append(line.rstrip("\n"))
        time.sleep(3)  # what the server says once it listens (livereload's own lines came here)
    finally:
        server.terminate()
        rest, _ = server.communicate(timeout=30)
    lines += rest.splitlines()
    assert any("预览网址" in line for line in lines) and any("构建完成" in line for line in lines), lines
    assert [line for line in lines if line.strip() and _english_only(line)] == []


def test_where_import_read_a_value_in_chinese() -> None:
    from site_builder.importer.hints import provenance

    assert provenance("date under the signature (line 14)") == "落款下的日期（第 14 行）"
    assert provenance("title (lines 1–2)") == "标题（第 1–2 行）"
    assert provenance("the report calls itself 街道; its name is not given") == "报告自称 街道; 未写出名称"
