"""`goodwill digest ...` and `goodwill feeds ...`: commands only; the digest package raises."""

from __future__ import annotations

import os
from pathlib import Path

import click

from goodwill.cli.common import current_project, print_problems
from goodwill.core.errors import Collector


@click.group()
def digest():
    """The RSS-fed digest: fetch feeds, write an issue, export it for e-mail.

    \b
    Example:
      goodwill digest fetch && goodwill digest new --dry-run
    """


@digest.command("fetch")
@click.option("--strict", is_flag=True, help="Exit 1 if any feed fails or warns.")
@click.pass_context
def fetch_command(ctx, strict):
    """Download every enabled feed in content/feeds.yaml into the cache (.goodwill/).

    Feeds are fetched concurrently with a per-feed timeout and size cap; unchanged
    feeds cost a 304. One failing feed never stops the others: the table at the
    end shows each feed's status. Exit 1 only if every feed failed (or --strict).

    \b
    Example:
      goodwill digest fetch
    """
    from goodwill.cli.digest_report import print_fetch_report, progress_bar
    from goodwill.digest.fetch import fetch_feeds
    from goodwill.digest.network import network_sources
    from goodwill.digest.settings import load_digest_settings
    from goodwill.digest.sources import load_sources

    project = current_project(ctx)
    problems = Collector()
    settings = load_digest_settings(project, problems)
    sources = load_sources(project, problems)
    problems.raise_if_errors(strict)
    print_problems(problems.warnings, ctx)
    # contacts' own feeds (feed: URL); problems of the records are `goodwill check`'s to report
    enabled = sources.enabled + network_sources(project, Collector(), sources.sources)
    if not enabled:
        click.echo(f"No enabled feeds in {os.path.relpath(sources.path)}: nothing to fetch.")
        return
    with progress_bar(len(enabled)) as advance:
        run = fetch_feeds(project, enabled, settings, on_done=advance)
    print_fetch_report(run)
    warned = any(r.warnings for r in run.reports)
    if run.all_failed or (strict and (run.failed or warned)):
        ctx.exit(1)


@digest.command("new")
@click.option(
    "--since",
    metavar="DATE",
    help=(
        "Only entries published on or after DATE (default: since the last issue: published"
        " on or after its date, or first fetched after it was written)."
    ),
)
@click.option("--title", help="The issue's title (default: digest.title in goodwill.yml).")
@click.option("--dry-run", is_flag=True, help="Print the issue instead of writing it.")
@click.pass_context
def new_command(ctx, since, title, dry_run):
    """Write the next issue, content/digest/<date>-<n>.md, from entries no issue has yet.

    Reads what earlier issues contained from their front matter, so old entries
    never come back. Writes nothing when there is nothing new, and never
    rewrites an existing issue.

    \b
    Example:
      goodwill digest new --title "November's best reading"
    """
    from goodwill.digest.issue import plan_issue, write_issue
    from goodwill.guide.build import load_guide_articles

    project = current_project(ctx)
    articles = load_guide_articles(project, Collector())  # the build reports their problems
    plan = plan_issue(project, articles, since=since, title=title)
    for warning in plan.warnings:
        click.echo(f"warning: {warning}", err=True)
    if plan.is_empty:
        after = (
            f" since issue #{plan.previous.number} ({plan.previous.date})" if plan.previous else ""
        )
        click.echo(
            f"Nothing new{after}: no issue written. "
            "Fetch first (`goodwill digest fetch`) or widen --since."
        )
        return
    summary = (
        f"issue #{plan.number}: {len(plan.articles)} article(s), "
        f"{len(plan.entries)} entr{'y' if len(plan.entries) == 1 else 'ies'}"
    )
    if dry_run:
        click.echo(plan.markdown, nl=False)
        click.echo(f"(dry run: {summary}; would write {os.path.relpath(plan.path)})", err=True)
        return
    path = write_issue(plan)
    click.echo(f"Wrote {os.path.relpath(path)} ({summary}). Edit the intro, then build.")


@digest.command("export")
@click.argument("issue")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the files (default: letters/digest/).",
)
@click.pass_context
def export_command(ctx, issue, out):
    """Write an e-mail-ready copy of ISSUE: HTML with inlined CSS, and plain text.

    ISSUE is a number, a file name in content/digest/, a path, or `latest`.

    \b
    Example:
      goodwill digest export latest --out /tmp/mail
    """
    from goodwill.digest.export import export_issue

    result = export_issue(current_project(ctx), issue, out)
    click.echo(f"Wrote {os.path.relpath(result.html)} and {os.path.relpath(result.text)}")


@click.group()
def feeds():
    """Import or export the feed list (content/feeds.yaml) as OPML.

    \b
    Example:
      goodwill feeds import subscriptions.opml
    """


