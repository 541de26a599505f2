"""One feed entry, normalized: stable id, absolute link, UTC date, plain title.

The entry's HTML body is kept as the feed sent it (capped) and sanitized only
when an issue uses it (sanitize.summarize): most entries seen never reach an
issue, and nh3 would be most of the cost of reading a feed.
"""

from __future__ import annotations

import calendar
import hashlib
import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from goodwill.core.xmltext import xml_text
from goodwill.digest.sanitize import flatten_deep_html, plain_text

MAX_BODY_CHARS = 100_000  # of the feed's HTML kept for the summary; far more than it shows
_TRACKING = ("utm_", "fbclid", "gclid", "mc_cid", "mc_eid")
_DEFAULT_PORTS = {"http": 80, "https": 443}
_URI_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:\S")
# http(s)://host[:port][/path] with nothing unusual in it: checked without urlsplit
_SIMPLE_URL = re.compile(
    r"https?://([A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?)(?::(\d{1,5}))?(/[^\s\\]*)?\Z"
)


@dataclass
class Entry:
    id: str
    title: str
    link: str | None
    canonical: str | None
    body: str  # the feed's HTML, NOT sanitized: see sanitize.summarize
    base_url: str | None  # what relative links in `body` are relative to
    published: float | None  # UTC timestamp; None: use the first-seen time


def normalize(raw, base_url: str | None, feed_url: str, now: float) -> Entry | None:
    """Turn one feedparser entry into an Entry; None if it has nothing to show.

    `feed_url` is the feed's address as feeds.yaml gives it: a guid that is not an
    absolute URI ("42", "post-7") is only unique within its feed, so it is prefixed with it.
    """
    link = absolute_link(xml_text(_raw_link(raw)), base_url)
    # No later stage may see what XML cannot carry, nor nesting deep enough to crash a parser.
    body = flatten_deep_html(xml_text(_raw_body(raw)[:MAX_BODY_CHARS]))
    title = plain_text(raw.get("title") or "")
    if not title:
        title = (_first_words(plain_text(body), 80) if body else "") or link or ""
    if not title:
        return None
    guid = xml_text(raw.get("id") or raw.get("guid") or "").strip()
    if guid and not _URI_SCHEME.match(guid):
        guid = f"{feed_url}#{guid}"
    entry_id = (
        guid
        or link
        or "sha1:" + hashlib.sha1(f"{title}\n{body}".encode("utf-8", "replace")).hexdigest()
    )
    published = None
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = raw.get(key)
        if parsed:
            published = min(float(calendar.timegm(parsed)), now)  # future dates are clamped
            break
    return Entry(entry_id, title, link, canonical_link(link), body, link or base_url, published)


def _raw_link(raw) -> str:
    link = raw.get("link") or ""
    if link:
        return link
    for candidate in raw.get("links") or []:
        if candidate.get("rel", "alternate") == "alternate" and candidate.get("href"):
            return candidate["href"]
    return ""


def _raw_body(raw) -> str:
    if raw.get("summary"):
        return raw["summary"]
    for content in raw.get("content") or []:
        if content.get("value"):
            return content["value"]
    return ""


def absolute_link(link: str, base_url: str | None) -> str | None:
    """An absolute http(s) link, or None (relative without base, javascript:, data:,
    not a valid address such as `http://[bad` or a port out of range)."""
    link = (link or "").strip()
    if not link:
        return None
    simple = _SIMPLE_URL.match(link)
    if simple and (not simple.group(2) or int(simple.group(2)) <= 65535):
        return link  # the common case, without urlsplit's cost
    try:
        if base_url and not link.startswith(("http://", "https://")):
            link = urljoin(base_url, link)
        parts = urlsplit(link)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            return None
        parts.port  # noqa: B018 - raises ValueError when out of range
    except ValueError:
        return None
    return link


def canonical_link(link: str | None) -> str | None:
    """The link as a dedupe key: lower-case host, no fragment, no tracking parameters."""
    if not link:
        return None
    simple = _SIMPLE_URL.match(link)
    if simple and "?" not in link and "#" not in link and int(simple.group(2) or 0) <= 65535:
        host, port, path = simple.group(1).lower(), simple.group(2), simple.group(3) or "/"
        scheme = "https"
        if port and int(port) != _DEFAULT_PORTS[link[: link.index(":")]]:
            host = f"{host}:{int(port)}"
        return f"{scheme}://{host}{path}"
    try:
        parts = urlsplit(link)
        host = (parts.hostname or "").lower()
        port = parts.port
    except ValueError:
        return None
    if port and port != _DEFAULT_PORTS.get(parts.scheme):
        host = f"{host}:{port}"
    query = ""
    if parts.query:
        query = urlencode(
            [
                (k, v)
                for k, v in parse_qsl(parts.query, keep_blank_values=True)
                if not k.lower().startswith(_TRACKING)
            ]
        )
    scheme = "https" if parts.scheme == "http" else parts.scheme
    return urlunsplit((scheme, host, parts.path or "/", query, ""))


def _first_words(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + "…"
