"""Dates as the user writes them, and a clock tests can freeze."""

from __future__ import annotations

import datetime as dt
import os

DATE_HINT = "write it as YYYY-MM-DD, e.g. 2026-11-02"
_FORMATS = (
    "%Y-%m-%d",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%dT%H:%M:%S",
)


def parse_date(value) -> dt.date:
    """Return a date from `2026-11-02` (or a datetime string); ValueError says why not."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        raise ValueError(f"expected a date like 2026-11-02, got {type(value).__name__} {value!r}")
    text = value.strip()
    for fmt in _FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    try:
        return dt.datetime.fromisoformat(text).date()
    except ValueError:
        pass
    raise ValueError(f"{value!r} is not a real date")


def today() -> dt.date:
    """Today's date; GOODWILL_TODAY=YYYY-MM-DD freezes it (tests, reproducible runs)."""
    frozen = os.environ.get("GOODWILL_TODAY")
    return parse_date(frozen) if frozen else dt.date.today()
