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
from site_builder.i18n import t, tn, translate_argparse
from site_builder.parallel import Terminated, kill_workers
from site_builder.schema import LEVELS

EXIT_OK, EXIT_ERRORS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", "-f", type=Path, default=None, help=_CONFIG_HELP())
    parser.add_argument("--base-url", help=t("Path the site is served under, e.g. /reports-site/ (overrides config.yaml)."))
    parser.add_argument("--site-url", help=t("Scheme and host for the sitemap and the feed, e.g. https://example.gov.cn."))


def _CONFIG_HELP() -> str:
    return t("Config file (default: config.yaml, if there is one).")


def make_parser() -> argparse.ArgumentParser:
    translate_argparse()
    parser = argparse.ArgumentParser(prog="site-builder", description=t("Build the public-disclosure site of annual rule-of-law reports."))
    parser.add_argument("--version", action="version", version=f"site-builder {__version__}", help=t("Show the version and exit."))
    parser.add_argument("--debug", action="store_true", help=t("Show the Python traceback of an unexpected failure."))
    parser.add_argument("--lang", choices=("zh", "en"),
                        help=t("Language of the messages: zh Chinese (the default) or en English; also `language:` in config.yaml, or LANG=en*."))
    commands = parser.add_subparsers(dest="command", required=True, metavar=t("COMMAND"),
                                     title=t("commands"))

    p = commands.add_parser("init", help=t("Start a new site: config.yaml, content/, theme/ and the GitHub workflows."))
    p.set_defaults(func=cmd_init)
    p.add_argument("directory", type=Path, nargs="?", default=Path("."), metavar=t("FOLDER"), help=t("Folder of the new site (default: the current folder)."))
    p.add_argument("--example", action="store_true", help=t("Add the five bundled example reports to content/."))
    p.add_argument("--county", default="", help=t("Write units.csv (the units that must publish) with every 乡镇/街道 of this "
                                                  "county, e.g. 潼南区 or 重庆市潼南区."))
    p.add_argument("--province", default="", help=t("With --county: the province, when counties of that name are in several."))
    p.add_argument("--tool", default="", metavar="REQUIREMENT",
                   help=t("What the GitHub workflows install: a wheel's URL from a release, or git+https://…@commit "
                          "(default: where this site-builder was installed from, or its wheel copied into the site)."))

    p = commands.add_parser("build", help=t("Build the site into the output folder."))
    p.set_defaults(func=cmd_build)
    _common(p)
    p.add_argument("--output", "-o", type=Path, help=t("Output folder (default: output_dir in config.yaml, else `site`)."))
    p.add_argument("--strict", action="store_true", help=t("Treat warnings as errors: nothing is published while there are any."))
    p.add_argument("--allow-move", action="store_true",
                   help=t("Let published addresses move: a redirect page is written at each old address."))
    p.add_argument("--verbose", "-v", action="store_true", help=t("Print the time spent in each stage."))
    p.add_argument("--no-stats", action="store_true", help=t("No summary tables, downloads or figures."))
    p.add_argument("--no-search", action="store_true", help=t("No search index and no search box."))
    p.add_argument("--precompress", action="store_true",
                   help=t("Also write x.gz beside each text file, for nginx's gzip_static (the same bytes on every build)."))

    p = commands.add_parser("serve", help=t("Build, serve on this computer and rebuild on every change."))
    p.set_defaults(func=cmd_serve)
    _common(p)
    p.add_argument("--host", default="127.0.0.1", help=t("Address to listen on (default 127.0.0.1)."))
    p.add_argument("--port", type=int, default=8000, help=t("Port to listen on (default {port}).", port=8000))

    p = commands.add_parser("new", help=t("Create a report file with every front-matter field, ready to fill in."))
    p.set_defaults(func=cmd_new)
    p.add_argument("--config", "-f", type=Path, default=None, help=_CONFIG_HELP())
    for name, example in (("province", "重庆市"), ("county", "潼南区"), ("town", "双江镇")):
        p.add_argument(f"--{name}", required=True, help=t("For example {example}.", example=example))
    p.add_argument("--year", required=True, type=int, help=t("The year the report is about, e.g. 2024."))
    p.add_argument("--new-town", action="store_true",
                   help=t("The town is new even though an existing town has the same name with or without its suffix."))

    p = commands.add_parser("search", help=t("Search the reports from the command line (the index is kept in .site-cache/)."))
    p.set_defaults(func=cmd_search)
    _common(p)
    p.add_argument("query", metavar=t("WORDS"), help=t('Words to find: several words must all appear; "words in quotes" as a phrase.'))
    p.add_argument("--year", type=_year, help=t("Only reports on this year, e.g. 2023."))
    p.add_argument("--town", help=t("Only reports of this town, e.g. 双江镇."))
    p.add_argument("--county", help=t("Only reports of this county, e.g. 潼南区."))
    p.add_argument("--province", help=t("Only reports of this province, e.g. 重庆市."))
    p.add_argument("--limit", type=_count, default=10, help=t("Number of results to show, 1–1000 (default 10)."))

    p = commands.add_parser("serve-search", help=t("Answer GET /api/search?q=… in JSON, for an intranet (optional)."))
    p.set_defaults(func=cmd_serve_search)
    _common(p)
    p.add_argument("--host", default="127.0.0.1", help=t("Address to listen on (default 127.0.0.1)."))
    p.add_argument("--port", type=int, default=8001, help=t("Port to listen on (default {port}).", port=8001))

    p = commands.add_parser("check", help=t("Check everything before publishing (exit status 0: clean, 1: warnings, 2: errors)."))
    p.set_defaults(func=cmd_check)
    _common(p)
    p.add_argument("--format", choices=("text", "json", "github"), default="text",
                   help=t("The output: text for people, json for programs, github for annotations shown on the changed lines of a pull request."))
    p.add_argument("--fix", action="store_true",
                   help=t("First remove personal data (〔已隐去〕) and Word/WPS residue in the reports, in place, then write the "
                          "certain corrections (colons, year and date forms, invisible characters, Word bullets, spaces in names), "
                          "each shown as a diff."))
    p.add_argument("--dry-run", action="store_true", help=t("With --fix: show the corrections, write nothing."))

    p = commands.add_parser("stats", help=t("Print the summary tables (coverage, parts, timeliness, figures)."))
    p.set_defaults(func=cmd_stats)
    _common(p)
    p.add_argument("--format", choices=("table", "csv", "json"), default="table", help=t("Output format (default table)."))
    p.add_argument("--table", choices=("coverage", "parts", "timeliness", "figures", "figures_wide", "county_totals"), help=t("One table only."))

    p = commands.add_parser("import", help=t("Turn raw reports (.txt, .html, .docx) into Markdown files in content/."))
    p.set_defaults(func=cmd_import)
    p.add_argument("paths", nargs="+", type=Path, metavar=t("FILE"), help=t("Files to import."))
    p.add_argument("--config", "-f", type=Path, default=None, help=_CONFIG_HELP())
    p.add_argument("--into", type=Path, help=t("Content folder to write into (default: content_dir in config.yaml)."))
    for name, example in (("province", "重庆市"), ("county", "潼南区"), ("town", "双江镇"), ("unit", "重庆市潼南区双江镇人民政府"),
                          ("title", "关于2023年法治政府建设情况的报告"), ("year", "2023"), ("published", "2024-03-28"),
                          ("signed", "2024-03-20"), ("recipients", "区委、区政府"), ("index-no", "11500223MB1234567X/2024-00012"),
                          ("doc-no", "潼双江府发〔2024〕1号")):
        p.add_argument(f"--{name}", help=t("Use this instead of what is read from the file, e.g. {example}.", example=example))
    p.add_argument("--level", choices=LEVELS, help=t("The report's level when the town's name does not say it (县区, 部门, 市, 省)."))
    p.add_argument("--dry-run", action="store_true", help=t("Show what would be written; write nothing."))
    p.add_argument("--force", action="store_true", help=t("Replace an existing file that has different content."))
    p.add_argument("--allow-incomplete", action="store_true", help=t("Write the fields that cannot be determined as empty."))
    p.add_argument("--keep-personal-data", action="store_true", help=t("Do not hide phone, ID and bank numbers or contact names."))
    p.add_argument("--to-simplified", action="store_true",
                   help=t("Write the title and the body in simplified characters too (place names always are)."))
    p.add_argument("--show", action="store_true", help=t("Print the Markdown written."))
    return parser


