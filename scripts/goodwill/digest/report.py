"""The fetch run on the terminal: a progress bar while fetching, a status table after."""

from __future__ import annotations

import contextlib
import sys

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from goodwill.digest.fetch import FetchRun

_STYLE = {"new": "green", "no new entries": "", "not modified": "dim", "error": "red"}


@contextlib.contextmanager
def progress_bar(total: int):
    """Yield `advance(report)`; draws a bar on stderr only when it is a terminal."""
    console = Console(file=sys.stderr)
    if not console.is_terminal:
        yield lambda report: None
        return
    columns = (
        TextColumn("fetching"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.description}"),
    )
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task("", total=total)
        yield lambda report: progress.update(task, advance=1, description=report.source.name)


def print_fetch_table(run: FetchRun) -> None:
    """Each feed's status, then one summary line (and the warnings)."""
    console = Console(file=sys.stdout)
    if not console.is_terminal:
        console = Console(file=sys.stdout, width=160, color_system=None)
    table = Table(show_edge=False, pad_edge=False)
    table.add_column("feed", overflow="fold")
    table.add_column("status")
    table.add_column("new", justify="right")
    table.add_column("details", overflow="fold")
    for report in run.reports:
        style = _STYLE.get(report.status, "")
        details = "; ".join([report.detail, *report.warnings]) if report.warnings else report.detail
        table.add_row(
            report.source.name,
            f"[{style}]{report.status}[/]" if style else report.status,
            str(report.new) if report.new else "",
            details,
        )
    console.print(table)
    console.print(
        f"{len(run.reports)} feed(s): {run.new_entries} new entries, "
        f"{len(run.failed)} failed, {run.wire_bytes / 1024:.0f} KB in {run.seconds:.1f} s",
        highlight=False,
    )
