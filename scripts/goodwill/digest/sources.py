"""content/feeds.yaml: the feeds the digest follows. Schema, validation, loading."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from goodwill.core.errors import Collector, GoodwillError
from goodwill.core.project import Project
from goodwill.core.yamlload import load_yaml_file

KNOWN_KEYS = ("name", "url", "tags", "max_items", "enabled")
EXAMPLE = "- name: Referral Weekly\n  url: https://example.com/feed.xml"


@dataclass(frozen=True)
class Source:
    name: str
    url: str  # http(s) URL, or a file path relative to the project
    tags: tuple[str, ...] = ()
    max_items: int | None = None
    enabled: bool = True
    line: int = 0
    contact: str = ""  # a contact's own feed (network.py): their id, never shown in issues

    @property
    def is_remote(self) -> bool:
        return is_http_url(self.url)


@dataclass
class SourceList:
    path: Path
    sources: list[Source] = field(default_factory=list)

    @property
    def enabled(self) -> list[Source]:
        return [s for s in self.sources if s.enabled]


def is_http_url(url: str) -> bool:
    try:
        parts = urlsplit(url)
        return parts.scheme in ("http", "https") and bool(parts.hostname)
    except ValueError:  # e.g. http://[bad
        return False


def url_key(url: str) -> str:
    """Compare feed URLs ignoring case of scheme/host and a trailing slash."""
    try:
        parts = urlsplit(url.strip())
        port = f":{parts.port}" if parts.port else ""
    except ValueError:  # not a valid address: compared as written
        return url.strip()
    if parts.scheme in ("http", "https"):
        host = (parts.hostname or "").lower()
        query = f"?{parts.query}" if parts.query else ""
        return f"{parts.scheme.lower()}://{host}{port}{parts.path.rstrip('/')}{query}"
    return url.strip().rstrip("/")


def local_feed_path(root: Path, url: str) -> Path | None:
    """The file a local feed url names, or None when it resolves outside the project
    (an absolute path, `..`, or a symbolic link leading out): feeds.yaml may only point
    at files the project holds."""
    top = root.resolve()
    path = (top / url).resolve()
    return path if path.is_relative_to(top) else None


def load_sources(project: Project, problems: Collector, path: Path | None = None) -> SourceList:
    """Read and validate feeds.yaml (or `path`); problems go to the collector. Missing: empty."""
    path = path or project.feeds_file
    result = SourceList(path)
    if not path.is_file():
        return result
    try:
        data = load_yaml_file(path)
    except GoodwillError as exc:
        problems.extend([exc.problem])
        return result
    if data is None:
        return result
    if not isinstance(data, list):
        problems.error(
            path,
            getattr(data, "line", 1),
            "feeds.yaml must be a list of feeds",
            "start each feed with '- name: ...' (see README, The digest)",
        )
        return result
    seen: dict[str, Source] = {}
    names: dict[str, Source] = {}
    for index, item in enumerate(data):
        if not isinstance(item, dict):
            line = data.item_lines[index]
            problems.error(
                path, line, f"each feed must be a mapping, got {item!r}", "write it as\n" + EXAMPLE
            )
            continue
        source = _source_from(item, path, project.root, problems)
        if source is None:
            continue
        key = url_key(source.url)
        if key in seen:
            problems.error(
                path,
                source.line,
                f"feed '{source.name}': duplicate url {source.url}",
                f"already listed on line {seen[key].line} as '{seen[key].name}'",
            )
            continue
        if source.name.casefold() in names:
            other = names[source.name.casefold()]
            problems.warning(
                path,
                source.line,
                f"two feeds are named '{source.name}'",
                f"the other is on line {other.line}; give each a distinct name",
            )
        seen[key] = source
        names[source.name.casefold()] = source
        result.sources.append(source)
    return result


def _source_from(item, path: Path, root: Path, problems: Collector) -> Source | None:
    line = item.line
    problems.check_keys(path, item, KNOWN_KEYS)
    ok = True
    name = item.get("name")
    if not isinstance(name, str) or not name.strip():
        problems.error(
            path,
            item.line_of("name"),
            "name: must be non-empty text",
            "e.g. `name: Referral Weekly`",
        )
        ok = False
    url = item.get("url")
    label = f"feed '{name}'" if isinstance(name, str) and name.strip() else "feed"
    if not isinstance(url, str) or not url.strip():
        problems.error(
            path,
            item.line_of("url"),
            f"{label}: url: is missing or empty",
            "an http(s) address or a file path relative to the project",
        )
        ok = False
    else:
        url = url.strip()
        ok = check_url(url, label, path, item.line_of("url"), root, problems) and ok
    tags = item.get("tags", [])
    if isinstance(tags, str):
        tags = [t.strip() for t in tags.split(",") if t.strip()]
    if not isinstance(tags, list) or not all(isinstance(t, str) and t.strip() for t in tags):
        problems.error(
            path,
            item.line_of("tags"),
            f"{label}: tags: must be a list of text",
            "e.g. `tags: [referrals, networking]`",
        )
        ok = False
    max_items = item.get("max_items")
    if max_items is not None and (
        isinstance(max_items, bool) or not isinstance(max_items, int) or max_items < 1
    ):
        problems.error(
            path,
            item.line_of("max_items"),
            f"{label}: max_items: must be a whole number of at least 1",
            f"got {max_items!r}",
        )
        ok = False
    enabled = item.get("enabled", True)
    if not isinstance(enabled, bool):
        problems.error(
            path,
            item.line_of("enabled"),
            f"{label}: enabled: must be true or false",
            f"got {enabled!r}",
        )
        ok = False
    if not ok:
        return None
    return Source(name.strip(), url, tuple(t.strip() for t in tags), max_items, enabled, line)


def check_url(url: str, label: str, path: Path, line: int | None, root: Path, problems) -> bool:
    """Report what is wrong with a feed's url at `path`:`line`; True when it is usable."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError when out of range
    except ValueError as exc:
        problems.error(
            path,
            line,
            f"{label}: url {url!r} is not a valid address ({exc})",
            "write it like https://example.com/feed.xml",
        )
        return False
    if parts.scheme in ("http", "https"):
        if not parts.hostname:
            problems.error(
                path,
                line,
                f"{label}: url {url!r} has no host name",
                "write it like https://example.com/feed.xml",
            )
            return False
        if any(c.isspace() or not c.isprintable() for c in url):
            problems.error(
                path,
                line,
                f"{label}: url {url!r} contains spaces or control characters",
                "encode spaces as %20",
            )
            return False
        return True
    if len(parts.scheme) > 1:  # a one-letter "scheme" is a Windows drive letter
        problems.error(
            path,
            line,
            f"{label}: url {url!r}: only http(s) addresses are fetched",
            "use an https:// address or a file path relative to the project",
        )
        return False
    local = local_feed_path(root, url)
    if local is None:
        problems.error(
            path,
            line,
            f"{label}: local feed file {url} is outside the project folder",
            "keep feed files in the project, e.g. content/feeds/x.xml",
        )
        return False
    if not local.is_file():
        problems.warning(
            path,
            line,
            f"{label}: local feed file {url} not found",
            "paths are relative to the project folder, e.g. content/feeds/x.xml",
        )
    return True
