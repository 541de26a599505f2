"""`goodwill report`: who sent what to whom, and what needs doing about it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from goodwill.core.csvout import to_csv
from goodwill.relations.records import Contact, Records

THANK_WITHIN_DAYS = 2
THANK_NOW = "thank now"
REPORT_OUTCOME = "report outcome"
GIVE_BACK = "give back next"
CHECK_IN = "check in"
FLAGS = (THANK_NOW, REPORT_OUTCOME, GIVE_BACK, CHECK_IN)  # also the order of urgency

HEADER = [
    "contact",
    "name",
    "received",
    "given",
    "value_received",
    "value_given",
    "last_thanked",
    "unthanked",
    "outcomes_not_reported",
    "days_since_contact",
    "flags",
]

# the columns shown as they are after the values, in the markdown and terminal tables
_COUNTS = ("last_thanked", "unthanked", "outcomes_not_reported", "days_since_contact")


@dataclass
class ContactRow:
    contact: Contact
    received: int = 0
    given: int = 0
    value_received: float = 0
    value_given: float = 0
    last_thanked: dt.date | None = None
    unthanked: int = 0
    thank_overdue: int = 0
    outcomes_due: int = 0
    days_since_contact: int | None = None
    flags: list[str] = field(default_factory=list)

    def values(self) -> dict:
        """The exported values, by HEADER column name."""
        return {
            "contact": self.contact.id,
            "name": self.contact.name,
            "received": self.received,
            "given": self.given,
            "value_received": _number(self.value_received),
            "value_given": _number(self.value_given),
            "last_thanked": self.last_thanked.isoformat() if self.last_thanked else "",
            "unthanked": self.unthanked,
            "outcomes_not_reported": self.outcomes_due,
            "days_since_contact": (
                "" if self.days_since_contact is None else self.days_since_contact
            ),
            "flags": "; ".join(self.flags),
        }

    def cells(self) -> list:
        values = self.values()
        return [values[name] for name in HEADER]


def build_report(records: Records, on: dt.date, check_in_days: int = 90) -> list[ContactRow]:
    """One row per contact, those that need action first."""
    rows = []
    for contact in records.contacts.values():
        row = ContactRow(contact)
        for r in records.by_contact.get(contact.id, ()):
            value = (r.value or 0) if r.status == "won" else 0
            if not r.received:
                row.given += 1
                row.value_given += value
                continue
            row.received += 1
            row.value_received += value
            if r.thanked:
                row.last_thanked = max(filter(None, (row.last_thanked, r.thanked)))
            else:
                row.unthanked += 1
                row.thank_overdue += (on - r.date).days > THANK_WITHIN_DAYS
            row.outcomes_due += r.is_closed and r.outcome_reported is None
        last = records.last_in_touch(contact)
        row.days_since_contact = (on - last).days if last else None
        if row.thank_overdue:
            row.flags.append(THANK_NOW)
        if row.outcomes_due:
            row.flags.append(REPORT_OUTCOME)
        if row.received >= 2 and row.given == 0:
            row.flags.append(GIVE_BACK)
        if row.days_since_contact is not None and row.days_since_contact >= check_in_days:
            row.flags.append(CHECK_IN)
        rows.append(row)
    rows.sort(key=_urgency)
    return rows


def _urgency(row: ContactRow):
    return (
        *(flag not in row.flags for flag in FLAGS),
        -row.thank_overdue,
        -row.outcomes_due,
        -(row.days_since_contact or 0),
        row.contact.name.casefold(),
    )


def report_csv(rows: list[ContactRow]) -> str:
    return to_csv(HEADER, [row.cells() for row in rows])


def report_markdown(rows: list[ContactRow]) -> str:
    titles = [
        "Contact",
        "Received",
        "Given",
        "Value received",
        "Value given",
        "Last thanked",
        "Unthanked",
        "Outcomes not reported",
        "Days since contact",
        "Action",
    ]
    lines = ["| " + " | ".join(titles) + " |", "|" + "---|" * len(titles)]
    for row in rows:
        v = row.values()
        shown = [
            f"{v['name']} ({v['contact']})",
            *(v[name] for name in ("received", "given")),
            _money(row.value_received),
            _money(row.value_given),
            *(v[name] for name in _COUNTS),
            v["flags"],
        ]
        lines.append("| " + " | ".join(_markdown_cell(c) for c in shown) + " |")
    return "\n".join(lines) + "\n"


def totals(rows: list[ContactRow]) -> dict:
    return {
        "contacts": len(rows),
        "received": sum(r.received for r in rows),
        "given": sum(r.given for r in rows),
        "value_received": sum(r.value_received for r in rows),
        "value_given": sum(r.value_given for r in rows),
        "need_action": sum(1 for r in rows if r.flags),
    }


# (title, value name, justify, shown in the narrow table): numbers never wrap
_TERMINAL_COLUMNS = [
    ("In", "received", "right", True),
    ("Out", "given", "right", True),
    ("Won in", "value_received", "right", True),
    ("Won out", "value_given", "right", True),
    ("Last thanked", "last_thanked", "left", False),
    ("Unthanked", "unthanked", "right", False),
    ("Outcome due", "outcomes_not_reported", "right", False),
    ("Days", "days_since_contact", "right", True),
]
NARROW_CAPTION = (
    "In/Out: referrals received/given. Won in/out: business won each way. "
    "Days: since you were last in touch. --wide adds last thanked, unthanked "
    "and outcomes due; --format csv has everything."
)
MAX_UNWRAPPED_NAME = 30  # longer names wrap at spaces rather than squeeze the numbers


def rich_table(rows: list[ContactRow], wide: bool = False):
    """The report as a rich Table for the terminal.

    The default fits 80 columns: names and numbers are never cut or wrapped mid-word
    (each action on its own line; the least needed columns only with `wide`).
    """
    from rich import box
    from rich.table import Table

    table = Table(
        title="Reciprocity",
        header_style="bold",
        box=box.SIMPLE_HEAD,
        padding=(0, 1, 0, 0),  # one space and the rule's gap between columns
        pad_edge=False,
        caption=None if wide else NARROW_CAPTION,
        caption_justify="left",
    )
    longest = max((len(row.contact.name) for row in rows), default=0)
    table.add_column("Contact", no_wrap=longest <= MAX_UNWRAPPED_NAME, overflow="fold", ratio=None)
    if wide:
        table.add_column("Id", no_wrap=True)
    columns = [c for c in _TERMINAL_COLUMNS if wide or c[3]]
    for title, _, justify, _ in columns:
        table.add_column(title, justify=justify, no_wrap=True)
    table.add_column("Action", no_wrap=False, overflow="fold")
    styles = {
        THANK_NOW: "bold red",
        REPORT_OUTCOME: "yellow",
        GIVE_BACK: "cyan",
        CHECK_IN: "magenta",
    }
    for row in rows:
        v = {name: str(value) for name, value in row.values().items()}
        v["value_received"], v["value_given"] = _money(row.value_received), _money(row.value_given)
        flags = (", " if wide else "\n").join(f"[{styles[f]}]{f}[/]" for f in row.flags)
        cells = [_escape(row.contact.name)] + ([_escape(row.contact.id)] if wide else [])
        table.add_row(*cells, *(v[name] for _, name, _, _ in columns), flags)
    return table


def _number(value: float):
    return int(value) if float(value).is_integer() else round(value, 2)


def _money(value: float) -> str:
    number = _number(value)
    return f"{number:,}" if number else ""


def _markdown_cell(value) -> str:
    text = str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("|", "\\|").replace("\n", " ")


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)
