"""What the built guide will contain, known before anything is staged: pages and anchors.

`goodwill check` and `goodwill build` check links against the same plan, so they agree.
Pages are docs-relative Markdown paths (`articles/slug.md`); each has the set of its
heading ids, or None when goodwill cannot know them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from markdown.extensions.toc import slugify as toc_slugify

from goodwill.core.errors import Collector, GoodwillError
from goodwill.core.frontmatter import split_front_matter
from goodwill.core.project import Project
from goodwill.core.public_files import public_files
from goodwill.core.siteconfig import read_site_config
from goodwill.core.textfile import read_text
from goodwill.digest.issues import issue_paths
from goodwill.guide.authors import collect_authors, load_authors
from goodwill.guide.listings import tag_slug
from goodwill.guide.subscribe import feed_files

_ATX = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t]*#*[ \t]*$", re.M)
_ATTR_ID = re.compile(r"\{[^}]*#([\w-]+)[^}]*\}\s*$")
_HTML_ID = re.compile(r"""\bid=["']([^"']+)["']""")
_INLINE_MARKUP = re.compile(r"!?\[([^\]]*)\]\([^)]*\)|[*_`]|<[^>]+>")
_FENCE = re.compile(r"^\s*(```|~~~)")


@dataclass
class SitePlan:
    pages: dict[str, frozenset[str] | set[str] | None] = field(default_factory=dict)
    files: set[str] = field(default_factory=set)  # assets and feeds, docs-relative


@lru_cache(maxsize=8192)  # previews check the same unchanged articles round after round
def heading_ids(markdown: str) -> frozenset[str]:
    """The ids Python-Markdown's toc gives this text's headings, plus explicit ids."""
    text = without_fenced_code(markdown)
    ids: set[str] = set(_HTML_ID.findall(text)) if "id=" in text else set()
    seen: dict[str, int] = {}
    for match in _ATX.finditer(text):
        heading = match.group(2)
        explicit = _ATTR_ID.search(heading)
        if explicit:
            ids.add(explicit.group(1))
            continue
        heading = re.sub(r"\{[^}]*\}\s*$", "", heading)
        slug = toc_slugify(_INLINE_MARKUP.sub(r"\1", heading), "-")
        if slug in seen:  # toc's unique(): the second "Notes" is notes_1
            seen[slug] += 1
            slug = f"{slug}_{seen[slug]}"
        else:
            seen[slug] = 0
        ids.add(slug)
    return frozenset(ids)


def without_fenced_code(markdown: str) -> str:
    """The text with fenced code blocks blanked out, line numbers kept."""
    if "```" not in markdown and "~~~" not in markdown:
        return markdown
    lines = markdown.split("\n")
    inside = False
    for index, line in enumerate(lines):
        fence = _FENCE.match(line)
        if fence or inside:
            lines[index] = ""
        if fence:
            inside = not inside
    return "\n".join(lines)


def plan_site(project: Project, articles, site_author: str, public=None) -> SitePlan:
    """The pages and files a build with these articles (those that get a page) produces.

    `public`: public_files(project).files, when the caller has them already."""
    plan = SitePlan()
    listed = [a for a in articles if not a.draft]
    for article in articles:
        plan.pages[f"articles/{article.slug}.md"] = heading_ids(article.body)
    years = {str(a.date.year) for a in listed}
    tags = {tag_slug(t) for a in listed for t in a.tags}
    plan.pages.update(
        {
            "index.md": {"latest-articles"},
            "archive.md": years,
            "tags.md": tags,
            "authors/index.md": set(),
            "digest/index.md": None,
        }
    )
    known = load_authors(project, Collector())
    for author in collect_authors(listed, known, site_author, Collector()):
        plan.pages[f"authors/{author.slug}.md"] = {"articles"}
    for path in issue_paths(project):
        plan.pages[f"digest/{path.name}"] = _page_ids(path)
    for path in public_files(project).files if public is None else public:
        rel = path.relative_to(project.content_dir).as_posix()
        if rel.startswith(("articles/", "digest/")) and path.suffix == ".md":
            continue
        if path.suffix == ".md":
            plan.pages.setdefault(rel, _page_ids(path))
        else:
            plan.files.add(rel)
    plan.files.update(name for _, _, name, _ in feed_files(read_site_config(project)))
    return plan


def _page_ids(path) -> set[str] | None:
    try:
        return heading_ids(split_front_matter(read_text(path), path).body)
    except GoodwillError:  # an unreadable page is reported by the check that reads it
        return None
