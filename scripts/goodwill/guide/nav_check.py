"""Pages that are published but that no one would find: a hint that they were not meant to be.

A Markdown file under content/ outside the places goodwill lists itself
(articles/, digest/, index.md, assets/) is published as it is. If the `nav` of
mkdocs.yml does not link it either, it is most likely a private note in the
wrong folder (content/clients/list.md), so the build says so.
"""

from __future__ import annotations

from goodwill.core.errors import Collector
from goodwill.core.project import Project
from goodwill.core.public_files import PublicFiles, public_files
from goodwill.core.siteconfig import read_site_config

LISTED_BY_GOODWILL = ("articles", "digest", "assets")


def nav_pages(nav) -> set[str]:
    """Every `.md` path that a mkdocs.yml `nav` names, at any depth."""
    found: set[str] = set()
    stack = [nav]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if item.endswith(".md"):
                found.add(item.lstrip("./"))
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


def warn_unlisted_pages(
    project: Project, public: PublicFiles, config: dict, problems: Collector
) -> None:
    nav = config.get("nav")
    if not nav:
        return  # without a nav MkDocs lists every page itself
    listed = nav_pages(nav)
    for path in public.files:
        if path.suffix != ".md":
            continue
        rel = path.relative_to(project.content_dir)
        if rel.parts[0] in LISTED_BY_GOODWILL or rel.as_posix() == "index.md":
            continue
        if rel.as_posix() not in listed:
            problems.warning(
                path,
                None,
                "published but not linked from the navigation",
                "add it to `nav:` in mkdocs.yml if it is meant to be public; otherwise move "
                "it out of content/",
            )


def check_unlisted_pages(project: Project, problems: Collector) -> None:
    """`goodwill check`'s part: the same warnings as the build gives."""
    warn_unlisted_pages(project, public_files(project), read_site_config(project), problems)
