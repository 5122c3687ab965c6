"""A fuzzer over every input surface a user or an attacker reaches: a report's front-matter and
Markdown body, config.yaml, `import` of TXT/HTML/DOCX, serve-search query strings and the
command line. Cases are generated from a seed (any failure is reproducible from its number) by
mutating realistic inputs with the strings that broke real tools.

A failure is an exception escaping the entry point (the entry points report bad input as
diagnostics or a refusal, never by raising), a case over the time limit (a hang: HANG_SECONDS, far
above any case's time on a loaded host), the command line printing "unexpected failure", a command
that lost a file of the project, or a broken invariant of a hostile tree (tests/hostile_trees.py).

Used by tests/test_fuzz.py (a few thousand cases in the normal run) and benchmarks/fuzz.py
(50,000 and more)."""

from __future__ import annotations

import contextlib
import io
import random
import shutil
import signal
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from site_builder.cli import main
from site_builder.config import load_config
from site_builder.diagnostics import BuildError
from site_builder.document import parse_document as render
from site_builder.importer.output import import_one
from site_builder.reader import parse_report
from site_builder.search.limits import QueryRefused
from site_builder.search.match import fold
from site_builder.stats.analysis import analyse
from tests.conftest import REPO, copy_project, report_text
from tests.hostile_trees import hostile_tree_case

NASTY = [
    "---", "...", ": ", "- ", "? ", "&a", "*a", "!!python/object:os.system", "{", "}", "[", "]", "'", '"', "\t", "\\",
    "\x00", "\x01", "\x0b", "\x1b", "\x7f", "\u202e", "\u2066", "\ufeff", "\u200b", "\u00ad", "\ud7ff", "\U0001f600",
    "<style>", "<script>", "<!--", "-->", "</p>", "<title>", "<xmp>", "<textarea>", "<plaintext>", "<h2 id=\"main\">",
    "<img src=//x/y.png>", "![](HTTPS://cdn.example.com/a.png)", "![a][r]\n\n[r]: https://x/b.png", "[x](javascript:alert(1))",
    "#", "## ", "###### ", "> ", ">>>>>>>>", "```", "~~~", "    ", "|", "| a | b |\n|---|---|", "1. ", "- [ ] ", "***",
    "=====", "\n\n", "\r", "\r\n", "1e999", ".nan", "-.inf", "0x1F", "0o17", "１２３", "９９９９", "²", "二〇二四年一二月一日",
    "二〇二四年十十月", "9" * 400, "1" * 20, "100%", "100余", "3.14159", "-5", "99999", "2023", "2023-13-01", "2023-02-30",
    "雙江鎮", "重庆", "双江乡", "街道办事处", "year: ", "town: ", "title: ", "metrics:\n  a: ", "slug: ../../etc", "slug: A B",
    "=HYPERLINK(\"http://x\",\"y\")", "+cmd|' /C calc'!A0", "@SUM(1)", "%0A", "%s%s%s", "{{ 7*7 }}", "{% for %}",
    "\u0301\u0301\u0301", "İ", "ß", "ﬁ", "（一）", "一、", "1.", "（1）", "第一章", "特此报告。", "联系人：张三 13812345678",
    "110105194912310021", "6222020200001234567", "〔2024〕1号", "2024年3月28日", "区委、区政府：",
]


def mutate(rng: random.Random, text: str, rounds: int | None = None) -> str:
    """A few random edits: nasty strings inserted, spans deleted or doubled, characters replaced."""
    chars = list(text)
    for _ in range(rounds if rounds is not None else rng.randint(1, 6)):
        at = rng.randint(0, len(chars))
        choice = rng.random()
        if choice < 0.5:
            chars[at:at] = list(rng.choice(NASTY))
        elif choice < 0.65 and chars:
            end = min(len(chars), at + rng.randint(1, 40))
            del chars[at:end]
        elif choice < 0.8 and chars:
            end = min(len(chars), at + rng.randint(1, 200))
            chars[at:at] = chars[at:end] * rng.randint(1, 3)
        elif chars:
            chars[min(at, len(chars) - 1)] = chr(rng.choice([rng.randint(0, 0x7f), rng.randint(0x80, 0x7ff),
                                                             rng.randint(0x4e00, 0x9fff), rng.randint(0xe000, 0xffff),
                                                             rng.randint(0x10000, 0x10ffff)]))
    return "".join(chars)


