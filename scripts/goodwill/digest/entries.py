"""One feed entry, normalized: stable id, absolute link, UTC date, plain title, safe summary."""

from __future__ import annotations

import calendar
import hashlib
from dataclasses import asdict, dataclass
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from goodwill.digest.sanitize import plain_text, summarize

_TRACKING = ("utm_", "fbclid", "gclid", "mc_cid", "mc_eid")


@dataclass
class Entry:
    id: str
    title: str
    link: str | None
    canonical: str | None
    summary: str  # sanitized HTML
    published: float | None  # UTC timestamp; None: use the first-seen time

    def as_dict(self) -> dict:
        return asdict(self)


def normalize(raw, base_url: str | None, summary_chars: int, now: float) -> Entry | None:
    """Turn one feedparser entry into an Entry; None if it has nothing to show."""
    link = absolute_link(_raw_link(raw), base_url)
    body = _raw_body(raw)
    title = plain_text(raw.get("title") or "")
    summary = summarize(body, link or base_url, summary_chars) if body else ""
    if not title:
        title = _first_words(plain_text(summary), 80) or link or ""
    if not title and not link:
        return None
    guid = (raw.get("id") or raw.get("guid") or "").strip()
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
    return Entry(entry_id, title, link, canonical_link(link), summary, published)


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
    """An absolute http(s) link, or None (relative without base, javascript:, data: ...)."""
    link = (link or "").strip()
    if not link:
        return None
    if base_url:
        link = urljoin(base_url, link)
    parts = urlsplit(link)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    return link


def canonical_link(link: str | None) -> str | None:
    """The link as a dedupe key: lower-case host, no fragment, no tracking parameters."""
    if not link:
        return None
    parts = urlsplit(link)
    host = (parts.hostname or "").lower()
    if parts.port and parts.port != {"http": 80, "https": 443}.get(parts.scheme):
        host = f"{host}:{parts.port}"
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not k.lower().startswith(_TRACKING)
    ]
    path = parts.path or "/"
    return urlunsplit(
        ("https" if parts.scheme == "http" else parts.scheme, host, path, urlencode(query), "")
    )


def _first_words(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + "…"
