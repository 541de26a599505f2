"""What goodwill does to build faster than MkDocs alone leaves every page as it would be."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

import goodwill.guide.build as build_module
import goodwill.guide.search_offload as search_offload
from goodwill.core.project import Project
from goodwill.guide.build import build_guide
from goodwill.guide.listing_splice import SplicedLists
from goodwill.guide.search_indexer import Anchor, PageView, encode
from goodwill.guide.search_offload import SearchWorker


def html_pages(site: Path) -> dict[str, str]:
    """Every built page and the search index (the feeds carry the build's time)."""
    files = [*site.rglob("*.html"), site / "search" / "search_index.json"]
    return {str(p.relative_to(site)): p.read_text(encoding="utf-8") for p in files}


class _ListsLeftIn(SplicedLists):
    def cut(self, text: str) -> str:
        return text


WITHOUT = {
    "shared chrome rendered on every page": ("memoize_theme", lambda config: None),
    "lists through Markdown": ("SplicedLists", _ListsLeftIn),
}


def add_pages_beside_the_chrome_links(project_dir: Path) -> None:
    """Pages whose path the chrome's links share (the theme's assets folder, the logo's
    folder, a folder of the nav), a logo, and pages of their own folder."""
    content = project_dir / "content"
    (content / "assets" / "index.md").write_text("# Our assets\n\nText.\n")
    (content / "other.md").write_text("# Another page\n\nText.\n")
    (content / "assets" / "notes.md").write_text("# Notes on images\n\nText.\n")
    (content / "assets" / "images" / "about.md").write_text("# About the images\n")
    (content / "authors").mkdir()
    (content / "authors" / "about.md").write_text("# About our authors\n")
    for name in ("first", "second"):
        (content / "guides" / name).mkdir(parents=True)
        (content / "guides" / name / "index.md").write_text(f"# The {name} guide\n")
    mkdocs_yml = project_dir / "mkdocs.yml"
    text = mkdocs_yml.read_text()
    text = text.replace(
        "  name: material\n", "  name: material\n  logo: assets/images/deep-networks.png\n"
    )
    # A nav link (not a page) and a home link into folders of unlisted pages.
    text = text.replace("  - Home: index.md\n", "  - Home: index.md\n  - Guides: guides/first/\n")
    text += "\nextra:\n  homepage: assets/\n"
    mkdocs_yml.write_text(text)


@pytest.mark.parametrize("speedup", sorted(WITHOUT))
def test_every_page_is_as_it_would_be_without_the_speedup(project_dir, monkeypatch, speedup):
    add_pages_beside_the_chrome_links(project_dir)
    project = Project(project_dir)
    fast = build_guide(project, site_dir=project_dir / "site-fast").site_dir
    monkeypatch.setattr(build_module, *WITHOUT[speedup])
    plain = build_guide(project, site_dir=project_dir / "site-plain").site_dir
    fast_pages, plain_pages = html_pages(fast), html_pages(plain)
    assert len(fast_pages) > 20
    assert fast_pages.keys() == plain_pages.keys()
    for name, text in plain_pages.items():
        assert fast_pages[name] == text, name
    if speedup == "lists through Markdown":
        tags = (fast / "tags" / "index.html").read_text(encoding="utf-8")
        assert '<ul class="gw-list">' in tags and "goodwill-list" not in tags


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


SEARCH_HOOK = """
from mkdocs.plugins import event_priority


class Topic:  # a tag object the worker cannot unpickle (it cannot import this hook)
    def __str__(self):
        return "topic-object"


@event_priority(100)  # before Material's search plugin indexes the page
def on_page_context(context, page, config, nav):
    name = page.file.src_uri
    if name.endswith("running-a-good-one-to-one.md"):
        page.content = page.content.replace("</p>", " CHANGED-AFTER-RENDER</p>", 1)
    if name.endswith("deep-networks-beat-wide-ones.md"):
        page.meta["tags"].append("added-in-place")  # the same list, changed after sending
    if name.endswith("following-up-after-a-first-meeting.md"):
        page.meta["tags"] = [*page.meta.get("tags", []), Topic()]
    return context
"""

EXCLUDED_SECTION = """

## Kept out of search { data-search-exclude }

This section is for readers only.
"""


def search_index(site: Path) -> str:
    return (site / "search" / "search_index.json").read_text(encoding="utf-8")


ONE_CORE = pytest.mark.skipif(search_offload.spare_cores() < 1, reason="one core: no worker")


@ONE_CORE
def test_the_search_index_is_the_one_material_writes(project_dir, monkeypatch):
    """Indexed in the worker process: the same index, also for a page a hook changed after
    it was sent and for a section marked to stay out of search."""
    (project_dir / "hooks.py").write_text(SEARCH_HOOK, encoding="utf-8")
    mkdocs_yml = project_dir / "mkdocs.yml"
    mkdocs_yml.write_text(mkdocs_yml.read_text() + "\nhooks:\n  - hooks.py\n", encoding="utf-8")
    article = next((project_dir / "content" / "articles").glob("*.md"))
    article.write_text(article.read_text() + EXCLUDED_SECTION, encoding="utf-8")
    monkeypatch.setattr(search_offload, "MIN_PAGES", 0)  # the demo's few pages, offloaded
    answers = []
    results = SearchWorker.results

    def keep_answer(worker):
        answers.append(results(worker))
        return answers[-1]

    monkeypatch.setattr(SearchWorker, "results", keep_answer)
    project = Project(project_dir)
    offloaded = search_index(build_guide(project, site_dir=project_dir / "site-a").site_dir)
    assert len(answers) == 1 and len(answers[0]) > 20  # the worker indexed the pages
    monkeypatch.setattr(search_offload, "spare_cores", lambda: 0)
    in_process = search_index(build_guide(project, site_dir=project_dir / "site-b").site_dir)
    assert "CHANGED-AFTER-RENDER" in in_process and "added-in-place" in in_process
    assert "This section is for readers only" not in in_process
    assert offloaded == in_process


@ONE_CORE
def test_the_worker_indexes_pages_as_material_does(project_dir):
    """A real worker process, sent a page, answers with Material's own entries."""
    from material.plugins.search.plugin import SearchIndex

    config = {"lang": ["en"], "separator": r"[\s\-]+", "pipeline": ["stemmer"], "fields": {}}
    toc = [Anchor("first", [Anchor("inner")])]
    html = '<h1 id="first">First</h1><p>One &amp; two.</p><h2 id="inner">Inner</h2><p>Three</p>'
    page = PageView(html, toc, "articles/x/", {"title": "X", "tags": ["a"]}, "X")
    worker = SearchWorker(pages=search_offload.MIN_PAGES)
    assert worker.process is not None
    assert worker.send(encode(config)) and worker.send(encode((7, page)))
    answer = worker.results()
    local = SearchIndex(**config)
    local.add_entry_from_context(page)
    assert answer == {7: local.entries}
    assert [e["location"] for e in answer[7]] == ["articles/x/", "articles/x/#inner"]


DYING = {
    "before it reads": "import sys; sys.exit(3)",
    "midway": "import sys; sys.stdin.buffer.read(20000); sys.exit(3)",
    "answering nonsense": "import sys; sys.stdin.buffer.read(); print('not a message')",
}


@ONE_CORE
@pytest.mark.parametrize("how", sorted(DYING))
def test_a_worker_that_fails_leaves_the_index_whole(project_dir, monkeypatch, how):
    import sys

    monkeypatch.setattr(search_offload, "MIN_PAGES", 0)
    project = Project(project_dir)
    expected = search_index(build_guide(project, site_dir=project_dir / "site-a").site_dir)
    started = []
    start = SearchWorker.__init__

    def keep_started(worker, pages):
        start(worker, pages)
        started.append(worker.process is not None)

    monkeypatch.setattr(SearchWorker, "__init__", keep_started)
    monkeypatch.setattr(search_offload, "COMMAND", [sys.executable, "-c", DYING[how]])
    result = build_guide(project, site_dir=project_dir / "site-b")
    assert started == [True]
    assert search_index(result.site_dir) == expected
    assert not [w for w in result.warnings if "search" in w.message.lower()]


def test_kept_compiled_templates_follow_an_edited_template(project_dir):
    from jinja2.bccache import bc_magic

    project = Project(project_dir)
    build_guide(project)
    folder = project.state_dir / "compiled-templates"
    kept = {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}
    assert len(kept) > 10  # Material's templates, compiled once
    build_guide(project)
    assert {p.name: p.stat().st_mtime_ns for p in folder.iterdir()} == kept  # reused as kept

    override = project_dir / "templates" / "guide" / "overrides" / "main.html"
    override.write_text(
        override.read_text().replace("{% block extrahead %}", "{% block extrahead %}ZQX-EDITED")
    )
    damaged = bc_magic + b"\x80 not the rest of a cache file"
    for path in folder.iterdir():  # damaged past Jinja's own header check: compiled again
        path.write_bytes(damaged)
    site = build_guide(project).site_dir
    assert "ZQX-EDITED" in (site / "index.html").read_text(encoding="utf-8")
    assert all(path.read_bytes() != damaged for path in folder.iterdir())


def test_compiled_code_is_kept_apart_for_other_jinja_settings(tmp_path):
    """A plugin may change how its environment compiles: the kept code of one is never
    given to the other."""
    from goodwill.guide.compiled_templates import _KeptBytecode

    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "page.html").write_text("  {% if true %}\nkept\n  {% endif %}\n")
    (tmp_path / "kept").mkdir()
    cache = _KeptBytecode(str(tmp_path / "kept"))

    def render(**settings) -> str:
        env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(templates)), bytecode_cache=cache, **settings
        )
        return env.get_template("page.html").render()

    plain, trimmed = render(), render(trim_blocks=True, lstrip_blocks=True)
    assert plain != trimmed
    assert render() == plain and render(trim_blocks=True, lstrip_blocks=True) == trimmed
    assert len(list((tmp_path / "kept").iterdir())) == 2
