"""CSV files of personal data that open safely in a spreadsheet."""

from __future__ import annotations

import csv
import io

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value) -> str:
    """Text a spreadsheet shows as text: a leading =, +, - or @ would run as a formula."""
    if value is None:
        return ""
    text = str(value)
    if text.startswith(_FORMULA_START) and not _is_number(text):
        return "'" + text
    return text


def to_csv(header: list[str], rows: list[list]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([[cell(v) for v in row] for row in rows])
    return buffer.getvalue()


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def uncell(text: str) -> str:
    """The original value of a cell written by `cell`."""
    if text.startswith("'") and text[1:].startswith(_FORMULA_START) and not _is_number(text[1:]):
        return text[1:]
    return text
