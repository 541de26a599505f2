"""Write a date into the user's record files, changing nothing else.

The user's YAML is theirs: comments, blank lines, key order, quoting and line
endings stay byte for byte. Each edit touches one value (or adds one line),
found by the positions PyYAML reports; the result is parsed again and must
equal the old data plus the new dates before it atomically replaces the file.
"""

from __future__ import annotations

import codecs
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from goodwill.core.errors import GoodwillError
from goodwill.core.outdir import write_atomic
from goodwill.core.textfile import read_text
from goodwill.core.yamlemit import flow_text, loaded_form
from goodwill.core.yamlload import SafeBase, parse_yaml

_EMPTY = {"", "~", "null", "Null", "NULL"}


@dataclass(frozen=True)
class DateEdit:
    record_id: str
    key: str  # thanked, outcome_reported or last_contact
    day: dt.date
    overwrite: bool = False  # False: leave a date that is already there

    @property
    def text(self) -> str:
        return self.day.isoformat()

    parsed = text  # what the file reads back as (dates stay text)


@dataclass(frozen=True)
class ValueEdit:
    """Fill in one field: text, a number, a list of text or a mapping of those, written
    on one line in flow style, e.g. `emails: [a@b.example]`."""

    record_id: str
    key: str
    value: object
    overwrite: bool = False

    @property
    def text(self) -> str:
        return flow_text(self.value)

    @property
    def parsed(self):
        return loaded_form(self.value)


@dataclass(frozen=True)
class Applied:
    edit: DateEdit | ValueEdit
    path: Path
    line: int
    previous: str | None  # the date that was there (overwrite), or None


def set_dates(
    changes: dict[Path, list[DateEdit | ValueEdit]], write: bool = True, id_key: str = "id"
) -> list[Applied]:
    """Apply every edit, file by file; all files are prepared before any is written.

    `write=False` prepares and checks every edit, and writes nothing (a dry run).
    Records are found by the value of their `id_key` field (`email` in subscribers.yaml)."""
    prepared = []
    for path, edits in changes.items():
        data, applied = edit_text(path, edits, id_key)
        if applied:
            prepared.append((path, data, applied))
    for path, data, _ in prepared if write else ():
        write_atomic(path, data)
    return [a for _, _, applied in prepared for a in applied]


def edit_text(
    path: Path, edits: list[DateEdit | ValueEdit], id_key: str = "id"
) -> tuple[bytes, list[Applied]]:
    """The file's new bytes with the edits made, and which edits changed something."""
    read_text(path)  # size cap and UTF-8 check, with their clear errors
    raw = path.read_bytes()
    bom = codecs.BOM_UTF8 if raw.startswith(codecs.BOM_UTF8) else b""
    text = raw[len(bom) :].decode("utf-8")
    records = _records_by_id(text, path, id_key)
    newline = "\r\n" if "\r\n" in text else "\n"
    changes = []
    for edit in edits:
        node = records.get(edit.record_id)
        if node is None:
            raise GoodwillError(
                f"record '{edit.record_id}' is no longer in this file",
                path=path,
                hint="run the command again",
            )
        change, previous = _change_for(text, node, edit, newline, path)
        if change is not None:
            changes.append((change, edit, previous))
    changes.sort(key=lambda item: item[0][0])
    applied: list[Applied] = []
    added = 0  # lines inserted above, to report each edit's line in the new file
    for (start, _, new), edit, previous in changes:
        line = text.count("\n", 0, start) + 1 + added
        applied.append(Applied(edit, path, line, previous))
        added += new.count("\n")
    old = text
    for (start, end, new), _, _ in reversed(changes):
        text = text[:start] + new + text[end:]
    if applied:
        _verify(old, text, applied, path, id_key)
    return bom + text.encode("utf-8"), applied


