"""The send log, content/sent/<issue>.jsonl: who was sent an issue. Never twice, never lost.

One JSON object a line, appended and flushed to disk as each event happens:
`attempt` just before a message goes out (with its Message-ID), then `sent` once the
server has accepted it, `deferred` for a temporary refusal (4xx: tried again next
run) or `failed` for a permanent one (5xx: never tried again). A run killed between
`attempt` and the server's answer leaves an `attempt` alone: the next run sends
that reader the message again with the same Message-ID, which mail systems use to
drop a duplicate. It lives in the project, not in the disposable cache: deleting
it would send the issue to everyone again. It holds addresses, so it is private
(kept out of the site and, by the project's .gitignore, out of git).

An exclusive lock on the log keeps two sends of one issue from running at once.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path

from goodwill.core.errors import GoodwillError
from goodwill.core.outdir import private_dir, private_opener
from goodwill.digest.cache import iso
from goodwill.digest.clock import now_utc
from goodwill.digest.subscribers import address_key

SYNC_SECONDS = 0.5
FINAL = ("sent", "failed")  # a reader with one of these is never sent this issue again


@dataclass(frozen=True)
class LogEntry:
    email: str
    status: str  # attempt, sent, deferred, failed
    at: str
    message_id: str = ""
    code: int | None = None
    detail: str = ""


class SendLog:
    """The log of one issue, opened for appending, locked for this run."""

    def __init__(self, path: Path, entries: dict[str, LogEntry], handle):
        self.path = path
        self.last = entries  # address key -> latest entry
        self._handle = handle
        self._synced = time.monotonic()

    @classmethod
    def open(cls, sent_dir: Path, issue_stem: str) -> SendLog:
        private_dir(sent_dir)
        path = sent_dir / f"{issue_stem}.jsonl"
        handle = open(path, "a+", encoding="utf-8", opener=private_opener)  # noqa: SIM115
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            raise GoodwillError(
                "another `goodwill digest send` of this issue is running",
                path=path,
                hint="wait for it to finish; it keeps its own log",
            ) from None
        try:
            handle.seek(0)
            text = handle.read()
            entries = read_entries(text, path)
            if text and not text.endswith("\n"):  # a killed run's unfinished last line
                whole = text.rpartition("\n")[0] + "\n" if "\n" in text else ""
                handle.flush()
                os.ftruncate(handle.fileno(), len(whole.encode("utf-8")))
        except BaseException:
            handle.close()
            raise
        return cls(path, entries, handle)

    def close(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            self.sync()
        with contextlib.suppress(OSError):
            self._handle.close()

    def __enter__(self) -> SendLog:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def status(self, email: str) -> LogEntry | None:
        return self.last.get(address_key(email))

    def record(self, email: str, status: str, **details) -> LogEntry:
        """Append one event. It is handed to the system at once, so a killed run loses
        nothing; it is forced to the disk at least every SYNC_SECONDS and at the end, so a
        power cut can cost at most the last moment's lines (a second copy for a few)."""
        entry = LogEntry(email, status, iso(now_utc()), **details)
        data = {k: v for k, v in entry.__dict__.items() if v not in ("", None)}
        self._handle.write(json.dumps(data, ensure_ascii=False) + "\n")
        self._handle.flush()
        if time.monotonic() - self._synced >= SYNC_SECONDS:
            self.sync()
        self.last[address_key(email)] = entry
        return entry

    def sync(self) -> None:
        os.fsync(self._handle.fileno())
        self._synced = time.monotonic()


def read_entries(text: str, path: Path) -> dict[str, LogEntry]:
    """The latest entry per reader. A last line cut short by a crash is ignored; any other
    unreadable line is an error (the log is what keeps readers from getting two copies)."""
    entries: dict[str, LogEntry] = {}
    lines = text.split("\n")
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            entry = LogEntry(**data)
        except (ValueError, TypeError):
            if number == len(lines):  # the unfinished last line of a killed run
                continue
            raise GoodwillError(
                "unreadable line in the send log",
                path=path,
                line=number,
                hint="goodwill writes this file; restore it from your backup rather than edit it",
            ) from None
        entries[address_key(entry.email)] = entry
    return entries


def load_log(sent_dir: Path, issue_stem: str) -> dict[str, LogEntry]:
    """The log of an issue, read without locking (for --dry-run); empty if none."""
    path = sent_dir / f"{issue_stem}.jsonl"
    if not path.is_file():
        return {}
    return read_entries(path.read_text(encoding="utf-8"), path)
