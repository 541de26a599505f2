"""The articles' RSS and JSON feeds goodwill writes itself, against what mkdocs-rss-plugin
wrote before: same files, items, order, links, dates, descriptions and channel."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import feedparser
import pytest

from goodwill.core.errors import Collector
from goodwill.core.project import Project
from goodwill.core.siteconfig import check_site_config
from goodwill.guide.article_feeds import FEED_ITEMS, write_article_feeds
from goodwill.guide.articles import Article
from goodwill.guide.build import build_guide, load_guide_articles, pages_to_build
from goodwill.guide.staging import stage_guide
from goodwill.scaffold import init_project

# The plugin's settings in the demo's mkdocs.yml before goodwill wrote the feeds.
OLD_PLUGIN = """  - rss:
      match_path: "articles/.*"
      date_from_meta:
        as_creation: date
      use_git: false
      categories:
        - tags
      abstract_chars_count: 300
      length: 50
      json_feed_enabled: true
      image: https://guide.example.com/assets/images/favicon.png
"""
FEEDS = ("feed_rss_created.xml", "feed_rss_updated.xml")
JSON_FEEDS = ("feed_json_created.json", "feed_json_updated.json")


def _with_old_plugin(project: Path) -> None:
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "  - search\n" in text and "- rss" not in text
    config.write_text(text.replace("  - search\n", "  - search\n" + OLD_PLUGIN), encoding="utf-8")


def _plugin_site(project: Path, docs: Path, site: Path) -> None:
    """What the plugin writes from the same staged pages (a plain MkDocs build)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config = load_config(config_file=str(project / "mkdocs.yml"), docs_dir=str(docs))
    config["site_dir"] = str(site)
    config.plugins.on_startup(command="build", dirty=False)
    build(config)


def _items(path: Path, dated: bool) -> list[tuple]:
    feed = feedparser.parse(path.read_bytes())
    assert not feed.bozo, path
    return [
        (
            e.title,
            e.link,
            e.id,
            e.summary,
            e.published if dated else "",
            [t.term for t in e.get("tags", [])],
            e.source.href,
        )
        for e in feed.entries
    ]


def test_feeds_match_what_the_rss_plugin_wrote(tmp_path, monkeypatch):
    pytest.importorskip("mkdocs_rss_plugin")
    monkeypatch.setenv("GOODWILL_TODAY", "2026-11-20")
    project = init_project(tmp_path / "project")
    # a draft and a scheduled article: in neither feed
    articles = project / "content" / "articles"
    (articles / "draft-one.md").write_text(
        "---\ntitle: Draft one\ndate: 2026-10-01\ndraft: true\n---\n\nNot yet.\n"
    )
    (articles / "later.md").write_text("---\ntitle: Later\ndate: 2027-01-05\n---\n\nSoon.\n")
    site = build_guide(Project(project), drafts=True, future=True).site_dir

    _with_old_plugin(project)
    problems = Collector()
    check_site_config(Project(project), problems)
    assert any("the rss plugin is listed" in p.message for p in problems.warnings)
    # the plugin reads the same staged pages goodwill builds from
    docs = tmp_path / "docs"
    pages = pages_to_build(
        load_guide_articles(Project(project), Collector()), drafts=True, future=True
    )
    stage_guide(Project(project), pages, docs, "The Goodwill authors", Collector())
    for name in FEEDS + JSON_FEEDS:
        (docs / name).unlink()  # only the plugin's files in this site
    plugin = tmp_path / "plugin-site"
    _plugin_site(project, docs, plugin)

    for name in FEEDS:
        ours, theirs = site / name, plugin / name
        # the updated feed dates every item at the build, in both
        dated = "created" in name
        assert _items(ours, dated) == _items(theirs, dated), name
        assert len(_items(ours, dated)) == 10
        titles = {item[0] for item in _items(ours, dated)}
        assert not {"Draft one", "Later"} & titles
        ours_feed, theirs_feed = (feedparser.parse(p.read_bytes()).feed for p in (ours, theirs))
        for key in ("title", "link", "subtitle", "language", "image"):
            assert ours_feed.get(key) == theirs_feed.get(key), (name, key)
    for name in JSON_FEEDS:
        ours, theirs = (json.loads((d / name).read_text()) for d in (site, plugin))
        assert set(ours) == set(theirs)
        assert {k: v for k, v in ours.items() if k != "items"} == {
            k: v for k, v in theirs.items() if k != "items"
        }
        # goodwill adds what the plugin could not know: the authors and the picture.
        drop = {"date_modified", "authors", "image"}
        drop |= {"date_published"} if "updated" in name else set()
        for mine, its in zip(ours["items"], theirs["items"], strict=True):
            assert set(mine) - {"image"} == set(its) - {"image"}
            assert {k: v for k, v in mine.items() if k not in drop} == {
                k: v for k, v in its.items() if k not in drop
            }
            assert mine["authors"] and all(a["name"] for a in mine["authors"])
            assert "image" not in mine or mine["image"].startswith("https://")

    # With the plugin still listed, goodwill turns it off: the feeds stay goodwill's.
    again = build_guide(Project(project)).site_dir
    assert "<generator>goodwill</generator>" in (again / "feed_rss_created.xml").read_text()
    assert not (again / "rss.xsl").exists()


