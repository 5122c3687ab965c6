"""Command line: `site-builder init | build | serve | new | import | check | stats | search |
serve-search`. Each command is registered with its function (argparse set_defaults), which
main() calls; this module, with registry.py, is where the features are named."""

from __future__ import annotations

import argparse
import errno
import signal
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from site_builder import __version__
from site_builder.build import build
from site_builder.config import Config, load_config
from site_builder.diagnostics import BuildError, Diagnostic, display_path
from site_builder.parallel import Terminated, kill_workers
from site_builder.schema import LEVELS

EXIT_OK, EXIT_ERRORS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", "-f", type=Path, default=None, help="config file (default: config.yaml, if there is one)")
    parser.add_argument("--base-url", help="path the site is served under, e.g. /reports-site/ (overrides config)")
    parser.add_argument("--site-url", help="scheme and host for sitemap and feed, e.g. https://example.gov.cn")


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="site-builder", description="Build the public-disclosure site of annual rule-of-law reports.")
    parser.add_argument("--version", action="version", version=f"site-builder {__version__}")
    parser.add_argument("--debug", action="store_true", help="show the Python traceback of an unexpected failure")
    parser.add_argument("--lang", choices=("zh", "en"), help="language of the messages (default Chinese; also `language:` in config.yaml, LANG=en*)")
    commands = parser.add_subparsers(dest="command", required=True)

    p = commands.add_parser("init", help="start a new site: config.yaml, content/, theme/, GitHub workflows")
    p.set_defaults(func=cmd_init)
    p.add_argument("directory", type=Path, nargs="?", default=Path("."), help="folder of the new site (default: here)")
    p.add_argument("--example", action="store_true", help="add the five bundled example reports to content/")
    p.add_argument("--county", default="", help="write units.csv (the units that must publish) with every 乡镇/街道 of this county, "
                                                 "e.g. 潼南区 or 重庆市潼南区")
    p.add_argument("--province", default="", help="with --county: the province, when counties of that name are in several")
    p.add_argument("--tool", default="", metavar="REQUIREMENT",
                   help="what the GitHub workflows install: a wheel's URL from a release, git+https://…@commit "
                        "(default: where this site-builder was installed from, or its wheel copied into the site)")

    p = commands.add_parser("build", help="build the site into the output folder")
    p.set_defaults(func=cmd_build)
    _common(p)
    p.add_argument("--output", "-o", type=Path, help="output folder (default: output_dir from config, 'site')")
    p.add_argument("--strict", action="store_true", help="treat warnings as errors")
    p.add_argument("--allow-move", action="store_true",
                   help="let published addresses move: a redirect page is written at each old address")
    p.add_argument("--verbose", "-v", action="store_true", help="print the time spent in each stage")
    p.add_argument("--no-stats", action="store_true", help="no summary tables, downloads or figures")
    p.add_argument("--no-search", action="store_true", help="no search index or search box")
    p.add_argument("--precompress", action="store_true",
                   help="also write x.gz beside each text file, for nginx's gzip_static (deterministic: no name, no time)")

    p = commands.add_parser("serve", help="build, serve locally and rebuild on every change")
    p.set_defaults(func=cmd_serve)
    _common(p)
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000)

    p = commands.add_parser("new", help="create a report file with every front-matter field")
    p.set_defaults(func=cmd_new)
    p.add_argument("--config", "-f", type=Path, default=None, help="config file (default: config.yaml, if there is one)")
    for name, example in (("province", "重庆市"), ("county", "潼南区"), ("town", "双江镇")):
        p.add_argument(f"--{name}", required=True, help=f"e.g. {example}")
    p.add_argument("--year", required=True, type=int, help="the year the report is about, e.g. 2024")
    p.add_argument("--new-town", action="store_true",
                   help="the town is new even though an existing town has the same name with or without its suffix")

    p = commands.add_parser("search", help="search the reports from the command line (whoosh index in .site-cache/)")
    p.set_defaults(func=cmd_search)
    _common(p)
    p.add_argument("query", help='words to find; several words must all appear; "quoted words" as a phrase')
    p.add_argument("--year", type=_year, help="only reports on this year, e.g. 2023")
    p.add_argument("--town")
    p.add_argument("--county")
    p.add_argument("--province")
    p.add_argument("--limit", type=_count, default=10, help="results to show, 1–1000 (default 10)")

    p = commands.add_parser("serve-search", help="answer GET /api/search?q=… in JSON, for an intranet (optional)")
    p.set_defaults(func=cmd_serve_search)
    _common(p)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8001)

    p = commands.add_parser("check", help="check everything before publishing (exit 0 clean, 1 warnings, 2 errors)")
    p.set_defaults(func=cmd_check)
    _common(p)
    p.add_argument("--format", choices=("text", "json", "github"), default="text",
                   help="github: workflow annotations, shown on the changed lines of a pull request")
    p.add_argument("--fix", action="store_true",
                   help="first remove personal data (〔已隐去〕) and Word/WPS residue in the reports, in place, then write the "
                        "certain corrections (colons, year and date forms, invisible characters, Word bullets, spaces in names), "
                        "each shown as a diff")
    p.add_argument("--dry-run", action="store_true", help="with --fix: show the corrections, write nothing")

    p = commands.add_parser("stats", help="print the summary tables (coverage, parts, timeliness, figures)")
    p.set_defaults(func=cmd_stats)
    _common(p)
    p.add_argument("--format", choices=("table", "csv", "json"), default="table")
    p.add_argument("--table", choices=("coverage", "parts", "timeliness", "figures", "figures_wide", "county_totals"), help="one table only")

    p = commands.add_parser("import", help="turn raw reports (.txt, .html, .docx) into Markdown in content/")
    p.set_defaults(func=cmd_import)
    p.add_argument("paths", nargs="+", type=Path, help="files to import")
    p.add_argument("--config", "-f", type=Path, default=None, help="config file (default: config.yaml, if there is one)")
    p.add_argument("--into", type=Path, help="content folder to write into (default: content_dir from config)")
    for name, example in (("province", "重庆市"), ("county", "潼南区"), ("town", "双江镇"), ("unit", "重庆市潼南区双江镇人民政府"),
                          ("title", "关于2023年法治政府建设情况的报告"), ("year", "2023"), ("published", "2024-03-28"),
                          ("signed", "2024-03-20"), ("recipients", "区委、区政府"), ("index-no", "11500223MB1234567X/2024-00012"),
                          ("doc-no", "潼双江府发〔2024〕1号")):
        p.add_argument(f"--{name}", help=f"use this instead of what is inferred, e.g. {example}")
    p.add_argument("--level", choices=LEVELS, help="the report's level when the town's name does not say it (县区, 部门, 市, 省)")
    p.add_argument("--dry-run", action="store_true", help="show what would be written; write nothing")
    p.add_argument("--force", action="store_true", help="replace an existing file with different content")
    p.add_argument("--allow-incomplete", action="store_true", help="write fields that cannot be determined as empty")
    p.add_argument("--keep-personal-data", action="store_true", help="do not redact phone, ID and bank numbers or contact names")
    p.add_argument("--to-simplified", action="store_true",
                   help="write the title and the body in simplified characters too (place names always are)")
    p.add_argument("--show", action="store_true", help="print the Markdown written")
    return parser


