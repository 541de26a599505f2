"""The digest e-mail in a real headless Chromium: it fits a 360 px phone, keeps a 600 px
column on a desktop, its links look like links, and it reads in dark mode.

Screenshots are kept in tests/artifacts/ (git-ignored) for a human look."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from goodwill.core.project import Project
from goodwill.digest.export import find_issue, render_email

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).parent / "artifacts"
LONG_URL = "https://roundtable.example.org/" + "a-very-long-path-segment-" * 12
ISSUE = f"""---
number: 3
date: 2026-11-20
title: "Goodwill digest #3: a wide one"
entries: []
---

Hello! This issue tries hard to be too wide for a phone.

![Our chapter at the November breakfast](../assets/images/chapter.png)

## Links that never break

A bare link: <{LONG_URL}> and a [normal link](https://example.org/post).

    a_code_line_that_is_far_too_long_for_any_phone_screen_to_show_without_wrapping(arguments)

Averyveryveryveryveryveryveryveryveryveryveryveryveryveryverylongwordwithoutanyspaces.
"""

OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [];
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.width > 0 && (box.right > width + 0.5 || box.left < -0.5)) {
      wide.push(`${el.tagName}.${el.className} ${Math.round(box.left)}-${Math.round(box.right)}`);
    }
  }
  return {width, scroll: document.documentElement.scrollWidth, wide};
}"""

STYLE = """(selector) => {
  const el = document.querySelector(selector);
  const style = getComputedStyle(el);
  return {color: style.color, background: style.backgroundColor,
          decoration: style.textDecorationLine, width: el.getBoundingClientRect().width};
}"""


@pytest.fixture(scope="module")
def email_file(tmp_path_factory):
    root = tmp_path_factory.mktemp("mail")
    from goodwill.scaffold import init_project

    project_dir = init_project(root / "project")
    images = project_dir / "content" / "assets" / "images"
    images.mkdir(parents=True, exist_ok=True)  # the demo has pictures of its own
    Image.new("RGB", (1200, 800), (0, 105, 92)).save(images / "chapter.png")
    (project_dir / "content" / "digest" / "2026-11-20-3.md").write_text(ISSUE, encoding="utf-8")
    project = Project(project_dir)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GOODWILL_TODAY", "2026-11-20")
        content = render_email(project, find_issue(project, "3"), "https://example.org/unsub")
    path = root / "email.html"
    path.write_text(content.html, encoding="utf-8")
    return path


@pytest.fixture
def page(browser):
    page = browser.new_page()
    # Offline: the images' https addresses are answered "blocked" at once, not looked up.
    page.route("http*://**", lambda route: route.abort("blockedbyclient"))
    yield page
    page.close()


def _luminance(rgb: str) -> float:
    values = [int(v) / 255 for v in rgb[rgb.index("(") + 1 : rgb.index(")")].split(",")[:3]]
    linear = [v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4 for v in values]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(one: str, two: str) -> float:
    a, b = sorted((_luminance(one), _luminance(two)), reverse=True)
    return (a + 0.05) / (b + 0.05)


@pytest.mark.parametrize("width", [360, 1024])
def test_no_element_is_wider_than_the_screen(page, email_file, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(email_file.as_uri())
    found = page.evaluate(OVERFLOW)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"email-{width}.png"), full_page=True)
    assert found["wide"] == [] and found["scroll"] <= found["width"], found
    sheet = page.evaluate(STYLE, ".sheet")
    assert sheet["width"] == pytest.approx(600 if width == 1024 else width, abs=1)


def test_links_are_visibly_links_and_images_are_sized(page, email_file):
    page.set_viewport_size({"width": 360, "height": 900})
    page.goto(email_file.as_uri())
    link = page.evaluate(STYLE, ".content a")
    text = page.evaluate(STYLE, ".content p")
    assert "underline" in link["decoration"] and link["color"] != text["color"]
    image = page.locator("img").first
    assert image.get_attribute("alt") == "Our chapter at the November breakfast"
    assert (image.get_attribute("width"), image.get_attribute("height")) == ("552", "368")
    assert image.bounding_box()["width"] <= 360


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_text_and_links_read_well_in_both_colour_schemes(page, email_file, scheme):
    page.emulate_media(color_scheme=scheme)
    page.set_viewport_size({"width": 360, "height": 900})
    page.goto(email_file.as_uri())
    meta = page.locator('meta[name="color-scheme"]').get_attribute("content")
    assert meta == "light dark"
    sheet = page.evaluate(STYLE, ".sheet")["background"]
    for selector in (".content p", ".content a", ".masthead", ".footer"):
        colour = page.evaluate(STYLE, selector)["color"]
        assert contrast(colour, sheet) >= 4.5, (scheme, selector, colour, sheet)
    dark = _luminance(sheet) < 0.1
    assert dark == (scheme == "dark")
    page.screenshot(path=str(ARTIFACTS / f"email-360-{scheme}.png"), full_page=True)
