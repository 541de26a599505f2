"""Entry normalization: ids, links, dates, titles, sanitized summaries, dedupe."""

from __future__ import annotations

import datetime as dt

from goodwill.digest.cache import Cache
from goodwill.digest.entries import canonical_link
from goodwill.digest.parse import parse_feed
from goodwill.digest.sanitize import plain_text, summarize

NOW = dt.datetime(2026, 11, 20, 12, tzinfo=dt.timezone.utc)


def feed(items: str) -> bytes:
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
        f"<link>https://blog.example/</link><description>d</description>{items}"
        "</channel></rss>"
    ).encode()


def parse(items: str, url: str = "https://blog.example/feed.xml", chars: int = 300):
    return parse_feed(feed(items), url, "application/rss+xml", chars, NOW.timestamp())


def test_id_is_guid_then_link_then_a_hash():
    entries = parse(
        "<item><title>A</title><guid>urn:a</guid><link>https://x.example/a</link></item>"
        "<item><title>B</title><link>/b</link></item>"
        "<item><title>C</title><description>no link</description></item>"
    ).entries
    assert entries[0].id == "urn:a"
    assert entries[1].id == entries[1].link == "https://blog.example/b"
    assert entries[2].id.startswith("sha1:") and entries[2].link is None
    again = parse("<item><title>C</title><description>no link</description></item>").entries
    assert again[0].id == entries[2].id  # stable across runs


def test_dates_are_utc_missing_stays_unknown_and_future_is_clamped():
    entries = parse(
        "<item><title>A</title><link>https://x.example/a</link>"
        "<pubDate>Mon, 16 Nov 2026 10:00:00 +0200</pubDate></item>"
        "<item><title>B</title><link>https://x.example/b</link>"
        "<pubDate>Fri, 01 Jan 2100 00:00:00 GMT</pubDate></item>"
        "<item><title>C</title><link>https://x.example/c</link></item>"
    ).entries
    assert dt.datetime.fromtimestamp(entries[0].published, dt.timezone.utc) == dt.datetime(
        2026, 11, 16, 8, tzinfo=dt.timezone.utc
    )
    assert entries[1].published == NOW.timestamp()
    assert entries[2].published is None  # the cache fills in the first-seen time


def test_missing_date_becomes_first_seen_time(tmp_path):
    entries = parse("<item><title>C</title><link>https://x.example/c</link></item>").entries
    with Cache(tmp_path / "c.sqlite") as cache:
        cache.add_entries("feed", entries, NOW)
        [cached] = cache.entries(["feed"])
    assert cached.published == cached.first_seen == NOW


def test_titles_lose_their_markup():
    entries = parse(
        "<item><title>A &lt;b&gt;bold&lt;/b&gt; &amp;lt;i&amp;gt;move&amp;lt;/i&amp;gt; "
        "&lt;script&gt;alert(1)&lt;/script&gt;1 &amp;lt; 2</title>"
        "<link>https://x.example/a</link></item>"
    ).entries
    assert entries[0].title == "A bold move 1 < 2"


def test_summaries_are_sanitized_with_an_allow_list():
    raw = (
        '<p onclick="steal()">Hi <script>alert(1)</script><style>p{}</style>'
        '<a href="javascript:alert(2)">js</a> <a href="data:text/html,x">data</a> '
        '<a href="/rel">rel</a> <img src="x" onerror="alert(3)">'
        '<iframe src="https://evil.example"></iframe><b>bold</b></p>'
    )
    html = summarize(raw, "https://blog.example/post/", 500)
    for bad in (
        "script",
        "style",
        "onclick",
        "onerror",
        "javascript:",
        "data:",
        "iframe",
        "img",
        "alert",
    ):
        assert bad not in html
    assert '<a href="https://blog.example/rel" rel="noopener noreferrer nofollow">rel</a>' in html
    assert "<b>bold</b>" in html


def test_summaries_are_cut_at_a_word_boundary():
    html = summarize("<p>Referrals come from <em>people who trust</em> your work</p>", None, 30)
    assert html == "<p>Referrals come from <em>people who…</em></p>"
    assert len(plain_text(html)) <= 31


def test_entries_dedupe_across_feeds_by_id_and_canonical_link(tmp_path):
    first = parse(
        "<item><title>A</title><guid>urn:shared</guid><link>https://x.example/a</link></item>"
        "<item><title>B</title><link>https://x.example/b?utm_source=rss#top</link></item>"
    ).entries
    second = parse(
        "<item><title>A again</title><guid>urn:shared</guid></item>"
        "<item><title>B again</title><guid>other-id</guid>"
        "<link>http://X.example/b</link></item>"
        "<item><title>New</title><link>https://x.example/new</link></item>"
    ).entries
    with Cache(tmp_path / "c.sqlite") as cache:
        assert cache.add_entries("one", first, NOW) == 2
        assert cache.add_entries("two", second, NOW) == 1
        assert [e.title for e in cache.entries(["two"])] == ["New"]


def test_canonical_link_drops_tracking_and_fragment():
    assert canonical_link("http://Blog.Example:80/p?utm_medium=x&id=3#c") == (
        "https://blog.example/p?id=3"
    )