def _count(text: str) -> int:
    if not text.isascii() or not text.isdigit() or not 1 <= int(text) <= 1000:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number from 1 to 1000")
    return int(text)


def _year(text: str) -> int:
    if not (text.isascii() and text.isdigit() and len(text) == 4):
        raise argparse.ArgumentTypeError(f"{text!r} is not a year; write it in four digits, e.g. 2023")
    return int(text)


def print_warnings(warnings: list[Diagnostic]) -> None:
    for item in sorted(warnings):
        print(item.format(), file=sys.stderr)


def progress_bar(done: int, total: int) -> None:
    if not sys.stderr.isatty():
        return
    filled = int(30 * done / total)
    print(f"\r  [{'#' * filled}{'.' * (30 - filled)}] {done}/{total} pages", end="" if done < total else "\n",
          file=sys.stderr, flush=True)


_SIGNALLED: list[int] = []
"""The stop signal received, if any: its exception can be lost (raised inside an at-fork handler,
Python only prints it), and the workers it killed then fail the build in their own way."""


def _stop(signum: int, frame: object) -> None:
    _SIGNALLED.append(signum)
    kill_workers()  # at once: a worker must not outlive the build or keep writing
    raise KeyboardInterrupt if signum == signal.SIGINT else Terminated


def _stopped(exc: BaseException) -> BaseException:
    """The interruption `exc` stands for when a stop signal came first (the pool its workers
    belonged to breaks), else `exc`."""
    if _SIGNALLED and not isinstance(exc, KeyboardInterrupt | Terminated):
        return KeyboardInterrupt() if _SIGNALLED[0] == signal.SIGINT else Terminated()
    return exc


