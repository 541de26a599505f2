"""One exception family: every problem carries a location and a next step.

The library raises; only `cli.py` turns these into messages and exit codes.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or suspicious) in the user's files."""

    path: Path | str | None
    line: int | None
    message: str
    hint: str = ""
    severity: str = "error"  # or "warning"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def format(self, root: Path | None = None) -> str:
        where = _display_path(self.path, root)
        if where and self.line:
            where = f"{where}:{self.line}"
        text = f"{where}: {self.message}" if where else self.message
        if self.severity == "warning":
            text = f"{where}: warning: {self.message}" if where else f"warning: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text


def _display_path(path: Path | str | None, root: Path | None) -> str:
    if path is None:
        return ""
    path = Path(path)
    if root is not None:
        try:
            # The folder resolved, not the name: a symbolic link is shown as itself.
            return str((path.parent.resolve() / path.name).relative_to(root.resolve()))
        except ValueError:
            pass
    return str(path)


class GoodwillError(Exception):
    """A user-facing failure: bad input, a refused action, a failed build."""

    def __init__(self, message: str, *, path=None, line=None, hint: str = ""):
        super().__init__(message)
        self.problem = Problem(path, line, message, hint)

    def format(self, root: Path | None = None) -> str:
        return self.problem.format(root)


class ValidationFailed(GoodwillError):
    """Several problems found at once; raised after collecting all of them."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        errors = [p for p in problems if p.is_error]
        super().__init__(f"{len(errors)} error(s) found")

    def format(self, root: Path | None = None) -> str:
        return "\n".join(p.format(root) for p in self.problems)


class Collector:
    """Gathers problems so a run can report all of them, then abort once."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def error(self, path, line, message, hint="") -> None:
        self.problems.append(Problem(path, line, message, hint, "error"))

    def warning(self, path, line, message, hint="") -> None:
        self.problems.append(Problem(path, line, message, hint, "warning"))

    def check_keys(self, path, mapping, known, label: str = "key") -> None:
        """Warn about keys written twice and keys not in `known` (with a did-you-mean)."""
        for key, line in getattr(mapping, "duplicate_keys", ()):
            self.warning(path, line, f"key '{key}' appears twice; the last one wins")
        for key in mapping:
            if key not in known:
                hint = unknown_key_hint(key, known)
                self.warning(path, mapping.line_of(key), f"unknown {label} '{key}'", hint)

    def extend(self, problems) -> None:
        self.problems.extend(problems)

    def sort(self) -> None:
        """Order by file, then line (stable: one line's problems keep their order)."""
        self.problems.sort(key=lambda p: (str(p.path or ""), p.line or 0))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]

    def raise_if_errors(self, strict: bool = False) -> None:
        """Abort once with every problem, if any is an error (or any at all under strict)."""
        if self.errors or (strict and self.problems):
            raise ValidationFailed(list(self.problems))


def did_you_mean(word, choices) -> str:
    """`did you mean 'x'?` for the closest choice, or "" when none is close."""
    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else ""


def unknown_key_hint(key, known) -> str:
    """The hint for an unknown key: the closest known one, or the whole list."""
    return did_you_mean(key, known) or "known: " + ", ".join(known)
