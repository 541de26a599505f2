"""`goodwill digest new` and `goodwill digest export` on the shipped sample feeds."""

from __future__ import annotations

import re
import shutil

import pytest

from goodwill.core.errors import Collector
from goodwill.core.project import Project
from goodwill.digest.issues import load_issues

# Two blogs syndicating one story under different guids (and with a tracking parameter),
# and an entry without a date.
FEED_A = """<?xml version="1.0"?><rss version="2.0"><channel><title>A</title>
<link>https://a.example/</link><description>d</description>
<item><title>Shared story</title><guid isPermaLink="false">a-1</guid>
<link>https://shared.example/story</link><pubDate>Thu, 19 Nov 2026 08:00:00 GMT</pubDate></item>
<item><title>Undated note</title><guid isPermaLink="false">a-undated</guid>
<link>https://a.example/undated</link></item>
</channel></rss>"""
FEED_B = """<?xml version="1.0"?><rss version="2.0"><channel><title>B</title>
<link>https://b.example/</link><description>d</description>
<item><title>Shared story, syndicated</title><guid isPermaLink="false">b-7</guid>
<link>http://SHARED.example/story?utm_source=b</link>
<pubDate>Thu, 19 Nov 2026 09:00:00 GMT</pubDate></item>
</channel></rss>"""


@pytest.fixture
def fetched(project_dir, cli):
    for issue in (project_dir / "content" / "digest").glob("*.md"):
        issue.unlink()  # start without the shipped sample issues
    assert cli("digest", "fetch").exit_code == 0
    return project_dir


def issues(project_dir):
    return sorted(p.name for p in (project_dir / "content" / "digest").glob("*.md"))


def test_new_writes_the_issue_from_the_template(fetched, cli, golden):
    result = cli("digest", "new", "--since", "2026-10-01")
    assert result.exit_code == 0, result.output
    assert "Wrote content/digest/2026-11-20-1.md" in result.output
    golden("digest/issue-1.md", (fetched / "content/digest/2026-11-20-1.md").read_text("utf-8"))


def test_new_twice_writes_one_issue_and_never_rewrites_it(fetched, cli):
    cli("digest", "new")
    path = fetched / "content" / "digest" / "2026-11-20-1.md"
    edited = path.read_text(encoding="utf-8").replace("Hello!", "Dear friends,")
    path.write_text(edited, encoding="utf-8")
    second = cli("digest", "new")
    assert second.exit_code == 0
    assert "Nothing new since issue #1" in second.output
    assert issues(fetched) == ["2026-11-20-1.md"]
    assert path.read_text(encoding="utf-8") == edited


def add_shared_feeds(project_dir, order=("A", "B")) -> None:
    feeds = project_dir / "content" / "feeds"
    (feeds / "a.xml").write_text(FEED_A, encoding="utf-8")
    (feeds / "b.xml").write_text(FEED_B, encoding="utf-8")
    shipped = (project_dir / "content" / "feeds.yaml").read_text(encoding="utf-8")
    shipped = shipped.split("\n- name: Blog ")[0]
    added = "".join(f"\n- name: Blog {n}\n  url: content/feeds/{n.lower()}.xml\n" for n in order)
    (project_dir / "content" / "feeds.yaml").write_text(shipped + added, encoding="utf-8")


def test_deleting_the_cache_does_not_bring_old_entries_back(fetched, cli):
    add_shared_feeds(fetched, ("A", "B"))
    assert cli("digest", "fetch").exit_code == 0
    cli("digest", "new")
    [first] = load_issues(Project(fetched), Collector())
    text = first.path.read_text(encoding="utf-8")
    assert "Shared story" in text and "Shared story, syndicated" not in text
    assert "Undated note" in text
    assert "https://shared.example/story" in first.links  # the canonical link is remembered
    shutil.rmtree(fetched / ".goodwill")
    # Blog B's copy of the story is now first in feeds.yaml: its guid was never sent, but
    # its link was. The undated note gets a new first-seen date: its id was sent.
    add_shared_feeds(fetched, ("B", "A"))
    assert cli("digest", "fetch").exit_code == 0
    for since in ([], ["--since", "2000-01-01"]):
        result = cli("digest", "new", *since)
        assert "Nothing new" in result.output, result.output
    assert issues(fetched) == ["2026-11-20-1.md"]