_STOPPED = False
"""Set once a build was stopped by a signal (see entry)."""


def entry() -> None:
    """The console command. After Ctrl-C or SIGTERM the process leaves at once: the pools' helper
    threads may wait for ever on a worker killed halfway through a message, and Python would join
    them before exiting (the published site and the lock were already taken care of)."""
    import os

    code = main()
    if _STOPPED:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)


def main(argv: Sequence[str] | None = None) -> int:
    _language_option(sys.argv[1:] if argv is None else list(argv))
    args = make_parser().parse_args(argv)
    in_main_thread = threading.current_thread() is threading.main_thread()  # signals can be set only there
    previous = {s: signal.getsignal(s) for s in (signal.SIGTERM, signal.SIGINT)} if in_main_thread else {}
    for stopping in previous:
        signal.signal(stopping, _stop)
    try:
        return _dispatch(args)
    finally:
        for stopping, handler in previous.items():
            signal.signal(stopping, handler)


def _language_option(argv: list[str]) -> None:
    """--lang is read before the parser is made, so its help and usage errors are in that language."""
    from site_builder.i18n import normalise, set_language

    for index, word in enumerate(argv):
        value = word.partition("=")[2] if word.startswith("--lang=") else argv[index + 1] if word == "--lang" and index + 1 < len(argv) else ""
        if normalise(value):
            set_language(normalise(value) or "", explicit=True)


def _dispatch(args: argparse.Namespace) -> int:
    if getattr(args, "config", 0) is None:
        args.config = Path("config.yaml")  # absent: every setting has its default
    elif getattr(args, "config", None) is not None and not args.config.is_file():
        print(f"{display_path(args.config)}: no such config file; check the name, or leave --config out to use "
              "config.yaml (every setting has a default)", file=sys.stderr)
        return EXIT_USAGE
    try:
        code: int = args.func(args)
        return code
    except BuildError as exc:
        print(exc.report(), file=sys.stderr)
        return EXIT_ERRORS
    except (KeyboardInterrupt, Terminated) as exc:
        return _interrupted(exc)
    except OSError as exc:
        if exc.errno != errno.EADDRINUSE or args.debug:
            return _unexpected(args, exc)
        print(f"site-builder {args.command}: port {args.port} on {args.host} is already in use (another server?); "
              f"stop it or choose another, e.g. --port {args.port + 1}", file=sys.stderr)
        return EXIT_ERRORS
    except Exception as exc:  # the last line of defence: a message, never a traceback (unless --debug)
        stopped = _stopped(exc)
        return _interrupted(stopped) if stopped is not exc else _unexpected(args, exc)


def _interrupted(exc: BaseException) -> int:
    global _STOPPED
    _STOPPED = True
    print("\ninterrupted; the previous site is unchanged", file=sys.stderr)
    return 143 if isinstance(exc, Terminated) else 130


def _unexpected(args: argparse.Namespace, exc: Exception) -> int:
    if args.debug:
        raise exc
    print(f"site-builder {args.command}: unexpected failure: {type(exc).__name__}: {exc}\n"
          "    nothing was published; the previous site is unchanged. Run again with --debug for the details "
          "and report them as a bug.", file=sys.stderr)
    return EXIT_INTERNAL


def _overrides(args: argparse.Namespace) -> dict[str, object]:
    return {"base_url": args.base_url, "site_url": args.site_url}


def cmd_build(args: argparse.Namespace) -> int:
    overrides = _overrides(args)
    if args.output:
        overrides["output_dir"] = str(args.output.resolve())
    if args.no_stats:
        overrides["stats"] = False
    if args.no_search:
        overrides["search"] = False
    if getattr(args, "precompress", False):
        overrides["precompress"] = True
    config, config_warnings = load_config(args.config, overrides)
    # --strict runs `check`'s checks within the build, once: errors block publishing; warnings
    # about a report's own text (a missing part, a leftover line) are shown, not enforced.
    result = build(config, strict=args.strict, progress=progress_bar, allow_move=args.allow_move)
    print_warnings(config_warnings + result.warnings)
    print(f"{result.summary()} → {display_path(config.output_path)}/")
    if args.verbose:
        print("  " + ", ".join(f"{stage} {seconds:.2f} s" for stage, seconds in result.timings.items()))
    return EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    from site_builder.serve import serve  # livereload and tornado load only when serving

    serve(args.config, _overrides(args), args.host, args.port)
    return EXIT_OK


