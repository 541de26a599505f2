"""`goodwill agenda`: what is due, most urgent first, each with its reason and age.

Items are plain data (`AgendaItem`), so other wings can add their own kinds
(the digest: "X posted 'Y': congratulate") through `build_agenda(extra_items=)`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from goodwill.relations.model import Contact, Records, Referral
from goodwill.relations.schema import OPEN_STATUSES

THANK_WITHIN_DAYS = 2
FOLLOW_UP_DAYS = 14
GIVE_BACK_TOP = 3  # the few people owed most; a long list would read as noise

THANK, REPORT, FOLLOW_UP, CHECK_IN, GIVE_BACK = (
    "thank",
    "report",
    "follow-up",
    "check-in",
    "give-back",
)
ACTIONS = {
    THANK: "thank now",
    REPORT: "report outcome",
    FOLLOW_UP: "follow up",
    CHECK_IN: "check in",
    GIVE_BACK: "give back next",
}
RANKS = {kind: rank for rank, kind in enumerate(ACTIONS)}  # equally late: this order
OTHER_RANK = len(RANKS)  # kinds from other wings come after ours
FIELDS = ("due", "action", "kind", "contact", "name", "reason", "age_days", "days_late", "uid")


@dataclass(frozen=True)
class AgendaItem:
    """One thing to do for one person."""

    due: dt.date  # the day it falls (or fell) due
    kind: str  # thank, report, follow-up, check-in, give-back, or another wing's kind
    contact_id: str
    contact_name: str
    reason: str  # one line: what, and why now
    since: dt.date  # the day its age counts from
    subject: str = ""  # the record it is about (a referral id), if any
    action: str = ""  # the short label shown; default: ACTIONS[kind], else the kind
    rank: int | None = None  # order among kinds; default: RANKS[kind], else after ours

    @property
    def label(self) -> str:
        return self.action or ACTIONS.get(self.kind, self.kind)

    @property
    def order(self) -> int:
        return self.rank if self.rank is not None else RANKS.get(self.kind, OTHER_RANK)

    @property
    def uid(self) -> str:
        """Stable across runs: the same task keeps the same id until it is done."""
        return f"{self.kind}-{self.subject or self.contact_id}"

    def age(self, on: dt.date) -> int:
        return (on - self.since).days

    def days_late(self, on: dt.date) -> int:
        return max((on - self.due).days, 0)

    def values(self, on: dt.date) -> dict:
        return {
            "due": self.due.isoformat(),
            "action": self.label,
            "kind": self.kind,
            "contact": self.contact_id,
            "name": self.contact_name,
            "reason": self.reason,
            "age_days": self.age(on),
            "days_late": self.days_late(on),
            "uid": self.uid,
        }


def build_agenda(
    records: Records,
    today: dt.date,
    days: int = FOLLOW_UP_DAYS,
    extra_items: Iterable[AgendaItem] = (),
    *,
    check_in_days: int = 90,
) -> list[AgendaItem]:
    """Everything due, most urgent first: late before not yet late, then by kind
    (thank, report, follow up, check in, give back, others), then oldest first.

    `days`: a referral still new or contacted this many days after it came needs a
    follow-up; `check_in_days`: how long without contact before a check-in."""
    items: list[AgendaItem] = []
    busy: set[str] = set()  # contacts with a referral task: no check-in on top
    for referral in records.referrals:
        contact = records.contacts.get(referral.contact)
        if contact is None:
            continue
        found = _referral_items(referral, contact, today, days)
        items.extend(found)
        busy.update(item.contact_id for item in found)
    items.extend(_check_ins(records, today, check_in_days, busy))
    items.extend(_give_back(records, today))
    items.extend(extra_items)
    items.sort(key=lambda item: _urgency(item, today))
    return items


def _urgency(item: AgendaItem, on: dt.date):
    return (
        item.due >= on,  # late ones (due before today) first
        item.order,
        item.due,
        item.contact_name.casefold(),
        item.subject,
    )


def _referral_items(r: Referral, contact: Contact, on: dt.date, days: int) -> list[AgendaItem]:
    found = []
    what = f"{r.referred.split(',')[0].strip()} ({r.need})"  # the name; the rest is in the file

    def add(kind, due, reason, since):
        found.append(AgendaItem(due, kind, contact.id, contact.name, reason, since, r.id))

    if r.received and r.thanked is None:
        told = f"; since {r.status}: say so too" if r.is_closed else ""
        add(THANK, r.date + dt.timedelta(days=THANK_WITHIN_DAYS), f"sent you {what}{told}", r.date)
    elif r.received and r.is_closed and r.outcome_reported is None:
        closed = r.closed or r.date
        add(REPORT, closed, f"{what} was {r.status}: tell them how it went", closed)
    if r.status in OPEN_STATUSES and on >= r.date + dt.timedelta(days=days):
        if r.received:
            reason = f"{what} is still {r.status}: get in touch, then update its status"
        else:
            reason = f"you referred {what}, still {r.status}: ask how it went"
        add(FOLLOW_UP, r.date + dt.timedelta(days=days), reason, r.date)
    return found


def _check_ins(records: Records, on: dt.date, check_in_days: int, busy: set[str]):
    for contact_id, last in records.in_touch.items():
        contact = records.contacts.get(contact_id)
        if contact is None or contact_id in busy:
            continue
        due = last + dt.timedelta(days=check_in_days)
        if due <= on:
            reason = f"not in touch for {(on - last).days} days (last {last.isoformat()})"
            # one check-in per quiet spell: the next one, after you were in touch, is new
            subject = f"{contact.id}-{due.isoformat()}"
            yield AgendaItem(due, CHECK_IN, contact.id, contact.name, reason, last, subject)


@dataclass
class _Balance:
    received: int = 0
    given: int = 0
    won_from_them: float = 0
    first_received: dt.date | None = None
    last_given: dt.date | None = None


def _give_back(records: Records, on: dt.date):
    """The people who sent you most relative to what you sent them."""
    balances: dict[str, _Balance] = {}
    for r in records.referrals:
        if r.contact not in records.contacts:
            continue
        b = balances.setdefault(r.contact, _Balance())
        if r.received:
            b.received += 1
            b.won_from_them += (r.value or 0) if r.status == "won" else 0
            b.first_received = min(filter(None, (b.first_received, r.date)))
        else:
            b.given += 1
            b.last_given = max(filter(None, (b.last_given, r.date)))
    owed = [(cid, b) for cid, b in balances.items() if b.received > b.given]
    owed.sort(key=lambda pair: (pair[1].given - pair[1].received, -pair[1].won_from_them, pair[0]))
    for contact_id, b in owed[:GIVE_BACK_TOP]:
        contact = records.contacts[contact_id]
        sent = f"you last sent them one on {b.last_given}" if b.last_given else "you sent none"
        reason = (
            f"sent you {b.received}, you sent them {b.given} ({sent}): "
            "look for business to send their way"
        )
        since = b.last_given or b.first_received
        # Never late: there is no day by which a favour must be returned.
        yield AgendaItem(on, GIVE_BACK, contact.id, contact.name, reason, since)


def agenda_rows(items: list[AgendaItem], on: dt.date) -> list[dict]:
    return [item.values(on) for item in items]


def when_text(item: AgendaItem, on: dt.date) -> str:
    late = item.days_late(on)
    if late:
        return f"{late}d late"
    if item.due == on:
        return "today"
    return f"in {(item.due - on).days}d"


def agenda_table(items: list[AgendaItem], on: dt.date):
    """The agenda as a rich Table: wraps (never cuts) names and reasons."""
    from rich import box
    from rich.markup import escape
    from rich.table import Table

    table = Table(title="Agenda", header_style="bold", box=box.SIMPLE_HEAD, expand=True)
    table.add_column("When", no_wrap=True)
    table.add_column("Action", no_wrap=True)
    # wide enough for each name's longest word, so names wrap between words
    longest = max((len(w) for i in items for w in i.contact_name.split()), default=8)
    table.add_column("Who", overflow="fold", ratio=2, min_width=min(max(longest, 12), 24))
    table.add_column("Age", justify="right", no_wrap=True)
    table.add_column("Why", overflow="fold", ratio=3, min_width=20)
    styles = {THANK: "bold red", REPORT: "yellow", FOLLOW_UP: "blue", CHECK_IN: "magenta"}
    for item in items:
        style = styles.get(item.kind, "cyan")
        table.add_row(
            when_text(item, on),
            f"[{style}]{escape(item.label)}[/]",
            escape(item.contact_name),
            f"{item.age(on)}d",
            escape(item.reason),
        )
    return table
