"""The theme's templates compiled once and kept, as Python keeps compiled modules.

MkDocs compiles Material's templates again for every build: about a fifth of a second,
whatever the site's size. Their compiled code is kept in the project's git-ignored state
folder; Jinja checks each template's source before reusing it, so an edited template (or
another Material version) is compiled afresh.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import jinja2
from jinja2.bccache import Bucket

FOLDER = "compiled-templates"


class _KeptBytecode(jinja2.FileSystemBytecodeCache):
    """A damaged file is a miss, never an error."""

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        with contextlib.suppress(OSError):  # a cache that cannot be written costs time only
            super().dump_bytecode(bucket)


def keep_compiled_templates(config, state_dir: Path) -> None:
    """Give every Jinja environment MkDocs makes for this build the kept compiled code."""
    folder = state_dir / FOLDER
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return  # a read-only project builds as before
    cache = _KeptBytecode(str(folder))
    theme = config.theme
    make_env = theme.get_env

    def get_env() -> jinja2.Environment:
        env = make_env()
        if env.bytecode_cache is None:
            env.bytecode_cache = cache
        return env

    theme.get_env = get_env
