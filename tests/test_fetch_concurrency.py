"""Two `goodwill digest fetch` at once, in real subprocesses against a slow feed on
127.0.0.1: both succeed, or the second says in one line that the first is running."""

from __future__ import annotations

import http.server
import os
import shutil
import sqlite3
import subprocess
import sys
import threading
import time

import pytest

from goodwill.digest.cache import Cache

FEED = (
    b'<?xml version="1.0"?><rss version="2.0"><channel><title>Slow</title>'
    b"<link>https://slow.test/</link><description>d</description>"
    b"<item><title>Slow post</title><link>https://slow.test/1</link>"
    b"<guid>https://slow.test/1</guid><pubDate>Wed, 18 Nov 2026 09:00:00 +0000</pubDate>"
    b"<description>Text.</description></item></channel></rss>"
)


class _SlowFeed(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        time.sleep(1.0)  # the first fetch is still at work when the second starts
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("Content-Length", str(len(FEED)))
        self.end_headers()
        self.wfile.write(FEED)

    def log_message(self, *args):
        pass


@pytest.fixture
def slow_feed_project(project_dir):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _SlowFeed)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/feed.xml"
    feeds = project_dir / "content" / "feeds.yaml"
    feeds.write_text(
        feeds.read_text(encoding="utf-8") + f"\n- name: Slow\n  url: {url}\n", encoding="utf-8"
    )
    yield project_dir
    server.shutdown()
    server.server_close()


def _fetch(project):
    return subprocess.Popen(
        [sys.executable, "-m", "goodwill", "digest", "fetch"],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    )


def test_two_fetches_at_once(slow_feed_project):
    project = slow_feed_project
    for _ in range(5):
        shutil.rmtree(project / ".goodwill", ignore_errors=True)  # a fresh cache each time
        runs = [_fetch(project), _fetch(project)]
        outputs = [p.communicate(timeout=120) for p in runs]
        results = [(p.returncode, *output) for p, output in zip(runs, outputs, strict=True)]
        for code, _out, err in results:
            assert "Traceback" not in err, err
            if code != 0:
                lines = err.strip().splitlines()
                assert len(lines) == 1, err
                assert "another `goodwill digest fetch` is already running" in lines[0]
        assert any(code == 0 for code, _, _ in results), results
        with sqlite3.connect(project / ".goodwill" / "digest.sqlite") as db:
            titles = {row[0] for row in db.execute("SELECT title FROM entries")}
        assert "Slow post" in titles


OPEN_CACHE = """
import sys
from pathlib import Path
from goodwill.digest.cache import Cache
with Cache(Path(sys.argv[1])) as cache:
    cache.db.execute("SELECT COUNT(*) FROM feeds").fetchone()
print("ok")
"""


def test_a_fresh_cache_opened_by_many_processes_at_once(tmp_path):
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    for attempt in range(5):
        path = tmp_path / f"try-{attempt}" / "digest.sqlite"
        path.parent.mkdir()
        runs = [
            subprocess.Popen(
                [sys.executable, "-c", OPEN_CACHE, str(path)],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                env=env,
            )
            for _ in range(6)
        ]
        for run in runs:
            out, err = run.communicate(timeout=60)
            assert run.returncode == 0 and out.strip() == "ok", err[-1500:]
    with Cache(path) as cache:
        assert cache.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
