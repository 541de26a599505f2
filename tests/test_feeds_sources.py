"""feeds.yaml validation, `goodwill check`, and OPML import/export."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from goodwill.core.errors import Collector
from goodwill.core.project import Project
from goodwill.digest.opml import read_opml
from goodwill.digest.sources import load_sources

BAD_FEEDS = """\
# my feeds
- name: Good
  url: https://example.com/feed.xml
  tags: [referrals]
- name: Typo
  url: https://example.org/rss
  tag: [oops]
- name: Scheme
  url: ftp://example.net/feed
- name: Copy
  url: https://EXAMPLE.com/feed.xml/
- url: https://example.info/feed
- name: Counts
  url: https://example.biz/feed
  max_items: 0
  enabled: maybe
"""


def test_shipped_feeds_are_valid(project_dir):
    problems = Collector()
    sources = load_sources(Project(project_dir), problems)
    assert problems.problems == []
    assert [s.name for s in sources.enabled] == [
        "The Referral Roundtable",
        "Small Business Networking Notes",
        "The Thank-You Note Journal",
    ]
    assert all(not s.is_remote for s in sources.sources)


def test_check_reports_every_feeds_problem_with_its_line(project_dir, cli):
    (project_dir / "content" / "feeds.yaml").write_text(BAD_FEEDS, encoding="utf-8")
    result = cli("check")
    assert result.exit_code == 1
    out = result.output
    assert "content/feeds.yaml:7: warning: unknown key 'tag' (did you mean 'tags'?)" in out
    assert "content/feeds.yaml:9: feed 'Scheme': url 'ftp://example.net/feed'" in out
    assert "content/feeds.yaml:10: feed 'Copy': duplicate url" in out and "line 2" in out
    assert "content/feeds.yaml:12: name: must be non-empty text" in out
    assert "content/feeds.yaml:15: feed 'Counts': max_items:" in out
    assert "content/feeds.yaml:16: feed 'Counts': enabled: must be true or false" in out


def test_fetch_refuses_an_invalid_feed_list(project_dir, cli):
    (project_dir / "content" / "feeds.yaml").write_text(BAD_FEEDS, encoding="utf-8")
    result = cli("digest", "fetch")
    assert result.exit_code == 1
    assert "duplicate url" in result.output
    assert not (project_dir / ".goodwill" / "digest.sqlite").exists()


def test_digest_settings_are_validated(project_dir, cli):
    with (project_dir / "goodwill.yml").open("a", encoding="utf-8") as handle:
        handle.write("\ndigest:\n  group_by: colour\n  timeout: -1\n  concurrancy: 4\n")
    out = cli("check").output
    assert "digest.group_by: must be one of tag, source" in out
    assert "digest.timeout: must be between" in out
    assert "unknown option 'concurrancy' (did you mean 'concurrency'?)" in out


OPML = """<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0">
  <head><title>My subscriptions</title></head>
  <body>
    <outline text="Referrals">
      <outline type="rss" text="Referral Weekly" xmlUrl="https://weekly.example.com/feed"/>
      <outline type="rss" text="Roundtable again"
               xmlUrl="content/feeds/referral-roundtable.xml"/>
    </outline>
    <outline type="rss" text="Solo &amp; Co" xmlUrl="https://solo.example.org/atom.xml"
             category="/coaching,/small business"/>
    <outline type="rss" text="Referral Weekly twice" xmlUrl="https://WEEKLY.example.com/feed/"/>
  </body>
