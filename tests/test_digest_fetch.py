"""`goodwill digest fetch` against a real HTTP server on 127.0.0.1.

One module-scoped project fetches every kind of feed twice. Most failing
endpoints serve a good feed on the first request and fail on the next (500, 404,
410, stall, trickle, 20 MB, redirect loop, HTML, empty), so each test can check
the status reported, that the cache kept the feed's validators and entries, and
what reached the issue written afterwards. The run parses in worker processes
(`parse_processes: 2`), the path taken when many feeds need parsing.
"""

from __future__ import annotations

import gzip
import http.server
import io
import json
import multiprocessing
import os
import sqlite3
import threading
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path

import pytest
from click.testing import CliRunner
from rich.console import Console

from goodwill.cli.digest_report import fetch_report, progress_bar
from goodwill.cli.main import main
from goodwill.core.errors import Collector
from goodwill.core.project import Project
from goodwill.digest.fetch import (
    GRACE_SECONDS,
    fetch_feeds,
    parse_executor,
    parse_result,
)
from goodwill.digest.settings import DigestSettings, load_digest_settings
from goodwill.digest.sources import load_sources
from goodwill.scaffold import init_project

TIMEOUT = 1.5
CAP = 5 * 1024 * 1024  # the default size cap
STOP = threading.Event()
LAST_MODIFIED = "Wed, 18 Nov 2026 10:00:00 GMT"


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
BAD_ENTRIES = (
    b'<?xml version="1.0"?><rss version="2.0"><channel><title>Bad entries</title>'
    b"<item><title>Bad host entry</title><link>http://[bad/feed</link><guid>urn:bad:1</guid>"
    b"</item><item><title>Bad port entry</title><link>http://blog.test:99999/p</link>"
    b"<guid>urn:bad:2</guid></item><item><title>Good entry</title>"
    b"<link>http://blog.test/good</link></item><item><title>Year zero</title>"
    b"<pubDate>0000-01-01T00:00:00Z</pubDate></item></channel></rss>"
)
HTML_PAGE = b"<!doctype html><html><body><h1>Welcome</h1></body></html>"


class FeedHandler(http.server.BaseHTTPRequestHandler):
    requests: list[tuple[str, dict]] = []
    hits: dict[str, int] = {}
    bomb = b""

    def log_message(self, *args):
        pass

    def send(self, status: int, body: bytes = b"", headers: dict | None = None, reason=None):
        self.send_response(status, reason)
        headers = {"Content-Type": "application/rss+xml", **(headers or {})}
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        FeedHandler.requests.append((self.path, dict(self.headers)))
        path = self.path
        hit = FeedHandler.hits[path] = FeedHandler.hits.get(path, 0) + 1
        name = path.strip("/").split(".")[0]
        if path in SECOND_FAILS and hit == 1:  # a good feed first...
            return self.send(200, rss(name), {"ETag": f'"{name}-v1"'})
        ROUTES[path](self, name)  # ...then the failure

    def not_modified_or(self, body: bytes, header: str, value: str, request_header: str):
        if self.headers.get(request_header) == value:
            self.send(304, headers={header: value})
        else:
            self.send(200, body, {header: value})

    def stall(self, name):
        self.send_response(200)
        self.end_headers()
        STOP.wait(10)  # a 10-second stall: the fetch must give up long before

    def trickle(self, name):
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

    def huge(self, name):  # 20 MB, streamed without a Content-Length
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

    def declared(self, name):  # announces 10 MB, then sends nothing
        self.send_response(200)
        self.send_header("Content-Length", str(10 * 1024 * 1024))
        self.end_headers()
        self.close_connection = True


