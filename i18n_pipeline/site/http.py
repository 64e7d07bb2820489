"""The one place that touches the network: GET requests to the publisher's site, politely.

- robots.txt is read once per host and obeyed (for the tool's name, ``i18n-pipeline``); a
  host whose robots.txt cannot be read for a server error is not crawled (RFC 9309), one
  that has none (4xx) is;
- one request at a time, so one connection per host, and at least ``delay`` seconds (or the
  robots.txt ``Crawl-delay``) between two requests to one host;
- timeouts; 429, 5xx, timeouts and dropped connections are retried ``retries`` times,
  waiting ``backoff`` seconds doubled each time, or what ``Retry-After`` asks, never more
  than ``max_wait``;
- redirects are followed by hand, and only within the site (or to ``redirect_hosts``);
- a body larger than ``max_size`` is refused without being read to its end;
- conditional requests (If-None-Match, If-Modified-Since) when a version is known.
"""

from __future__ import annotations

import time
import urllib.robotparser
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from types import TracebackType
from urllib.parse import urljoin, urlsplit

import httpx

from i18n_pipeline import __version__
from i18n_pipeline.config import FetchConfig
from i18n_pipeline.errors import FetchError
from i18n_pipeline.site.urls import host_of

USER_AGENT = f"i18n-pipeline/{__version__} (translation tracking; httpx/{httpx.__version__})"
ROBOTS_AGENT = "i18n-pipeline"
MAX_REDIRECTS = 5
_REDIRECTS = (301, 302, 303, 307, 308)


@dataclass(frozen=True)
class Version:
    """What identifies the stored version of a page, for a conditional request."""

    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True)
class Response:
    """A page as the site answered: 200 with its body, or 304 (``content`` empty)."""

    url: str  # as asked for
    final_url: str  # after redirects within the site
    status: int
    content: bytes
    content_type: str | None
    etag: str | None
    last_modified: str | None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def retry_wait(attempt: int, retry_after: str | None, settings: FetchConfig) -> float:
    """Seconds to wait before retry number ``attempt`` (from 1): ``backoff`` doubled each
    time, or the server's ``Retry-After`` (seconds or an HTTP date) when longer; at most
    ``max_wait``."""
    wait = settings.backoff * 2 ** (attempt - 1)
    if retry_after:
        asked: float | None = None
        value = retry_after.strip()
        if value.isdigit():
            asked = float(value)
        else:
            try:
                when = parsedate_to_datetime(value)
            except (TypeError, ValueError):
                when = None
            if when is not None:
                if when.tzinfo is None:
                    when = when.replace(tzinfo=UTC)
                asked = (when - datetime.now(UTC)).total_seconds()
        if asked is not None:
            wait = max(wait, asked)
    return max(0.0, min(wait, settings.max_wait))