def cmd_init(args: argparse.Namespace) -> int:
    from site_builder.init_site import init_site
    from site_builder.stats import units

    extra: dict[str, bytes] = {}
    notes: list[str] = []
    if args.county:
        data, notes = units.list_for_init(args.county, args.province)
        if data is None:
            print("\n".join(notes), file=sys.stderr)
            return EXIT_USAGE
        extra[units.FILE_NAME] = data
    try:
        written = init_site(args.directory, example=args.example, tool=args.tool, extra=extra)
    except FileExistsError as exc:
        shown = ", ".join(display_path(p) for p in exc.args[0][:5])
        print(f"{shown}: already exist(s); nothing was written. Choose an empty folder: site-builder init NEW-FOLDER",
              file=sys.stderr)
        return EXIT_ERRORS
    except OSError as exc:  # this installation could not be made into a wheel for the workflows
        print(f"{exc}", file=sys.stderr)
        return EXIT_ERRORS
    folder = display_path(args.directory.resolve())
    print(f"created a new site in {folder}/ ({len(written)} files)")
    bundled_wheel = [p for p in written if p.suffix == ".whl"]
    if bundled_wheel:
        print(f"工作流（.github/workflows/）安装随网站一起提交的 {display_path(bundled_wheel[0])}；"
              "请把它与网站一起提交到仓库。The workflows install this wheel: commit it with the site.")
    for note in notes:
        print(note)
    go = f"cd {folder} && " if folder != "." else ""
    print(f"next: {go}site-builder serve    (then add reports: site-builder import FILE, or site-builder new …)")
    return EXIT_OK


def cmd_new(args: argparse.Namespace) -> int:
    from site_builder.i18n import t
    from site_builder.scaffold import scaffold

    config, _ = load_config(args.config)
    try:
        path = scaffold(config.content_path, args.province, args.county, args.town, args.year, args.new_town)
    except FileExistsError as exc:
        print(t("{path}: already exists; edit it instead", path=display_path(Path(str(exc)))), file=sys.stderr)
        return EXIT_ERRORS
    print(t("Created {path}: fill in the text and the dates, then run `site-builder build`.", path=display_path(path)))
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    from site_builder.importer.output import import_one, summary

    config, _ = load_config(args.config)
    into = (args.into or config.content_path).resolve()
    overrides = {key: getattr(args, key.replace("-", "_")) for key in
                 ("province", "county", "town", "unit", "title", "year", "published", "signed", "recipients", "level")}
    overrides["index_no"], overrides["doc_no"] = args.index_no, args.doc_no
    if overrides["year"] is not None and not (str(overrides["year"]).isascii() and str(overrides["year"]).isdigit()):
        print(f"--year {overrides['year']}: write the year in four digits, e.g. --year 2023", file=sys.stderr)
        return EXIT_USAGE
    failures = 0
    for path in args.paths:
        outcome = import_one(path, into, overrides, dry_run=args.dry_run, force=args.force,
                             allow_incomplete=args.allow_incomplete, keep_personal_data=args.keep_personal_data,
                             simplified=args.to_simplified)
        target = display_path(outcome.target) if outcome.target else ""
        stream = sys.stdout if outcome.ok else sys.stderr
        print("\n".join(summary(outcome, display_path(path), target)), file=stream)
        if args.show and outcome.text:
            print(outcome.text)
        failures += not outcome.ok
    if failures:
        print(f"{failures} of {len(args.paths)} file(s) not imported", file=sys.stderr)
    return EXIT_ERRORS if failures else EXIT_OK