ROUTES = {
    "/rss.xml": lambda h, n: h.send(200, rss("rss")),
    "/atom.xml": lambda h, n: h.send(200, ATOM, {"Content-Type": "application/atom+xml"}),
    "/etag.xml": lambda h, n: h.not_modified_or(rss("etag"), "ETag", '"v1"', "If-None-Match"),
    "/lastmod.xml": lambda h, n: h.not_modified_or(
        rss("lastmod"), "Last-Modified", LAST_MODIFIED, "If-Modified-Since"
    ),
    "/moved.xml": lambda h, n: h.send(301, headers={"Location": "/new-home.xml"}),
    "/new-home.xml": lambda h, n: h.not_modified_or(
        rss("moved"), "ETag", '"home-v1"', "If-None-Match"
    ),
    "/gone.xml": lambda h, n: h.send(410, b"gone", {"Content-Type": "text/plain"}),
    "/loop.xml": lambda h, n: h.send(302, headers={"Location": "/loop-b.xml"}),
    "/loop-b.xml": lambda h, n: h.send(302, headers={"Location": "/loop.xml"}),
    "/500.xml": lambda h, n: h.send(500, b"oops", {"Content-Type": "text/plain"}),
    "/404.xml": lambda h, n: h.send(404, b"not here", {"Content-Type": "text/plain"}),
    "/stall.xml": FeedHandler.stall,
    "/trickle.xml": FeedHandler.trickle,
    "/huge.xml": FeedHandler.huge,
    "/page.xml": lambda h, n: h.send(200, HTML_PAGE, {"Content-Type": "text/html; charset=utf-8"}),
    "/empty.xml": lambda h, n: h.send(200, b""),
    "/gzip.xml": lambda h, n: h.send(200, gzip.compress(rss("gzip")), {"Content-Encoding": "gzip"}),
    "/broken.xml": lambda h, n: h.send(200, BROKEN),
    "/bad-entries.xml": lambda h, n: h.send(200, BAD_ENTRIES),
    "/bomb.xml": lambda h, n: h.send(200, FeedHandler.bomb, {"Content-Encoding": "gzip"}),
    "/declared.xml": FeedHandler.declared,
    "/truncated.xml": lambda h, n: h.send(
        200, gzip.compress(rss("truncated"))[:-20], {"Content-Encoding": "gzip"}
    ),
    "/markup-reason.xml": lambda h, n: h.send(500, b"", reason="Server [/] error"),
    "/markup-location.xml": lambda h, n: h.send(302, headers={"Location": "ftp://x.test/[/]"}),
    "/markup-parse.xml": lambda h, n: h.send(200, HTML_PAGE, {"Content-Type": "text/[/]html"}),
}
# Good on the first fetch, failing on the second: name -> (path, detail, http_status).
SECOND_FAILS_CASES = {
    "Gone": ("/gone.xml", "HTTP 410 Gone (the feed is gone: remove it from feeds.yaml)", 410),
    "Loop": (
        "/loop.xml",
        "redirect loop: {base}/loop.xml -> {base}/loop-b.xml -> {base}/loop.xml",
        302,
    ),
    "Error500": ("/500.xml", "HTTP 500 Internal Server Error", 500),
    "Missing": ("/404.xml", "HTTP 404 Not Found (check the address)", 404),
    "Stall": ("/stall.xml", f"timed out after {TIMEOUT:g} s", 200),
    "Trickle": ("/trickle.xml", f"timed out after {TIMEOUT:g} s", 200),
    "Huge": ("/huge.xml", "too large: over the 5 MB cap", 200),
    "Page": ("/page.xml", "not a feed (text/html: <unknown>:2:0: syntax error)", 200),
    "Empty": ("/empty.xml", "empty response", 200),
}
SECOND_FAILS = {path for path, _, _ in SECOND_FAILS_CASES.values()}
CASES = {
    "RSS": "/rss.xml",
    "Atom": "/atom.xml",
    "ETag": "/etag.xml",
    "LastMod": "/lastmod.xml",
    "Moved": "/moved.xml",
    **{name: path for name, (path, _, _) in SECOND_FAILS_CASES.items()},
    "Gzip": "/gzip.xml",
    "Broken": "/broken.xml",
    "BadEntries": "/bad-entries.xml",
    "Bomb": "/bomb.xml",
    "Declared": "/declared.xml",
    "Truncated": "/truncated.xml",
    "Tips [/] tricks": "/markup-reason.xml",
    "[bold]Location[/bold]": "/markup-location.xml",
    "Parse [/]": "/markup-parse.xml",
    "NoHost": "http://nonexistent.invalid/feed.xml",
}


