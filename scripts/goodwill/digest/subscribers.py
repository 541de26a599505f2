"""content/subscribers.yaml: who gets the digest by e-mail. Private, never published.

A list of people, each `email` (required), `name`, `added` (a date) and, once they
left, `unsubscribed` (a date). A person who left stays in the file: that line is the
suppression list, so no import and no contact's `subscribe: true` brings them back.
Contacts with `subscribe: true` and an `email` are subscribers too, without being
typed twice. `add` appends text (comments and layout kept); `remove` adds one
`unsubscribed:` line with the round-trip editor.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from goodwill.core.dates import today
from goodwill.core.errors import Collector, GoodwillError, did_you_mean
from goodwill.core.outdir import write_atomic
from goodwill.core.project import Project
from goodwill.core.textfile import read_text
from goodwill.core.yamledit import DateEdit, set_dates
from goodwill.core.yamllist import load_yaml_list
from goodwill.relations.records import load_records

KNOWN_KEYS = ("email", "name", "added", "unsubscribed", "source")
EXAMPLE = "- email: dan@acme.example\n  name: Dan Park"
HEADER = (
    "# Who gets the digest by e-mail. Private: never published, kept out of git.\n"
    "# `goodwill subscribers add|remove|import` edit it; so can you.\n"
)
_LOCAL = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+$")
_LABEL = re.compile(r"^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$")


@dataclass(frozen=True)
class Subscriber:
    email: str
    name: str = ""
    origin: str = "subscribers.yaml"  # or "contact <id>"
    line: int = 0

    @property
    def key(self) -> str:
        return address_key(self.email)

    @property
    def formatted(self) -> str:
        return f"{self.name} <{self.email}>" if self.name else self.email


@dataclass
class SubscriberList:
    path: Path
    active: list[Subscriber] = field(default_factory=list)
    suppressed: dict[str, dt.date] = field(default_factory=dict)  # address key -> date left
    listed: dict[str, Subscriber] = field(default_factory=dict)  # every entry of the file

    def find(self, email: str) -> Subscriber | None:
        key = address_key(email)
        return next((s for s in self.active if s.key == key), None)


def address_key(email: str) -> str:
    """Addresses compared as mail systems do in practice: case does not matter."""
    return email.strip().casefold()


def address_problem(value) -> str:
    """Why `value` is not a usable e-mail address ("" when it is)."""
    if not isinstance(value, str) or not value.strip():
        return "is empty"
    value = value.strip()
    if len(value) > 254 or any(c.isspace() or not c.isprintable() for c in value):
        return f"'{value}' contains spaces or control characters"
    local, at, domain = value.rpartition("@")
    if not at or not local or not domain:
        return f"'{value}' has no @ between a name and a domain"
    if len(local) > 64 or not _LOCAL.match(local) or ".." in local or local[0] == ".":
        return f"'{value}': the part before @ is not valid"
    labels = domain.split(".")
    if len(labels) < 2 or not all(_LABEL.match(label) for label in labels):
        return f"'{value}': the domain '{domain}' is not valid"
    return ""


def load_subscribers(
    project: Project, problems: Collector, *, with_contacts: bool = True
) -> SubscriberList:
    """The validated list, contacts with `subscribe: true` included; problems collected."""
    path = project.subscribers_file
    result = SubscriberList(path)
    if path.is_file():
        _read_file(path, result, problems)
    if with_contacts:
        _add_contacts(project, result, problems)
    return result


def _read_file(path: Path, result: SubscriberList, problems: Collector) -> None:
    try:
        data = load_yaml_list(path)
    except GoodwillError as exc:
        problems.extend([exc.problem])
        return
    if data is None:
        return
    if not isinstance(data, list):
        problems.error(
            path,
            getattr(data, "line", 1),
            "subscribers.yaml must be a list of people",
            "start each one with '- email: ...'",
        )
        return
    for index, item in enumerate(data):
        if not isinstance(item, dict):
            line = data.item_lines[index] if hasattr(data, "item_lines") else None
            problems.error(
                path, line, f"subscriber #{index + 1}: expected 'key: value' lines", EXAMPLE
            )
            continue
        _read_item(path, item, index, result, problems)


def _read_item(path: Path, item, index: int, result: SubscriberList, problems) -> None:
    for key in item:
        if key not in KNOWN_KEYS:
            hint = did_you_mean(key, KNOWN_KEYS) or "known: " + ", ".join(KNOWN_KEYS)
            problems.error(path, item.line_of(key), f"subscriber: {key}: unknown field", hint)
    email = item.get("email")
    problem = address_problem(email)
    if problem:
        problems.error(
            path,
            item.line_of("email"),
            f"subscriber #{index + 1}: email: {problem}",
            "write one address, e.g. email: dan@acme.example",
        )
        return
    email = email.strip()
    label = f"subscriber {email}"
    name = item.get("name") or ""
    if not isinstance(name, str):
        problems.error(path, item.line_of("name"), f"{label}: name: expected text", "quote it")
        name = ""
    days = {}
    for key in ("added", "unsubscribed"):
        value = item.get(key)
        if value is None:
            continue
        try:
            days[key] = dt.date.fromisoformat(str(value))
        except ValueError:
            problems.error(
                path, item.line_of(key), f"{label}: {key}: not a date: {value!r}", "YYYY-MM-DD"
            )
    key = address_key(email)
    if key in result.listed:
        other = result.listed[key]
        problems.error(
            path,
            item.line_of("email"),
            f"{label}: listed twice (also on line {other.line})",
            "keep one of the two entries",
        )
        return
    person = Subscriber(email, name.strip(), "subscribers.yaml", item.line_of("email"))
    result.listed[key] = person
    if "unsubscribed" in days:
        result.suppressed[key] = days["unsubscribed"]
    else:
        result.active.append(person)


def _add_contacts(project: Project, result: SubscriberList, problems: Collector) -> None:
    records = load_records(project.records_dir, problems)
    known = {s.key for s in result.active}
    for contact in records.contacts.values():
        if not contact.subscribe:
            continue
        if not contact.email:
            problems.warning(
                contact.path,
                contact.line_of("subscribe"),
                f"contact '{contact.id}': subscribe: true, but there is no email",
                "add their email, or remove subscribe",
            )
            continue
        key = address_key(contact.email)
        if key in known or key in result.suppressed:
            continue  # typed twice, or they unsubscribed: the list wins
        known.add(key)
        result.active.append(
            Subscriber(contact.email, contact.name, f"contact {contact.id}", contact.line)
        )


def yaml_entry(
    email: str,
    name: str = "",
    added: dt.date | None = None,
    source: str = "",
    unsubscribed: dt.date | None = None,
) -> str:
    """One subscriber as YAML text (JSON strings are valid YAML scalars)."""
    lines = [f"- email: {json.dumps(email)}"]
    if name:
        lines.append(f"  name: {json.dumps(name, ensure_ascii=False)}")
    if added:
        lines.append(f"  added: {added.isoformat()}")
    if unsubscribed:
        lines.append(f"  unsubscribed: {unsubscribed.isoformat()}")
    if source:
        lines.append(f"  source: {json.dumps(source, ensure_ascii=False)}")
    return "\n".join(lines) + "\n"


def append_entries(project: Project, entries: list[str], write: bool = True) -> None:
    """Append subscribers as text, then check the whole file before it replaces the old one
    (`write=False`: check only, for a dry run)."""
    path = project.subscribers_file
    old = read_text(path) if path.is_file() else HEADER
    if old and not old.endswith("\n"):
        old += "\n"
    new = old + "".join(entries)
    path.parent.mkdir(parents=True, exist_ok=True)
    problems = Collector()
    check = SubscriberList(path)
    temporary = path.with_name(f".{path.name}.check")
    try:
        temporary.write_text(new, encoding="utf-8")
        _read_file(temporary, check, problems)
    finally:
        temporary.unlink(missing_ok=True)
    if problems.errors:
        raise GoodwillError(
            "the updated subscriber list would not be valid; nothing was written",
            path=path,
            hint=problems.errors[0].message,
        )
    if write:
        write_atomic(path, new.encode("utf-8"), mode=0o600)


def add_subscriber(project: Project, email: str, name: str = "", write: bool = True) -> Subscriber:
    """Add one person; refuse an invalid address, a duplicate, or someone who left."""
    problem = address_problem(email)
    if problem:
        raise GoodwillError(f"{email!r} is not an e-mail address: {problem}")
    problems = Collector()
    current = load_subscribers(project, problems)
    problems.raise_if_errors()
    key = address_key(email)
    if key in current.suppressed:
        raise GoodwillError(
            f"{email} unsubscribed on {current.suppressed[key]}; not added again",
            path=current.path,
            line=current.listed[key].line,
            hint="if they asked to come back, delete the `unsubscribed:` line",
        )
    existing = current.find(email)
    if existing is not None:
        raise GoodwillError(
            f"{email} is already a subscriber ({existing.origin})", hint="nothing to do"
        )
    append_entries(project, [yaml_entry(email.strip(), name.strip(), today())], write)
    return Subscriber(email.strip(), name.strip())


def remove_subscriber(project: Project, email: str, write: bool = True) -> str:
    """Put `email` on the suppression list; returns what was done, for the CLI."""
    problems = Collector()
    current = load_subscribers(project, problems)
    problems.raise_if_errors()
    key = address_key(email)
    if key in current.suppressed:
        return f"{email} already unsubscribed on {current.suppressed[key]}"
    listed = current.listed.get(key)
    if listed is not None:
        edit = DateEdit(listed.email, "unsubscribed", today())
        set_dates({current.path: [edit]}, write=write, id_key="email")
        return (
            f"Unsubscribed {listed.email}; kept in {current.path.name} so no import adds them back"
        )
    if address_problem(email):
        raise GoodwillError(f"{email!r} is not an e-mail address: {address_problem(email)}")
    append_entries(project, [yaml_entry(email.strip(), unsubscribed=today())], write)
    was = current.find(email)
    extra = f" (they were a subscriber as {was.origin})" if was else ""
    return f"Added {email} to the suppression list{extra}: they will not be sent the digest"