def _article(number: int, day: dt.date, tags=()) -> Article:
    return Article(
        path=Path(f"a{number}.md"),
        slug=f"a-{number:03d}",
        title=f"Article {number} <R&D>",
        date=day,
        body=f"Text of article {number}.",
        tags=list(tags),
    )


def test_feeds_keep_the_newest_fifty_with_valid_json(tmp_path):
    project = Project(init_project(tmp_path / "project"))
    start = dt.date(2026, 1, 1)
    articles = [_article(n, start + dt.timedelta(days=n // 2), ["b", "a"]) for n in range(60)]
    built = dt.datetime(2026, 11, 20, 8, 30, tzinfo=dt.UTC)
    config = {"site_name": "Site & Co", "site_url": "https://x.test/", "site_author": "Ann"}
    write_article_feeds(
        project, config, tmp_path, "https://x.test/", articles,
        url_of=lambda a: f"articles/{a.slug}/", built=built,
    )  # fmt: skip
    created = feedparser.parse((tmp_path / "feed_rss_created.xml").read_bytes())
    assert not created.bozo and len(created.entries) == FEED_ITEMS
    days = [e.published_parsed[:3] for e in created.entries]
    assert days == sorted(days, reverse=True)
    assert created.entries[0].link == "https://x.test/articles/a-058/"  # ties: file order
    assert created.entries[0].title == "Article 58 <R&D>"
    assert [t.term for t in created.entries[0].tags] == ["a", "b"]
    assert created.feed.title == "Site & Co"
    updated = feedparser.parse((tmp_path / "feed_rss_updated.xml").read_bytes())
    assert updated.entries[0].published == "Fri, 20 Nov 2026 08:30:00 +0000"
    assert updated.entries[0].link.endswith("/a-059/")
    feed = json.loads((tmp_path / "feed_json_created.json").read_text())
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["feed_url"] == "https://x.test/feed_json_created.json"
    assert feed["authors"] == [{"name": "Ann"}]
    assert feed["icon"] == "https://x.test/assets/images/favicon.png"
    first = feed["items"][0]
    assert first["content_html"] == "Text of article 58."
    assert first["date_published"] == "2026-01-30T00:00:00+00:00"
    assert first["date_modified"] == "2026-11-20T08:30:00+00:00"
    assert len(feed["items"]) == FEED_ITEMS


def test_an_old_mkdocs_yml_builds_without_the_plugin_installed(tmp_path, monkeypatch):
    project = init_project(tmp_path / "project")
    _with_old_plugin(project)
    # as if mkdocs-rss-plugin were not installed: MkDocs and goodwill both look it up here
    import mkdocs.plugins

    installed = mkdocs.plugins.get_plugins()
    without_rss = {name: ep for name, ep in installed.items() if name != "rss"}
    monkeypatch.setattr(mkdocs.plugins, "get_plugins", lambda: without_rss)
    monkeypatch.setattr("goodwill.guide.build.entry_points", lambda **_: ())
    site = build_guide(Project(project)).site_dir
    assert "<generator>goodwill</generator>" in (site / "feed_rss_created.xml").read_text()
    assert (site / "search" / "search_index.json").is_file()  # the other plugins still run


def test_feed_items_name_their_authors_and_picture(tmp_path):
    project = init_project(tmp_path / "project")
    site = build_guide(Project(project)).site_dir
    feed = json.loads((site / "feed_json_created.json").read_text())
    [item] = [i for i in feed["items"] if i["url"].endswith("/deep-networks-beat-wide-ones/")]
    assert item["authors"] == [
        {"name": "Maria Lopez", "url": "https://guide.example.com/authors/maria-lopez/"},
        {"name": "Priya Raman", "url": "https://guide.example.com/authors/priya-raman/"},
    ]
    assert item["image"] == "https://guide.example.com/assets/images/deep-networks.png"
    assert all(i.get("image") is not None for i in feed["items"] if "image" in i)
    rss = feedparser.parse((site / "feed_rss_created.xml").read_bytes())
    [entry] = [e for e in rss.entries if e.link.endswith("/deep-networks-beat-wide-ones/")]
    assert [a.get("name") for a in entry.authors] == ["Maria Lopez", "Priya Raman"]


def test_author_links_follow_the_sites_url_style(tmp_path):
    """With `use_directory_urls: false` an author's page is authors/name.html."""
    project = init_project(tmp_path / "project")
    mkdocs_yml = project / "mkdocs.yml"
    mkdocs_yml.write_text(mkdocs_yml.read_text() + "\nuse_directory_urls: false\n")
    site = build_guide(Project(project)).site_dir
    assert (site / "authors" / "maria-lopez.html").is_file()
    feed = json.loads((site / "feed_json_created.json").read_text())
    urls = {a["url"] for item in feed["items"] for a in item["authors"] if "url" in a}
    assert "https://guide.example.com/authors/maria-lopez.html" in urls
    assert not {u for u in urls if u.endswith("/")}
    page = (site / "articles" / "deep-networks-beat-wide-ones.html").read_text()
    assert 'content="https://guide.example.com/authors/maria-lopez.html"' in page
