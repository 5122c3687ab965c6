"""`site-builder serve`: build, serve on 127.0.0.1, rebuild on change, reload the browser.

A failed rebuild keeps the server up and shows the problems in the browser instead of the site."""

from __future__ import annotations

import gc
import logging
import mimetypes
import os
import shutil
import signal
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path

from livereload import Server
from livereload.handlers import LiveReloadHandler
from livereload.watcher import Watcher
from tornado.httpserver import HTTPServer
from tornado.ioloop import IOLoop
from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver
from watchdog.observers.polling import PollingObserver

from site_builder.build import BuildState, build
from site_builder.config import load_config
from site_builder.diagnostics import BuildError, Diagnostic, display_path, has_errors
from site_builder.errorpage import error_page
from site_builder.i18n import t
from site_builder.parallel import Terminated, kill_workers
from site_builder.reader import NOT_REPORTS, read_report
from site_builder.resources import bundled
from site_builder.writer import Manifest

StartResponse = Callable[..., object]


QUIET = 0.05
"""Seconds without another change before a rebuild starts: saving ten files (or a git checkout)
gives one build and one reload, and an editor's write-then-rename is read once, whole."""


class BrowserReloader(Watcher):  # type: ignore[misc]  # livereload ships no type information
    """livereload's watcher, driven by the builder instead of polling: `reload()` tells every
    connected browser at once, from any thread."""

    def __init__(self) -> None:
        super().__init__()
        self.loop: IOLoop | None = None

    def start(self, callback: Callable[[], None]) -> bool:
        self.loop = IOLoop.current()  # livereload calls this on its own thread, once a browser connects
        return True  # no polling

    def examine(self) -> tuple[str | None, float | None]:
        return None, None

    def reload(self) -> None:
        if self.loop is not None:
            self.filepath = "*"
            self.loop.add_callback(LiveReloadHandler.reload_waiters)


class Builder(threading.Thread):
    """Rebuilds off the server's thread, once the watched files have been quiet for QUIET seconds:
    the pages first — then the browsers reload — then the search index and the downloads."""

    def __init__(self, rebuild: Callable[[bool], bool], reloader: BrowserReloader, forget_files: Callable[[], None]) -> None:
        super().__init__(daemon=True, name="site-builder")
        self.rebuild, self.reloader, self.forget_files = rebuild, reloader, forget_files
        self.changed = threading.Event()
        self.last_change = 0.0

    def notify(self) -> None:
        self.last_change = time.monotonic()
        self.changed.set()

    def files_changed(self) -> None:
        """A file or folder was added, removed or renamed: the next build looks for reports again."""
        self.forget_files()
        self.notify()

    def run(self) -> None:
        while True:
            self.changed.wait()
            while (quiet := time.monotonic() - self.last_change) < QUIET:
                time.sleep(QUIET - quiet)
            self.changed.clear()
            gc.disable()  # a full collection over the kept state costs a tenth of a second: not now
            try:
                finished = self.rebuild(True)  # the pages
                self.reloader.reload()
                # Then the search index and the downloads (unless more changes came: their turn first).
                if finished and not self.changed.is_set() and not self.rebuild(False):
                    self.reloader.reload()  # to show what went wrong
            finally:
                gc.enable()


class QuickCheck(threading.Thread):
    """A report saved with a mistake shows its error page at once, even while the builder is still
    busy with the search index and the downloads of the edit before: the saved file alone is read
    and validated (milliseconds), and its errors are shown; the build that follows says the same."""

    def __init__(self, check: Callable[[Path], None]) -> None:
        super().__init__(daemon=True, name="site-builder-quick-check")
        self.check = check
        self.pending: dict[Path, None] = {}
        self.lock = threading.Lock()
        self.saved = threading.Event()

    def submit(self, path: Path) -> None:
        with self.lock:
            self.pending[path] = None
        self.saved.set()

    def run(self) -> None:
        while True:
            self.saved.wait()
            time.sleep(QUIET)  # as the builder: a file written in pieces is read whole
            with self.lock:
                paths, self.pending = list(self.pending), {}
                self.saved.clear()
            for path in paths:
                try:
                    self.check(path)
                except Exception:  # the build that follows reports whatever this could not
                    continue


