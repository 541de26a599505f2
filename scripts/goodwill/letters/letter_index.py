"""index.csv: what a letter set holds, one row per referral; --mark-sent reads it back."""

from __future__ import annotations

import csv
from pathlib import Path

from goodwill.core.csvout import to_csv, uncell

INDEX_CSV = "index.csv"
SENT_INDEX_CSV = "index.sent.csv"  # index.csv, renamed once --mark-sent recorded it
PREVIEW_DIR = "preview"
INDEX_HEADER = [
    "letter",
    "kind",
    "referral",
    "contact",
    "name",
    "referred",
    "for",
    "postal_address",
    "preview",
]


def index_csv(letters, names: list[str]) -> str:
    """One row per referral (a letter about several has several rows, one number), so
    --mark-sent marks each; a check-in has one row without a referral."""
    rows = []
    for number, (letter, name) in enumerate(zip(letters, names, strict=True), start=1):
        for referral in letter.request.referrals or (None,):
            rows.append(
                [
                    number,
                    letter.kind,
                    referral.id if referral else "",
                    letter.contact.id,
                    letter.contact.name,
                    referral.referred if referral else "",
                    referral.need if referral else "",
                    "yes" if letter.contact.address else "no",
                    f"{PREVIEW_DIR}/{name}",
                ]
            )
    return to_csv(INDEX_HEADER, rows)


def previous_rows(out: Path) -> list[dict[str, str]]:
    """The last run's index, marked as sent or not."""
    return read_index(out) or read_index(out, SENT_INDEX_CSV)


def read_index(out: Path, name: str = INDEX_CSV) -> list[dict[str, str]]:
    """The rows of out/index.csv as written by the last run (empty if there is none)."""
    path = out / name
    if not path.is_file():
        return []
    with path.open(encoding="utf-8", newline="") as stream:
        return [{k: uncell(v or "") for k, v in row.items()} for row in csv.DictReader(stream)]
