"""Entry normalization: ids, links, dates, titles, sanitized summaries, dedupe."""

from __future__ import annotations

import datetime as dt

from goodwill.digest.cache import Cache
from goodwill.digest.entries import absolute_link, canonical_link
from goodwill.digest.parse import parse_feed
from goodwill.digest.sanitize import plain_text, summarize

NOW = dt.datetime(2026, 11, 20, 12, tzinfo=dt.UTC)


def feed(items: str) -> bytes:
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
        f"<link>https://blog.example/</link><description>d</description>{items}"
        "</channel></rss>"
    ).encode()


def parse(items: str, url: str = "https://blog.example/feed.xml"):
    return parse_feed(feed(items), url, "application/rss+xml", NOW.timestamp())


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
    assert dt.datetime.fromtimestamp(entries[0].published, dt.UTC) == dt.datetime(
        2026, 11, 16, 8, tzinfo=dt.UTC
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


def test_each_feed_keeps_its_own_copy_of_a_shared_entry(tmp_path):
    # Which copy an issue uses is decided in feeds.yaml order when the issue is written
    # (test_digest_issue.py), so the cache must not keep only the first download's copy.
    first = parse(
        "<item><title>A</title><guid>urn:shared</guid><link>https://x.example/a</link></item>"
        "<item><title>B</title><link>https://x.example/b?utm_source=rss#top</link></item>"
    ).entries
    second = parse(
        "<item><title>A again</title><guid>urn:shared</guid></item>"
        "<item><title>B again</title><guid>urn:other</guid><link>http://X.example/b</link></item>"
    ).entries
    with Cache(tmp_path / "c.sqlite") as cache:
        assert cache.add_entries("one", first, NOW) == 2
        assert cache.add_entries("two", second, NOW) == 2
        assert cache.add_entries("two", second, NOW) == 0  # seen before in this feed
        rows = {(e.feed_url, e.title): e for e in cache.entries(["one", "two"])}
    assert rows["one", "B"].canonical == rows["two", "B again"].canonical
    assert rows["one", "B"].canonical == "https://x.example/b"


def test_guids_that_are_not_uris_are_prefixed_with_the_feed_url():
    items = (
        "<item><title>A</title><guid isPermaLink='false'>42</guid></item>"
        "<item><title>B</title><guid>urn:uuid:1b4e28ba-2fa1-11d2</guid></item>"
        "<item><title>C</title><guid>tag:blog.example,2026:c</guid></item>"
    )
    one = parse(items, "https://one.example/feed.xml").entries
    two = parse(items, "https://two.example/feed.xml").entries
    assert [e.id for e in one] == [
        "https://one.example/feed.xml#42",
        "urn:uuid:1b4e28ba-2fa1-11d2",
        "tag:blog.example,2026:c",
    ]
    assert one[0].id != two[0].id  # "42" in two feeds: two entries
    assert one[1].id == two[1].id  # a real URI names one thing wherever it appears
    # The prefix is the feed's address in feeds.yaml, not where the bytes came from
    # (a redirect target, or a local file's absolute path on this machine):
    local = parse_feed(
        feed(items),
        "/home/me/project/content/feeds/x.xml",
        "",
        NOW.timestamp(),
        "content/feeds/x.xml",
    )
    assert local.entries[0].id == "content/feeds/x.xml#42"


def test_a_bad_link_costs_the_link_not_the_feed():
    parsed = parse(
        "<item><title>Bad host</title><link>http://[bad/feed</link><guid>urn:1</guid></item>"
        "<item><title>Bad port</title><link>http://x.example:99999/p</link></item>"
        "<item><title>Good</title><link>https://x.example/ok</link></item>"
    )
    assert parsed.problem == "" and parsed.warnings == []
    assert [(e.title, e.link, e.canonical) for e in parsed.entries] == [
        ("Bad host", None, None),
        ("Bad port", None, None),
        ("Good", "https://x.example/ok", "https://x.example/ok"),
    ]
    assert absolute_link("/p", "http://[bad/") is None
    assert canonical_link("http://[bad/") is None
    assert canonical_link("http://x.example:99999/") is None


def test_an_entry_that_cannot_be_read_is_skipped_with_a_warning():
    parsed = parse(
        "<item><title>Year zero</title><pubDate>0000-01-01T00:00:00Z</pubDate></item>"
        "<item><title>Good</title><link>https://x.example/ok</link></item>"
    )
    assert [e.title for e in parsed.entries] == ["Good"]
    assert parsed.warnings == [
        "skipped 1 entry that could not be read (ValueError: year 0 is out of range)"
    ]
    only_bad = parse("<item><title>Year zero</title><pubDate>0000-01-01</pubDate></item>")
    assert only_bad.problem == "no entry could be read (ValueError: year 0 is out of range)"


def test_canonical_link_drops_tracking_and_fragment():
    assert canonical_link("http://Blog.Example:80/p?utm_medium=x&id=3#c") == (
        "https://blog.example/p?id=3"
    )
