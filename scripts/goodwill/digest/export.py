"""`goodwill digest export`: an issue as e-mail: HTML (inlined CSS, table layout) + plain text.

Written under letters/digest/ (private, git-ignored) or --out, never into site/.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

import css_inline
from markupsafe import Markup

from goodwill.core.errors import Collector, GoodwillError
from goodwill.core.project import Project
from goodwill.core.render import render
from goodwill.core.siteconfig import read_site_config, site_url
from goodwill.digest.html import body_html
from goodwill.digest.issues import IssueFile, load_issues, read_issue
from goodwill.digest.plaintext import html_to_text


@dataclass
class Exported:
    html: Path
    text: Path


@dataclass
class EmailContent:
    """An issue rendered for e-mail; `unsubscribe` in both texts stands for each reader's
    own link (see UNSUBSCRIBE_MARK)."""

    issue: IssueFile
    html: str
    text: str


# Stands in for the reader's unsubscribe link in the rendered e-mail: letters, digits and
# hyphens only, so no escaping or inlining changes it before each copy gets its own link.
UNSUBSCRIBE_MARK = "gw-unsubscribe-link-9c41f0"


def render_email(project: Project, issue: IssueFile, unsubscribe: str = "") -> EmailContent:
    """The issue as inlined HTML and plain text, from templates/digest/email.*.j2."""
    base_url = site_url(read_site_config(project))
    page_url = urljoin(base_url, f"digest/{issue.path.stem}/") if base_url else ""
    content = body_html(issue.body, base_url, project.content_dir)
    context = {
        "issue": issue,
        "content": Markup(content),
        "page_url": page_url,
        "feed_url": urljoin(base_url, "feed_digest_rss.xml") if base_url else "",
        "unsubscribe": unsubscribe,
    }
    templates = project.templates_dir
    html = render(templates, "digest/email.html.j2", context, subject=issue.path.name)
    html = css_inline.CSSInliner(keep_at_rules=True, load_remote_stylesheets=False).inline(html)
    context["content"] = html_to_text(content)
    text = render(templates, "digest/email.txt.j2", context, subject=issue.path.name)
    return EmailContent(issue, html, text)


def export_issue(project: Project, which: str, out: Path | None = None) -> Exported:
    """Write <issue>.html and <issue>.txt; return their paths."""
    issue = find_issue(project, which)
    out = (out or project.letters_dir / "digest").resolve()
    site = project.site_dir.resolve()
    if out == site or site in out.parents:
        raise GoodwillError(
            f"refusing to write e-mail files into the published site ({out})",
            hint="use the default letters/digest/ or another --out folder",
        )
    email = render_email(project, issue)
    out.mkdir(parents=True, exist_ok=True)
    html_path, text_path = out / f"{issue.path.stem}.html", out / f"{issue.path.stem}.txt"
    html_path.write_text(email.html, encoding="utf-8")
    text_path.write_text(email.text, encoding="utf-8")
    return Exported(html_path, text_path)


def find_issue(project: Project, which: str) -> IssueFile:
    """An issue by number, `latest`, file name in content/digest/, or path."""
    problems = Collector()
    if which == "latest" or which.isdigit():
        issues = load_issues(project, problems)
        if not issues:
            raise GoodwillError(
                "there are no issues yet", hint="write one with `goodwill digest new`"
            )
        if which == "latest":
            return issues[-1]
        for issue in issues:
            if issue.number == int(which):
                return issue
        raise GoodwillError(
            f"no issue number {which}", hint="numbers: " + ", ".join(str(i.number) for i in issues)
        )
    path = Path(which)
    if not path.is_file():
        path = project.digest_dir / which
    if not path.is_file():
        raise GoodwillError(
            f"no issue file {which}",
            path=project.digest_dir,
            hint="give a number, `latest`, or a file in content/digest/",
        )
    issue = read_issue(path, problems)
    problems.raise_if_errors()
    assert issue is not None
    return issue