class Run:
    """The module's one project and what its two fetches produced."""

    def __init__(self, root: Path, base: str):
        self.root = root
        self.base = base
        self.runs: list = []
        self.tables: list[dict[str, tuple[str, str, str]]] = []

    def url(self, name: str) -> str:
        path = CASES[name]
        return path if path.startswith("http") else self.base + path

    def write_feeds(self, urls: dict[str, str]) -> None:
        lines = [
            f"- name: {json.dumps(name)}\n  url: {url}\n  tags: [tests]\n"
            for name, url in urls.items()
        ]
        (self.root / "content" / "feeds.yaml").write_text("".join(lines), encoding="utf-8")

    def cli(self, *args):
        old = os.getcwd()
        os.chdir(self.root)
        try:
            return CliRunner().invoke(main, list(args), catch_exceptions=False)
        finally:
            os.chdir(old)

    def fetch(self) -> None:
        project = Project(self.root)
        problems = Collector()
        settings = load_digest_settings(project, problems)
        sources = load_sources(project, problems)
        assert problems.errors == []
        run = fetch_feeds(project, sources.enabled, settings)
        self.runs.append(run)
        self.tables.append(table_rows(run))

    def row(self, name: str, fetch: int = 0) -> tuple[str, str, str]:
        """(status, new, details) as the table after fetch number `fetch` shows them."""
        return self.tables[fetch][name]

    def report(self, name: str, fetch: int = 0):
        [report] = [r for r in self.runs[fetch].reports if r.source.name == name]
        return report

    def db(self):
        return sqlite3.connect(self.root / ".goodwill" / "digest.sqlite")

    def feed_row(self, url: str) -> dict:
        db = self.db()
        db.row_factory = sqlite3.Row
        return dict(db.execute("SELECT * FROM feeds WHERE url = ?", (url,)).fetchone())

    def entry_titles(self, url: str) -> list[str]:
        rows = self.db().execute(
            "SELECT title FROM entries WHERE feed_url = ? ORDER BY title", (url,)
        )
        return [r[0] for r in rows]

    @property
    def issue_text(self) -> str:
        [issue] = (self.root / "content" / "digest").glob("2026-11-20-*.md")
        return issue.read_text(encoding="utf-8")

    def requests_for(self, path: str) -> list[dict]:
        return [headers for p, headers in FeedHandler.requests if p == path]


def table_rows(run) -> dict[str, tuple[str, str, str]]:
    """The fetch table as the CLI prints it, split into columns: name -> (status, new, details)."""
    out = io.StringIO()
    Console(file=out, width=400, color_system=None).print(fetch_report(run))
    rows = {}
    for line in out.getvalue().splitlines():
        cells = [cell.strip() for cell in line.split("│")]
        if len(cells) == 4 and cells[0]:
            rows[cells[0]] = tuple(cells[1:])
    return rows


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    STOP.clear()
    FeedHandler.requests = []
    FeedHandler.hits = {}
    FeedHandler.bomb = gzip.compress(b"\0" * 20 * 1024 * 1024, compresslevel=1)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), FeedHandler, False)
    server.daemon_threads = True
    server.request_queue_size = 64  # socketserver's 5 would delay some of 32 connections by 1 s
    server.server_bind()
    server.server_activate()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    root = init_project(tmp_path_factory.mktemp("fetch") / "project")
    for shipped in (root / "content" / "digest").glob("*.md"):
        shipped.unlink()  # only this module's issue
    with (root / "goodwill.yml").open("a", encoding="utf-8") as handle:
        handle.write(f"\ndigest:\n  timeout: {TIMEOUT}\n  concurrency: 32\n  parse_processes: 2\n")
    state = Run(root, base)
    urls = {name: state.url(name) for name in CASES}
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GOODWILL_TODAY", "2026-11-20")
        state.write_feeds(urls)
        state.fetch()
        # The user follows the 301 warning and updates the url before the second fetch.
        state.write_feeds({**urls, "Moved": base + "/new-home.xml"})
        state.fetch()
        state.issue = state.cli("digest", "new", "--since", "2026-01-01")
    yield state
    STOP.set()
    server.shutdown()
    server.server_close()


def test_the_run_goes_on_although_many_feeds_fail(run):
    assert len(run.runs[0].reports) == len(CASES) == len(run.tables[0])
    assert not run.runs[0].all_failed and not run.runs[1].all_failed
    assert len(run.runs[1].failed) == len(SECOND_FAILS_CASES) + 7


def test_normal_rss_and_atom_are_read(run):
    assert run.row("RSS") == ("new", "3", "3 new of 3")
    assert run.entry_titles(run.url("RSS")) == ["rss post 0", "rss post 1", "rss post 2"]
    assert run.entry_titles(run.url("Atom")) == ["Atom entry one", "Atom entry two"]
    links = {r[0] for r in run.db().execute("SELECT link FROM entries")}
    assert run.base + "/one" in links  # relative links resolved against the feed's address
    # No validators: downloaded and parsed again, nothing new.
    assert run.row("Atom", 1) == ("no new entries", "", "0 new of 2")
    assert run.feed_row(run.url("Atom"))["status"] == "no new entries"


