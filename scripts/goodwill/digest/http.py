"""Download one feed over HTTP(S) with httpx: conditional GET, redirects, gzip/deflate/brotli,
size cap, proxies from the environment, and a hard deadline.

The deadline covers the whole download: resolving the host name (in a helper
thread that is abandoned when time is up, since getaddrinfo cannot be
interrupted), connecting, the TLS handshake, the headers, every redirect hop and
the body. Each step gets only the time that is left, and a watchdog timer shuts
the socket down when it passes, so a server that stalls or trickles one byte at
a time is abandoned on time. Proxies come from HTTP_PROXY / HTTPS_PROXY /
ALL_PROXY and NO_PROXY, as curl and browsers read them.
"""

from __future__ import annotations

import contextlib
import ipaddress
import socket
import ssl
import threading
import time
import urllib.request
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import httpx

from goodwill import __version__
from goodwill.digest.decoding import Oversize, decoder

USER_AGENT = f"goodwill/{__version__} (feed digest; +https://pypi.org/project/goodwill/)"
ACCEPT = (
    "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.1"
)
ACCEPT_ENCODING = "gzip, deflate, br"
MAX_REDIRECTS = 5
CHUNK = 64 * 1024
_REDIRECTS = {301, 302, 303, 307, 308}
_PERMANENT = {301, 308}
_TLS: ssl.SSLContext | None = None  # one context for every download: loading CAs is slow
_TLS_LOCK = threading.Lock()


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

    def timeout(self) -> httpx.Timeout:
        return httpx.Timeout(self.remaining())

    def watch(self, sock: socket.socket | None) -> None:
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
        with httpx.Client(
            verify=_tls(), trust_env=True, follow_redirects=False, http2=False
        ) as client:
            return _follow(
                client, url, etag, last_modified, deadline, max_bytes, user_agent, progress
            )
    except DownloadError as exc:
        if deadline.expired:
            exc.reason = timed_out(timeout)
        exc.args = (exc.reason,)
        exc.wire_bytes = progress.wire_bytes
        exc.http_status = exc.http_status or progress.http_status
        raise
    except (OSError, httpx.HTTPError, ValueError) as exc:
        reason = timed_out(timeout) if deadline.expired or _is_timeout(exc) else _describe(exc)
        raise DownloadError(
            reason, http_status=progress.http_status, wire_bytes=progress.wire_bytes
        ) from None
    finally:
        deadline.cancel()


def _tls() -> ssl.SSLContext:
    global _TLS
    with _TLS_LOCK:
        if _TLS is None:
            _TLS = ssl.create_default_context()
        return _TLS


def _follow(client, url, etag, last_modified, deadline, max_bytes, user_agent, progress):
    chain = [url]
    moved_to = None
    permanent = True
    for _hop in range(MAX_REDIRECTS + 1):
        _check_address(url, deadline)
        headers = {
            "User-Agent": user_agent,
            "Accept": ACCEPT,
            "Accept-Encoding": ACCEPT_ENCODING,
        }
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        request = client.build_request("GET", url, headers=headers, timeout=deadline.timeout())
        response = client.send(request, stream=True)
        try:
            deadline.watch(_socket_of(response))  # the watchdog can shut it from now on
            if deadline.expired:
                raise DownloadError(timed_out(deadline.seconds))
            status = progress.http_status = response.status_code
            if status in _REDIRECTS:
                target = _redirect_target(url, response, status, chain)
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
                raise DownloadError(_status_reason(status, response.reason_phrase))
            body = _read_body(response, deadline, max_bytes, progress)
            return Download(
                url,
                status,
                body,
                etag=response.headers.get("ETag"),
                last_modified=response.headers.get("Last-Modified"),
                content_type=response.headers.get("Content-Type") or "",
                moved_to=moved_to,
                wire_bytes=progress.wire_bytes,
            )
        finally:
            response.close()
    raise DownloadError(f"more than {MAX_REDIRECTS} redirects: " + " -> ".join(chain))