class SiteClient:
    """GET requests to the site's ``hosts``; a :class:`FetchError` for every failure."""

    def __init__(self, settings: FetchConfig, hosts: frozenset[str]) -> None:
        self.settings = settings
        self.hosts = hosts
        self._client = httpx.Client(
            headers={"User-Agent": USER_AGENT},
            timeout=httpx.Timeout(settings.timeout),
            limits=httpx.Limits(max_connections=1, max_keepalive_connections=1),
            follow_redirects=False,
            trust_env=False,
        )
        self._last: dict[str, float] = {}
        self._robots: dict[str, urllib.robotparser.RobotFileParser | None] = {}

    def __enter__(self) -> SiteClient:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def on_site(self, url: str) -> bool:
        return host_of(url) in self.hosts

    def get(self, url: str, version: Version | None = None) -> Response:
        """The page at ``url``, following redirects within the site."""
        current = url
        for _ in range(MAX_REDIRECTS + 1):
            self._check_robots(current)
            response = self._request(current, version)
            if response.status not in _REDIRECTS:
                return Response(
                    url,
                    current,
                    response.status,
                    response.content,
                    response.content_type,
                    response.etag,
                    response.last_modified,
                )
            target = urljoin(current, response.location or "")
            if urlsplit(target).scheme not in ("http", "https"):
                raise FetchError(f"redirected to '{target}', which is not a web page", path=url)
            host = host_of(target)
            if host not in self.hosts and host not in self.settings.redirect_hosts:
                raise FetchError(
                    f"redirected to another host ({host}); refused: add it to "
                    "site.hosts or fetch.redirect_hosts to allow it",
                    path=url,
                )
            current = target
        raise FetchError(f"more than {MAX_REDIRECTS} redirects", path=url)

    def _check_robots(self, url: str) -> None:
        host = host_of(url)
        if host not in self._robots:
            self._robots[host] = self._read_robots(url)
        robots = self._robots[host]
        if robots is None:
            raise FetchError(
                "the site's robots.txt could not be read (server error); not fetched", path=url
            )
        if not robots.can_fetch(ROBOTS_AGENT, url):
            raise FetchError("robots.txt does not allow fetching this page", path=url)

    def _read_robots(self, url: str) -> urllib.robotparser.RobotFileParser | None:
        parts = urlsplit(url)
        robots_url = f"{parts.scheme}://{parts.netloc}/robots.txt"
        robots = urllib.robotparser.RobotFileParser(robots_url)
        try:
            response = self._request(robots_url, None)
        except FetchError as exc:
            if exc.status is not None and 400 <= exc.status < 500:
                robots.parse([])  # no robots.txt: everything is allowed
                return robots
            return None
        if response.status != 200:
            robots.parse([])
            return robots
        robots.parse(response.content.decode("utf-8", "replace").splitlines())
        return robots

    def _delay(self, host: str) -> float:
        robots = self._robots.get(host)
        crawl = robots.crawl_delay(ROBOTS_AGENT) if robots is not None else None
        return max(self.settings.delay, float(crawl or 0))

    def _wait_turn(self, host: str) -> None:
        last = self._last.get(host)
        if last is not None:
            left = self._delay(host) - (time.monotonic() - last)
            if left > 0:
                time.sleep(left)
        self._last[host] = time.monotonic()

    def _request(self, url: str, version: Version | None) -> _Raw:
        """One GET with its retries; a redirect is returned, not followed."""
        headers = {}
        if version is not None and version.etag:
            headers["If-None-Match"] = version.etag
        if version is not None and version.last_modified:
            headers["If-Modified-Since"] = version.last_modified
        host = host_of(url)
        attempts = self.settings.retries + 1
        for attempt in range(1, attempts + 1):
            self._wait_turn(host)
            try:
                raw = self._once(url, headers)
            except httpx.TimeoutException as exc:
                problem, retry_after, status = "timed out", None, None
                last_exc: Exception = exc
            except httpx.TransportError as exc:
                problem, retry_after, status = f"connection failed ({exc})", None, None
                last_exc = exc
            else:
                if raw.status != 429 and raw.status < 500:
                    return _checked(raw, url)
                problem = f"HTTP {raw.status} {raw.reason}".rstrip()
                retry_after, status = raw.retry_after, raw.status
                last_exc = FetchError(problem, path=url)
            if attempt < attempts:
                wait = retry_wait(attempt, retry_after, self.settings)
                if wait > 0:
                    time.sleep(wait)
                self._last[host] = time.monotonic()
        tries = "once" if attempts == 1 else f"{attempts} times"
        raise FetchError(f"{problem}; tried {tries}", path=url, status=status) from last_exc

    def _once(self, url: str, headers: dict[str, str]) -> _Raw:
        cap = self.settings.max_size
        with self._client.stream("GET", url, headers=headers) as response:
            length = response.headers.get("Content-Length", "")
            if response.status_code == 200 and length.isdigit() and int(length) > cap:
                raise FetchError(
                    f"the page is {int(length):,} bytes, over the cap of {cap:,} (fetch.max_size)",
                    path=url,
                )
            body = bytearray()
            if response.status_code == 200:
                for chunk in response.iter_bytes():
                    body += chunk
                    if len(body) > cap:
                        raise FetchError(
                            f"the page is over the cap of {cap:,} bytes (fetch.max_size)",
                            path=url,
                        )
            return _Raw(
                status=response.status_code,
                reason=response.reason_phrase,
                content=bytes(body),
                content_type=response.headers.get("Content-Type"),
                etag=response.headers.get("ETag"),
                last_modified=response.headers.get("Last-Modified"),
                location=response.headers.get("Location"),
                retry_after=response.headers.get("Retry-After"),
            )


@dataclass(frozen=True)
class _Raw:
    status: int
    reason: str
    content: bytes
    content_type: str | None
    etag: str | None
    last_modified: str | None
    location: str | None
    retry_after: str | None


def _checked(raw: _Raw, url: str) -> _Raw:
    """A response that is an answer: 200, 304 or a redirect; any other status is an error."""
    if raw.status in (200, 304) or raw.status in _REDIRECTS:
        return raw
    if raw.status == 404:
        message = "not found (HTTP 404)"
    elif raw.status == 410:
        message = "gone (HTTP 410): the site has removed it"
    else:
        message = f"HTTP {raw.status} {raw.reason}".rstrip()
    raise FetchError(message, path=url, status=raw.status)
