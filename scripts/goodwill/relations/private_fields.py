"""The private strings of every contact, read fast enough to run on every build.

The page scan needs each contact's e-mails, phones, street lines and notes.
Building full records costs seconds at 10,000 contacts (most of it constructing
values the scan never looks at), so this module walks libyaml's event stream and
keeps only those keys (the build runs it in a separate process while MkDocs
works: see guide/privacy_job). Anything unusual (aliases, merge keys, several
documents) falls back to the real loader for the whole file: slower, never less
complete. Invalid records still count: a broken contact's e-mail is as private
as a valid one's.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from yaml.events import (
    AliasEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)

from goodwill.core.textfile import read_text
from goodwill.core.yamllist import load_yaml_list
from goodwill.core.yamlload import LineDict, too_deep_at
from goodwill.relations.records import record_files
from goodwill.relations.schema import CONTACT

EMAIL_KEYS = ("email", "emails")
PHONE_KEYS = ("phone", "phones", "mobile")
KEPT_KEYS = frozenset(("id", *EMAIL_KEYS, *PHONE_KEYS, "address", "notes"))
_Parser = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class ContactSecrets:
    """What a contact's record holds that no public page may show."""

    id: str
    path: Path
    line: int
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    address_lines: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


class _Unusual(Exception):
    """The fast path does not handle this file: use the real loader."""


def read_contact_secrets(records_dir: Path, memo: dict | None = None) -> list[ContactSecrets]:
    """Every contact's private strings.

    `memo` (digest of one list item's text -> its strings, kept by the caller between
    runs) spares re-reading the items an edit did not touch; it is updated in place.
    Raises GoodwillError for a contacts file that cannot be read at all: a build
    must not go on without knowing what to look for.
    """
    found: list[ContactSecrets] = []
    fresh: dict = {}
    for path in contact_files(records_dir):
        text = read_text(path)
        if memo is not None:
            known = _read_by_item(text, path, memo, fresh)
            if known is not None:
                found.extend(known)
                continue
        try:
            if too_deep_at(text) is not None:
                raise _Unusual
            items = list(_items_fast(text))
        except (_Unusual, yaml.YAMLError, RecursionError):
            data = load_yaml_list(path)  # raises the proper path:line error if it is broken
            items = [item for item in data if isinstance(item, dict)] if data else []
        found.extend(_secrets(raw, path, position) for position, raw in enumerate(items, 1))
    if memo is not None:
        memo.clear()
        memo.update(fresh)  # only what the files hold now
    return found


_ITEM_START = re.compile(r"^-(?=[ \t]|$)", re.M)
# What ties one item to another (anchors, aliases, merge keys) or splits the file into
# several documents: such files are read whole. Separate patterns: one alternation of
# them all is several times slower on a large file.
_LINKED = (
    re.compile(r"[\s:,\[{-][&*][^\s&*]"),
    re.compile(r"\A[&*]|<<\s*:"),
    re.compile(r"^(?:---|\.\.\.|%)", re.M),
)


def _linked(text: str) -> bool:
    """Any of _LINKED; a plain `in` first, as each search of a large file costs more."""
    return (
        (("&" in text or "*" in text) and _LINKED[0].search(text) is not None)
        or ((text[:1] in ("&", "*") or "<<" in text) and _LINKED[1].search(text) is not None)
        or (("---" in text or "..." in text or "%" in text) and _LINKED[2].search(text) is not None)
    )


