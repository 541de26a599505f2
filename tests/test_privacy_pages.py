"""Unlisted pages warn; the built guide asks no other host for anything (real Chromium)."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

UNLISTED = "published but not linked from the navigation"


def test_markdown_outside_the_known_places_warns_unless_in_nav(cli, project_dir):
    clients = project_dir / "content/clients/list.md"
    clients.parent.mkdir()
    clients.write_text("# Clients\n\nA list I meant to keep to myself.\n")
    (project_dir / "content/about.md").write_text("# About\n\nHello.\n")
    (project_dir / "content/assets/notes.md").write_text("# Asset notes\n")
    result = cli("build")
    assert result.exit_code == 0, result.output
    assert f"content/clients/list.md: warning: {UNLISTED}" in result.output
    assert f"content/about.md: warning: {UNLISTED}" in result.output
    assert result.output.count(UNLISTED) == 2  # articles, digest, assets, index.md: never
    assert cli("check").output.count(UNLISTED) == 2

    mkdocs = project_dir / "mkdocs.yml"
    mkdocs.write_text(
        mkdocs.read_text().replace(
            "  - Partners: partners/index.md\n",
            "  - Partners: partners/index.md\n  - More:\n    - About: about.md\n",
        )
    )
    again = cli("build")
    assert "content/about.md" not in again.output
    assert f"content/clients/list.md: warning: {UNLISTED}" in again.output
    assert cli("build", "--strict").exit_code == 1


@pytest.fixture
def served_site(built_demo_url):
    return built_demo_url


@pytest.mark.browser
@pytest.mark.parametrize(
    "path", ["", "articles/running-a-good-one-to-one/", "digest/", "digest/2026-11-20-2/"]
)
def test_pages_request_nothing_from_other_hosts(browser, served_site, path):
    page = browser.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    try:
        page.goto(served_site + path, wait_until="networkidle")
        page.locator(".md-search__input").first.click()  # the search worker loads its index
        page.wait_for_load_state("networkidle")
    finally:
        page.close()
    assert len(requested) > 3  # the page, its stylesheets and scripts were seen
    hosts = {urlsplit(url).hostname for url in requested if not url.startswith(("data:", "blob:"))}
    assert hosts == {"127.0.0.1"}, sorted(u for u in requested if "127.0.0.1" not in u)
