"""Contacts from vCard files (2.1, 3.0 and 4.0, as Google, Apple and Outlook export them).

vobject parses each card. The file is only cut at its BEGIN:VCARD / END:VCARD
lines first, so that one broken card is reported at its own line and skipped
while the others still import.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import vobject

_BEGIN = re.compile(r"^begin:vcard\s*$", re.I)
_END = re.compile(r"^end:vcard\s*$", re.I)
_QP_PROPERTY = re.compile(r"^[^:]*;(?:encoding=)?quoted-printable[;:]", re.I)
_APPLE_LABEL = re.compile(r"^_\$!<(.*)>!\$_$")
# Google's own groups, not the user's tags.
SYSTEM_GROUPS = {"mycontacts", "starred", "friends", "family", "coworkers"}


@dataclass
class Imported:
    """One person read from an address book: the fields of our contact schema."""

    line: int  # where the card or row starts in the file
    fields: dict = field(default_factory=dict)


@dataclass
class BadEntry:
    line: int
    message: str


def looks_like_vcard(text: str) -> bool:
    first = next((line for line in text.splitlines() if line.strip()), "")
    return bool(_BEGIN.match(first.strip()))


def read_vcards(text: str) -> tuple[list[Imported], list[BadEntry]]:
    people, bad = [], []
    for line, card, numbered in _cards(text, bad):
        try:
            fields = card_fields(vobject.readOne(card))
        except Exception as exc:  # noqa: BLE001 - any damaged card is that card's problem only
            reason = _short(exc)
            where = next((n for n, text in numbered if text and text.strip() in reason), line)
            bad.append(BadEntry(where, f"card (from line {line}) not readable: {reason}"))
            continue
        if not fields.get("name"):
            bad.append(BadEntry(line, "card has no name (FN, N or ORG), nor an e-mail address"))
            continue
        people.append(Imported(line, fields))
    return people, bad


def _cards(text: str, bad: list[BadEntry]):
    """(first line, text, numbered lines) of each BEGIN:VCARD ... END:VCARD block, with
    quoted-printable soft line breaks joined (vCard 2.1 writes them; vobject does not
    read them)."""
    start, lines, numbered = None, [], []
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if _BEGIN.match(stripped):
            if start is not None:
                bad.append(BadEntry(start, "card has no END:VCARD"))
            start, lines, numbered = number, [stripped], []
        elif start is None:
            if stripped:
                bad.append(BadEntry(number, "text outside a BEGIN:VCARD ... END:VCARD card"))
        elif _END.match(stripped):
            lines.append(stripped)
            yield start, "\r\n".join(_join_soft_breaks(lines)) + "\r\n", numbered
            start = None
        else:
            lines.append(line.rstrip("\r\n"))
            numbered.append((number, line))
    if start is not None:
        bad.append(BadEntry(start, "card has no END:VCARD"))


def _join_soft_breaks(lines: list[str]) -> list[str]:
    joined: list[str] = []
    carrying = False
    for line in lines:
        if carrying:
            joined[-1] = joined[-1][:-1] + line.lstrip()
        else:
            joined.append(line)
        carrying = joined[-1].endswith("=") and bool(_QP_PROPERTY.match(joined[-1]))
    return joined


def card_fields(card) -> dict:
    """A parsed card as contact fields (only the ones it has)."""
    out: dict = {}
    contents = card.contents
    name = _value(contents, "fn")
    structured = contents.get("n", [None])[0]
    given = family = prefix = ""
    if structured is not None and hasattr(structured.value, "given"):
        given = _join(structured.value.given)
        family = _join(structured.value.family)
        prefix = _join(structured.value.prefix)
    company = _first_part(contents.get("org", []))
    emails = _ordered(contents.get("email", []))
    name = name or " ".join(p for p in (given, family) if p) or company or ""
    if not name and emails:
        name = emails[0].split("@")[0]
    _put(out, "name", _clean(name))
    if given and given != name:
        _put(out, "first_name", given.split()[0])
    _put(out, "salutation", salutation(prefix, family))
    _put(out, "company", company)
    _put(out, "role", _value(contents, "title") or _value(contents, "role"))
    if emails:
        out["email"] = emails[0]
        if emails[1:]:
            out["emails"] = emails[1:]
    phones = [p.removeprefix("tel:") for p in _ordered(contents.get("tel", []))]
    if phones:
        out["phone"] = phones[0]
        if phones[1:]:
            out["phones"] = phones[1:]
    address = _address(contents.get("adr", []))
    if address:
        out["address"] = address
    tags = []
    for line in contents.get("categories", []):
        values = line.value if isinstance(line.value, list) else str(line.value).split(",")
        tags.extend(v.strip() for v in values if v and v.strip().casefold() not in SYSTEM_GROUPS)
    if tags:
        out["tags"] = list(dict.fromkeys(tags))
    _put(out, "notes", _value(contents, "note"))
    return out


def salutation(prefix: str, family: str) -> str:
    """'Dr Shah' from the name's prefix (Dr, Ms., Prof.), so letters greet them so."""
    prefix = prefix.strip()
    return f"{prefix} {family.strip()}" if prefix and family.strip() else ""


def _ordered(lines) -> list[str]:
    """Values, the preferred one first (TYPE=pref in 3.0, PREF=1 in 4.0), no repeats."""

    def preferred(line) -> bool:
        types = [t.lower() for value in line.params.get("TYPE", []) for t in value.split(",")]
        return "pref" in types or "1" in line.params.get("PREF", [])

    ranked = sorted(lines, key=lambda line: not preferred(line))
    values = [str(line.value).strip() for line in ranked if str(line.value).strip()]
    return list(dict.fromkeys(values))


def _address(lines) -> dict | None:
    for line in sorted(lines, key=lambda ln: "pref" not in str(ln.params).lower()):
        value = line.value
        street = [_join(getattr(value, key, "")) for key in ("box", "extended", "street")]
        street_lines = [part.strip() for chunk in street for part in chunk.splitlines()]
        street_lines = [part for part in street_lines if part]
        if not street_lines:
            continue
        address: dict = {"lines": street_lines}
        for ours, theirs in (
            ("city", "city"),
            ("region", "region"),
            ("postcode", "code"),
            ("country", "country"),
        ):
            _put(address, ours, _join(getattr(value, theirs, "")))
        return address
    return None


def _value(contents, key: str) -> str:
    lines = contents.get(key)
    if not lines:
        return ""
    value = lines[0].value
    return _clean(_join(value))


def _first_part(lines) -> str:
    if not lines:
        return ""
    value = lines[0].value
    if isinstance(value, list):
        value = next((part for part in value if part and part.strip()), "")
    return _clean(str(value))


def _join(value) -> str:
    if isinstance(value, (list, tuple)):
        return " ".join(str(v).strip() for v in value if v and str(v).strip())
    return str(value or "").strip()


def _clean(text: str) -> str:
    """Apple's `_$!<Other>!$_` labels and stray whitespace out; line breaks kept."""
    text = _APPLE_LABEL.sub(r"\1", text.strip())
    return "\n".join(line.strip() for line in text.replace("\r\n", "\n").split("\n")).strip()


def _put(out: dict, key: str, value) -> None:
    if value:
        out[key] = value


def _short(exc: Exception) -> str:
    text = getattr(exc, "message", None) or str(exc)
    text = re.sub(r"^At line \d+: ", "", str(text).strip())
    return (text.splitlines()[0] if text else type(exc).__name__)[:120]
