"""The guide's listing pages: home, archive, tags, the authors index and each author's page.

They are rewritten from all listed articles on every build; StagedFiles only writes the
ones whose text changed, so an edit that changes no listing rebuilds none of them.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import yaml
from slugify import slugify

from goodwill.core.errors import Collector
from goodwill.core.frontmatter import read_page_intro
from goodwill.core.project import Project
from goodwill.core.public_files import PublicFiles
from goodwill.core.render import render
from goodwill.core.scaffold_source import default_templates_dir
from goodwill.core.siteconfig import read_site_config, site_url
from goodwill.guide.authors import Author
from goodwill.guide.incremental import StagedFiles
from goodwill.guide.listing_splice import SplicedLists
from goodwill.guide.settings import load_guide_settings
from goodwill.guide.subscribe import feed_groups
from goodwill.guide.urls import relative_url

HOME_LATEST = 10
# What tags.md.j2 held before goodwill wrote the tags page itself: Material's tags plugin
# (no longer run) replaced it with the listing.
TAGS_PLUGIN_MARKER = "<!-- material/tags -->"
_FIRST_HEADING = re.compile(r"\A#\s+(.+?)\s*#*\s*$", re.M)


def write_listings(
    project: Project,
    files: StagedFiles,
    listed: list,
    authors: list[Author],
    site_author: str,
    helpers: dict,
    public: PublicFiles,
    splice: SplicedLists | None = None,
) -> None:
    """Stage the listing pages; with `splice`, their long lists are put in after Markdown."""
    config = read_site_config(project)
    cut = splice.cut if splice is not None else (lambda text: text)
    templates = project.templates_dir
    directory_urls = config.get("use_directory_urls", True) is not False

    def linker(source: str):
        return lambda target, anchor="": relative_url(source, target, anchor, directory_urls)

    context = {
        "latest": listed[:HOME_LATEST],
        "more": len(listed) > HOME_LATEST,
        "total": len(listed),
        "by_year": [
            (year, list(group)) for year, group in itertools.groupby(listed, lambda a: a.date.year)
        ],
        "by_tag": _by_tag(listed),
        "authors": authors,
        "site_author": site_author,
        "photo_of": photo_link,
        **helpers,
    }
    # What the long listings show of each article: unchanged, their text is reused.
    shown = tuple((a.slug, a.title, a.date, tuple(a.tags), helpers["status_of"](a)) for a in listed)
    home = project.content_dir / "index.md"
    files.write("index.md", _home(project, home if public.allows(home) else None, config, context))
    for name in ("archive", "tags"):
        source = templates if name != "tags" or not old_tags_template(project) else None
        page = files.rendered(
            f"{name}.md",
            (shown, directory_urls, source),
            lambda name=name, source=source: render(
                source or default_templates_dir(),
                f"guide/{name}.md.j2",
                {**context, "link": linker(f"{name}.md")},
            ),
        )
        files.write(f"{name}.md", cut(page))
    files.write("authors/index.md", render(templates, "guide/authors.md.j2", context))
    for author in authors:
        page = render(
            templates,
            "guide/author.md.j2",
            {
                **context,
                "author": author,
                "link": linker(f"authors/{author.slug}.md"),
                "photo": photo_link(author, "../"),
                "front_matter": _author_front_matter(author),
            },
            subject=f"author {author.name}",
        )
        files.write(f"authors/{author.slug}.md", cut(page))


def _home(project: Project, intro_file: Path | None, config: dict, context: dict) -> str:
    """The home page: titled by the intro's front matter, its own heading, or the site's name.

    `intro_file` is None when content/index.md may not be published (a refused link)."""
    intro, meta = read_page_intro(intro_file, {})
    title = meta.get("title")
    heading = _FIRST_HEADING.match(intro)
    if heading:
        intro = intro[heading.end() :].lstrip("\n")
        title = title or heading.group(1)
    title = str(title or config.get("site_name") or "Home")
    meta = {
        **meta,
        "title": title,
        "description": meta.get("description") or config.get("site_description") or "",
        "hide": ["navigation", "toc"],
        "gw_kind": "home",
    }
    settings = load_guide_settings(project, Collector())  # `check` and build report problems
    return render(
        project.templates_dir,
        "guide/home.md.j2",
        {
            **context,
            "title": title,
            "intro": intro,
            "feeds": feed_groups(config, site_url(config)),
            "signup": settings.signup,
            "front_matter": yaml.safe_dump(meta, allow_unicode=True, sort_keys=False).strip(),
        },
    )


def old_tags_template(project: Project) -> tuple[Path, int] | None:
    """The project's tags.md.j2 and the line of the marker, when it was written for
    Material's tags plugin."""
    path = project.templates_dir / "guide" / "tags.md.j2"
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    found = [number for number, line in enumerate(lines, 1) if TAGS_PLUGIN_MARKER in line]
    return (path, found[0]) if found else None


def warn_old_tags_template(project: Project, problems: Collector) -> None:
    old = old_tags_template(project)
    if old is not None:
        path, line = old
        problems.warning(
            path,
            line,
            "this tags page template waits for Material's tags plugin, which goodwill no "
            "longer runs: the tags page is made from goodwill's own template instead",
            "delete this file to use goodwill's template, or copy it from a new project "
            "(`goodwill init`) and edit the copy",
        )


def tag_slug(tag: str) -> str:
    """The tags page's anchor for a tag (prefixed: a tag never collides with a heading)."""
    return "tag-" + (slugify(tag) or "x")


def _by_tag(listed: list) -> list[tuple[str, list]]:
    tags: dict[str, list] = {}
    for article in listed:
        for tag in article.tags:
            tags.setdefault(tag, []).append(article)
    return sorted(tags.items(), key=lambda item: item[0].casefold())


def photo_link(author: Author, root: str) -> str:
    photo = author.info.photo
    if not photo or "://" in photo:
        return photo
    return root + photo.lstrip("/")


def _author_front_matter(author: Author) -> str:
    bio = " ".join(author.info.bio.split())
    description = bio[:200] if bio else f"Articles by {author.name}."
    meta = {
        "title": author.name,
        "description": description,
        "hide": ["navigation", "toc"],
        "gw_kind": "profile",
    }
    return yaml.safe_dump(meta, allow_unicode=True, sort_keys=False).strip()
