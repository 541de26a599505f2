"""Download one feed over HTTP: conditional GET, redirects, gzip, size cap, hard deadline.

The deadline covers the whole download (connect, headers, every redirect hop and
the body): a watchdog timer shuts the socket down when it passes, so a server
that stalls or trickles one byte at a time is abandoned on time.
"""

from __future__ import annotations

import contextlib
import http.client
import socket
import ssl
import threading
import time
import zlib
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from goodwill import __version__

USER_AGENT = f"goodwill/{__version__} (feed digest; +https://pypi.org/project/goodwill/)"
ACCEPT = (
    "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.1"
)
MAX_REDIRECTS = 5
CHUNK = 64 * 1024
_REDIRECTS = {301, 302, 303, 307, 308}
_PERMANENT = {301, 308}


class DownloadError(Exception):
    """The feed could not be downloaded; `reason` is shown in the run's table."""

    def __init__(self, reason: str, *, http_status: int | None = None, wire_bytes: int = 0):
        super().__init__(reason)
        self.reason = reason
        self.http_status = http_status
        self.wire_bytes = wire_bytes


@dataclass
class Download:
    url: str  # the final URL, after redirects
    http_status: int
    body: bytes = b""  # empty when not modified
    not_modified: bool = False
    etag: str | None = None
    last_modified: str | None = None
    content_type: str = ""
    moved_to: str | None = None  # where a permanent redirect points
    wire_bytes: int = 0  # bytes received, headers excluded


class _KeepSocket:
    """http.client closes the socket right after the headers of a `Connection: close` reply;
    keep it open until the body is read, so its timeout can be set and the watchdog can
    shut it down."""

    def close(self) -> None:
        pass

    def finish(self) -> None:
        super().close()  # type: ignore[misc]


class _HTTP(_KeepSocket, http.client.HTTPConnection):
    pass


class _HTTPS(_KeepSocket, http.client.HTTPSConnection):
    pass


