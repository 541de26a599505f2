"""The digest in the built guide: archive, issue pages, feeds, and a hostile feed in Chromium.

One module-scoped build (shipped sample issues + a new issue made from a hostile
feed) is shared by every test here.
"""

from __future__ import annotations

import email.utils
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
import pytest

from goodwill.core.errors import Collector
from goodwill.core.project import Project
from goodwill.digest.issues import load_issues
from goodwill.guide.build import build_guide
from goodwill.scaffold import init_project

SITE = "https://guide.example.com/"
HOSTILE = """<?xml version="1.0"?>
<rss version="2.0"><channel><title>Hostile</title><link>https://hostile.example/</link>
<description>d</description>
<item>
  <title>Click &lt;script&gt;window.__pwned=1&lt;/script&gt;
    &lt;img src=x onerror="window.__pwned=2"&gt;
    {: onclick="window.__pwned=3" } [x](javascript:window.__pwned=4) &lt;b&gt;bold&lt;/b&gt;</title>
  <link>javascript:window.__pwned=5</link>
  <guid>urn:hostile:1</guid>
  <pubDate>Wed, 18 Nov 2026 10:00:00 GMT</pubDate>
  <description>&lt;p onmouseover="window.__pwned=6"&gt;Hostile text
    &lt;script&gt;window.__pwned=7&lt;/script&gt;
    &lt;a href="javascript:window.__pwned=8"&gt;js link&lt;/a&gt;
    &lt;iframe src="javascript:window.__pwned=9"&gt;&lt;/iframe&gt;
    &lt;img src=x onerror="window.__pwned=10"&gt;&lt;svg onload="window.__pwned=11"&gt;&lt;/svg&gt;
    &lt;style&gt;body{display:none}&lt;/style&gt; [md link](javascript:window.__pwned=12)
    &lt;a href="data:text/html,&lt;script&gt;window.__pwned=13&lt;/script&gt;"&gt;
    data link&lt;/a&gt;
    &lt;/p&gt;</description>
</item>
<item>
  <title>Second {: .x onclick="window.__pwned=14" }</title>
  <link>https://hostile.example/2</link>
  <guid>urn:hostile:2</guid>
  <pubDate>Wed, 18 Nov 2026 09:00:00 GMT</pubDate>
  <description>![img](javascript:window.__pwned=15)
    &lt;a href=" JaVaScRiPt:window.__pwned=16"&gt;up&lt;/a&gt;</description>
</item>
</channel></rss>
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = init_project(tmp_path_factory.mktemp("publish") / "project")
    (root / "content" / "feeds" / "hostile.xml").write_text(HOSTILE, encoding="utf-8")
    (root / "content" / "feeds.yaml").write_text(
        "- name: Hostile\n  url: content/feeds/hostile.xml\n  tags: [hostile]\n", "utf-8"
    )
    from click.testing import CliRunner

    from goodwill.cli.main import main

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GOODWILL_TODAY", "2026-11-20")
        patch.chdir(root)
        runner = CliRunner()
        assert runner.invoke(main, ["digest", "fetch"]).exit_code == 0
        result = runner.invoke(main, ["digest", "new", "--since", "2026-11-01"])
        assert result.exit_code == 0, result.output
        build_guide(Project(root))
    return root


def issue_files(root: Path):
    return load_issues(Project(root), Collector())


def test_the_hostile_issue_was_written(built):
    issues = issue_files(built)
    assert issues[-1].entries == ["urn:hostile:1", "urn:hostile:2"]


@pytest.mark.browser
def test_hostile_feed_runs_no_script_in_the_browser(built, browser, serve_dir):
    base = serve_dir(built / "site")
    issue = issue_files(built)[-1]
    page = browser.new_page()
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    try:
        page.goto(f"{base}digest/{issue.path.stem}/", wait_until="load")
        page.mouse.move(10, 10)
        page.wait_for_timeout(300)
        assert page.evaluate("window.__pwned") is None
        assert dialogs == []
        found = page.evaluate(
            """() => ({
                text: document.querySelector('article').innerText,
                scripts: [...document.scripts].filter(
                    s => s.textContent.includes('__pwned')).length,
                handlers: [...document.querySelectorAll('article *')].flatMap(
                    el => [...el.attributes].map(a => a.name)).filter(n => n.startsWith('on')),
                badLinks: [...document.querySelectorAll('[href],[src]')].map(
                    el => el.getAttribute('href') || el.getAttribute('src')).filter(
                    u => /^\\s*(javascript|data):/i.test(u)),
                frames: document.querySelectorAll('article iframe, article svg[onload], '
                                                  + 'article img').length,
            })"""
        )
    finally:
        page.close()
    assert "Hostile text" in found["text"]
    assert found["scripts"] == 0 and found["handlers"] == [] and found["badLinks"] == []
    assert found["frames"] == 0


def test_hostile_markup_is_not_in_the_built_page(built):
    issue = issue_files(built)[-1]
    html = (built / "site" / "digest" / issue.path.stem / "index.html").read_text("utf-8")
    article = html[html.index("<article") : html.index("</article>")]
    # What is left of the attack is inert text, never a tag or an attribute:
    assert "Hostile text" in article and '{: onclick="window.__pwned=3" }' in article
    assert not re.search(r"<(script|iframe|style|svg|img)\b", article)
    assert not re.search(r"<[^>]*\son\w+\s*=", article)
    assert not re.search(r"<[^>]*(href|src)=\"\s*(javascript|data):", article, re.I)
    assert "<b>" not in article.split("<h3", 1)[1].split("</h3>", 1)[0]  # title without markup


def test_digest_archive_lists_issues_newest_first(built):
    html = (built / "site" / "digest" / "index.html").read_text(encoding="utf-8")
    issues = issue_files(built)
    positions = [
        html.index(f'href="../digest/{i.path.stem}/"')
        if f'href="../digest/{i.path.stem}/"' in html
        else html.index(f'href="{i.path.stem}/"')
        for i in issues
    ]
    assert positions == sorted(positions, reverse=True)
    assert "Digest" in (built / "site" / "index.html").read_text(encoding="utf-8")  # in the nav


def test_every_page_announces_the_feeds(built):
    pages = list((built / "site").rglob("*.html"))
    assert len(pages) > 10
    for page in pages:
        head = page.read_text(encoding="utf-8").split("</head>", 1)[0]
        for feed in (
            "feed_rss_created.xml",
            "feed_digest_rss.xml",
            "feed_digest_atom.xml",
            "feed_atom.xml",
        ):
            assert re.search(
                rf'<link rel="alternate" type="application/(rss|atom)\+xml"'
                rf'[^>]*href="[./]*{feed}"',
                head,
            ), (page, feed)


@pytest.mark.parametrize(
    "name, version",
    [
        ("feed_digest_rss.xml", "rss20"),
        ("feed_digest_atom.xml", "atom10"),
        ("feed_atom.xml", "atom10"),
        ("feed_rss_created.xml", "rss20"),
    ],
)
def test_published_feeds_round_trip(built, name, version):
    data = (built / "site" / name).read_bytes()
    parsed = feedparser.parse(data)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == version
    issues = issue_files(built)
    articles = len(list((built / "content" / "articles").glob("*.md")))
    expected = {
        "feed_digest_rss.xml": len(issues),
        "feed_digest_atom.xml": len(issues),
        "feed_atom.xml": len(issues) + articles,
        "feed_rss_created.xml": articles,
    }
    assert len(parsed.entries) == expected[name]
    for entry in parsed.entries:
        assert entry.link.startswith(SITE) and entry.id.startswith(SITE)


@pytest.mark.parametrize(
    "name, section", [("feed_digest_rss.xml", "digest/"), ("feed_rss_created.xml", "articles/")]
)
def test_published_rss_follows_the_w3c_validator_rules(built, name, section):
    root = ET.parse(built / "site" / name).getroot()
    channel = root.find("channel")
    self_link = channel.find("{http://www.w3.org/2005/Atom}link")
    assert self_link.get("rel") == "self" and self_link.get("href") == SITE + name
    assert channel.find("image/url").text.startswith(SITE)
    assert channel.findall("item")
    for item in channel.findall("item"):
        assert item.find("guid").text.startswith(SITE)
        assert item.find("link").text.startswith(SITE + section)
        assert email.utils.parsedate_to_datetime(item.find("pubDate").text) is not None
        assert item.find("description").text
        # RSS 2.0 <author> is an e-mail address; a bare name fails the validator.
        assert all("@" in (a.text or "") for a in item.findall("author"))


def test_feeds_and_feed_files_stay_private(built):
    site = built / "site"
    assert not list(site.rglob("*.yaml")) and not (site / "feeds").exists()
    assert not any("hostile.xml" in p.name for p in site.rglob("*"))
    for page in site.rglob("*.html"):
        assert "content/feeds/" not in page.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ["feed_digest_rss.xml", "feed_digest_atom.xml"])
def test_digest_feeds_carry_each_issue_in_full(built, name):
    data = (built / "site" / name).read_bytes()
    if name.endswith("rss.xml"):
        assert b'xmlns:content="http://purl.org/rss/1.0/modules/content/"' in data
        assert data.count(b"<content:encoded>") == len(issue_files(built))
    parsed = feedparser.parse(data)
    assert not parsed.bozo, parsed.get("bozo_exception")
    by_link = {entry.link: entry for entry in parsed.entries}
    for issue in issue_files(built):
        entry = by_link[f"{SITE}digest/{issue.path.stem}/"]
        [content] = [c for c in entry.content if c.type == "text/html"]
        assert "<h2" in content.value and "<script" not in content.value
        for heading in re.findall(r"^## (.+)$", issue.body, re.M):
            assert heading.replace("&", "&amp;") in content.value, heading
        for link in issue.links[:3]:
            host = link.split("/")[2]
            assert host in content.value
        assert len(content.value) > len(entry.summary)
