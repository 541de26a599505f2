"""`goodwill check`'s privacy part: where the private files live, and whether git shares them.

A private file tracked by git is harmless in a repository that stays on this
machine, and a leak in one that has a remote: pushing publishes it. So the
warning is about tracked private files in a repository with a remote.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from goodwill.core.errors import Collector, GoodwillError
from goodwill.core.project import PRIVATE_DIR_KEY, Project
from goodwill.core.yamlload import load_yaml_file

GIT_TIMEOUT = 10  # seconds per git command; check must never hang on a sick repository


def check_privacy(project: Project, problems: Collector) -> None:
    """Check `private_dir`, then look for private files tracked by a repository with a remote."""
    if not check_private_dir(project, problems):
        return
    for repo, tracked in tracked_private_files(project).items():
        remotes = _git(repo, "remote")
        if not remotes:
            continue
        remote = remotes.split()[0]
        for rel in tracked[:20]:
            problems.warning(
                repo / rel,
                None,
                f"private file is tracked by git, and this repository has a remote ('{remote}')",
                "pushing publishes it: `git rm --cached` it and add it to .gitignore, or move it "
                f"into a private repository with `{PRIVATE_DIR_KEY}:` in goodwill.yml",
            )
        if len(tracked) > 20:
            problems.warning(repo, None, f"... and {len(tracked) - 20} more private files tracked")


def check_private_dir(project: Project, problems: Collector) -> bool:
    """False when `private_dir` is unusable (an error is recorded): the build stops too,
    as a scan of records it cannot find would find nothing."""
    try:
        folder = project.private_root
    except GoodwillError as exc:
        problems.extend([exc.problem])
        return False
    if folder == project.content_dir:
        return True
    line = _private_dir_line(project)
    content = project.content_dir.resolve()
    if folder == content or content in folder.parents:
        problems.error(
            project.settings_file,
            line,
            f"{PRIVATE_DIR_KEY}: {folder} is inside content/, which is published",
            "choose a folder outside content/, e.g. ../my-network",
        )
        return False
    if not folder.is_dir():
        problems.error(
            project.settings_file,
            line,
            f"{PRIVATE_DIR_KEY}: the folder {folder} does not exist",
            "create it and move records/ and feeds.yaml there, or fix the path",
        )
        return False
    return True


def _private_dir_line(project: Project) -> int | None:
    data = load_yaml_file(project.settings_file)
    return data.line_of(PRIVATE_DIR_KEY) if hasattr(data, "line_of") else None


def tracked_private_files(project: Project) -> dict[Path, list[str]]:
    """Repository root -> private files it tracks (paths relative to that root)."""
    if shutil.which("git") is None:
        return {}
    found: dict[Path, list[str]] = {}
    for path in project.private_paths():
        if not path.exists():
            continue
        folder = path if path.is_dir() else path.parent
        top = _git(folder, "rev-parse", "--show-toplevel")
        if not top:
            continue
        repo = Path(top).resolve()
        listed = _git(repo, "ls-files", "-z", "--", str(path.resolve()))
        names = [name for name in (listed or "").split("\0") if name]
        if names:
            found.setdefault(repo, []).extend(n for n in names if n not in found[repo])
    return found


def _git(folder: Path, *args: str) -> str | None:
    """git's output (stripped), or None when git fails or `folder` is in no repository."""
    try:
        done = subprocess.run(
            ["git", "-C", str(folder), *args],
            capture_output=True,
            text=True,
            timeout=GIT_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.strip() if done.returncode == 0 else None