def _read_by_item(text: str, path: Path, memo: dict, fresh: dict) -> list | None:
    """The file's contacts, one top-level item at a time, reusing `memo`; None when
    the file is not a plain block list (the caller reads it whole)."""
    starts = [m.start() for m in _ITEM_START.finditer(text)]
    if not starts or _linked(text):
        return None
    if any(
        line.strip() and not line.lstrip().startswith("#")
        for line in text[: starts[0]].splitlines()
    ):
        return None
    found = []
    line = text.count("\n", 0, starts[0]) + 1
    ends = [*starts[1:], len(text)]
    chunks = [text[begin:end] for begin, end in zip(starts, ends, strict=True)]
    digests = [hashlib.blake2b(c.encode("utf-8"), digest_size=16).hexdigest() for c in chunks]
    new = sum(1 for d in digests if d not in memo)
    whole = _whole_list(text, len(chunks)) if new >= max(64, len(chunks) // 4) else None
    for position, (chunk, digest) in enumerate(zip(chunks, digests, strict=True), 1):
        values = memo.get(digest) or fresh.get(digest)
        if values is None and whole is not None:
            values = [vars(_secrets(whole[position - 1], path, position))]
            values[0]["path"] = ""
        if values is None:
            try:
                if too_deep_at(chunk) is not None:
                    raise _Unusual
                items = list(_items_fast(chunk))
            except (_Unusual, yaml.YAMLError, RecursionError):
                return None
            values = [vars(_secrets(raw, path, position)) for raw in items]
            for value in values:
                value["path"] = ""  # filled in below: the same text may move or be copied
        fresh[digest] = values
        for value in values:
            found.append(ContactSecrets(**{**value, "path": path, "line": line}))
        line += chunk.count("\n")
    return found


def _whole_list(text: str, count: int) -> list | None:
    """The items of the whole file in one parse (one parser per item costs more when
    most items are new), if there are exactly `count` of them, all mappings: then item
    N is the Nth chunk's, as the chunks would have been read one by one."""
    try:
        if too_deep_at(text) is not None:
            return None
        items = list(_items_fast(text))
    except (_Unusual, yaml.YAMLError, RecursionError):
        return None
    return items if len(items) == count else None


def contact_files(records_dir: Path) -> list[Path]:
    return [path for path, schema in record_files(records_dir) if schema is CONTACT]


def contact_stamps(files: list[Path]) -> dict[str, list[int]]:
    """Size, times and inode of each file: any edit (or replacement) changes them."""
    stamps = {}
    for path in files:
        info = path.stat()
        stamps[str(path)] = [info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino]
    return stamps


def _secrets(raw: dict, path: Path, position: int) -> ContactSecrets:
    rid = raw.get("id")
    secrets = ContactSecrets(rid if isinstance(rid, str) else f"#{position}", path, raw.line)
    for key in EMAIL_KEYS:
        secrets.emails += _strings(raw.get(key))
    for key in PHONE_KEYS:
        secrets.phones += _strings(raw.get(key))
    address = raw.get("address")
    secrets.address_lines = _strings(address.get("lines") if isinstance(address, dict) else address)
    secrets.notes = _strings(raw.get("notes"))
    return secrets


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value] if value.strip() else []
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    if isinstance(value, dict):
        return [s for item in value.values() for s in _strings(item)]
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return [str(value)]  # an unquoted phone number
    return []


def _items_fast(text: str):
    """A mapping of the kept keys for each item of a top-level list."""
    events = yaml.parse(text, Loader=_Parser)
    next(events)  # StreamStart
    first = next(events)
    if isinstance(first, StreamEndEvent):
        return
    start = next(events)
    if not isinstance(start, SequenceStartEvent):
        raise _Unusual  # not a list: the real loader explains
    while True:
        event = next(events)
        if isinstance(event, SequenceEndEvent):
            break
        if isinstance(event, MappingStartEvent):
            yield _item(events, event)
        else:
            _skip(events, event)
    next(events)  # DocumentEnd
    if not isinstance(next(events), StreamEndEvent):
        raise _Unusual  # several documents


def _item(events, start) -> LineDict:
    item = LineDict.empty(start.start_mark.line + 1)
    while True:
        key = next(events)
        if isinstance(key, MappingEndEvent):
            return item
        if not isinstance(key, ScalarEvent):
            raise _Unusual  # a complex key
        name = key.value
        if name == "<<":
            raise _Unusual  # merge keys: let the real loader expand them
        value = next(events)
        if name not in KEPT_KEYS:
            _skip(events, value)
            continue
        if name in item:
            item.duplicate_keys.append((name, key.start_mark.line + 1))
            item[name] = [item[name], _value(events, value)]  # both stay private
        else:
            item[name] = _value(events, value)
        item.key_lines[name] = key.start_mark.line + 1


_NULLS = frozenset(("", "~", "null", "Null", "NULL"))


def _value(events, event):
    if isinstance(event, ScalarEvent):
        plain = event.implicit[0]
        return None if plain and event.value in _NULLS else event.value
    if isinstance(event, SequenceStartEvent):
        values = []
        for inner in events:
            if isinstance(inner, SequenceEndEvent):
                return values
            values.append(_value(events, inner))
    if isinstance(event, MappingStartEvent):
        mapping = {}
        for inner in events:
            if isinstance(inner, MappingEndEvent):
                return mapping
            if not isinstance(inner, ScalarEvent):
                raise _Unusual
            mapping[inner.value] = _value(events, next(events))
    raise _Unusual  # an alias


def _skip(events, event) -> None:
    """Consume the rest of the node that `event` starts."""
    if isinstance(event, AliasEvent):
        raise _Unusual  # its value lives elsewhere in the file
    if not isinstance(event, (SequenceStartEvent, MappingStartEvent)):
        return
    depth = 1
    for inner in events:
        if isinstance(inner, (SequenceStartEvent, MappingStartEvent)):
            depth += 1
        elif isinstance(inner, (SequenceEndEvent, MappingEndEvent)):
            depth -= 1
            if depth == 0:
                return
        elif isinstance(inner, AliasEvent):
            raise _Unusual
