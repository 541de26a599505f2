"""`goodwill import contacts`: an address book into contacts.yaml, without duplicates.

A person already in the records (same e-mail, or same name and company once
accents, case and punctuation are set aside) is merged: only fields that are
empty in your records are filled in. Everything else is appended. Either way
the user's text above stays as it was, and every file is written atomically,
after all of them were prepared and checked.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from goodwill.core.dates import today
from goodwill.core.errors import GoodwillError, Problem
from goodwill.core.outdir import PRIVATE_FILE_MODE, write_atomic
from goodwill.core.project import Project
from goodwill.core.textfile import DEFAULT_MAX_BYTES
from goodwill.core.yamlappend import appended
from goodwill.core.yamledit import ValueEdit, edit_text
from goodwill.relations.adding import contact_id_for, records_file
from goodwill.relations.contacts_csv import read_csv
from goodwill.relations.marking import valid_records
from goodwill.relations.model import Contact
from goodwill.relations.schema import CONTACT, CUSTOM_PREFIX, FieldError
from goodwill.relations.vcard import Imported, looks_like_vcard, read_vcards

MAX_IMPORT_BYTES = 8 * DEFAULT_MAX_BYTES
FIELD_ORDER = [
    "id",
    "name",
    "first_name",
    "salutation",
    "company",
    "role",
    "email",
    "emails",
    "phone",
    "phones",
    "address",
    "tags",
    "how_we_met",
    "notes",
]
_SCALARS = (
    "name",
    "first_name",
    "salutation",
    "company",
    "role",
    "how_we_met",
    "notes",
    "address",
    "tags",
)


@dataclass
class Merge:
    contact_id: str
    line: int  # the card or row it came from
    filled: dict

    @property
    def summary(self) -> str:
        return f"filled in {', '.join(self.filled)} (from line {self.line})"


@dataclass
class ImportResult:
    format_name: str
    path: Path  # the contacts file new people go to
    added: list[dict] = field(default_factory=list)
    merged: list[Merge] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def read_address_book(source: Path) -> tuple[str, list[Imported], list[Problem]]:
    """(format name, people, problems) of a vCard or CSV file, told by its content."""
    text, encoding = _decode(source)
    if looks_like_vcard(text):
        name, (people, bad) = "vCard", read_vcards(text)
    else:
        name, people, bad = read_csv(text)
    if encoding != "UTF-8":
        name = f"{name}, {encoding}"
    problems = [Problem(source, b.line, f"{b.message}; skipped", severity="warning") for b in bad]
    checked = []
    for person in people:
        try:
            checked.append(Imported(person.line, _checked(person.fields)))
        except FieldError as exc:
            message = f"'{person.fields.get('name')}': {exc.message}; skipped"
            problems.append(Problem(source, person.line, message, exc.hint, "warning"))
    return name, checked, problems


def import_contacts(project: Project, source: Path, *, dry_run: bool = False) -> ImportResult:
    records = valid_records(project)
    format_name, people, problems = read_address_book(source)
    target = records_file(project, CONTACT)
    result = ImportResult(format_name, target, problems=problems)
    index = _Index()
    for contact in records.contacts.values():
        index.add(contact.id, contact.all_emails, contact.name, contact.company)
    taken = set(records.contacts)
    new_by_id: dict[str, dict] = {}
    filled: dict[str, dict] = {}  # contact id -> fields this import fills in
    for person in people:
        fields = person.fields
        found = index.find(fields)
        if found in new_by_id:
            _fill_new(new_by_id[found], fields)
            result.skipped.append(f"{fields['name']} (line {person.line}): same as new '{found}'")
        elif found is not None:
            contact = records.contacts[found]
            fill = _fill_in(contact, fields, filled.setdefault(found, {}))
            if fill:
                filled[found].update(fill)
                result.merged.append(Merge(found, person.line, fill))
            else:
                result.skipped.append(f"{fields['name']} (line {person.line}): same as '{found}'")
        else:
            record = {"id": contact_id_for(fields["name"], taken), **fields}
            record = {k: record[k] for k in _ordered_keys(record)}
            taken.add(record["id"])
            new_by_id[record["id"]] = record
            index.add(record["id"], _emails_of(record), record["name"], record.get("company"))
            result.added.append(record)
    if not dry_run:
        _write(records.contacts, result, target, source)
    return result


def _write(contacts: dict[str, Contact], result: ImportResult, target: Path, source: Path):
    edits: dict[Path, list[ValueEdit]] = {}
    for merge in result.merged:
        contact = contacts[merge.contact_id]
        for key, value in merge.filled.items():
            edits.setdefault(contact.path, []).append(ValueEdit(contact.id, key, value))
    prepared: dict[Path, bytes] = {}
    for path, path_edits in edits.items():
        prepared[path], _ = edit_text(path, path_edits)
    if result.added:
        raw = prepared.get(target) or (target.read_bytes() if target.is_file() else b"")
        comment = f"Imported from {source.name} on {today().isoformat()}"
        prepared[target], _ = appended(raw, result.added, target, comment)
    for path, data in prepared.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, data, None if path.is_file() else PRIVATE_FILE_MODE)


def _checked(fields: dict) -> dict:
    """The schema's own checks on every field; FieldError names the field."""
    clean = {}
    for key, value in fields.items():
        if key.startswith(CUSTOM_PREFIX):
            clean[key] = value
            continue
        try:
            CONTACT.fields[key](value)
        except FieldError as exc:
            raise FieldError(f"{key}: {exc.message}", exc.hint) from None
        clean[key] = value
    return clean


