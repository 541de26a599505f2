"""Add records to the end of the user's YAML list, changing nothing above them.

The user's text stays byte for byte (comments, blank lines, quoting, line
endings); the new records are appended as block YAML. The result is checked
before anyone writes it: the appended text must parse back to exactly the new
records, and the file must still be one list.
"""

from __future__ import annotations

import codecs
import datetime as dt
import re
from pathlib import Path

import yaml

from goodwill.core.errors import GoodwillError
from goodwill.core.yamlload import parse_yaml

_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
_FIRST_CONTENT = re.compile(r"^[ \t]*[^\s#]", re.M)
_DOCUMENT_MARKERS = re.compile(r"^(?:---|\.\.\.|%)", re.M)
_ITEM_AFTER_FIRST = re.compile(r"\n- ")  # only top-level items start a line with "- "


class _RecordDumper(_Dumper):
    """Block style; notes with line breaks as `|` blocks, as a person would write them."""


def _text(dumper, value: str):
    style = "|" if "\n" in value.strip("\n") else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_RecordDumper.add_representer(str, _text)
_RecordDumper.add_representer(tuple, _RecordDumper.represent_list)


def dump_records(records: list[dict]) -> str:
    """The records as a block YAML list, keys in the order given, a blank line between."""
    if not records:
        return ""
    text = yaml.dump(
        records,
        Dumper=_RecordDumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=88,
    )
    return _ITEM_AFTER_FIRST.sub("\n\n- ", text)


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
    expected = _plain(records)
    if parse_yaml(chunk, path, first_line) != expected:
        raise GoodwillError("could not write these records safely; nothing was written", path=path)
    if _is_top_block_list(old) and not _DOCUMENT_MARKERS.search(old):
        return
    before = parse_yaml(old, path) or []
    after = parse_yaml(old + chunk, path)
    if not isinstance(after, list) or after != [*before, *expected]:
        raise GoodwillError(
            "could not add the records without changing something else; nothing was written",
            path=path,
            hint="check that the file is one plain list of records",
        )


def _is_top_block_list(text: str) -> bool:
    """Empty, or its first content is a '- ' item at column 0."""
    first = _FIRST_CONTENT.search(text)
    return first is None or (first.end() - 1 == first.start() and text[first.start()] == "-")


def _plain(value):
    """What our loader gives back for a dumped value (dates stay text)."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, (int, float)):
        return value
    return str(value)
