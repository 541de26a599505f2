"""Keep the staging folder between previews: write only what changed, reread only what changed.

A full build uses a fresh StagedFiles once. `goodwill serve` keeps one for the whole
session, so an edit to one article rewrites that article's page (and any listing whose
text changed) and leaves every other staged file, and its modification time, alone:
MkDocs' dirty mode then rebuilds just those pages.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from goodwill.core.errors import Collector, GoodwillError
from goodwill.guide.articles import Article, read_article

RAM_DISK = Path("/dev/shm")  # Linux: tmpfs, where creating a thousand small files is ~20x faster


@contextlib.contextmanager
def staging_folder(fallback: Path) -> Iterator[Path]:
    """A private folder for the staged pages, in memory when the system offers one.

    The staged pages are public text and disposable; MkDocs reads them once. Without a
    RAM disk (or when it is full or read-only) `fallback` is used."""
    try:
        folder = Path(tempfile.mkdtemp(prefix="goodwill-docs-", dir=RAM_DISK))
    except OSError:
        fallback.mkdir(parents=True, exist_ok=True)
        folder = Path(tempfile.mkdtemp(prefix="docs-", dir=fallback))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


class StagedFiles:
    """The staging folder's files, each written only when its text (or source) changed."""

    def __init__(self, docs_dir: Path) -> None:
        self.docs_dir = docs_dir
        self._texts: dict[str, str] = {}
        self._copies: dict[str, tuple] = {}
        self._renders: dict[str, tuple[object, str]] = {}
        self._touched: set[str] = set()
        self.changed: list[str] = []  # written this round
        self.removed: list[str] = []  # deleted this round: nothing wrote them

    def begin(self) -> None:
        self._touched, self.changed, self.removed = set(), [], []

    def write(self, rel: str, text: str) -> None:
        self._touched.add(rel)
        target = self.docs_dir / rel
        if self._texts.get(rel) == text and target.is_file():
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        self._texts[rel] = text
        self.changed.append(rel)

    def copy(self, source: Path, rel: str) -> None:
        self._touched.add(rel)
        stat = source.stat()
        key = (stat.st_mtime_ns, stat.st_size)
        target = self.docs_dir / rel
        if self._copies.get(rel) == key and target.is_file():
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        self._copies[rel] = key
        self.changed.append(rel)

    def rendered(self, name: str, inputs: object, render: Callable[[], str]) -> str:
        """`render()`, or its previous text when `inputs` equal the previous inputs."""
        previous = self._renders.get(name)
        if previous is not None and previous[0] == inputs:
            return previous[1]
        text = render()
        self._renders[name] = (inputs, text)
        return text

    def finish(self) -> list[str]:
        """Delete staged files nothing wrote this time; returns their relative paths."""
        stale = [rel for rel in [*self._texts, *self._copies] if rel not in self._touched]
        for rel in stale:
            self._texts.pop(rel, None)
            self._copies.pop(rel, None)
            (self.docs_dir / rel).unlink(missing_ok=True)
        self.removed = stale
        return stale


class CachedReader:
    """read_article with memory: a file whose size and mtime did not change is not reread.

    Its problems are remembered too and reported again, so every build lists them."""

    def __init__(self) -> None:
        self._cache: dict[Path, tuple[tuple, Article | None, list]] = {}

    def __call__(self, path: Path, problems: Collector) -> Article | None:
        stat = path.stat()
        key = (stat.st_mtime_ns, stat.st_size)
        cached = self._cache.get(path)
        if cached is not None and cached[0] == key:
            problems.extend(cached[2])
            return cached[1]
        own = Collector()
        try:
            article = read_article(path, own)
        except GoodwillError as exc:
            own.extend([exc.problem])
            article = None
        problems.extend(own.problems)
        self._cache[path] = (key, article, own.problems)
        return article


def fingerprint(folders: list[Path]) -> tuple:
    """Names, sizes and mtimes of every file under `folders`: equal means nothing changed."""
    found = []
    for folder in folders:
        if folder.is_file():
            stat = folder.stat()
            found.append((str(folder), stat.st_size, stat.st_mtime_ns))
            continue
        for root, dirs, files in os.walk(folder):
            dirs.sort()
            for name in sorted(files):
                path = os.path.join(root, name)
                try:
                    stat = os.stat(path)
                except FileNotFoundError:  # removed while we looked
                    continue
                found.append((path, stat.st_size, stat.st_mtime_ns))
    return tuple(found)