@feeds.command("import")
@click.argument("opml_file", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--dry-run", is_flag=True, help="List the feeds that would be added; write nothing.")
@click.pass_context
def import_command(ctx, opml_file, dry_run):
    """Add the feeds of an OPML file to feeds.yaml (no duplicates, comments kept).

    \b
    Examples:
      goodwill feeds import ~/Downloads/subscriptions.opml
      goodwill feeds import subscriptions.opml --dry-run
    """
    from goodwill.digest.opml import import_opml

    result = import_opml(current_project(ctx), opml_file, dry_run=dry_run)
    print_problems(result.rejected, ctx)
    verb = "Dry run: would add" if dry_run else "Added"
    click.echo(
        f"{verb} {len(result.added)} feed(s) to content/feeds.yaml"
        + (f"; {len(result.skipped)} already there" if result.skipped else "")
        + (f"; {len(result.rejected)} skipped (see above)" if result.rejected else "")
    )
    for source in result.added:
        click.echo(f"  + {source.name} <{source.url}>")
    if dry_run:
        click.echo("Nothing was written. Run without --dry-run to add them.")


@feeds.command("export")
@click.argument("opml_file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.pass_context
def export_opml_command(ctx, opml_file):
    """Write feeds.yaml as OPML 2.0 to OPML_FILE (or print it), for any feed reader.

    \b
    Example:
      goodwill feeds export subscriptions.opml
    """
    from goodwill.digest.opml import export_opml
    from goodwill.digest.sources import load_sources

    project = current_project(ctx)
    problems = Collector()
    sources = load_sources(project, problems)
    problems.raise_if_errors()
    text, local = export_opml(sources.sources, "goodwill feeds")
    if opml_file is None:
        click.echo(text, nl=False)
    else:
        opml_file.write_text(text, encoding="utf-8")
        click.echo(f"Wrote {len(sources.sources) - local} feed(s) to {opml_file}")
    if local:
        click.echo(f"({local} local-file feed(s) left out: OPML readers cannot use them)", err=True)


@digest.command("send")
@click.argument("issue", default="latest")
@click.option("--dry-run", is_flag=True, help="Print who would get what; connect to nothing.")
@click.option(
    "--to", "to", metavar="ADDRESS", help="Send only to ADDRESS (a test copy if not a subscriber)."
)
@click.option("--limit", type=click.IntRange(min=1), help="Send at most N messages this run.")
@click.pass_context
def send_command(ctx, issue, dry_run, to, limit):
    """E-mail ISSUE (default: latest) to every subscriber over SMTP, never twice.

    Each reader is recorded in content/sent/<issue>.jsonl once the server has
    accepted their message; run it again after an interruption to reach the rest.
    The password comes from GOODWILL_SMTP_PASSWORD or the system keyring.

    \b
    Example:
      goodwill digest send --dry-run && goodwill digest send
    """
    from goodwill.cli.digest_report import progress_bar
    from goodwill.digest.send import plan_send, send_plan, smtp_settings_for
    from goodwill.digest.smtp_settings import load_smtp_settings, smtp_password

    project = current_project(ctx)
    plan = plan_send(project, issue, to=to, limit=limit)
    if dry_run:
        problems = Collector()
        settings = load_smtp_settings(project, problems)
        print_problems(problems.problems, ctx)
        _print_plan(plan, settings)
        click.echo("(dry run: nothing was sent and no connection was made)", err=True)
        return
    settings = smtp_settings_for(project)
    if not plan.to_send:
        _print_skipped(plan)
        if not plan.already and not plan.failed_before:
            click.echo(
                "No subscribers yet: add them with `goodwill subscribers add EMAIL` "
                "(or `subscribe: true` on a contact)."
            )
            return
        click.echo(f"Nothing to send: issue #{plan.issue.number} has reached every subscriber.")
        return
    password = smtp_password(settings)
    with progress_bar(len(plan.to_send), verb="sending", describe=lambda r: r.email) as advance:
        result = send_plan(project, plan, settings, password, lambda reader, _: advance(reader))
    _print_skipped(plan)
    for reader, why in result.deferred:
        click.echo(f"deferred (tried again next run): {reader.email}: {why}", err=True)
    for reader, why in result.failed:
        click.echo(f"failed (not tried again): {reader.email}: {why}", err=True)
    rate = f" in {result.seconds:.1f} s" if result.seconds else ""
    click.echo(f"Sent issue #{plan.issue.number} to {len(result.sent)} reader(s){rate}.")
    if result.stopped:
        click.echo(
            f"error: stopped: {result.stopped}; {len(result.not_reached)} not sent yet "
            "(run the same command again to send to them, and only them)",
            err=True,
        )
    if result.stopped or result.deferred or result.failed:
        ctx.exit(1)


def _print_plan(plan, settings) -> None:
    issue = plan.issue
    via = (
        f"from {settings.sender} via {settings.host}:{settings.port} ({settings.security})"
        if settings
        else "(no digest.smtp in goodwill.yml yet: add it before a real send)"
    )
    click.echo(f'Issue #{issue.number} "{issue.title}" ({issue.path.name}) {via}')
    test = " (a test copy: not recorded)" if plan.test_send else ""
    click.echo(f"Would send to {len(plan.to_send)} reader(s){test}:")
    retrying = {p.key for p in plan.retrying}
    for person in plan.to_send:
        again = "  (again: not accepted last time)" if person.key in retrying else ""
        click.echo(f"  {person.formatted}  [{person.origin}]{again}")
    _print_skipped(plan)


def _print_skipped(plan) -> None:
    if plan.already:
        click.echo(f"{len(plan.already)} reader(s) already sent this issue: skipped", err=True)
    for person, entry in plan.failed_before:
        click.echo(
            f"{person.email}: refused for good on {entry.at[:10]} "
            f"({entry.code} {entry.detail}): skipped",
            err=True,
        )
    if plan.left_by_limit:
        click.echo(f"{plan.left_by_limit} more left for a later run (--limit)", err=True)