@pytest.mark.parametrize(
    "name, header, value",
    [("ETag", "If-None-Match", '"v1"'), ("LastMod", "If-Modified-Since", LAST_MODIFIED)],
)
def test_validators_give_304_on_the_second_fetch_without_parsing(run, name, header, value):
    assert run.row(name, 0) == ("new", "3", "3 new of 3")
    assert run.row(name, 1) == ("not modified", "", "304 Not Modified")
    first, second = run.requests_for(CASES[name])
    assert header not in first and second.get(header) == value
    assert run.report(name, 1).entries == 0  # a 304 is never parsed
    row = run.feed_row(run.url(name))
    assert (row["status"], row["http_status"]) == ("not modified", 304)
    assert value in (row["etag"], row["last_modified"])
    assert len(run.entry_titles(run.url(name))) == 3  # the entries stay in the cache


def test_every_request_names_goodwill_and_accepts_gzip(run):
    headers = run.requests_for("/rss.xml")[0]
    assert headers["User-Agent"].startswith("goodwill/")
    assert "gzip" in headers["Accept-Encoding"]


def test_permanent_redirect_is_reported_and_updating_the_url_keeps_the_entries(run):
    new_home = run.base + "/new-home.xml"
    status, new, details = run.row("Moved", 0)
    assert (status, new) == ("new", "3")
    assert details == (f"3 new of 3; moved permanently to {new_home}: update its url in feeds.yaml")
    # After the url was updated, the cache knows the feed under its new address: its
    # validators (a 304) and its entries, with their first-seen times.
    assert run.row("Moved", 1) == ("not modified", "", "304 Not Modified")
    assert run.requests_for("/new-home.xml")[-1]["If-None-Match"] == '"home-v1"'
    assert run.entry_titles(new_home) == ["moved post 0", "moved post 1", "moved post 2"]
    assert run.entry_titles(run.base + "/moved.xml") == []
    assert "moved post 1" in run.issue_text


@pytest.mark.parametrize("name", list(SECOND_FAILS_CASES))
def test_a_feed_failing_after_a_good_fetch_keeps_its_validators_and_entries(run, name):
    path, detail, http_status = SECOND_FAILS_CASES[name]
    detail = detail.format(base=run.base)
    prefix = path.strip("/").split(".")[0]
    titles = [f"{prefix} post {i}" for i in range(3)]
    assert run.row(name, 0) == ("new", "3", "3 new of 3")
    assert run.row(name, 1) == ("error", "", detail)
    row = run.feed_row(run.url(name))
    assert (row["status"], row["detail"], row["http_status"]) == ("error", detail, http_status)
    assert row["etag"] == f'"{prefix}-v1"'  # the last good validators are kept...
    assert run.requests_for(path)[1]["If-None-Match"] == f'"{prefix}-v1"'
    assert run.entry_titles(run.url(name)) == titles  # ...and so are the entries
    for title in titles:  # which reach the issue
        assert f"[{title}](http://blog.test/{prefix}/" in run.issue_text


def test_stalled_and_trickling_servers_are_abandoned_on_time(run):
    # The second run has a stall and a trickle; they overlap with everything else.
    assert run.runs[1].seconds < TIMEOUT + 2.5, run.runs[1].seconds


def test_huge_body_stops_near_the_cap(run):
    wire = run.report("Huge", 1).wire_bytes
    assert CAP < wire <= CAP + 64 * 1024  # one read past the cap, not 20 MB


@pytest.mark.parametrize(
    "name, detail, most_bytes",
    [
        ("Bomb", "too large: over the 5 MB cap", 256 * 1024),
        ("Declared", "too large: 10,485,760 bytes, over the 5 MB cap", 0),
        ("Truncated", "broken gzip body: it ends before the compressed data does", 1024),
    ],
)
def test_bad_bodies_are_errors(run, name, detail, most_bytes):
    assert run.row(name, 0) == ("error", "", detail)
    assert run.report(name, 0).wire_bytes <= most_bytes
    row = run.feed_row(run.url(name))
    assert (row["status"], row["detail"], row["http_status"]) == ("error", detail, 200)
    assert run.entry_titles(run.url(name)) == []


def test_unknown_host_is_an_error(run):
    status, new, detail = run.row("NoHost", 0)
    assert (status, new) == ("error", "") and detail.startswith("host not found (")
    assert run.feed_row(run.url("NoHost"))["http_status"] is None


def test_gzip_body_is_decompressed(run):
    assert run.row("Gzip") == ("new", "3", "3 new of 3")
    assert run.entry_titles(run.url("Gzip")) == ["gzip post 0", "gzip post 1", "gzip post 2"]