def _body(rng: random.Random) -> str:
    parts = []
    for _ in range(rng.randint(1, 12)):
        kind = rng.random()
        if kind < 0.3:
            parts.append("#" * rng.randint(1, 7) + " " + rng.choice(["一、主要举措", "（一）强化组织领导", "存在的不足", "Main", ""]))
        elif kind < 0.4:
            parts.append("| 项目 | 数量 |\n| --- | ---: |\n| 矛盾纠纷 | 338件 |")
        elif kind < 0.5:
            depth = rng.choice([1, 5, 50, 500])
            parts.append(rng.choice([">", "- ", "1. ", "<div>"]) * depth + "嵌套")
        else:
            parts.append(rng.choice(["全年受理矛盾纠纷338件，调处成功率100%。", "开展法治宣传活动70余场次。",
                                     "聘请法律顾问6人，行政复议案件0件。", "2023年，我镇坚持依法行政。"]))
    return mutate(rng, "\n\n".join(parts))


# --- the surfaces ---------------------------------------------------------------------------------

def front_matter_case(rng: random.Random, work: Path) -> None:
    extra = rng.choice(["", "published: 2024-03-28\n", "metrics:\n  矛盾纠纷化解: 338\n", "slug: shuangjiang\n", "level: 镇\n"])
    text = mutate(rng, report_text(extra=extra), rng.randint(1, 4))
    source, _ = parse_report(text.replace("\r\n", "\n").replace("\r", "\n"), work / "r.md", "r.md", "0" * 64)
    if source is not None:
        _pipeline(source.markdown, source.meta.year)


def markdown_case(rng: random.Random, work: Path) -> None:
    _pipeline(_body(rng), 2023)


def _pipeline(markdown: str, year: int) -> None:
    """What a build does with a body: render it, analyse it for the tables, tokenise it for search."""
    body = render(markdown)
    analyse(body, year)
    for paragraph in body.paragraphs:
        fold(paragraph.text)
    assert body.html is not None


CONFIG_TEMPLATE = (REPO / "config.yaml").read_text(encoding="utf-8") + """registry:
  years: [2022, 2023]
  units:
    重庆市:
      潼南区: [双江镇]
slugs:
  陕西省: shaanxi
"""


def config_case(rng: random.Random, work: Path) -> None:
    path = work / "config.yaml"
    path.write_text(mutate(rng, CONFIG_TEMPLATE), encoding="utf-8", errors="surrogatepass")
    with contextlib.suppress(BuildError):
        load_config(path, {"base_url": rng.choice([None, "/x/", "x y", "//", "http://a/"]),
                           "site_url": rng.choice([None, "", "https://a.b", "ftp://x", "a b"])})


SEED_TEXT = "\n".join(p.read_text(encoding="utf-8").split("---", 2)[2] for p in sorted((REPO / "content").rglob("*.md"))[:2])


def _import(path: Path, work: Path) -> None:
    outcome = import_one(path, work / "into", {}, dry_run=True)
    assert outcome.status, outcome


LAYOUTS = [p.read_text(encoding="utf-8") for p in sorted((REPO / "tests" / "fixtures" / "import_layouts").glob("*.txt"))]
"""Pages as government sites lay them out (labels, tables, site headers): the importer's label
and title rules get mutated input too."""
LABEL_NOISE = ["索引号", "[ 发布机构 ]", "| 发布日期 |", "• 来源:", "成文日期：", "标 题", "发文字号:", "浏览次数:", "今天是:",
               "星期三", "》是2019年", "小编", "中共", "人民政府", "街道", "镇", "乡", "县委", "關於", "報告", "2024年03月06日 16:40"]


def import_txt_case(rng: random.Random, work: Path) -> None:
    if rng.random() < 0.5:
        text = "关于2023年法治政府建设情况的报告\n\n" + mutate(rng, SEED_TEXT[: rng.randint(200, 6000)])
    else:
        layout = rng.choice(LAYOUTS)
        for _ in range(rng.randint(0, 6)):
            at = rng.randint(0, len(layout))
            layout = layout[:at] + rng.choice([*LABEL_NOISE, "\n", " ", "|"]) + layout[at:]
        text = mutate(rng, layout, rng.randint(0, 4))
    data = text.encode(rng.choice(["utf-8", "utf-8-sig", "gb18030", "utf-16"]), errors="replace")
    if rng.random() < 0.3:
        data = bytes(b if rng.random() > 0.01 else rng.randint(0, 255) for b in data)
    path = work / "a.txt"
    path.write_bytes(data[: rng.randint(0, len(data))] if rng.random() < 0.1 else data)
    _import(path, work)


