"""Feeds of the people you know: fetched, grouped under "From our network", private
fields never shown, and their recent posts offered to the agenda."""

from __future__ import annotations

import datetime as dt
import json

import yaml

from goodwill.core.project import Project
from goodwill.digest.network import NetworkPost, recent_posts

NETWORK_FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel>
<title>Numbers That Matter</title><link>https://numbers.example/</link>
<description>An accountant's notes</description>
<item><title>Year-end tax tips for owner-managers</title>
  <link>https://numbers.example/2026/11/year-end</link><guid>https://numbers.example/p/1</guid>
  <pubDate>Wed, 18 Nov 2026 08:00:00 GMT</pubDate>
  <description>Five things to sort before December.</description></item>
<item><title>An old post</title>
  <link>https://numbers.example/2026/01/old</link><guid>https://numbers.example/p/0</guid>
  <pubDate>Mon, 05 Jan 2026 08:00:00 GMT</pubDate>
  <description>From January.</description></item>
</channel></rss>
"""
PRIVATE = [
    "maria@lopez-partners.example",
    "loves sailing",
    "496 0123",
    "maria-lopez",
    "good coffee",
    "Queen Square",
]


def give_maria_a_feed(project_dir, url: str) -> None:
    contacts = project_dir / "content" / "records" / "contacts.yaml"
    text = contacts.read_text(encoding="utf-8")
    contacts.write_text(
        text.replace("- id: maria-lopez\n", f"- id: maria-lopez\n  feed: {url}\n", 1),
        encoding="utf-8",
    )


def test_contact_feeds_are_fetched_and_grouped_without_private_fields(
    cli, project_dir, tmp_path, serve_dir
):
    served = tmp_path / "served"
    served.mkdir()
    (served / "feed.xml").write_text(NETWORK_FEED, encoding="utf-8")
    give_maria_a_feed(project_dir, serve_dir(served) + "feed.xml")
    fetched = cli("digest", "fetch")
    assert fetched.exit_code == 0, fetched.output
    assert "127.0.0.1" in fetched.output  # the contact's feed has its row in the table
    result = cli("digest", "new", "--since", "2026-11-10")
    assert result.exit_code == 0, result.output
    [path] = sorted((project_dir / "content" / "digest").glob("2026-11-20-3.md"))
    text = path.read_text(encoding="utf-8")
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert headings[0] == "## From our network" or headings[1] == "## From our network"
    section = text.split("## From our network", 1)[1].split("\n## ", 1)[0]
    assert "[Year-end tax tips for owner-managers](https://numbers.example/2026/11/year-end)" in (
        section
    )
    assert "*Numbers That Matter*" in section and "An old post" not in section
    assert "Maria" not in section and "Lopez" not in section
    for secret in PRIVATE:
        assert secret not in text, secret
    meta = yaml.safe_load(text.split("---")[1])
    assert "https://numbers.example/p/1" in meta["entries"]
    assert cli("build").exit_code == 0
    digest_pages = project_dir / "site" / "digest"
    for page in (project_dir / "site").rglob("*.*ml"):
        data = page.read_text(encoding="utf-8", errors="replace")
        for secret in PRIVATE:
            # Maria Lopez also writes for the guide: her public author page is at
            # authors/maria-lopez/, the same text as her contact id; only the digest's
            # pages and feeds, where the network section lives, must never carry the id.
            digest_page = digest_pages in page.parents or page.name.startswith("feed_")
            if secret == "maria-lopez" and not digest_page:
                continue
            assert secret not in data, (page, secret)


def test_recent_posts_for_the_agenda(cli, project_dir, tmp_path, serve_dir):
    served = tmp_path / "served"
    served.mkdir()
    (served / "feed.xml").write_text(NETWORK_FEED, encoding="utf-8")
    project = Project(project_dir)
    assert recent_posts(project) == []  # no cache yet
    give_maria_a_feed(project_dir, serve_dir(served) + "feed.xml")
    cli("digest", "fetch")
    now = dt.datetime(2026, 11, 20, 12, tzinfo=dt.UTC)
    assert recent_posts(project, now=now) == [
        NetworkPost(
            "maria-lopez",
            "Year-end tax tips for owner-managers",
            "https://numbers.example/2026/11/year-end",
            dt.datetime(2026, 11, 18, 8, tzinfo=dt.UTC),
        )
    ]
    assert len(recent_posts(project, now=now, days=400)) == 2
    [post] = recent_posts(project, now=now)
    assert post.reason(now.date()) == (
        "posted 'Year-end tax tips for owner-managers' 2 days ago: congratulate, share, reply"
    )


def test_a_bad_contact_feed_url_is_a_record_error(cli, project_dir):
    give_maria_a_feed(project_dir, "ftp://numbers.example/feed")
    result = cli("check")
    assert result.exit_code == 1
    assert "contacts.yaml:6: contact 'maria-lopez': feed: 'ftp://numbers.example/feed'" in (
        result.output
    )


def test_the_agenda_lists_contacts_new_posts(cli, project_dir, tmp_path, serve_dir):
    served = tmp_path / "served"
    served.mkdir()
    (served / "feed.xml").write_text(NETWORK_FEED, encoding="utf-8")
    give_maria_a_feed(project_dir, serve_dir(served) + "feed.xml")
    before = cli("agenda", "--format", "json")
    assert "Year-end tax tips" not in before.output  # nothing fetched yet
    cli("digest", "fetch")
    result = cli("agenda", "--format", "json")
    assert result.exit_code == 0, result.output
    [row] = [r for r in json.loads(result.stdout) if r["kind"] == "network-post"]
    assert row["name"] == "Maria Lopez" and row["action"] == "congratulate"
    assert row["reason"] == (
        "posted 'Year-end tax tips for owner-managers' 2 days ago: congratulate, share, reply"
    )
    assert row["days_late"] == 0 and row["age_days"] == 2
    table = " ".join(cli("agenda").output.split())  # the table wraps long reasons
    assert "congratulate" in table and "Year-end tax tips" in table
