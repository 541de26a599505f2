"""Parse downloaded feed bytes with feedparser (never letting it fetch) into entries.

`parse_feed` is a plain function of bytes so it can run in a worker process.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import feedparser

from goodwill.digest.entries import Entry, normalize


@dataclass
class ParsedFeed:
    title: str = ""
    entries: list[Entry] = field(default_factory=list)
    problem: str = ""  # why the feed is unusable (no entries); empty when usable
    warning: str = ""  # a bozo feed that still yielded entries


def parse_feed(body: bytes, url: str, content_type: str, summary_chars: int, now: float):
    """Entries of one feed document. Never raises for bad input: see `problem`."""
    if not body.strip():
        return ParsedFeed(problem="empty response")
    # No content-location: links are made absolute once, in normalize(), not by feedparser too.
    headers = {"content-type": content_type} if content_type else {}
    try:
        # Sanitizing and resolving links is done by nh3 below, once, with our own allow-list.
        parsed = feedparser.parse(
            body, response_headers=headers, sanitize_html=False, resolve_relative_uris=False
        )
    except Exception as exc:  # feedparser promises not to raise; defend anyway  # noqa: BLE001
        return ParsedFeed(problem=f"unreadable feed: {exc}")
    feed = parsed.get("feed", {})
    base = url if url.startswith(("http://", "https://")) else feed.get("link")
    result = ParsedFeed(title=feed.get("title", "") or "")
    seen: set[str] = set()
    for raw in parsed.get("entries", []):
        entry = normalize(raw, base, summary_chars, now)
        if entry is not None and entry.id not in seen:
            seen.add(entry.id)
            result.entries.append(entry)
    problem = _bozo_reason(parsed)
    if not result.entries:
        if problem:
            result.problem = f"not a feed ({_kind(content_type)}{problem})"
        elif not parsed.get("version"):
            result.problem = f"not a feed ({_kind(content_type)}no RSS or Atom found)"
        else:
            result.problem = "the feed has no entries"
    elif problem:
        result.warning = f"feed has errors but was read: {problem}"
    return result


def _bozo_reason(parsed) -> str:
    if not parsed.get("bozo"):
        return ""
    exc = parsed.get("bozo_exception")
    if isinstance(exc, feedparser.CharacterEncodingOverride):
        return ""  # a wrong charset declaration, recovered from silently
    text = str(exc) or type(exc).__name__
    return text.splitlines()[0][:200]


def _kind(content_type: str) -> str:
    kind = content_type.split(";")[0].strip()
    return f"{kind}: " if kind else ""
