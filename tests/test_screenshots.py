"""The publication in a real headless Chromium, at desktop and phone widths.

Screenshots of the home page, an article, an author page and a digest issue are kept in
tests/artifacts/screenshots/ (git-ignored) for people to look at; the assertions check
what a reader must see on each.
"""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).parent / "artifacts" / "screenshots"
PAGES = {
    "home": "",
    "article": "articles/deep-networks-beat-wide-ones/",
    "author": "authors/maria-lopez/",
    "digest-issue": "digest/2026-11-20-2/",
}


@pytest.fixture
def site(built_demo_url):
    return built_demo_url


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("name", list(PAGES))
def test_page_screenshot(browser, site, name, width):
    page = browser.new_page()
    try:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(site + PAGES[name])
        page.wait_for_load_state("networkidle")
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        shot = ARTIFACTS / f"{name}-{width}.png"
        page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 10_000
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name} scrolls sideways at {width}px"
        assert page.locator("article h1").first.is_visible()
        if width >= 1220:  # no empty left sidebar (phones keep Material's menu drawer)
            assert not page.locator(".md-sidebar--primary").first.is_visible()
        CHECKS[name](page, width)
    finally:
        page.close()


def _home(page, width):
    assert page.locator("article h1").first.inner_text().startswith("Goodwill: a referral")
    subscribe = page.locator(".gw-subscribe")
    assert subscribe.is_visible() and "Subscribe" in subscribe.inner_text()
    for label in ("RSS", "JSON Feed", "Atom"):
        assert subscribe.get_by_role("link", name=label).first.is_visible()
    assert page.locator(".gw-signup").is_visible()
    assert page.locator(".gw-byline a").first.is_visible()


def _article(page, width):
    assert page.locator(".gw-byline a", has_text="Maria Lopez").is_visible()
    assert page.locator("img.gw-hero").is_visible()
    box = page.locator("img.gw-hero").bounding_box()
    assert box["width"] <= width
    if width >= 1220:  # Material shows the table of contents beside the text on wide screens
        assert page.locator(".md-sidebar--secondary").is_visible()
    assert page.locator(".gw-tags .md-tag").first.is_visible()


def _author(page, width):
    assert page.locator("img.gw-author-photo").is_visible()
    items = page.locator("article li").all_inner_texts()
    assert items[0].startswith("27 October 2026") and len(items) == 4
    assert page.get_by_role("link", name="Website").is_visible()


def _digest_issue(page, width):
    assert "Issue #2 · 20 November 2026" in page.locator(".gw-issue-meta").inner_text()
    previous = page.locator(".gw-prevnext .gw-prev")
    assert previous.is_visible() and previous.inner_text().startswith("← #1")


CHECKS = {"home": _home, "article": _article, "author": _author, "digest-issue": _digest_issue}