@pytest.mark.parametrize("order, title", [(("A", "B"), "Shared story"), (("B", "A"), "syndicated")])
def test_an_entry_in_two_feeds_goes_to_the_first_in_feeds_yaml(fetched, cli, order, title):
    add_shared_feeds(fetched, order)
    cli("digest", "fetch")
    text = cli("digest", "new", "--dry-run").output
    assert text.count("### [Shared story") == 1 and title in text


def test_an_entry_first_seen_after_the_last_issue_is_taken_whatever_its_date(
    fetched, cli, monkeypatch
):
    with (fetched / "goodwill.yml").open("a", encoding="utf-8") as handle:
        handle.write("\ndigest:\n  max_items: 1\n")
    monkeypatch.setenv("GOODWILL_TODAY", "2026-11-21")
    cli("digest", "fetch")
    assert "5 entries" in cli("digest", "new").output  # 1 + 1 + the Notes' own max_items: 5
    feed = fetched / "content" / "feeds" / "thank-you-journal.xml"
    feed.write_text(
        feed.read_text(encoding="utf-8").replace(
            "<item>",
            "<item><title>Late arrival</title><link>https://journal.example.com/late</link>"
            "<pubDate>Sun, 01 Nov 2026 08:00:00 GMT</pubDate></item>\n    <item>",
            1,
        ),
        encoding="utf-8",
    )
    monkeypatch.setenv("GOODWILL_TODAY", "2026-11-23")
    cli("digest", "fetch")
    # Dated before issue #1 but first seen after it: never sent, so it is taken. The older
    # entries that max_items left out of issue #1 are not offered again.
    result = cli("digest", "new", "--dry-run")
    assert "(dry run: issue #2: 0 article(s), 1 entry;" in result.output
    assert "### [Late arrival](https://journal.example.com/late)" in result.output


def test_a_new_cache_does_not_offer_the_old_entries_an_issue_left_out(fetched, cli, monkeypatch):
    with (fetched / "goodwill.yml").open("a", encoding="utf-8") as handle:
        handle.write("\ndigest:\n  max_items: 1\n")
    monkeypatch.setenv("GOODWILL_TODAY", "2026-11-21")
    cli("digest", "fetch")
    cli("digest", "new")
    shutil.rmtree(fetched / ".goodwill")
    monkeypatch.setenv("GOODWILL_TODAY", "2026-11-23")
    cli("digest", "fetch")  # every entry is "first seen" now: that says nothing of its age
    assert "Nothing new since issue #1" in cli("digest", "new").output


def test_new_warns_when_nothing_was_fetched_since_the_last_issue(fetched, cli, monkeypatch):
    monkeypatch.setenv("GOODWILL_TODAY", "2026-11-21")  # fetched the day before
    assert "warning" not in cli("digest", "new").output
    monkeypatch.setenv("GOODWILL_TODAY", "2026-11-23")
    result = cli("digest", "new")
    assert (
        "warning: no fetch since issue #1 was written (2026-11-21T12:00:00Z): entries "
        "published since then may be missing (run `goodwill digest fetch` first)"
    ) in result.output
    cli("digest", "fetch")
    assert "warning" not in cli("digest", "new").output


def test_a_blank_title_is_refused(fetched, cli):
    result = cli("digest", "new", "--title", " ")
    assert result.exit_code == 1
    assert "--title: the title is blank" in result.output
    assert issues(fetched) == []


def test_a_duplicate_issue_number_is_reported_at_its_line(fetched, cli):
    folder = fetched / "content" / "digest"
    for name in ("2026-11-01-1.md", "2026-11-02-2.md"):
        (folder / name).write_text(
            "---\ntitle: An issue\nnumber: 1\ndate: 2026-11-01\n---\nHello\n", encoding="utf-8"
        )
    out = cli("check").output
    assert "content/digest/2026-11-02-2.md:3: issue number 1 is also used by 2026-11-01-1.md" in out


