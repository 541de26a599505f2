"""The `report` command: reciprocity per contact (registered in cli/main.py)."""

from __future__ import annotations

import os
from pathlib import Path

import click

from goodwill.cli.common import current_project, shown_path
from goodwill.core.dates import today

PIPED_WIDTH = 160  # piped or captured output, unless COLUMNS says otherwise


def report_console(file=None):
    """A rich Console as wide as the terminal; when piped, as wide as COLUMNS says (or
    PIPED_WIDTH), so `goodwill report | less` is not squeezed into 80 columns."""
    from rich.console import Console

    console = Console(highlight=False, file=file)
    if console.is_terminal or os.environ.get("COLUMNS", "").strip().isdigit():
        return console
    return Console(highlight=False, file=file, width=PIPED_WIDTH)


@click.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "markdown"]),
    default="table",
    show_default=True,
    help="Terminal table, or text to export.",
)
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file instead of the terminal (never inside site/).",
)
@click.option(
    "--wide",
    is_flag=True,
    help="Terminal table with every column (ids, last thanked, unthanked, outcomes due).",
)
@click.pass_context
def report(ctx, fmt, output, wide):
    """Reciprocity per contact: referrals each way, value, thanks and what to do next.

    Flags: "thank now" (unthanked after 2 days), "report outcome" (closed, not
    reported back), "give back next" (sent you 2+, received none), "check in"
    (not in touch for letters: check_in_days). Those needing action come first.

    The table fits an 80-column terminal; --wide shows every column.

    \b
    Examples:
      goodwill report
      goodwill report --wide
      goodwill report --format csv --output reciprocity.csv
    """
    from goodwill.core.outdir import PRIVATE_FILE_MODE, private_target, write_atomic
    from goodwill.letters.compose import load_for_letters
    from goodwill.relations.report import (
        build_report,
        report_csv,
        report_markdown,
        rich_table,
        totals,
    )

    project = current_project(ctx)
    hint = "reports are private; give --output a file outside the site, content/ and templates/"
    target = private_target(project, output, "reports", hint) if output else None
    records, settings, _ = load_for_letters(project)
    rows = build_report(records, today(), settings.check_in_days)
    if wide and fmt != "table":
        raise click.UsageError("--wide is for the terminal table (csv has every column)")
    if fmt == "table" and target is None:
        console = report_console()
        table = rich_table(rows, wide=wide)
        if wide:  # every column in full, even past the terminal's edge (less -S scrolls)
            from rich.measure import Measurement

            needed = Measurement.get(console, console.options.update_width(1000), table).maximum
            console.width = max(console.width, needed)
        console.print(table)
        sums = totals(rows)
        console.print(
            f"{sums['contacts']} contacts: {sums['received']} referrals received "
            f"({sums['value_received']:,.0f} won), {sums['given']} given "
            f"({sums['value_given']:,.0f} won); {sums['need_action']} need action."
        )
        return
    text = report_markdown(rows) if fmt == "markdown" else report_csv(rows)
    if target is None:
        click.echo(text, nl=False)
        return
    if fmt == "table":
        raise click.UsageError("--output needs --format csv or markdown")
    write_atomic(target, text.encode("utf-8"), PRIVATE_FILE_MODE)
    click.echo(f"Wrote the report for {len(rows)} contacts to {shown_path(target)}")
