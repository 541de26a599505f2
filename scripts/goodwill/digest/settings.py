"""The `digest:` section of goodwill.yml: defaults and validation."""

from __future__ import annotations

from dataclasses import dataclass

from goodwill.core.errors import Collector, unknown_key_hint
from goodwill.core.project import Project
from goodwill.core.settings import load_settings


@dataclass(frozen=True)
class DigestSettings:
    title: str = "Goodwill digest #{number}"
    group_by: str = "tag"  # or "source"
    summary_chars: int = 300
    max_items: int = 10  # newest entries per source in one issue
    concurrency: int = 16  # simultaneous connections while fetching
    timeout: float = 10.0  # seconds for the whole download of one feed
    max_mb: float = 5.0  # size cap per feed, enforced while streaming
    parse_processes: int = 0  # 0: one per core when there are many feeds, else in-process

    @property
    def max_bytes(self) -> int:
        return int(self.max_mb * 1024 * 1024)


SUBSECTIONS = ("smtp",)
_FIELDS = {
    "title": (str, None),
    "group_by": (str, ("tag", "source")),
    "summary_chars": (int, (40, 5000)),
    "max_items": (int, (1, 1000)),
    "concurrency": (int, (1, 64)),
    "timeout": ((int, float), (0.1, 600)),
    "max_mb": ((int, float), (0.01, 1024)),
    "parse_processes": (int, (0, 64)),
}


def load_digest_settings(project: Project, problems: Collector) -> DigestSettings:
    """The validated digest settings; bad values are reported and replaced by defaults.

    Problems of goodwill.yml as a whole (unknown sections) are the settings check's to report.
    """
    data = load_settings(project, Collector())
    section = data.get("digest")
    path = project.settings_file
    if section is None:
        return DigestSettings()
    if not isinstance(section, dict):
        problems.error(
            path,
            data.line_of("digest"),
            "digest: must be a mapping of options",
            "e.g. `digest:` then `  group_by: source` on the next line",
        )
        return DigestSettings()
    values = {}
    for key, value in section.items():
        line = section.line_of(key)
        if key in SUBSECTIONS:  # validated by their own modules (smtp: digest/smtp_settings.py)
            continue
        if key not in _FIELDS:
            hint = unknown_key_hint(key, [*_FIELDS, *SUBSECTIONS])
            problems.warning(path, line, f"digest: unknown option '{key}'", hint)
            continue
        kind, allowed = _FIELDS[key]
        if isinstance(value, bool) or not isinstance(value, kind):
            problems.error(path, line, f"digest.{key}: expected {_kind_name(kind)}, got {value!r}")
            continue
        if isinstance(allowed, tuple) and isinstance(allowed[0], str) and value not in allowed:
            problems.error(
                path, line, f"digest.{key}: must be one of {', '.join(allowed)}", f"got {value!r}"
            )
            continue
        if isinstance(allowed, tuple) and not isinstance(allowed[0], str):
            low, high = allowed
            if not low <= value <= high:
                problems.error(
                    path, line, f"digest.{key}: must be between {low} and {high}", f"got {value!r}"
                )
                continue
        if key == "title" and not _title_pattern_ok(value):
            problems.error(
                path,
                line,
                "digest.title: not a usable pattern",
                "use {number} and {date}, e.g. 'Goodwill digest #{number}'",
            )
            continue
        values[key] = float(value) if key in ("timeout", "max_mb") else value
    return DigestSettings(**values)


def _kind_name(kind) -> str:
    return "a number" if isinstance(kind, tuple) else {str: "text", int: "a whole number"}[kind]


def _title_pattern_ok(pattern: str) -> bool:
    try:
        pattern.format(number=1, date="2026-01-01")
    except (KeyError, IndexError, ValueError):
        return False
    return bool(pattern.strip())
