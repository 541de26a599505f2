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

KNOWN_KEYS = ("title", "date", "authors", "tags", "description", "draft", "slug")
WORDS_PER_MINUTE = 220
SUMMARY_CHARS = 200
_HEADING = re.compile(r"^#\s+(.+?)\s*#*\s*$")
_MARKUP = re.compile(r"[*_`\[\]<>#]|\(http[^)]*\)")


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

    @property
    def words(self) -> int:
        return len(self.body.split())

    @property
    def summary(self) -> str:
        """The description, or else the start of the first paragraph as plain text."""
        if self.description:
            return self.description
        for block in self.body.split("\n\n"):
            text = " ".join(_MARKUP.sub("", block).split())
            if text and not block.lstrip().startswith(("#", "!", "<", "|", "```")):
                return text if len(text) <= SUMMARY_CHARS else _cut(text, SUMMARY_CHARS)
        return ""

    @property
    def reading_minutes(self) -> int:
        return max(1, math.ceil(self.words / WORDS_PER_MINUTE))

    def is_published(self, on: dt.date, drafts: bool = False) -> bool:
        return (drafts or not self.draft) and self.date <= on


def load_articles(
    articles_dir: Path, problems: Collector, paths: list[Path] | None = None
) -> list[Article]:
    """Read every article (or only `paths`), collecting all problems; return those that loaded."""
    articles: list[Article] = []
    by_slug: dict[str, Article] = {}
    for path in sorted(articles_dir.rglob("*.md")) if paths is None else paths:
        try:
            article = read_article(path, problems)
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
        title, body = _title_from_body(body)
        guessed.append("title from the first heading" if title else "title from the file name")
        title = title or path.stem.replace("-", " ").strip().capitalize()
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
        date = dt.date.fromtimestamp(path.stat().st_mtime)
        guessed.append("date from the file's modification time")

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

    if guessed:
        what = "front matter incomplete" if meta else "no front matter"
        problems.warning(
            path,
            1,
            f"{what}: guessed " + " and ".join(guessed),
            "add `title:` and `date:` front matter to set them",
        )
    if not ok:
        return None
    return Article(
        path, slug, title.strip(), date, body, body_line, authors, tags, description.strip(), draft
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


def _title_from_body(body: str) -> tuple[str | None, str]:
    """Take the first `# heading` (removing it) or else the first line as the title."""
    lines = body.split("\n")
    for index, line in enumerate(lines):
        if not line.strip():
            continue
        match = _HEADING.match(line)
        if match:
            return match.group(1).strip(), "\n".join(lines[:index] + lines[index + 1 :])
        plain = _MARKUP.sub("", line).strip()
        return (plain[:77] + "...") if len(plain) > 80 else plain, body
    return None, body
