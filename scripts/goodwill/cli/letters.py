"""The `letters` and `thank` commands (registered on the main group in cli/main.py)."""

from __future__ import annotations

from pathlib import Path

import click
from click.core import ParameterSource

from goodwill.cli.common import current_project, date_value, print_problems, shown_path
from goodwill.cli.letters_plan import echo_planned_letters, kind_lines, labels_summary
from goodwill.core.dates import today

PROGRESS_MIN_LETTERS = 20  # a bar for a handful of letters is only noise
KIND_CHOICES = ("thank-you", "outcome", "check-in", "all")
SELECTION_OPTIONS = (
    "kinds",
    "contact",
    "since",
    "include_done",
    "limit",
    "page_size",
    "label_start",
)


@click.command()
@click.option(
    "--kind",
    "kinds",
    multiple=True,
    type=click.Choice(KIND_CHOICES),
    help="Which letters: thank-you (default), outcome, check-in, or all. Repeatable.",
)
@click.option("--contact", metavar="ID", help="Only letters to this contact.")
@click.option(
    "--since",
    metavar="DATE",
    callback=date_value,
    help="Only referrals dated on or after DATE (YYYY-MM-DD).",
)
@click.option(
    "--all",
    "include_done",
    is_flag=True,
    help="Also referrals already thanked / reported (to print again).",
)
@click.option(
    "--limit",
    type=click.IntRange(min=1),
    metavar="N",
    help="At most N letters, the most overdue first.",
)
@click.option(
    "--page-size",
    type=click.Choice(["a4", "letter", "a5"]),
    help="Paper size (default: letters: page_size in goodwill.yml, else a4).",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Output folder (default: letters/). Never inside site/ or content/.",
)
@click.option(
    "--label-start",
    type=click.IntRange(min=1),
    default=1,
    metavar="N",
    help="Start on label N of a part-used sheet (counted along the rows from the top left).",
)
@click.option(
    "--mark-sent",
    is_flag=True,
    help="Record today as the date the letters in --out/index.csv were sent.",
)
@click.option(
    "--dry-run",
    is_flag=True,
    help="List the letters and files that would be written (or marked); change nothing.",
)
@click.pass_context
def letters(
    ctx,
    kinds,
    contact,
    since,
    include_done,
    limit,
    page_size,
    out_dir,
    label_start,
    mark_sent,
    dry_run,
):
    """Write printable letters for your referrals, with envelopes and labels.

    By default, one thank-you letter for every referral received and not yet
    thanked. Writes letters.pdf (one letter a page), an HTML preview of each,
    envelopes.pdf, labels.pdf and index.csv into letters/. Nothing is marked as
    sent until you say so with --mark-sent.

    \b
    Examples:
      goodwill letters
      goodwill letters --kind outcome --kind check-in --page-size letter
      goodwill letters --dry-run --label-start 8
      goodwill letters --mark-sent      # after printing and posting them
    """
    project = current_project(ctx)
    if mark_sent:
        given = [
            param.opts[0]
            for param in ctx.command.params
            if param.name in SELECTION_OPTIONS
            and ctx.get_parameter_source(param.name) is ParameterSource.COMMANDLINE
        ]
        if given:
            raise click.UsageError(
                "--mark-sent marks the letters listed in the output folder's index.csv; "
                f"it takes no selection options (got {given[0]})"
            )
        from goodwill.letters.marking import mark_letters_sent

        result = mark_letters_sent(project, out_dir, today(), dry_run=dry_run)
        _echo_marked(result, "letters --mark-sent")
        return

    from goodwill.letters.compose import KINDS, Selection
    from goodwill.letters.letter_set import write_letter_set

    chosen = KINDS if "all" in kinds else tuple(dict.fromkeys(kinds)) or ("thank-you",)
    selection = Selection(chosen, contact, since, include_done, limit)
    with _Progress() as progress:
        result = write_letter_set(
            project,
            selection,
            page_size=page_size,
            out_dir=out_dir,
            progress=progress,
            label_start=label_start,
            dry_run=dry_run,
        )
    if dry_run:
        echo_planned_letters(ctx, result, selection)
        return
    _echo_letters(ctx, result, selection)


