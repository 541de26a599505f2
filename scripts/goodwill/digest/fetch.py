"""`goodwill digest fetch`: download every enabled feed, parse, remember new entries.

Downloads run in a bounded thread pool (one connection each); parsing runs in
worker processes when there are many feeds, so both cores work. Only this
module's main thread touches the SQLite cache. One failing feed never fails
the run: its report says why.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import time
from concurrent.futures import (
    FIRST_COMPLETED,
    Executor,
    ProcessPoolExecutor,
    ThreadPoolExecutor,
    wait,
)
from dataclasses import dataclass, field
from pathlib import Path

from goodwill.digest.cache import Cache
from goodwill.digest.clock import now_utc
from goodwill.digest.http import Download, DownloadError, download
from goodwill.digest.parse import ParsedFeed, parse_feed
from goodwill.digest.settings import DigestSettings
from goodwill.digest.sources import Source
from goodwill.project import Project

CACHE_NAME = "digest.sqlite"
GRACE_SECONDS = 1.0  # past the per-feed timeout, the run stops waiting for a stuck download
PROCESS_POOL_MIN_FEEDS = 20  # below this, starting worker processes costs more than it saves


@dataclass
class FeedReport:
    source: Source
    status: str  # "new", "no new entries", "not modified", "error"
    new: int = 0
    entries: int = 0
    detail: str = ""
    warnings: list[str] = field(default_factory=list)
    http_status: int | None = None
    wire_bytes: int = 0

    @property
    def failed(self) -> bool:
        return self.status == "error"


@dataclass
class FetchRun:
    reports: list[FeedReport]
    seconds: float = 0.0

    @property
    def wire_bytes(self) -> int:
        return sum(r.wire_bytes for r in self.reports)

    @property
    def failed(self) -> list[FeedReport]:
        return [r for r in self.reports if r.failed]

    @property
    def all_failed(self) -> bool:
        return bool(self.reports) and len(self.failed) == len(self.reports)

    @property
    def new_entries(self) -> int:
        return sum(r.new for r in self.reports)


def cache_path(project: Project) -> Path:
    return project.state_dir / CACHE_NAME


def fetch_feeds(
    project: Project, sources: list[Source], settings: DigestSettings, on_done=None
) -> FetchRun:
    """Fetch `sources` concurrently; `on_done(report)` is called as each one finishes."""
    began = time.perf_counter()
    now = now_utc()
    reports: dict[str, FeedReport] = {}
    started: dict[str, float] = {}  # when each download began, to enforce its deadline
    downloads = ThreadPoolExecutor(settings.concurrency, thread_name_prefix="feed")
    with Cache(cache_path(project)) as cache:
        states = {source.url: cache.feed_state(source.url) for source in sources}
        # Feeds without validators will almost surely need parsing; 304s will not.
        unvalidated = sum(1 for s in states.values() if not (s.etag or s.last_modified))
        parsers = _parse_executor(settings, unvalidated)
        pending = {}
        for source in sources:
            state = states[source.url]
            future = downloads.submit(
                _download, project.root, source, state.etag, state.last_modified, settings, started
            )
            pending[future] = (source, None)

        def finish(report: FeedReport) -> None:
            reports[report.source.url] = report
            if on_done is not None:
                on_done(report)

        try:
            while pending:
                done, _ = wait(pending, timeout=0.25, return_when=FIRST_COMPLETED)
                for future in done:
                    source, fetched = pending.pop(future)
                    if fetched is None:
                        report, fetched = _after_download(future.result(), source, cache, now)
                        if report is None:  # a body to parse
                            args = (
                                fetched.body,
                                fetched.url,
                                fetched.content_type,
                                settings.summary_chars,
                                now.timestamp(),
                            )
                            pending[parsers.submit(parse_feed, *args)] = (source, fetched)
                            continue
                    else:
                        report = _after_parse(future.result(), fetched, source, cache, now)
                    finish(report)
                for future in _overdue(pending, started, settings.timeout):
                    source, _ = pending.pop(future)
                    finish(
                        _after_download(
                            DownloadError(f"timed out after {settings.timeout:g} s"),
                            source,
                            cache,
                            now,
                        )[0]
                    )
        finally:
            cache.commit()
            downloads.shutdown(wait=False, cancel_futures=True)
            parsers.shutdown(wait=True, cancel_futures=True)
    ordered = [reports[s.url] for s in sources if s.url in reports]
    return FetchRun(ordered, time.perf_counter() - began)


def _parse_executor(settings: DigestSettings, feeds_to_parse: int) -> Executor:
    processes = settings.parse_processes
    if processes == 0:
        cores = os.cpu_count() or 1
        many = feeds_to_parse >= PROCESS_POOL_MIN_FEEDS
        processes = min(cores, 4) if cores > 1 and many else 1
    if processes <= 1:
        return ThreadPoolExecutor(1, thread_name_prefix="parse")
    # spawn, not fork: this process already runs download threads
    return ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("spawn"))


def _overdue(pending: dict, started: dict[str, float], timeout: float) -> list:
    """Downloads still running well past their deadline (e.g. stuck resolving a host name)."""
    limit = time.monotonic() - timeout - GRACE_SECONDS
    return [
        f
        for f, (source, fetched) in pending.items()
        if fetched is None and started.get(source.url, float("inf")) < limit
    ]


def _download(
    root: Path,
    source: Source,
    etag,
    last_modified,
    settings: DigestSettings,
    started: dict[str, float],
):
    """Download one feed in a worker thread; returns a Download or a DownloadError."""
    started[source.url] = time.monotonic()
    try:
        if source.is_remote:
            return download(
                source.url,
                etag=etag,
                last_modified=last_modified,
                timeout=settings.timeout,
                max_bytes=settings.max_bytes,
            )
        return _read_local(source.local_path(root), etag, settings.max_bytes)
    except DownloadError as exc:
        return exc
    except Exception as exc:  # one feed's surprise must not end the run  # noqa: BLE001
        return DownloadError(f"{type(exc).__name__}: {exc}")


def _read_local(path: Path, etag: str | None, max_bytes: int) -> Download:
    try:
        stat = path.stat()
    except OSError:
        raise DownloadError(f"file not found: {path}") from None
    validator = f"file:{stat.st_mtime_ns}:{stat.st_size}"
    if validator == etag:
        return Download(str(path), 304, not_modified=True, etag=etag)
    if stat.st_size > max_bytes:
        raise DownloadError(f"too large: {stat.st_size:,} bytes, over the cap")
    body = path.read_bytes()
    return Download(str(path), 200, body, etag=validator, wire_bytes=0)


def _after_download(result, source: Source, cache: Cache, now: dt.datetime):
    """A finished report for errors and 304s; (None, download) when there is a body to parse."""
    if isinstance(result, DownloadError):
        report = FeedReport(
            source,
            "error",
            detail=result.reason,
            http_status=result.http_status,
            wire_bytes=result.wire_bytes,
        )
        cache.record_feed(
            source.url,
            source.name,
            status="error",
            detail=result.reason,
            http_status=result.http_status,
            at=now,
        )
        return report, None
    report = FeedReport(
        source, "not modified", http_status=result.http_status, wire_bytes=result.wire_bytes
    )
    _note_move(report, result)
    if result.not_modified:
        report.detail = "304 Not Modified" if source.is_remote else "file unchanged"
        cache.record_feed(
            source.url,
            source.name,
            status="not modified",
            http_status=result.http_status,
            moved_to=result.moved_to,
            at=now,
        )
        return report, None
    return None, result


def _after_parse(
    parsed: ParsedFeed, fetched: Download, source: Source, cache: Cache, now: dt.datetime
) -> FeedReport:
    report = FeedReport(
        source, "error", http_status=fetched.http_status, wire_bytes=fetched.wire_bytes
    )
    _note_move(report, fetched)
    if parsed.problem:
        report.detail = parsed.problem
        cache.record_feed(
            source.url,
            source.name,
            status="error",
            detail=parsed.problem,
            http_status=fetched.http_status,
            moved_to=fetched.moved_to,
            at=now,
        )
        return report
    if parsed.warning:
        report.warnings.append(parsed.warning)
    report.entries = len(parsed.entries)
    report.new = cache.add_entries(source.url, parsed.entries, now)
    report.status = "new" if report.new else "no new entries"
    report.detail = f"{report.new} new of {report.entries}"
    cache.record_feed(
        source.url,
        source.name,
        status=report.status,
        detail=report.detail,
        http_status=fetched.http_status,
        moved_to=fetched.moved_to,
        validators=(fetched.etag, fetched.last_modified),
        at=now,
    )
    return report


def _note_move(report: FeedReport, fetched: Download) -> None:
    if fetched.moved_to:
        report.warnings.append(
            f"moved permanently to {fetched.moved_to}: update its url in feeds.yaml"
        )
