"""Recording that letters went out: `letters --mark-sent` and `goodwill thank`.

Marking is always explicit. --mark-sent marks exactly the letters listed in the
output folder's index.csv (what was printed), not whatever is due now: a
referral that arrived after printing must not be marked as thanked.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

from goodwill.dates import today
from goodwill.errors import Collector, GoodwillError
from goodwill.letter_set import INDEX_CSV, OUT_HINT, SENT_INDEX_CSV, read_index
from goodwill.outdir import private_target
from goodwill.project import Project
from goodwill.records import Records, load_records
from goodwill.yamledit import Applied, DateEdit, set_dates

FIELD_FOR_KIND = {"thank-you": "thanked", "outcome": "outcome_reported", "check-in": "last_contact"}


@dataclass
class MarkResult:
    applied: list[Applied] = field(default_factory=list)
    already: list[str] = field(default_factory=list)  # "id (thanked 2026-11-03)"
    missing: list[str] = field(default_factory=list)  # ids in index.csv no longer in records
    already_marked: Path | None = None  # the set's index, renamed when it was marked


def mark_letters_sent(project: Project, out_dir: Path | None, on: dt.date) -> MarkResult:
    """Write `on` into the record of every letter in out/index.csv that is not yet marked."""
    out = private_target(project, out_dir or project.letters_dir, "letters", OUT_HINT)
    rows = read_index(out)
    if not rows and (out / SENT_INDEX_CSV).is_file():
        return MarkResult(already_marked=out / SENT_INDEX_CSV)
    if not rows:
        raise GoodwillError(
            f"no letter set in {out} (no {INDEX_CSV})",
            hint="run `goodwill letters` first, print and sign them, then --mark-sent",
        )
    records = _valid_records(project)
    result = MarkResult()
    changes: dict[Path, dict[tuple, DateEdit]] = {}
    for row in rows:
        kind, key = row.get("kind", ""), FIELD_FOR_KIND.get(row.get("kind", ""))
        if key is None:
            raise GoodwillError(
                f"{INDEX_CSV}: unknown letter kind {kind!r}",
                path=out / INDEX_CSV,
                hint="run `goodwill letters` again to rewrite it",
            )
        if kind == "check-in":
            contact = records.contacts.get(row.get("contact", ""))
            if contact is None:
                result.missing.append(row.get("contact", ""))
                continue
            edit = DateEdit(contact.id, key, on, overwrite=True)
            changes.setdefault(contact.path, {})[(contact.id, key)] = edit
            continue
        referral = records.referrals_by_id.get(row.get("referral", ""))
        if referral is None:
            result.missing.append(row.get("referral", ""))
            continue
        _mark_referral(referral, key, on, result, changes)
    result.applied = set_dates({path: list(edits.values()) for path, edits in changes.items()})
    os.replace(out / INDEX_CSV, out / SENT_INDEX_CSV)  # a second --mark-sent changes nothing
    return result


def thank(project: Project, ids: list[str], on: dt.date, *, outcome: bool = False) -> MarkResult:
    """Mark referrals (by id) as thanked, or their outcome as reported, on `on`."""
    records = _valid_records(project)
    key = "outcome_reported" if outcome else "thanked"
    result = MarkResult()
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
        _mark_referral(referral, key, on, result, changes)
    result.applied = set_dates({path: list(edits.values()) for path, edits in changes.items()})
    return result


def _mark_referral(referral, key: str, on: dt.date, result: MarkResult, changes: dict) -> None:
    """Plan writing `key: on` into the referral, unless it is already there."""
    done = getattr(referral, key)
    if done is not None:
        result.already.append(f"{referral.id} ({key.replace('_', ' ')} {done})")
        return
    changes.setdefault(referral.path, {})[(referral.id, key)] = DateEdit(referral.id, key, on)


def _valid_records(project: Project) -> Records:
    problems = Collector()
    records = load_records(project.records_dir, problems)
    problems.raise_if_errors()
    return records
