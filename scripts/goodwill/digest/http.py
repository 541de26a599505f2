"""Download one feed over HTTP: conditional GET, redirects, gzip, size cap, hard deadline.

The deadline covers the whole download: resolving the host name (in a helper
thread that is abandoned when time is up, since getaddrinfo cannot be
interrupted), connecting, the TLS handshake, the headers, every redirect hop and
the body. A watchdog timer shuts the socket down when it passes, so a server that
stalls or trickles one byte at a time is abandoned on time.
"""

from __future__ import annotations

import contextlib
import http.client
import ipaddress
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


def timed_out(seconds: float) -> str:
    """The reason shown for a feed that ran out of time."""
    return f"timed out after {seconds:g} s"


def too_large(max_bytes: int, size: int | None = None) -> str:
    """The reason shown for a feed over the size cap (`size`: when it is known)."""
    known = f"{size:,} bytes, " if size is not None else ""
    return f"too large: {known}over the {size_cap(max_bytes)} cap"


def size_cap(max_bytes: int) -> str:
    """The cap in MB as goodwill.yml's max_mb gives it (5 MB, 0.01 MB)."""
    return f"{max_bytes / 1048576:.2f}".rstrip("0").rstrip(".") + " MB"


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
    shut it down. The socket connects to addresses resolved beforehand, within the deadline."""

    addresses: list
    deadline: _Deadline

    def close(self) -> None:
        pass

    def finish(self) -> None:
        super().close()  # type: ignore[misc]

    def open_socket(self, address, timeout, source_address=None) -> socket.socket:
        """Stands in for socket.create_connection, which would resolve the name again."""
        error: OSError = OSError(f"no address for {address[0]}")
        for family, kind, proto, _name, sockaddr in self.addresses:
            sock = socket.socket(family, kind, proto)
            try:
                sock.settimeout(self.deadline.remaining())
                sock.connect(sockaddr)
            except OSError as exc:  # refused, unreachable: try the next address
                sock.close()
                error = exc
                continue
            except BaseException:  # out of time (DownloadError), interrupted
                sock.close()
                raise
            return sock
        raise error


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
            raise DownloadError(timed_out(self.seconds))
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


@dataclass
class _Progress:
    """What is known so far, for the error report: bytes received, the last HTTP status."""

    wire_bytes: int = 0
    http_status: int | None = None


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
    progress = _Progress()
    try:
        return _follow(url, etag, last_modified, deadline, max_bytes, user_agent, progress)
    except DownloadError as exc:
        if deadline.expired:
            exc.reason = timed_out(timeout)
        exc.args = (exc.reason,)
        exc.wire_bytes = progress.wire_bytes
        exc.http_status = exc.http_status or progress.http_status
        raise
    except (OSError, http.client.HTTPException, ValueError) as exc:
        reason = (
            timed_out(timeout)
            if deadline.expired or isinstance(exc, socket.timeout)
            else _describe(exc)
        )
        raise DownloadError(
            reason, http_status=progress.http_status, wire_bytes=progress.wire_bytes
        ) from None
    finally:
        deadline.cancel()


def _follow(url, etag, last_modified, deadline, max_bytes, user_agent, progress) -> Download:
    chain = [url]
    moved_to = None
    permanent = True
    for _hop in range(MAX_REDIRECTS + 1):
        conn = _connect(url, deadline)
        try:
            response, sock = _request(conn, url, etag, last_modified, user_agent, deadline)
            status = progress.http_status = response.status
            if status in _REDIRECTS:
                location = response.getheader("Location")
                if not location:
                    raise DownloadError(f"HTTP {status} redirect without a Location")
                try:
                    target = urljoin(url, location.strip())
                    scheme = urlsplit(target).scheme
                except ValueError:
                    raise DownloadError(f"redirect to an invalid address {location}") from None
                if scheme not in ("http", "https"):
                    raise DownloadError(f"redirect to a non-http address {target}")
                if target in chain:
                    loop = " -> ".join(chain[chain.index(target) :] + [target])
                    raise DownloadError(f"redirect loop: {loop}")
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
                raise DownloadError(_status_reason(status, response.reason))
            body = _read_body(response, sock, deadline, max_bytes, progress)
            return Download(
                url,
                status,
                body,
                etag=response.getheader("ETag"),
                last_modified=response.getheader("Last-Modified"),
                content_type=response.getheader("Content-Type") or "",
                moved_to=moved_to,
                wire_bytes=progress.wire_bytes,
            )
        finally:
            conn.finish()
    raise DownloadError(f"more than {MAX_REDIRECTS} redirects: " + " -> ".join(chain))


def _connect(url: str, deadline: _Deadline) -> _HTTP | _HTTPS:
    try:
        parts = urlsplit(url)
        host, port = parts.hostname, parts.port
    except ValueError:
        raise DownloadError(f"{url} is not a valid address") from None
    if parts.scheme not in ("http", "https") or not host:
        raise DownloadError(f"not an http(s) address: {url}")
    port = port or (443 if parts.scheme == "https" else 80)
    addresses = _resolve(host, port, deadline)
    timeout = deadline.remaining()
    if parts.scheme == "https":
        conn = _HTTPS(host, port, timeout=timeout, context=ssl.create_default_context())
    else:
        conn = _HTTP(host, port, timeout=timeout)
    conn.addresses = addresses
    conn.deadline = deadline
    conn._create_connection = conn.open_socket  # http.client's hook for opening the socket
    return conn


def _resolve(host: str, port: int, deadline: _Deadline) -> list:
    """getaddrinfo within the deadline: it cannot be interrupted, so it runs in a daemon
    thread that is abandoned (and finishes on its own) when the time is up."""
    try:
        ipaddress.ip_address(host)
    except ValueError:
        pass
    else:  # a literal address: nothing to look up
        return socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    answer: dict = {}
    done = threading.Event()

    def lookup() -> None:
        try:
            answer["addresses"] = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError) as exc:
            answer["error"] = exc
        done.set()

    threading.Thread(target=lookup, name="resolve", daemon=True).start()
    if not done.wait(deadline.remaining()):
        deadline.expired = True
        raise DownloadError(timed_out(deadline.seconds))
    if "error" in answer:
        raise answer["error"]
    return answer["addresses"]


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
        raise DownloadError(timed_out(deadline.seconds))
    return response, sock


def _read_body(response, sock, deadline: _Deadline, max_bytes: int, progress: _Progress) -> bytes:
    length = response.getheader("Content-Length")
    if length and length.isdigit() and int(length) > max_bytes:
        raise DownloadError(too_large(max_bytes, int(length)))
    encoding = (response.getheader("Content-Encoding") or "").strip().lower()
    inflater = zlib.decompressobj(wbits=47) if encoding in ("gzip", "x-gzip") else None
    parts: list[bytes] = []
    size = 0
    while True:
        sock.settimeout(deadline.remaining())
        chunk = response.read(CHUNK)
        if deadline.expired:
            raise DownloadError(timed_out(deadline.seconds))
        if not chunk:
            break
        progress.wire_bytes += len(chunk)
        if inflater is not None:
            try:
                chunk = inflater.decompress(chunk, max_bytes + 1 - size)
            except zlib.error as exc:
                raise DownloadError(f"broken gzip body: {exc}") from None
            if inflater.unconsumed_tail:
                size = max_bytes + 1
        size += len(chunk)
        if size > max_bytes:
            raise DownloadError(too_large(max_bytes))
        parts.append(chunk)
    if inflater is not None:
        parts.append(inflater.flush())
        if not inflater.eof:
            raise DownloadError("broken gzip body: it ends before the compressed data does")
        if size + len(parts[-1]) > max_bytes:
            raise DownloadError(too_large(max_bytes))
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
    if isinstance(exc, UnicodeError):
        return f"host name not usable: {exc}"
    return f"{type(exc).__name__}: {exc}".rstrip(": ")
