"""The articles' feeds, written by goodwill from the staged articles: RSS 2.0 and JSON Feed 1.1.

They replace mkdocs-rss-plugin, which cost a full build about a second (setup, then work
on every page) to write four small files from what staging already knows. File names,
items, order, limits and dates are the ones the plugin wrote:

- `feed_rss_created.xml` / `feed_json_created.json`: the newest published articles by
  date (ties in file order), at most FEED_ITEMS;
- `feed_rss_updated.xml` / `feed_json_updated.json`: the same articles as "updated"
  feeds. Without git dates the plugin dated every page at the build and listed them in
  reverse file order; so does goodwill, keeping the files subscribers already follow.

Each item also names its authors (`dc:creator` in RSS, with their author pages in JSON
Feed) and, in JSON Feed, the article's picture: what the plugin could not know. Drafts and
scheduled articles are never in them. A feed is parsed back before it is written: a
broken feed is never published.
"""

from __future__ import annotations

import datetime as dt
import html
import json
from dataclasses import dataclass
from email.utils import format_datetime
from pathlib import Path
from urllib.parse import urljoin

from goodwill.core.project import Project
from goodwill.core.render import render
from goodwill.core.siteconfig import feed_image, site_language
from goodwill.core.xmltext import check_well_formed, xml_text
from goodwill.guide.articles import Article
from goodwill.guide.social import absolute_image

FEED_ITEMS = 50  # the plugin's `length:` in the demo's mkdocs.yml
RSS_CREATED, RSS_UPDATED = "feed_rss_created.xml", "feed_rss_updated.xml"
JSON_CREATED, JSON_UPDATED = "feed_json_created.json", "feed_json_updated.json"
ARTICLE_FEEDS = (RSS_CREATED, RSS_UPDATED, JSON_CREATED, JSON_UPDATED)


@dataclass(frozen=True)
class FeedItem:
    url: str
    title: str
    description: str
    tags: list[str]
    published: dt.datetime
    modified: dt.datetime
    shown: dt.datetime  # the date the feed goes by: published, or modified
    authors: tuple[tuple[str, str], ...] = ()  # (name, author page URL or "")
    image: str = ""  # an absolute URL, or ""

    @property
    def rfc822(self) -> str:
        return format_datetime(self.shown)


def write_article_feeds(
    project: Project,
    config: dict,
    docs_dir: Path,
    base_url: str,
    articles: list[Article],
    *,
    url_of,
    authors_of=None,
    built: dt.datetime | None = None,
) -> list[Path]:
    """Write the four feeds into the staged docs folder; `articles` are the published ones.

    `url_of(article)` is the article's path under the site (e.g. "articles/slug/");
    `authors_of(article)` its (name, author page's path under the site, or None) pairs."""
    authors_of = authors_of or (lambda article: [(name, None) for name in article.authors])
    built = built or dt.datetime.now(dt.UTC).replace(microsecond=0)
    in_file_order = sorted(articles, key=lambda a: f"{a.slug}.md")  # as MkDocs orders files
    created = sorted(in_file_order, key=lambda a: a.date, reverse=True)[:FEED_ITEMS]
    updated = list(reversed(in_file_order))[:FEED_ITEMS]

    def items(chosen: list[Article], by_update: bool) -> list[FeedItem]:
        return [
            FeedItem(
                urljoin(base_url, url_of(a)),
                a.title,
                a.summary or a.title,  # an item needs a description; the title is one
                sorted(a.tags),
                _published(a),
                built,
                built if by_update else _published(a),
                tuple(
                    (name, urljoin(base_url, path) if path else "") for name, path in authors_of(a)
                ),
                absolute_image(base_url, a.image),
            )
            for a in chosen
        ]

    feeds = {
        (RSS_CREATED, JSON_CREATED): items(created, False),
        (RSS_UPDATED, JSON_UPDATED): items(updated, True),
    }
    channel = {
        "title": config.get("site_name") or "Goodwill",
        "description": config.get("site_description") or "",
        "home": base_url,
        "language": site_language(config),
        "image": feed_image(config),
        "author": config.get("site_author") or "",
    }
    written = []
    for (rss_name, json_name), chosen in feeds.items():
        written.append(_write_rss(project, docs_dir, rss_name, channel, chosen, built))
        written.append(_write_json(docs_dir, json_name, channel, chosen))
    return written


def _published(article: Article) -> dt.datetime:
    return dt.datetime.combine(article.date, dt.time(0), tzinfo=dt.UTC)


def _write_rss(project, docs_dir, name, channel, items, built) -> Path:
    xml = render(
        project.templates_dir,
        "guide/rss.xml",
        {
            **channel,
            "self_url": urljoin(channel["home"], name),
            "built": format_datetime(built),
            "items": items,
        },
        subject=name,
    ).lstrip()
    xml = xml_text(xml)  # a title may hold characters XML cannot carry
    check_well_formed(xml, name)
    path = docs_dir / name
    path.write_text(xml, encoding="utf-8")
    return path


def _write_json(docs_dir, name, channel, items) -> Path:
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": channel["title"],
        "home_page_url": channel["home"],
        "feed_url": urljoin(channel["home"], name),
        "description": channel["description"],
        "icon": channel["image"] or None,
        "authors": [{"name": channel["author"]}] if channel["author"] else [],
        "language": channel["language"],
        "items": [_json_item(item) for item in items],
    }
    path = docs_dir / name
    path.write_text(json.dumps(feed, ensure_ascii=False), encoding="utf-8")
    return path


def _json_item(item: FeedItem) -> dict:
    entry = {
        "id": item.url,
        "url": item.url,
        "title": item.title,
        # the description is text: escaped, so a reader shows "<" as written
        "content_html": html.escape(item.description, quote=False),
        "date_modified": item.modified.isoformat(),
        "date_published": item.published.isoformat(),
        "authors": [{"name": name, **({"url": url} if url else {})} for name, url in item.authors],
        "tags": item.tags,
    }
    if item.image:
        entry["image"] = item.image
    return entry
