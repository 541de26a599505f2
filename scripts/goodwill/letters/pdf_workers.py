"""Worker processes that render PDF parts on the other cores.

Plain child processes (`python -m goodwill.letters.pdf_workers`), not multiprocessing:
they never re-run the caller's main script and are never forked from a parent
that runs threads (a progress bar). Each reads one JSON job per line on stdin
and answers one JSON line on stdout.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from goodwill.core.errors import GoodwillError

_PACKAGE_PARENT = str(Path(__file__).resolve().parents[2])


JOBS_PER_PROCESS = 100  # then a fresh process: WeasyPrint's caches grow with every document


class WorkerPool:
    """`count` rendering processes; `run` hands each job to whichever is free."""

    def __init__(self, count: int, jobs_per_process: int = JOBS_PER_PROCESS):
        self.env = dict(os.environ)
        self.env["PYTHONPATH"] = os.pathsep.join(
            filter(None, [_PACKAGE_PARENT, self.env.get("PYTHONPATH")])
        )
        self.jobs_per_process = jobs_per_process
        # Each worker's stderr, kept to explain a crash; closed in close().
        self.logs = [tempfile.TemporaryFile() for _ in range(count)]  # noqa: SIM115
        self.processes = [self._start(slot) for slot in range(count)]

    def _start(self, slot: int) -> subprocess.Popen:
        return subprocess.Popen(
            [sys.executable, "-m", "goodwill.letters.pdf_workers"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.logs[slot],
            env=self.env,
            text=True,
            encoding="utf-8",
        )

    def run(self, jobs: list[dict], done) -> int:
        """Render every job; `done(job)` is called (in this thread) as each finishes.

        Returns the largest peak memory of a worker, in KB.
        """
        todo: queue.Queue = queue.Queue()
        for job in jobs:
            todo.put(job)
        finished: queue.Queue = queue.Queue()
        threads = [
            threading.Thread(target=self._feed, args=(slot, todo, finished), daemon=True)
            for slot in range(len(self.processes))
        ]
        for thread in threads:
            thread.start()
        peak, remaining = 0, len(jobs)
        while remaining:
            job, reply = finished.get()
            if reply is None or not reply.get("ok"):
                raise GoodwillError(self._failure(reply), path=job["target"] if job else None)
            peak = max(peak, reply["peak_kb"])
            remaining -= 1
            done(job)
        return peak

    def _feed(self, slot: int, todo: queue.Queue, finished: queue.Queue) -> None:
        """Give slot's process jobs until none are left; report each answer (None: it died)."""
        served = 0
        while True:
            try:
                job = todo.get_nowait()
            except queue.Empty:
                return
            if served == self.jobs_per_process:
                self._stop(self.processes[slot])
                self.processes[slot] = self._start(slot)
                served = 0
            process = self.processes[slot]
            try:
                process.stdin.write(json.dumps(job) + "\n")
                process.stdin.flush()
                line = process.stdout.readline()
            except (OSError, ValueError):
                line = ""
            finished.put((job, json.loads(line) if line else None))
            if not line:
                return
            served += 1

    def close(self) -> None:
        for process in self.processes:
            self._stop(process)
        for log in self.logs:
            log.close()

    def kill(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.kill()
        self.close()

    @staticmethod
    def _stop(process: subprocess.Popen) -> None:
        if process.stdin and not process.stdin.closed:
            with contextlib.suppress(OSError):  # a worker that died has a broken pipe
                process.stdin.close()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout:
            process.stdout.close()

    def _failure(self, reply) -> str:
        if reply is not None:
            return f"the PDF engine failed: {reply.get('error')}"
        tails = []
        for log in self.logs:
            log.seek(0)
            text = log.read().decode("utf-8", "replace").strip()
            if text:
                tails.append(text.splitlines()[-1])
        return "a PDF worker process stopped: " + ("; ".join(tails) or "no message")


def main() -> None:
    """The worker: render each job line from stdin, answer on stdout."""
    import weasyprint  # noqa: F401 - loaded before the first job arrives (see warm_up)

    from goodwill.letters.pdf import render_part

    replies = sys.stdout
    sys.stdout = sys.stderr  # anything else printed must not corrupt the answers
    for line in sys.stdin:
        job = json.loads(line)
        try:
            peak = render_part(job["html"], job["base_url"], job["target"])
            reply = {"ok": True, "peak_kb": peak}
        except Exception as exc:  # reported to the parent, which raises it
            reply = {"ok": False, "error": str(exc)}
        replies.write(json.dumps(reply) + "\n")
        replies.flush()


if __name__ == "__main__":
    main()
