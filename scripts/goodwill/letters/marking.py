"""`letters --mark-sent`: record in the records that the printed letter set went out.

--mark-sent marks exactly the letters listed in the output folder's index.csv
(what was printed), not whatever is due now: a referral that arrived after
printing must not be marked as thanked.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from goodwill.core.errors import GoodwillError
from goodwill.core.outdir import private_target
from goodwill.core.project import Project
from goodwill.core.yamledit import DateEdit, set_dates
from goodwill.letters.letter_index import INDEX_CSV, SENT_INDEX_CSV, read_index
from goodwill.letters.letter_set import OUT_HINT
from goodwill.relations.marking import (
    FIELD_FOR_KIND,
    MarkResult,
    plan_referral_mark,
    valid_records,
)


def mark_letters_sent(
    project: Project, out_dir: Path | None, on: dt.date, dry_run: bool = False
) -> MarkResult:
    """Write `on` into the record of every letter in out/index.csv that is not yet marked.

    `dry_run`: plan and check the edits, write nothing and leave index.csv in place."""
    out = private_target(project, out_dir or project.letters_dir, "letters", OUT_HINT)
    rows = read_index(out)
    if not rows and (out / SENT_INDEX_CSV).is_file():
        return MarkResult(already_marked=out / SENT_INDEX_CSV)
    if not rows:
        raise GoodwillError(
            f"no letter set in {out} (no {INDEX_CSV})",
            hint="run `goodwill letters` first, print and sign them, then --mark-sent",
        )
    records = valid_records(project)
    result = MarkResult(dry_run=dry_run)
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
        plan_referral_mark(referral, key, on, result, changes)
    edits = {path: list(planned.values()) for path, planned in changes.items()}
    result.applied = set_dates(edits, write=not dry_run)
    if not dry_run:
        os.replace(out / INDEX_CSV, out / SENT_INDEX_CSV)  # a second --mark-sent changes nothing
    return result
