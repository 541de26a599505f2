"""What MkDocs' dirty builds need to stay fast and right in a preview.

Dirty mode rebuilds only the pages whose staged file changed. Two things around it would
otherwise cost or break: a new Jinja environment per build (Material's templates are
compiled again and its thousands of files listed again), and the search index, which
Material merges for one rebuilt page only. A preview round rebuilds the edited page and
the listings it changes, so goodwill merges the index itself, page by page.
"""

from __future__ import annotations

import json
from pathlib import Path

import jinja2

SEARCH_INDEX = "search/search_index.json"


class ThemeCache:
    """Keep the theme's compiled templates and file list from one preview round to the next.

    MkDocs makes a new Jinja environment for every build: recompiling Material's templates
    and listing its thousands of files takes most of a one-page rebuild. Compiled code is
    reused only for unchanged template sources (the bytecode cache checks them)."""

    def __init__(self) -> None:
        self.bytecode = _MemoryBytecodeCache()
        self.listings: dict[tuple, list[str]] = {}

    def reuse(self, config) -> None:
        theme = config.theme
        make_env = theme.get_env

        def get_env():
            env = make_env()
            env.bytecode_cache = self.bytecode
            key = tuple(theme.dirs)
            list_templates = env.list_templates

            def cached_list(*args, **kwargs):
                # The filter is a new function each build, with the same rules while
                # mkdocs.yml is unchanged (a change starts a new ThemeCache).
                name = (key, args, tuple(sorted(kwargs)))
                if name not in self.listings:
                    self.listings[name] = list_templates(*args, **kwargs)
                return self.listings[name]

            env.list_templates = cached_list
            return env

        theme.get_env = get_env


class _MemoryBytecodeCache(jinja2.BytecodeCache):
    def __init__(self) -> None:
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        if bucket.key in self.store:
            bucket.bytecode_from_string(self.store[bucket.key])

    def dump_bytecode(self, bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()


def remove_output(site_dir: Path, rel: str) -> None:
    """Delete the built page of a staged page that is gone (dirty builds never do)."""
    if not rel.endswith(".md"):
        (site_dir / rel).unlink(missing_ok=True)
        return
    stem = rel[: -len(".md")]
    folder = site_dir / (stem[: -len("index")] if stem.endswith("index") else stem)
    (folder / "index.html").unlink(missing_ok=True)


class SearchIndex:
    """The preview's whole search index, kept page by page across dirty rounds."""

    def __init__(self, site_dir: Path) -> None:
        self.path = site_dir / SEARCH_INDEX
        self.pages: dict[str, list] = {}
        self.config: dict = {}

    def prepare(self, config) -> None:
        """Stop Material's own merge: the round's index then holds only the rebuilt pages."""
        for name, plugin in config.plugins.items():
            if name.split(" ")[0] in ("search", "material/search"):
                plugin.search_index_prev = None

    def merge(self, dirty: bool, removed: list[str]) -> None:
        if not self.path.is_file():
            return
        data = json.loads(self.path.read_text(encoding="utf-8"))
        fresh: dict[str, list] = {}
        for entry in data.get("docs", []):
            fresh.setdefault(entry["location"].split("#", 1)[0], []).append(entry)
        if not dirty:
            self.pages, self.config = fresh, data.get("config", {})
            return
        self.pages.update(fresh)
        for rel in removed:
            self.pages.pop(_page_location(rel), None)
        docs = [entry for entries in self.pages.values() for entry in entries]
        merged = {"config": data.get("config", self.config), "docs": docs}
        self.path.write_text(json.dumps(merged, separators=(",", ":")), encoding="utf-8")


def _page_location(rel: str) -> str:
    stem = rel[: -len(".md")] if rel.endswith(".md") else rel
    if stem == "index" or stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"
