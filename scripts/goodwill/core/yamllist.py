"""Load a long YAML list a slice of items at a time.

PyYAML builds a node (and two position marks) for every value of a document
before it constructs any of it; for 10,000 records that transient tree is
larger than the records themselves. A plain top-level list whose items start
with "- " at the start of a line can be parsed a slice of items at a time,
with the same result and the same line numbers. Anything unusual (anchors,
several documents, a flow list) is parsed whole, as before.
"""

from __future__ import annotations

import re
from pathlib import Path

from goodwill.core.errors import GoodwillError
from goodwill.core.textfile import read_text
from goodwill.core.yamlload import ANCHOR, parse_yaml

ITEMS_PER_SLICE = 500
_ITEM = re.compile(r"^-(?=[ \t]|$)", re.M)
_DOCUMENT_MARKERS = re.compile(r"^(?:---|\.\.\.|%)", re.M)
_FIRST_CONTENT = re.compile(r"^[ \t]*[^\s#]", re.M)


def load_yaml_list(path: Path):
    """What load_yaml_file(path) returns, using less memory for long plain lists."""
    text = read_text(path)
    slices = _slices(text)
    if slices is None:
        return parse_yaml(text, path)
    items: list = []
    try:
        for first_line, chunk in slices:
            items.extend(parse_yaml(chunk, path, first_line) or [])
    except GoodwillError:
        # A cut in the wrong place (say, a quoted value's continuation line that starts
        # with "- "), or a real mistake: the whole file decides, and reports it.
        return parse_yaml(text, path)
    return items


def _slices(text: str) -> list[tuple[int, str]] | None:
    first = _FIRST_CONTENT.search(text)
    if first is None or not _ITEM.match(text, first.start()):
        return None  # empty, or not a block list at the top
    if ANCHOR.search(text) or _DOCUMENT_MARKERS.search(text):
        return None  # aliases may cross slices; several documents are not one list
    starts = [m.start() for m in _ITEM.finditer(text)]
    if len(starts) <= ITEMS_PER_SLICE:
        return None
    cuts = [0, *starts[ITEMS_PER_SLICE::ITEMS_PER_SLICE], len(text)]
    slices, line = [], 1
    for begin, end in zip(cuts, cuts[1:], strict=False):
        slices.append((line, text[begin:end]))
        line += text.count("\n", begin, end)
    return slices
