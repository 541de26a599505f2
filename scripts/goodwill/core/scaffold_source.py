"""Where the shipped demo project (and the default templates) live.

A wheel carries it as `goodwill/scaffold/`; a source checkout (editable
install) uses the repository itself, so there is one copy of each file.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parents[1]  # the goodwill package


def scaffold_root() -> Path:
    packaged = _PACKAGE / "scaffold"
    if (packaged / "mkdocs.yml").is_file():
        return packaged
    checkout = _PACKAGE.parents[1]
    if (checkout / "mkdocs.yml").is_file() and (checkout / "templates").is_dir():
        return checkout
    raise FileNotFoundError(f"goodwill's shipped project files are missing from {_PACKAGE}")


def default_templates_dir() -> Path:
    return scaffold_root() / "templates"