def _count(text: str) -> int:
    if not text.isascii() or not text.isdigit() or not 1 <= int(text) <= 1000:
        raise argparse.ArgumentTypeError(t("{text} is not a whole number from 1 to 1000.", text=repr(text)))
    return int(text)


def _year(text: str) -> int:
    if not (text.isascii() and text.isdigit() and len(text) == 4):
        raise argparse.ArgumentTypeError(t("{text} is not a year; write it in four digits, e.g. 2023.", text=repr(text)))
    return int(text)


def print_warnings(warnings: list[Diagnostic]) -> None:
    for item in sorted(warnings):
        print(item.format(), file=sys.stderr)


def progress_bar(done: int, total: int) -> None:
    if not sys.stderr.isatty():
        return
    filled = int(30 * done / total)
    print(t("\r  [{bar}] {done}/{total} pages", bar="#" * filled + "." * (30 - filled), done=done, total=total), end="" if done < total else "\n",
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
        print(t("{path}: there is no such config file; check the name, or leave --config out to use "
                "config.yaml (every setting has a default).", path=display_path(args.config)), file=sys.stderr)
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
        print(t("site-builder {command}: port {port} on {host} is already in use (by another server?); "
                "stop it or choose another, e.g. --port {next}.", command=args.command, port=args.port, host=args.host,
                next=args.port + 1), file=sys.stderr)
        return EXIT_ERRORS
    except Exception as exc:  # the last line of defence: a message, never a traceback (unless --debug)
        stopped = _stopped(exc)
        return _interrupted(stopped) if stopped is not exc else _unexpected(args, exc)


def _interrupted(exc: BaseException) -> int:
    global _STOPPED
    _STOPPED = True
    print("\n" + t("Interrupted; the previous site is unchanged."), file=sys.stderr)
    return 143 if isinstance(exc, Terminated) else 130


def _unexpected(args: argparse.Namespace, exc: Exception) -> int:
    if args.debug:
        raise exc
    print(t("site-builder {command}: unexpected failure: {error}\n"
            "    Nothing was published; the previous site is unchanged. Run again with --debug for the details "
            "and report them as a bug.", command=args.command, error=f"{type(exc).__name__}: {exc}"), file=sys.stderr)
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
    print(t("{summary} → {folder}/", summary=result.summary(), folder=display_path(config.output_path)))
    if args.verbose:
        print("  " + ", ".join(t("{stage} {seconds} s", stage=stage, seconds=f"{seconds:.2f}") for stage, seconds in result.timings.items()))
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
        print(t("{paths}: already exist(s); nothing was written. Choose an empty folder: site-builder init NEW-FOLDER",
                paths=shown), file=sys.stderr)
        return EXIT_ERRORS
    except OSError as exc:  # this installation could not be made into a wheel for the workflows
        print(f"{exc}", file=sys.stderr)
        return EXIT_ERRORS
    folder = display_path(args.directory.resolve())
    print(tn("Created a new site in {folder}/ ({count} file).", "Created a new site in {folder}/ ({count} files).",
             len(written), folder=folder))
    bundled_wheel = [p for p in written if p.suffix == ".whl"]
    if bundled_wheel:
        print(t("The workflows (.github/workflows/) install {wheel}, which is part of the site: commit it to the "
                "repository with the site.", wheel=display_path(bundled_wheel[0])))
    for note in notes:
        print(note)
    go = f"cd {folder} && " if folder != "." else ""
    print(t("Next: {command}    (then add reports: site-builder import FILE, or site-builder new …)",
            command=f"{go}site-builder serve"))
    return EXIT_OK


def cmd_new(args: argparse.Namespace) -> int:
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
        print(t("--year {year}: write the year in four digits, e.g. --year 2023.", year=overrides["year"]), file=sys.stderr)
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
        print(tn("{failures} of {count} file not imported.", "{failures} of {count} files not imported.", len(args.paths),
                 failures=failures), file=sys.stderr)
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
        print("\n" + tn("{title} ({table}): {count} row", "{title} ({table}): {count} rows", len(records),
                        title=exports.TITLES[table], table=table))
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
    errors = sum(p.severity.value == "error" for p in problems)
    if not problems:
        return t("no problems found")
    return t("{errors} error(s), {warnings} warning(s)", errors=errors, warnings=len(problems) - errors)


def _fix_content(config: Config, write: bool, stream: TextIO) -> None:
    from site_builder.fixfiles import fix_content

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
            if edit.kind == "residue":
                said = t("{path}:{line}: column {column}: removed “{text}”.", path=shown, line=edit.line, column=edit.column,
                         text=edit.text[:40])
            else:
                said = t("{path}:{line}: column {column}: replaced “{text}” by {replacement}.", path=shown, line=edit.line,
                         column=edit.column, text=mask(edit.text), replacement=edit.replacement)
            print(said, file=sys.stderr)


def _search_site(args: argparse.Namespace) -> Config:
    from site_builder.build import inspect_site
    from site_builder.search.service import update_index

    config, _ = load_config(args.config, {"base_url": args.base_url, "site_url": args.site_url})
    site, _ = inspect_site(config)
    analysed, removed = update_index(site)
    if analysed or removed:
        print(t("Search index updated: {analysed} report(s) analysed, {removed} removed.", analysed=analysed, removed=removed),
              file=sys.stderr)
    return config


def cmd_search(args: argparse.Namespace) -> int:
    from site_builder.search.limits import QueryRefused
    from site_builder.search.service import search

    config = _search_site(args)
    try:
        found = search(config, args.query, year=args.year, town=args.town or "", county=args.county or "",
                       province=args.province or "", limit=args.limit)
    except QueryRefused as exc:
        print(t("Not searched: {reason}", reason=exc), file=sys.stderr)
        return EXIT_USAGE
    total, hits = found.total, found.hits
    words = " ".join(found.relaxed) if found.relaxed else args.query
    if found.relaxed:
        print(t("No report contains {query} as written; searched the words {words} instead.", query=repr(args.query),
                words=repr(words)))
    if hits:
        print(t("{total} report(s) contain {words}; the best {count}:", total=total, words=repr(words), count=len(hits)))
    else:
        print(t("{total} report(s) contain {words}.", total=total, words=repr(words)))
    for number, hit in enumerate(hits, 1):
        link = f"{config.site_url}{config.base_url}{hit.url}" + (f"#{hit.anchor}" if hit.anchor else "")
        year = t("{year} report", year=hit.year)
        print(f"\n{number}. {hit.title}\n   {hit.province}{hit.county}{hit.town} · {year}"
              + (f" · {hit.section}" if hit.section else "") + f"\n   {hit.snippet}\n   {link}")
    return EXIT_OK if total else EXIT_ERRORS


def cmd_serve_search(args: argparse.Namespace) -> int:
    from site_builder.search.http import serve

    serve(_search_site(args), args.host, args.port)
    return EXIT_OK
