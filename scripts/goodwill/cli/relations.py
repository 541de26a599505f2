"""The relationship commands: `add`, `log`, `import contacts` and `agenda`."""

from __future__ import annotations

import json
from pathlib import Path

import click

from goodwill.cli.common import current_project, date_value, print_problems, shown_path
from goodwill.core.dates import today


def _amount(ctx, param, value):
    if value is None:
        return None
    try:
        number = float(value.replace(",", "").strip())
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a number (e.g. 4800)") from None
    return int(number) if number.is_integer() else number


TOUCH_NAMES = {"met": "meeting", "email": "e-mail", "intro": "introduction"}


def _echo_written(what: str, written) -> None:
    where = f"{shown_path(written.path)}:{written.line}"
    click.echo(f"Added {what} to {where}:")
    for line in written.text.splitlines():
        click.echo(f"  {line}")


@click.group()
def add():
    """Add a contact or a referral to your records (comments kept).

    \b
    Examples:
      goodwill add contact "Maria Lopez" --email maria@lopez.example --company "Lopez & Partners"
      goodwill add referral --from maria-lopez --referred "Dan Park, HR director at Acme" \\
          --for "leadership coaching"
    """


@add.command("contact")
@click.argument("name")
@click.option("--email", help="E-mail address.")
@click.option("--phone", help="Phone number.")
@click.option("--company", help="Company or organisation.")
@click.option("--role", help="Their role or job title.")
@click.option("--first-name", help="How letters greet them (default: first word of the name).")
@click.option("--tags", default="", help="Comma-separated tags, e.g. accountant,bni.")
@click.pass_context
def add_contact_command(ctx, name, email, phone, company, role, first_name, tags):
    """Add a contact to content/records/contacts.yaml with a readable id.

    \b
    Example:
      goodwill add contact "Maria Lopez" --email maria@lopez.example --tags accountant,bni
    """
    from goodwill.relations.adding import add_contact

    tag_list = [t.strip() for t in tags.split(",") if t.strip()]
    written, notes = add_contact(
        current_project(ctx),
        name,
        email=email,
        phone=phone,
        company=company,
        role=role,
        first_name=first_name,
        tags=tag_list,
    )
    _echo_written(f"contact '{written.record['id']}'", written)
    for note in notes:
        click.echo(f"note: {note}", err=True)


@add.command("referral")
@click.option("--from", "from_", metavar="CONTACT", help="They referred someone to you.")
@click.option("--to", metavar="CONTACT", help="You referred someone to them.")
@click.option("--referred", required=True, help='Who was referred, e.g. "Dan Park, HR at Acme".')
@click.option("--for", "need", required=True, help="What for, e.g. leadership coaching.")
@click.option("--date", "day", metavar="DATE", callback=date_value, help="Default: today.")
@click.option(
    "--value", metavar="AMOUNT", callback=_amount, help="What the business is worth, e.g. 4800."
)
@click.option("--status", metavar="STATUS", help="new (default), contacted, won or lost.")
@click.pass_context
def add_referral_command(ctx, from_, to, referred, need, day, value, status):
    """Add a referral you received (--from) or gave (--to) to referrals.yaml.

    \b
    Examples:
      goodwill add referral --from maria-lopez --referred "Dan Park, HR director at Acme" \\
          --for "leadership coaching for new managers"
      goodwill add referral --to james-obrien --referred "Ana Silva" --for "a new warehouse"
    """
    from goodwill.relations.adding import add_referral

    if bool(from_) == bool(to):
        raise click.UsageError("give exactly one of --from CONTACT (received) or --to CONTACT")
    written = add_referral(
        current_project(ctx),
        contact=from_ or to,
        direction="received" if from_ else "given",
        referred=referred,
        need=need,
        on=day,
        value=value,
        status=status,
    )
    _echo_written(f"referral '{written.record['id']}'", written)
    if from_:
        click.echo("Next: `goodwill agenda` lists the thank-you; `goodwill letters` writes it.")


@click.command()
@click.argument("contact")
@click.argument("kind", metavar="KIND")
@click.option("--note", help="What happened, in a line.")
@click.option("--date", "day", metavar="DATE", callback=date_value, help="Default: today.")
@click.pass_context
def log(ctx, contact, kind, note, day):
    """Record that you were in touch with CONTACT: KIND is met, call, email, message,
    gift, intro or event. It counts for check-ins, the report and the agenda.

    \b
    Examples:
      goodwill log maria-lopez call --note "Asked about her new office"
      goodwill log james-obrien gift --note "Wine after the Harbour deal" --date 2026-11-12
    """
    from goodwill.relations.adding import log_interaction

    written = log_interaction(current_project(ctx), contact, kind, note, day)
    what = TOUCH_NAMES.get(kind, kind)
    _echo_written(f"{'an' if what[0] in 'aeiou' else 'a'} {what} with '{contact}'", written)


