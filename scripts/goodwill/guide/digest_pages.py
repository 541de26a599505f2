"""Digest issue pages in the guide: number and date at the top, previous and next at the end.

The committed issue files stay as the user left them; the staged copy gets a small front
matter for MkDocs (title, date, description) and the issue's place in the series.
"""

from __future__ import annotations

import json

from goodwill.core.errors import Collector
from goodwill.core.project import Project
from goodwill.core.public_files import PublicFiles
from goodwill.core.render import render
from goodwill.digest.issues import load_issues
from goodwill.digest.markdown_text import md_text
from goodwill.guide.incremental import StagedFiles


def stage_issue_pages(
    project: Project, files: StagedFiles, problems: Collector, public: PublicFiles
) -> None:
    """Write digest/<issue>.md for every valid, publishable issue, oldest to newest."""
    issues = sorted(load_issues(project, Collector(), public), key=lambda i: (i.number, i.date))
    for index, issue in enumerate(issues):
        previous = issues[index - 1] if index > 0 else None
        following = issues[index + 1] if index + 1 < len(issues) else None
        page = render(
            project.templates_dir,
            "guide/issue.md.j2",
            {
                "issue": issue,
                "title_md": md_text(issue.title),
                "previous": _link(previous),
                "next": _link(following),
                "front_matter": _front_matter(issue),
            },
            subject=f"digest issue {issue.path.name}",
        )
        files.write(f"digest/{issue.path.name}", page)


def _link(issue) -> dict | None:
    if issue is None:
        return None
    return {"number": issue.number, "title_md": md_text(issue.title), "file": issue.path.name}


def _front_matter(issue) -> str:
    lines = [
        f"title: {json.dumps(issue.title, ensure_ascii=False)}",
        f"date: {issue.date.isoformat()}",
        "hide: [navigation]",
        "gw_kind: issue",
        f"gw_issue: {issue.number}",
    ]
    if issue.description:
        lines.append(f"description: {json.dumps(issue.description, ensure_ascii=False)}")
    return "\n".join(lines)
