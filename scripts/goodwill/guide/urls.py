"""Where a staged page ends up in the built site, and the relative link from one to another.

Generated navigation (tags, previous/next) is written as HTML with final URLs: MkDocs then
has no Markdown links to rewrite or check there, which keeps a thousand pages cheap.
"""

from __future__ import annotations

import posixpath


def page_url(rel: str, directory_urls: bool = True) -> str:
    """The site path of a docs-relative page: articles/a.md -> articles/a/ (or a.html)."""
    stem = rel[: -len(".md")] if rel.endswith(".md") else rel
    if stem == "index" or stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/" if directory_urls else stem + ".html"


def relative_url(source: str, target: str, anchor: str = "", directory_urls: bool = True) -> str:
    """The link written in page `source` that leads to page `target` (both docs-relative)."""
    here, there = page_url(source, directory_urls), page_url(target, directory_urls)
    folder = here if here.endswith("/") or not here else posixpath.dirname(here)
    link = _relpath(there, folder)
    if there.endswith("/") or not there:
        link = "./" if link == "." else link + "/"
    return link + (f"#{anchor}" if anchor else "")


def _relpath(there: str, folder: str) -> str:
    """posixpath.relpath for two site paths, without its look at the working directory
    (thousands of calls per build: tags and neighbours on every article)."""
    target = [part for part in there.split("/") if part]
    start = [part for part in folder.split("/") if part]
    common = 0
    for mine, theirs in zip(target, start, strict=False):
        if mine != theirs:
            break
        common += 1
    return "/".join([".."] * (len(start) - common) + target[common:]) or "."
