"""Hostile feeds served on 127.0.0.1, taken through fetch, new, build and export in real
subprocesses: no native crash, no traceback, and every published feed still well-formed."""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

import feedparser
import pytest

from goodwill.digest.entries import normalize
from goodwill.digest.sanitize import MAX_HTML_DEPTH, flatten_deep_html, summarize

LEVELS = 100_000
CONTROLS = "\x00\x07\x08\x0b\x1b\x7f\x80\x85\x9f\ufffe"
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


def _item(number: int, title: str, description: str) -> str:
    return (
        f"<item><title>{title}</title><link>https://hostile.test/{number}</link>"
        f"<guid>https://hostile.test/{number}</guid>"
        f"<pubDate>Wed, 18 Nov 2026 0{number}:00:00 +0000</pubDate>"
        f"<description>{description}</description></item>"
    )


def hostile_feed() -> bytes:
    # Only the first 100,000 characters are kept: still 33,000 levels open after the cut.
    deep = "<p>At the top" + "<b>" * LEVELS + "the bottom" + "</b>" * LEVELS
    items = [
        _item(1, "Nested a hundred thousand deep", html.escape(deep)),
        _item(2, f"Bell{CONTROLS}title", html.escape(f"<p>Summary{CONTROLS} &#7;&#x9f; end</p>")),
        _item(3, "Control characters as references", "Text &amp;#8; &amp;#0; here"),
    ]
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        "<title>Hostile</title><link>https://hostile.test/</link><description>d</description>"
        + "".join(items)
        + "</channel></rss>"
    ).encode("utf-8")


def _goodwill(project, *args, timeout=180):
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    proc = subprocess.run(
        [sys.executable, "-m", "goodwill", *args],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
    )
    assert proc.returncode == 0, (args, proc.returncode, proc.stdout, proc.stderr[-3000:])
    assert "Traceback" not in proc.stderr
    return proc


@pytest.fixture
def hostile_project(project_dir, tmp_path, serve_dir):
    served = tmp_path / "served"
    served.mkdir()
    (served / "hostile.xml").write_bytes(hostile_feed())
    url = serve_dir(served) + "hostile.xml"
    feeds = project_dir / "content" / "feeds.yaml"
    feeds.write_text(
        feeds.read_text(encoding="utf-8") + f"\n- name: Hostile\n  url: {url}\n", encoding="utf-8"
    )
    return project_dir


def test_hostile_feed_through_fetch_new_build_and_export(hostile_project, tmp_path):
    project = hostile_project
    fetched = _goodwill(project, "digest", "fetch")
    assert "Hostile" in fetched.stdout
    _goodwill(project, "digest", "new", "--since", "2026-11-01", "--title", "Hostile issue")
    issue = max((project / "content" / "digest").glob("*.md"), key=lambda p: p.stat().st_mtime)
    text = issue.read_text(encoding="utf-8")
    # feedparser reads C1 bytes as Windows-1252 (\x80 is €); the rest must be gone
    assert "At the top" in text and re.search(r"### \[Bell[€…Ÿ]*title\]", text)
    assert not NOT_XML.search(text), "control characters reached the issue"
    assert text.count("<b>") <= MAX_HTML_DEPTH
    _goodwill(project, "build")
    site = project / "site"
    page = (site / "digest" / issue.stem / "index.html").read_text(encoding="utf-8")
    assert "At the top" in page and not NOT_XML.search(page)
    feeds = sorted(site.glob("*.xml"))
    assert {p.name for p in feeds} >= {"feed_atom.xml", "feed_digest_atom.xml"}
    for path in feeds:
        ET.parse(path)  # raises when not well-formed
        if path.name != "sitemap.xml":
            parsed = feedparser.parse(path.read_bytes())
            assert not parsed.bozo, (path.name, parsed.get("bozo_exception"))
    assert "Bell" in (site / "feed_digest_atom.xml").read_text(encoding="utf-8")
    out = tmp_path / "mail"
    _goodwill(project, "digest", "export", "latest", "--out", str(out))
    mail = (out / f"{issue.stem}.html").read_text(encoding="utf-8")
    assert "At the top" in mail and not NOT_XML.search(mail)


def test_nesting_is_capped_when_the_entry_is_read():
    deep = "<div>" + "<i>" * 5000 + "x" + "</i>" * 5000 + "</div><p>after</p>"
    raw = {"title": "<b>" * 5000 + "Deep title", "summary": deep, "link": "https://a.test/1"}
    entry = normalize(raw, None, "https://a.test/feed", 0.0)
    assert entry.title == "Deep title"
    assert entry.body.count("<i>") < MAX_HTML_DEPTH
    assert entry.body.endswith("x" + "</i>" * (MAX_HTML_DEPTH - 1) + "</div><p>after</p>")
    assert "after" in summarize(entry.body, None, 300)


def test_flattening_keeps_shallow_html_as_it_is():
    shallow = '<p>One <a href="https://x.test/">link</a><br> and <b><i>two</i></b></p>' * 200
    assert flatten_deep_html(shallow) == shallow
    unclosed = "<p>para" * 1000 + "<li>item" * 1000  # end tags HTML lets you leave out
    assert flatten_deep_html(unclosed) == unclosed


def test_control_characters_are_removed_when_the_entry_is_read():
    raw = {
        "title": f"A{CONTROLS}B",
        "summary": f"<p>c{CONTROLS}d &#7; &#x85;</p>",
        "link": f"https://a.test/{CONTROLS}1",
    }
    entry = normalize(raw, None, "https://a.test/feed", 0.0)
    assert entry.title == "AB"
    assert not NOT_XML.search(entry.body) and not NOT_XML.search(entry.link)
    assert not NOT_XML.search(summarize(entry.body, None, 300))


def test_the_opml_export_stays_well_formed(project_dir, cli):
    feeds = project_dir / "content" / "feeds.yaml"
    feeds.write_text(
        feeds.read_text(encoding="utf-8")
        + '\n- name: "Bell \\a and \\x85 feed"\n  url: https://bell.test/feed.xml\n'
        + '  tags: ["R\\bD"]\n',
        encoding="utf-8",
    )
    result = cli("feeds", "export")
    assert result.exit_code == 0, result.output
    root = ET.fromstring(result.output[: result.output.index("</opml>") + 7])
    outline = next(
        o for o in root.iter("outline") if o.get("xmlUrl") == "https://bell.test/feed.xml"
    )
    assert outline.get("text") == "Bell  and  feed" and outline.get("category") == "RD"
