"""Advisory file locks: which run owns a folder or a job, released when the process dies.

A lock held with flock goes away with its process, even one killed with SIGKILL,
so "nobody holds the lock" reliably means "no running goodwill owns this".
Without fcntl (Windows) locks always succeed: one run at a time is then the user's job.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - not on Linux or macOS
    fcntl = None


class FileLock:
    """An exclusive lock on `path` (created if missing), held until release()."""

    def __init__(self, path: Path):
        self.path = path
        self._handle: int | None = None

    def acquire(self, wait: bool = False) -> bool:
        """Take the lock; False when another process holds it (and `wait` is false)."""
        handle = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        if fcntl is not None:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
            except BlockingIOError:
                os.close(handle)
                return False
        self._handle = handle
        os.ftruncate(handle, 0)
        os.write(handle, f"{os.getpid()}\n".encode())
        return True

    def holder(self) -> int | None:
        """The pid written by whoever holds (or last held) the lock, if readable."""
        with contextlib.suppress(OSError, ValueError):
            return int(self.path.read_text(encoding="ascii").strip())
        return None

    def release(self) -> None:
        if self._handle is not None:
            os.close(self._handle)  # closing drops the flock
            self._handle = None

    def __enter__(self) -> FileLock:
        return self

    def __exit__(self, *exc) -> None:
        self.release()
