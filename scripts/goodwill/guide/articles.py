"""Networking articles: front matter schema, validation, and loading."""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

from slugify import slugify

from goodwill.core.dates import DATE_HINT, parse_date
from goodwill.core.errors import Collector, GoodwillError
from goodwill.core.frontmatter import split_front_matter
from goodwill.core.textfile import read_text
from goodwill.core.yamlload import LineDict
from goodwill.guide.pasted_dates import resolve_dates

KNOWN_KEYS = ("title", "date", "authors", "tags", "description", "draft", "slug", "image")
WORDS_PER_MINUTE = 220
SUMMARY_CHARS = 200
_HEADING = re.compile(r"^#\s+(.+?)\s*#*\s*$")
_SETEXT = re.compile(r"^=+\s*$")
_HTML_H1 = re.compile(r"^\s*<h1[^>]*>(.+?)</h1>\s*$", re.I)
_HTML = re.compile(r"<!--.*?-->|<[^>]+>", re.S)
_MARKUP = re.compile(r"[*_`\[\]<>#]|\(http[^)]*\)")
TITLE_LINE_CHARS = 80  # a longer first line is a paragraph, not a title
UNDATED = dt.date.min  # an undated article's date until pasted_dates gives it one


@dataclass
class Article:
    path: Path
    slug: str
    title: str
    date: dt.date
    body: str
    body_line: int = 1
    authors: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    description: str = ""
    draft: bool = False
    image: str = ""  # a path under content/ or an absolute URL; the social card picture
    guessed: list[str] = field(default_factory=list)  # what came from the file, not front matter
    has_front_matter: bool = True
    date_guessed: bool = False  # no `date:`: pasted_dates gives it one that lasts

    @property
    def words(self) -> int:
        return len(self.body.split())

    @property
    def summary(self) -> str:
        """The description, or else the start of the first paragraph as plain text."""
        if self.description:
            return self.description
        for block in self.body.split("\n\n"):
            block = _HTML.sub("", block).strip()  # pasted HTML: <p> paragraphs, editor comments
            text = " ".join(_MARKUP.sub("", block).split())
            if text and not block.startswith(("#", "!", "|", "```", "[![")):
                return text if len(text) <= SUMMARY_CHARS else _cut(text, SUMMARY_CHARS)
        return ""

    @property
    def reading_minutes(self) -> int:
        return max(1, math.ceil(self.words / WORDS_PER_MINUTE))

    def is_published(self, on: dt.date, drafts: bool = False) -> bool:
        return (drafts or not self.draft) and self.date <= on

    def is_scheduled(self, on: dt.date) -> bool:
        return not self.draft and self.date > on


def load_articles(
    articles_dir: Path,
    problems: Collector,
    paths: list[Path] | None = None,
    *,
    pin: bool = False,
    read=None,
) -> list[Article]:
    """Read every article (or only `paths`), collecting all problems; return those that loaded.

    Undated (pasted) articles get their lasting date from pasted_dates; `pin` lets it
    record new ones (a build does, `check` does not)."""
    articles: list[Article] = []
    by_slug: dict[str, Article] = {}
    for path in sorted(articles_dir.rglob("*.md")) if paths is None else paths:
        try:
            article = (read or read_article)(path, problems)
        except GoodwillError as exc:
            problems.extend([exc.problem])
            continue
        if article is None:
            continue
        if article.slug in by_slug:
            other = by_slug[article.slug]
            problems.error(
                path,
                1,
                f"duplicate slug '{article.slug}', already used by {other.path.name}",
                "rename one file or give it a different `slug:` in its front matter",
            )
            continue
        by_slug[article.slug] = article
        articles.append(article)
    resolve_dates(articles, articles_dir.parent, problems, pin=pin)
    return articles


def read_article(path: Path, problems: Collector) -> Article | None:
    """Parse one article; problems go to the collector, None if it cannot be used."""
    text = read_text(path)
    if not text.strip():
        problems.error(
            path, None, "file is empty", "write a title line and some text, or delete it"
        )
        return None
    split = split_front_matter(text, path)
    meta = split.meta
    if meta is None:
        meta = LineDict.empty()
    elif not isinstance(meta, dict):
        problems.error(
            path,
            2,
            "front matter is not a set of `key: value` lines",
            "write e.g. `title: My article` between the --- lines",
        )
        return None
    return _article_from(path, meta, split.body, split.body_line, problems)


