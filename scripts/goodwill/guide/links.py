"""Check relative links between articles before MkDocs runs, with source lines."""

from __future__ import annotations

import re
from urllib.parse import unquote

from goodwill.core.errors import Collector
from goodwill.guide.articles import Article

_LINK = re.compile(r"\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")


def check_article_links(
    articles: list[Article], known_pages: set[str], problems: Collector, strict: bool
) -> None:
    """Report links to `.md` pages that will not exist in the built guide.

    `known_pages` holds docs-relative paths (e.g. `articles/slug.md`, `archive.md`).
    """
    report = problems.error if strict else problems.warning
    for article in articles:
        for offset, line in enumerate(article.body.split("\n")):
            for match in _LINK.finditer(line):
                target = unquote(match.group(1).split("#", 1)[0])
                if not target.endswith(".md") or "://" in target:
                    continue
                resolved = _resolve("articles", target)
                if resolved not in known_pages:
                    report(
                        article.path,
                        article.body_line + offset,
                        f"link to '{target}' points at no page of the guide",
                        "check the file name in content/articles/ (drafts and future "
                        "articles are not built)",
                    )


def _resolve(base: str, target: str) -> str:
    parts = [] if target.startswith("/") else base.split("/")
    for part in target.lstrip("/").split("/"):
        if part == "..":
            if parts:
                parts.pop()
        elif part not in ("", "."):
            parts.append(part)
    return "/".join(parts)
