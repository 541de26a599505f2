"""Parse downloaded feed bytes with feedparser (never letting it fetch) into entries.

`parse_feed` is a plain function of bytes so it can run in a worker process.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import feedparser

from goodwill.digest.entries import Entry, normalize
from goodwill.digest.fastparse import fast_parse
from goodwill.digest.sanitize import plain_text

NOTHING_TO_SHOW = "no title, link or text"


@dataclass
class ParsedFeed:
    entries: list[Entry] = field(default_factory=list)
    problem: str = ""  # why the feed is unusable (no entries); empty when usable
    warnings: list[str] = field(default_factory=list)  # usable, but something was wrong
    title: str = ""  # the feed's own title, as plain text
    skipped: list[str] = field(default_factory=list)  # entries that raised, and why
    empty: int = 0  # entries with no title, link or text: nothing to show


def parse_feed(
    body: bytes, url: str, content_type: str, now: float, feed_url: str | None = None
) -> ParsedFeed:
    """Entries of one feed document. Never raises for bad input: see `problem`.

    `url` is where the bytes came from (relative links are resolved against it when it
    is an http(s) address); `feed_url` is the feed's address in feeds.yaml, which makes
    feed-local guids unique (default: `url`). Well-formed plain feeds take the fast path
    (fastparse.py); everything else, and any feed the fast path finds empty, feedparser.
    """
    if not body.strip():
        return ParsedFeed(problem="empty response")
    fast = fast_parse(body)
    if fast is not None and fast[1]:
        feed, raw_entries = fast
        result = _normalized(feed, raw_entries, url, feed_url, now)
        if result.entries:
            return _finish(result, "", content_type, "fast")
    # No content-location: links are made absolute once, in normalize(), not by feedparser too.
    headers = {"content-type": content_type} if content_type else {}
    try:
        # No sanitizing or link resolving here: nh3 does both, once, with our own allow-list,
        # on the summaries an issue actually uses.
        parsed = feedparser.parse(
            body, response_headers=headers, sanitize_html=False, resolve_relative_uris=False
        )
    except Exception as exc:  # feedparser promises not to raise; defend anyway  # noqa: BLE001
        return ParsedFeed(problem=f"unreadable feed: {exc}")
    result = _normalized(parsed.get("feed", {}), parsed.get("entries", []), url, feed_url, now)
    return _finish(result, _bozo_reason(parsed), content_type, parsed.get("version"))


def _normalized(feed, raw_entries, url: str, feed_url: str | None, now: float) -> ParsedFeed:
    base = url if url.startswith(("http://", "https://")) else feed.get("link")
    result = ParsedFeed(title=plain_text(feed.get("title") or "")[:200])
    seen: set[str] = set()
    for raw in raw_entries:
        try:
            entry = normalize(raw, base, feed_url or url, now)
        except Exception as exc:  # one odd entry must not cost the feed  # noqa: BLE001
            result.skipped.append(f"{type(exc).__name__}: {exc}")
            continue
        if entry is None:
            result.empty += 1
        elif entry.id not in seen:
            seen.add(entry.id)
            result.entries.append(entry)
    return result


def _finish(result: ParsedFeed, problem: str, content_type: str, version) -> ParsedFeed:
    """Say what was wrong, and account for every entry that was left out."""
    skipped, empty = result.skipped, result.empty
    if not result.entries:
        if problem:
            result.problem = f"not a feed ({_kind(content_type)}{problem})"
        elif skipped:
            result.problem = f"no entry could be read ({skipped[0]})"
        elif empty:
            result.problem = f"{_entries(empty)} skipped: {NOTHING_TO_SHOW}"
        elif not version:
            result.problem = f"not a feed ({_kind(content_type)}no RSS or Atom found)"
        else:
            result.problem = "the feed has no entries"
        return result
    if problem:
        result.warnings.append(f"feed has errors but was read: {problem}")
    if skipped:
        result.warnings.append(
            f"skipped {_entries(len(skipped))} that could not be read ({skipped[0]})"
        )
    if empty:
        result.warnings.append(f"{_entries(empty)} skipped: {NOTHING_TO_SHOW}")
    return result


def _entries(count: int) -> str:
    return f"{count} entr{'y' if count == 1 else 'ies'}"


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
