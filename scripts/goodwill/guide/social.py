"""Open Graph and Twitter card data for article pages, carried in their front matter.

The theme override (templates/guide/overrides/main.html) turns page.meta into the
<meta> tags on every page; articles add their kind, authors and picture here, as
absolute URLs, since social sites fetch them from elsewhere.
"""

from __future__ import annotations

import json
from urllib.parse import urljoin

from goodwill.guide.articles import Article
from goodwill.guide.urls import page_url


def article_social_meta(
    base_url: str, article: Article, names: list[tuple[str, str]], directory_urls: bool = True
) -> list[str]:
    """Front matter lines (JSON values) for one article's social meta tags."""
    authors = [
        {
            "name": name,
            "url": urljoin(base_url, page_url(f"authors/{slug}.md", directory_urls))
            if base_url and slug
            else "",
        }
        for name, slug in names
    ]
    lines = ["gw_kind: article", f"gw_authors: {json.dumps(authors, ensure_ascii=False)}"]
    image = absolute_image(base_url, article.image)
    if image:
        lines.append(f"gw_image: {json.dumps(image, ensure_ascii=False)}")
    return lines


def absolute_image(base_url: str, image: str) -> str:
    """An image path under content/ as a full URL (unchanged if it already is one)."""
    if not image or "://" in image:
        return image
    return urljoin(base_url, image.lstrip("/")) if base_url else ""
