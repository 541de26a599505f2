"""The fetch cache in .goodwill/digest.sqlite: feed validators and status, entries seen.

Disposable: deleting it loses nothing that matters, because the committed
issues remember which entries were already sent.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from goodwill.digest.entries import Entry

SCHEMA_VERSION = 1
_SCHEMA = """
CREATE TABLE feeds (
    url TEXT PRIMARY KEY, name TEXT, etag TEXT, last_modified TEXT,
    status TEXT, detail TEXT, http_status INTEGER, moved_to TEXT,
    checked_at TEXT, ok_at TEXT
);
CREATE TABLE entries (
    id TEXT PRIMARY KEY, feed_url TEXT NOT NULL, link TEXT, canonical TEXT,
    title TEXT NOT NULL, summary TEXT NOT NULL, published TEXT NOT NULL, first_seen TEXT NOT NULL
);
CREATE UNIQUE INDEX entries_canonical ON entries(canonical) WHERE canonical IS NOT NULL;
CREATE INDEX entries_feed ON entries(feed_url, published);
"""


@dataclass
class FeedState:
    url: str
    etag: str | None = None
    last_modified: str | None = None
    status: str | None = None
    detail: str | None = None
    checked_at: str | None = None


@dataclass
class CachedEntry:
    id: str
    feed_url: str
    link: str | None
    canonical: str | None
    title: str
    summary: str
    published: dt.datetime
    first_seen: dt.datetime


def iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _parse_iso(text: str) -> dt.datetime:
    return dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.timezone.utc)


class Cache:
    """One SQLite connection; use from one thread (the fetch's main thread)."""

    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.db = self._open(path)

    @staticmethod
    def _open(path: Path) -> sqlite3.Connection:
        try:
            db = sqlite3.connect(path)
            version = db.execute("PRAGMA user_version").fetchone()[0]
        except sqlite3.DatabaseError:  # not a database any more: it is only a cache
            path.unlink(missing_ok=True)
            db = sqlite3.connect(path)
            version = 0
        if version != SCHEMA_VERSION:
            db.executescript("DROP TABLE IF EXISTS feeds; DROP TABLE IF EXISTS entries;")
            db.executescript(_SCHEMA)
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            db.commit()
        return db

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Cache:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def feed_state(self, url: str) -> FeedState:
        row = self.db.execute(
            "SELECT etag, last_modified, status, detail, checked_at FROM feeds WHERE url = ?",
            (url,),
        ).fetchone()
        return FeedState(url, *row) if row else FeedState(url)

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
        """Store the outcome of one fetch; validators only change when given."""
        stamp = iso(at)
        ok = status != "error"
        self.db.execute(
            """INSERT INTO feeds (url, name, status, detail, http_status, moved_to, checked_at,
                                  ok_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT(url) DO UPDATE SET name = excluded.name, status = excluded.status,
                 detail = excluded.detail, http_status = excluded.http_status,
                 moved_to = excluded.moved_to, checked_at = excluded.checked_at,
                 ok_at = COALESCE(excluded.ok_at, feeds.ok_at)""",
            (url, name, status, detail, http_status, moved_to, stamp, stamp if ok else None),
        )
        if validators is not None:
            self.db.execute(
                "UPDATE feeds SET etag = ?, last_modified = ? WHERE url = ?", (*validators, url)
            )

    def add_entries(self, feed_url: str, entries: list[Entry], seen_at: dt.datetime) -> int:
        """Insert entries not seen before (by id and by canonical link); return how many."""
        stamp = iso(seen_at)
        added = 0
        for entry in entries:
            published = (
                iso(dt.datetime.fromtimestamp(entry.published, dt.timezone.utc))
                if entry.published is not None
                else stamp  # no date in the feed: the time it was first seen
            )
            cursor = self.db.execute(
                """INSERT OR IGNORE INTO entries
                   (id, feed_url, link, canonical, title, summary, published, first_seen)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
                (
                    entry.id,
                    feed_url,
                    entry.link,
                    entry.canonical,
                    entry.title,
                    entry.summary,
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
            f"""SELECT id, feed_url, link, canonical, title, summary, published, first_seen
                FROM entries WHERE feed_url IN ({marks})
                ORDER BY published DESC, first_seen DESC, id""",
            feed_urls,
        ).fetchall()
        return [
            CachedEntry(r[0], r[1], r[2], r[3], r[4], r[5], _parse_iso(r[6]), _parse_iso(r[7]))
            for r in rows
        ]

    def feed_rows(self) -> list[dict]:
        cursor = self.db.execute("SELECT * FROM feeds ORDER BY url")
        names = [c[0] for c in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
