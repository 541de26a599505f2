"""Write records as YAML the way a person would: block mappings, short lists in
brackets (`tags: [accountant, bni]`), text unquoted unless it has to be, notes
with line breaks as `|-` blocks.

Faster than PyYAML's dumper for many small records (its representer runs in
Python per value); callers parse the result back to check it.
"""

from __future__ import annotations

import datetime as dt
import json
import re

import yaml

_STR = "tag:yaml.org,2002:str"
_IMPLICIT = {
    first: tuple(rx for tag, rx in resolvers if tag != _STR)
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_INDICATORS = set("-?:,[]{}#&*!|>'\"%@`")
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff]|: |:$| #")
_FLOW_UNSAFE = re.compile(r"[,\[\]{}]")


def dump_records(records: list[dict]) -> str:
    """A block list of the records, a blank line between them, keys in the order given."""
    return "\n".join("".join(_mapping(record, 2, item=True)) for record in records)


def _mapping(mapping: dict, indent: int, item: bool = False):
    """Lines of a block mapping at `indent`; `item`: it is a list item ("- " before it)."""
    pad = " " * indent
    for number, (key, value) in enumerate(mapping.items()):
        lead = pad[:-2] + "- " if item and number == 0 else pad
        name = key if _plain_ok(str(key), flow=False) else json.dumps(str(key), ensure_ascii=False)
        if isinstance(value, dict) and value:
            yield f"{lead}{name}:\n"
            yield from _mapping(value, indent + 2)
        elif isinstance(value, (list, tuple)) and not all(_is_scalar(v) for v in value):
            yield f"{lead}{name}:\n"
            for entry in value:
                if isinstance(entry, dict) and entry:
                    yield from _mapping(entry, indent + 4, item=True)
                else:
                    yield f"{pad}  - {_flow(entry)}\n"
        elif isinstance(value, (list, tuple)):
            yield f"{lead}{name}: [{', '.join(_flow(v) for v in value)}]\n"
        else:
            yield f"{lead}{name}: {_block(value, indent + 2)}\n"


def flow_text(value) -> str:
    """One value on one line: `[a, b]`, `{lines: [14 Queen Square], city: Bristol}`."""
    if isinstance(value, dict):
        items = (f"{_flow(str(k))}: {flow_text(v)}" for k, v in value.items())
        return "{" + ", ".join(items) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(flow_text(v) for v in value) + "]"
    return _flow(value)


def loaded_form(value):
    """What the project's YAML loader gives back for a written value (dates stay text)."""
    if isinstance(value, dict):
        return {str(k): loaded_form(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [loaded_form(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _is_scalar(value) -> bool:
    return not isinstance(value, (dict, list, tuple))


def _block(value, indent: int) -> str:
    if isinstance(value, str) and "\n" in value and _literal_ok(value):
        pad = " " * indent
        return "|-\n" + "\n".join(pad + line if line else "" for line in value.split("\n"))
    return _scalar(value, flow=False)


def _flow(value) -> str:
    return _scalar(value, flow=True)


def scalar_text(value) -> str:
    """How a number, a date, true/false or null is written (plain, typed by YAML)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    return value.isoformat()


def resolves_to_text(text: str) -> bool:
    """True when YAML reads this plain scalar as text (not a number, date, bool...)."""
    return not any(rx.match(text) for rx in _IMPLICIT.get(text[:1], ()))


def _scalar(value, flow: bool) -> str:
    if not isinstance(value, str):
        return scalar_text(value)
    return value if _plain_ok(value, flow) else json.dumps(value, ensure_ascii=False)


def _plain_ok(text: str, flow: bool) -> bool:
    """True when `text` reads back as the same text without quotes."""
    if not text or text != text.strip() or text[0] in _INDICATORS or _UNSAFE.search(text):
        return False
    if flow and _FLOW_UNSAFE.search(text):
        return False
    return resolves_to_text(text)


def _literal_ok(text: str) -> bool:
    lines = text.split("\n")
    return (
        not text.startswith((" ", "\t"))
        and not text.endswith("\n")
        and all(line == line.rstrip() for line in lines)
        and not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\r]", text)
    )
