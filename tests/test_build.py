"""`goodwill build` end to end in a fresh project: output, failures, privacy."""

from __future__ import annotations

import re

import feedparser
import pytest

from sitefiles import grep_site, snapshot

ARTICLE = """---
title: "{title}"
date: {date}
authors: [Test Author]
tags: [testing]
description: "About {title}."
---

Some words about {title}.
"""


def add_article(project_dir, name, title="Extra article", date="2026-06-01", extra=""):
    path = project_dir / "content" / "articles" / name
    path.write_text(ARTICLE.format(title=title, date=date) + extra, encoding="utf-8")
    return path


def test_build_writes_guide_pages(cli, project_dir):
    result = cli("build")
    assert result.exit_code == 0, result.output
    assert "Built the guide: 10 article(s)" in result.output
    site = project_dir / "site"
    home = (site / "index.html").read_text()
    assert home.count('class="gw-byline"') == 10
    assert "The Note That Started Everything" in home
    assert (site / "archive" / "index.html").is_file()
    tags = (site / "tags" / "index.html").read_text()
    assert "reciprocity" in tags
    page = (site / "articles" / "deep-networks-beat-wide-ones" / "index.html").read_text()
    assert "24 February 2026" in page and "Maria Lopez, Priya Raman" in page
    assert "min read" in page
    assert 'href="../following-up-after-a-first-meeting/"' in page  # older neighbour
    assert 'href="../running-a-good-one-to-one/"' in page  # newer neighbour


