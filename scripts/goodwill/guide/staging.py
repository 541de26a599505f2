"""Write the guide's public Markdown into a staging folder for MkDocs.

Articles get a byline (linked to their authors' pages), tags and previous/next links;
the home page, archive, tags index, author pages and digest pages are generated from
templates. Only publishable files are copied: records and feed lists never enter the
staging folder. Everything goes through StagedFiles, so a preview rewrites only what
changed.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

from goodwill.core.dates import today
from goodwill.core.errors import Collector
from goodwill.core.project import Project
from goodwill.core.public_files import PublicFiles, public_files
from goodwill.core.render import render
from goodwill.core.siteconfig import read_site_config, site_url
from goodwill.digest.publish import stage_digest
from goodwill.guide.article_feeds import write_article_feeds
from goodwill.guide.articles import Article
from goodwill.guide.authors import Author, collect_authors, load_authors
from goodwill.guide.digest_pages import stage_issue_pages
from goodwill.guide.incremental import StagedFiles
from goodwill.guide.listing_splice import SplicedLists
from goodwill.guide.listings import tag_slug, warn_old_tags_template, write_listings
from goodwill.guide.partners import stage_partners
from goodwill.guide.social import article_social_meta
from goodwill.guide.urls import page_url, relative_url
from goodwill.relations.records import Contact

GENERATED = ("index.md", "archive.md", "tags.md", "authors/index.md", "digest/index.md")


@dataclass
class StagedSite:
    docs_dir: Path
    articles: list[Article]  # listed (published, and scheduled when shown), newest first
    authors: list[Author] = field(default_factory=list)
    pages: list[Article] = field(default_factory=list)  # every article with a page


@dataclass
class Marking:
    """How pages mark an article that is not published (yet) on day `on`."""

    on: dt.date

    def status(self, article: Article) -> str:
        if article.draft:
            return "draft"
        return "scheduled" if article.date > self.on else ""


def stage_guide(
    project: Project,
    articles: list[Article],
    docs_dir: Path,
    site_author: str,
    problems: Collector,
    public: PublicFiles | None = None,
    *,
    files: StagedFiles | None = None,
    list_drafts: bool = False,
    splice: SplicedLists | None = None,
    partners: list[Contact] | None = None,
) -> StagedSite:
    """Write every public page of the guide into `docs_dir`.

    `articles` are those that get a page. Drafts are never listed or in a feed, except in
    listings of a preview (`list_drafts`); scheduled articles are listed, marked. With
    `splice`, the listings' long lists are kept there and put into the pages after Markdown.
    `partners`: the contacts whose consented spotlights get a Partners page (None: no
    Partners pages at all, not even their index).
    """
    public = public or public_files(project)
    files = files or StagedFiles(docs_dir)
    files.begin()
    marking = Marking(today())
    newest_first = sorted(articles, key=lambda a: (a.date, a.slug), reverse=True)
    listed = [a for a in newest_first if list_drafts or not a.draft]
    known = load_authors(project, Collector())  # build and check report its problems
    authors = collect_authors(listed, known, site_author, Collector())
    slug_of = {a.name: a.slug for a in authors}

    def authors_of(article: Article) -> list[tuple[str, str]]:
        names = article.authors or ([site_author] if site_author else [])
        return [(name, slug_of.get(name)) for name in names]  # None: no page (drafts only)

    helpers = {
        "authors_of": authors_of,
        "status_of": marking.status,
        "tag_slug": tag_slug,
        "site_author": site_author,  # templates written for earlier versions use it
    }
    config = read_site_config(project)
    base_url = site_url(config)
    directory_urls = config.get("use_directory_urls", True) is not False
    _copy_public_files(project, files, public)
    _write_articles(
        project, files, newest_first, listed, helpers, marking, (base_url, directory_urls)
    )
    write_listings(project, files, listed, authors, site_author, helpers, public, splice)
    warn_old_tags_template(project, problems)
    stage_issue_pages(project, files, problems, public)
    if partners is not None:
        stage_partners(project, files, partners)
    # The digest's index and Atom feeds, the articles' RSS and JSON feeds: published
    # articles only, written directly.
    published = [a for a in listed if not marking.status(a)]
    stage_digest(project, docs_dir, published, problems, public)
    if base_url:
        write_article_feeds(
            project,
            config,
            docs_dir,
            base_url,
            published,
            url_of=lambda a: page_url(f"articles/{a.slug}.md", directory_urls),
            authors_of=lambda a: [
                (name, page_url(f"authors/{slug}.md", directory_urls) if slug else None)
                for name, slug in authors_of(a)
            ],
        )
    files.finish()
    return StagedSite(docs_dir, listed, authors, newest_first)


def _write_articles(
    project, files: StagedFiles, newest_first, listed, helpers, marking, site
) -> None:
    base_url, directory_urls = site
    position = {a.slug: i for i, a in enumerate(listed)}
    for article in newest_first:
        index = position.get(article.slug)
        newer = listed[index - 1] if index else None
        older = listed[index + 1] if index is not None and index + 1 < len(listed) else None
        status = marking.status(article)
        names = helpers["authors_of"](article)
        inputs = (_identity(article), status, tuple(names), _brief(newer), _brief(older), site)

        def page(article=article, newer=newer, older=older, status=status, names=names):
            meta = _front_matter(base_url, article, status, names, directory_urls)
            here = f"articles/{article.slug}.md"
            return render(
                project.templates_dir,
                "guide/article.md.j2",
                {
                    "article": article,
                    "newer": newer,
                    "older": older,
                    "status": status,
                    "image": _image_link(article.image),
                    "front_matter": meta,
                    "link": lambda target, anchor="", here=here: relative_url(
                        here, target, anchor, directory_urls
                    ),
                    **helpers,
                },
                subject=f"article {article.path.name}",
            )

        rel = f"articles/{article.slug}.md"
        files.write(rel, files.rendered(rel, inputs, page))


def _identity(article: Article) -> tuple:
    return (
        article.title,
        article.date,
        article.body,
        tuple(article.authors),
        tuple(article.tags),
        article.description,
        article.draft,
        article.image,
    )


def _brief(article: Article | None) -> tuple | None:
    return (article.slug, article.title) if article else None


def _image_link(image: str) -> str:
    if not image or "://" in image:
        return image
    return "../" + image.lstrip("/")


def _front_matter(base_url: str, article: Article, status: str, names, directory_urls: bool) -> str:
    """YAML front matter for MkDocs; values as JSON, which YAML reads, and fast to write."""
    lines = [
        f"title: {json.dumps(article.title, ensure_ascii=False)}",
        f"date: {article.date.isoformat()}",
        "hide: [navigation]",
    ]
    if article.summary:
        lines.append(f"description: {json.dumps(article.summary, ensure_ascii=False)}")
    # No `authors:` for MkDocs: the byline shows them, and the RSS plugin would put bare
    # names into <author>, which RSS 2.0 reserves for e-mail addresses.
    if article.tags:
        lines.append(f"tags: {json.dumps(article.tags, ensure_ascii=False)}")
    if status:
        # Drafts and scheduled pages stay out of search and search engines (and feeds).
        lines += ["draft: true", f"gw_status: {status}", "search:", "  exclude: true"]
    lines += article_social_meta(base_url, article, names, directory_urls)
    return "\n".join(lines)


def _copy_public_files(project: Project, files: StagedFiles, public: PublicFiles) -> None:
    """Copy pages and assets outside articles/; generated pages win over same-named files."""
    for path in public.files:
        rel = path.relative_to(project.content_dir)
        if rel.parts[0] in ("articles", "digest") and path.suffix == ".md":
            continue  # staged from their parsed text: articles here, issues by digest_pages
        if rel.as_posix() in GENERATED:
            continue
        files.copy(path, rel.as_posix())