def _article_from(path, meta, body, body_line, problems: Collector) -> Article | None:
    ok = True
    problems.check_keys(path, meta, KNOWN_KEYS, "front matter key")

    guessed: list[str] = []
    title = meta.get("title")
    if title is None:
        title, body, source = _title_from_body(body)
        guessed.append(f"title from the {source}" if title else "title from the file name")
        title = title or _title_from_name(path)
    elif not isinstance(title, str) or not title.strip():
        problems.error(path, meta.line_of("title"), "title: must be non-empty text", "quote it")
        ok = False

    if "date" in meta:
        try:
            date = parse_date(meta["date"])
        except ValueError as exc:
            problems.error(path, meta.line_of("date"), f"date: {exc}", DATE_HINT)
            ok = False
    else:
        date = UNDATED  # pasted_dates.resolve_dates fills it in and warns

    authors = _text_list(meta, "authors", path, problems)
    tags = _text_list(meta, "tags", path, problems)
    ok = ok and authors is not None and tags is not None

    description = meta.get("description", "")
    if not isinstance(description, str):
        problems.error(path, meta.line_of("description"), "description: must be text", "quote it")
        ok = False
    draft = meta.get("draft", False)
    if not isinstance(draft, bool):
        problems.error(path, meta.line_of("draft"), "draft: must be true or false")
        ok = False
    image = meta.get("image", "")
    if not isinstance(image, str):
        problems.error(
            path,
            meta.line_of("image"),
            "image: must be a path or URL",
            "write e.g. `image: assets/images/handshake.jpg` (under content/)",
        )
        ok = False
    slug_value = meta.get("slug", path.stem)
    slug = slugify(str(slug_value))
    if not slug:
        problems.error(
            path,
            meta.line_of("slug"),
            f"cannot make a URL slug from {slug_value!r}",
            "use letters or digits in the file name or `slug:`",
        )
        ok = False

    if not ok:
        return None
    article = Article(
        path, slug, title.strip(), date, body, body_line, authors, tags, description.strip(), draft
    )
    article.image = image.strip()
    article.guessed = guessed
    article.has_front_matter = bool(meta)
    article.date_guessed = date == UNDATED
    if guessed and not article.date_guessed:  # else pasted_dates warns, with the date
        warn_guessed(article, problems)
    return article


def warn_guessed(article: Article, problems: Collector) -> None:
    """Say what was guessed (pasted_dates says it for articles whose date it guesses)."""
    what = "front matter incomplete" if article.has_front_matter else "no front matter"
    problems.warning(
        article.path,
        1,
        f"{what}: guessed " + " and ".join(article.guessed),
        "add `title:` and `date:` front matter to set them",
    )


def _text_list(meta, key, path, problems: Collector) -> list[str] | None:
    value = meta.get(key, [])
    if isinstance(value, str):
        value = [part.strip() for part in value.split(",") if part.strip()]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        example = "[networking, referrals]" if key == "tags" else "[Maria Lopez]"
        problems.error(
            path,
            meta.line_of(key),
            f"{key}: must be a list of text, got {value!r}",
            f"write e.g. `{key}: {example}`",
        )
        return None
    return [v.strip() for v in value]


def _cut(text: str, limit: int) -> str:
    """Shorten at a word boundary, with an ellipsis."""
    return text[:limit].rsplit(" ", 1)[0].rstrip(",.;:") + "…"


def _title_from_body(body: str) -> tuple[str | None, str, str]:
    """The title a pasted post starts with, the body without it, and where it came from.

    A `# heading`, a `Title` underlined with `===`, an HTML `<h1>`, or a short first line
    standing alone (taken out of the body, so the page does not show it twice). A long
    first line is the opening paragraph: it stays, and the title comes from the file name.
    """
    lines = body.split("\n")
    for index, line in enumerate(lines):
        if not line.strip() or line.lstrip().startswith("<!--") and line.rstrip().endswith("-->"):
            continue
        following = lines[index + 1] if index + 1 < len(lines) else ""
        rest = lines[:index] + lines[index + 1 :]
        match = _HEADING.match(line) or _HTML_H1.match(line)
        if match:
            return _plain(match.group(1)), "\n".join(rest), "first heading"
        if _SETEXT.match(following):
            return _plain(line), "\n".join(lines[:index] + lines[index + 2 :]), "first heading"
        plain = _plain(line)
        if plain and len(plain) <= TITLE_LINE_CHARS and not following.strip():
            return plain, "\n".join(rest), "first line"
        return None, body, ""
    return None, body, ""


def _plain(text: str) -> str:
    return " ".join(_MARKUP.sub("", _HTML.sub("", text)).split())


def _title_from_name(path: Path) -> str:
    return " ".join(path.stem.replace("-", " ").replace("_", " ").split()).capitalize()
