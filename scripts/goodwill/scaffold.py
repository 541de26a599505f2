"""Create things for the user: a new project (a blank starter, or the demo), a new
article. Never overwrites."""

from __future__ import annotations

import json
import re
import shutil
import string
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from slugify import slugify

from goodwill.core.dates import today
from goodwill.core.errors import GoodwillError
from goodwill.core.project import Project
from goodwill.core.scaffold_source import scaffold_root

# What `init --demo` copies from the shipped demo project.
PROJECT_FILES = ("mkdocs.yml", "goodwill.yml", "content", "templates")
_IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc", ".DS_Store")
# The blank starter: these files, package data beside this module.
STARTER = Path(__file__).resolve().parent / "starter"
_FILLED_IN = ("goodwill.yml", "content/index.md", "content/articles/welcome.md")
_DEMO_URL = "https://guide.example.com/"


def gitignore_text() -> str:
    """The .gitignore of every new project: output, caches and private records."""
    return (STARTER / "gitignore").read_text(encoding="utf-8")


@dataclass(frozen=True)
class StarterDetails:
    """Who the new project is for (`goodwill init --name ... --site-url ...`)."""

    name: str = "Your Name"
    email: str = ""
    site_name: str = "My Guide"
    site_url: str = "https://example.com/"


def init_project(target: Path) -> Path:
    """Copy the shipped demo project into `target`, which must be empty or absent."""
    target = _empty_target(target)
    source = scaffold_root()
    for name in PROJECT_FILES:
        origin = source / name
        if origin.is_dir():
            shutil.copytree(origin, target / name, ignore=_IGNORE)
        elif origin.is_file():
            shutil.copyfile(origin, target / name)
    (target / ".gitignore").write_text(gitignore_text(), encoding="utf-8")
    return target


def init_starter(target: Path, details: StarterDetails) -> Path:
    """A blank project in `target`: your sender details, one welcome article, empty
    records whose comments show every field; the demo's templates and theme."""
    details = StarterDetails(
        **{key: checked_detail(key, getattr(details, key)) for key in DETAIL_KEYS}
    )
    target = _empty_target(target)
    demo = scaffold_root()
    shutil.copytree(demo / "templates", target / "templates", ignore=_IGNORE)
    # The stylesheet only: the demo's pictures (its authors, an article's card) are not yours.
    styles = demo / "content" / "assets" / "stylesheets"
    if styles.is_dir():
        shutil.copytree(styles, target / "content" / "assets" / "stylesheets", ignore=_IGNORE)
    name = details.name
    values = {
        "name": name,
        "name_yaml": _quote(name),
        "first_name": name.split()[0],
        "email_line": (
            f"  email: {_quote(details.email)}\n"
            if details.email
            else "  # email: you@example.com\n"
        ),
        "site_name_yaml": _quote(details.site_name),
        "digest_title_yaml": _quote(details.site_name + " digest #{number}"),
        "site_host": urlsplit(details.site_url).netloc,
        "date": today().isoformat(),
    }
    for source in sorted(STARTER.rglob("*")):
        relative = source.relative_to(STARTER).as_posix()
        if not source.is_file() or relative == "gitignore" or "__pycache__" in relative:
            continue
        text = source.read_text(encoding="utf-8")
        if relative in _FILLED_IN:
            text = string.Template(text).substitute(values)
        (target / relative).parent.mkdir(parents=True, exist_ok=True)
        (target / relative).write_text(text, encoding="utf-8")
    mkdocs = _starter_mkdocs((demo / "mkdocs.yml").read_text(encoding="utf-8"), details)
    (target / "mkdocs.yml").write_text(mkdocs, encoding="utf-8")
    (target / ".gitignore").write_text(gitignore_text(), encoding="utf-8")
    return target


def _starter_mkdocs(text: str, details: StarterDetails) -> str:
    """The demo's MkDocs settings (theme, plugins, nav) with the new site's name and URL."""
    site_name, site_url = details.site_name, details.site_url
    own = {
        "site_name": site_name,
        "site_description": f"Notes and articles from {details.name}.",
        "site_url": site_url,
        "site_author": details.name,
        "copyright": f"Copyright {today().year} {details.name}",
    }
    for key, value in own.items():
        text = re.sub(
            rf"(?m)^{key}:.*$",
            lambda _m, k=key, v=value: f"{k}: {json.dumps(v, ensure_ascii=False)}",
            text,
        )
    text = text.replace(_DEMO_URL, site_url)
    text = re.sub(
        r'(?m)^(\s*feed_title:\s*)"Goodwill digest"',
        lambda m: m.group(1) + json.dumps(f"{site_name} digest", ensure_ascii=False),
        text,
    )
    return re.sub(
        r'(?m)^(\s*feed_description:\s*)".*"$',
        lambda m: (
            m.group(1) + json.dumps(f"Every issue of the {site_name} digest.", ensure_ascii=False)
        ),
        text,
    )


DETAIL_KEYS = ("name", "email", "site_name", "site_url")


def checked_detail(key: str, value: str) -> str:
    """One starter detail, cleaned; GoodwillError says what is wrong with it."""
    value = (value or "").strip()
    option = "--" + key.replace("_", "-")
    if key == "site_url":
        return _checked_url(value)
    if key == "email" and value and ("@" not in value or " " in value):
        raise GoodwillError(
            f"{option} {value!r} does not look like an e-mail address",
            hint="e.g. sam@example.com",
        )
    if key in ("name", "site_name") and not value:
        raise GoodwillError(f"{option} cannot be empty", hint="e.g. Sam Lee")
    return value


def _checked_url(url: str) -> str:
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise GoodwillError(
            f"--site-url {url!r} is not an http(s) address",
            hint="give the address the guide will have, e.g. https://guide.example.org/",
        )
    return url if url.endswith("/") else url + "/"


def _empty_target(target: Path) -> Path:
    target = target.resolve()
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise GoodwillError(
            f"{target} is not empty",
            path=target,
            hint="choose a new folder name; init never overwrites files",
        )
    target.mkdir(parents=True, exist_ok=True)
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
