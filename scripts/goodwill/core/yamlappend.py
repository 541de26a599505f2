"""Add records to the end of the user's YAML list, changing nothing above them.

The user's text stays byte for byte (comments, blank lines, quoting, line
endings); the new records are appended as block YAML. The result is checked
before anyone writes it: the appended text must parse back to exactly the new
records, and the file must still be one list.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

import yaml

from goodwill.core.errors import GoodwillError
from goodwill.core.yamlemit import dump_records, loaded_form, resolves_to_text, scalar_text
from goodwill.core.yamlload import parse_yaml

_FIRST_CONTENT = re.compile(r"^[ \t]*[^\s#]", re.M)
_DOCUMENT_MARKERS = re.compile(r"^(?:---|\.\.\.|%)", re.M)
_CLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def appended(raw: bytes, records: list[dict], path: Path, comment: str | None = None):
    """(new bytes, line of the first new record) with `records` added at the end."""
    bom = codecs.BOM_UTF8 if raw.startswith(codecs.BOM_UTF8) else b""
    try:
        old = raw[len(bom) :].decode("utf-8")
    except UnicodeDecodeError as exc:
        raise GoodwillError(
            f"not UTF-8 text (byte {exc.start})", path=path, hint="save it as UTF-8"
        ) from None
    newline = "\r\n" if "\r\n" in old else "\n"
    old = _without_empty_flow_list(old, path)
    if old and not old.endswith("\n"):
        old += newline
    head = "" if not comment else f"# {comment}{newline}"
    if old.strip() and not old.endswith(newline * 2):
        head = newline + head  # a blank line between what was there and what is new
    chunk = dump_records(records)
    if newline != "\n":
        chunk = chunk.replace("\n", newline)
    first_line = old.count("\n") + 1 + head.count("\n")
    new = old + head + chunk
    _verify(old, chunk, records, path, first_line)
    return bom + new.encode("utf-8"), first_line


def _without_empty_flow_list(old: str, path: Path) -> str:
    """The text with a lone `[]` removed; an error for a list not written in block style."""
    if _is_top_block_list(old):
        return old
    first = _FIRST_CONTENT.search(old)
    data = parse_yaml(old, path)
    if data is None:
        return old
    if data == [] and old[first.start() :].lstrip().startswith("[]"):
        start = first.start()
        end = old.index("]", start) + 1
        return old[:start] + old[end:].lstrip(" \t").removeprefix("\r").removeprefix("\n")
    raise GoodwillError(
        "this file is not written as a block list ('- id: ...' items)",
        path=path,
        line=old.count("\n", 0, first.start()) + 1,
        hint="rewrite it with one '- ' item per record, then run the command again",
    )


def _verify(old: str, chunk: str, records: list[dict], path: Path, first_line: int) -> None:
    """The new items must read back as written, and the old text must be a block list
    that they continue (else the whole file is parsed to make sure)."""
    expected = loaded_form(records)
    if _parsed_back(chunk) != _shape(records):
        raise GoodwillError("could not write these records safely; nothing was written", path=path)
    if _is_top_block_list(old) and not _DOCUMENT_MARKERS.search(old):
        return
    before = parse_yaml(old, path) or []
    try:
        after = parse_yaml(old + chunk, path)
    except GoodwillError:
        after = None
    if not isinstance(after, list) or after != [*before, *expected]:
        raise GoodwillError(
            "could not add the records without changing something else; nothing was written",
            path=path,
            hint="check that the file is one plain list of records",
        )


_EVENTS = {
    yaml.MappingStartEvent: "{",
    yaml.MappingEndEvent: "}",
    yaml.SequenceStartEvent: "[",
    yaml.SequenceEndEvent: "]",
}


def _parsed_back(chunk: str) -> list | None:
    """The chunk as the C parser reads it: structure marks and scalars, each plain
    scalar with the type a loader gives it (parsing only: fast on long lists)."""
    shape: list = []
    try:
        for event in yaml.parse(chunk, Loader=_CLoader):
            mark = _EVENTS.get(type(event))
            if mark:
                shape.append(mark)
            elif isinstance(event, yaml.ScalarEvent):
                text = event.value
                shape.append(text if event.style or resolves_to_text(text) else ("typed", text))
    except yaml.YAMLError:
        return None
    return shape


def _shape(value, out: list | None = None) -> list:
    """What _parsed_back must give for `value`: numbers, dates and true/false are
    plain typed scalars, text is text."""
    out = [] if out is None else out
    if isinstance(value, dict):
        out.append("{")
        for key, item in value.items():
            out.append(str(key))
            _shape(item, out)
        out.append("}")
    elif isinstance(value, (list, tuple)):
        out.append("[")
        for item in value:
            _shape(item, out)
        out.append("]")
    elif isinstance(value, str):
        out.append(value)
    else:
        out.append(("typed", scalar_text(value)))
    return out


def _is_top_block_list(text: str) -> bool:
    """Empty, or its first content is a '- ' item at column 0."""
    first = _FIRST_CONTENT.search(text)
    return first is None or (first.end() - 1 == first.start() and text[first.start()] == "-")