</opml>
"""


def test_opml_import_merges_without_duplicates_and_keeps_comments(project_dir, cli, tmp_path):
    feeds = project_dir / "content" / "feeds.yaml"
    before = feeds.read_text(encoding="utf-8")
    opml = tmp_path / "subs.opml"
    opml.write_text(OPML, encoding="utf-8")
    result = cli("feeds", "import", str(opml))
    assert result.exit_code == 0, result.output
    assert "Added 2 feed(s) to content/feeds.yaml; 1 already there; 1 skipped" in result.output
    assert (
        f"{opml}:7: warning: outline 'Roundtable again': xmlUrl "
        "'content/feeds/referral-roundtable.xml' is not an http(s) address; skipped"
    ) in result.output
    after = feeds.read_text(encoding="utf-8")
    assert after.startswith(before)  # every comment and line of the user's file kept
    problems = Collector()
    sources = load_sources(Project(project_dir), problems)
    assert problems.errors == []
    added = {s.name: s for s in sources.sources[3:]}
    assert added["Referral Weekly"].tags == ("Referrals",)
    assert added["Solo & Co"].tags == ("coaching", "small business")
    again = cli("feeds", "import", str(opml))
    assert "Added 0 feed(s)" in again.output
    assert feeds.read_text(encoding="utf-8") == after


def test_opml_export_round_trips(project_dir, cli, tmp_path):
    opml = tmp_path / "subs.opml"
    opml.write_text(OPML, encoding="utf-8")
    cli("feeds", "import", str(opml))
    out = tmp_path / "out.opml"
    result = cli("feeds", "export", str(out))
    assert result.exit_code == 0
    root = ET.parse(out).getroot()
    assert root.get("version") == "2.0" and root.find("head/dateCreated") is not None
    urls = [o.get("xmlUrl") for o in root.iter("outline")]
    assert urls == ["https://weekly.example.com/feed", "https://solo.example.org/atom.xml"]
    assert "local-file feed(s) left out" in result.output
    back = read_opml(out)
    assert [(s.name, s.tags) for s in back] == [
        ("Referral Weekly", ("Referrals",)),
        ("Solo & Co", ("coaching", "small business")),
    ]


def test_opml_with_entities_is_refused(project_dir, cli, tmp_path):
    opml = tmp_path / "evil.opml"
    opml.write_text(
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><opml version="2.0"><body/></opml>',
        encoding="utf-8",
    )
    result = cli("feeds", "import", str(opml))
    assert result.exit_code == 1 and "DOCTYPE" in result.output


def write_feeds(project_dir, text: str) -> None:
    (project_dir / "content" / "feeds.yaml").write_text(text, encoding="utf-8")


def test_invalid_addresses_are_reported_at_their_line(project_dir, cli):
    write_feeds(
        project_dir,
        "- name: Bracket\n  url: http://[bad/feed\n"
        "- name: Port\n  url: http://example.com:99999/feed\n",
    )
    for command in (["check"], ["digest", "fetch"]):
        result = cli(*command)  # a traceback would fail the test: catch_exceptions=False
        assert result.exit_code == 1
        assert (
            "content/feeds.yaml:2: feed 'Bracket': url 'http://[bad/feed' is not a valid "
            "address (Invalid IPv6 URL)"
        ) in result.output
        assert (
            "content/feeds.yaml:4: feed 'Port': url 'http://example.com:99999/feed' is not a "
            "valid address (Port out of range 0-65535)"
        ) in result.output


def test_local_feed_files_must_be_inside_the_project(project_dir, cli, tmp_path):
    outside = tmp_path / "outside.xml"
    outside.write_text("<rss/>", encoding="utf-8")
    (project_dir / "content" / "feeds" / "link.xml").symlink_to(outside)
    write_feeds(
        project_dir,
        "- name: Inside\n  url: content/feeds/referral-roundtable.xml\n"
        "- name: Up\n  url: ../outside.xml\n"
        f"- name: Absolute\n  url: {outside}\n"
        "- name: Link\n  url: content/feeds/link.xml\n",
    )
    result = cli("check")
    assert result.exit_code == 1
    out = result.output
    assert "content/feeds.yaml:4: feed 'Up': local feed file ../outside.xml is outside" in out
    assert f"content/feeds.yaml:6: feed 'Absolute': local feed file {outside} is outside" in out
    assert "content/feeds.yaml:8: feed 'Link': local feed file content/feeds/link.xml is " in out
    assert "feeds.yaml:2" not in out  # a project-relative file is fine
    assert cli("digest", "fetch").exit_code == 1
    assert not (project_dir / ".goodwill" / "digest.sqlite").exists()


def test_an_item_that_is_not_a_mapping_is_reported_at_its_line(project_dir, cli):
    write_feeds(
        project_dir,
        "# feeds\n- name: Good\n  url: https://example.com/feed.xml\n\n"
        "- just a line of text\n- [a, list]\n",
    )
    out = cli("check").output
    assert "content/feeds.yaml:5: each feed must be a mapping, got 'just a line of text'" in out
    assert "content/feeds.yaml:6: each feed must be a mapping, got ['a', 'list']" in out


HOSTILE_OPML = """<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0">
  <body>
    <outline type="rss" text="Passwords" xmlUrl="file:///etc/passwd"/>
    <outline type="rss" text="Absolute" xmlUrl="/etc/passwd"/>
    <outline type="rss" text="Up" xmlUrl="../../outside.xml"/>
    <outline type="rss" text="Bracket" xmlUrl="http://[bad/feed"/>
    <outline type="rss" text="Good" xmlUrl="https://good.example/feed.xml"/>
  </body>
</opml>
"""


def test_opml_import_takes_only_http_feeds_and_reports_the_others(project_dir, cli, tmp_path):
    feeds = project_dir / "content" / "feeds.yaml"
    before = feeds.read_text(encoding="utf-8")
    opml = tmp_path / "hostile.opml"
    opml.write_text(HOSTILE_OPML, encoding="utf-8")
    result = cli("feeds", "import", str(opml))
    assert result.exit_code == 0, result.output
    assert "Added 1 feed(s) to content/feeds.yaml; 4 skipped (see above)" in result.output
    for line, text in [
        (4, "outline 'Passwords': url 'file:///etc/passwd': only http(s) addresses are fetched"),
        (5, "outline 'Absolute': local feed file /etc/passwd is outside the project folder"),
        (6, "outline 'Up': local feed file ../../outside.xml is outside the project folder"),
        (7, "outline 'Bracket': url 'http://[bad/feed' is not a valid address"),
    ]:
        assert f"{opml}:{line}: warning: {text}" in result.output
    after = feeds.read_text(encoding="utf-8")
    assert after.startswith(before) and "https://good.example/feed.xml" in after
    assert "passwd" not in after and "outside" not in after
    assert not list(feeds.parent.glob(".feeds-*"))  # no temporary file left behind
