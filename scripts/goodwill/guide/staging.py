"""Write the guide's public Markdown into a staging folder for MkDocs.

Articles get a byline and previous/next links; the home page, archive and
tags index are generated from templates. Only publishable files are copied:
records and feed lists never enter the staging folder.
"""

from __future__ import annotations

import itertools
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import yaml

from goodwill.core.errors import Collector
from goodwill.core.frontmatter import read_page_intro
from goodwill.core.project import Project
from goodwill.core.public_files import PublicFiles, public_files
from goodwill.core.render import render
from goodwill.digest.publish import stage_digest
from goodwill.guide.articles import Article

HOME_LATEST = 10
GENERATED = ("index.md", "archive.md", "tags.md")


@dataclass
class StagedSite:
    docs_dir: Path
    articles: list[Article]  # published, newest first


def stage_guide(
    project: Project,
    articles: list[Article],
    docs_dir: Path,
    site_author: str,
    problems: Collector,
    public: PublicFiles | None = None,
) -> StagedSite:
    """Write every public page of the guide into `docs_dir`."""
    public = public or public_files(project)
    newest_first = sorted(articles, key=lambda a: (a.date, a.slug), reverse=True)
    _copy_public_files(project, docs_dir, public)
    articles_out = docs_dir / "articles"
    articles_out.mkdir(parents=True, exist_ok=True)
    for index, article in enumerate(newest_first):
        newer = newest_first[index - 1] if index > 0 else None
        older = newest_first[index + 1] if index + 1 < len(newest_first) else None
        page = render(
            project.templates_dir,
            "guide/article.md.j2",
            {
                "article": article,
                "newer": newer,
                "older": older,
                "site_author": site_author,
                "front_matter": _front_matter(article),
            },
            subject=f"article {article.path.name}",
        )
        (articles_out / f"{article.slug}.md").write_text(page, encoding="utf-8")
    _write_listings(project, docs_dir, newest_first, site_author, public)
    stage_digest(project, docs_dir, newest_first, problems, public)
    return StagedSite(docs_dir, newest_first)


def _front_matter(article: Article) -> str:
    """YAML front matter for MkDocs; values as JSON, which YAML reads, and fast to write."""
    lines = [
        f"title: {json.dumps(article.title, ensure_ascii=False)}",
        f"date: {article.date.isoformat()}",
    ]
    if article.summary:
        lines.append(f"description: {json.dumps(article.summary, ensure_ascii=False)}")
    # No `authors:` for MkDocs: the byline shows them, and the RSS plugin would put bare
    # names into <author>, which RSS 2.0 reserves for e-mail addresses.
    if article.tags:
        lines.append(f"tags: {json.dumps(article.tags, ensure_ascii=False)}")
    return "\n".join(lines)


def _write_listings(
    project: Project,
    docs_dir: Path,
    newest_first: list[Article],
    site_author: str,
    public: PublicFiles,
) -> None:
    home = project.content_dir / "index.md"
    intro, intro_meta = read_page_intro(home if public.allows(home) else None, {"title": "Home"})
    context = {
        "latest": newest_first[:HOME_LATEST],
        "more": len(newest_first) > HOME_LATEST,
        "total": len(newest_first),
        "by_year": [
            (year, list(group))
            for year, group in itertools.groupby(newest_first, key=lambda a: a.date.year)
        ],
        "intro": intro,
        "site_author": site_author,
        "front_matter": yaml.safe_dump(intro_meta, allow_unicode=True).strip(),
    }
    templates = project.templates_dir
    (docs_dir / "index.md").write_text(render(templates, "guide/home.md.j2", context), "utf-8")
    (docs_dir / "archive.md").write_text(render(templates, "guide/archive.md.j2", context), "utf-8")
    (docs_dir / "tags.md").write_text(render(templates, "guide/tags.md.j2", context), "utf-8")


def _copy_public_files(project: Project, docs_dir: Path, public: PublicFiles) -> None:
    """Copy pages and assets outside articles/; the generated pages win over same-named files."""
    for path in public.files:
        rel = path.relative_to(project.content_dir)
        if rel.parts[0] == "articles" and path.suffix == ".md":
            continue
        if str(rel) in GENERATED:
            continue
        target = docs_dir / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
