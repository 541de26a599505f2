"""Material's search indexing in a second process, beside the MkDocs build.

Material parses every built page's HTML to cut it into search sections: a large share of
a build, spent in the one process that also converts the Markdown and renders the pages.
Here each page goes to a worker process (search_indexer) as soon as its Markdown is
converted (MkDocs converts every page before it renders any), and the worker runs
Material's own indexing code on it; the index is assembled, in page order, when MkDocs
writes it. When Material comes to index a page whose text or metadata changed after it
was sent, it is sent again: the output is the one Material writes. A worker that fails or
cannot start only means the pages are indexed here, as Material would have.
"""

from __future__ import annotations

import contextlib
import copy
import subprocess
import sys
from dataclasses import dataclass

from mkdocs.plugins import BasePlugin, event_priority

from goodwill.core.processes import child_environment, usable_cores
from goodwill.guide.search_indexer import Anchor, PageView, encode, read_message

try:
    from material.plugins.search.plugin import SearchIndex, SearchPlugin
except ImportError:  # pragma: no cover - Material is a dependency
    SearchIndex = SearchPlugin = None

COMMAND = [sys.executable, "-m", "goodwill.guide.search_indexer"]
# Below this many articles, indexing them here costs less than starting the worker.
MIN_PAGES = 250
# What Material's indexing reads of a page's metadata.
READ_META = ("title", "tags", "search")
# Material sets these up in the build process only (Chinese word segmentation).
IN_BUILD_ONLY = ("jieba_dict", "jieba_dict_user")


def spare_cores() -> int:
    return usable_cores() - 1


class SearchWorker:
    """The worker process, started early so its start overlaps goodwill's staging."""

    def __init__(self, pages: int) -> None:
        self.process: subprocess.Popen | None = None
        if SearchIndex is None or pages < MIN_PAGES or spare_cores() < 1:
            return
        try:
            self.process = subprocess.Popen(
                COMMAND,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,  # a failed worker only means indexing here
                env=child_environment(),
            )
        except OSError:
            self.process = None

    def attach(self, config) -> None:
        """Index this build's pages in the worker (when the search plugin is Material's)."""
        if self.process is None:
            return
        for name, plugin in config.plugins.items():
            if isinstance(plugin, SearchPlugin) and plugin.config.enabled:
                if not any(plugin.config.get(key) for key in IN_BUILD_ONLY):
                    config.plugins[f"goodwill/offload {name}"] = _Offload(plugin, self)
                return

    def send(self, message: bytes) -> bool:
        """Send one encoded message; False once the worker is gone."""
        if self.process is None:
            return False
        try:
            self.process.stdin.write(message)
            self.process.stdin.flush()  # to the worker now, not when a buffer fills
            return True
        except (OSError, ValueError):  # it died, or its pipe is closed
            self.close()
            return False

    def results(self) -> dict[int, list[dict]]:
        """The entries of every page the worker indexed; empty when it failed."""
        if self.process is None or not self.send(encode(None)):
            return {}
        try:
            self.process.stdin.close()
            answer = read_message(self.process.stdout)
        except Exception:  # died, or answered nonsense: the build indexes the pages
            answer = {}
        self.close()
        return answer if isinstance(answer, dict) else {}

    def close(self) -> None:
        if self.process is not None:
            if self.process.poll() is None:
                self.process.kill()
            self.process.wait()
            for stream in (self.process.stdin, self.process.stdout):
                with contextlib.suppress(OSError):
                    stream.close()
            self.process = None


class _Offload(BasePlugin):
    """Swaps in an index that offloads (after the search plugin's on_config), and sends
    each page to the worker once every plugin has changed its HTML."""

    def __init__(self, search: SearchPlugin, worker: SearchWorker) -> None:
        super().__init__()
        self.search, self.worker = search, worker
        self.index: _OffloadedIndex | None = None

    def on_config(self, config):
        index = getattr(self.search, "search_index", None)
        if type(index) is SearchIndex and self.worker.send(encode(dict(index.config))):
            self.index = _OffloadedIndex(index.config, self.worker)
            self.search.search_index = self.index
        return config

    @event_priority(-100)  # the HTML as every other plugin leaves it
    def on_page_content(self, html, *, page, config, files):
        if self.index is not None:
            self.index.send_early(page, html)
        return html


@dataclass
class _Job:
    page: object  # a shallow copy as Material saw it, to index here if the worker failed
    number: int | None


class _OffloadedIndex(SearchIndex):
    def __init__(self, config: dict, worker: SearchWorker) -> None:
        super().__init__(**config)
        self.worker = worker
        self.jobs: list[_Job] = []
        self.sent: dict[int, tuple[int, bytes]] = {}  # page -> (number, what was sent)
        self.count = 0

    def send_early(self, page, html: str) -> None:
        """Index the page in the worker now, while MkDocs converts the other pages."""
        if not _excluded(page):
            sent = self._send(_view(page, html))
            if sent is not None:
                self.sent[id(page)] = sent

    def add_entry_from_context(self, page) -> None:
        if _excluded(page):
            return
        early = self.sent.pop(id(page), None)
        view = _view(page, page.content)
        # What Material reads now, compared with what was sent: any change, even one made
        # in place in the metadata, sends the page again.
        if early is not None and early[1] == _payload_or_none(early[0], view):
            number = early[0]
        else:
            sent = self._send(view)
            number = sent[0] if sent is not None else None
        self.jobs.append(_Job(copy.copy(page), number))

    def _send(self, view: PageView) -> tuple[int, bytes] | None:
        self.count += 1
        message = _payload_or_none(self.count, view)
        if message is None or not self.worker.send(message):
            return None
        return self.count, message

    def generate_search_index(self, prev):
        done = self.worker.results()
        self.entries = []
        for job in self.jobs:
            entries = done.get(job.number) if job.number is not None else None
            if entries is None:
                local = SearchIndex(**self.config)
                local.add_entry_from_context(job.page)
                entries = local.entries
            self.entries.extend(entries)
        self.jobs, self.sent = [], {}
        return super().generate_search_index(prev)


def _payload_or_none(number: int, view: PageView) -> bytes | None:
    try:
        return encode((number, view))
    except Exception:  # metadata that cannot be pickled: the page is indexed here
        return None


def _view(page, html: str) -> PageView:
    meta = {key: page.meta[key] for key in READ_META if key in page.meta}
    return PageView(html, _anchors(page.toc), page.url, meta, page.title)


def _excluded(page) -> bool:
    return bool((page.meta.get("search") or {}).get("exclude"))


def _anchors(toc) -> list[Anchor]:
    return [Anchor(item.id, _anchors(item.children)) for item in toc]
