"""An issue's Markdown as safe HTML with absolute links: for e-mail and for the Atom feeds.

Neither has a base URL to resolve relative links against, and both must carry
only allow-listed markup.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

import markdown
import nh3

from goodwill.digest.sanitize import flatten_deep_html

EMAIL_TAGS = frozenset(
    [
        "a",
        "b",
        "blockquote",
        "br",
        "code",
        "div",
        "em",
        "h1",
        "h2",
        "h3",
        "h4",
        "hr",
        "i",
        "li",
        "ol",
        "p",
        "pre",
        "s",
        "span",
        "strong",
        "sub",
        "sup",
        "u",
        "ul",
    ]
)


def body_html(body: str, site_url: str) -> str:
    """The issue's Markdown as sanitized HTML with absolute links (mail has no base URL)."""
    html = markdown.markdown(
        body, extensions=["attr_list", "md_in_html", "sane_lists"], output_format="html"
    )
    base = urljoin(site_url, "digest/") if site_url else ""

    def absolute(tag: str, attribute: str, value: str) -> str | None:
        if attribute != "href" or urlsplit(value).scheme or value.startswith("#"):
            return value
        target = urljoin(base, value) if base else value
        path = urlsplit(target).path
        if path.endswith(".md"):
            page = re.sub(r"(?:^|/)index\.md$", "/", path)
            page = page[:-3] + "/" if page.endswith(".md") else page
            target = target.replace(path, page, 1)
        return target

    return nh3.clean(
        flatten_deep_html(html),  # a hand-edited issue too must not crash the CSS inliner
        tags=set(EMAIL_TAGS),
        attributes={"*": {"class"}, "a": {"href", "title"}},
        attribute_filter=absolute,
        url_schemes={"http", "https", "mailto"},
        strip_comments=True,
        link_rel=None,
    )
