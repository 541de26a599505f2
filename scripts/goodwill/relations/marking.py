"""Recording in the records that a note went out (`goodwill thank`, and letters marked sent).

Marking is always explicit: nothing here runs unless the user asks for it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from goodwill.core.dates import today
from goodwill.core.errors import Collector, GoodwillError
from goodwill.core.project import Project
from goodwill.core.yamledit import Applied, DateEdit, set_dates
from goodwill.relations.records import Records, load_records

FIELD_FOR_KIND = {"thank-you": "thanked", "outcome": "outcome_reported", "check-in": "last_contact"}


@dataclass
class MarkResult:
    applied: list[Applied] = field(default_factory=list)
    already: list[str] = field(default_factory=list)  # "id (thanked 2026-11-03)"
    missing: list[str] = field(default_factory=list)  # ids in index.csv no longer in records
    already_marked: Path | None = None  # the set's index, renamed when it was marked
    dry_run: bool = False  # True: `applied` lists what would be written; nothing was


def thank(
    project: Project, ids: list[str], on: dt.date, *, outcome: bool = False, dry_run: bool = False
) -> MarkResult:
    """Mark referrals (by id) as thanked, or their outcome as reported, on `on`.

    `dry_run`: check everything and plan the edits, write nothing."""
    records = valid_records(project)
    key = "outcome_reported" if outcome else "thanked"
    result = MarkResult(dry_run=dry_run)
    changes: dict[Path, dict[tuple, DateEdit]] = {}
    if on > today():
        raise GoodwillError(
            f"--date {on} is in the future: it cannot have been sent yet",
            hint="give the day you sent it, today or earlier",
        )
    referrals = [records.referral(rid) for rid in ids]  # unknown id: error, did-you-mean
    for referral in referrals:
        if not referral.received:
            raise GoodwillError(
                f"referral '{referral.id}' is one you gave (direction: given)",
                path=referral.path,
                line=referral.line,
                hint="thank-you notes and outcome reports are for referrals you received",
            )
        if outcome and not referral.is_closed:
            raise GoodwillError(
                f"referral '{referral.id}' is still '{referral.status}'",
                path=referral.path,
                line=referral.line,
                hint="set status: won or lost first, then report the outcome",
            )
        if on < referral.date:
            raise GoodwillError(
                f"referral '{referral.id}': {on} is before the referral date {referral.date}",
                path=referral.path,
                line=referral.line_of("date"),
                hint="give a --date on or after the referral's date",
            )
        plan_referral_mark(referral, key, on, result, changes)
    edits = {path: list(planned.values()) for path, planned in changes.items()}
    result.applied = set_dates(edits, write=not dry_run)
    return result


def plan_referral_mark(referral, key: str, on: dt.date, result: MarkResult, changes: dict) -> None:
    """Plan writing `key: on` into the referral, unless it is already there."""
    done = getattr(referral, key)
    if done is not None:
        result.already.append(f"{referral.id} ({key.replace('_', ' ')} {done})")
        return
    changes.setdefault(referral.path, {})[(referral.id, key)] = DateEdit(referral.id, key, on)


def valid_records(project: Project) -> Records:
    problems = Collector()
    records = load_records(project.records_dir, problems)
    problems.raise_if_errors()
    return records