def cmd_stats(args: argparse.Namespace) -> int:
    from site_builder.build import inspect_site
    from site_builder.stats import exports
    from site_builder.stats.output import StatsOutput

    config, _ = load_config(args.config, {"base_url": args.base_url, "site_url": args.site_url})
    output = StatsOutput()
    site, _ = inspect_site(config, [output])
    stats = output.tables
    tables = [args.table] if args.table else list(exports.TABLES)
    if args.format == "json":
        sys.stdout.write(exports.to_json(site, stats).decode("utf-8"))
        return EXIT_OK
    for table in tables:
        records = exports.rows(site, stats, table)
        if args.format == "csv":
            sys.stdout.write(exports.to_csv(records).decode("utf-8").lstrip("\ufeff"))
            continue
        print(f"\n{exports.TITLES[table]} ({table}): {len(records)} rows")
        print(exports.text_table(records))
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    from site_builder.build import check_project
    from site_builder.check import exit_code
    from site_builder.diagnostics import dumps

    try:
        config, config_problems = load_config(args.config, {"base_url": args.base_url, "site_url": args.site_url})
        if getattr(args, "fix", False):
            if not args.dry_run:
                _fix_private_data(config)
            _fix_content(config, write=not args.dry_run, stream=sys.stderr if args.format == "json" else sys.stdout)
        problems = sorted(set(config_problems + check_project(config)))
    except BuildError as exc:  # the config's own errors: reported like any other, in the format asked for
        problems = sorted(set(exc.diagnostics))
    if args.format == "json":
        print(dumps(problems))
    elif args.format == "github":
        for problem in problems:
            print(problem.github_annotation())
        print(_check_summary(problems))
    else:
        for problem in problems:
            print(problem.format())
        print(_check_summary(problems))
    return exit_code(problems)


def _check_summary(problems: list[Diagnostic]) -> str:
    from site_builder.i18n import t

    errors = sum(p.severity.value == "error" for p in problems)
    if not problems:
        return t("no problems found")
    return t("{errors} error(s), {warnings} warning(s)", errors=errors, warnings=len(problems) - errors)


def _fix_content(config: Config, write: bool, stream: TextIO) -> None:
    from site_builder.fixfiles import fix_content
    from site_builder.i18n import t

    changes = fix_content(config.content_path, config.root, write)
    for change in changes:
        print(change.diff, end="", file=stream)
    count = sum(len(c.findings) for c in changes)
    if not changes:
        print(t("Nothing to correct automatically."), file=stream)
    elif write:
        print(t("{count} correction(s) written in {files} file(s).", count=count, files=len(changes)), file=stream)
    else:
        print(t("{count} correction(s) in {files} file(s) would be written (--dry-run: nothing was written).",
                count=count, files=len(changes)), file=stream)


def _fix_private_data(config: Config) -> None:
    """`check --fix`'s redactions (privacy.fix_report_file), each listed on stderr with its place."""
    from site_builder.importer.personal import mask
    from site_builder.privacy import fix_report_file
    from site_builder.reader import find_sources

    paths, _ = find_sources(config.content_path, config.root) if config.content_path.is_dir() else ([], [])
    for path in paths:
        shown = display_path(path, config.root)
        for edit in fix_report_file(path, shown):
            what = f"已删除「{edit.text[:40]}」" if edit.kind == "residue" else f"已把「{mask(edit.text)}」改为{edit.replacement}"
            print(f"{shown}:{edit.line}: 第 {edit.column} 列{what}", file=sys.stderr)


def _search_site(args: argparse.Namespace) -> Config:
    from site_builder.build import inspect_site
    from site_builder.search.service import update_index

    config, _ = load_config(args.config, {"base_url": args.base_url, "site_url": args.site_url})
    site, _ = inspect_site(config)
    analysed, removed = update_index(site)
    if analysed or removed:
        print(f"search index updated: {analysed} report(s) analysed, {removed} removed", file=sys.stderr)
    return config


def cmd_search(args: argparse.Namespace) -> int:
    from site_builder.search.limits import QueryRefused
    from site_builder.search.service import search

    config = _search_site(args)
    try:
        found = search(config, args.query, year=args.year, town=args.town or "", county=args.county or "",
                       province=args.province or "", limit=args.limit)
    except QueryRefused as exc:
        print(f"not searched: {exc}", file=sys.stderr)
        return EXIT_USAGE
    total, hits = found.total, found.hits
    if found.relaxed:
        print(f"no report contains {args.query!r} as written; searched the words {' '.join(found.relaxed)!r} instead")
    print(f"{total} report(s) contain {' '.join(found.relaxed) if found.relaxed else args.query!r}"
          + (f"; the best {len(hits)}:" if hits else ""))
    for number, hit in enumerate(hits, 1):
        link = f"{config.site_url}{config.base_url}{hit.url}" + (f"#{hit.anchor}" if hit.anchor else "")
        print(f"\n{number}. {hit.title}\n   {hit.province}{hit.county}{hit.town} · {hit.year}年度"
              + (f" · {hit.section}" if hit.section else "") + f"\n   {hit.snippet}\n   {link}")
    return EXIT_OK if total else EXIT_ERRORS


def cmd_serve_search(args: argparse.Namespace) -> int:
    from site_builder.search.http import serve

    serve(_search_site(args), args.host, args.port)
    return EXIT_OK
