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
    from goodwill.digest.settings import load_digest_settings
    from goodwill.digest.sources import load_sources

    project = current_project(ctx)
    problems = Collector()
    settings = load_digest_settings(project, problems)
    sources = load_sources(project, problems)
    problems.raise_if_errors(strict)
    print_problems(problems.warnings, ctx)
    enabled = sources.enabled
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
