"""What goodwill does to build faster than MkDocs alone leaves every page as it would be."""

from __future__ import annotations

from pathlib import Path

import goodwill.guide.build as build_module
from goodwill.core.project import Project
from goodwill.guide.build import build_guide


def html_pages(site: Path) -> dict[str, str]:
    """Every built page and the search index (the feeds carry the build's time)."""
    files = [*site.rglob("*.html"), site / "search" / "search_index.json"]
    return {str(p.relative_to(site)): p.read_text(encoding="utf-8") for p in files}


def test_shared_chrome_is_the_same_as_rendering_it_on_every_page(project_dir, monkeypatch):
    project = Project(project_dir)
    fast = build_guide(project, site_dir=project_dir / "site-fast").site_dir
    monkeypatch.setattr(build_module, "memoize_theme", lambda config: None)
    plain = build_guide(project, site_dir=project_dir / "site-plain").site_dir
    fast_pages, plain_pages = html_pages(fast), html_pages(plain)
    assert len(fast_pages) > 20
    assert fast_pages.keys() == plain_pages.keys()
    for name, text in plain_pages.items():
        assert fast_pages[name] == text, name


def test_an_overridden_partial_is_rendered_for_each_page(project_dir):
    """A partial in the project's theme folder may show something of the page: it is never
    reused from another page, even when Material's nav.html includes it."""
    partials = project_dir / "templates" / "guide" / "overrides" / "partials"
    partials.mkdir(parents=True)
    (partials / "nav-item.html").write_text(
        "{% macro render(nav_item, path, level, parent) %}"
        '<li data-test-page="{{ page.title }}">{{ nav_item.title }}</li>{% endmacro %}\n',
        encoding="utf-8",
    )
    site = build_guide(Project(project_dir)).site_dir
    articles = sorted((site / "articles").glob("*/index.html"))
    assert len(articles) >= 2
    for page in articles:
        text = page.read_text(encoding="utf-8")
        title = text.split("<title>", 1)[1].split(" - ", 1)[0].split("<", 1)[0].strip()
        assert f'data-test-page="{title}"' in text, page