class _Deadline:
    """Shuts the current connection's socket down when the time is up."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.end = time.monotonic() + seconds
        self.expired = False
        self._sock: socket.socket | None = None
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._fire)
        self._timer.daemon = True
        self._timer.start()

    def remaining(self) -> float:
        left = self.end - time.monotonic()
        if left <= 0:
            self.expired = True
            raise DownloadError(f"timed out after {self.seconds:g} s")
        return left

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            self._sock = sock
        if self.expired:
            self._fire()

    def _fire(self) -> None:
        with self._lock:
            self.expired = True
            sock = self._sock
            if sock is not None:
                with contextlib.suppress(OSError):  # already closed: nothing to interrupt
                    sock.shutdown(socket.SHUT_RDWR)

    def cancel(self) -> None:
        self._timer.cancel()


def download(
    url: str,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    timeout: float = 10.0,
    max_bytes: int = 5 * 1024 * 1024,
    user_agent: str = USER_AGENT,
) -> Download:
    """GET `url` within `timeout` seconds in all; raise DownloadError with a reason."""
    deadline = _Deadline(timeout)
    wire = [0]
    try:
        return _follow(url, etag, last_modified, deadline, max_bytes, user_agent, wire)
    except DownloadError as exc:
        if deadline.expired and not exc.reason.startswith("timed out"):
            raise DownloadError(f"timed out after {timeout:g} s", wire_bytes=wire[0]) from None
        exc.wire_bytes = wire[0]
        raise
    except (OSError, http.client.HTTPException, ValueError) as exc:
        if deadline.expired or isinstance(exc, socket.timeout):
            raise DownloadError(f"timed out after {timeout:g} s", wire_bytes=wire[0]) from None
        raise DownloadError(_describe(exc), wire_bytes=wire[0]) from None
    finally:
        deadline.cancel()


def _follow(url, etag, last_modified, deadline, max_bytes, user_agent, wire) -> Download:
    chain = [url]
    moved_to = None
    permanent = True
    for _hop in range(MAX_REDIRECTS + 1):
        conn = _connect(url, deadline)
        try:
            response, sock = _request(conn, url, etag, last_modified, user_agent, deadline)
            status = response.status
            if status in _REDIRECTS:
                location = response.getheader("Location")
                if not location:
                    raise DownloadError(
                        f"HTTP {status} redirect without a Location", http_status=status
                    )
                target = urljoin(url, location.strip())
                if urlsplit(target).scheme not in ("http", "https"):
                    raise DownloadError(f"redirect to a non-http address {target}")
                if target in chain:
                    loop = " -> ".join(chain[chain.index(target) :] + [target])
                    raise DownloadError(f"redirect loop: {loop}", http_status=status)
                permanent = permanent and status in _PERMANENT
                if permanent:
                    moved_to = target
                chain.append(target)
                url = target
                continue
            if status == 304:
                return Download(
                    url,
                    status,
                    not_modified=True,
                    etag=etag,
                    last_modified=last_modified,
                    moved_to=moved_to,
                )
            if status != 200:
                raise DownloadError(_status_reason(status, response.reason), http_status=status)
            body = _read_body(response, sock, deadline, max_bytes, wire)
            return Download(
                url,
                status,
                body,
                etag=response.getheader("ETag"),
                last_modified=response.getheader("Last-Modified"),
                content_type=response.getheader("Content-Type") or "",
                moved_to=moved_to,
                wire_bytes=wire[0],
            )
        finally:
            conn.finish()
    raise DownloadError(f"more than {MAX_REDIRECTS} redirects: " + " -> ".join(chain))


def _connect(url: str, deadline: _Deadline) -> _HTTP | _HTTPS:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise DownloadError(f"not an http(s) address: {url}")
    timeout = deadline.remaining()
    if parts.scheme == "https":
        return _HTTPS(
            parts.hostname, parts.port, timeout=timeout, context=ssl.create_default_context()
        )
    return _HTTP(parts.hostname, parts.port, timeout=timeout)


def _request(conn, url, etag, last_modified, user_agent, deadline):
    """Send the GET; return the response and its socket (the connection may drop it)."""
    parts = urlsplit(url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    headers = {"User-Agent": user_agent, "Accept": ACCEPT, "Accept-Encoding": "gzip"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    conn.connect()
    sock = conn.sock
    deadline.watch(sock)  # the socket exists now: the watchdog can shut it
    sock.settimeout(deadline.remaining())
    conn.request("GET", target, headers=headers)
    response = conn.getresponse()
    if deadline.expired:
        raise DownloadError(f"timed out after {deadline.seconds:g} s")
    return response, sock


def _read_body(response, sock, deadline: _Deadline, max_bytes: int, wire: list[int]) -> bytes:
    length = response.getheader("Content-Length")
    if length and length.isdigit() and int(length) > max_bytes:
        raise DownloadError(f"too large: {int(length):,} bytes, over the {_mb(max_bytes)} cap")
    encoding = (response.getheader("Content-Encoding") or "").strip().lower()
    inflater = zlib.decompressobj(wbits=47) if encoding in ("gzip", "x-gzip") else None
    parts: list[bytes] = []
    size = 0
    while True:
        sock.settimeout(deadline.remaining())
        chunk = response.read(CHUNK)
        if deadline.expired:
            raise DownloadError(f"timed out after {deadline.seconds:g} s")
        if not chunk:
            break
        wire[0] += len(chunk)
        if inflater is not None:
            try:
                chunk = inflater.decompress(chunk, max_bytes + 1 - size)
            except zlib.error as exc:
                raise DownloadError(f"broken gzip body: {exc}") from None
            if inflater.unconsumed_tail:
                size = max_bytes + 1
        size += len(chunk)
        if size > max_bytes:
            raise DownloadError(f"too large: over the {_mb(max_bytes)} cap")
        parts.append(chunk)
    if inflater is not None:
        parts.append(inflater.flush())
    return b"".join(parts)


def _status_reason(status: int, reason: str) -> str:
    text = f"HTTP {status} {reason}".strip()
    if status == 410:
        return text + " (the feed is gone: remove it from feeds.yaml)"
    if status == 404:
        return text + " (check the address)"
    return text


def _describe(exc: BaseException) -> str:
    if isinstance(exc, socket.gaierror):
        return f"host not found ({exc.strerror or exc})"
    if isinstance(exc, ssl.SSLError):
        return f"TLS error: {exc.reason or exc}"
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, http.client.IncompleteRead):
        return "connection closed before the whole body arrived"
    return f"{type(exc).__name__}: {exc}".rstrip(": ")


def _mb(size: int) -> str:
    return f"{size / 1048576:g} MB"
