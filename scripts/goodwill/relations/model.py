"""The records as Python objects: contacts, referrals, interactions, and the queries
letters, report and agenda ask of them. Loading and validation are in records.py."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from goodwill.core.errors import GoodwillError, did_you_mean
from goodwill.relations.schema import CLOSED_STATUSES, Address


@dataclass(eq=False)
class Contact:
    id: str
    name: str
    path: Path
    line: int
    key_lines: dict = field(default_factory=dict, repr=False)
    salutation: str | None = None
    first_name: str | None = None
    company: str | None = None
    role: str | None = None
    email: str | None = None
    emails: tuple[str, ...] = ()  # more addresses besides `email`
    phone: str | None = None
    phones: tuple[str, ...] = ()
    address: Address | None = None
    tags: tuple[str, ...] = ()
    how_we_met: str | None = None
    notes: str | None = None
    gift_preferences: str | None = None
    last_contact: dt.date | None = None
    subscribe: bool = False  # gets the digest by e-mail (digest/subscribers.py)
    feed: str | None = None  # their own blog, read into the digest (digest/network.py)
    extra: dict = field(default_factory=dict)

    @property
    def greeting_name(self) -> str:
        """How a letter addresses them: salutation, else first name, else first word."""
        return self.salutation or self.first_name or self.name.split()[0]

    def line_of(self, key: str) -> int:
        """The line of `key` in its file (the record's first line if it has no such key)."""
        return self.key_lines.get(key, self.line)

    @property
    def all_emails(self) -> tuple[str, ...]:
        return ((self.email,) if self.email else ()) + self.emails

    @property
    def all_phones(self) -> tuple[str, ...]:
        return ((self.phone,) if self.phone else ()) + self.phones


@dataclass(eq=False)
class Referral:
    id: str
    date: dt.date
    direction: str
    contact: str
    referred: str
    need: str  # the YAML key is `for`
    path: Path
    line: int
    key_lines: dict = field(default_factory=dict, repr=False)
    status: str = "new"
    value: float | int | None = None
    closed: dt.date | None = None
    thanked: dt.date | None = None
    outcome_reported: dt.date | None = None
    gift: str | None = None
    outcome: str | None = None
    ps: str | None = None
    notes: str | None = None
    extra: dict = field(default_factory=dict)

    line_of = Contact.line_of

    @property
    def received(self) -> bool:
        return self.direction == "received"

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_STATUSES


@dataclass(eq=False)
class Interaction:
    """One touch: a call, a meeting, a gift... (`goodwill log`)."""

    date: dt.date
    contact: str
    kind: str
    path: Path
    line: int
    key_lines: dict = field(default_factory=dict, repr=False)
    note: str | None = None
    extra: dict = field(default_factory=dict)

    line_of = Contact.line_of

    @property
    def label(self) -> str:
        return f"interaction ({self.kind} with '{self.contact}' on {self.date})"


class Records:
    """Every contact, referral and interaction of a project, with the queries letters,
    report and agenda need."""

    def __init__(
        self,
        contacts: dict[str, Contact],
        referrals: list[Referral],
        interactions: list[Interaction] | None = None,
    ):
        self.contacts = contacts
        self.referrals = referrals
        self.interactions = interactions or []

    @cached_property
    def by_contact(self) -> dict[str, list[Referral]]:
        grouped: dict[str, list[Referral]] = {cid: [] for cid in self.contacts}
        for referral in self.referrals:
            grouped.setdefault(referral.contact, []).append(referral)
        return grouped

    @cached_property
    def in_touch(self) -> dict[str, dt.date]:
        """Each contact's last day in touch (contacts never in touch are absent): the
        latest of `last_contact`, referrals either way, thank-yous, outcome reports and
        interactions. The one answer letters, report and agenda all use."""
        latest: dict[str, dt.date] = {}

        def seen(contact_id: str, day: dt.date | None) -> None:
            if day is not None and (contact_id not in latest or day > latest[contact_id]):
                latest[contact_id] = day

        for contact in self.contacts.values():
            seen(contact.id, contact.last_contact)
        for r in self.referrals:
            seen(r.contact, r.date)
            seen(r.contact, r.thanked)
            seen(r.contact, r.outcome_reported)
        for touch in self.interactions:
            seen(touch.contact, touch.date)
        return latest

    def last_in_touch(self, contact: Contact) -> dt.date | None:
        """The latest day we know we were in touch (see `in_touch`)."""
        return self.in_touch.get(contact.id)

    def contact(self, contact_id: str) -> Contact:
        try:
            return self.contacts[contact_id]
        except KeyError:
            hint = did_you_mean(contact_id, self.contacts) or "see content/records/contacts*.yaml"
            raise GoodwillError(f"no contact with id '{contact_id}'", hint=hint) from None

    @cached_property
    def referrals_by_id(self) -> dict[str, Referral]:
        return {r.id: r for r in self.referrals}

    def referral(self, referral_id: str) -> Referral:
        try:
            return self.referrals_by_id[referral_id]
        except KeyError:
            hint = did_you_mean(referral_id, self.referrals_by_id) or (
                "see content/records/referrals*.yaml"
            )
            raise GoodwillError(f"no referral with id '{referral_id}'", hint=hint) from None
