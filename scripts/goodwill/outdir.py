"""Where private output goes, and writing it safely: never into the site or content,
never outside the chosen folder, never a half-written file."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from slugify import slugify

from goodwill.errors import GoodwillError
from goodwill.project import Project

MAX_NAME = 80


def private_target(project: Project, target: Path, what: str) -> Path:
    """`target` resolved, or an error if it would land in the site, content or templates."""
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
                hint=f"{what} are private; write them to letters/ (the default) or another folder",
            )
    root = project.root.resolve()
    if target == root or target in root.parents:
        raise GoodwillError(
            f"refusing to write {what} into {target}: it holds the whole project",
            hint="choose a folder of their own, such as letters/",
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


def write_atomic(path: Path, data: bytes) -> None:
    """Replace `path` in one step: a crash leaves either the old file or the new one."""
    mode = None
    with contextlib.suppress(FileNotFoundError):
        mode = path.stat().st_mode & 0o7777
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
