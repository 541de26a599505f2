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
@click.pass_context
def add_command(ctx, email, name):
    """Add EMAIL to the subscriber list.

    \b
    Example:
      goodwill subscribers add dan@acme.example --name "Dan Park"
    """
    from goodwill.digest.subscribers import add_subscriber

    person = add_subscriber(current_project(ctx), email, name)
    click.echo(f"Added {person.formatted} to content/subscribers.yaml")


@subscribers.command("remove")
@click.argument("email")
@click.pass_context
def remove_command(ctx, email):
    """Unsubscribe EMAIL: they get no more issues and no import adds them back.

    \b
    Example:
      goodwill subscribers remove dan@acme.example
    """
    from goodwill.digest.subscribers import remove_subscriber

    click.echo(remove_subscriber(current_project(ctx), email))


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
@click.pass_context
def import_command(ctx, file):
    """Add the people of a Mailchimp, Buttondown or Substack CSV export, or a plain list.

    A plain list has one address a line (`Name <address>` works too). People the
    export marks as unsubscribed, and people who unsubscribed here, are left out.

    \b
    Example:
      goodwill subscribers import ~/Downloads/members_export.csv
    """
    from goodwill.digest.subscriber_import import import_subscribers

    result = import_subscribers(current_project(ctx), file)
    print_problems(result.rejected, ctx)
    parts = [f"Added {len(result.added)} subscriber(s) from {file.name} ({result.kind})"]
    if result.already:
        parts.append(f"{len(result.already)} already subscribed")
    if result.suppressed:
        parts.append(f"{len(result.suppressed)} unsubscribed earlier: not added back")
    if result.left:
        parts.append(f"{len(result.left)} marked unsubscribed in the export: left out")
    if result.rejected:
        parts.append(f"{len(result.rejected)} invalid address(es) skipped (see above)")
    click.echo("; ".join(parts))
