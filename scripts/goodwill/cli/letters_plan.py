"""What a letter set holds, in words: the --dry-run listing and the per-kind summary lines."""

from __future__ import annotations

import shutil
import textwrap

import click

from goodwill.cli.common import print_problems, shown_path

INDENT = " " * 9  # under the contact's name


def echo_planned_letters(ctx, result, selection) -> None:
    """One line per letter (and per referral it is about), then the files."""
    from goodwill.letters.wording import need_phrase

    print_problems(result.warnings, ctx)
    out = shown_path(result.out_dir)
    if not result.letters:
        what = " or ".join(selection.kinds)
        click.echo(f"Dry run: no {what} letters are due.")
        if result.removed:
            click.echo(
                f"A real run would remove the previous letter set from {out}/: "
                + ", ".join(result.removed)
            )
        click.echo("Nothing was written or removed.")
        return
    total = len(result.letters)
    width = max(60, shutil.get_terminal_size().columns)
    click.echo(
        f"Dry run: {total} letter(s) would be written to {out}/ ({result.page_size.upper()}):"
    )
    for number, letter in enumerate(result.letters, start=1):
        contact = letter.contact
        post = "" if contact.address else "  [no postal address]"
        click.echo(f"  {number:>3}. {letter.kind:<9} {contact.name} ({contact.id}){post}")
        for referral in letter.request.referrals:
            line = f"{referral.id}: {referral.referred}, for {need_phrase(referral.need)}"
            click.echo(textwrap.fill(line, width, initial_indent=INDENT, subsequent_indent=INDENT))
    click.echo("Per kind:")
    for line in kind_lines(result):
        click.echo(line)
    files = result.files
    click.echo("Files:")
    click.echo(f"  {shown_path(files['letters'])}: {total} page(s)")
    if "envelopes" in files:
        envelope = result.envelope.name
        click.echo(
            f"  {shown_path(files['envelopes'])}: {result.recipients} {envelope} envelope(s)"
        )
    if "labels" in files:
        click.echo(f"  {shown_path(files['labels'])}: {labels_summary(result)}")
    click.echo(f"  {shown_path(files['previews'])}/: {total} HTML preview(s)")
    click.echo(f"  {shown_path(files['index'])}: {result.referral_count or total} row(s)")
    click.echo("Nothing was written. Run without --dry-run to write them.")


def kind_lines(result) -> list[str]:
    """ "  thank-you  6", with "(for 8 referrals)" when a letter thanks for several."""
    lines = []
    for kind, count in result.counts.items():
        about = sum(len(x.request.referrals) for x in result.letters if x.kind == kind)
        lines.append(
            f"  {kind:<10} {count}" + (f" (for {about} referrals)" if about > count else "")
        )
    return lines


def labels_summary(result) -> str:
    """ "9 label(s) on 1 A4 3x7 sheet(s), from label 4"."""
    sheet, people = result.label_sheet, result.recipients
    text = f"{people} label(s) on {result.label_sheets} {sheet.name} sheet(s)"
    return text + (f", from label {result.label_start}" if result.label_start > 1 else "")