def import_html_case(rng: random.Random, work: Path) -> None:
    depth = rng.choice([0, 3, 300, 3000, 6000])
    opener = rng.choice(["<div>", "<font>", "<span><b>", "<table><tr><td>"])
    meta = rng.choice(["", "<div class=info>[ 索引号 ] 11500223MB/2024-00012 [ 发布日期 ] 2024-03-28</div>",
                       "<meta name=ArticleTitle content='关于2023年法治政府建设情况的报告'>"])
    body = "".join(f"<p>{mutate(rng, p, 1)}</p>" for p in SEED_TEXT[: rng.randint(100, 3000)].split("\n") if p)
    html = f"<html><head><title>报告</title>{meta}</head><body><nav>首页</nav>{opener * depth}{body}</body></html>"
    path = work / "a.html"
    path.write_text(mutate(rng, html, rng.randint(0, 3)), encoding="utf-8", errors="surrogatepass")
    _import(path, work)


_DOCX: bytes = b""


def _docx_bytes() -> bytes:
    global _DOCX
    if not _DOCX:
        import docx

        document = docx.Document()
        document.add_heading("关于2023年法治政府建设情况的报告", 1)
        for line in SEED_TEXT.split("\n")[:40]:
            if line.strip():
                document.add_paragraph(line)
        table = document.add_table(rows=2, cols=2)
        table.cell(1, 0).text = "<style>"
        document.add_paragraph("一是", style="List Number")
        buffer = io.BytesIO()
        document.save(buffer)
        _DOCX = buffer.getvalue()
    return _DOCX


def import_docx_case(rng: random.Random, work: Path) -> None:
    data = _docx_bytes()
    choice = rng.random()
    if choice < 0.2:  # damaged: cut short, bytes flipped, or empty
        data = data[: rng.randint(0, len(data))] if rng.random() < 0.5 else bytes(b ^ (rng.random() < 0.001) * 0xFF for b in data)
    else:  # a well-formed zip whose XML is mutated
        source = zipfile.ZipFile(io.BytesIO(data))
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as target:
            for item in source.infolist():
                content = source.read(item.filename)
                if item.filename == "word/document.xml" or (item.filename == "word/styles.xml" and rng.random() < 0.3):
                    text = content.decode("utf-8")
                    text = text.replace('w:val="Heading1"', rng.choice(['w:val="Heading99"', 'w:val="Heading1"', 'w:val="Heading0"']))
                    text = text.replace('<w:ilvl w:val="0"/>', rng.choice(['<w:ilvl w:val="0"/>', '<w:ilvl w:val="300000000"/>',
                                                                            '<w:ilvl w:val="-1"/>', '<w:ilvl w:val="x"/>']))
                    content = mutate(rng, text, rng.randint(0, 3)).encode("utf-8", errors="surrogatepass")
                if item.filename == "word/document.xml" and rng.random() < 0.05:
                    continue  # a zip without the document
                target.writestr(item, content)
        data = buffer.getvalue()
    path = work / "a.docx"
    path.write_bytes(data)
    _import(path, work)


def _query(rng: random.Random) -> str:
    words = [rng.choice(["法律顾问", "矛盾纠纷", "2023年", "100%", "村（社区）", "“八五”普法", "a", "法", ""]) for _ in range(rng.randint(0, 4))]
    query = " ".join(mutate(rng, w, rng.randint(0, 2)) for w in words)
    if rng.random() < 0.1:
        query = " ".join(f'"{rng.choice(NASTY)}"' for _ in range(rng.randint(5, 30)))
    return query


@dataclass
class SearchService:
    config: object = None


_SEARCH = SearchService()


def search_query_case(rng: random.Random, work: Path) -> None:
    from site_builder.search.service import answer

    if _SEARCH.config is None:
        from site_builder.build import inspect_site
        from site_builder.search.service import update_index

        project = copy_project(work / "search-project")
        config, _ = load_config(project.root / "config.yaml")
        update_index(inspect_site(config)[0])
        _SEARCH.config = config
    params = {"q": _query(rng)}
    for key in ("year", "limit", "town", "county", "province"):
        if rng.random() < 0.3:
            params[key] = rng.choice(["2023", "²", "abc", "-1", "0", "100000", "1" * 30, "", "重庆市", mutate(rng, "2023", 1)])
    with contextlib.suppress(QueryRefused):
        answer(_SEARCH.config, params)  # type: ignore[arg-type]


CLI_COMMANDS = {
    "build": ["--output", "--strict", "--no-stats", "--no-search", "--base-url", "--site-url", "-v"],
    "check": ["--format", "--base-url"],
    "stats": ["--format", "--table"],
    "search": ["--limit", "--year", "--town", "--county", "--province"],
    "new": ["--province", "--county", "--town", "--year"],
    "import": ["--year", "--town", "--dry-run", "--published", "--index-no"],
    "init": ["--example"],
}
CLI_VALUES = [".", "..", "content", "site", "out", "/", "~", "theme", "-1", "0", "²", "2023", "99999", "json", "github", "csv",
              "table", "coverage", "text", "重庆市", "", " ", "\u200b", "a" * 300, "/x/", "http://a", "../../etc", "--", "-"]


