"""`goodwill build --engine zensical`: the same pages and valid feeds as with MkDocs."""

from __future__ import annotations

import json

import feedparser
import pytest

from goodwill.core.project import Project
from goodwill.guide import zensical
from goodwill.guide.build import build_guide


def pages(site) -> set[str]:
    return {str(p.relative_to(site)) for p in site.rglob("index.html")}


def test_zensical_builds_the_demo_with_the_same_pages_and_valid_feeds(project_dir, tmp_path):
    pytest.importorskip("zensical")
    project = Project(project_dir)
    build_guide(project, site_dir=tmp_path / "mkdocs-site")
    result = build_guide(project, engine="zensical")
    site = project.site_dir
    assert pages(site) == pages(tmp_path / "mkdocs-site")
    assert len(result.published) == 10
    for name in ("feed_rss_created.xml", "feed_digest_rss.xml", "feed_atom.xml"):
        feed = feedparser.parse((site / name).read_bytes())
        assert not feed.bozo, (name, feed.get("bozo_exception"))
        assert feed.entries, name
    data = json.loads((site / "feed_json_created.json").read_text())
    assert data["version"] == "https://jsonfeed.org/version/1.1" and len(data["items"]) == 10
    home = (site / "index.html").read_text()
    assert 'type="application/rss+xml" title="Articles (RSS)"' in home
    assert 'property="og:title"' in home
    assert not list(project_dir.glob(".goodwill-zensical-*.yml"))  # its config is cleaned up
    assert not [p for p in (project_dir / ".goodwill").glob("zensical-stage-*")]


def test_engine_from_goodwill_yml_and_a_clear_message_when_missing(cli, project_dir, monkeypatch):
    settings = project_dir / "goodwill.yml"
    settings.write_text(settings.read_text().replace("engine: mkdocs", "engine: zensical"))
    monkeypatch.setattr(zensical, "zensical_installed", lambda: False)
    result = cli("build")
    assert result.exit_code == 1
    assert result.output.strip().splitlines()[-1] == (
        "error: the zensical engine is not installed (pip install 'zensical==0.0.73', "
        "or build with MkDocs (--engine mkdocs))"
    )
    assert cli("build", "--engine", "mkdocs").exit_code == 0


def test_an_unknown_engine_is_a_located_error(cli, project_dir):
    settings = project_dir / "goodwill.yml"
    settings.write_text(settings.read_text().replace("engine: mkdocs", "engine: hugo"))
    result = cli("check")
    assert result.exit_code == 1
    assert "goodwill.yml:" in result.output and "guide: engine: 'hugo'" in result.output
