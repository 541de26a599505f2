"""Every feed the built site publishes passes the feed validator's offline-checkable rules:
well-formed, read by feedparser without complaint, RSS e-mail fields that are e-mail
addresses, RFC 822 dates in RSS, RFC 3339 dates in Atom, unique ids."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import feedparser
import pytest

from goodwill.core.errors import GoodwillError
from goodwill.core.project import Project
from goodwill.guide.build import build_guide
from goodwill.scaffold import init_project

ATOM = "{http://www.w3.org/2005/Atom}"
EMAIL = re.compile(r"[^@\s()]+@[^@\s()]+\.[a-z]{2,}(?: \([^()]*\))?", re.I)
RFC822 = re.compile(
    r"(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), )?\d{1,2} "
    r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} "
    r"\d{2}:\d{2}(?::\d{2})? (?:[+-]\d{4}|GMT|UT|[ECMP][SD]T)"
)
RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})")


@pytest.fixture
def demo_site(built_demo):
    return built_demo / "site"


def feed_problems(path) -> list[str]:
    """What the validator would flag in one feed, as far as it can be checked offline."""
    data = path.read_bytes()
    root = ET.fromstring(data)  # raises when not well-formed
    parsed = feedparser.parse(data)
    problems = [f"bozo: {parsed.get('bozo_exception')}"] if parsed.bozo else []
    if root.tag == "rss":
        channel = root.find("channel")
        for name in ("title", "link", "description"):
            if channel.find(name) is None:
                problems.append(f"channel has no {name}")
        fields = [channel.find("managingEditor"), channel.find("webMaster")]
        dates = [channel.find("pubDate"), channel.find("lastBuildDate")]
        items = channel.findall("item")
        ids = [item.findtext("guid") for item in items]
        for item in items:
            fields += item.findall("author")
            dates.append(item.find("pubDate"))
            if item.find("title") is None and item.find("description") is None:
                problems.append("item with neither title nor description")
        for field in filter(lambda f: f is not None, fields):
            if not EMAIL.fullmatch((field.text or "").strip()):
                problems.append(f"<{field.tag}> is not an e-mail address: {field.text!r}")
        for date in filter(lambda d: d is not None, dates):
            if not RFC822.fullmatch((date.text or "").strip()):
                problems.append(f"<{date.tag}> is not an RFC 822 date: {date.text!r}")
    else:
        assert root.tag == f"{ATOM}feed", root.tag
        entries = root.findall(f"{ATOM}entry")
        ids = [entry.findtext(f"{ATOM}id") for entry in entries]
        for stamp in root.iter(f"{ATOM}updated"):
            if not RFC3339.fullmatch(stamp.text or ""):
                problems.append(f"<updated> is not an RFC 3339 date: {stamp.text!r}")
        if root.find(f"{ATOM}author") is None and any(
            e.find(f"{ATOM}author") is None for e in entries
        ):
            problems.append("an entry has no author")
    for text in root.itertext():
        relative = re.findall(r'(?:href|src)="(?!https?:|mailto:|#)([^"]*)"', text)
        if relative:
            problems.append(f"relative links in feed content: {relative[:3]}")
    if None in ids:
        problems.append("an item has no id")
    if len(set(ids)) != len(ids):
        problems.append("ids are not unique")
    return problems


def published_feeds(site):
    return [p for p in sorted(site.glob("*.xml")) if p.name != "sitemap.xml"]


def test_every_feed_of_the_demo_is_valid(demo_site):
    feeds = published_feeds(demo_site)
    names = {p.name for p in feeds}
    assert {"feed_rss_created.xml", "feed_digest_rss.xml", "feed_atom.xml"} <= names
    # the articles' created and updated feeds and the digest's, all goodwill's own
    assert len([p for p in feeds if "rss" in p.name]) == 3
    for path in feeds:
        assert feed_problems(path) == [], path.name
        assert ET.parse(path).getroot().find(".//item") is not None or "atom" in path.name


def _article(project, name: str, front_matter: str) -> None:
    (project / "content" / "articles" / f"{name}.md").write_text(
        f"---\n{front_matter}\ndate: 2026-11-01\n---\n\nBody text.\n", encoding="utf-8"
    )


def test_names_and_odd_characters_still_make_valid_feeds(tmp_path):
    project = init_project(tmp_path / "project")
    (project / "mkdocs.yml").write_text(
        (project / "mkdocs.yml")
        .read_text(encoding="utf-8")
        .replace("site_author: The Goodwill authors", "site_author: Tom & Jerry <ltd>"),
        encoding="utf-8",
    )
    _article(project, "odd", 'title: "Bell \\a and R&D"\ntags: ["R&D", "Q&A <live>"]')
    issue = project / "content" / "digest" / "2026-11-20-2.md"
    issue.write_text(issue.read_text(encoding="utf-8") + "\nA bell: \x07.\n", encoding="utf-8")
    build_guide(Project(project))
    for path in published_feeds(project / "site"):
        assert feed_problems(path) == [], path.name
    rss = ET.parse(project / "site" / "feed_rss_created.xml").getroot()
    categories = {c.text for c in rss.iter("category")}
    assert {"R&D", "Q&A <live>"} <= categories
    assert "Bell  and R&D" in {t.text for t in rss.iter("title")}


def test_a_tag_that_looks_like_markup_stays_text(tmp_path):
    project = init_project(tmp_path / "project")
    _article(project, "markup", 'title: "Markup"\ntags: ["a</category><x>"]')
    build_guide(Project(project))
    for name in ("feed_rss_created.xml", "feed_rss_updated.xml"):
        rss = ET.parse(project / "site" / name).getroot()
        assert "a</category><x>" in {c.text for c in rss.iter("category")}, name
    listed = json.loads((project / "site" / "feed_json_created.json").read_text())
    assert ["a</category><x>"] in [item["tags"] for item in listed["items"]]


def test_a_feed_that_would_be_broken_is_not_published(tmp_path):
    project = init_project(tmp_path / "project")
    build_guide(Project(project))
    before = (project / "site" / "feed_rss_created.xml").read_bytes()
    # a project's own feed template, edited by hand and left unclosed
    template = project / "templates" / "guide" / "rss.xml"
    template.parent.mkdir(parents=True, exist_ok=True)
    template.write_text("<rss><channel><title>{{ title }}</title></rss>\n", encoding="utf-8")
    with pytest.raises(GoodwillError, match="would not be well-formed XML"):
        build_guide(Project(project))
    assert (project / "site" / "feed_rss_created.xml").read_bytes() == before