def test_a_later_issue_has_only_the_new_entries(fetched, cli):
    cli("digest", "new", "--title", "First")
    feed = fetched / "content" / "feeds" / "thank-you-journal.xml"
    text = feed.read_text(encoding="utf-8").replace(
        "<item>",
        "<item><title>Fresh &lt;b&gt;news&lt;/b&gt;</title><link>https://journal.example.com/fresh"
        "</link><pubDate>Fri, 20 Nov 2026 08:00:00 GMT</pubDate><description>Brand new."
        "</description></item>\n    <item>",
        1,
    )
    feed.write_text(text, encoding="utf-8")
    cli("digest", "fetch")
    result = cli("digest", "new")
    assert "issue #2: 0 article(s), 1 entry" in result.output
    second = (fetched / "content" / "digest" / "2026-11-20-2.md").read_text(encoding="utf-8")
    assert "number: 2" in second and "- https://journal.example.com/fresh" in second
    assert "### [Fresh news](https://journal.example.com/fresh)" in second
    assert "Stationery" not in second


def test_dry_run_prints_and_writes_nothing(fetched, cli):
    result = cli("digest", "new", "--dry-run")
    assert result.exit_code == 0
    assert "title: 'Goodwill digest #1'" in result.output
    assert "would write content/digest/2026-11-20-1.md" in result.output
    assert issues(fetched) == []


def test_nothing_fetched_means_nothing_written(project_dir, cli):
    for issue in (project_dir / "content" / "digest").glob("*.md"):
        issue.unlink()
    for article in (project_dir / "content" / "articles").glob("*.md"):
        article.unlink()
    result = cli("digest", "new")
    assert "Nothing new" in result.output and issues(project_dir) == []


def test_group_by_source_and_max_items(fetched, cli):
    with (fetched / "goodwill.yml").open("a", encoding="utf-8") as handle:
        handle.write("\ndigest:\n  group_by: source\n  max_items: 1\n")
    text = cli("digest", "new", "--dry-run").output
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert headings == [
        "## New in the guide",
        "## The Referral Roundtable",
        "## Small Business Networking Notes",
        "## The Thank-You Note Journal",
    ]
    assert text.count("### [") == 5  # 1 + 1 + 3: the feed's own max_items: 5 wins


def test_bad_since_is_an_error(fetched, cli):
    result = cli("digest", "new", "--since", "2026-13-01")
    assert result.exit_code == 1 and "--since" in result.output


def test_export_writes_mail_ready_html_and_text(fetched, cli, golden):
    cli("digest", "new", "--since", "2026-10-01")
    result = cli("digest", "export", "1")
    assert result.exit_code == 0, result.output
    html = (fetched / "letters" / "digest" / "2026-11-20-1.html").read_text(encoding="utf-8")
    text = (fetched / "letters" / "digest" / "2026-11-20-1.txt").read_text(encoding="utf-8")
    assert 'role="presentation"' in html
    [kept] = re.findall(r"<style>(.*?)</style>", html, re.S)  # only what cannot be inlined
    assert kept.strip().startswith("@media") and "prefers-color-scheme: dark" in kept
    assert 'style="' in html and "<h2 style=" in html
    assert 'href="https://guide.example.com/articles/the-note-that-started-everything/"' in html
    assert "<script" not in html
    assert re.sub(r"<!--\[if mso\]>.*?<!\[endif\]-->", "", html).count("<!--") == 0
    [sheet] = re.findall(r'<table[^>]*class="sheet"[^>]*>', html)
    assert "max-width: 600px" in sheet and 'width="100%"' in sheet  # fluid up to 600 px
    assert '<!--[if mso]><table role="presentation" width="600"' in html  # Outlook: fixed
    golden("digest/issue-1.txt", text)
    assert not (fetched / "site").exists()


def test_export_refuses_the_site_folder(fetched, cli):
    cli("digest", "new")
    result = cli("digest", "export", "latest", "--out", "site/mail")
    assert result.exit_code == 1 and "published site" in result.output


def test_export_unknown_issue(fetched, cli):
    assert "no issues yet" in cli("digest", "export", "latest").output
    cli("digest", "new")
    assert "no issue number 7" in cli("digest", "export", "7").output
