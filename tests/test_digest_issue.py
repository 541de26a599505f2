"""`goodwill digest new` and `goodwill digest export` on the shipped sample feeds."""

from __future__ import annotations

import shutil

import pytest


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


def test_deleting_the_cache_does_not_bring_old_entries_back(fetched, cli):
    cli("digest", "new")
    shutil.rmtree(fetched / ".goodwill")
    assert cli("digest", "fetch").exit_code == 0
    result = cli("digest", "new", "--since", "2000-01-01")
    assert "Nothing new" in result.output
    assert issues(fetched) == ["2026-11-20-1.md"]


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
    assert "<style" not in html and 'role="presentation"' in html
    assert 'style="' in html and "<h2 style=" in html
    assert 'href="https://guide.example.com/articles/the-note-that-started-everything/"' in html
    assert "<!--" not in html and "<script" not in html
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
