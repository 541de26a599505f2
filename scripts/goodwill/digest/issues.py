"""The committed digest issues in content/digest/: the archive and the memory of what was sent."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from goodwill.core.dates import DATE_HINT, parse_date
from goodwill.core.errors import Collector, GoodwillError
from goodwill.core.frontmatter import split_front_matter
from goodwill.core.project import Project
from goodwill.core.textfile import read_text

ISSUE_NAME = re.compile(r"^(\d{4}-\d{2}-\d{2})-(\d+)\.md$")
INDEX_NAME = "index.md"


@dataclass
class IssueFile:
    path: Path
    number: int
    date: dt.date
    title: str
    description: str = ""
    entries: list[str] = field(default_factory=list)  # ids of the feed entries it contains
    links: list[str] = field(default_factory=list)  # their canonical links (entries.py)
    articles: list[str] = field(default_factory=list)  # slugs of the guide's articles
    body: str = ""
    created: dt.datetime | None = None  # when `digest new` wrote it (UTC)
    line: int = 1  # of its number in the front matter

    @property
    def written_at(self) -> dt.datetime:
        """When it was written: `created`, else the start of its date (UTC)."""
        if self.created is not None:
            return self.created
        return dt.datetime.combine(self.date, dt.time(0), tzinfo=dt.UTC)


def issue_paths(project: Project) -> list[Path]:
    folder = project.digest_dir
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("*.md") if p.name != INDEX_NAME)


def load_issues(project: Project, problems: Collector) -> list[IssueFile]:
    """Every issue with valid front matter, oldest first; problems go to the collector."""
    issues: list[IssueFile] = []
    numbers: dict[int, IssueFile] = {}
    for path in issue_paths(project):
        try:
            issue = read_issue(path, problems)
        except GoodwillError as exc:
            problems.extend([exc.problem])
            continue
        if issue is None:
            continue
        if issue.number in numbers:
            problems.error(
                path,
                issue.line,
                f"issue number {issue.number} is also used by {numbers[issue.number].path.name}",
                "give each issue its own number",
            )
            continue
        numbers[issue.number] = issue
        issues.append(issue)
    return sorted(issues, key=lambda i: (i.number, i.date))


def read_issue(path: Path, problems: Collector) -> IssueFile | None:
    split = split_front_matter(read_text(path), path)
    meta = split.meta
    named = ISSUE_NAME.match(path.name)
    if meta is None or not isinstance(meta, dict):
        problems.error(
            path,
            1,
            "a digest issue needs front matter (number, date, title, entries)",
            "write issues with `goodwill digest new`",
        )
        return None
    ok = True
    number = meta.get("number", int(named.group(2)) if named else None)
    if isinstance(number, bool) or not isinstance(number, int) or number < 1:
        problems.error(
            path,
            meta.line_of("number"),
            "number: must be a whole number of at least 1",
            f"got {number!r}",
        )
        ok = False
    date_value = meta.get("date", named.group(1) if named else None)
    try:
        date = parse_date(date_value)
    except ValueError as exc:
        problems.error(path, meta.line_of("date"), f"date: {exc}", DATE_HINT)
        ok = False
    title = meta.get("title", f"Digest #{number}")
    if not isinstance(title, str) or not title.strip():
        problems.error(path, meta.line_of("title"), "title: must be non-empty text")
        ok = False
    description = meta.get("description", "")
    if not isinstance(description, str):
        problems.error(path, meta.line_of("description"), "description: must be text")
        ok = False
    created = None
    if meta.get("created") is not None:
        try:
            created = parse_timestamp(meta["created"])
        except ValueError:
            problems.error(
                path,
                meta.line_of("created"),
                f"created: not a UTC time like 2026-11-20T09:30:00Z: {meta['created']!r}",
                "goodwill writes it; restore it from git if it was changed by hand",
            )
            ok = False
    lists = {}
    for key in ("entries", "links", "articles"):
        value = meta.get(key) or []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            problems.error(
                path,
                meta.line_of(key),
                f"{key}: must be a list of text",
                "goodwill writes it; restore it from git if it was changed by hand",
            )
            ok = False
        lists[key] = value
    if not ok:
        return None
    return IssueFile(
        path,
        number,
        date,
        title.strip(),
        description.strip(),
        lists["entries"],
        lists["links"],
        lists["articles"],
        split.body,
        created,
        meta.line_of("number"),
    )


def parse_timestamp(value) -> dt.datetime:
    """An ISO 8601 time with a zone (as `created:` is written), in UTC; ValueError if not."""
    if not isinstance(value, str):
        raise ValueError(value)
    moment = dt.datetime.fromisoformat(value.strip())
    if moment.tzinfo is None:
        raise ValueError(value)
    return moment.astimezone(dt.UTC)
