"""Benchmark `goodwill digest fetch`: 200 feeds x 50 entries from a loopback server.

Ten feeds stall past the timeout on their first request (then recover). Prints,
in one run: the wall time and bytes of the first fetch and of the second (the
healthy feeds answer 304), and entries parsed per second by goodwill's parse
(feedparser + normalize + nh3) against feedparser alone, in one process each.

    python bench/digest.py [--feeds 200] [--entries 50] [--stalls 10] [--timeout 10]

Targets: first fetch <= timeout + 5 s; second >= 10x faster; parse overhead <= 20%.
"""

from __future__ import annotations

import argparse
import http.server
import json
import multiprocessing
import os
import tempfile
import threading
import time
from pathlib import Path

LOREM = (
    "Referrals arrive when people trust you to look after the clients they send. "
    "A prompt thank-you, a report on how it went and a real offer to help in return "
    "keep that trust alive long after the first meeting. "
)


def feed_bytes(number: int, entries: int) -> bytes:
    items = []
    for i in range(entries):
        body = "".join(
            f"<p>{LOREM}<a href='/post/{number}/{i}#p{p}'>more</a> <em>{p}</em></p>"
            for p in range(6)
        )
        items.append(
            f"<item><title>Feed {number} post {i}: &lt;b&gt;notes&lt;/b&gt; on referrals</title>"
            f"<link>https://blog{number}.example/post/{i}</link>"
            f"<guid>https://blog{number}.example/post/{i}</guid>"
            f"<pubDate>Mon, {1 + i % 28:02d} Jun 2026 {i % 24:02d}:00:00 +0000</pubDate>"
            f"<category>networking</category>"
            f"<description><![CDATA[<p>{LOREM}{LOREM}</p>]]></description>"
            f"<content:encoded><![CDATA[{body}]]></content:encoded></item>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
        f"<title>Blog {number}</title><link>https://blog{number}.example/</link>"
        f"<description>Feed {number}</description>{''.join(items)}</channel></rss>"
    ).encode()


def serve(port_queue, feeds: int, entries: int, stalls: set[int], stall_seconds: float) -> None:
    """The feed server, in its own process so it does not compete for the fetcher's GIL."""
    bodies = {n: feed_bytes(n, entries) for n in range(feeds)}
    stalled: set[int] = set()
    sent = [0]
    lock = threading.Lock()

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def reply(self, status: int, body: bytes = b"", headers=()) -> None:
            self.send_response(status)
            for name, value in headers:
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            with lock:
                sent[0] += len(body) + 200  # ~200 bytes of status line and headers

        def do_GET(self):
            if self.path.startswith("/stats"):
                body = json.dumps({"sent": sent[0]}).encode()
                if "reset" in self.path:
                    sent[0] = 0
                return self.reply(200, body)
            number = int(self.path.split("/")[-1].split(".")[0])
            if number in stalls and number not in stalled:
                stalled.add(number)  # stall once, past the client's timeout, then recover
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml")
                self.end_headers()
                time.sleep(stall_seconds)
                return
            etag = f'"v{number}"'
            if self.headers.get("If-None-Match") == etag:
                return self.reply(304, headers=[("ETag", etag)])
            self.reply(
                200, bodies[number], [("Content-Type", "application/rss+xml"), ("ETag", etag)]
            )

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    port_queue.put(server.server_address[1])
    server.serve_forever()


def stats(base: str, reset: bool = False) -> int:
    import urllib.request

    with urllib.request.urlopen(f"{base}/stats{'?reset' if reset else ''}", timeout=5) as r:
        return json.loads(r.read())["sent"]


def parse_rates(bodies: list[bytes]) -> tuple[float, float, float, int]:
    """Entries per second in one process: feedparser alone (its defaults, then with goodwill's
    options: no sanitizing or link resolving, which nh3 does), and goodwill's parse_feed."""
    import feedparser

    from goodwill.digest.parse import parse_feed

    started = time.perf_counter()
    count = sum(len(feedparser.parse(body).entries) for body in bodies)
    alone = time.perf_counter() - started
    started = time.perf_counter()
    for body in bodies:
        feedparser.parse(body, sanitize_html=False, resolve_relative_uris=False)
    same_options = time.perf_counter() - started
    started = time.perf_counter()
    ours = sum(
        len(
            parse_feed(
                body, f"https://blog{n}.example/feed.xml", "application/rss+xml", 300, time.time()
            ).entries
        )
        for n, body in enumerate(bodies)
    )
    goodwill_seconds = time.perf_counter() - started
    assert ours == count, (ours, count)
    return count / alone, count / same_options, count / goodwill_seconds, count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--entries", type=int, default=50)
    parser.add_argument("--stalls", type=int, default=10)
    parser.add_argument("--timeout", type=float, default=10.0)
    args = parser.parse_args()

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    from goodwill.digest.fetch import fetch_feeds
    from goodwill.digest.settings import DigestSettings
    from goodwill.digest.sources import Source
    from goodwill.project import Project

    step = max(1, args.feeds // max(args.stalls, 1))
    stalls = set(range(0, args.feeds, step)[: args.stalls])
    ports = multiprocessing.get_context("spawn").Queue()
    server = multiprocessing.get_context("spawn").Process(
        target=serve, args=(ports, args.feeds, args.entries, stalls, args.timeout + 5), daemon=True
    )
    server.start()
    base = f"http://127.0.0.1:{ports.get(timeout=60)}"
    sources = [Source(f"Blog {n}", f"{base}/feed/{n}.xml") for n in range(args.feeds)]
    settings = DigestSettings(timeout=args.timeout)

    with tempfile.TemporaryDirectory() as folder:
        project = Project(Path(folder))
        stats(base, reset=True)
        first = fetch_feeds(project, sources, settings)
        first_bytes = stats(base, reset=True)
        second = fetch_feeds(project, sources, settings)
        second_bytes = stats(base)
    server.terminate()

    def counts(run) -> str:
        kinds: dict[str, int] = {}
        for report in run.reports:
            kinds[report.status] = kinds.get(report.status, 0) + 1
        return ", ".join(f"{v} {k}" for k, v in sorted(kinds.items()))

    entries = sum(r.entries for r in first.reports)
    print(
        f"feeds: {args.feeds} x {args.entries} entries, {len(stalls)} stalling past the "
        f"{args.timeout:g} s timeout; concurrency {settings.concurrency}; "
        f"{os.cpu_count()} cores"
    )
    print(
        f"first fetch:  {first.seconds:6.2f} s  {first_bytes / 1e6:7.2f} MB sent   "
        f"({counts(first)}; {entries} entries parsed)  target <= {args.timeout + 5:g} s"
    )
    print(
        f"second fetch: {second.seconds:6.2f} s  {second_bytes / 1e6:7.2f} MB sent   "
        f"({counts(second)})  {first.seconds / second.seconds:.1f}x faster, target >= 10x"
    )
    bodies = [feed_bytes(n, args.entries) for n in range(args.feeds)]
    alone, same, ours, parsed = parse_rates(bodies)
    print(
        f"parse, one process, {parsed} entries: goodwill (feedparser + normalize + nh3) "
        f"{ours:,.0f} entries/s"
    )
    print(
        f"  vs feedparser alone, defaults:        {alone:,.0f} entries/s, "
        f"overhead {(alone / ours - 1) * 100:+.0f}% (target <= +20%)"
    )
    print(
        f"  vs feedparser alone, goodwill's options: {same:,.0f} entries/s, "
        f"overhead {(same / ours - 1) * 100:+.0f}% (normalize + nh3 on top of the same parse)"
    )


if __name__ == "__main__":
    main()
