"""Rendering one HTML part into a PDF with WeasyPrint, in whichever process runs it.

Used by the builder directly (small sets) and by the worker processes (large ones).
"""

from __future__ import annotations

import json
import logging
import os
import resource
from pathlib import Path

PAGE_ANCHOR = "page-"  # document.html.j2 gives each letter's page id="page-N"


def render_part(html: str, base_url: str, target: str) -> int:
    """Render one part to `target` (+ a .json of what was found); returns peak RSS in KB."""
    from weasyprint import HTML

    messages = _CapturedWarnings()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(messages)
    try:
        document = HTML(string=html, base_url=base_url, url_fetcher=_offline_fetcher()).render()
    finally:
        logger.removeHandler(messages)
    spilled = _spilled_letters(document.pages)
    path = Path(target)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        document.write_pdf(temporary)
        meta = {"pages": len(document.pages), "spilled": spilled, "warnings": messages.lines}
        path.with_suffix(".json").write_text(json.dumps(meta), encoding="utf-8")
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    return peak_memory_kb()


def _spilled_letters(pages) -> list[int]:
    """Numbers of the letters that cover more than one page.

    WeasyPrint (70) keeps an overflowing `<div id="page-N">`'s anchor on every page it
    covers, older versions only on the first: so a letter spills when its anchor is on
    two pages, or when a page has no anchor of its own and follows that letter's page.
    """
    spilled, seen, current = [], set(), None
    for page in pages:
        names = [a[len(PAGE_ANCHOR) :] for a in page.anchors if a.startswith(PAGE_ANCHOR)]
        numbers = sorted({int(name) for name in names if name.isdigit()})
        if not numbers:
            numbers = [current] if current is not None else []
        for number in numbers:
            if number in seen and number not in spilled:
                spilled.append(number)
            seen.add(number)
        if numbers:
            current = numbers[-1]
    return spilled


def peak_memory_kb() -> int:
    """This process's peak resident memory. Linux's VmHWM, because ru_maxrss of a child
    also counts the parent's memory at the moment it was started."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:  # pragma: no cover - not Linux
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


class _CapturedWarnings(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if len(self.lines) < 20:
            self.lines.append(record.getMessage())


def _offline_fetcher():
    """Letters may use local files and data: URLs, never the network (they are private)."""
    import weasyprint

    if hasattr(weasyprint, "URLFetcher"):  # WeasyPrint >= 67
        return weasyprint.URLFetcher(allowed_protocols={"file", "data"})

    def fetch(url, *args, **kwargs):  # pragma: no cover - older WeasyPrint
        if not url.startswith(("file:", "data:")):
            raise ValueError(f"letters are rendered offline; not fetching {url}")
        return weasyprint.default_url_fetcher(url, *args, **kwargs)

    return fetch