@click.command()
@click.option(
    "--days",
    type=click.IntRange(min=1),
    default=14,
    show_default=True,
    metavar="N",
    help="Follow up referrals still new or contacted after N days.",
)
@click.option(
    "--ics",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="Also write the agenda as an iCalendar file (private: never inside site/ or content/).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
    help="A table for the terminal, or CSV / JSON.",
)
@click.pass_context
def agenda(ctx, days, ics, fmt):
    """What to do next, most urgent first: thank, report the outcome, follow up,
    check in, give back; each with its reason and age (days).

    \b
    Examples:
      goodwill agenda
      goodwill agenda --days 7 --ics ~/calendars/goodwill.ics
      goodwill agenda --format csv > agenda.csv
    """
    from goodwill.core.csvout import to_csv
    from goodwill.digest.network import network_agenda_items
    from goodwill.letters.compose import load_for_letters
    from goodwill.relations.agenda import FIELDS, agenda_rows, agenda_table, build_agenda

    project = current_project(ctx)
    records, settings, warnings = load_for_letters(project)
    print_problems(warnings, ctx)
    on = today()
    posts = network_agenda_items(project, records, on)  # contacts' new posts (digest cache)
    items = build_agenda(records, on, days, posts, check_in_days=settings.check_in_days)
    if ics is not None:
        from goodwill.core.outdir import PRIVATE_FILE_MODE, private_target, write_atomic
        from goodwill.relations.calendar import agenda_calendar

        hint = "the calendar names people; write it outside the site, content/ and templates/"
        target = private_target(project, ics, "the agenda calendar", hint)
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(target, agenda_calendar(items, on), PRIVATE_FILE_MODE)
        click.echo(
            f"Wrote {len(items)} calendar entr{'y' if len(items) == 1 else 'ies'} "
            f"to {shown_path(target)}",
            err=fmt != "table",
        )
    if fmt == "csv":
        click.echo(
            to_csv(list(FIELDS), [list(r.values()) for r in agenda_rows(items, on)]), nl=False
        )
        return
    if fmt == "json":
        click.echo(json.dumps(agenda_rows(items, on), indent=2, ensure_ascii=False))
        return
    if not items:
        click.echo("Nothing is due: everyone is thanked, told and in touch.")
        return
    from rich.console import Console

    console = Console(highlight=False)
    console.print(agenda_table(items, on))
    late = sum(1 for item in items if item.days_late(on))
    console.print(
        f"{len(items)} to do, {late} late. `goodwill letters --kind all` writes the notes; "
        "`goodwill log CONTACT KIND` records a call or a coffee.",
        markup=False,
    )


@click.group("import")
def import_group():
    """Bring records in from other tools.

    \b
    Example:
      goodwill import contacts ~/Downloads/contacts.vcf --dry-run
    """


@import_group.command("contacts")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Show what would be added and merged; write nothing.")
@click.pass_context
def import_contacts_command(ctx, file, dry_run):
    """Import an address book: vCard (.vcf, 3.0 and 4.0) or CSV from Google
    Contacts, Outlook or LinkedIn (Connections.csv). The format is read from the
    content. People you already have (same e-mail, or same name and company)
    are merged: only their empty fields are filled in. Importing again adds nothing.

    \b
    Examples:
      goodwill import contacts contacts.vcf --dry-run
      goodwill import contacts Connections.csv
    """
    from goodwill.relations.importer import import_contacts

    result = import_contacts(current_project(ctx), file, dry_run=dry_run)
    print_problems(result.problems, ctx)
    click.echo(f"Read {shown_path(file)} as {result.format_name}.")
    verb = "Would add" if dry_run else "Added"
    if result.added:
        click.echo(f"{verb} {len(result.added)} contact(s) to {shown_path(result.path)}:")
        _echo_some(f"  + {c['id']}: {c['name']}" for c in result.added)
    else:
        click.echo("No one new to add.")
    if result.merged:
        verb = "Would merge" if dry_run else "Merged"
        click.echo(f"{verb} {len(result.merged)} into contacts you have:")
        _echo_some(f"  ~ {merge.contact_id}: {merge.summary}" for merge in result.merged)
    if result.skipped:
        click.echo(f"Skipped {len(result.skipped)} already in your records:")
        _echo_some(f"  = {text}" for text in result.skipped)
    if dry_run:
        click.echo("Dry run: nothing was written. Run again without --dry-run to import.")


def _echo_some(lines, most: int = 50) -> None:
    """The first `most` lines, then how many more (an address book can hold thousands)."""
    lines = list(lines)
    for line in lines[:most]:
        click.echo(line)
    if len(lines) > most:
        click.echo(f"  ... and {len(lines) - most} more")


COMMANDS = [add, log, import_group, agenda]
