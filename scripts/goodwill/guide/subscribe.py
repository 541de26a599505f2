"""Every feed the guide publishes, for the home page's Subscribe block, and the sign-up link.

goodwill writes every one of them (RSS 2.0, Atom, JSON Feed 1.1), so the block lists
exactly the files the build produces.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from goodwill.core.errors import Collector
from goodwill.digest.publish import COMBINED_ATOM, DIGEST_ATOM, DIGEST_RSS
from goodwill.guide.article_feeds import JSON_CREATED, JSON_UPDATED, RSS_CREATED, RSS_UPDATED

RSS, ATOM, JSON_FEED = "application/rss+xml", "application/atom+xml", "application/feed+json"


@dataclass(frozen=True)
class Feed:
    label: str
    url: str
    mime: str


@dataclass
class FeedGroup:
    label: str
    feeds: list[Feed] = field(default_factory=list)


@dataclass(frozen=True)
class Signup:
    url: str
    label: str


def feed_files(raw_config: dict) -> list[tuple[str, str, str, str]]:
    """(group, label, file name, type) of every feed file, in the order they are shown.

    goodwill writes them all: the articles' RSS and JSON feeds (by date, and by update),
    the digest's RSS and Atom feeds, and the combined Atom feed."""
    return [
        ("Articles", "RSS", RSS_CREATED, RSS),
        ("Articles", "JSON Feed", JSON_CREATED, JSON_FEED),
        ("The digest", "RSS", DIGEST_RSS, RSS),
        ("The digest", "Atom", DIGEST_ATOM, ATOM),
        ("Articles and digest together", "Atom", COMBINED_ATOM, ATOM),
        ("Recently updated", "Articles (RSS)", RSS_UPDATED, RSS),
        ("Recently updated", "Articles (JSON Feed)", JSON_UPDATED, JSON_FEED),
    ]


def feed_groups(raw_config: dict, base_url: str) -> list[FeedGroup]:
    """The feeds grouped for the Subscribe block, as absolute URLs (none without site_url)."""
    if not base_url:
        return []
    groups: dict[str, FeedGroup] = {}
    for group, label, name, mime in feed_files(raw_config):
        groups.setdefault(group, FeedGroup(group)).feeds.append(
            Feed(label, urljoin(base_url, name), mime)
        )
    return list(groups.values())


def check_signup(section, path, problems: Collector) -> Signup | None:
    """`guide: signup_url:` (and `signup_label:`) from goodwill.yml, validated."""
    url = section.get("signup_url")
    if url is None:
        return None
    if not isinstance(url, str) or urlsplit(url).scheme not in ("http", "https", "mailto"):
        problems.error(
            path,
            section.line_of("signup_url"),
            f"guide: signup_url: {url!r} is not an http(s) or mailto: address",
            "write the sign-up page's full address, e.g. https://example.com/subscribe",
        )
        return None
    label = section.get("signup_label", "Get new articles by e-mail")
    if not isinstance(label, str) or not label.strip():
        problems.error(path, section.line_of("signup_label"), "guide: signup_label: must be text")
        return None
    return Signup(url, label.strip())
