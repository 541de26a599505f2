"""mkdocs.yml as goodwill needs it: site_url, site author, the feed settings."""

from __future__ import annotations

from goodwill.core.errors import Collector, GoodwillError
from goodwill.core.project import Project
from goodwill.core.yamlload import load_yaml_file


def read_site_config(project: Project) -> dict:
    """The raw mkdocs.yml settings, or {} when it cannot be read (check reports why)."""
    return check_site_config(project, Collector()) or {}


def check_site_config(project: Project, problems: Collector) -> dict | None:
    """Check what goodwill depends on in mkdocs.yml; MkDocs validates the rest."""
    path = project.mkdocs_yml
    try:
        raw = load_yaml_file(path)
    except GoodwillError as exc:
        if "constructor" in exc.problem.message:  # `!!python/name:` tags are MkDocs's own
            return None
        problems.extend([exc.problem])
        return None
    if not isinstance(raw, dict):
        problems.error(path, 1, "mkdocs.yml must be a mapping of settings")
        return None
    feeds = list(rss_instances(raw))
    site_url = raw.get("site_url")
    if feeds and not site_url:
        problems.error(
            path,
            None,
            "site_url is missing, but the guide publishes RSS feeds",
            "feeds need absolute links: add e.g. `site_url: https://guide.example.com/`",
        )
    for options in feeds:
        names = options.get("feeds_filenames")
        if isinstance(names, dict) and "feed_digest_rss.xml" in names.values():
            problems.warning(
                path,
                options.line_of("feeds_filenames"),
                "an rss plugin instance writes feed_digest_rss.xml, which goodwill now writes "
                "itself with each issue's full text",
                "remove that rss instance from mkdocs.yml",
            )
        image = options.get("image")
        if site_url and isinstance(image, str) and not image.startswith(site_url):
            problems.warning(
                path,
                options.line_of("image"),
                f"feed image {image} is not under site_url {site_url}",
                "update the rss plugin's `image:` when site_url changes",
            )
    return raw


def rss_instances(raw: dict):
    """The options of every `rss` plugin instance in mkdocs.yml."""
    for plugin in raw.get("plugins") or []:
        name = next(iter(plugin), None) if isinstance(plugin, dict) else plugin
        if isinstance(name, str) and name.split("@")[0] == "rss":
            options = plugin[name] if isinstance(plugin, dict) else None
            yield options if isinstance(options, dict) else _NO_OPTIONS


class _Options(dict):
    def line_of(self, key) -> None:
        return None


_NO_OPTIONS = _Options()


def site_author(raw: dict) -> str:
    return raw.get("site_author") or raw.get("site_name") or ""


def site_url(raw: dict) -> str:
    """site_url from the settings, ending in "/" (empty when unset)."""
    url = raw.get("site_url") or ""
    return url if not url or url.endswith("/") else url + "/"
