"""`goodwill subscribers ...`: the digest's private e-mail list (content/subscribers.yaml)."""

from __future__ import annotations

from pathlib import Path

import click

from goodwill.cli.common import current_project, print_problems
from goodwill.core.errors import Collector


@click.group()
def subscribers():
    """Who gets the digest by e-mail: content/subscribers.yaml (private, never published).

    Contacts with `subscribe: true` are subscribers too. Removing someone keeps
    them on a suppression list, so no later import adds them back.

    \b
    Example:
      goodwill subscribers add dan@acme.example --name "Dan Park"
    """


@subscribers.command("add")
@click.argument("email")
@click.option("--name", default="", help="Their name, used in the To: line.")
@click.option("--dry-run", is_flag=True, help="Check and say what would change; write nothing.")
@click.pass_context
def add_command(ctx, email, name, dry_run):
    """Add EMAIL to the subscriber list.

    \b
    Example:
      goodwill subscribers add dan@acme.example --name "Dan Park"
    """
    from goodwill.digest.subscribers import add_subscriber

    person = add_subscriber(current_project(ctx), email, name, write=not dry_run)
    would = "Would add" if dry_run else "Added"
    click.echo(f"{would} {person.formatted} to content/subscribers.yaml")


@subscribers.command("remove")
@click.argument("email")
@click.option("--dry-run", is_flag=True, help="Check and say what would change; write nothing.")
@click.pass_context
def remove_command(ctx, email, dry_run):
    """Unsubscribe EMAIL: they get no more issues and no import adds them back.

    \b
    Example:
      goodwill subscribers remove dan@acme.example
    """
    from goodwill.digest.subscribers import remove_subscriber

    said = remove_subscriber(current_project(ctx), email, write=not dry_run)
    click.echo(f"(dry run) {said}; nothing was written" if dry_run else said)


@subscribers.command("list")
@click.option("--unsubscribed", is_flag=True, help="List the suppression list instead.")
@click.pass_context
def list_command(ctx, unsubscribed):
    """List the subscribers (from subscribers.yaml and contacts with subscribe: true).

    \b
    Example:
      goodwill subscribers list
    """
    from goodwill.digest.subscribers import load_subscribers

    problems = Collector()
    found = load_subscribers(current_project(ctx), problems)
    problems.raise_if_errors()
    print_problems(problems.warnings, ctx)
    if unsubscribed:
        for key, day in sorted(found.suppressed.items()):
            click.echo(f"{found.listed[key].email}\tunsubscribed {day}")
        click.echo(f"{len(found.suppressed)} unsubscribed", err=True)
        return
    for person in found.active:
        click.echo(f"{person.formatted}\t{person.origin}")
    click.echo(f"{len(found.active)} subscriber(s); {len(found.suppressed)} unsubscribed", err=True)


@subscribers.command("import")
@click.argument("file", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--dry-run", is_flag=True, help="List who would be added; write nothing.")
@click.pass_context
def import_command(ctx, file, dry_run):
    """Add the people of a Mailchimp, Buttondown or Substack CSV export, or a plain list.

    A plain list has one address a line (`Name <address>` works too). People the
    export marks as unsubscribed, and people who unsubscribed here, are left out.

    \b
    Example:
      goodwill subscribers import ~/Downloads/members_export.csv
    """
    from goodwill.digest.subscriber_import import import_subscribers

    result = import_subscribers(current_project(ctx), file, write=not dry_run)
    print_problems(result.rejected, ctx)
    if dry_run:
        for row in result.added:
            click.echo(f"  + {row.name + ' ' if row.name else ''}<{row.email}>")
    would = "Would add" if dry_run else "Added"
    parts = [f"{would} {len(result.added)} subscriber(s) from {file.name} ({result.kind})"]
    if result.already:
        parts.append(f"{len(result.already)} already subscribed")
    if result.suppressed:
        parts.append(f"{len(result.suppressed)} unsubscribed earlier: not added back")
    if result.left:
        parts.append(f"{len(result.left)} marked unsubscribed in the export: left out")
    if result.rejected:
        parts.append(f"{len(result.rejected)} invalid address(es) skipped (see above)")
    click.echo("; ".join(parts))
