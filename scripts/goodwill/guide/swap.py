"""The build's staging folders, and the switch from the old site to the new one.

Each build works in its own `.goodwill-build-*` folder beside the site, holding a
lock on the `.owner` file inside it; a build that was killed leaves its folder
unlocked, and the next build removes it. On Linux the switch is one
renameat2(RENAME_EXCHANGE): `site/` is never missing, not even for a moment, and
the old site ends up in the build's own folder, removed with it. Elsewhere two
renames do the same with a short gap.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import functools
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from goodwill.core.lock import FileLock

BUILD_PREFIX = ".goodwill-build-"
OWNER_FILE = ".owner"
UNOWNED_GRACE_SECONDS = 60  # a folder with no .owner yet may belong to a build just starting
SWAP_TRIES = 20
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


@contextlib.contextmanager
def build_folder(site_dir: Path) -> Iterator[Path]:
    """A fresh staging folder beside `site_dir`, owned by this build, removed afterwards."""
    parent = site_dir.parent
    remove_stale_folders(site_dir)
    work = Path(tempfile.mkdtemp(prefix=BUILD_PREFIX, dir=parent))
    owner = FileLock(work / OWNER_FILE)
    owner.acquire()
    try:
        yield work
    finally:
        shutil.rmtree(work, ignore_errors=True)
        owner.release()


def remove_stale_folders(site_dir: Path) -> list[Path]:
    """Remove the staging folders (and old sites) beside `site_dir` that no running build
    owns; return them."""
    parent, removed = site_dir.parent, []
    for folder in parent.glob(f"{BUILD_PREFIX}*"):
        if folder.is_dir() and not folder.is_symlink() and _unowned(folder):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    # Old sites that earlier versions parked as .<site>.old-<pid> while swapping.
    for folder in parent.glob(f".{site_dir.name}.old-*"):
        pid = folder.name.rpartition("-")[2]
        if folder.is_dir() and pid.isdigit() and not _running(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


def _unowned(folder: Path) -> bool:
    owner_path = folder / OWNER_FILE
    if not owner_path.exists():
        with contextlib.suppress(OSError):
            return time.time() - folder.stat().st_mtime > UNOWNED_GRACE_SECONDS
        return False
    owner = FileLock(owner_path)
    try:
        if not owner.acquire():
            return False  # a running build holds it
    except OSError:
        return False
    owner.release()
    return True


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def swap_into_place(new_site: Path, site_dir: Path, scratch: Path) -> None:
    """Make `new_site` the site at `site_dir`; the old one moves into `scratch`.

    Safe against another build swapping at the same moment: each try either
    exchanges, moves into a free place, or sees the other build's move and tries again.
    """
    for attempt in range(SWAP_TRIES):
        if not os.path.lexists(site_dir):
            try:
                os.rename(new_site, site_dir)
                return
            except OSError as exc:
                if exc.errno not in (errno.ENOTEMPTY, errno.EEXIST):
                    raise
                continue  # another build got there first: exchange with its site
        try:
            if _exchange(new_site, site_dir):
                return
        except FileNotFoundError:
            continue  # the other build's two-rename switch is half done
        old = scratch / f"old-site-{attempt}"
        try:
            os.replace(site_dir, old)
        except FileNotFoundError:
            continue
        try:
            os.rename(new_site, site_dir)
            return
        except OSError as exc:
            if exc.errno not in (errno.ENOTEMPTY, errno.EEXIST):
                os.replace(old, site_dir)  # put the old site back; the build fails
                raise
    raise OSError(errno.EBUSY, f"could not switch {site_dir}: other builds kept replacing it")


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths in one step; False where the system cannot (then rename instead)."""
    rename = _renameat2()
    if rename is None:
        return False
    if rename(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE):
        code = ctypes.get_errno()
        if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EXDEV):
            return False  # old kernel or a file system without exchange
        raise OSError(code, os.strerror(code), str(second))
    return True


@functools.cache
def _renameat2():
    """libc's renameat2, or None where there is none (not Linux, or glibc before 2.28)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return None
    function.argtypes = [
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_uint,
    ]
    function.restype = ctypes.c_int
    return function
