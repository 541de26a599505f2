"""`goodwill digest fetch` against a real HTTP server on 127.0.0.1.

One module-scoped fetch of every kind of feed (good, redirected, failing, slow,
huge, broken) keeps the suite fast; each test then checks one outcome: the
status reported, what is in the cache, and what reaches the next issue.
"""

from __future__ import annotations

import gzip
import http.server
import os
import sqlite3
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from goodwill.cli import main
from goodwill.digest import fetch as fetch_module
from goodwill.scaffold import init_project

TIMEOUT = 1.5
STOP = threading.Event()


def rss(prefix: str, count: int = 3, extra: str = "") -> bytes:
    items = "".join(
        f"<item><title>{prefix} post {i}</title><link>http://blog.test/{prefix}/{i}</link>"
        f"<guid>http://blog.test/{prefix}/{i}</guid>"
        f"<pubDate>Mon, {10 + i:02d} Nov 2026 09:00:00 +0000</pubDate>"
        f"<description>Summary of {prefix} post {i}.</description></item>"
        for i in range(count)
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>{prefix}</title>'
        f"<link>http://blog.test/</link><description>d</description>{items}{extra}"
        "</channel></rss>"
    ).encode()


ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom blog</title><id>urn:atom-blog</id>
<updated>2026-11-12T10:00:00Z</updated><link href="http://atom.test/"/>
<entry><title>Atom entry one</title><id>urn:atom-blog:1</id><link href="/one"/>
<updated>2026-11-12T10:00:00Z</updated><summary>First atom entry.</summary></entry>
<entry><title>Atom entry two</title><id>urn:atom-blog:2</id><link href="/two"/>
<updated>2026-11-11T10:00:00Z</updated><summary>Second atom entry.</summary></entry>
</feed>"""
BROKEN = (
    b'<?xml version="1.0"?><rss version="2.0"><channel><title>Broken</title>'
    b"<item><title>Broken but readable</title><link>http://broken.test/1</link>"
    b"<description>Fish & chips</description></item></channel></rss>"
)


class FeedHandler(http.server.BaseHTTPRequestHandler):
    requests: list[tuple[str, dict]] = []

    def log_message(self, *args):
        pass

    def send(self, status: int, body: bytes = b"", headers: dict | None = None) -> None:
        self.send_response(status)
        headers = {"Content-Type": "application/rss+xml", **(headers or {})}
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):  # noqa: C901 - one route per case
        FeedHandler.requests.append((self.path, dict(self.headers)))
        path = self.path
        if path == "/rss.xml":
            self.send(200, rss("rss"))
        elif path == "/atom.xml":
            self.send(200, ATOM, {"Content-Type": "application/atom+xml"})
        elif path == "/etag.xml":
            if self.headers.get("If-None-Match") == '"v1"':
                self.send(304, headers={"ETag": '"v1"'})
            else:
                self.send(200, rss("etag"), {"ETag": '"v1"'})
        elif path == "/moved.xml":
            self.send(301, headers={"Location": "/new-home.xml"})
        elif path == "/new-home.xml":
            self.send(200, rss("moved"))
        elif path in ("/loop-a", "/loop-b"):
            self.send(302, headers={"Location": "/loop-b" if path == "/loop-a" else "/loop-a"})
        elif path == "/500":
            self.send(500, b"oops", {"Content-Type": "text/plain"})
        elif path == "/404":
            self.send(404, b"not here", {"Content-Type": "text/plain"})
        elif path == "/stall.xml":
            self.send_response(200)
            self.end_headers()
            STOP.wait(10)  # a 10-second stall: the fetch must give up long before
        elif path == "/trickle.xml":
            self.send_response(200)
            self.end_headers()
            try:
                for byte in rss("trickle"):
                    if STOP.wait(0.1):
                        break
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
            except OSError:
                pass  # the client gave up at its deadline, as it should
        elif path == "/gzip.xml":
            self.send(200, gzip.compress(rss("gzip")), {"Content-Encoding": "gzip"})
        elif path == "/huge.xml":  # 20 MB, streamed without a Content-Length
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.end_headers()
            chunk = b"<!-- " + b"x" * (1024 * 1024 - 10) + b" -->\n"
            try:
                self.wfile.write(b'<?xml version="1.0"?>')
                for _ in range(20):
                    self.wfile.write(chunk)
            except OSError:
                pass  # the client gave up at its size cap, as it should
            self.close_connection = True
        elif path == "/page.html":
            self.send(
                200,
                b"<!doctype html><html><body><h1>Welcome</h1></body></html>",
                {"Content-Type": "text/html; charset=utf-8"},
            )
        elif path == "/broken.xml":
            self.send(200, BROKEN)
        elif path == "/empty.xml":
            self.send(200, b"")
        else:
            self.send(404)


CASES = {
    "RSS": "/rss.xml",
    "Atom": "/atom.xml",
    "ETag": "/etag.xml",
    "Moved": "/moved.xml",
    "Loop": "/loop-a",
    "Error500": "/500",
    "Missing": "/404",
    "Stall": "/stall.xml",
    "Trickle": "/trickle.xml",
    "Gzip": "/gzip.xml",
    "Huge": "/huge.xml",
    "Page": "/page.html",
    "Broken": "/broken.xml",
    "Empty": "/empty.xml",
}


class Run:
    """The module's one project and what its fetches produced."""

    def __init__(self, root: Path, base: str):
        self.root = root
        self.base = base
        self.outputs: list = []
        self.seconds: list[float] = []

    def cli(self, *args):
        old = os.getcwd()
        os.chdir(self.root)
        try:
            return CliRunner().invoke(main, list(args), catch_exceptions=False)
        finally:
            os.chdir(old)

    def fetch(self):
        started = time.monotonic()
        result = self.cli("digest", "fetch")
        self.seconds.append(time.monotonic() - started)
        self.outputs.append(result)
        return result

    def line(self, name: str, run: int = 0) -> str:
        for line in self.outputs[run].output.splitlines():
            if line.startswith(name + " "):
                return line
        raise AssertionError(f"no row for {name} in\n{self.outputs[run].output}")

    def db(self):
        return sqlite3.connect(self.root / ".goodwill" / "digest.sqlite")

    def feed_row(self, name: str) -> dict:
        db = self.db()
        db.row_factory = sqlite3.Row
        row = db.execute("SELECT * FROM feeds WHERE url = ?", (self.base + CASES[name],)).fetchone()
        return dict(row)

    def entry_titles(self, name: str) -> list[str]:
        rows = self.db().execute(
            "SELECT title FROM entries WHERE feed_url = ? ORDER BY title",
            (self.base + CASES[name],),
        )
        return [r[0] for r in rows]


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    STOP.clear()
    FeedHandler.requests = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), FeedHandler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    root = init_project(tmp_path_factory.mktemp("fetch") / "project")
    for shipped in (root / "content" / "digest").glob("*.md"):
        shipped.unlink()  # only this module's issue
    lines = [
        f"- name: {name}\n  url: {base}{path}\n  tags: [tests]\n" for name, path in CASES.items()
    ]
    (root / "content" / "feeds.yaml").write_text("".join(lines), encoding="utf-8")
    with (root / "goodwill.yml").open("a", encoding="utf-8") as handle:
        handle.write(f"\ndigest:\n  timeout: {TIMEOUT}\n  concurrency: 16\n")
    parsed: list[str] = []
    real_parse = fetch_module.parse_feed

    def counting_parse(body, url, *args):
        parsed.append(url)
        return real_parse(body, url, *args)

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GOODWILL_TODAY", "2026-11-20")
        patch.setattr(fetch_module, "parse_feed", counting_parse)
        state = Run(root, base)
        state.fetch()
        state.parsed_first = list(parsed)
        parsed.clear()
        state.fetch()
        state.parsed_second = list(parsed)
        state.issue = state.cli("digest", "new", "--since", "2026-01-01")
    yield state
    STOP.set()
    server.shutdown()
    server.server_close()


