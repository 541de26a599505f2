"""Create things for the user: a new project, a new article. Never overwrites."""

from __future__ import annotations

import shutil
from pathlib import Path

from slugify import slugify

from goodwill.core.dates import today
from goodwill.core.errors import GoodwillError
from goodwill.core.project import Project
from goodwill.core.scaffold_source import scaffold_root

# What `init` copies from the shipped demo project.
PROJECT_FILES = ("mkdocs.yml", "goodwill.yml", "content", "templates")
_IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc", ".DS_Store")
GITIGNORE = "/site/\n/letters/\n.goodwill/\n.goodwill-build-*/\n.site.old-*/\n/.cache/\n"


def init_project(target: Path) -> Path:
    """Copy the shipped demo project into `target`, which must be empty or absent."""
    target = target.resolve()
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise GoodwillError(
            f"{target} is not empty",
            path=target,
            hint="choose a new folder name; init never overwrites files",
        )
    source = scaffold_root()
    target.mkdir(parents=True, exist_ok=True)
    for name in PROJECT_FILES:
        origin = source / name
        if origin.is_dir():
            shutil.copytree(origin, target / name, ignore=_IGNORE)
        elif origin.is_file():
            shutil.copyfile(origin, target / name)
    (target / ".gitignore").write_text(GITIGNORE, encoding="utf-8")
    return target


def new_article(project: Project, title: str, tags: list[str], author: str | None) -> Path:
    """Write content/articles/<slug>.md with front matter; refuse to overwrite."""
    title = title.strip()
    slug = slugify(title)
    if not slug:
        raise GoodwillError(
            f"cannot make a file name from the title {title!r}",
            hint="use some letters or digits in the title",
        )
    path = project.articles_dir / f"{slug}.md"
    if path.exists():
        raise GoodwillError(
            "an article with this slug already exists",
            path=path,
            hint="pick another title, or edit the existing file",
        )
    lines = [
        "---",
        f"title: {_quote(title)}",
        f"date: {today().isoformat()}",
        f"authors: [{_quote(author)}]" if author else "authors: []",
        "tags: [" + ", ".join(_quote(t) for t in tags) + "]",
        'description: ""',
        "draft: true",
        "---",
        "",
        "Start writing here. Set `draft: false` (or remove it) when the article is ready.",
        "",
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as handle:  # "x": fail rather than overwrite
        handle.write("\n".join(lines))
    return path


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
