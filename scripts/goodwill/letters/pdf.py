"""Print-ready PDFs from HTML with WeasyPrint: on every core, cached, then merged.

An output (letters.pdf, envelopes.pdf, labels.pdf) is made of parts: HTML
documents of a few dozen pages each. Each part is rendered once and kept in a
cache keyed by a hash of its HTML (which holds the stylesheet too), so a re-run
renders only parts that changed, and an output whose parts are all unchanged is
not touched at all. Parts render in worker processes when there is enough work
to pay for starting them (see pdf_workers.py).
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import dataclass, field
from functools import cached_property
from importlib.metadata import version
from pathlib import Path

from goodwill.core.errors import GoodwillError
from goodwill.core.processes import usable_cores
from goodwill.letters.pdf_render import render_part
from goodwill.letters.pdf_workers import WorkerPool
from goodwill.letters.pdfmerge import merge_pdfs

CACHE_FORMAT = "2"  # bump when the rendering around WeasyPrint changes
PARALLEL_MIN_PAGES = 60  # below this, starting worker processes costs more than it saves
CACHE_MAX_AGE_DAYS = 30
_ENGINE = f"weasyprint {version('weasyprint')} / goodwill-pdf {CACHE_FORMAT}"


@dataclass(frozen=True)
class PdfPart:
    """One HTML document to render; `pages` is what it should print to (or an estimate)."""

    html: str
    pages: int

    @cached_property
    def key(self) -> str:
        return hashlib.sha256(f"{_ENGINE}\n{self.html}".encode()).hexdigest()


@dataclass
class PdfOutput:
    path: Path
    title: str
    parts: list[PdfPart]

    @property
    def signature(self) -> str:
        keys = "\n".join(part.key for part in self.parts)
        return hashlib.sha256(f"{self.title}\n{keys}".encode()).hexdigest()


@dataclass
class PartResult:
    pages: int
    spilled: list[int]  # numbers (1-based, within the part) of letters longer than a page
    warnings: list[str] = field(default_factory=list)


@dataclass
class PdfStats:
    parts: int = 0
    rendered: int = 0  # parts rendered in this run (0: everything came from the cache)
    rendered_pages: int = 0
    written: int = 0  # outputs (re)written
    unchanged: int = 0  # outputs left alone because nothing in them changed
    workers: int = 1
    worker_peak_kb: int = 0
    render_seconds: float = 0.0
    merge_seconds: float = 0.0
    results: dict[str, PartResult] = field(default_factory=dict)

    @property
    def did_pdf_work(self) -> bool:
        return bool(self.rendered or self.written)


class PdfBuilder:
    """Renders parts into `cache_dir` and merges them into the outputs."""

    def __init__(self, cache_dir: Path, base_url: str, workers: int | None = None):
        self.cache_dir = cache_dir
        self.manifest_path = cache_dir / "outputs.json"
        self.base_url = base_url
        self.workers = workers or _default_workers()
        self._pool: WorkerPool | None = None

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        if self._pool is not None:  # warmed up, then not needed (or an error came first)
            self._pool.kill()
            self._pool = None

    def warm_up(self, expected_pages: int) -> None:
        """Start the workers now, so they load the PDF engine while the caller prepares
        the HTML; only when there will be enough pages to share out."""
        if self._pool is None and self.workers > 1 and expected_pages >= PARALLEL_MIN_PAGES:
            self._pool = WorkerPool(self.workers)

    def build(
        self, outputs: list[PdfOutput], advance=None, start=None, before_writing=None
    ) -> PdfStats:
        """Make every output; `start(total_pages)` and `advance(pages)` report progress.

        `before_writing(stats)` is called once every part is rendered (with
        stats.results filled in) and before any output is written: it may raise
        to write nothing."""
        stats = PdfStats(parts=sum(len(o.parts) for o in outputs))
        manifest = self._read_manifest()
        stale = [o for o in outputs if not self._is_current(o, manifest)]
        parts = {p.key: p for o in stale for p in o.parts}
        missing = [p for key, p in parts.items() if not self._cached(key)]
        if start:
            start(sum(p.pages for p in missing))
        began = time.perf_counter()
        if missing:
            self.cache_dir.mkdir(parents=True, exist_ok=True, mode=0o700)  # letters inside
            self._render(missing, stats, advance)
        stats.render_seconds = time.perf_counter() - began
        for output in outputs:
            for part in output.parts:
                stats.results[part.key] = self._result(part)
        if before_writing:
            before_writing(stats)
        began = time.perf_counter()
        for output in outputs:
            if output in stale:
                self._merge(output)
                manifest[str(output.path)] = self._stamp(output)
                stats.written += 1
            else:
                stats.unchanged += 1
        stats.merge_seconds = time.perf_counter() - began
        if stale:
            self._write_manifest(manifest)
        self._touch_and_prune({p.key for o in outputs for p in o.parts})
        return stats

    # -- rendering ---------------------------------------------------------

    def _render(self, parts: list[PdfPart], stats: PdfStats, advance) -> None:
        jobs = sorted(parts, key=lambda p: -p.pages)  # longest first: the cores finish together
        pages = sum(p.pages for p in jobs)
        workers = min(self.workers, len(jobs))
        if workers < 2 or pages < PARALLEL_MIN_PAGES:
            stats.workers = 1
            for part in jobs:
                try:
                    peak = render_part(part.html, self.base_url, str(self._pdf(part.key)))
                except GoodwillError:
                    raise
                except Exception as exc:
                    raise GoodwillError(f"the PDF engine failed: {exc}") from None
                stats.worker_peak_kb = max(stats.worker_peak_kb, peak)
                stats.rendered += 1
                stats.rendered_pages += part.pages
                if advance:
                    advance(part.pages)
            return
        stats.workers = workers

        def done(job: dict) -> None:
            stats.rendered += 1
            stats.rendered_pages += job["pages"]
            if advance:
                advance(job["pages"])

        pool, self._pool = self._pool or WorkerPool(workers), None
        try:
            requests = [
                {
                    "html": p.html,
                    "base_url": self.base_url,
                    "target": str(self._pdf(p.key)),
                    "pages": p.pages,
                }
                for p in jobs
            ]
            stats.worker_peak_kb = pool.run(requests, done)
        except BaseException:
            pool.kill()
            raise
        pool.close()

    def _pdf(self, key: str) -> Path:
        return self.cache_dir / f"{key}.pdf"

    def _cached(self, key: str) -> bool:
        return self._pdf(key).is_file() and self._pdf(key).with_suffix(".json").is_file()

    def _result(self, part: PdfPart) -> PartResult:
        try:
            text = self._pdf(part.key).with_suffix(".json").read_text(encoding="utf-8")
            meta = json.loads(text)
            return PartResult(meta["pages"], meta["spilled"], meta.get("warnings", []))
        except (OSError, ValueError, KeyError):  # pruned or damaged: the output itself is fine
            return PartResult(part.pages, [])

    # -- outputs -----------------------------------------------------------

    def _merge(self, output: PdfOutput) -> None:
        sources = [self._pdf(part.key) for part in output.parts]
        output.path.parent.mkdir(parents=True, exist_ok=True)
        merge_pdfs(sources, output.path, output.title)

    def _is_current(self, output: PdfOutput, manifest: dict) -> bool:
        entry = manifest.get(str(output.path))
        return entry is not None and entry == self._stamp(output, must_exist=False)

    def _stamp(self, output: PdfOutput, must_exist: bool = True) -> dict | None:
        try:
            info = output.path.stat()
        except FileNotFoundError:
            if must_exist:
                raise
            return None
        return {"signature": output.signature, "size": info.st_size, "mtime_ns": info.st_mtime_ns}

    def _read_manifest(self) -> dict:
        try:
            return json.loads(self.manifest_path.read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):
            return {}

    def _write_manifest(self, manifest: dict) -> None:
        temporary = self.manifest_path.with_name(f".outputs.{os.getpid()}.tmp")
        temporary.write_text(json.dumps(manifest, indent=1, sort_keys=True), encoding="utf-8")
        os.replace(temporary, self.manifest_path)

    def _touch_and_prune(self, used: set[str]) -> None:
        """Mark parts in use; forget those unused for a month, so the cache stays small."""
        now = time.time()
        cutoff = now - CACHE_MAX_AGE_DAYS * 86400
        if not self.cache_dir.is_dir():
            return
        for path in self.cache_dir.glob("*.pdf"):
            if path.stem in used:
                os.utime(path, (now, now))
            elif path.stat().st_mtime < cutoff:
                path.unlink(missing_ok=True)
                path.with_suffix(".json").unlink(missing_ok=True)


def _default_workers() -> int:
    from_env = os.environ.get("GOODWILL_PDF_WORKERS", "")
    if from_env.isdigit() and int(from_env) > 0:
        return int(from_env)
    return usable_cores()
