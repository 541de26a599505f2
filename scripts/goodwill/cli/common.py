"""What every command module shares: the project of this run and printing problems."""

from __future__ import annotations

import os
from pathlib import Path

import click

from goodwill.core.dates import parse_date
from goodwill.core.project import Project


def project_root(ctx) -> Path | None:
    project = (ctx.find_root().obj or {}).get("project")
    return project.root if project else None


def print_problems(problems, ctx) -> None:
    """One `path:line: message (hint)` line per problem, on stderr."""
    root = project_root(ctx)
    for problem in problems:
        click.echo(problem.format(root), err=True)


def current_project(ctx) -> Project:
    """The project for this run: `-C DIR`, or the nearest folder with mkdocs.yml."""
    obj = ctx.find_root().ensure_object(dict)
    if "project" not in obj:
        obj["project"] = Project.find(obj.get("start"))
    return obj["project"]


def shown_path(path: Path) -> str:
    """A path as the user would type it from here."""
    return os.path.relpath(path, Path.cwd())


def date_value(ctx, param, value):
    """click callback for a --date option: a date, or a usage error saying why not."""
    if value is None:
        return None
    try:
        return parse_date(value)
    except ValueError as exc:
        raise click.BadParameter(f"{exc} (write it as YYYY-MM-DD)") from None