class ChangeHandler(FileSystemEventHandler):
    def __init__(self, builder: Builder, only: Path | None = None, quick: QuickCheck | None = None) -> None:
        self.builder, self.only, self.quick = builder, only, quick

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return
        for where in (event.src_path, getattr(event, "dest_path", "")):
            name = Path(os.fsdecode(where)).name if where else ""
            if name and not name.startswith((".", "#")) and not name.endswith(("~", ".swp", ".tmp")) \
                    and (self.only is None or name == self.only.name):
                if event.event_type == "modified" and not event.is_directory:
                    self.builder.notify()
                    if self.quick is not None:
                        self.quick.submit(Path(os.fsdecode(where)))
                else:
                    self.builder.files_changed()
                return
        if event.event_type in ("moved", "deleted", "created"):  # an editor's temporary file renamed into place
            self.builder.files_changed()


def watch(paths: list[Path], builder: Builder, quick: QuickCheck | None = None) -> BaseObserver:
    """Watch folders (recursively) and single files for changes; inotify where it works, polling
    where it does not (too many watches, a network file system)."""
    for kind in (Observer, PollingObserver):
        observer = kind()
        try:
            for path in paths:
                if path.is_dir():
                    observer.schedule(ChangeHandler(builder, quick=quick), str(path), recursive=True)
                elif path.parent.is_dir():
                    observer.schedule(ChangeHandler(builder, path), str(path.parent), recursive=False)
            observer.start()
            return observer
        except OSError:
            continue
    raise OSError(t("The content folder cannot be watched for changes."))


class SiteApp:
    """WSGI app serving the built site under base_url, or the last build's errors."""

    def __init__(self, root: Path, base_url: str, project: Path | None = None) -> None:
        self.root, self.base_url, self.project = root, base_url, project
        self.failure: bytes | None = None
        self.failed_at = 0.0

    def fail(self, text: str, diagnostics: list[Diagnostic] | None = None) -> None:
        self.failure, self.failed_at = error_page(diagnostics, text, self.project), time.monotonic()

    def succeeded(self, since: float) -> None:
        """A build that began at `since` worked: its failure page goes, not one shown since it began."""
        if self.failed_at <= since:
            self.failure = None

    def __call__(self, environ: dict[str, object], start_response: StartResponse) -> Iterable[bytes]:
        path = str(environ.get("PATH_INFO") or "/")
        if self.failure is not None and not path.startswith(self.base_url + "assets/"):
            return self._respond(start_response, "500 Build Failed", self.failure)
        if not path.startswith(self.base_url):
            if path in ("/", ""):
                start_response("302 Found", [("Location", self.base_url)])
                return [b""]
            return self._not_found(start_response)
        rel = path[len(self.base_url):]
        if "\x00" in rel:  # no file has such a name (and the path functions refuse it)
            return self._not_found(start_response)
        target = (self.root / rel).resolve()
        if not target.is_relative_to(self.root.resolve()):
            return self._not_found(start_response)
        if target.is_dir():
            if not path.endswith("/"):
                start_response("301 Moved Permanently", [("Location", path + "/")])
                return [b""]
            target = target / "index.html"
        if not target.is_file():
            return self._not_found(start_response)
        kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if kind.startswith("text/") or kind in ("application/xml", "application/javascript", "application/json"):
            kind += "; charset=utf-8"
        return self._respond(start_response, "200 OK", target.read_bytes(), kind)

    def _not_found(self, start_response: StartResponse) -> Iterable[bytes]:
        page = self.root / "404.html"
        body = page.read_bytes() if page.is_file() else b"404 Not Found"
        return self._respond(start_response, "404 Not Found", body)

    @staticmethod
    def _respond(start_response: StartResponse, status: str, body: bytes, kind: str = "text/html; charset=utf-8") -> Iterable[bytes]:
        start_response(status, [("Content-Type", kind), ("Content-Length", str(len(body))), ("Cache-Control", "no-store")])
        return [body]


