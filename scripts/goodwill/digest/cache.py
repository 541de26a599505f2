"""The digest's cache, .goodwill/digest.sqlite: per-feed validators and status, entries seen.

Disposable: deleting it loses nothing that matters, because the committed
issues remember which entries (ids and links) were already sent.

Each feed keeps its own copy of an entry, even one another feed has too: which
copy an issue uses is decided when the issue is written, in feeds.yaml order,
never by which download happened to finish first.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from goodwill.core.errors import GoodwillError
from goodwill.core.lock import FileLock
from goodwill.core.project import Project
from goodwill.digest.entries import Entry
from goodwill.digest.sources import url_key

CACHE_NAME = "digest.sqlite"
FETCH_LOCK = "fetch.lock"
BUSY_SECONDS = 30.0  # how long a reader waits for a writer (another process) to commit
SCHEMA_VERSION = 2
_SCHEMA = """
CREATE TABLE IF NOT EXISTS feeds (
    url TEXT PRIMARY KEY, name TEXT, etag TEXT, last_modified TEXT,
    status TEXT, detail TEXT, http_status INTEGER, moved_to TEXT,
    checked_at TEXT, first_fetched TEXT
);
CREATE TABLE IF NOT EXISTS entries (
    feed_url TEXT NOT NULL, id TEXT NOT NULL, link TEXT, canonical TEXT,
    title TEXT NOT NULL, body TEXT NOT NULL, base_url TEXT,
    published TEXT NOT NULL, first_seen TEXT NOT NULL,
    PRIMARY KEY (feed_url, id)
);
CREATE INDEX IF NOT EXISTS entries_published ON entries(feed_url, published);
"""


def cache_path(project: Project) -> Path:
    return project.state_dir / CACHE_NAME


def fetch_lock(project: Project) -> FileLock:
    """The lock one `digest fetch` holds for its whole run; an error if another has it."""
    project.state_dir.mkdir(parents=True, exist_ok=True)
    lock = FileLock(project.state_dir / FETCH_LOCK)
    if not lock.acquire():
        holder = lock.holder()
        raise GoodwillError(
            "another `goodwill digest fetch` is already running in this project"
            + (f" (process {holder})" if holder else ""),
            hint="wait for it to finish; its entries will be in the cache",
        )
    return lock


@dataclass
class FeedState:
    url: str
    etag: str | None = None
    last_modified: str | None = None


@dataclass
class CachedEntry:
    id: str
    feed_url: str
    link: str | None
    canonical: str | None
    title: str
    body: str  # the feed's raw HTML: sanitize before showing it (sanitize.summarize)
    base_url: str | None  # what relative links in `body` are relative to
    published: dt.datetime
    first_seen: dt.datetime
    baseline: bool  # seen on the feed's first fetch: first_seen says nothing about its age


def iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _parse_iso(text: str) -> dt.datetime:
    return dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)


class Cache:
    """One SQLite connection; use from one thread (the fetch's main thread)."""

    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.db = self._open(path)

    @staticmethod
    def _open(path: Path) -> sqlite3.Connection:
        try:
            db = Cache._connect(path)
            version = db.execute("PRAGMA user_version").fetchone()[0]
        except sqlite3.OperationalError as exc:
            raise GoodwillError(
                f"the digest cache is busy or unreadable: {exc}", path=path
            ) from None
        except sqlite3.DatabaseError:  # not a database any more: it is only a cache
            path.unlink(missing_ok=True)
            db = Cache._connect(path)
            version = 0
        if version != SCHEMA_VERSION:
            # One process sets the schema up; one opening it at the same moment waits,
            # then finds it done (IF NOT EXISTS, and the version checked again inside).
            db.execute("BEGIN IMMEDIATE")
            if db.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
                db.execute("DROP TABLE IF EXISTS feeds")
                db.execute("DROP TABLE IF EXISTS entries")
                for statement in filter(str.strip, _SCHEMA.split(";")):
                    db.execute(statement)
                db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            db.commit()
        return db

    @staticmethod
    def _connect(path: Path) -> sqlite3.Connection:
        db = sqlite3.connect(path, timeout=BUSY_SECONDS)
        # WAL: readers (`digest new`) never wait for a fetch that is writing.
        db.execute("PRAGMA journal_mode=WAL")
        return db

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Cache:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def feed_state(self, url: str) -> FeedState:
        row = self.db.execute(
            "SELECT etag, last_modified FROM feeds WHERE url = ?", (url,)
        ).fetchone()
        return FeedState(url, *row) if row else FeedState(url)

    def adopt_moved(self, url: str, listed: set[str]) -> str | None:
        """A feed whose URL was updated after a permanent redirect takes over what the cache
        knows under its old URL (validators, entries with their first-seen times), so its
        unsent entries stay unsent rather than lost. Returns the old URL, if any."""
        if self.db.execute("SELECT 1 FROM feeds WHERE url = ?", (url,)).fetchone():
            return None
        rows = self.db.execute(
            "SELECT url, moved_to FROM feeds WHERE moved_to IS NOT NULL ORDER BY checked_at DESC"
        ).fetchall()
        key = url_key(url)
        old = next((r[0] for r in rows if url_key(r[1]) == key and r[0] not in listed), None)
        if old is None:
            return None
        self.db.execute("UPDATE feeds SET url = ?, moved_to = NULL WHERE url = ?", (url, old))
        self.db.execute("UPDATE OR IGNORE entries SET feed_url = ? WHERE feed_url = ?", (url, old))
        self.db.execute("DELETE FROM entries WHERE feed_url = ?", (old,))
        return old

    def record_feed(
        self,
        url: str,
        name: str,
        *,
        status: str,
        detail: str = "",
        http_status: int | None = None,
        moved_to: str | None = None,
        validators: tuple[str | None, str | None] | None = None,
        at: dt.datetime,
    ) -> None:
        """Store the outcome of one fetch; validators only change when given (a feed read
        successfully), and the first such fetch is remembered as the feed's baseline."""
        stamp = iso(at)
        self.db.execute(
            """INSERT INTO feeds (url, name, status, detail, http_status, moved_to, checked_at)
               VALUES (?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT(url) DO UPDATE SET name = excluded.name, status = excluded.status,
                 detail = excluded.detail, http_status = excluded.http_status,
                 moved_to = excluded.moved_to, checked_at = excluded.checked_at""",
            (url, name, status, detail, http_status, moved_to, stamp),
        )
        if validators is not None:
            self.db.execute(
                """UPDATE feeds SET etag = ?, last_modified = ?,
                     first_fetched = COALESCE(first_fetched, ?) WHERE url = ?""",
                (*validators, stamp, url),
            )

    def add_entries(self, feed_url: str, entries: list[Entry], seen_at: dt.datetime) -> int:
        """Insert this feed's entries not seen in it before; return how many."""
        stamp = iso(seen_at)
        added = 0
        for entry in entries:
            published = (
                iso(dt.datetime.fromtimestamp(entry.published, dt.UTC))
                if entry.published is not None
                else stamp  # no date in the feed: the time it was first seen
            )
            cursor = self.db.execute(
                """INSERT OR IGNORE INTO entries (feed_url, id, link, canonical, title, body,
                                                  base_url, published, first_seen)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                (
                    feed_url,
                    entry.id,
                    entry.link,
                    entry.canonical,
                    entry.title,
                    entry.body,
                    entry.base_url,
                    published,
                    stamp,
                ),
            )
            added += cursor.rowcount
        return added

    def commit(self) -> None:
        self.db.commit()

    def entries(self, feed_urls: list[str]) -> list[CachedEntry]:
        """Every cached entry of these feeds, newest first."""
        if not feed_urls:
            return []
        marks = ",".join("?" * len(feed_urls))
        rows = self.db.execute(
            f"""SELECT e.id, e.feed_url, e.link, e.canonical, e.title, e.body, e.base_url,
                       e.published, e.first_seen,
                       COALESCE(e.first_seen <= f.first_fetched, 1)
                FROM entries e LEFT JOIN feeds f ON f.url = e.feed_url
                WHERE e.feed_url IN ({marks})
                ORDER BY e.published DESC, e.first_seen DESC, e.feed_url, e.id""",
            feed_urls,
        ).fetchall()
        return [CachedEntry(*r[:7], _parse_iso(r[7]), _parse_iso(r[8]), bool(r[9])) for r in rows]

    def last_checked(self, feed_urls: list[str]) -> dt.datetime | None:
        """When any of these feeds was last fetched (successfully or not), if ever."""
        if not feed_urls:
            return None
        marks = ",".join("?" * len(feed_urls))
        row = self.db.execute(
            f"SELECT MAX(checked_at) FROM feeds WHERE url IN ({marks})", feed_urls
        ).fetchone()
        return _parse_iso(row[0]) if row and row[0] else None

    def feed_names(self, feed_urls: list[str]) -> dict[str, str]:
        """The name each feed was last recorded under (a contact's feed: its own title)."""
        if not feed_urls:
            return {}
        marks = ",".join("?" * len(feed_urls))
        rows = self.db.execute(
            f"SELECT url, name FROM feeds WHERE url IN ({marks})", feed_urls
        ).fetchall()
        return {url: name for url, name in rows if name}
