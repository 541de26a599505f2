"""Contacts, referrals and interactions: load the YAML files, validate every record,
answer queries.

Files live in content/records/. A file (or a folder) whose name starts with
`contacts` holds contacts, `referrals` referrals and `interactions` interactions
(calls, meetings, gifts: the touches `goodwill log` records); each file is a YAML
list of records, and an empty or comment-only file is an empty list. Every problem
is collected with its file, line, record id and field, so the user sees all of them
at once.
"""

from __future__ import annotations

from pathlib import Path

from goodwill.core.dates import today
from goodwill.core.errors import Collector, GoodwillError, did_you_mean
from goodwill.core.yamllist import load_yaml_list
from goodwill.relations.model import Contact, Interaction, Records, Referral
from goodwill.relations.schema import (
    CONTACT,
    CUSTOM_PREFIX,
    INTERACTION,
    MISSING_HINTS,
    REFERRAL,
    FieldError,
    Schema,
)

__all__ = ["Contact", "Interaction", "Records", "Referral", "load_records", "record_files"]

KINDS = {"contacts": CONTACT, "referrals": REFERRAL, "interactions": INTERACTION}
YAML_SUFFIXES = (".yaml", ".yml")


def record_files(records_dir: Path) -> list[tuple[Path, Schema | None]]:
    """Every YAML file under records_dir with the schema its name (or folder) asks for."""
    if not records_dir.is_dir():
        return []
    found = []
    for path in sorted(records_dir.rglob("*")):
        if path.suffix not in YAML_SUFFIXES or not path.is_file():
            continue
        names = [*path.relative_to(records_dir).parent.parts, path.stem]
        schema = next(
            (KINDS[k] for name in names for k in KINDS if name.lower().startswith(k)), None
        )
        found.append((path, schema))
    return found


def load_records(records_dir: Path, problems: Collector) -> Records:
    """Read and validate every record file; problems collected, nothing raised."""
    contacts: dict[str, Contact] = {}
    referrals: list[Referral] = []
    interactions: list[Interaction] = []
    seen: dict[tuple[str, str], tuple[Path, int]] = {}
    contact_ids: set[str] = set()  # every contact's id, also of those with problems
    references = []  # (path, line, label, contact id) of every referral and interaction
    contacts_complete = True  # False: a contact could not be read, so ids may be missing
    empty_contact_files: list[Path] = []  # nothing but comments or blank lines
    for path, schema in record_files(records_dir):
        if schema is None:
            problems.warning(
                path,
                None,
                "not a contacts or referrals file (nor an interactions file); skipped",
                "name it contacts*.yaml, referrals*.yaml or interactions*.yaml "
                "(or put it in such a folder)",
            )
            continue
        try:
            items = _read_list(path, schema, problems)
        except GoodwillError as exc:
            problems.extend([exc.problem])
            contacts_complete &= schema is not CONTACT
            continue
        if schema is CONTACT and not items:
            empty_contact_files.append(path)
        for position, raw in items:
            label, values, extra, ok = check_fields(raw, schema, path, position, problems)
            if schema is INTERACTION:
                if "contact" in values:
                    references.append((path, raw.line_of("contact"), label, values["contact"]))
                if ok:
                    interactions.append(
                        Interaction(
                            path=path, line=raw.line, key_lines=raw.key_lines, extra=extra, **values
                        )
                    )
                continue
            rid = values.get("id")
            if rid is None:
                contacts_complete &= schema is not CONTACT
                continue
            if (schema.kind, rid) in seen:
                other_path, other_line = seen[schema.kind, rid]
                problems.error(
                    path,
                    raw.line_of("id"),
                    f"{label}: id: already used at {other_path.name}:{other_line}",
                    "give each record its own id",
                )
                continue
            seen[schema.kind, rid] = (path, raw.line_of("id"))
            if schema is CONTACT:
                contact_ids.add(rid)
            elif "contact" in values:
                references.append((path, raw.line_of("contact"), label, values["contact"]))
            if schema is not CONTACT:  # on every record, so all its problems show at once
                _check_date_order(path, raw, label, values, problems)
            if not ok:
                continue
            if schema is CONTACT:
                contacts[rid] = Contact(
                    path=path, line=raw.line, key_lines=raw.key_lines, extra=extra, **values
                )
            else:
                values["need"] = values.pop("for")
                referrals.append(
                    Referral(
                        path=path, line=raw.line, key_lines=raw.key_lines, extra=extra, **values
                    )
                )
    if references and not contact_ids and empty_contact_files:
        # One clear problem instead of an "unknown contact" error per referral.
        problems.error(
            empty_contact_files[0],
            None,
            f"the file is empty (no contacts), but {len(references)} referral(s) name a contact",
            "add the contacts they name (- id: ..., name: ...), or restore the file from git",
        )
    elif contacts_complete:
        _check_references(references, contact_ids, problems)
    _check_referrals(referrals, problems)
    _check_contacts(contacts, problems)
    _check_interactions(interactions, problems)
    return Records(contacts, referrals, interactions)


