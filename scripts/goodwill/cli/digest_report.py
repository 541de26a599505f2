"""`goodwill digest fetch` on the terminal: a progress bar while fetching, a status table after.

Every text from a feed or a server (names, reason phrases, addresses, parse errors)
goes into `Text` objects or is escaped: it is never read as rich markup.
"""

from __future__ import annotations

import contextlib
import sys

from rich.console import Console, Group
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from goodwill.digest.fetch import FetchRun

_STYLE = {"new": "green", "no new entries": "", "not modified": "dim", "error": "red"}


@contextlib.contextmanager
def progress_bar(total: int, console: Console | None = None, verb: str = "fetching", describe=None):
    """Yield `advance(item)`; draws a bar (on stderr by default) only on a terminal.
    `describe(item)` names the item done (default: a fetch report's feed)."""
    describe = describe or (lambda report: report.source.name)
    console = console or Console(file=sys.stderr)
    if not console.is_terminal:
        yield lambda report: None
        return
    columns = (
        TextColumn(verb),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.description}"),  # a format string: the value is markup, so escaped
    )
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task("", total=total)
        yield lambda report: progress.update(task, advance=1, description=escape(describe(report)))


def fetch_report(run: FetchRun) -> Group:
    """Each feed's status, then one summary line."""
    table = Table(show_edge=False, pad_edge=False)
    table.add_column("feed", overflow="fold")
    table.add_column("status")
    table.add_column("new", justify="right")
    table.add_column("details", overflow="fold")
    for report in run.reports:
        details = "; ".join([report.detail, *report.warnings]) if report.warnings else report.detail
        table.add_row(
            Text(report.source.name),
            Text(report.status, style=_STYLE.get(report.status, "")),
            Text(str(report.new) if report.new else ""),
            Text(details),
        )
    summary = Text(
        f"{len(run.reports)} feed(s): {run.new_entries} new entries, "
        f"{len(run.failed)} failed, {run.wire_bytes / 1024:.0f} KB in {run.seconds:.1f} s"
    )
    return Group(table, summary)


def print_fetch_report(run: FetchRun) -> None:
    console = Console(file=sys.stdout)
    if not console.is_terminal:
        console = Console(file=sys.stdout, width=160, color_system=None)
    console.print(fetch_report(run))