def _redirect_target(url: str, response, status: int, chain: list[str]) -> str:
    location = response.headers.get("Location")
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
    return target


def _socket_of(response) -> socket.socket | None:
    stream = response.extensions.get("network_stream")
    try:
        return stream.get_extra_info("socket") if stream is not None else None
    except Exception:  # noqa: BLE001 - no socket to watch: the read timeouts still hold
        return None


def _check_address(url: str, deadline: _Deadline) -> None:
    """A usable http(s) address whose host resolves within the deadline (unless a proxy
    will connect for us: then the proxy resolves it)."""
    try:
        parts = urlsplit(url)
        host, port = parts.hostname, parts.port
    except ValueError:
        raise DownloadError(f"{url} is not a valid address") from None
    if parts.scheme not in ("http", "https") or not host:
        raise DownloadError(f"not an http(s) address: {url}")
    if _proxied(parts.scheme, host):
        return
    _resolve(host, port or (443 if parts.scheme == "https" else 80), deadline)


def _proxied(scheme: str, host: str) -> bool:
    proxies = urllib.request.getproxies_environment()
    if not (proxies.get(scheme) or proxies.get("all")):
        return False
    return not urllib.request.proxy_bypass_environment(host, proxies)


def _resolve(host: str, port: int, deadline: _Deadline) -> None:
    """getaddrinfo within the deadline: it cannot be interrupted, so it runs in a daemon
    thread that is abandoned (and finishes on its own) when the time is up."""
    try:
        ipaddress.ip_address(host)
    except ValueError:
        pass
    else:  # a literal address: nothing to look up
        return
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


def _read_body(response, deadline: _Deadline, max_bytes: int, progress: _Progress) -> bytes:
    length = response.headers.get("Content-Length")
    if length and length.isdigit() and int(length) > max_bytes:
        raise DownloadError(too_large(max_bytes, int(length)))
    decode = decoder(response.headers.get("Content-Encoding") or "")
    parts: list[bytes] = []
    size = 0
    try:
        for chunk in response.iter_raw(CHUNK):
            deadline.remaining()
            progress.wire_bytes += len(chunk)
            if decode is not None:
                chunk = decode.decode(chunk, max_bytes - size)
            size += len(chunk)
            if size > max_bytes:
                raise DownloadError(too_large(max_bytes))
            parts.append(chunk)
        deadline.remaining()
        if decode is not None:
            parts.append(decode.finish(max_bytes - size))
    except Oversize:
        raise DownloadError(too_large(max_bytes)) from None
    except ValueError as exc:
        raise DownloadError(str(exc)) from None
    return b"".join(parts)


def _status_reason(status: int, reason: str) -> str:
    text = f"HTTP {status} {reason}".strip()
    if status == 410:
        return text + " (the feed is gone: remove it from feeds.yaml)"
    if status == 404:
        return text + " (check the address)"
    return text


def _is_timeout(exc: BaseException) -> bool:
    return isinstance(exc, (httpx.TimeoutException, socket.timeout, TimeoutError))


def _describe(exc: BaseException) -> str:
    cause = exc.__cause__ or exc.__context__
    if isinstance(exc, socket.gaierror):
        return f"host not found ({exc.strerror or exc})"
    if isinstance(exc, httpx.ProxyError):
        return f"the proxy refused: {exc}"
    if isinstance(exc, ssl.SSLError) or isinstance(cause, ssl.SSLError):
        error = exc if isinstance(exc, ssl.SSLError) else cause
        return f"TLS error: {error.reason or error}"
    if isinstance(exc, ConnectionRefusedError) or isinstance(cause, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, httpx.ConnectError) and "refused" in str(exc).lower():
        return "connection refused"
    if isinstance(exc, httpx.ConnectError) and "name" in str(exc).lower():
        return f"host not found ({exc})"
    if isinstance(exc, (httpx.RemoteProtocolError, httpx.ReadError)):
        return "connection closed before the whole body arrived"
    if isinstance(exc, UnicodeError):
        return f"host name not usable: {exc}"
    return f"{type(exc).__name__}: {exc}".rstrip(": ")
