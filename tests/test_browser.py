"""The built guide in a real headless Chromium: listing, article, search, print, palette."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


@pytest.fixture
def site_url(built_demo_url):
    return built_demo_url


@pytest.fixture
def page(browser):
    page = browser.new_page()
    page.set_viewport_size({"width": 1280, "height": 900})
    yield page
    page.close()


def test_home_lists_newest_articles_and_screenshot(page, site_url, tmp_path):
    page.goto(site_url)
    titles = page.locator("article h3 a:not(.headerlink)").all_inner_texts()
    assert len(titles) == 10
    assert titles[0] == "The Note That Started Everything"  # newest first
    assert "Deep Networks Beat Wide Ones" in titles
    shot = tmp_path / "home.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 20_000


def test_article_page_shows_title_date_and_tags(page, site_url):
    page.goto(site_url + "articles/thank-you-gifts-and-professional-etiquette/")
    assert page.locator("article h1").inner_text() == "Thank-You Gifts and Professional Etiquette"
    assert "1 July 2026" in page.locator(".gw-byline").inner_text()
    tags = {t.strip() for t in page.locator(".md-tag").all_inner_texts()}
    assert {"gifts", "thanking"} <= tags
    page.locator(".gw-prevnext a").first.click()
    page.wait_for_load_state()
    assert "/articles/" in page.url and "etiquette" not in page.url


def test_search_finds_an_article_by_a_body_word(page, site_url):
    page.goto(site_url)
    page.locator("label.md-search__icon, .md-search__input").first.click()
    page.locator("input.md-search__input").press_sequentially("spreadsheet", delay=30)
    results = page.locator(".md-search-result__item")
    results.first.wait_for(timeout=15_000)
    text = " ".join(results.all_inner_texts())
    assert "Keep Relationship Notes You Will Actually Use" in text


def test_print_stylesheet_hides_site_chrome(page, site_url):
    page.goto(site_url + "articles/running-a-good-one-to-one/")
    page.emulate_media(media="print")
    for selector in (".md-header", ".md-sidebar--primary", ".md-footer", ".gw-prevnext"):
        display = page.locator(selector).first.evaluate("e => getComputedStyle(e).display")
        assert display == "none", selector
    assert page.locator("article h1").is_visible()


def test_dark_palette_toggle(page, site_url):
    page.emulate_media(color_scheme="light")
    page.goto(site_url)
    body = page.locator("body")
    assert body.get_attribute("data-md-color-scheme") == "default"
    page.locator("label.md-header__button[for^='__palette']").first.click()
    assert body.get_attribute("data-md-color-scheme") == "slate"
