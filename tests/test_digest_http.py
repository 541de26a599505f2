"""The HTTP client on real loopback servers: deflate (zlib and raw), brotli, and proxies
from the environment (HTTP_PROXY, HTTPS_PROXY, NO_PROXY) through a tiny real proxy."""

from __future__ import annotations

import gzip
import http.server
import select
import socket
import ssl
import threading
import urllib.request
import zlib

import brotli
import pytest

from certificates import make_certificate
from goodwill.digest import http as http_module
from goodwill.digest.http import DownloadError, download

FEED = b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title></channel></rss>' * 50


def raw_deflate(data: bytes) -> bytes:
    packer = zlib.compressobj(wbits=-15)
    return packer.compress(data) + packer.flush()


BODIES = {
    "/deflate-zlib": ("deflate", zlib.compress(FEED)),
    "/deflate-raw": ("deflate", raw_deflate(FEED)),
    "/br": ("br", brotli.compress(FEED)),
    "/gzip": ("gzip", gzip.compress(FEED)),
    "/br-bomb": ("br", brotli.compress(b" " * (20 * 1024 * 1024))),
    "/deflate-bomb": ("deflate", raw_deflate(b" " * (20 * 1024 * 1024))),
    "/br-broken": ("br", brotli.compress(FEED)[:-8]),
    "/deflate-broken": ("deflate", b"\x78\x9c not deflate at all"),
}


class Origin(http.server.BaseHTTPRequestHandler):
    seen: list[str] = []

    def log_message(self, *args):
        pass

    def do_GET(self):
        Origin.seen.append(self.headers.get("Accept-Encoding", ""))
        encoding, body = BODIES.get(self.path, ("", FEED))
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        if encoding:
            self.send_header("Content-Encoding", encoding)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class Proxy(http.server.BaseHTTPRequestHandler):
    """A forwarding proxy for plain http; refuses CONNECT (https) with 403."""

    origin = ""
    requests: list[str] = []

    def log_message(self, *args):
        pass

    def do_GET(self):
        Proxy.requests.append(self.path)  # a proxy is sent the whole URL
        path = "/" + self.path.split("/", 3)[3]
        direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with direct.open(Proxy.origin + path) as answer:
            body = answer.read()
            encoding = answer.headers.get("Content-Encoding")
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        if encoding:
            self.send_header("Content-Encoding", encoding)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    tunnels: dict[str, int] = {}  # host:port the proxy may open -> local port

    def do_CONNECT(self):
        Proxy.requests.append(f"CONNECT {self.path}")
        if self.path not in Proxy.tunnels:
            self.send_response(403, "Forbidden by policy")
            self.end_headers()
            return
        upstream = socket.create_connection(("127.0.0.1", Proxy.tunnels[self.path]))
        self.send_response(200, "Connection established")
        self.end_headers()
        self.wfile.flush()
        ends = [self.connection, upstream]
        try:
            while True:  # pass bytes both ways until one side closes
                ready, _, _ = select.select(ends, [], [], 5)
                if not ready:
                    return
                for end in ready:
                    data = end.recv(65536)
                    if not data:
                        return
                    (upstream if end is self.connection else self.connection).sendall(data)
        finally:
            upstream.close()


def serve(handler) -> tuple[http.server.ThreadingHTTPServer, str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


@pytest.fixture(scope="module")
def origin():
    server, url = serve(Origin)
    yield url
    server.shutdown()


@pytest.fixture
def proxy(origin, monkeypatch):
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    Proxy.origin, Proxy.requests = origin, []
    server, url = serve(Proxy)
    yield url
    server.shutdown()


@pytest.mark.parametrize("path", ["/deflate-zlib", "/deflate-raw", "/br", "/gzip"])
def test_compressed_bodies_are_decoded(origin, path):
    result = download(origin + path, timeout=5)
    assert result.body == FEED
    assert result.wire_bytes == len(BODIES[path][1]) < len(FEED)
    assert Origin.seen[-1] == "gzip, deflate, br"


@pytest.mark.parametrize("path", ["/br-bomb", "/deflate-bomb"])
def test_compression_bombs_stop_at_the_cap(origin, path):
    with pytest.raises(DownloadError) as caught:
        download(origin + path, timeout=5, max_bytes=1024 * 1024)
    assert caught.value.reason == "too large: over the 1 MB cap"


@pytest.mark.parametrize(
    "path, reason",
    [
        ("/br-broken", "broken brotli body: it ends before the compressed data does"),
        ("/deflate-broken", "broken deflate body: Error -3 while decompressing data"),
    ],
)
def test_broken_compressed_bodies_are_errors(origin, path, reason):
    with pytest.raises(DownloadError) as caught:
        download(origin + path, timeout=5)
    assert caught.value.reason.startswith(reason)


def test_http_proxy_from_the_environment(proxy, monkeypatch):
    monkeypatch.setenv("HTTP_PROXY", proxy)
    # The host does not resolve here: only the proxy can reach it.
    result = download("http://feeds.behind-the-proxy.invalid/deflate-raw", timeout=5)
    assert result.body == FEED
    assert Proxy.requests == ["http://feeds.behind-the-proxy.invalid/deflate-raw"]


def test_no_proxy_goes_direct(proxy, origin, monkeypatch):
    monkeypatch.setenv("HTTP_PROXY", proxy)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    assert download(origin + "/gzip", timeout=5).body == FEED
    assert Proxy.requests == []
    monkeypatch.setenv("NO_PROXY", ".behind-the-proxy.invalid")
    with pytest.raises(DownloadError) as caught:
        download("http://feeds.behind-the-proxy.invalid/x", timeout=5)
    assert caught.value.reason.startswith("host not found")


def test_https_proxy_is_asked_to_connect(proxy, monkeypatch):
    monkeypatch.setenv("HTTPS_PROXY", proxy)
    with pytest.raises(DownloadError) as caught:
        download("https://secure.behind-the-proxy.invalid/feed.xml", timeout=5)
    assert Proxy.requests == ["CONNECT secure.behind-the-proxy.invalid:443"]
    assert "proxy" in caught.value.reason.lower() and "403" in caught.value.reason


def test_https_through_the_proxy_tunnel(proxy, monkeypatch, tmp_path):
    host = "secure.behind-the-proxy.invalid"
    certificate = make_certificate(tmp_path, host)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Origin)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*certificate)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    Proxy.tunnels = {f"{host}:443": server.server_address[1]}
    monkeypatch.setenv("HTTPS_PROXY", proxy)
    monkeypatch.setenv("SSL_CERT_FILE", certificate[0])
    monkeypatch.setattr(http_module, "_TLS", None)  # a context that trusts the test certificate
    try:
        result = download(f"https://{host}/br", timeout=5)
    finally:
        server.shutdown()
        Proxy.tunnels = {}
    assert result.body == FEED
    assert Proxy.requests == [f"CONNECT {host}:443"]
