"""Dates for pasted posts (no `date:` in front matter) that stay the same in every clone.

In a git repository an undated article is dated by the commit that first added it (one
`git log` for all of them). Otherwise the first build pins today's date in
content/dates.yaml, a file the user sees and commits; later builds read it back.
The file's modification time is never used: every clone or checkout resets it.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from goodwill.core.dates import DATE_HINT, parse_date, today
from goodwill.core.errors import Collector, GoodwillError
from goodwill.core.outdir import write_atomic
from goodwill.core.yamlload import load_yaml_file

PINS_NAME = "dates.yaml"
PINS_HEADER = (
    "# Dates goodwill pinned for articles without a `date:` in their front matter, so they\n"
    "# keep their place on the home page and in the feeds. Commit this file; edit a date\n"
    "# here, or move it into the article's front matter.\n"
)
GIT_TIMEOUT = 30


def resolve_dates(articles: list, content_dir: Path, problems: Collector, *, pin: bool) -> None:
    """Give every undated article its lasting date, and warn what was guessed.

    `pin` writes new pins into content/dates.yaml (build, serve); without it (check)
    the warning only says what the next build will do.
    """
    undated = [a for a in articles if a.date_guessed]
    if not undated:
        return
    pins_path = content_dir / PINS_NAME
    pins = _read_pins(pins_path, problems)
    from_git = first_added_dates(content_dir, [a.path for a in undated])
    new_pins: dict[str, str] = {}
    for article in undated:
        key = article.path.relative_to(content_dir).as_posix()
        if article.path in from_git:
            article.date = from_git[article.path]
            note = f"date {article.date} from the commit that first added the file"
        elif key in pins:
            article.date = pins[key]
            note = f"date {article.date} from {PINS_NAME}"
        else:
            article.date = today()
            new_pins[key] = article.date.isoformat()
            if pin:
                note = f"date {article.date} (today), pinned in content/{PINS_NAME}: commit it"
            else:
                note = f"date {article.date} (today), to be pinned in content/{PINS_NAME}"
        _warn(article, problems, note)
    if pin and new_pins:
        _append_pins(pins_path, new_pins)


def _warn(article, problems: Collector, date_note: str) -> None:
    what = "front matter incomplete" if article.has_front_matter else "no front matter"
    problems.warning(
        article.path,
        1,
        f"{what}: guessed " + " and ".join([*article.guessed, date_note]),
        "add `title:` and `date:` front matter to set them",
    )


def first_added_dates(content_dir: Path, paths: list[Path]) -> dict[Path, object]:
    """path -> date of the commit that first added it, for files git knows; {} outside git."""
    folder = content_dir
    try:
        run = subprocess.run(
            [
                "git",
                "-c",
                "core.quotePath=false",
                "log",
                "--no-renames",
                "--diff-filter=A",
                "--relative",
                "--name-only",
                "--format=%x00%as",
                "--",
                ".",
            ],
            cwd=folder,
            capture_output=True,
            text=True,
            timeout=GIT_TIMEOUT,
        )
    except (OSError, subprocess.TimeoutExpired):
        return {}
    if run.returncode != 0:  # not a repository, or no commits yet
        return {}
    wanted = {p.resolve(): p for p in paths}
    found: dict[Path, object] = {}
    day = None
    for line in run.stdout.splitlines():
        if line.startswith("\0"):
            day = parse_date(line[1:])
        elif line and day is not None:
            path = wanted.get((folder / line).resolve())
            if path is not None:
                found[path] = day  # newest first: the last one seen is the first add
    return found


def _read_pins(path: Path, problems: Collector) -> dict:
    if not path.is_file():
        return {}
    try:
        data = load_yaml_file(path)
    except GoodwillError as exc:
        problems.extend([exc.problem])
        return {}
    if data is None:
        return {}
    if not isinstance(data, dict):
        problems.error(path, 1, "must be `articles/<file>.md: YYYY-MM-DD` lines")
        return {}
    pins = {}
    for key, value in data.items():
        try:
            pins[str(key)] = parse_date(value)
        except ValueError as exc:
            problems.error(path, data.line_of(key), f"{key}: {exc}", DATE_HINT)
    return pins


def _append_pins(path: Path, pins: dict[str, str]) -> None:
    """Add lines at the end, so the user's comments and order stay as they are."""
    old = path.read_text(encoding="utf-8") if path.is_file() else PINS_HEADER
    if old and not old.endswith("\n"):
        old += "\n"
    added = "".join(f"{json.dumps(key, ensure_ascii=False)}: {day}\n" for key, day in pins.items())
    write_atomic(path, (old + added).encode("utf-8"))
