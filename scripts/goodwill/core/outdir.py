"""Where private output goes, and writing it safely: never into the site or content,
never outside the chosen folder, never a half-written file."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from slugify import slugify

from goodwill.core.errors import GoodwillError
from goodwill.core.project import Project

MAX_NAME = 80
PRIVATE_DIR_MODE = 0o700  # letters and reports hold names and addresses
PRIVATE_FILE_MODE = 0o600


def private_target(project: Project, target: Path, what: str, hint: str) -> Path:
    """`target` resolved, or an error if it would land in the site, content or templates;
    `hint` says where `what` may go instead (it depends on the command)."""
    target = Path(target).expanduser()
    if not target.is_absolute():
        target = Path.cwd() / target
    target = target.resolve()
    guarded = {
        project.site_dir: "the site output (it is published)",
        project.content_dir: "content/ (it is published)",
        project.templates_dir: "templates/",
        project.state_dir: "goodwill's cache folder .goodwill/",
    }
    for folder, name in guarded.items():
        folder = folder.resolve()
        if target == folder or folder in target.parents:
            raise GoodwillError(
                f"refusing to write {what} into {target}: that is inside {name}",
                hint=hint,
            )
    root = project.root.resolve()
    if target == root or target in root.parents:
        raise GoodwillError(
            f"refusing to write {what} into {target}: it holds the whole project",
            hint=hint,
        )
    return target


def file_name(*parts: str, suffix: str) -> str:
    """A file name made only of safe characters from `parts` (ids, kinds, numbers)."""
    stem = slugify("-".join(parts), max_length=MAX_NAME, word_boundary=False) or "letter"
    return stem + suffix


def inside(folder: Path, name: str) -> Path:
    """folder/name, refusing any name that could lead outside `folder`."""
    if not name or name in (".", "..") or "/" in name or "\\" in name or "\0" in name:
        raise GoodwillError(f"refusing to write {name!r} outside {folder}")
    return folder / name


def private_dir(path: Path) -> None:
    """Make the folder `path` (and its parents), readable by its owner only when new."""
    if path.is_dir():
        return
    path.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR_MODE)
    os.chmod(path, PRIVATE_DIR_MODE)


def private_opener(path, flags: int) -> int:
    """For open(..., opener=): a file readable and writable by its owner only."""
    handle = os.open(path, flags, PRIVATE_FILE_MODE)
    os.fchmod(handle, PRIVATE_FILE_MODE)  # also when it was already there
    return handle


def write_private(path: Path, data: bytes) -> None:
    """Write `path` (not atomically: a file that is cheap to remake), owner-only."""
    with open(path, "wb", opener=private_opener) as stream:
        stream.write(data)


def write_atomic(path: Path, data: bytes, mode: int | None = None) -> None:
    """Replace `path` in one step: a crash leaves either the old file or the new one.

    The file keeps its permissions, or gets `mode` when one is given."""
    with contextlib.suppress(FileNotFoundError):
        mode = mode if mode is not None else path.stat().st_mode & 0o7777
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        if mode is not None:
            os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
