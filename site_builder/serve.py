"""`site-builder serve`: build, serve on 127.0.0.1, rebuild on change, reload the browser.

A failed rebuild keeps the server up and shows the problems in the browser instead of the site."""

from __future__ import annotations

import html
import mimetypes
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path
from typing import cast

from livereload import Server
from livereload.watcher import Watcher

from site_builder.build import BuildState, build
from site_builder.config import load_config
from site_builder.diagnostics import BuildError
from site_builder.resources import bundled

Snapshot = dict[str, tuple[float, int]]
StartResponse = Callable[..., object]


class DebouncedWatcher(Watcher):  # type: ignore[misc]  # livereload ships no type information
    """Rebuild once the watched files have been quiet for `quiet` seconds, so saving ten files
    (or a git checkout) gives one build and one reload."""

    def __init__(self, paths: list[Path], rebuild: Callable[[], None], quiet: float = 0.4) -> None:
        super().__init__()
        self.paths, self.rebuild, self.quiet = paths, rebuild, quiet
        self.last = self.snapshot()
        self.pending_since: float | None = None

    def snapshot(self) -> Snapshot:
        found: Snapshot = {}
        for root in self.paths:
            candidates = [root] if root.is_file() else (root.rglob("*") if root.is_dir() else [])
            for path in candidates:
                if path.is_file() and not path.name.startswith(".") and not path.name.endswith(("~", ".swp")):
                    stat = path.stat()
                    found[str(path)] = (stat.st_mtime, stat.st_size)
        return found

    def examine(self) -> tuple[str | None, float | None]:
        if self._changes:
            return cast("tuple[str | None, float | None]", self._changes.pop())
        now = self.snapshot()
        if now != self.last:
            self.last, self.pending_since = now, time.monotonic()
            return None, None
        if self.pending_since is None or time.monotonic() - self.pending_since < self.quiet:
            return None, None
        self.pending_since = None
        self.rebuild()
        self.filepath = "*"
        return "*", None


class SiteApp:
    """WSGI app serving the built site under base_url, or the last build's errors."""

    def __init__(self, root: Path, base_url: str) -> None:
        self.root, self.base_url = root, base_url
        self.failure: str | None = None

    def __call__(self, environ: dict[str, object], start_response: StartResponse) -> Iterable[bytes]:
        path = str(environ.get("PATH_INFO") or "/")
        if self.failure is not None and not path.startswith(self.base_url + "assets/"):
            return self._respond(start_response, "500 Build Failed", error_page(self.failure))
        if not path.startswith(self.base_url):
            if path in ("/", ""):
                start_response("302 Found", [("Location", self.base_url)])
                return [b""]
            return self._not_found(start_response)
        rel = path[len(self.base_url):]
        target = (self.root / rel).resolve()
        if not str(target).startswith(str(self.root.resolve())):
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


def error_page(report: str) -> bytes:
    return (
        "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>构建失败 Build failed</title>"
        "<style>body{font:18px/1.7 sans-serif;margin:2rem;max-width:60rem}pre{white-space:pre-wrap;"
        "background:#fff4f4;border-left:4px solid #a4161a;padding:1rem}</style></head><body>"
        "<h1>构建失败 · Build failed</h1><p>修改下列问题并保存，页面会自动刷新。Fix the problems below and save; "
        "this page reloads by itself.</p><pre>" + html.escape(report) + "</pre></body></html>"
    ).encode("utf-8")


def serve(config_path: Path, overrides: dict[str, object], host: str, port: int) -> None:
    config, _ = load_config(config_path, overrides)
    state = BuildState.load(config)  # kept across rebuilds: only changed files are read again
    staging_root = Path(tempfile.mkdtemp(prefix="site-builder-serve-"))
    served = staging_root / "site"
    app = SiteApp(served, config.base_url)

    def rebuild() -> None:
        started = time.perf_counter()
        try:
            current, _ = load_config(config_path, overrides)
            result = build(replace(current, output_dir=str(served)), state=state)
            app.base_url, app.failure = current.base_url, None
            print(f"rebuilt: {result.summary()}", flush=True)
        except BuildError as exc:
            app.failure = exc.report()
            print(exc.report(), flush=True)
        except Exception as exc:  # a template bug must not kill the server
            app.failure = f"{type(exc).__name__}: {exc}"
            print(f"build failed after {time.perf_counter() - started:.2f} s: {app.failure}", flush=True)

    rebuild()
    watched = [config.content_path, config_path, bundled("theme")]
    if config.custom_path:
        watched.append(config.custom_path)
    server = Server(app=app, watcher=DebouncedWatcher(watched, rebuild))
    print(f"serving http://{host}:{port}{config.base_url} — Ctrl-C to stop", flush=True)
    try:
        server.serve(host=host, port=port, debug=False, restart_delay=0)
    finally:
        shutil.rmtree(staging_root, ignore_errors=True)