@click.command()
@click.argument("ids", nargs=-1, required=True, metavar="ID...")
@click.option(
    "--outcome",
    is_flag=True,
    help="Record that you reported the outcome (outcome_reported), not the thanks.",
)
@click.option(
    "--date",
    "day",
    metavar="DATE",
    callback=date_value,
    help="The day you sent it (default: today).",
)
@click.option("--dry-run", is_flag=True, help="Show the dates that would be written; write none.")
@click.pass_context
def thank(ctx, ids, outcome, day, dry_run):
    """Record that you thanked the referrer of each referral ID (writes `thanked:`).

    Edits content/records in place, keeping every comment and blank line.

    \b
    Examples:
      goodwill thank 2026-11-02-acme
      goodwill thank 2026-09-02-greenway --outcome --date 2026-11-19
      goodwill thank 2026-11-02-acme --dry-run
    """
    from goodwill.relations.marking import thank as mark

    unique = list(dict.fromkeys(ids))
    result = mark(current_project(ctx), unique, day or today(), outcome=outcome, dry_run=dry_run)
    _echo_marked(result, "thank")


class _Progress:
    """rich progress bar on stderr, only on a terminal and only for long runs."""

    def __init__(self, console=None) -> None:
        from rich.console import Console

        self.console = console or Console(stderr=True)
        self.bar = None
        self.task = None

    def stage(self, description: str, total: int) -> None:
        if not self.console.is_terminal or total < PROGRESS_MIN_LETTERS:
            if self.task is not None:
                self.bar.update(self.task, visible=False)
                self.task = None
            return
        if self.bar is None:
            from rich.progress import Progress

            self.bar = Progress(console=self.console, transient=True)
            self.bar.start()
        if self.task is not None:
            self.bar.update(self.task, visible=False)
        self.task = self.bar.add_task(description, total=total)

    def advance(self, amount: int = 1) -> None:
        if self.task is not None:
            self.bar.advance(self.task, amount)

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.bar.stop()


def _echo_letters(ctx, result, selection) -> None:
    print_problems(result.warnings, ctx)
    if not result.letters:
        what = " or ".join(selection.kinds)
        click.echo(f"No {what} letters are due; nothing was written.")
        if result.removed:
            files = [name for name in result.removed if "/" not in name]
            previews = len(result.removed) - len(files)
            listed = ", ".join(files + ([f"{previews} preview(s)"] if previews else []))
            click.echo(
                f"Removed the previous letter set from {shown_path(result.out_dir)}/ "
                f"({listed}), so no old letters are printed by mistake."
            )
        if not selection.include_done:
            click.echo("Use --all to print letters again for referrals already marked as sent.")
        return
    out = shown_path(result.out_dir)
    total = len(result.letters)
    click.echo(f"Wrote {total} letter(s) to {out}/ ({result.page_size.upper()}, one per page):")
    for line in kind_lines(result):
        click.echo(line)
    files = result.files
    click.echo(f"  {shown_path(files['letters'])}: print it and sign each letter by hand")
    people = result.recipients  # one envelope and one label per person with an address
    if "envelopes" in files:
        click.echo(
            f"  {shown_path(files['envelopes'])}: {people} {result.envelope.name} envelope(s)"
        )
    if "labels" in files:
        click.echo(f"  {shown_path(files['labels'])}: {labels_summary(result)}")
    click.echo(f"  {shown_path(files['previews'])}/: an HTML preview of each letter")
    click.echo(f"  {shown_path(files['index'])}: the list of what was written")
    if result.no_address:
        click.echo(
            "No postal address, so no envelope or label (hand them over, or add "
            "`address:` to the contact):"
        )
        for contact in result.no_address:
            click.echo(f"  {contact.name} ({contact.id})")
    for message in result.engine_warnings:
        click.echo(f"warning: PDF engine: {message}", err=True)
    stats = result.pdf
    if stats and not stats.did_pdf_work:
        click.echo("The PDFs were already up to date: nothing changed since the last run.")
    mark = "goodwill letters --mark-sent" + (
        f" --out {out}" if result.out_dir != current_project(ctx).letters_dir.resolve() else ""
    )
    click.echo(f"Next: print, sign and post them (add any gifts), then run `{mark}`.")


def _echo_marked(result, command: str) -> None:
    if result.already_marked is not None:
        click.echo(
            f"This letter set was already marked as sent ({shown_path(result.already_marked)}); "
            "nothing changed. Run `goodwill letters` for the next set."
        )
        return
    would = "would write " if result.dry_run else ""
    for applied in result.applied:
        where = f"{shown_path(applied.path)}:{applied.line}"
        edit = applied.edit
        click.echo(f"{where}: {would}{edit.record_id}: {edit.key}: {edit.day}")
    for text in result.already:
        click.echo(f"already done, left as it was: {text}")
    for record_id in result.missing:
        click.echo(f"warning: '{record_id}' is no longer in your records; skipped", err=True)
    if result.dry_run:
        click.echo(f"Dry run: {len(result.applied)} record(s) would be marked; nothing changed.")
    elif result.applied:
        click.echo(
            f"Marked {len(result.applied)} record(s). The next `goodwill letters` leaves them out."
        )
    else:
        click.echo("Nothing to mark: every one was already recorded.")
