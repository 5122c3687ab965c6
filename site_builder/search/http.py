"""`site-builder serve-search`: GET /api/search?q=… answered in JSON over the whoosh index, for an
intranet that wants a server-side search beside the static one. A refused query or parameter is
HTTP 400 with the reason; nothing a request does shows a traceback or stops the service."""

from __future__ import annotations

import http.server
import sys
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlsplit

from site_builder.search.limits import QueryRefused
from site_builder.search.service import answer, dumps

if TYPE_CHECKING:
    from site_builder.config import Config


def handler_for(config: Config) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            if parts.path.rstrip("/") != "/api/search":
                self._send(404, {"error": "not found; use /api/search?q=…"})
                return
            params = {key: values[0] for key, values in parse_qs(parts.query).items()}
            try:
                self._send(200, answer(config, params))
            except QueryRefused as exc:
                self._send(400, {"error": str(exc)})
            except Exception as exc:  # one bad request must not show a traceback or stop the service
                print(f"search failed for {self.path[:200]!r}: {type(exc).__name__}: {exc}", file=sys.stderr, flush=True)
                self._send(500, {"error": "the search failed; try other words"})

        def _send(self, status: int, body: dict[str, object]) -> None:
            payload = dumps(body)
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

    return Handler


def serve(config: Config, host: str, port: int) -> None:
    server = http.server.ThreadingHTTPServer((host, port), handler_for(config))
    print(f"search service on http://{host}:{port}/api/search?q=… — Ctrl-C to stop", flush=True)
    try:
        server.serve_forever()
    finally:
        server.server_close()
