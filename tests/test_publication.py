"""The guide reads like a publication: home, author pages, social meta, feeds, digest issues."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import feedparser
import pytest

from goodwill.core.project import Project
from goodwill.guide.build import build_guide

SITE_URL = "https://guide.example.com/"


@pytest.fixture
def demo(built_demo):
    return built_demo


class Head(HTMLParser):
    """The <meta>, <link rel=alternate> and a few landmarks of one built page."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.meta: dict[str, list[str]] = {}
        self.alternates: list[tuple[str, str]] = []
        self.canonical = ""
        self.primary_sidebar_hidden = None
        self.h1 = []
        self._in_h1 = False
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta":
            key = attrs.get("property") or attrs.get("name")
            if key:
                self.meta.setdefault(key, []).append(attrs.get("content", ""))
        elif tag == "link" and attrs.get("rel") == "alternate":
            self.alternates.append((attrs.get("type", ""), attrs.get("href", "")))
        elif tag == "link" and attrs.get("rel") == "canonical":
            self.canonical = attrs.get("href", "")
        elif tag == "div" and "md-sidebar--primary" in (attrs.get("class") or ""):
            self.primary_sidebar_hidden = "hidden" in attrs
        elif tag == "h1":
            self._in_h1 = True
            self.h1.append("")

    def handle_endtag(self, tag):
        if tag == "h1":
            self._in_h1 = False

    def handle_data(self, data):
        if self._in_h1:
            self.h1[-1] += data


def page(site, rel: str) -> Head:
    return Head((site / rel / "index.html").read_text())


def feed_files(site) -> list[str]:
    return sorted(p.name for p in site.glob("feed_*") if p.suffix in (".xml", ".json"))


def test_home_is_titled_by_the_intro_and_lists_every_feed_and_the_signup(demo):
    site = demo / "site"
    home_html = (site / "index.html").read_text()
    home = Head(home_html)
    assert [h.rstrip("¶") for h in home.h1] == ["Goodwill: a referral networking guide"]
    assert "<title>Home" not in home_html
    block = re.search(r'<div class="gw-subscribe">(.*?)</div>', home_html, re.S).group(1)
    assert "Subscribe" in block
    linked = re.findall(r'href="([^"]+)"', block)
    feeds = [urlsplit(url).path.lstrip("/") for url in linked if "feed_" in url]
    assert sorted(feeds) == feed_files(site)  # every feed the site publishes, and no other
    assert len(feeds) >= 7
    assert "https://morgancoaching.example/newsletter" in linked  # goodwill.yml's signup_url
    assert "Get new articles and the digest by e-mail" in block
    titles = re.findall(r'<h3 id="[^"]*"><a href="articles/[^"]+/">([^<]+)</a>', home_html)
    assert titles[0] == "The Note That Started Everything" and len(titles) == 10


def test_no_left_sidebar_on_generated_pages_and_toc_kept_on_articles(demo):
    site = demo / "site"
    for rel in (
        "",
        "archive",
        "tags",
        "authors",
        "authors/maria-lopez",
        "digest",
        "digest/2026-11-20-2",
        "articles/deep-networks-beat-wide-ones",
    ):
        assert page(site, rel).primary_sidebar_hidden is True, rel
    article = (site / "articles/deep-networks-beat-wide-ones/index.html").read_text()
    assert 'data-md-type="toc" >' in article  # the table of contents stays visible


def test_author_pages_list_their_articles_newest_first_and_bylines_link_them(demo):
    site = demo / "site"
    maria = (site / "authors/maria-lopez/index.html").read_text()
    assert "Partner at Lopez &amp; Partners Accountants" in maria  # bio from authors.yaml
    assert 'src="../../assets/images/authors/maria-lopez.svg"' in maria
    assert 'href="https://lopez-partners.example"' in maria
    listed = re.findall(r'<li>([^<]+) · <a href="../../articles/', maria)
    assert listed == ["27 October 2026", "1 July 2026", "24 February 2026", "8 September 2025"]
    index = (site / "authors/index.html").read_text()
    for slug in ("maria-lopez", "dan-okafor", "priya-raman", "tom-becker"):
        assert f'href="{slug}/"' in index
        assert (site / "authors" / slug / "index.html").is_file()
    article = (site / "articles/deep-networks-beat-wide-ones/index.html").read_text()
    byline = re.search(r'<p class="gw-byline">(.*?)</p>', article).group(1)
    assert 'href="../../authors/maria-lopez/"' in byline
    assert 'href="../../authors/priya-raman/"' in byline
    home = (site / "index.html").read_text()
    assert home.count('href="authors/') >= 10  # every byline on the home page links


