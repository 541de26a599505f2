"""Golden files for a small fixture site: goodwill's staged Markdown, feed and one page.

Refresh after an intended change with `python -m pytest --update-golden`, then review the diff.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import feedparser

from goodwill.core.dates import today
from goodwill.core.errors import Collector
from goodwill.core.project import Project
from goodwill.guide.articles import load_articles
from goodwill.guide.build import build_guide
from goodwill.guide.staging import stage_guide
from goodwill.scaffold import init_project

FIXTURE = Path(__file__).parent / "fixtures" / "small-site"


def fixture_project(tmp_path) -> Project:
    root = init_project(tmp_path / "small")
    shutil.rmtree(root / "content" / "articles")
    shutil.copytree(FIXTURE / "articles", root / "content" / "articles")
    shutil.copyfile(FIXTURE / "index.md", root / "content" / "index.md")
    shutil.rmtree(root / "content" / "digest")
    return Project(root)  # pasted.md (no date, no git) is dated today: the frozen clock


def test_staged_markdown_matches_golden(tmp_path, golden):
    project = fixture_project(tmp_path)
    problems = Collector()
    articles = [a for a in load_articles(project.articles_dir, problems) if a.is_published(today())]
    docs = tmp_path / "docs"
    stage_guide(project, articles, docs, "Site Author", problems)
    staged = sorted(p for p in docs.rglob("*.md"))
    assert [str(p.relative_to(docs)) for p in staged] == [
        "archive.md",
        "articles/first-steps.md",
        "articles/follow-up.md",
        "articles/pasted-plain.md",
        "articles/pasted.md",
        "authors/ada-example.md",
        "authors/ben-sample.md",
        "authors/index.md",
        "authors/site-author.md",
        "digest/index.md",
        "index.md",
        "tags.md",
    ]
    for path in staged:
        golden(f"small-site/{path.relative_to(docs)}", path.read_text())
    assert [p.message for p in problems.warnings] == [
        "no front matter: guessed title from the first line and date 2026-11-20 (today), "
        "to be pinned in content/dates.yaml",
        "no front matter: guessed title from the first heading and date 2026-11-20 (today), "
        "to be pinned in content/dates.yaml",
    ]


def test_built_feed_and_article_match_golden(tmp_path, golden):
    project = fixture_project(tmp_path)
    build_guide(project)
    site = project.site_dir
    feed = feedparser.parse((site / "feed_rss_created.xml").read_bytes())
    assert not feed.bozo
    lines = [f"{e.title} | {e.link} | {e.published} | {e.summary}" for e in feed.entries]
    golden("small-site/feed.txt", "\n".join(lines) + "\n")
    page = (site / "articles" / "follow-up" / "index.html").read_text()
    article = re.search(r"<article.*?</article>", page, re.S).group(0)
    golden("small-site/follow-up.html", article + "\n")
    home = (site / "index.html").read_text()
    assert "Close the loop &lt;always&gt;." in home  # a description is text, never markup