def _read_list(path: Path, schema: Schema, problems: Collector) -> list:
    data = load_yaml_list(path)
    if data is None:
        return []
    if not isinstance(data, list):
        raise GoodwillError(
            f"expected a list of {schema.kind}s, got {_kind_of(data)}",
            path=path,
            line=getattr(data, "line", 1),
            hint=f"start each {schema.kind} with '- {schema.required[0]}: ...'",
        )
    items = []
    for position, raw in enumerate(data, start=1):
        if not isinstance(raw, dict):
            problems.error(
                path,
                None,
                f"{schema.kind} #{position}: expected 'key: value' lines, got {raw!r}",
                f"start each {schema.kind} with '- {schema.required[0]}: ...' "
                "and indent its fields",
            )
            continue
        items.append((position, raw))
    return items


def check_fields(raw, schema: Schema, path: Path, position: int, problems: Collector):
    """Check one record's fields: (label, clean values, custom fields, all fine?)."""
    rid = raw.get("id")
    label = f"{schema.kind} '{rid}'" if type(rid) is str else f"{schema.kind} #{position}"
    fields = schema.fields
    values: dict = {}
    extra: dict = {}
    ok = True
    for key, value in raw.items():
        checker = fields.get(key)
        if checker is None:
            if type(key) is str and key.startswith(CUSTOM_PREFIX):
                extra[key] = value
                continue
            hint = did_you_mean(key, fields) or (
                f"custom fields start with {CUSTOM_PREFIX}, e.g. {CUSTOM_PREFIX}{key}"
            )
            problems.error(path, raw.line_of(key), f"{label}: {key}: unknown field", hint)
            ok = False
            continue
        if value is None:
            continue  # an empty `thanked:` is the same as no `thanked:`
        try:
            values[key] = checker(value)
        except FieldError as exc:
            problems.error(
                path, exc.line or raw.line_of(key), f"{label}: {key}: {exc.message}", exc.hint
            )
            ok = False
    for key, line in raw.duplicate_keys:
        problems.error(
            path, line, f"{label}: {key}: appears twice in this record", "keep one of the two lines"
        )
        ok = False
    for key in schema.required:
        if key not in values and raw.get(key) is None:  # absent, or present but empty
            problems.error(
                path,
                raw.line,
                f"{label}: {key}: missing required field",
                MISSING_HINTS.get(key, schema.example),
            )
            ok = False
    return label, values, extra, ok


def _check_date_order(path: Path, raw, label: str, values: dict, problems: Collector) -> None:
    """thanked / outcome_reported / closed on or after the referral's date and not in
    the future (of the values that are valid, even when other fields are not)."""
    date, on = values.get("date"), today()
    for key in ("thanked", "outcome_reported", "closed"):
        when = values.get(key)
        if when is not None and when > on:
            problems.warning(
                path, raw.line_of(key), f"{label}: {key}: {when} is in the future", "check the year"
            )
        if when is not None and date is not None and when < date:
            problems.error(
                path,
                raw.line_of(key),
                f"{label}: {key}: {when} is before the referral date {date}",
                "check both dates; a referral is thanked on or after the day it came",
            )


def _check_references(references, contact_ids: set[str], problems: Collector) -> None:
    for path, line, label, contact in references:
        if contact not in contact_ids:
            hint = did_you_mean(contact, sorted(contact_ids)) or "add them to a contacts*.yaml file"
            problems.error(
                path, line, f"{label}: contact: '{contact}' is not a known contact", hint
            )


def _check_referrals(referrals, problems: Collector) -> None:
    on = today()
    for r in referrals:
        label = f"referral '{r.id}'"
        if r.date > on:
            problems.warning(
                r.path,
                r.line_of("date"),
                f"{label}: date: {r.date} is in the future",
                "check the year",
            )
        if r.outcome_reported and not r.is_closed:
            problems.warning(
                r.path,
                r.line_of("outcome_reported"),
                f"{label}: outcome_reported: set, but status is '{r.status}'",
                "set status: won or lost once the referral has closed",
            )


def _check_contacts(contacts: dict[str, Contact], problems: Collector) -> None:
    on = today()
    for c in contacts.values():
        if c.last_contact and c.last_contact > on:
            problems.warning(
                c.path,
                c.line_of("last_contact"),
                f"contact '{c.id}': last_contact: {c.last_contact} is in the future",
                "check the year",
            )


def _check_interactions(interactions: list[Interaction], problems: Collector) -> None:
    on = today()
    for touch in interactions:
        if touch.date > on:
            problems.warning(
                touch.path,
                touch.line_of("date"),
                f"{touch.label}: date: {touch.date} is in the future",
                "check the year",
            )


def _kind_of(data) -> str:
    return "a mapping" if isinstance(data, dict) else f"a {type(data).__name__}"
