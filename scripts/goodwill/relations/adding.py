"""`goodwill add` and `goodwill log`: one new record, checked like a hand-written one,
appended to the user's file (comments kept, written atomically)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path

from slugify import slugify

from goodwill.core.dates import today
from goodwill.core.errors import Collector, GoodwillError, ValidationFailed
from goodwill.core.outdir import PRIVATE_FILE_MODE, write_atomic
from goodwill.core.project import Project
from goodwill.core.yamlappend import appended
from goodwill.core.yamlemit import dump_records
from goodwill.core.yamlload import LineDict
from goodwill.relations.marking import valid_records
from goodwill.relations.records import check_fields, record_files
from goodwill.relations.schema import CONTACT, INTERACTION, REFERRAL, Schema


@dataclass(frozen=True)
class Written:
    path: Path
    line: int
    record: dict
    text: str  # the YAML that was added


def records_file(project: Project, schema: Schema) -> Path:
    """Where new records of this kind go: <kind>s.yaml if there is one, else the first
    file of that kind, else a new content/records/<kind>s.yaml."""
    preferred = project.records_dir / f"{schema.kind}s.yaml"
    files = [path for path, kind in record_files(project.records_dir) if kind is schema]
    if preferred in files or not files:
        return preferred
    return files[0]


def unique_id(base: str, taken) -> str:
    """base, else base-2, base-3, ... whichever is free."""
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


def contact_id_for(name: str, taken) -> str:
    return unique_id(slugify(name, max_length=40, word_boundary=True) or "contact", taken)


def add_contact(project: Project, name: str, **fields) -> tuple[Written, list[str]]:
    """Add a contact; returns what was written and notes (a namesake already there)."""
    records = valid_records(project)
    name = (name or "").strip()
    record = {"id": contact_id_for(name or "contact", records.contacts), "name": name}
    for key in ("first_name", "email", "phone", "company", "role", "tags"):
        value = fields.get(key)
        if value:
            record[key] = value
    email = (record.get("email") or "").casefold()
    for contact in records.contacts.values():
        if email and email in (e.casefold() for e in contact.all_emails):
            raise GoodwillError(
                f"{record['email']} is already the e-mail of contact '{contact.id}'",
                path=contact.path,
                line=contact.line,
                hint="edit that contact instead, or import with `goodwill import contacts`",
            )
    notes = [
        f"'{c.id}' has the same name; this one is '{record['id']}'"
        for c in records.contacts.values()
        if name and c.name.casefold() == name.casefold()
    ]
    return append_record(project, CONTACT, record), notes


def add_referral(
    project: Project,
    *,
    contact: str,
    direction: str,
    referred: str,
    need: str,
    on: dt.date | None = None,
    value=None,
    status: str | None = None,
) -> Written:
    records = valid_records(project)
    records.contact(contact)  # unknown id: error with a did-you-mean
    day = on or today()
    base = slugify((referred or "").split(",")[0], max_length=30, word_boundary=True)
    rid = unique_id(f"{day.isoformat()}-{base or contact}", records.referrals_by_id)
    record = {
        "id": rid,
        "date": day,
        "direction": direction,
        "contact": contact,
        "referred": referred,
        "for": need,
    }
    if status is not None:
        record["status"] = status
    if value is not None:
        record["value"] = value
    return append_record(project, REFERRAL, record)


def log_interaction(
    project: Project, contact: str, kind: str, note: str | None = None, on: dt.date | None = None
) -> Written:
    records = valid_records(project)
    records.contact(contact)
    record = {"date": on or today(), "contact": contact, "kind": kind}
    if note:
        record["note"] = note
    return append_record(project, INTERACTION, record)


def append_record(project: Project, schema: Schema, record: dict) -> Written:
    """Check `record` as if the user had written it at the end of its file, then add it."""
    path = records_file(project, schema)
    raw = path.read_bytes() if path.is_file() else b""
    data, line = appended(raw, [record], path)
    check_new_record(schema, record, path, line)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, data, None if path.is_file() else PRIVATE_FILE_MODE)
    return Written(path, line, record, dump_records([record]))


def check_new_record(schema: Schema, record: dict, path: Path, line: int) -> None:
    """The same checks a hand-written record gets; ValidationFailed with every problem."""
    raw = LineDict.empty(line)
    raw.update({k: v.isoformat() if isinstance(v, dt.date) else v for k, v in record.items()})
    problems = Collector()
    label, *_ = check_fields(raw, schema, path, 0, problems)
    if record.get("date") and record["date"] > today():
        problems.error(path, line, f"{label}: date: {record['date']} is in the future")
    if problems.errors:  # about what was typed, not about a line of the file
        raise ValidationFailed(
            [
                replace(p, path=None, line=None, message=p.message.removeprefix(f"{label}: "))
                for p in problems.errors
            ]
        )