def cli_case(rng: random.Random, work: Path) -> None:
    project = work / "cli-project"
    if not (project / "content").is_dir():
        shutil.rmtree(project, ignore_errors=True)
        copy_project(project)
        (project / "raw.txt").write_text("关于2023年法治政府建设情况的报告\n\n" + SEED_TEXT[:2000], encoding="utf-8")
    before = sorted(p.relative_to(project).as_posix() for p in (project / "content").rglob("*") if p.is_file())
    command = rng.choice(list(CLI_COMMANDS))
    argv = [command]
    if command == "search":
        argv.append(_query(rng))
    if command == "import":
        argv.append(rng.choice(["raw.txt", "missing.docx", "content", "config.yaml"]))
    if command == "init":
        argv.append(rng.choice(["newsite", ".", "content"]))
    for _ in range(rng.randint(0, 3)):
        option = rng.choice(CLI_COMMANDS[command])
        argv.append(option)
        if option not in ("--strict", "--no-stats", "--no-search", "-v", "--dry-run", "--example"):
            argv.append(rng.choice(CLI_VALUES))
    if command not in ("init",):
        argv += ["--config", str(project / "config.yaml")]
    out, err = io.StringIO(), io.StringIO()
    # SystemExit is argparse's usage error: a message and exit 2, not a finding.
    with contextlib.chdir(project), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), \
            contextlib.suppress(SystemExit):
        main(argv)
    assert "unexpected failure" not in err.getvalue(), (argv, err.getvalue()[-500:])
    after = sorted(p.relative_to(project).as_posix() for p in (project / "content").rglob("*") if p.is_file())
    lost = set(before) - set(after)
    assert not lost, (argv, f"files lost: {sorted(lost)[:5]}")
    for added in set(after) - set(before):  # `new` and `import` add reports: keep the project as it was
        (project / added).unlink()


SURFACES: dict[str, Callable[[random.Random, Path], None]] = {
    "front-matter": front_matter_case, "markdown": markdown_case, "config": config_case, "import-txt": import_txt_case,
    "import-html": import_html_case, "import-docx": import_docx_case, "search-query": search_query_case, "cli": cli_case,
    "hostile-tree": hostile_tree_case,
}


class Hang(BaseException):
    pass


def _alarm(signum: int, frame: object) -> None:
    raise Hang


@dataclass
class Failure:
    surface: str
    case: int
    error: str


@dataclass
class Results:
    cases: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    failures: list[Failure] = field(default_factory=list)

    @property
    def hangs(self) -> int:
        return sum(f.error.startswith("hang") for f in self.failures)


HANG_SECONDS = 600.0
"""A case still running after this long is a hang. Generous on purpose: a loaded CI host runs a case
ten or a hundred times slower than an idle one, and a real hang (a pipe read, a loop) never ends."""


def run(counts: dict[str, int], work: Path, seed: int = 0, time_limit: float = HANG_SECONDS,
        progress: Callable[[str, int, int], None] | None = None) -> Results:
    """Run `counts[surface]` cases of each surface; case k of a surface uses Random(seed, surface, k).
    `progress(surface, cases done, failures so far)` is called every 500 cases."""
    results = Results()
    previous = signal.signal(signal.SIGALRM, _alarm)
    try:
        for surface, count in counts.items():
            started = time.perf_counter()
            folder = work / surface
            folder.mkdir(parents=True, exist_ok=True)
            for case in range(count):
                rng = random.Random(f"{seed}:{surface}:{case}")
                signal.setitimer(signal.ITIMER_REAL, time_limit)
                try:
                    SURFACES[surface](rng, folder)
                except Hang:
                    results.failures.append(Failure(surface, case, f"hang: over {time_limit} s"))
                except BaseException as exc:  # every escape is a finding
                    if isinstance(exc, KeyboardInterrupt):
                        raise
                    results.failures.append(Failure(surface, case, f"{type(exc).__name__}: {str(exc)[:300]}"))
                finally:
                    signal.setitimer(signal.ITIMER_REAL, 0)
                if progress and (case + 1) % 500 == 0:
                    progress(surface, case + 1, len(results.failures))
            results.cases[surface] = count
            results.seconds[surface] = time.perf_counter() - started
    finally:
        signal.signal(signal.SIGALRM, previous)
    return results
