"""The digest's clock: real UTC time, or noon of GOODWILL_TODAY when that freezes the date."""

from __future__ import annotations

import datetime as dt
import os

from goodwill.core.dates import today


def now_utc() -> dt.datetime:
    """The current time in UTC (tests and reproducible runs freeze it with GOODWILL_TODAY)."""
    if os.environ.get("GOODWILL_TODAY"):
        return dt.datetime.combine(today(), dt.time(12, 0), tzinfo=dt.UTC)
    return dt.datetime.now(dt.UTC)
