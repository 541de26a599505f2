"""`goodwill subscribers import FILE`: a newsletter service's CSV export, or one address a line.

Recognised by their columns: Mailchimp ("Email Address", "First Name", "Last Name";
its unsubscribed export has "UNSUB_TIME"), Buttondown ("email", "subscriber_type")
and Substack ("email", "email_disabled"), or any CSV with an email column. People
the export marks as unsubscribed are not imported; people on goodwill's suppression
list are never added back. Invalid addresses are reported at their line.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from email.utils import parseaddr
from pathlib import Path

from goodwill.core.dates import today
from goodwill.core.errors import Collector, Problem
from goodwill.core.project import Project
from goodwill.core.textfile import read_text
from goodwill.digest.subscribers import (
    address_key,
    address_problem,
    append_entries,
    load_subscribers,
    yaml_entry,
)

EMAIL_COLUMNS = ("email address", "email", "e-mail", "email_address", "e-mail address", "mail")
NAME_COLUMNS = ("name", "full name", "full_name", "display name")
FIRST_COLUMNS = ("first name", "first_name", "fname", "given name")
LAST_COLUMNS = ("last name", "last_name", "lname", "family name", "surname")
LEFT_TYPES = {"unsubscribed", "removed", "unactivated", "undeliverable", "spammy"}
_TRUE = {"true", "yes", "1", "t", "y"}


@dataclass
class Row:
    email: str
    name: str
    line: int
    left: bool = False  # the export marks them as unsubscribed or undeliverable


@dataclass
class ImportResult:
    kind: str  # "Mailchimp CSV", "plain list"...
    added: list[Row] = field(default_factory=list)
    already: list[Row] = field(default_factory=list)
    suppressed: list[Row] = field(default_factory=list)  # unsubscribed here: not added back
    left: list[Row] = field(default_factory=list)  # the export says they left
    rejected: list[Problem] = field(default_factory=list)


def import_subscribers(project: Project, path: Path, write: bool = True) -> ImportResult:
    """Add the new, valid, still-subscribed people of `path` to subscribers.yaml."""
    kind, rows, rejected = read_export(path)
    problems = Collector()
    current = load_subscribers(project, problems)
    problems.raise_if_errors()
    result = ImportResult(kind, rejected=rejected)
    known = {s.key for s in current.active}
    entries = []
    source = f"import {path.name}"
    for row in rows:
        key = address_key(row.email)
        if row.left:
            result.left.append(row)
        elif key in current.suppressed:
            result.suppressed.append(row)
        elif key in known:
            result.already.append(row)
        else:
            known.add(key)
            result.added.append(row)
            entries.append(yaml_entry(row.email, row.name, today(), source))
    if entries:
        append_entries(project, entries, write)
    return result


def read_export(path: Path) -> tuple[str, list[Row], list[Problem]]:
    """(what kind of file, its rows with valid addresses, the lines that were not)."""
    text = read_text(path)
    first = next((line for line in text.splitlines() if line.strip()), "")
    if "," in first or ";" in first or "\t" in first:
        return _read_csv(path, text)
    return "plain list", *_read_plain(path, text)


def _read_plain(path: Path, text: str) -> tuple[list[Row], list[Problem]]:
    rows, rejected = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        _add_row(rows, rejected, path, number, line, "")
    return rows, rejected


def _read_csv(path: Path, text: str) -> tuple[str, list[Row], list[Problem]]:
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    try:
        header = [h.strip().lstrip("\ufeff").lower() for h in next(reader)]
    except StopIteration:
        return "CSV", [], []
    email_at = _column(header, EMAIL_COLUMNS)
    if email_at is None:
        problem = Problem(
            path, 1, "no email column in this CSV file", "name a column 'email' or 'Email Address'"
        )
        return "CSV", [], [problem]
    kind = _kind(header)
    name_at, first_at, last_at = (
        _column(header, c) for c in (NAME_COLUMNS, FIRST_COLUMNS, LAST_COLUMNS)
    )
    rows: list[Row] = []
    rejected: list[Problem] = []
    for values in reader:
        line = reader.line_num
        if not any(v.strip() for v in values):
            continue
        cell = _cell_reader(values)
        name = cell(name_at) or " ".join(p for p in (cell(first_at), cell(last_at)) if p)
        if _add_row(rows, rejected, path, line, cell(email_at), name):
            rows[-1].left = _left(header, cell)
    return kind, rows, rejected


def _cell_reader(values: list[str]):
    def cell(index: int | None) -> str:
        return values[index].strip() if index is not None and index < len(values) else ""

    return cell


def _add_row(rows, rejected, path: Path, line: int, email: str, name: str) -> bool:
    if "<" in email:  # "Sam O'Neill <sam@oneill.example>"
        parsed_name, parsed = parseaddr(email)
        email, name = parsed or email, name or parsed_name
    problem = address_problem(email)
    if problem:
        rejected.append(
            Problem(path, line, f"email: {problem}", "skipped; fix it and import again")
        )
        return False
    rows.append(Row(email.strip(), name.strip(), line))
    return True


def _column(header: list[str], names: tuple[str, ...]) -> int | None:
    return next((header.index(n) for n in names if n in header), None)


def _kind(header: list[str]) -> str:
    if "email address" in header and ("member_rating" in header or "optin_time" in header):
        return "Mailchimp CSV"
    if "subscriber_type" in header:
        return "Buttondown CSV"
    if "email_disabled" in header or "active_subscription" in header:
        return "Substack CSV"
    return "CSV"


def _left(header: list[str], cell) -> bool:
    """Does the export say this person unsubscribed (or cannot be mailed)?"""
    checks = {
        "unsub_time": lambda v: bool(v),  # Mailchimp's unsubscribed export
        "cleaned_time": lambda v: bool(v),  # Mailchimp's cleaned (bouncing) export
        "subscriber_type": lambda v: v.lower() in LEFT_TYPES,  # Buttondown
        "type": lambda v: v.lower() in LEFT_TYPES,
        "status": lambda v: v.lower() in LEFT_TYPES | {"cleaned", "bounced"},
        "email_disabled": lambda v: v.lower() in _TRUE,  # Substack
    }
    return any(name in header and test(cell(header.index(name))) for name, test in checks.items())