def serve(config_path: Path, overrides: dict[str, object], host: str, port: int) -> None:
    config, _ = load_config(config_path, overrides)
    state = BuildState.load(config)  # kept across rebuilds: only changed files are read again
    state.keep_files = True  # the watcher says when files come and go
    staging_root = Path(tempfile.mkdtemp(prefix="site-builder-serve-"))
    served = staging_root / "site"
    app = SiteApp(served, config.base_url, config.root)

    def rebuild(pages_first: bool) -> bool:
        """True when the build succeeded."""
        started, since = time.perf_counter(), time.monotonic()
        try:
            current, _ = load_config(config_path, overrides)
            result = build(replace(current, output_dir=str(served)), state=state, defer=pages_first, remember_urls=False)
            app.base_url = current.base_url
            app.succeeded(since)
            if pages_first or not result.incremental:
                rebuilt = t("rebuilt: {summary}", summary=result.summary())
                print(rebuilt if result.incremental else t("built: {summary}", summary=result.summary()), flush=True)
            else:  # said even when nothing changed there: a watcher (the benchmark) waits for it
                print(t("  then the search index and the downloads: {files} files in {seconds} s", files=result.files,
                        seconds=f"{result.seconds:.2f}"), flush=True)
            return True
        except BuildError as exc:
            app.fail(exc.report(), exc.diagnostics)
            print(exc.report(), flush=True)
        except Exception as exc:  # a template bug must not kill the server
            app.fail(f"{type(exc).__name__}: {exc}")
            print(t("The build failed after {seconds} s: {error}", seconds=f"{time.perf_counter() - started:.2f}",
                    error=f"{type(exc).__name__}: {exc}"), flush=True)
        return False

    def quick_check(path: Path) -> None:
        if path.suffix.lower() != ".md" or path.name.lower() in NOT_REPORTS or not path.is_relative_to(config.content_path):
            return
        _, problems = read_report(path, display_path(path, config.root))
        if has_errors(problems):
            failure = BuildError(problems)
            app.fail(failure.report(), failure.diagnostics)
            reloader.reload()

    rebuild(False)
    reloader = BrowserReloader()
    builder = Builder(rebuild, reloader, lambda: setattr(state, "rescan", True))
    builder.start()
    quick = QuickCheck(quick_check)
    quick.start()
    watched = [config.content_path, config_path, config.root / "units.csv", bundled("theme")]  # units.csv: who must publish
    if config.custom_path:
        watched.append(config.custom_path)
    observer = watch(watched, builder, quick)
    _harden_http()
    server = Server(app=app, watcher=reloader)
    stopped_by = _stop_on_signals(IOLoop.current())
    print(t("serving {url} — press Ctrl-C to stop", url=f"http://{host}:{port}{config.base_url}"), flush=True)
    try:
        server.serve(host=host, port=port, debug=False, restart_delay=0)
    finally:
        observer.stop()
        shutil.rmtree(staging_root, ignore_errors=True)
        Manifest.forget(config.root, served)  # and its search index state: the folder is gone
    if stopped_by:
        raise KeyboardInterrupt if stopped_by[0] == signal.SIGINT else Terminated


LISTEN_OPTIONS = {"idle_connection_timeout": 60, "body_timeout": 30, "max_body_size": 1024 * 1024, "max_header_size": 16384}
"""What tornado allows a connection: idle keep-alive connections are closed after a minute, a body
(a preview is only read, never posted to) may not exceed 1 MB. The site is answered on tornado's one
thread (WSGIContainer), so concurrent handlers are bounded by construction."""


def _harden_http() -> None:
    """Every tornado HTTP server of this process (livereload's: it passes no options) gets
    LISTEN_OPTIONS; a client hanging up is not logged as an error."""
    HTTPServer.configure(None, **LISTEN_OPTIONS)
    for name in ("tornado.access", "tornado.general"):
        logging.getLogger(name).setLevel(logging.ERROR)
    # livereload's own lines ("Serving on …", "Start watching changes") are English and say what
    # serve's 预览网址 line already says; its warnings and errors still show. A filter, not a level:
    # livereload sets its logger's level to INFO when it starts serving.
    logging.getLogger("livereload").addFilter(lambda record: record.levelno >= logging.WARNING)


def _stop_on_signals(loop: IOLoop) -> list[int]:
    """Ctrl-C and SIGTERM stop the server's loop from within it (raised anywhere else, tornado would
    log the exception from whatever callback it interrupted and go on serving)."""
    received: list[int] = []

    def stop(number: int) -> None:
        received.append(number)
        kill_workers()
        loop.stop()

    for number in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.asyncio_loop.add_signal_handler(number, stop, number)  # type: ignore[attr-defined]  # AsyncIOMainLoop
        except (NotImplementedError, AttributeError):  # Windows' event loop: a plain handler hands over to the loop
            signal.signal(number, lambda signum, _frame: loop.asyncio_loop.call_soon_threadsafe(stop, signum))  # type: ignore[attr-defined]  # AsyncIOMainLoop
    return received
