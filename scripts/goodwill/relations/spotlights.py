"""Contacts who agreed to appear on the guide's Partners page (`spotlight:`).

The build needs them on every run, and they are few among thousands of
contacts: only the records whose text mentions `spotlight` are parsed (one list
item at a time, with the real loader and the contact schema). A file where that
cannot be done item by item is read whole.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from goodwill.core.dates import today
from goodwill.core.errors import Collector, GoodwillError
from goodwill.core.textfile import read_text
from goodwill.core.yamllist import load_yaml_list
from goodwill.core.yamlload import parse_yaml
from goodwill.relations.records import Contact, contact_from_raw, record_files
from goodwill.relations.schema import CONTACT

_KEY = "spotlight"  # YAML keys are case-sensitive: a plain find is enough, and fast
_ITEM_START = re.compile(r"^-(?=[ \t]|$)", re.M)


def find_spotlights(records_dir: Path, problems: Collector) -> list[Contact]:
    """Every valid contact with a spotlight (consented or not); problems collected."""
    found: list[Contact] = []
    for path, schema in record_files(records_dir):
        if schema is not CONTACT:
            continue
        text = read_text(path)
        if _KEY not in text:
            continue
        try:
            items = _mentioning_items(text, path)
        except GoodwillError:
            items = None
        if items is None:  # not a plain block list: the real loader reads it all
            try:
                data = load_yaml_list(path)
            except GoodwillError as exc:
                problems.extend([exc.problem])
                continue
            items = list(enumerate(data or [], start=1))
        for position, raw in items:
            if isinstance(raw, dict) and raw.get("spotlight") is not None:
                contact = contact_from_raw(raw, path, position, problems)
                if contact is not None:
                    found.append(contact)
    return found


def consented(contacts: list[Contact], on: dt.date | None = None) -> list[Contact]:
    """Those with a consent date that has come; a future date is not consent yet."""
    on = on or today()
    return [c for c in contacts if c.spotlight.consent and c.spotlight.consent <= on]


def _mentioning_items(text: str, path: Path):
    """(position, raw) of each list item whose text mentions a spotlight, or None."""
    starts = [m.start() for m in _ITEM_START.finditer(text)]
    head = text[: starts[0]].splitlines() if starts else ["not a block list"]
    if not all(not line.strip() or line.lstrip().startswith("#") for line in head):
        return None  # only comments may come before the first item
    items = []
    ends = [*starts[1:], len(text)]
    for position, (begin, end) in enumerate(zip(starts, ends, strict=True), start=1):
        if text.find(_KEY, begin, end) < 0:
            continue
        first_line = text.count("\n", 0, begin) + 1
        parsed = parse_yaml(text[begin:end], path, first_line)
        if not (isinstance(parsed, list) and len(parsed) == 1):
            return None
        items.append((position, parsed[0]))
    return items
