"""`goodwill digest fetch`: download every enabled feed, parse, remember new entries.

Downloads run in a bounded pool of daemon threads (one connection each; a
download stuck past its deadline is reported and left behind, and cannot keep
the process alive at exit). Parsing runs in worker processes when there are
many feeds, so both cores work. Only this module's main thread touches the
SQLite cache. One failing feed never fails the run: its report says why.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import queue
import threading
import time
from concurrent.futures import (
    FIRST_COMPLETED,
    CancelledError,
    Executor,
    Future,
    ProcessPoolExecutor,
    ThreadPoolExecutor,
    wait,
)
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from goodwill.core.project import Project
from goodwill.digest.cache import Cache, cache_path, fetch_lock
from goodwill.digest.clock import now_utc
from goodwill.digest.http import Download, DownloadError, download, timed_out, too_large
from goodwill.digest.parse import ParsedFeed, parse_feed
from goodwill.digest.settings import DigestSettings
from goodwill.digest.sources import Source, local_feed_path

GRACE_SECONDS = 1.0  # past the per-feed timeout, the run stops waiting for a stuck download
PROCESS_POOL_MIN_FEEDS = 20  # below this, starting worker processes costs more than it saves
MAX_AUTO_PROCESSES = 4  # parse_processes: 0 uses one process per core, at most this many


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


def fetch_feeds(
    project: Project, sources: list[Source], settings: DigestSettings, on_done=None
) -> FetchRun:
    """Fetch `sources` concurrently; `on_done(report)` is called as each one finishes."""
    began = time.perf_counter()
    with fetch_lock(project):
        return _fetch_locked(project, sources, settings, on_done, began)


def _fetch_locked(project, sources, settings, on_done, began) -> FetchRun:
    now = now_utc()
    reports: dict[str, FeedReport] = {}
    started: dict[str, float] = {}  # when each download began, to enforce its deadline
    downloads = _DaemonThreads(min(settings.concurrency, len(sources)) or 1)
    with Cache(cache_path(project)) as cache:
        listed = {source.url for source in sources}
        for source in sources:
            cache.adopt_moved(source.url, listed)
        states = {source.url: cache.feed_state(source.url) for source in sources}
        # Feeds without validators will almost surely need parsing; 304s will not.
        unvalidated = sum(1 for s in states.values() if not (s.etag or s.last_modified))
        parsers = _Parsers(settings, unvalidated)
        pending: dict[Future, tuple[Source, Download | None]] = {}
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
                        report, fetched = _after_download(_downloaded(future), source, cache, now)
                        if report is None:  # a body to parse
                            args = (
                                fetched.body,
                                fetched.url,
                                fetched.content_type,
                                now.timestamp(),
                                source.url,
                            )
                            pending[parsers.submit(*args)] = (source, fetched)
                            continue
                    else:
                        parsed = parsers.result(future)
                        report = _after_parse(parsed, fetched, source, cache, now)
                    finish(report)
                for future in _overdue(pending, started, settings.timeout):
                    source, _ = pending.pop(future)
                    error = DownloadError(timed_out(settings.timeout))
                    finish(_after_download(error, source, cache, now)[0])
        finally:
            cache.commit()
            downloads.shutdown()
            parsers.shutdown()
    ordered = [reports[s.url] for s in sources if s.url in reports]
    return FetchRun(ordered, time.perf_counter() - began)


class _DaemonThreads:
    """The smallest executor of daemon threads. concurrent.futures' ThreadPoolExecutor joins
    its threads at exit, so one download stuck past its deadline (a host name that never
    resolves, a read that never returns) would keep the finished run from exiting."""

    def __init__(self, workers: int):
        self._jobs: queue.SimpleQueue = queue.SimpleQueue()
        self._closed = False
        for number in range(workers):
            threading.Thread(target=self._work, name=f"feed-{number}", daemon=True).start()
        self._workers = workers

    def submit(self, fn, *args) -> Future:
        future: Future = Future()
        self._jobs.put((future, fn, args))
        return future

    def _work(self) -> None:
        while True:
            job = self._jobs.get()
            if job is None:
                return
            future, fn, args = job
            if self._closed:
                future.cancel()
            if not future.set_running_or_notify_cancel():
                continue
            try:
                future.set_result(fn(*args))
            except BaseException as exc:  # handed to whoever waits on the future
                future.set_exception(exc)

    def shutdown(self) -> None:
        """Cancel what has not started; idle threads end, stuck ones are left behind."""
        self._closed = True
        for _ in range(self._workers):
            self._jobs.put(None)


class _Parsers:
    """Where feeds are parsed: worker processes for many feeds, else this process.

    A worker process that dies (BrokenProcessPool) costs the feeds it was parsing an
    error row each; the rest of the run parses in this process."""

    def __init__(self, settings: DigestSettings, feeds_to_parse: int):
        self.executor = parse_executor(settings, feeds_to_parse)

    def submit(self, *args) -> Future:
        try:
            return self.executor.submit(parse_feed, *args)
        except (BrokenProcessPool, RuntimeError):
            self._fall_back()
            return self.executor.submit(parse_feed, *args)

    def result(self, future: Future) -> ParsedFeed:
        if not future.cancelled() and isinstance(future.exception(), BrokenProcessPool):
            self._fall_back()
        return parse_result(future)

    def _fall_back(self) -> None:
        if isinstance(self.executor, ProcessPoolExecutor):
            self.executor.shutdown(wait=False)  # broken: its pending work has failed already
            self.executor = ThreadPoolExecutor(1, thread_name_prefix="parse")

    def shutdown(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)


def parse_result(future: Future) -> ParsedFeed:
    """The parse's outcome; a crash (of the parser or of its worker process) is a problem
    of that feed, never the end of the run."""
    try:
        return future.result()
    except BrokenProcessPool as exc:
        return ParsedFeed(problem=f"the parser process crashed ({exc})")
    except CancelledError:
        return ParsedFeed(problem="the parse was cancelled")
    except Exception as exc:  # noqa: BLE001 - reported in the feed's row
        return ParsedFeed(problem=f"could not parse the feed: {type(exc).__name__}: {exc}")


def parse_executor(settings: DigestSettings, feeds_to_parse: int) -> Executor:
    processes = settings.parse_processes
    if processes == 0:
        cores = os.cpu_count() or 1
        many = feeds_to_parse >= PROCESS_POOL_MIN_FEEDS
        processes = min(cores, MAX_AUTO_PROCESSES) if cores > 1 and many else 1
    if processes <= 1:
        return ThreadPoolExecutor(1, thread_name_prefix="parse")
    # spawn, not fork: this process already runs download threads
    return ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("spawn"))


def _overdue(pending: dict, started: dict[str, float], timeout: float) -> list:
    """Downloads still running well past their deadline (e.g. a read that never returns)."""
    limit = time.monotonic() - timeout - GRACE_SECONDS
    return [
        f
        for f, (source, fetched) in pending.items()
        if fetched is None and started.get(source.url, float("inf")) < limit
    ]


def _downloaded(future: Future) -> Download | DownloadError:
    try:
        return future.result()
    except Exception as exc:  # noqa: BLE001 - _download catches; defend anyway
        return DownloadError(f"{type(exc).__name__}: {exc}")


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
        path = local_feed_path(root, source.url)
        if path is None:
            return DownloadError(f"{source.url} is outside the project folder")
        return _read_local(path, etag, settings.max_bytes)
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
        raise DownloadError(too_large(max_bytes, stat.st_size))
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
        _record(cache, report, now)
        return report, None
    report = FeedReport(
        source, "not modified", http_status=result.http_status, wire_bytes=result.wire_bytes
    )
    _note_move(report, result)
    if result.not_modified:
        report.detail = "304 Not Modified" if source.is_remote else "file unchanged"
        _record(cache, report, now, moved_to=result.moved_to)
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
        _record(cache, report, now, moved_to=fetched.moved_to)
        return report
    report.warnings.extend(parsed.warnings)
    report.entries = len(parsed.entries)
    report.new = cache.add_entries(source.url, parsed.entries, now)
    report.status = "new" if report.new else "no new entries"
    report.detail = f"{report.new} new of {report.entries}"
    validators = (fetched.etag, fetched.last_modified)
    # A contact's feed is shown in issues by its own title, never by who it belongs to.
    name = (parsed.title or source.name) if source.contact else None
    _record(cache, report, now, moved_to=fetched.moved_to, validators=validators, name=name)
    return report


def _record(
    cache: Cache, report: FeedReport, now: dt.datetime, name: str | None = None, **extra
) -> None:
    """Store the feed's outcome, as reported, in the cache (under `name`, if given)."""
    if name is None and report.source.contact:  # keep the feed title an earlier fetch learned
        name = cache.feed_names([report.source.url]).get(report.source.url)
    cache.record_feed(
        report.source.url,
        name or report.source.name,
        status=report.status,
        detail=report.detail,
        http_status=report.http_status,
        at=now,
        **extra,
    )


def _note_move(report: FeedReport, fetched: Download) -> None:
    if fetched.moved_to:
        report.warnings.append(
            f"moved permanently to {fetched.moved_to}: update its url in feeds.yaml"
        )