def test_the_run_succeeds_although_many_feeds_fail(run):
    assert run.outputs[0].exit_code == 0, run.outputs[0].output
    assert "14 feed(s)" in run.outputs[0].output


def test_normal_rss_and_atom_are_read(run):
    assert "new" in run.line("RSS") and " 3 " in run.line("RSS")
    assert run.entry_titles("RSS") == ["rss post 0", "rss post 1", "rss post 2"]
    assert run.entry_titles("Atom") == ["Atom entry one", "Atom entry two"]
    links = {r[0] for r in run.db().execute("SELECT link FROM entries")}
    assert run.base + "/one" in links  # relative links resolved against the feed's address
    assert "no new entries" in run.line("Atom", 1)  # no validators: parsed again, nothing new
    assert run.feed_row("Atom")["status"] == "no new entries"


def test_etag_gives_304_on_the_second_fetch_without_parsing(run):
    assert "new" in run.line("ETag", 0)
    assert "not modified" in run.line("ETag", 1)
    second = [h for p, h in FeedHandler.requests if p == "/etag.xml"][1]
    assert second.get("If-None-Match") == '"v1"'
    assert run.base + "/etag.xml" in run.parsed_first
    assert run.base + "/etag.xml" not in run.parsed_second
    row = run.feed_row("ETag")
    assert (row["etag"], row["status"]) == ('"v1"', "not modified")
    assert len(run.entry_titles("ETag")) == 3  # the entries stay in the cache


