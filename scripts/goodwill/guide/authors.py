"""Authors: the optional content/authors.yaml (bio, photo, links) and one page per author.

Every name in an article's `authors:` (or the site author, for articles without one)
gets a page listing their articles, newest first; bylines link to it. authors.yaml adds
what a reader wants to know about them. It is validated like every other file:
`path:line: problem (hint)`, all problems at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from slugify import slugify

from goodwill.core.errors import Collector, GoodwillError, did_you_mean
from goodwill.core.project import Project
from goodwill.core.yamlload import load_yaml_file

AUTHORS_NAME = "authors.yaml"
KNOWN_KEYS = ("name", "bio", "photo", "links", "slug")
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".avif"}


@dataclass
class AuthorInfo:
    """What authors.yaml says about one author."""

    name: str
    slug: str
    bio: str = ""
    photo: str = ""  # a path under content/ or an https URL
    links: list[tuple[str, str]] = field(default_factory=list)  # (label, url)


@dataclass
class Author:
    """An author as the guide shows them: their details and their articles, newest first."""

    info: AuthorInfo
    articles: list = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.info.name

    @property
    def slug(self) -> str:
        return self.info.slug


def authors_file(project: Project) -> Path:
    return project.content_dir / AUTHORS_NAME


def check_authors(project: Project, problems: Collector) -> dict[str, AuthorInfo]:
    """Read and validate content/authors.yaml (absent is fine); name -> details."""
    path = authors_file(project)
    if not path.is_file():
        return {}
    data = load_yaml_file(path)
    if data is None:
        return {}
    if not isinstance(data, list):
        problems.error(
            path, 1, "authors.yaml must be a list of authors", "start each with `- name: ...`"
        )
        return {}
    found: dict[str, AuthorInfo] = {}
    for index, item in enumerate(data):
        line = data.item_lines[index] if hasattr(data, "item_lines") else None
        if not isinstance(item, dict):
            problems.error(path, line, "each author must be a set of `key: value` lines")
            continue
        info = _author_info(project, path, item, problems)
        if info is None:
            continue
        if info.name in found:
            problems.error(path, item.line_of("name"), f"author '{info.name}' is listed twice")
            continue
        found[info.name] = info
    return found


def _author_info(project: Project, path: Path, item, problems: Collector) -> AuthorInfo | None:
    problems.check_keys(path, item, KNOWN_KEYS, "author key")
    name = item.get("name")
    if not isinstance(name, str) or not name.strip():
        problems.error(
            path, item.line_of("name"), "name: required text", "as written in articles' `authors:`"
        )
        return None
    name = name.strip()
    ok = True
    texts = {}
    for key in ("bio", "photo", "slug"):
        value = item.get(key, "")
        if not isinstance(value, str):
            problems.error(path, item.line_of(key), f"author '{name}': {key}: must be text")
            ok = False
        texts[key] = value.strip() if isinstance(value, str) else ""
    slug = slugify(texts["slug"] or name)
    if not slug:
        problems.error(
            path,
            item.line_of("name"),
            f"author '{name}': cannot make a URL from the name",
            "add `slug:` with letters or digits",
        )
        ok = False
    photo = texts["photo"]
    if photo and not _check_photo(project, path, item.line_of("photo"), name, photo, problems):
        ok = False
    links = _links(path, item, name, problems)
    if links is None:
        ok = False
    if not ok:
        return None
    return AuthorInfo(name, slug, texts["bio"], photo, links or [])


def _check_photo(project, path, line, name, photo, problems: Collector) -> bool:
    if urlsplit(photo).scheme in ("http", "https"):
        return True
    target = (project.content_dir / photo).resolve()
    content = project.content_dir.resolve()
    if content not in target.parents or Path(photo).suffix.lower() not in IMAGE_SUFFIXES:
        problems.error(
            path,
            line,
            f"author '{name}': photo: {photo} is not an image under content/",
            "write e.g. `photo: assets/images/maria.jpg`, or an https:// URL",
        )
        return False
    if not target.is_file():
        problems.error(
            path,
            line,
            f"author '{name}': photo: {photo} does not exist",
            "the path is relative to content/",
        )
        return False
    return True


def _links(path, item, name, problems: Collector) -> list[tuple[str, str]] | None:
    value = item.get("links", {})
    if not isinstance(value, dict):
        problems.error(
            path,
            item.line_of("links"),
            f"author '{name}': links: must be `label: URL` lines",
            "e.g. `links: {Website: https://example.com, LinkedIn: https://...}`",
        )
        return None
    links = []
    for label, url in value.items():
        scheme = urlsplit(url).scheme if isinstance(url, str) else ""
        if scheme not in ("http", "https", "mailto"):
            problems.error(
                path,
                value.line_of(label),
                f"author '{name}': link '{label}': {url!r} is not an http(s) or mailto: URL",
                "write the full address, e.g. https://example.com",
            )
            return None
        links.append((str(label), url))
    return links


def collect_authors(
    articles, known: dict[str, AuthorInfo], site_author: str, problems: Collector, path=None
) -> list[Author]:
    """Every author with their articles (in the order given: newest first), by name."""
    by_name: dict[str, Author] = {}
    slugs: dict[str, str] = {}
    for article in articles:
        for name in byline_names(article, site_author):
            author = by_name.get(name)
            if author is None:
                info = known.get(name) or AuthorInfo(name, slugify(name) or "author")
                if info.slug in slugs and slugs[info.slug] != name:
                    info = AuthorInfo(info.name, f"{info.slug}-{len(slugs)}", *_rest(info))
                slugs[info.slug] = name
                author = by_name[name] = Author(info)
            author.articles.append(article)
    if path is not None:
        for name in known:
            if name not in by_name:
                hint = did_you_mean(name, by_name) or "no published article names this author"
                problems.warning(path, None, f"author '{name}' has no articles", hint)
    return sorted(by_name.values(), key=lambda a: a.name.casefold())


def _rest(info: AuthorInfo):
    return info.bio, info.photo, info.links


def byline_names(article, site_author: str) -> list[str]:
    return article.authors or ([site_author] if site_author else [])


def load_authors(project: Project, problems: Collector) -> dict[str, AuthorInfo]:
    """check_authors, turning an unreadable file into a problem."""
    try:
        return check_authors(project, problems)
    except GoodwillError as exc:
        problems.extend([exc.problem])
        return {}
