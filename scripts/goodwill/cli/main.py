"""The `goodwill` command line. Commands only: the library raises, this module exits."""

from __future__ import annotations

import functools
import os
import sys
from pathlib import Path

import click

from goodwill import __version__
from goodwill.cli.common import current_project, print_problems, project_root, shown_path
from goodwill.core.errors import Collector, GoodwillError, ValidationFailed

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


class GoodwillGroup(click.Group):
    """Turns GoodwillError into `path:line: message` lines and exit code 1."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except ValidationFailed as exc:
            print_problems(exc.problems, ctx)
            errors = sum(1 for p in exc.problems if p.is_error) or len(exc.problems)
            click.echo(f"error: {errors} problem(s); nothing was written", err=True)
            ctx.exit(1)
        except GoodwillError as exc:
            click.echo(f"error: {exc.format(project_root(ctx))}", err=True)
            ctx.exit(1)
        except BrokenPipeError:  # `goodwill report | head`: the reader left; say nothing
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            ctx.exit(1)
        except OSError as exc:  # permissions, a full disk: the user's environment, not a bug
            where = f": {exc.filename}" if exc.filename else ""
            click.echo(f"error: {exc.strerror or exc}{where}", err=True)
            ctx.exit(1)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            ctx.exit(130)


@click.group(cls=GoodwillGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "-C",
    "--project",
    "start",
    type=click.Path(file_okay=False, path_type=Path),
    help="Project folder (default: the nearest folder with mkdocs.yml).",
)
@click.version_option(__version__, prog_name="goodwill")
@click.pass_context
def main(ctx, start):
    """goodwill: one folder of plain files, three outputs.

    The guide (a website of your networking articles), the thank-you letter
    set (printable, private), and the RSS-fed digest.

    \b
    Example:
      goodwill init my-practice && cd my-practice && goodwill build
    """
    ctx.ensure_object(dict)["start"] = start


@main.command()
@click.option(
    "--drafts", is_flag=True, help="Build pages for drafts too (marked; never listed or in feeds)."
)
@click.option(
    "--future", is_flag=True, help="Build and list scheduled articles too (marked; not in feeds)."
)
@click.option("--strict", is_flag=True, help="Fail on warnings too (unknown keys, broken links).")
@click.option(
    "--engine",
    type=click.Choice(["mkdocs", "zensical"]),
    help="Site generator (default: `guide: engine:` in goodwill.yml, else mkdocs).",
)
@click.option(
    "--site-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Build here instead of site/.",
)
@click.pass_context
def build(ctx, drafts, future, strict, engine, site_dir):
    """Validate all content, then build the guide into site/.

    A failed build leaves the previous site/ untouched.

    \b
    Example:
      goodwill build --strict
    """
    from goodwill.guide.build import build_guide

    project = current_project(ctx)
    result = build_guide(
        project, drafts=drafts, future=future, strict=strict, site_dir=site_dir, engine=engine
    )
    print_problems(result.warnings, ctx)
    where = shown_path(result.site_dir)
    extras = []
    if result.drafts_skipped:
        extras.append(f"{result.drafts_skipped} draft(s) left out")
    if result.scheduled:
        first = min(a.date for a in result.scheduled)
        shown = ", shown marked" if future else ""
        extras.append(f"{len(result.scheduled)} scheduled{shown} (next on {first})")
    extra = f" ({'; '.join(extras)})" if extras else ""
    click.echo(
        f"Built the guide: {len(result.published)} article(s){extra} "
        f"into {where}/ in {result.seconds:.1f} s"
    )


@main.command()
@click.option("--port", default=8000, show_default=True, help="Port on 127.0.0.1.")
@click.option(
    "--drafts/--no-drafts",
    default=True,
    show_default=True,
    help="Show draft articles in the preview (marked as drafts).",
)
@click.pass_context
def serve(ctx, port, drafts):
    """Live preview on 127.0.0.1 that rebuilds when articles or templates change.

    Scheduled articles are shown, marked. An edit shows within about a second: only the
    pages it changes are rebuilt.

    \b
    Example:
      goodwill serve --port 8001
    """
    from goodwill.guide.serve import serve_preview

    serve_preview(current_project(ctx), port=port, drafts=drafts, echo=click.echo)


@main.command()
@click.option("--strict", is_flag=True, help="Treat warnings as errors (exit 1).")
@click.pass_context
def check(ctx, strict):
    """Validate everything (front matter, config, records, feeds) without building.

    Lists every problem, not only the first. Exit 0 when clean, 1 with errors.

    \b
    Example:
      goodwill check
    """
    from goodwill.check import check_project

    problems: Collector = check_project(current_project(ctx))
    print_problems(problems.problems, ctx)
    failed = problems.errors or (strict and problems.problems)
    click.echo(f"{len(problems.errors)} error(s), {len(problems.warnings)} warning(s)")
    ctx.exit(1 if failed else 0)


@main.group()
def new():
    """Create a new file from a template (never overwrites).

    \b
    Example:
      goodwill new article "Thank referrers within two days" --tags thanking,referrals
    """


@new.command("article")
@click.argument("title")
@click.option("--tags", default="", help="Comma-separated tags, e.g. thanking,referrals.")
@click.option("--author", default=None, help="Author name for the front matter.")
@click.pass_context
def new_article_command(ctx, title, tags, author):
    """Write content/articles/<slug>.md with front matter, as a draft.

    \b
    Example:
      goodwill new article "Gifts that say thank you" --tags gifts,thanking
    """
    from goodwill.scaffold import new_article

    tag_list = [t.strip() for t in tags.split(",") if t.strip()]
    path = new_article(current_project(ctx), title, tag_list, author)
    click.echo(f"Wrote {shown_path(path)} (a draft: build with --drafts to preview it)")


@main.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--demo", is_flag=True, help="The demo project (sample articles, people, feeds).")
@click.option("--name", help="Your name: signs the letters, authors the welcome article.")
@click.option("--email", help="Your e-mail address, for the letterhead.")
@click.option("--site-name", help="The guide's title (default: My Guide).")
@click.option("--site-url", help="The guide's address, e.g. https://guide.example.org/.")
def init(directory, demo, name, email, site_name, site_url):
    """Create a new goodwill project in DIRECTORY (must be empty or absent).

    A blank starter by default: your details, one welcome article to edit, and
    empty records whose comments show every field. Asks for the details you
    leave out when run in a terminal. --demo copies the sample project instead.

    \b
    Examples:
      goodwill init my-practice --name "Sam Lee" --site-url https://samlee.example/
      goodwill init --demo try-it
    """
    from goodwill.scaffold import StarterDetails, init_project, init_starter

    if demo:
        target = init_project(directory)
        click.echo(f"Created the demo project in {target}")
    else:
        defaults = StarterDetails()
        asked = {"name": name, "email": email, "site_name": site_name, "site_url": site_url}
        interactive = sys.stdin.isatty()
        prompts = {
            "name": "Your name",
            "email": "Your e-mail (optional)",
            "site_name": "Site name",
            "site_url": "Site address",
        }
        for key, value in asked.items():
            if value is None:
                default = getattr(defaults, key)
                asked[key] = (
                    click.prompt(
                        prompts[key],
                        default=default,
                        show_default=bool(default),
                        value_proc=functools.partial(_detail, key),
                    )
                    if interactive
                    else default
                )
        target = init_starter(directory, StarterDetails(**asked))
        click.echo(f"Created a new goodwill project in {target}")
    click.echo(
        f"Next: cd {directory} && goodwill build   "
        "(then `goodwill import contacts FILE` to bring in your people)"
    )


def _detail(key: str, value: str) -> str:
    """A prompt's answer checked at once, so a bad one is asked again."""
    from goodwill.scaffold import checked_detail

    try:
        return checked_detail(key, value)
    except GoodwillError as exc:
        hint = f" ({exc.problem.hint})" if exc.problem.hint else ""
        raise click.BadParameter(exc.problem.message.split(" ", 1)[1] + hint) from None


from goodwill.cli.digest import digest, feeds  # noqa: E402

main.add_command(digest)
main.add_command(feeds)

from goodwill.cli.letters import letters, thank  # noqa: E402

main.add_command(letters)
main.add_command(thank)

from goodwill.cli.report import report  # noqa: E402

main.add_command(report)

from goodwill.cli.relations import COMMANDS as RELATIONS_COMMANDS  # noqa: E402

for command in RELATIONS_COMMANDS:
    main.add_command(command)

from goodwill.cli.subscribers import subscribers  # noqa: E402

main.add_command(subscribers)
