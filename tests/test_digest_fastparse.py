"""The fast parsing path gives what feedparser gives, or steps aside for feedparser.

The corpus in tests/fixtures/feed-corpus/ covers RSS 0.91/0.92/2.0, RSS 1.0 (RDF),
Atom 0.3/1.0, namespaces, CDATA, entities, relative links, xml:base, odd dates,
broken XML, entries with nothing to show, and SVG/MathML in titles and summaries.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import feedparser
import pytest

from goodwill.digest.fastparse import fast_parse
from goodwill.digest.parse import _normalized, parse_feed
from goodwill.digest.sanitize import summarize

CORPUS = Path(__file__).parent / "fixtures" / "feed-corpus"
FEEDS = sorted(CORPUS.glob("*.xml"))
URL = "https://host.example/blog/feed.xml"
NOW = 1795694400.0  # 2026-11-20T12:00:00Z
FAST = {
    "atom10.xml",
    "rdf.xml",
    "rss091.xml",
    "rss20-entities.xml",
    "rss20-namespaces.xml",
    "rss20-relative.xml",
    "svg-math.xml",
}


def stamp(*parts) -> float:
    return dt.datetime(*parts, tzinfo=dt.UTC).timestamp()


def fields(result) -> list[tuple]:
    return [(e.id, e.title, e.link, e.published, e.body, e.base_url) for e in result.entries]


def by_feedparser(body: bytes):
    parsed = feedparser.parse(body, sanitize_html=False, resolve_relative_uris=False)
    return _normalized(parsed.get("feed", {}), parsed.get("entries", []), URL, None, NOW)


def test_the_corpus_has_every_kind_of_feed():
    assert len(FEEDS) >= 14
    versions = {feedparser.parse(p.read_bytes()).get("version") for p in FEEDS}
    assert {"rss091u", "rss092", "rss20", "rss10", "atom03", "atom10"} <= versions


@pytest.mark.parametrize("path", FEEDS, ids=lambda p: p.name)
def test_fast_path_matches_feedparser_or_steps_aside(path):
    body = path.read_bytes()
    fast = fast_parse(body)
    assert (fast is not None) == (path.name in FAST)
    slow = by_feedparser(body)
    if fast is not None:
        quick = _normalized(*fast, URL, None, NOW)
        assert fields(quick) == fields(slow)
        assert quick.title == slow.title and quick.empty == slow.empty
    result = parse_feed(body, URL, "application/xml", NOW)
    assert fields(result) == fields(slow)  # whichever path ran, the same entries


def test_relative_links_odd_dates_and_entities_are_read_the_same():
    result = parse_feed((CORPUS / "rss20-relative.xml").read_bytes(), URL, "", NOW)
    assert [e.link for e in result.entries] == [
        "https://host.example/posts/relative-one",
        "https://host.example/blog/posts/two?utm_source=rss&x=1#top",
        "https://cdn.relative.example/three",
    ]
    assert [e.id for e in result.entries][:2] == [f"{URL}#post-1", f"{URL}#post-2"]
    dates = parse_feed((CORPUS / "rss20-odd-dates.xml").read_bytes(), URL, "", NOW)
    assert [e.published for e in dates.entries] == [
        stamp(2026, 11, 18, 10),
        stamp(2026, 11, 18, 10),
        stamp(2026, 11, 17, 8, 15),
        stamp(2026, 11, 17, 7, 15),
        None,
        None,
        NOW,  # a future date is clamped to now
    ]
    entities = parse_feed((CORPUS / "rss20-entities.xml").read_bytes(), URL, "", NOW)
    assert [e.title for e in entities.entries] == [
        "Fish & chips <3 — © 2026",
        "Escaped markup in a title",
        "Ünïcödé and emoji 🎉",
    ]


def test_entries_with_nothing_to_show_are_accounted_for():
    result = parse_feed((CORPUS / "empty-entries.xml").read_bytes(), URL, "", NOW)
    assert result.problem == "3 entries skipped: no title, link or text"
    body = (
        (CORPUS / "rss092.xml")
        .read_bytes()
        .replace(b"<item>\n<title>Minutes", b"<item></item><item>\n<title>Minutes")
    )
    mixed = parse_feed(body, URL, "", NOW)
    assert len(mixed.entries) == 2
    assert mixed.warnings == ["1 entry skipped: no title, link or text"]


def test_svg_and_mathml_keep_their_text():
    result = parse_feed((CORPUS / "svg-math.xml").read_bytes(), URL, "", NOW)
    [entry] = result.entries
    assert entry.title == "Referral funnel"
    assert summarize(entry.body, entry.base_url, 300) == "<p>The split: a + b</p>"


def test_a_title_made_only_of_markup_becomes_its_text():
    body = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>C</title>'
        b'<item><title>&lt;img src="chart.png" alt="Chart of the week"&gt;</title>'
        b"<link>https://c.example/1</link></item>"
        b"<item><title>&lt;svg&gt;&lt;text&gt;Q3 &amp;amp; Q4&lt;/text&gt;&lt;/svg&gt;</title>"
        b"<link>https://c.example/2</link></item></channel></rss>"
    )
    result = parse_feed(body, URL, "", NOW)
    assert [e.title for e in result.entries] == ["Chart of the week", "Q3 & Q4"]