def test_broken_xml_that_still_yields_entries_is_used_with_a_warning(run):
    assert run.row("Broken") == (
        "new",
        "1",
        "1 new of 1; feed has errors but was read: <unknown>:1:179: not well-formed "
        "(invalid token)",
    )
    assert run.entry_titles(run.url("Broken")) == ["Broken but readable"]


def test_entries_with_bad_links_do_not_cost_the_feed(run):
    assert run.row("BadEntries") == (
        "new",
        "3",
        "3 new of 3; skipped 1 entry that could not be read (ValueError: year 0 is out of range)",
    )
    assert "[Good entry](http://blog.test/good)" in run.issue_text
    assert "### Bad host entry" in run.issue_text  # kept, without its unusable link


def test_text_from_feeds_and_servers_is_never_rich_markup(run):
    assert run.row("Tips [/] tricks") == ("error", "", "HTTP 500 Server [/] error")
    assert run.row("[bold]Location[/bold]") == (
        "error",
        "",
        "redirect to a non-http address ftp://x.test/[/]",
    )
    assert run.row("Parse [/]") == (
        "error",
        "",
        "not a feed (text/[/]html: <unknown>:2:0: syntax error)",
    )
    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=100)
    reports = sorted(run.runs[0].reports, key=lambda r: r.source.name == "Tips [/] tricks")
    with progress_bar(len(reports), console) as advance:
        for report in reports:
            advance(report)
    assert "Tips [/] tricks" in out.getvalue()  # the last feed's name, drawn as it is


def test_the_issue_has_the_good_entries_only(run):
    assert run.issue.exit_code == 0, run.issue.output
    for title in ("rss post 0", "Atom entry two", "etag post 1", "lastmod post 2"):
        assert title in run.issue_text
    for title in ("gzip post 0", "Broken but readable", "moved post 2"):
        assert title in run.issue_text
    for absent in ("Welcome", "oops", "truncated post", "[/]"):
        assert absent not in run.issue_text


def test_parsing_in_worker_processes_or_in_this_one():
    pool = parse_executor(DigestSettings(parse_processes=2), 3)
    one = parse_executor(DigestSettings(parse_processes=1), 500)
    assert isinstance(pool, ProcessPoolExecutor) and isinstance(one, ThreadPoolExecutor)
    pool.shutdown()
    one.shutdown()


def test_a_crashed_parser_process_is_one_feeds_error():
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        crashed = pool.submit(os._exit, 1)  # the worker dies, as a segfault would kill it
        parsed = parse_result(crashed)
    assert parsed.entries == [] and parsed.problem.startswith("the parser process crashed")


def test_a_download_stuck_past_the_deadline_is_given_up(project_dir):
    fifo = project_dir / "content" / "feeds" / "stuck.xml"
    os.mkfifo(fifo)  # opening it for reading blocks until a writer comes: it never does
    (project_dir / "content" / "feeds.yaml").write_text(
        "- name: Stuck\n  url: content/feeds/stuck.xml\n"
        "- name: Journal\n  url: content/feeds/thank-you-journal.xml\n",
        encoding="utf-8",
    )
    project = Project(project_dir)
    sources = load_sources(project, Collector()).enabled
    try:
        run = fetch_feeds(project, sources, DigestSettings(timeout=0.3))
    finally:
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))  # let the stuck thread finish
    stuck, journal = run.reports
    assert (stuck.status, stuck.detail) == ("error", "timed out after 0.3 s")
    assert journal.status == "new"
    assert run.seconds < 0.3 + GRACE_SECONDS + 1.0


def test_a_local_file_over_the_cap_names_the_cap(project_dir, cli):
    with (project_dir / "goodwill.yml").open("a", encoding="utf-8") as handle:
        handle.write("\ndigest:\n  max_mb: 0.01\n")
    (project_dir / "content" / "feeds" / "big.xml").write_bytes(rss("big", 100))
    (project_dir / "content" / "feeds.yaml").write_text(
        "- name: Big\n  url: content/feeds/big.xml\n", encoding="utf-8"
    )
    result = cli("digest", "fetch")
    size = len(rss("big", 100))
    assert f"too large: {size:,} bytes, over the 0.01 MB cap" in result.output


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
        handle.write('- name: "Tips [/] tricks"\n  url: content/feeds/bad.xml\n')
    result = cli("digest", "fetch")
    assert result.exit_code == 0
    assert "Tips [/] tricks" in result.output  # printed as text, not read as markup
    (project_dir / "content" / "feeds" / "bad.xml").write_bytes(BROKEN + b" ")
    assert cli("digest", "fetch", "--strict").exit_code == 1
