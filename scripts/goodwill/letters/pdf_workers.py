"""Worker processes that render PDF parts on the other cores.

A `ProcessPoolExecutor` with the "spawn" start method: a worker is never forked
from a parent that runs threads (a progress bar), and it starts from a clean
interpreter that imports only what rendering needs. Workers are replaced after
about JOBS_PER_PROCESS parts each, because WeasyPrint's caches grow with every
document: the parts are rendered in rounds of workers x JOBS_PER_PROCESS, each
round on a fresh executor. (The executor's own `max_tasks_per_child` would do it,
but in Python 3.11 it deadlocks once a worker retires while parts are still
queued: CPython gh-115634.)
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import FIRST_EXCEPTION, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool

from goodwill.core.errors import GoodwillError
from goodwill.letters.pdf_render import peak_memory_kb, render_part

JOBS_PER_PROCESS = 100


def _load_engine() -> None:
    """Runs first in every worker: import the PDF engine before the first part arrives."""
    import weasyprint  # noqa: F401


def _render(job: dict) -> int:
    return render_part(job["html"], job["base_url"], job["target"])


class WorkerPool:
    """`count` rendering processes; `run` hands each job to whichever is free."""

    def __init__(self, count: int, jobs_per_process: int = JOBS_PER_PROCESS):
        self.count = count
        self.round_size = count * jobs_per_process
        self.executor = self._start()

    def _start(self) -> ProcessPoolExecutor:
        executor = ProcessPoolExecutor(
            max_workers=self.count,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_load_engine,
        )
        # The executor starts processes only for work: give each one something to do,
        # so all of them load the engine while the caller prepares the HTML.
        for _ in range(self.count):
            executor.submit(peak_memory_kb)
        return executor

    def run(self, jobs: list[dict], done) -> int:
        """Render every job; `done(job)` is called (in this thread) as each finishes.

        Returns the largest peak memory of a worker, in KB.
        """
        peak = 0
        for start in range(0, len(jobs), self.round_size):
            if start:  # retire this round's workers: their caches have grown
                self.executor.shutdown(wait=True)
                self.executor = self._start()
            peak = max(peak, self._run_round(jobs[start : start + self.round_size], done))
        return peak

    def _run_round(self, jobs: list[dict], done) -> int:
        pending: dict[Future, dict] = {self.executor.submit(_render, job): job for job in jobs}
        peak = 0
        while pending:
            finished, _ = wait(pending, return_when=FIRST_EXCEPTION)
            for future in finished:
                job = pending.pop(future)
                error = future.exception()
                if error is not None:
                    raise GoodwillError(_failure(error), path=job["target"])
                peak = max(peak, future.result())
                done(job)
        return peak

    def close(self) -> None:
        self.executor.shutdown(wait=True)

    def kill(self) -> None:
        """Stop at once: queued parts are dropped and running workers ended."""
        processes = list((self.executor._processes or {}).values())  # no public accessor
        self.executor.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            if process.is_alive():
                process.kill()
        for process in processes:
            process.join(timeout=10)


def _failure(error: BaseException) -> str:
    if isinstance(error, BrokenProcessPool):
        return "a PDF worker process stopped unexpectedly (out of memory, or killed)"
    return f"the PDF engine failed: {error}"