def test_every_page_has_open_graph_and_twitter_meta(demo):
    site = demo / "site"
    pages = [p for p in site.rglob("index.html")]
    assert len(pages) > 20
    for path in pages:
        head = Head(path.read_text())
        rel = path.parent.relative_to(site).as_posix()
        expected_url = urljoin(SITE_URL, "" if rel == "." else rel + "/")
        for key in (
            "og:title",
            "og:description",
            "og:url",
            "og:type",
            "og:site_name",
            "twitter:card",
            "twitter:title",
            "twitter:description",
        ):
            assert head.meta.get(key) and head.meta[key][0].strip(), (rel, key)
        assert head.meta["og:url"] == [expected_url] == [head.canonical], rel
        if rel.startswith("articles/"):
            assert head.meta["og:type"] == ["article"], rel
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", head.meta["article:published_time"][0])
            for author in head.meta["article:author"]:
                assert author.startswith(SITE_URL + "authors/")
                assert (site / urlsplit(author).path.lstrip("/") / "index.html").is_file()
        else:
            assert head.meta["og:type"][0] in ("website", "profile"), rel
    article = page(site, "articles/deep-networks-beat-wide-ones")
    assert article.meta["og:image"] == [SITE_URL + "assets/images/deep-networks.png"]
    assert (site / "assets/images/deep-networks.png").is_file()
    assert article.meta["twitter:card"] == ["summary_large_image"]
    assert article.meta["article:author"] == [
        SITE_URL + "authors/maria-lopez/",
        SITE_URL + "authors/priya-raman/",
    ]
    plain = page(site, "articles/running-a-good-one-to-one")
    assert "og:image" not in plain.meta and plain.meta["twitter:card"] == ["summary"]
    assert page(site, "").meta["og:title"] == ["Goodwill: a referral networking guide"]


def test_json_feed_is_valid_and_every_feed_is_announced_in_the_head(demo):
    site = demo / "site"
    data = json.loads((site / "feed_json_created.json").read_text())
    assert data["version"] == "https://jsonfeed.org/version/1.1"
    assert len(data["items"]) == 10
    for item in data["items"]:
        assert item["id"] and item["url"].startswith(SITE_URL + "articles/")
        assert item["title"] and item["date_published"]
    announced = {urlsplit(href).path.rsplit("/", 1)[-1] for _, href in page(site, "").alternates}
    assert {
        "feed_rss_created.xml",
        "feed_json_created.json",
        "feed_atom.xml",
        "feed_digest_rss.xml",
        "feed_digest_atom.xml",
    } <= announced
    types = dict((href.rsplit("/", 1)[-1], kind) for kind, href in page(site, "").alternates)
    assert types["feed_json_created.json"] == "application/feed+json"


def test_digest_issue_pages_show_number_date_and_neighbours(demo):
    site = demo / "site"
    second = (site / "digest/2026-11-20-2/index.html").read_text()
    assert "Issue #2 · 20 November 2026" in second
    assert re.search(r'class="gw-prev" href="../2026-11-06-1/">← #1 · ', second)
    assert "gw-next" not in second
    first = (site / "digest/2026-11-06-1/index.html").read_text()
    assert "Issue #1 · 6 November 2026" in first
    assert re.search(r'class="gw-next" href="../2026-11-20-2/">#2 · .* →', first)


DRAFT = '---\ntitle: "Half written ZQXDRAFT"\ndate: 2026-11-02\ndraft: true\n---\n\nSoon.\n'
LATER = '---\ntitle: "Next year ZQXLATER"\ndate: 2027-01-05\n---\n\nLater.\n'


def all_feeds_text(site) -> str:
    return "".join((site / name).read_text() for name in feed_files(site))


def test_drafts_never_in_feeds_or_listings_scheduled_shown_marked_with_future(project_dir):
    articles = project_dir / "content" / "articles"
    (articles / "draft.md").write_text(DRAFT)
    (articles / "later.md").write_text(LATER)
    project = Project(project_dir)
    build_guide(project, drafts=True, future=True)
    site = project.site_dir
    assert (site / "articles/draft/index.html").is_file()  # a page, marked
    assert "gw-status--draft" not in (site / "index.html").read_text()
    draft_page = (site / "articles/draft/index.html").read_text()
    assert 'name="robots" content="noindex"' in draft_page and "Draft" in draft_page
    for rel in ("index.html", "archive/index.html", "tags/index.html", "authors/index.html"):
        assert "ZQXDRAFT" not in (site / rel).read_text(), rel
    search = json.loads((site / "search/search_index.json").read_text())["docs"]
    pages = {d["location"].split("#")[0] for d in search}
    assert "articles/draft/" not in pages and "articles/later/" not in pages
    assert not [d for d in search if "ZQXDRAFT" in d["title"] + d["text"]]
    home = (site / "index.html").read_text()
    assert "ZQXLATER" in home and "gw-status--scheduled" in home
    assert "Scheduled for 5 January 2027" in (site / "articles/later/index.html").read_text()
    feeds = all_feeds_text(site)
    assert "ZQXDRAFT" not in feeds and "ZQXLATER" not in feeds
    for name in feed_files(site):
        if name.endswith(".xml"):
            assert not feedparser.parse((site / name).read_bytes()).bozo, name
    build_guide(project)  # without --future: no page for the scheduled one
    assert not (site / "articles/later").exists()


def test_a_tags_template_from_before_goodwill_wrote_the_tags_page(cli, project_dir):
    """A project made when Material's tags plugin filled the tags page: the page still
    lists the articles (goodwill's own template), and build and check say why."""
    template = project_dir / "templates" / "guide" / "tags.md.j2"
    template.write_text(
        "{# The tags index; Material's tags plugin fills in the listing. #}\n"
        "---\ntitle: Tags\ndescription: Articles by topic.\n---\n\n# Tags\n\n"
        "<!-- material/tags -->\n",
        encoding="utf-8",
    )
    result = cli("build")
    assert result.exit_code == 0, result.output
    assert "waits for Material's tags plugin" in result.output
    assert "tags.md.j2:9" in result.output  # the marker's line
    tags = (project_dir / "site" / "tags" / "index.html").read_text(encoding="utf-8")
    assert "Deep Networks Beat Wide Ones" in tags and "material/tags" not in tags
    checked = cli("check")
    assert "waits for Material's tags plugin" in checked.output
