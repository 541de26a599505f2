"""Guide articles a letter may suggest: the recipient's tags matched against the guide's.

Only what a reader can open: published articles (not drafts, not dated in the
future), each with its full address under mkdocs.yml's site_url.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from goodwill.core.errors import Collector
from goodwill.core.project import Project
from goodwill.core.siteconfig import read_site_config, site_url
from goodwill.guide.articles import Article, load_articles

MAX_SUGGESTIONS = 2


@dataclass(frozen=True)
class Suggestion:
    title: str
    url: str
    tags: tuple[str, ...]  # the tags it shares with the recipient


class ArticleIndex:
    """Published articles by tag, and their addresses in the built guide."""

    def __init__(self, articles: list[Article], base_url: str, directory_urls: bool = True):
        self.base_url = base_url
        self.directory_urls = directory_urls
        self.by_tag: dict[str, list[Article]] = {}
        for article in articles:
            for tag in dict.fromkeys(_tag_key(t) for t in article.tags):
                self.by_tag.setdefault(tag, []).append(article)

    def url(self, article: Article) -> str:
        page = (
            f"articles/{article.slug}/" if self.directory_urls else f"articles/{article.slug}.html"
        )
        return self.base_url + page

    def matching(self, tags, limit: int = MAX_SUGGESTIONS) -> list[Suggestion]:
        """The articles sharing most tags with `tags`, the newest first among equals."""
        shared: dict[str, tuple[Article, list[str]]] = {}
        for tag in dict.fromkeys(tags):
            for article in self.by_tag.get(_tag_key(tag), ()):
                shared.setdefault(article.slug, (article, []))[1].append(tag)
        ranked = sorted(
            shared.values(),
            key=lambda item: (-len(item[1]), -item[0].date.toordinal(), item[0].slug),
        )
        return [Suggestion(a.title, self.url(a), tuple(found)) for a, found in ranked[:limit]]


def article_index(project: Project, on: dt.date) -> ArticleIndex | None:
    """The guide's published articles, or None when the guide has no site_url (a letter
    cannot print a link that leads nowhere)."""
    raw = read_site_config(project)
    base = site_url(raw)
    if not base:
        return None
    scratch = Collector()  # an article with problems is reported by build/check, not here
    articles = [a for a in load_articles(project.articles_dir, scratch) if a.is_published(on)]
    directory_urls = raw.get("use_directory_urls", True) is not False
    return ArticleIndex(articles, base, directory_urls)


def _tag_key(tag: str) -> str:
    return " ".join(str(tag).replace("-", " ").replace("_", " ").casefold().split())
