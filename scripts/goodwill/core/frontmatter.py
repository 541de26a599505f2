"""Split a Markdown file into its YAML front matter and body."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from goodwill.core.errors import GoodwillError
from goodwill.core.textfile import read_text
from goodwill.core.yamlload import LineDict, parse_yaml


@dataclass
class SplitFile:
    meta: LineDict | None  # None: the file has no front matter at all
    body: str
    body_line: int  # 1-based line where the body starts


def split_front_matter(text: str, path: Path) -> SplitFile:
    """Return the parsed front matter (with line numbers) and the Markdown body."""
    if not text.startswith("---"):
        return SplitFile(None, text, 1)
    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        return SplitFile(None, text, 1)
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            yaml_text = "\n".join(lines[1:index])
            meta = parse_yaml(yaml_text, path, first_line=2)
            body = "\n".join(lines[index + 1 :])
            return SplitFile(meta if meta is not None else LineDict(), body, index + 2)
    raise GoodwillError(
        "front matter opened on line 1 is never closed",
        path=path,
        line=1,
        hint="add a line with --- after the last front matter key",
    )


def read_page_intro(path: Path | None, defaults: dict) -> tuple[str, dict]:
    """A hand-written page's body and front matter (over `defaults`); empty if absent."""
    meta = dict(defaults)
    if path is None or not path.is_file():
        return "", meta
    split = split_front_matter(read_text(path), path)
    meta.update(dict(split.meta or {}))
    return split.body.strip(), meta
