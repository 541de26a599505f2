"""The theme's templates compiled once and kept, as Python keeps compiled modules.

MkDocs compiles Material's templates again for every build: a tenth of a second or more,
whatever the site's size. Their compiled code is kept in the project's git-ignored state
folder; Jinja checks each template's source before reusing it, so an edited template (or
another Material version) is compiled afresh, and the code is filed under the settings of
the environment that compiled it (a plugin may change them), so it is only reused by an
environment that would compile it the same way. Previews keep theirs in memory instead.
"""

from __future__ import annotations

import contextlib
import hashlib
from pathlib import Path

import jinja2
from jinja2.bccache import Bucket

# What the code Jinja generates depends on, besides the template's own source.
_SETTINGS = (
    "block_start_string",
    "block_end_string",
    "variable_start_string",
    "variable_end_string",
    "comment_start_string",
    "comment_end_string",
    "line_statement_prefix",
    "line_comment_prefix",
    "trim_blocks",
    "lstrip_blocks",
    "newline_sequence",
    "keep_trailing_newline",
    "optimized",
    "is_async",
)

FOLDER = "compiled-templates"


class _KeptBytecode(jinja2.FileSystemBytecodeCache):
    """Filed by environment settings, template name and file; a damaged file is a miss."""

    def get_bucket(self, environment, name, filename, source) -> Bucket:
        key = self.get_cache_key(f"{_signature(environment, name)}|{name}", filename)
        bucket = Bucket(environment, key, self.get_source_checksum(source))
        self.load_bytecode(bucket)
        return bucket

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        with contextlib.suppress(OSError):  # a cache that cannot be written costs time only
            super().dump_bytecode(bucket)


def _signature(environment: jinja2.Environment, name: str) -> str:
    settings = [repr(getattr(environment, setting, None)) for setting in _SETTINGS]
    settings += sorted(environment.extensions)
    autoescape = environment.autoescape
    settings.append(repr(autoescape(name) if callable(autoescape) else autoescape))
    finalize = environment.finalize
    settings.append(getattr(finalize, "__qualname__", repr(finalize)))
    settings.append(f"{environment.undefined.__module__}.{environment.undefined.__qualname__}")
    return hashlib.sha256("\0".join(settings).encode("utf-8")).hexdigest()[:16]


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