def _records_by_id(text: str, path: Path, id_key: str) -> dict[str, MappingNode]:
    try:
        root = yaml.compose(text, Loader=SafeBase)
    except yaml.YAMLError as exc:
        raise GoodwillError(f"not valid YAML: {exc}", path=path) from None
    if not isinstance(root, SequenceNode):
        raise GoodwillError("expected a list of records", path=path)
    found = {}
    for item in root.value:
        if isinstance(item, MappingNode):
            for key, value in item.value:
                if key.value == id_key and isinstance(value, ScalarNode):
                    found[value.value] = item
    return found


def _change_for(text: str, node: MappingNode, edit: DateEdit, newline: str, path: Path):
    """((start, end, replacement), previous value) for one edit; (None, None) when the
    date is already there."""
    new = edit.text
    for key, value in node.value:
        if key.value != edit.key:
            continue
        if not isinstance(value, ScalarNode) or value.start_mark.line != key.start_mark.line:
            raise GoodwillError(
                f"record '{edit.record_id}': {edit.key}: cannot update this value safely",
                path=path,
                line=key.start_mark.line + 1,
                hint=f"write it as `{edit.key}: {new}` on one line",
            )
        current = text[value.start_mark.index : value.end_mark.index]
        if current.strip() not in _EMPTY:
            if not edit.overwrite or current == new:
                return None, None
            return (value.start_mark.index, value.end_mark.index, new), current
        colon = text.index(":", key.end_mark.index)
        return (colon + 1, value.end_mark.index, " " + new), None
    if node.flow_style:
        close = node.end_mark.index - 1
        if text[close] != "}":
            raise GoodwillError(
                f"record '{edit.record_id}': cannot add {edit.key} safely",
                path=path,
                line=node.start_mark.line + 1,
            )
        return (close, close, f", {edit.key}: {new}"), None
    indent = " " * node.value[0][0].start_mark.column
    end = _content_end(text, node)
    line_end = text.find("\n", end)
    if line_end == -1:  # the last line of the file has no line break
        return (len(text), len(text), f"{newline}{indent}{edit.key}: {new}{newline}"), None
    return (line_end + 1, line_end + 1, f"{indent}{edit.key}: {new}{newline}"), None


def _content_end(text: str, node) -> int:
    """Where the record's last value ends (block collections end at the next token,
    which can lie after comments and blank lines that belong to the next record)."""
    end = node.start_mark.index
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, ScalarNode) and current.style in ("|", ">"):
            end = max(end, _block_scalar_end(text, current))
        elif isinstance(current, ScalarNode) or current.flow_style:
            end = max(end, current.end_mark.index)
        elif isinstance(current, MappingNode):
            stack.extend(n for pair in current.value for n in pair)
        else:
            stack.extend(current.value)
    return end


def _block_scalar_end(text: str, node: ScalarNode) -> int:
    """The end of a | or > block's last content line (its token runs on over the blank
    and comment lines after it)."""
    start, stop = node.start_mark.index, node.end_mark.index
    header_end = text.find("\n", start, stop)
    if header_end == -1:
        return stop
    keep = "+" in text[start:header_end]  # |+ keeps trailing blank lines as content
    end, indent, position = header_end, None, header_end + 1
    for line in text[header_end + 1 : stop].split("\n"):
        stripped = line.strip()
        width = len(line) - len(line.lstrip(" "))
        if stripped and indent is None:
            indent = width
        if stripped and indent is not None and width < indent:
            break  # a comment after the block
        if stripped or keep:
            end = position + len(line)
        position += len(line) + 1
    return min(end, stop)


def _verify(old: str, new: str, applied: list[Applied], path: Path, id_key: str) -> None:
    """The new text must parse to the old data plus exactly the new dates."""
    before, after = parse_yaml(old, path), parse_yaml(new, path)
    for item in before:
        if isinstance(item, dict):
            for done in applied:
                if item.get(id_key) == done.edit.record_id:
                    item[done.edit.key] = done.edit.parsed
    if _plain(before) != _plain(after):
        raise GoodwillError(
            "could not add the dates without changing something else; nothing was written",
            path=path,
            hint=f"add them by hand, e.g. `{applied[0].edit.key}: {applied[0].edit.text}`",
        )


def _plain(value):
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value
