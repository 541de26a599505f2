"""The fields of contacts, referrals and interactions, and how each one is checked.

A checker takes the raw YAML value and returns the clean value, or raises
FieldError saying what is wrong and how to fix it. Checkers run on every field
of every record, so they are kept cheap.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from urllib.parse import urlsplit

from goodwill.core.dates import parse_date
from goodwill.core.errors import did_you_mean, unknown_key_hint

DIRECTIONS = ("received", "given")
STATUSES = ("new", "contacted", "won", "lost")
CLOSED_STATUSES = ("won", "lost")
OPEN_STATUSES = ("new", "contacted")
INTERACTION_KINDS = ("met", "call", "email", "message", "gift", "intro", "event")
ADDRESS_FIELDS = ("lines", "city", "region", "postcode", "country")
CUSTOM_PREFIX = "x_"  # custom fields (x_birthday: ...) are kept and never checked


class FieldError(Exception):
    """One field's value is wrong; `line` overrides the field's own line (nested keys)."""

    def __init__(self, message: str, hint: str = "", line: int | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.line = line


@dataclass(frozen=True)
class Address:
    lines: tuple[str, ...]
    city: str = ""
    region: str = ""
    postcode: str = ""
    country: str = ""


def _type_name(value) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def text(value) -> str:
    if type(value) is str:
        stripped = value.strip()
        if stripped:
            return stripped
        raise FieldError("is empty", "write some text, or remove the line")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        raise FieldError(
            f"expected text, got {_type_name(value)} ({value!r})",
            f'put it in quotes, e.g. "{value}" (unquoted numbers lose leading zeros)',
        )
    raise FieldError(f"expected text, got {_type_name(value)}", "write it as one line of text")


def record_id(value) -> str:
    value = text(value)
    if "\n" in value:
        raise FieldError("must be on one line", "use a short id such as 2026-11-02-acme")
    return value


def email(value) -> str:
    value = text(value)
    name, at, domain = value.partition("@")
    if not (name and at and "." in domain) or " " in value:
        raise FieldError(
            f"'{value}' does not look like an e-mail address", "e.g. maria@example.com"
        )
    return value


def flag(value) -> bool:
    if isinstance(value, bool):
        return value
    raise FieldError(f"expected true or false, got {value!r}", "write e.g. subscribe: true")


def web_address(value) -> str:
    """An http(s) URL (a contact's own feed or site)."""
    value = text(value)
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError when out of range
    except ValueError:
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        raise FieldError(
            f"'{value}' is not an http(s) address", "e.g. https://example.com/feed.xml"
        )
    if any(c.isspace() for c in value):
        raise FieldError(f"'{value}' contains spaces", "encode spaces as %20")
    return value


def date(value) -> dt.date:
    if type(value) is str and len(value) == 10:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass  # parse_date below explains what is wrong
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        raise FieldError(f"expected a date, got a number ({value!r})", "write it as YYYY-MM-DD")
    try:
        return parse_date(value)
    except ValueError as exc:
        raise FieldError(str(exc), "write it as YYYY-MM-DD, e.g. 2026-11-02") from None


def amount(value) -> float | int:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise FieldError(
            f"expected a number, got {_type_name(value)} ({value!r})",
            "write a plain number without currency or separators, e.g. 4800",
        )
    if not math.isfinite(value):
        raise FieldError(
            f"expected a number, got {value!r}", "write the value of the business, e.g. 4800"
        )
    if value < 0:
        raise FieldError(
            f"cannot be negative ({value})", "write the value of the business, e.g. 4800"
        )
    return value


def tags(value) -> tuple[str, ...]:
    if type(value) is str:
        return tuple(part.strip() for part in value.split(",") if part.strip())
    if isinstance(value, list) and all(type(v) is str for v in value):
        return tuple(v.strip() for v in value if v.strip())
    raise FieldError("expected a list of text", "write e.g. tags: [accountant, bni]")


def emails(value) -> tuple[str, ...]:
    """More e-mail addresses besides `email` (a list, or one address)."""
    items = [value] if type(value) is str else value
    if not isinstance(items, list):
        raise FieldError("expected a list of e-mail addresses", "e.g. emails: [maria@home.example]")
    return tuple(email(item) for item in items)


def phones(value) -> tuple[str, ...]:
    """More phone numbers besides `phone` (a list, or one number)."""
    items = [value] if type(value) is str else value
    if not isinstance(items, list):
        raise FieldError("expected a list of phone numbers", 'e.g. phones: ["+44 20 7946 0000"]')
    return tuple(text(item) for item in items)


def _choice(choices: tuple[str, ...]):
    def check(value) -> str:
        if value in choices:
            return value
        raise FieldError(
            f"'{value}' is not one of {', '.join(choices)}", did_you_mean(value, choices)
        )

    return check


def address(value) -> Address:
    """A mapping (lines, city, region, postcode, country) or a plain list of lines."""
    if isinstance(value, list):
        return Address(lines=_address_lines(value))
    if not isinstance(value, dict):
        raise FieldError(
            f"expected a mapping, got {_type_name(value)}",
            "write lines: [...], city:, postcode:, country: indented under address:",
        )
    for key in value:
        if key not in ADDRESS_FIELDS:
            hint = unknown_key_hint(key, ADDRESS_FIELDS)
            raise FieldError(f"unknown address field '{key}'", hint, _line(value, key))
    if value.get("lines") is None:
        raise FieldError(
            "lines is missing", "add the street lines, e.g. lines: [12 Harbour Street]", value.line
        )
    parts = {}
    for key in ADDRESS_FIELDS[1:]:
        if value.get(key) is not None:
            try:
                parts[key] = text(value[key])
            except FieldError as exc:
                raise FieldError(f"{key}: {exc.message}", exc.hint, _line(value, key)) from None
    try:
        lines = _address_lines(value["lines"])
    except FieldError as exc:
        raise FieldError(exc.message, exc.hint, _line(value, "lines")) from None
    return Address(lines=lines, **parts)


def _address_lines(value) -> tuple[str, ...]:
    if type(value) is str:
        value = [value]
    if not isinstance(value, list) or not value:
        raise FieldError("lines: expected a list of text", "e.g. lines: [12 Harbour Street]")
    try:
        return tuple(text(line) for line in value)
    except FieldError as exc:
        raise FieldError(f"lines: {exc.message}", exc.hint) from None


def _line(mapping, key) -> int | None:
    line_of = getattr(mapping, "line_of", None)
    return line_of(key) if line_of else None


@dataclass(frozen=True)
class Schema:
    kind: str  # "contact", "referral" or "interaction"
    fields: dict  # YAML key -> checker
    required: tuple[str, ...]
    example: str  # shown in the hint for a missing field


CONTACT = Schema(
    kind="contact",
    fields={
        "id": record_id,
        "name": text,
        "salutation": text,
        "first_name": text,
        "company": text,
        "role": text,
        "email": email,
        "emails": emails,
        "phone": text,
        "phones": phones,
        "address": address,
        "tags": tags,
        "how_we_met": text,
        "notes": text,
        "gift_preferences": text,
        "last_contact": date,
        "subscribe": flag,  # gets the digest by e-mail (digest/subscribers.py)
        "feed": web_address,  # their own blog: fetched, shown under "From our network"
    },
    required=("id", "name"),
    example="id: maria-lopez / name: Maria Lopez",
)

REFERRAL = Schema(
    kind="referral",
    fields={
        "id": record_id,
        "date": date,
        "direction": _choice(DIRECTIONS),
        "contact": record_id,
        "referred": text,
        "for": text,
        "status": _choice(STATUSES),
        "value": amount,
        "closed": date,
        "thanked": date,
        "outcome_reported": date,
        "gift": text,
        "outcome": text,
        "ps": text,
        "notes": text,
    },
    required=("id", "date", "direction", "contact", "referred", "for"),
    example="id: 2026-11-02-acme / date: 2026-11-02 / direction: received / contact: maria-lopez",
)

# An interaction needs no id: nothing refers to one, and `goodwill log` stays one line.
INTERACTION = Schema(
    kind="interaction",
    fields={
        "date": date,
        "contact": record_id,
        "kind": _choice(INTERACTION_KINDS),
        "note": text,
    },
    required=("date", "contact", "kind"),
    example="date: 2026-11-20 / contact: maria-lopez / kind: call / note: ...",
)

MISSING_HINTS = {
    "id": "give every record a unique id, e.g. id: maria-lopez",
    "name": "add the person's full name, e.g. name: Maria Lopez",
    "date": "add the day it happened, e.g. date: 2026-11-02",
    "direction": "add direction: received (they sent you business) or given",
    "contact": "add the id of the contact from your contacts file",
    "referred": "add who was referred, e.g. referred: Dan Park, HR director at Acme Ltd",
    "for": "add what they needed, e.g. for: leadership coaching for new managers",
    "kind": "add what it was: kind: " + ", ".join(INTERACTION_KINDS),
}
