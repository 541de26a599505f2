"""Build the staged guide with Zensical, Material's successor, instead of MkDocs.

Optional: used when the `zensical` package is installed (`engine: zensical` under
`guide:` in goodwill.yml, or `goodwill build --engine zensical`). Zensical reads the same
mkdocs.yml, but panics on an absolute docs_dir: the pages are staged inside the project
and a copy of mkdocs.yml beside the original points at them with relative paths (so
relative settings such as the theme's custom_dir still resolve).
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

from goodwill.core.errors import GoodwillError
from goodwill.core.project import Project

STAGE_PREFIX = "zensical-stage-"
TIMEOUT = 600
_KEY = r"(?m)^{key}:.*$"
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_WARNING = re.compile(r"^(Warning|Error):\s*(.+)$", re.I)
_WHERE = re.compile(r"\[\s*([^\s\]]+?):(\d+)(?::\d+)?\s*\]")


def zensical_installed() -> bool:
    return importlib.util.find_spec("zensical") is not None


def engine_docs_dir(project: Project, work: Path) -> Path:
    """Where to stage for Zensical: inside the project, named after the build's work folder."""
    return project.state_dir / f"{STAGE_PREFIX}{work.name}" / "docs"


def require_zensical() -> None:
    if not zensical_installed():
        raise GoodwillError(
            "the zensical engine is not installed",
            hint="pip install 'zensical==0.0.73', or build with MkDocs (--engine mkdocs)",
        )


def run_zensical(project: Project, docs_dir: Path, site_dir: Path, strict: bool) -> list[str]:
    """Build `docs_dir` into `site_dir` with Zensical; returns its warnings."""
    require_zensical()
    config = project.root / f".goodwill-zensical-{os.getpid()}.yml"
    text = project.mkdocs_yml.read_text(encoding="utf-8")
    text = _set_key(text, "docs_dir", os.path.relpath(docs_dir, project.root))
    text = _set_key(text, "site_dir", os.path.relpath(site_dir, project.root))
    config.write_text(text, encoding="utf-8")
    command = [sys.executable, "-m", "zensical", "build", "--clean", "-f", config.name]
    if strict:
        command.append("--strict")
    try:
        run = subprocess.run(
            command, cwd=project.root, capture_output=True, text=True, timeout=TIMEOUT
        )
    except subprocess.TimeoutExpired:
        raise GoodwillError(f"Zensical did not finish within {TIMEOUT} s") from None
    finally:
        config.unlink(missing_ok=True)
    output = _ANSI.sub("", run.stdout + run.stderr).strip()
    if run.returncode != 0 or not (site_dir / "index.html").is_file():
        issues = _issues(output)
        last = "; ".join(issues) or (output.splitlines() or [f"exit code {run.returncode}"])[-1]
        raise GoodwillError(f"Zensical build failed: {last}", path=project.mkdocs_yml)
    return _issues(output)


def _issues(output: str) -> list[str]:
    """Zensical's boxed warnings as one line each: `docs path:line: message`."""
    issues = []
    lines = output.splitlines()
    for index, line in enumerate(lines):
        match = _WARNING.match(line.strip())
        if not match:
            continue
        where = next(
            (_WHERE.search(n) for n in lines[index + 1 : index + 3] if _WHERE.search(n)), None
        )
        place = f"{where.group(1)}:{where.group(2)}: " if where else ""
        issues.append(f"{place}{match.group(2)}")
    return issues


def _set_key(text: str, key: str, value: str) -> str:
    """Replace a top-level `key:` line, or add one; the rest of mkdocs.yml stays as written."""
    line = f"{key}: {value}"
    pattern = _KEY.format(key=key)
    if re.search(pattern, text):
        return re.sub(pattern, lambda _: line, text, count=1)
    return text.rstrip("\n") + f"\n{line}\n"