def test_rss_feed_round_trips(cli, project_dir):
    assert cli("build").exit_code == 0
    site = project_dir / "site"
    feed = feedparser.parse((site / "feed_rss_created.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert len(feed.entries) == 10
    dates = [e.published_parsed for e in feed.entries]
    assert dates == sorted(dates, reverse=True)
    assert all(e.link.startswith("https://guide.example.com/articles/") for e in feed.entries)
    assert all(e.summary.strip() for e in feed.entries)
    for page in site.rglob("*.html"):
        assert 'rel="alternate" type="application/rss+xml"' in page.read_text(), page


def test_drafts_and_future_articles(cli, project_dir):
    add_article(project_dir, "later.md", "Scheduled piece", "2027-02-01")
    draft = add_article(project_dir, "draft.md", "Draft piece")
    draft.write_text(draft.read_text().replace("tags:", "draft: true\ntags:"))
    result = cli("build")
    assert result.exit_code == 0, result.output
    assert "1 draft(s) left out" in result.output and "1 scheduled" in result.output
    site = project_dir / "site"
    assert not (site / "articles" / "draft").exists()
    assert not (site / "articles" / "later").exists()
    assert cli("build", "--drafts").exit_code == 0
    assert (site / "articles" / "draft" / "index.html").is_file()
    assert not (site / "articles" / "later").exists()


BAD_INPUTS = {
    "not-yaml.md": ("---\ntitle: [oops\ndate: 2026-01-01\n---\nBody\n", "not valid YAML"),
    "bad-date.md": (ARTICLE.format(title="Bad", date="2026-13-45"), "not a real date"),
    "number-tags.md": (
        ARTICLE.format(title="T", date="2026-01-01").replace("[testing]", "7"),
        "tags: must be a list of text",
    ),
    "latin1.md": ("---\ntitle: Caf\xe9\n---\nBody\n".encode("latin-1"), "not UTF-8"),
    "empty.md": ("", "file is empty"),
    "Deep Networks Beat Wide Ones.md": (
        ARTICLE.format(title="Dup", date="2026-01-01"),
        "duplicate slug",
    ),
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_fails_cleanly_and_keeps_site(cli, project_dir, name):
    assert cli("build").exit_code == 0
    before = snapshot(project_dir / "site")
    content, needle = BAD_INPUTS[name]
    path = project_dir / "content" / "articles" / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    result = cli("build")
    assert result.exit_code == 1
    assert needle in result.output
    assert f"content/articles/{name}" in result.output or name in result.output
    assert "Traceback" not in result.output
    assert snapshot(project_dir / "site") == before
    assert not list(project_dir.glob(".goodwill-build-*"))


def test_line_numbers_in_errors(cli, project_dir):
    add_article(project_dir, "x.md").write_text(ARTICLE.format(title="X", date="2026-02-30"))
    result = cli("check")
    assert result.exit_code == 1
    assert re.search(r"content/articles/x\.md:3: date: .*not a real date", result.output)


def test_check_lists_every_problem(cli, project_dir):
    add_article(project_dir, "a.md").write_text(ARTICLE.format(title="A", date="2026-02-30"))
    add_article(project_dir, "b.md").write_text("")
    add_article(project_dir, "c.md", extra="").write_text(
        ARTICLE.format(title="C", date="2026-01-01").replace("tags:", "colour: red\ntags:")
    )
    result = cli("check")
    assert result.exit_code == 1
    assert "a.md:3" in result.output and "b.md" in result.output
    assert "c.md:5: warning: unknown front matter key 'colour'" in result.output
    assert "2 error(s), 1 warning(s)" in result.output


def test_check_clean_project_exits_zero(cli):
    result = cli("check")
    assert result.exit_code == 0, result.output
    assert "0 error(s)" in result.output


def test_broken_link_is_warning_but_error_under_strict(cli, project_dir):
    add_article(project_dir, "linky.md", extra="\nSee [this](no-such-article.md).\n")
    result = cli("build")
    assert result.exit_code == 0
    assert "linky.md:11: warning: link to 'no-such-article.md'" in result.output
    assert cli("build").exit_code == 0
    before = snapshot(project_dir / "site")
    strict = cli("build", "--strict")
    assert strict.exit_code == 1
    assert "linky.md:11: link to 'no-such-article.md' points at no page" in strict.output
    assert snapshot(project_dir / "site") == before


def test_missing_site_url_is_a_clear_error(cli, project_dir):
    config = project_dir / "mkdocs.yml"
    config.write_text(re.sub(r"(?m)^site_url:.*\n", "", config.read_text()))
    result = cli("build")
    assert result.exit_code == 1
    assert "mkdocs.yml: site_url is missing" in result.output
    assert not (project_dir / "site").exists()


def test_template_error_names_template_and_line(cli, project_dir):
    template = project_dir / "templates" / "guide" / "article.md.j2"
    lines = template.read_text().split("\n")
    lines.insert(5, "{{ article.no_such_field }}")
    template.write_text("\n".join(lines))
    result = cli("build")
    assert result.exit_code == 1
    assert "templates/guide/article.md.j2:6" in result.output
    assert "no_such_field" in result.output


def test_private_files_never_reach_the_site(cli, project_dir):
    secrets = {
        "content/records/contacts.yaml": "- id: zz\n  name: Zebulon Quasimodo-Secret\n"
        "  email: zebulon@private.invalid\n  phone: '+1 555 0199'\n"
        "  notes: SECRET-NOTE-7731\n",
        "content/records/notes.md": "# Private\n\nSECRET-MARKDOWN-4410\n",
        "content/feeds.yaml": "- name: Hidden\n  url: https://hidden-feed-8812.invalid/rss\n",
        "content/feeds/sample.xml": "<rss><channel><title>FEED-FILE-5521</title></channel></rss>",
        "content/articles/stray.yaml": "client: STRAY-YAML-9034\n",
        "content/stray.csv": "name\nSTRAY-CSV-6620\n",
    }
    for rel, text in secrets.items():
        path = project_dir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    result = cli("build")
    assert result.exit_code == 0, result.output
    needles = [
        "Zebulon",
        "zebulon@private.invalid",
        "555 0199",
        "SECRET-NOTE-7731",
        "SECRET-MARKDOWN-4410",
        "hidden-feed-8812",
        "FEED-FILE-5521",
        "STRAY-YAML-9034",
        "STRAY-CSV-6620",
    ]
    assert grep_site(project_dir / "site", needles) == []
    for path in (project_dir / "content" / "records").glob("*"):
        needles_in_records = path.read_text()
        assert needles_in_records  # the private files are still there, untouched


def test_plain_mkdocs_build_also_keeps_records_private(project_dir):
    """Someone running `mkdocs build` by hand must not publish records either."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    records = project_dir / "content" / "records"
    records.mkdir(parents=True, exist_ok=True)
    (records / "secret.yaml").write_text("- name: PLAIN-MKDOCS-SECRET-3391\n")
    (project_dir / "content" / "feeds.yaml").write_text("- url: https://plain-secret-77.invalid\n")
    config = load_config(
        config_file=str(project_dir / "mkdocs.yml"), site_dir=str(project_dir / "plain-site")
    )
    # As `mkdocs build` does: the rss plugin sets itself up in on_startup.
    config.plugins.on_startup(command="build", dirty=False)
    build(config)
    assert (project_dir / "plain-site" / "index.html").is_file()
    assert (
        grep_site(project_dir / "plain-site", ["PLAIN-MKDOCS-SECRET-3391", "plain-secret-77"]) == []
    )


def test_site_dir_option_and_refusal(cli, project_dir, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    assert cli("build", "--site-dir", str(elsewhere)).exit_code == 0
    assert (elsewhere / "index.html").is_file()
    refused = cli("build", "--site-dir", "content/out")
    assert refused.exit_code == 1
    assert "refusing to build into" in refused.output


def test_unwritable_site_folder_is_one_line_not_a_traceback(cli):
    result = cli("build", "--site-dir", "/proc/goodwill-cannot-write-here")
    assert result.exit_code == 1
    assert result.output.startswith("error: ")
    assert "/proc/" in result.output
    assert "Traceback" not in result.output


def test_site_dir_that_holds_other_files_is_never_replaced(cli, tmp_path):
    documents = tmp_path / "documents"
    documents.mkdir()
    (documents / "taxes.txt").write_text("precious")
    result = cli("build", "--site-dir", str(documents))
    assert result.exit_code == 1
    assert "not empty and holds no built site" in result.output
    assert (documents / "taxes.txt").read_text() == "precious"