def test_every_request_names_goodwill_and_accepts_gzip(run):
    headers = [h for p, h in FeedHandler.requests if p == "/rss.xml"][0]
    assert headers["User-Agent"].startswith("goodwill/")
    assert "gzip" in headers["Accept-Encoding"]


def test_permanent_redirect_is_followed_and_reported(run):
    row = run.line("Moved")
    assert "new" in row and "moved permanently to" in row and "/new-home.xml" in row
    assert run.entry_titles("Moved") == ["moved post 0", "moved post 1", "moved post 2"]
    assert run.feed_row("Moved")["moved_to"] == run.base + "/new-home.xml"


def test_redirect_loop_is_an_error(run):
    assert "error" in run.line("Loop") and "redirect loop" in run.line("Loop")
    assert run.entry_titles("Loop") == []


@pytest.mark.parametrize("name, reason", [("Error500", "HTTP 500"), ("Missing", "HTTP 404")])
def test_http_errors_are_reported(run, name, reason):
    assert "error" in run.line(name) and reason in run.line(name)
    assert run.feed_row(name)["status"] == "error"
    assert run.feed_row(name)["http_status"] == int(reason.split()[1])
    assert run.entry_titles(name) == []


def test_stalled_and_trickling_servers_are_abandoned_on_time(run):
    for name in ("Stall", "Trickle"):
        assert "error" in run.line(name) and f"timed out after {TIMEOUT:g} s" in run.line(name)
        assert run.entry_titles(name) == []
    # Both runs include a stall and a trickle; they overlap with everything else.
    assert max(run.seconds) < TIMEOUT + 2.5, run.seconds


def test_gzip_body_is_decompressed(run):
    assert "new" in run.line("Gzip")
    assert run.entry_titles("Gzip") == ["gzip post 0", "gzip post 1", "gzip post 2"]


def test_huge_body_is_cut_off_at_the_size_cap(run):
    assert "error" in run.line("Huge") and "too large" in run.line("Huge")
    assert run.entry_titles("Huge") == []


def test_html_page_is_not_a_feed(run):
    assert "error" in run.line("Page") and "not a feed" in run.line("Page")
    assert "text/html" in run.feed_row("Page")["detail"]


def test_empty_body_is_an_error(run):
    assert "error" in run.line("Empty") and "empty" in run.line("Empty")


def test_broken_xml_that_still_yields_entries_is_used_with_a_warning(run):
    row = run.line("Broken")
    assert "new" in row and "feed has errors but was read" in row
    assert run.entry_titles("Broken") == ["Broken but readable"]


def test_the_issue_has_the_good_feeds_entries_only(run):
    assert run.issue.exit_code == 0, run.issue.output
    [issue] = (run.root / "content" / "digest").glob("2026-11-20-*.md")
    text = issue.read_text(encoding="utf-8")
    for title in (
        "rss post 0",
        "Atom entry two",
        "etag post 1",
        "moved post 2",
        "gzip post 0",
        "Broken but readable",
    ):
        assert title in text
    for absent in ("trickle post", "Welcome", "loop", "oops"):
        assert absent not in text


def test_all_feeds_failing_exits_1(project_dir, cli):
    (project_dir / "content" / "feeds.yaml").write_text(
        "- name: Nowhere\n  url: http://127.0.0.1:9/feed.xml\n", encoding="utf-8"
    )
    result = cli("digest", "fetch")
    assert result.exit_code == 1
    assert "connection refused" in result.output


def test_local_feeds_work_offline_and_strict_fails_on_a_warning(project_dir, cli):
    result = cli("digest", "fetch", "--strict")
    assert result.exit_code == 0, result.output
    assert "3 feed(s): 10 new entries, 0 failed" in result.output
    (project_dir / "content" / "feeds" / "bad.xml").write_bytes(BROKEN)
    with (project_dir / "content" / "feeds.yaml").open("a", encoding="utf-8") as handle:
        handle.write("- name: Bad\n  url: content/feeds/bad.xml\n")
    assert cli("digest", "fetch").exit_code == 0
    (project_dir / "content" / "feeds" / "bad.xml").write_bytes(BROKEN + b" ")
    assert cli("digest", "fetch", "--strict").exit_code == 1
