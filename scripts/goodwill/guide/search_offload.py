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
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from mkdocs.plugins import BasePlugin, event_priority

from goodwill.guide.search_indexer import Anchor, PageView, read_message, write_message

try:
    import fcntl
except ImportError:  # not Unix: the pipe keeps its default size
    fcntl = None
try:
    from material.plugins.search.plugin import SearchIndex, SearchPlugin
except ImportError:  # pragma: no cover - Material is a dependency
    SearchIndex = SearchPlugin = None

_PACKAGE_PARENT = str(Path(__file__).resolve().parents[2])
_PIPE_BYTES = 1 << 20  # room for many pages, so a write never waits for the worker
COMMAND = [sys.executable, "-m", "goodwill.guide.search_indexer"]
# Below this many pages, indexing them here costs less than starting the worker.
MIN_PAGES = 250


def spare_cores() -> int:
    try:
        return len(os.sched_getaffinity(0)) - 1
    except AttributeError:  # not Linux
        return (os.cpu_count() or 1) - 1


class SearchWorker:
    """The worker process, started early so its start overlaps goodwill's staging."""

    def __init__(self, pages: int) -> None:
        self.process: subprocess.Popen | None = None
        self.errors = None
        if SearchIndex is None or pages < MIN_PAGES or spare_cores() < 1:
            return
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [_PACKAGE_PARENT, env.get("PYTHONPATH")]))
        self.errors = tempfile.TemporaryFile()  # noqa: SIM115 - closed in close()
        try:
            self.process = subprocess.Popen(
                COMMAND,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=self.errors,
                env=env,
            )
        except OSError:
            self.process = None
            return
        with contextlib.suppress(OSError, AttributeError):  # Linux only; a smaller pipe works
            fcntl.fcntl(self.process.stdin, fcntl.F_SETPIPE_SZ, _PIPE_BYTES)

    def attach(self, config) -> None:
        """Index this build's pages in the worker (when the search plugin is Material's)."""
        if self.process is None:
            return
        for name, plugin in config.plugins.items():
            if isinstance(plugin, SearchPlugin) and plugin.config.enabled:
                config.plugins[f"goodwill/offload {name}"] = _Offload(plugin, self)
                return

    def send(self, message) -> bool:
        """Send one message; False once the worker is gone."""
        if self.process is None:
            return False
        try:
            write_message(self.process.stdin, message)
            return True
        except (OSError, ValueError):  # it died, or its pipe is closed
            self.close()
            return False
        except Exception:  # a page that cannot be pickled: indexed here
            return False

    def results(self) -> dict[int, list[dict]]:
        """Every page's entries, once all were sent; empty when the worker failed."""
        if self.process is None or not self.send(None):
            return {}
        try:
            self.process.stdin.close()
            answer = read_message(self.process.stdout)
        except (OSError, EOFError, ValueError):
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
        if self.errors is not None:
            self.errors.close()
            self.errors = None


class _Offload(BasePlugin):
    """Swaps in an index that offloads (after the search plugin's on_config), and sends
    each page to the worker once every plugin has changed its HTML."""

    def __init__(self, search: SearchPlugin, worker: SearchWorker) -> None:
        super().__init__()
        self.search, self.worker = search, worker
        self.index: _OffloadedIndex | None = None

    def on_config(self, config):
        index = getattr(self.search, "search_index", None)
        if type(index) is SearchIndex and self.worker.send(dict(index.config)):
            self.index = _OffloadedIndex(index.config, self.worker)
            self.search.search_index = self.index
        return config

    @event_priority(-100)  # the HTML as every other plugin leaves it
    def on_page_content(self, html, *, page, config, files):
        if self.index is not None:
            self.index.send_early(page, html)
        return html


@dataclass
class _Sent:
    number: int
    content: str
    meta: dict
    title: str


@dataclass
class _Job:
    page: object  # a shallow copy as Material saw it, to index here if the worker failed
    number: int | None


class _OffloadedIndex(SearchIndex):
    def __init__(self, config: dict, worker: SearchWorker) -> None:
        super().__init__(**config)
        self.worker = worker
        self.jobs: list[_Job] = []
        self.sent: dict[int, _Sent] = {}
        self.count = 0

    def send_early(self, page, html: str) -> None:
        """Index the page in the worker now, while MkDocs converts the other pages."""
        if _excluded(page):
            return
        number = self._send(page, html)
        if number is not None:
            self.sent[id(page)] = _Sent(number, html, dict(page.meta), page.title)

    def add_entry_from_context(self, page) -> None:
        if _excluded(page):
            return
        sent = self.sent.pop(id(page), None)
        if sent is not None and _unchanged(sent, page):
            number = sent.number
        else:
            number = self._send(page, page.content)
        self.jobs.append(_Job(copy.copy(page), number))

    def _send(self, page, html: str) -> int | None:
        self.count += 1
        view = PageView(html, _anchors(page.toc), page.url, page.meta, page.title)
        return self.count if self.worker.send((self.count, view)) else None

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


def _excluded(page) -> bool:
    return bool((page.meta.get("search") or {}).get("exclude"))


def _unchanged(sent: _Sent, page) -> bool:
    return (
        (sent.content is page.content or sent.content == page.content)
        and sent.title == page.title
        and sent.meta == page.meta
    )


def _anchors(toc) -> list[Anchor]:
    return [Anchor(item.id, _anchors(item.children)) for item in toc]
