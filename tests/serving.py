"""Helpers for tests that run a real `goodwill serve` and fetch its pages."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode()


def wait_for(predicate, seconds: float) -> bool:
    """True as soon as `predicate()` is; False after `seconds` (connection errors retry)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if predicate():
                return True
        except OSError:
            pass
        time.sleep(0.3)
    return False


@dataclass
class Served:
    url: str  # the preview's base URL
    output: str = ""  # everything the command printed, once it stopped


@contextlib.contextmanager
def goodwill_serve(project_dir):
    """`goodwill serve` on a free port in `project_dir`, stopped on leaving."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "goodwill", "serve", "--port", str(port)],
        cwd=project_dir,
        env={**os.environ, "GOODWILL_TODAY": "2026-11-20"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    served = Served(f"http://127.0.0.1:{port}/")
    try:
        yield served
    finally:
        proc.terminate()
        try:
            served.output, _ = proc.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            served.output, _ = proc.communicate()
