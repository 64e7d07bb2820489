"""A miniature of the publisher's site on a loopback HTTP server, for the fetch tests.

The pages are ``tests/fixtures/minisite/`` (text of their own, in the site's structure):
an issue's table of contents, two articles of Workers Vanguard (one an old page in
Latin-1), their translations in the German, French and Spanish editions, and robots.txt.
Each is served with an ETag and a Last-Modified and answers conditional requests with 304.
A test changes a page, or makes one fail, through :meth:`MiniSite.route`. Nothing leaves
the machine: the server listens on 127.0.0.1 only.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

PAGES = Path(__file__).parent / "fixtures" / "minisite"
MODIFIED = datetime(2007, 11, 14, 12, 0, tzinfo=UTC)


@dataclass
class Route:
    """How the server answers one path."""

    body: bytes = b""
    status: int = 200
    content_type: str | None = "text/html"
    etag: str | None = None
    last_modified: datetime | None = MODIFIED
    headers: dict[str, str] = field(default_factory=dict)
    #: Answer ``fail_status`` (with ``retry_after``) this many times before the page.
    fail: int = 0
    fail_status: int = 503
    retry_after: str | None = None
    sleep: float = 0.0  # seconds before answering (a slow server)
    chunked: bool = False  # no Content-Length


@dataclass(frozen=True)
class Hit:
    method: str
    path: str
    headers: dict[str, str]


class MiniSite:
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: list[Hit] = []
        for path in sorted(PAGES.rglob("*")):
            if path.is_file():
                kind = "text/plain" if path.suffix == ".txt" else "text/html"
                self.page("/" + path.relative_to(PAGES).as_posix(), path.read_bytes(), kind)
        self._server = _Server(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )

    @property
    def root(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def url(self, path: str) -> str:
        return self.root + path

    def page(self, path: str, body: bytes, content_type: str | None = "text/html") -> Route:
        """Serve ``body`` at ``path`` as a new version (a new ETag)."""
        route = Route(body=body, content_type=content_type, etag=_etag(body))
        self.routes[path] = route
        return route

    def route(self, path: str, **changes: object) -> Route:
        route = self.routes.setdefault(path, Route())
        for key, value in changes.items():
            setattr(route, key, value)
        return route

    def requests(self, path: str) -> list[Hit]:
        return [h for h in self.hits if h.path == path]

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


class _Server(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that hangs up early (a page over the size cap) is no news


def _etag(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:12] + '"'


def _handler(site: MiniSite) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:  # quiet
            pass

        def do_GET(self) -> None:
            site.hits.append(Hit("GET", self.path, dict(self.headers.items())))
            route = site.routes.get(self.path.split("?", 1)[0])
            if route is None:
                return self._send(404, b"not here", "text/plain")
            if route.sleep:
                time.sleep(route.sleep)
            if route.fail > 0:
                route.fail -= 1
                extra = {"Retry-After": route.retry_after} if route.retry_after else {}
                return self._send(route.fail_status, b"try later", "text/plain", extra)
            if route.status != 200:
                return self._send(route.status, b"", "text/plain", route.headers)
            headers = dict(route.headers)
            if route.etag:
                headers["ETag"] = route.etag
            if route.last_modified:
                headers["Last-Modified"] = format_datetime(route.last_modified, usegmt=True)
            if self._not_modified(route):
                return self._send(304, b"", None, headers)
            self._send(200, route.body, route.content_type, headers, chunked=route.chunked)

        def _not_modified(self, route: Route) -> bool:
            match = self.headers.get("If-None-Match")
            if match is not None:
                return route.etag is not None and match == route.etag
            since = self.headers.get("If-Modified-Since")
            if since and route.last_modified:
                return parsedate_to_datetime(since) >= route.last_modified
            return False

        def _send(
            self,
            status: int,
            body: bytes,
            content_type: str | None,
            headers: dict[str, str] | None = None,
            *,
            chunked: bool = False,
        ) -> None:
            self.send_response(status)
            if content_type:
                self.send_header("Content-Type", content_type)
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            if status == 304:
                self.end_headers()
                return
            if chunked:
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                for start in range(0, len(body), 4096):
                    piece = body[start : start + 4096]
                    self.wfile.write(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
                self.wfile.write(b"0\r\n\r\n")
                return
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Handler


def serve() -> Iterator[MiniSite]:
    """The site, started; stopped when the generator is closed (a pytest fixture's body)."""
    site = MiniSite()
    site.start()
    try:
        yield site
    finally:
        site.stop()
