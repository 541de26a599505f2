"""An issue's Markdown as safe HTML with absolute links: for e-mail and for the Atom feeds.

Neither has a base URL to resolve relative links against, and both must carry
only allow-listed markup.
"""

from __future__ import annotations

import html as html_escape
import re
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import markdown
import nh3

from goodwill.digest.sanitize import flatten_deep_html

EMAIL_TAGS = frozenset(
    [
        "a",
        "b",
        "blockquote",
        "br",
        "code",
        "div",
        "em",
        "h1",
        "h2",
        "h3",
        "h4",
        "hr",
        "i",
        "img",
        "li",
        "ol",
        "p",
        "pre",
        "s",
        "span",
        "strong",
        "sub",
        "sup",
        "u",
        "ul",
    ]
)


_IMG = re.compile(r"<img\b[^>]*>")
_ATTR = re.compile(r'\s([a-z]+)="([^"]*)"')
MAX_IMAGE_WIDTH = 552  # the e-mail's 600 px column less its padding


def body_html(body: str, site_url: str, content_dir: Path | None = None) -> str:
    """The issue's Markdown as sanitized HTML with absolute links (mail has no base URL).

    Images keep alt text (empty when there is none) and get their width and height,
    read from the file when it is one of the project's own (`content_dir`), scaled to
    the e-mail's column."""
    html = markdown.markdown(
        body, extensions=["attr_list", "md_in_html", "sane_lists"], output_format="html"
    )
    base = urljoin(site_url, "digest/") if site_url else ""

    def absolute(tag: str, attribute: str, value: str) -> str | None:
        if attribute not in ("href", "src") or urlsplit(value).scheme or value.startswith("#"):
            return value
        target = urljoin(base, value) if base else value
        path = urlsplit(target).path
        if path.endswith(".md"):
            page = re.sub(r"(?:^|/)index\.md$", "/", path)
            page = page[:-3] + "/" if page.endswith(".md") else page
            target = target.replace(path, page, 1)
        return target

    cleaned = nh3.clean(
        flatten_deep_html(html),  # a hand-edited issue too must not crash the CSS inliner
        tags=set(EMAIL_TAGS),
        attributes={
            "*": {"class"},
            "a": {"href", "title"},
            "img": {"src", "alt", "width", "height"},
        },
        attribute_filter=absolute,
        url_schemes={"http", "https", "mailto"},
        strip_comments=True,
        link_rel=None,
    )
    return _IMG.sub(lambda m: _sized_image(m.group(0), site_url, content_dir), cleaned)


def _sized_image(tag: str, site_url: str, content_dir: Path | None) -> str:
    attrs = dict(_ATTR.findall(tag))
    if not attrs.get("src"):
        return ""
    attrs.setdefault("alt", "")
    if not (attrs.get("width") or "").isdigit():
        size = _local_size(attrs["src"], site_url, content_dir)
        if size:
            width, height = size
            if width > MAX_IMAGE_WIDTH:
                width, height = MAX_IMAGE_WIDTH, round(height * MAX_IMAGE_WIDTH / width)
            attrs["width"], attrs["height"] = str(width), str(height)
        else:
            attrs.pop("height", None)
            attrs["width"] = str(MAX_IMAGE_WIDTH)  # unknown: the column's width, scaled down
    attrs["style"] = "max-width: 100%; height: auto; border: 0;"
    order = ("src", "alt", "width", "height", "style")
    parts = [
        f'{k}="{html_escape.escape(html_escape.unescape(attrs[k]))}"' for k in order if k in attrs
    ]
    return "<img " + " ".join(parts) + ">"


def _local_size(src: str, site_url: str, content_dir: Path | None) -> tuple[int, int] | None:
    """The pixel size of an image the project holds (under content/), if it can be read."""
    if content_dir is None or not site_url or not src.startswith(site_url):
        return None
    relative = unquote(urlsplit(src).path[len(urlsplit(site_url).path) :])
    path = (content_dir / relative).resolve()
    if not path.is_relative_to(content_dir.resolve()) or not path.is_file():
        return None
    try:
        from PIL import Image  # Pillow comes with WeasyPrint

        with Image.open(path) as image:
            return image.size
    except Exception:  # noqa: BLE001 - not an image Pillow reads: no size, still shown
        return None
