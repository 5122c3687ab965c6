"""`site-builder serve-search`: GET /api/search?q=… answered in JSON over the whoosh index, for an
intranet that wants a server-side search beside the static one. A refused query or parameter is
HTTP 400 with the reason; nothing a request does shows a traceback or stops the service.

Served by waitress (a production WSGI server): connections are read by one asynchronous loop, so
an idle or slow client holds no thread and is dropped after CHANNEL_TIMEOUT seconds; at most
THREADS searches run at once and CONNECTIONS clients are connected; a request with a body is
refused (413) before it is read; a client hanging up is not logged as an error."""

from __future__ import annotations

import logging
import signal
import sys
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs

from site_builder.i18n import t
from site_builder.search.limits import QueryRefused
from site_builder.search.service import answer, dumps

if TYPE_CHECKING:
    from site_builder.config import Config

StartResponse = Callable[..., object]
THREADS = 4
"""Searches answered at once (whoosh is CPU-bound: more threads would only share the cores)."""
CONNECTIONS = 100
CHANNEL_TIMEOUT = 30
"""Seconds a connection may stay idle, or a request take to arrive, before it is closed."""
STATUS = {200: "200 OK", 400: "400 Bad Request", 404: "404 Not Found", 405: "405 Method Not Allowed",
          413: "413 Payload Too Large", 500: "500 Internal Server Error"}


def app_for(config: Config) -> Callable[[dict[str, object], StartResponse], Iterable[bytes]]:
    """The WSGI application: /api/search only, GET or HEAD only, no body."""

    def app(environ: dict[str, object], start_response: StartResponse) -> Iterable[bytes]:
        method = str(environ.get("REQUEST_METHOD", "GET"))
        if method not in ("GET", "HEAD"):
            return _send(start_response, 405, {"error": "only GET is answered: /api/search?q=…"}, method)
        if str(environ.get("CONTENT_LENGTH") or "0") not in ("", "0"):
            return _send(start_response, 413, {"error": "a search has no body; put the words in ?q=…"}, method)
        if str(environ.get("PATH_INFO") or "").rstrip("/") != "/api/search":
            return _send(start_response, 404, {"error": "not found; use /api/search?q=…"}, method)
        query = str(environ.get("QUERY_STRING") or "")
        params = {key: values[0] for key, values in parse_qs(query).items()}
        try:
            return _send(start_response, 200, answer(config, params), method)
        except QueryRefused as exc:
            return _send(start_response, 400, {"error": str(exc)}, method)
        except Exception as exc:  # one bad request must not show a traceback or stop the service
            print(t("The search for {query} failed: {error}", query=repr(query[:200]), error=f"{type(exc).__name__}: {exc}"),
                  file=sys.stderr, flush=True)
            return _send(start_response, 500, {"error": "the search failed; try other words"}, method)

    return app


def _send(start_response: StartResponse, status: int, body: dict[str, object], method: str) -> Iterable[bytes]:
    payload = dumps(body)
    start_response(STATUS[status], [("Content-Type", "application/json; charset=utf-8"),
                                     ("Content-Length", str(len(payload)))])
    return [b"" if method == "HEAD" else payload]


def make_server(config: Config, host: str, port: int, timeout: int = CHANNEL_TIMEOUT) -> Any:
    """The waitress server, bound and ready to run(); `timeout`: seconds a connection may idle."""
    from waitress.server import create_server

    # waitress logs a client that hung up, and its queue depth, as warnings: not the editor's concern.
    logging.getLogger("waitress").setLevel(logging.ERROR)
    return create_server(app_for(config), host=host, port=port, threads=THREADS, connection_limit=CONNECTIONS,
                         channel_timeout=timeout, cleanup_interval=min(timeout, 30), max_request_body_size=0,
                         max_request_header_size=16384, expose_tracebacks=False, ident="site-builder",
                         clear_untrusted_proxy_headers=True)


def serve(config: Config, host: str, port: int) -> None:
    server = make_server(config, host, port)
    print(t("Search service on {url} — press Ctrl-C to stop", url=f"http://{host}:{port}/api/search?q=…"), flush=True)
    # SIGTERM as KeyboardInterrupt: waitress's loop lets only that (and SystemExit) through and then
    # shuts its threads down; any other exception raised by a signal inside a connection's handler
    # is caught there as that connection's error, and the service would run on.
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        server.run()
    finally:
        signal.signal(signal.SIGTERM, previous)
        server.close()


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt
