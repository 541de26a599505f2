"""The digest in the guide: the archive page, and Atom feeds written as static files.

Called from staging: writes digest/index.md (issues newest first) and, when the
guide has a site_url, feed_digest_atom.xml (issues) and feed_atom.xml (articles
and issues together) into the docs folder, which MkDocs copies as they are.
The digest's RSS 2.0 feed is feed_rss.py's, written from the same issues.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

import yaml

from goodwill.core.errors import Collector
from goodwill.core.frontmatter import read_page_intro
from goodwill.core.project import Project
from goodwill.core.public_files import PublicFiles
from goodwill.core.render import render
from goodwill.core.siteconfig import read_site_config, site_author, site_url
from goodwill.core.xmltext import check_well_formed, xml_text
from goodwill.digest.feed_rss import RssItem, write_digest_rss
from goodwill.digest.html import body_html
from goodwill.digest.issues import INDEX_NAME, load_issues
from goodwill.digest.markdown_text import md_text

DIGEST_RSS = "feed_digest_rss.xml"
DIGEST_ATOM = "feed_digest_atom.xml"
COMBINED_ATOM = "feed_atom.xml"
FEED_LENGTH = 50


@dataclass
class FeedItem:
    url: str  # also the entry's Atom id: permanent and unique
    title: str
    updated: str  # RFC 3339
    summary: str
    content: str = ""  # HTML, escaped by the XML template


def stage_digest(
    project: Project, docs_dir: Path, articles, problems: Collector, public: PublicFiles
) -> None:
    """Write the digest's generated files into the staging `docs_dir`."""
    issues = load_issues(project, problems, public)
    issues = sorted(issues, key=lambda i: (i.date, i.number), reverse=True)
    config = read_site_config(project)
    base_url = site_url(config)
    (docs_dir / "digest").mkdir(parents=True, exist_ok=True)
    index = project.digest_dir / INDEX_NAME
    intro, meta = read_page_intro(
        index if public.allows(index) else None,
        {
            "title": "Digest",
            "description": "Every issue of the digest, newest first.",
            "hide": ["navigation"],  # no empty left sidebar: the page lists the issues
        },
    )
    context = {
        "issues": [
            {
                "number": i.number,
                "date": i.date,
                "file": i.path.name,
                "title_md": md_text(i.title),
                "description_md": md_text(i.description),
            }
            for i in issues
        ],
        "intro": intro,
        "front_matter": yaml.safe_dump(meta, allow_unicode=True, sort_keys=False).strip(),
        "rss_url": urljoin(base_url, DIGEST_RSS) if base_url else "",
        "atom_url": urljoin(base_url, DIGEST_ATOM) if base_url else "",
    }
    page = render(project.templates_dir, "digest/index.md.j2", context, subject="digest index")
    (docs_dir / "digest" / INDEX_NAME).write_text(page, encoding="utf-8")
    if base_url:
        _write_atom_feeds(project, config, docs_dir, base_url, issues, articles)


def _write_atom_feeds(
    project: Project, config: dict, docs_dir: Path, base_url: str, issues, articles
) -> None:
    issue_items = [
        FeedItem(
            urljoin(base_url, f"digest/{i.path.stem}/"),
            i.title,
            _stamp(i.date),
            i.description,
            body_html(i.body, base_url, project.content_dir),
        )
        for i in issues
    ]
    article_items = [
        FeedItem(
            urljoin(base_url, f"articles/{a.slug}/"),
            a.title,
            _stamp(a.date),
            a.summary,
        )
        for a in articles
    ]
    write_digest_rss(
        project,
        config,
        docs_dir,
        base_url,
        [
            RssItem(item.url, item.title, issue.date, item.summary, item.content)
            for item, issue in zip(issue_items, issues, strict=True)
        ][:FEED_LENGTH],
    )
    author = site_author(config)
    name = config.get("site_name") or "Goodwill"
    feeds = [
        (DIGEST_ATOM, f"{name} digest", urljoin(base_url, "digest/"), issue_items),
        (COMBINED_ATOM, name, base_url, issue_items + article_items),
    ]
    for filename, title, home, items in feeds:
        items = sorted(items, key=lambda it: (it.updated, it.url), reverse=True)[:FEED_LENGTH]
        xml = render(
            project.templates_dir,
            "digest/atom.xml",
            {
                "title": title,
                "home": home,
                "self_url": urljoin(base_url, filename),
                "author": author or name,
                "items": items,
                "updated": items[0].updated if items else _stamp(dt.date(2000, 1, 1)),
            },
            subject=filename,
        )
        xml = xml_text(xml.lstrip())  # an issue's text may hold characters XML cannot carry
        check_well_formed(xml, filename)
        (docs_dir / filename).write_text(xml, encoding="utf-8")


def _stamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"
