"""What goodwill's helper processes share: how many cores there are, and their environment."""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE_PARENT = str(Path(__file__).resolve().parents[2])


def usable_cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def child_environment() -> dict[str, str]:
    """This environment, with goodwill importable by `python -m goodwill...` children
    (also when goodwill runs from a source folder rather than an installed package)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [_PACKAGE_PARENT, env.get("PYTHONPATH")]))
    return env