def _fill_in(contact: Contact, fields: dict, already: dict) -> dict:
    """The fields this person adds to `contact`: only where the contact is empty."""
    fill = {}
    for key in _SCALARS:
        if fields.get(key) and not getattr(contact, key) and key not in already:
            fill[key] = fields[key]
    known = {e.casefold() for e in contact.all_emails} | {
        e.casefold() for e in (*already.get("emails", ()), already.get("email", ""))
    }
    fresh = [e for e in _emails_of(fields) if e.casefold() not in known]
    _fill_list(fill, fresh, "email", "emails", contact.email, contact.emails, already)
    digits = {_digits(p) for p in contact.all_phones + tuple(already.get("phones", ()))}
    digits.add(_digits(already.get("phone", "")))
    fresh = [p for p in _phones_of(fields) if _digits(p) not in digits]
    _fill_list(fill, fresh, "phone", "phones", contact.phone, contact.phones, already)
    return fill


def _fill_list(fill, fresh, one: str, more: str, has_one, has_more, already) -> None:
    if fresh and not has_one and one not in already:
        fill[one], fresh = fresh[0], fresh[1:]
    if fresh and not has_more and more not in already:
        fill[more] = fresh


def _fill_new(record: dict, fields: dict) -> None:
    """A person twice in the same file: the second copy adds what the first lacked."""
    for key, value in fields.items():
        record.setdefault(key, value)
    ordered = {k: record[k] for k in _ordered_keys(record)}
    record.clear()
    record.update(ordered)


def _ordered_keys(record: dict) -> list[str]:
    return sorted(record, key=lambda k: FIELD_ORDER.index(k) if k in FIELD_ORDER else 99)


def _emails_of(fields: dict) -> list[str]:
    return [e for e in [fields.get("email"), *fields.get("emails", ())] if e]


def _phones_of(fields: dict) -> list[str]:
    return [p for p in [fields.get("phone"), *fields.get("phones", ())] if p]


def _digits(phone: str) -> str:
    return re.sub(r"\D", "", phone or "")


def normalised(text: str | None) -> str:
    """Accents, case, punctuation and extra spaces set aside: 'María  López' = 'maria lopez'."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[^\w\s]", " ", plain).split())


class _Index:
    """Who is who: by any e-mail address, and by name plus company."""

    def __init__(self) -> None:
        self.by_email: dict[str, str] = {}
        self.by_name: dict[tuple[str, str], str] = {}

    def add(self, contact_id: str, emails, name: str, company: str | None) -> None:
        for email in emails:
            self.by_email.setdefault(email.casefold(), contact_id)
        self.by_name.setdefault((normalised(name), normalised(company)), contact_id)

    def find(self, fields: dict) -> str | None:
        for email in _emails_of(fields):
            if email.casefold() in self.by_email:
                return self.by_email[email.casefold()]
        return self.by_name.get((normalised(fields["name"]), normalised(fields.get("company"))))


def _decode(source: Path) -> tuple[str, str]:
    size = source.stat().st_size
    if size > MAX_IMPORT_BYTES:
        raise GoodwillError(
            f"{size / 1_000_000:.0f} MB is too large for an address book",
            path=source,
            hint=f"split it into files under {MAX_IMPORT_BYTES // 1_000_000} MB",
        )
    raw = source.read_bytes()
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16"), "UTF-16"
    try:
        return raw.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError:
        if b"\0" in raw:
            raise GoodwillError(
                "this is not a text file", path=source, hint="export a .vcf or .csv file"
            ) from None
        return raw.decode("cp1252", errors="replace"), "Windows-1252"
