"""mkdocs.yml as goodwill needs it: site_url, site author, the feed settings.

MkDocs loads mkdocs.yml with a loader that runs `!!python/...` tags as code, so
goodwill reads it first and refuses them (in the file and in any INHERIT parent).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urljoin

from goodwill.core.errors import Collector, GoodwillError
from goodwill.core.project import Project
from goodwill.core.textfile import read_text
from goodwill.core.yamlload import LineDict, MkdocsLoader, parse_yaml

MAX_INHERIT = 10  # INHERIT chains deeper than this are a loop


# The MkDocs plugin goodwill installs for hand-run builds (guide/plain_mkdocs_guard.py).
GUARD_PLUGIN = "goodwill"


def read_site_config(project: Project) -> dict:
    """The raw mkdocs.yml settings, or {} when it cannot be read (check reports why)."""
    return check_site_config(project, Collector()) or {}


def check_site_config(project: Project, problems: Collector) -> dict | None:
    """Check what goodwill depends on in mkdocs.yml; MkDocs validates the rest."""
    path = project.mkdocs_yml
    try:
        raw = load_mkdocs_yml(path)
    except GoodwillError as exc:
        problems.extend([exc.problem])
        return None
    if raw is None:
        return None
    _check_folders(project, raw, problems)
    theme = raw.get("theme")
    if (
        isinstance(theme, dict)
        and theme.get("name") == "material"
        and theme.get("font") is not False
    ):
        problems.warning(
            path,
            theme.line_of("font") if "font" in theme else theme.line,
            "the theme loads its fonts from Google's servers on every page view",
            "add `font: false` under theme: (system fonts; no request to another host)",
        )
    plugins = raw.get("plugins")
    listed = [plugin_name(p) for p in plugins] if isinstance(plugins, list) else []
    if GUARD_PLUGIN not in listed:
        problems.warning(
            path,
            raw.line_of("plugins") if "plugins" in raw else None,
            f"the {GUARD_PLUGIN} plugin is not listed: a hand-run `mkdocs build` would "
            "publish what a symbolic link in content/ points at, records included",
            f"add `- {GUARD_PLUGIN}` under plugins: (goodwill build itself does not need it)",
        )
    if not raw.get("site_url"):
        problems.error(
            path,
            None,
            "site_url is missing, but the guide publishes RSS, Atom and JSON feeds",
            "feeds need absolute links: add e.g. `site_url: https://guide.example.com/`",
        )
    for options in rss_instances(raw):
        names = options.get("feeds_filenames")
        if isinstance(names, dict) and "feed_digest_rss.xml" in names.values():
            problems.warning(
                path,
                options.line_of("feeds_filenames"),
                "an rss plugin instance writes feed_digest_rss.xml, which goodwill now writes "
                "itself with each issue's full text",
                "remove that rss instance from mkdocs.yml",
            )
        else:
            problems.warning(
                path,
                getattr(options, "line", None),
                "the rss plugin is listed, but goodwill writes the articles' RSS and JSON "
                "feeds itself (same files) and turns the plugin off",
                "remove the `- rss:` entry and its options from plugins: in mkdocs.yml",
            )
    return raw


def load_mkdocs_yml(path: Path) -> LineDict:
    """mkdocs.yml's settings; an error for a `!!python/` tag here or in an INHERIT parent."""
    raw = _load_one(path)
    parent, seen = raw.get("INHERIT"), {path.resolve()}
    while isinstance(parent, str) and parent:
        parent_path = (path.parent / parent).resolve()
        if parent_path in seen or len(seen) > MAX_INHERIT:
            raise GoodwillError("INHERIT goes round in a loop", path=path, line=1)
        seen.add(parent_path)
        if not parent_path.is_file():
            break  # MkDocs reports a missing parent itself
        path, parent = parent_path, _load_one(parent_path).get("INHERIT")
    return raw


def _load_one(path: Path) -> LineDict:
    raw = parse_yaml(read_text(path), path, loader_class=MkdocsLoader)
    if not isinstance(raw, dict):
        raise GoodwillError("mkdocs.yml must be a mapping of settings", path=path, line=1)
    return raw


# goodwill decides where pages come from and where the site goes; MkDocs is told so.
_FOLDERS = {
    "docs_dir": ("content", "goodwill stages the public pages of content/ itself"),
    "site_dir": ("site", "use `goodwill build --site-dir DIR` to build elsewhere"),
}


def _check_folders(project: Project, raw: LineDict, problems: Collector) -> None:
    for key, (default, hint) in _FOLDERS.items():
        value = raw.get(key)
        if value is None:
            continue
        if (
            not isinstance(value, str)
            or (project.root / value).resolve() != (project.root / default).resolve()
        ):
            problems.warning(
                project.mkdocs_yml,
                raw.line_of(key),
                f"{key}: {value!r} is ignored: goodwill always uses {default}/",
                hint,
            )


def rss_instances(raw: dict):
    """The options of every `rss` plugin instance in mkdocs.yml."""
    for plugin in raw.get("plugins") or []:
        if plugin_name(plugin) == "rss":
            options = next(iter(plugin.values()), None) if isinstance(plugin, dict) else None
            yield options if isinstance(options, dict) else _NO_OPTIONS


def plugin_name(plugin) -> str | None:
    """The name of one `plugins:` entry (`name`, `name@instance` or `{name: options}`)."""
    name = next(iter(plugin), None) if isinstance(plugin, dict) else plugin
    return name.split("@")[0] if isinstance(name, str) else None


class _Options(dict):
    def line_of(self, key) -> None:
        return None


_NO_OPTIONS = _Options()


def site_language(raw: dict) -> str:
    theme = raw.get("theme")
    language = theme.get("language") if isinstance(theme, dict) else None
    return language if isinstance(language, str) and language else "en"


def feed_image(raw: dict) -> str:
    """The feeds' picture: the theme's favicon (Material's own unless set), as a full URL."""
    theme = raw.get("theme")
    favicon = theme.get("favicon") if isinstance(theme, dict) else None
    favicon = favicon if isinstance(favicon, str) and favicon else "assets/images/favicon.png"
    if "://" in favicon:
        return favicon
    base = site_url(raw)
    return urljoin(base, favicon.lstrip("/")) if base else ""


def site_author(raw: dict) -> str:
    return raw.get("site_author") or raw.get("site_name") or ""


def site_url(raw: dict) -> str:
    """site_url from the settings, ending in "/" (empty when unset)."""
    url = raw.get("site_url") or ""
    return url if not url or url.endswith("/") else url + "/"
