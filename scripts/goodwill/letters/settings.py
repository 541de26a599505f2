"""The `sender` and `letters` sections of goodwill.yml: who signs, and how letters print."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from goodwill.core.errors import Collector, did_you_mean, unknown_key_hint
from goodwill.core.project import Project
from goodwill.core.settings import load_settings
from goodwill.core.yamlload import LineDict
from goodwill.relations.schema import Address, FieldError, address, email, text


@dataclass(frozen=True)
class PaperSize:
    name: str  # as CSS @page and people say it
    width_mm: float
    height_mm: float

    @property
    def css(self) -> str:
        return f"{self.width_mm}mm {self.height_mm}mm"


@dataclass(frozen=True)
class LabelSheet:
    name: str
    paper: str  # a key of PAGE_SIZES
    columns: int
    rows: int
    width_mm: float
    height_mm: float
    top_mm: float
    left_mm: float
    column_gap_mm: float

    @property
    def per_sheet(self) -> int:
        return self.columns * self.rows


PAGE_SIZES = {
    "a4": PaperSize("A4", 210, 297),
    "letter": PaperSize("Letter", 215.9, 279.4),
    "a5": PaperSize("A5", 148, 210),
}
ENVELOPES = {
    "dl": PaperSize("DL", 220, 110),
    "c5": PaperSize("C5", 229, 162),
    "us10": PaperSize("US #10", 241.3, 104.775),
}
LABEL_SHEETS = {
    # 63.5 x 38.1 mm labels, 21 to an A4 sheet (Avery L7160 and compatibles)
    "a4-3x7": LabelSheet("A4 3x7", "a4", 3, 7, 63.5, 38.1, 15.15, 7.21, 2.54),
    # 2.625 x 1 in labels, 30 to a US letter sheet (Avery 5160 and compatibles)
    "letter-3x10": LabelSheet("Letter 3x10", "letter", 3, 10, 66.675, 25.4, 12.7, 4.7625, 3.175),
}
DEFAULT_ENVELOPE = {"a4": "dl", "a5": "dl", "letter": "us10"}
DEFAULT_LABELS = {"a4": "a4-3x7", "a5": "a4-3x7", "letter": "letter-3x10"}
DEFAULT_DATE_FORMAT = {
    "a4": "{day} {month} {year}",
    "a5": "{day} {month} {year}",
    "letter": "{month} {day}, {year}",
}
SENDER_KEYS = ("name", "company", "address", "email", "phone", "website", "signature", "sign_off")
LETTERS_KEYS = (
    "page_size",
    "check_in_days",
    "envelope",
    "labels",
    "date_format",
    "font",
    "suggest_articles",
)
DEFAULT_FONT = "Dancing Script"
_FONT_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 _-]*$")  # goes into CSS unquoted-safe


@dataclass(frozen=True)
class Sender:
    name: str
    company: str | None = None
    address: Address | None = None
    email: str | None = None
    phone: str | None = None
    website: str | None = None
    signature: str | None = None
    sign_off: str = "Warmly,"


@dataclass(frozen=True)
class LetterSettings:
    sender: Sender | None
    page_size: str = "a4"
    check_in_days: int = 90
    envelope: str | None = None  # None: follow the page size
    labels: str | None = None
    date_format: str | None = None
    font: str = DEFAULT_FONT
    suggest_articles: bool = True  # letters name guide articles matching the contact's tags

    def envelope_for(self, page_size: str) -> PaperSize | None:
        key = self.envelope or DEFAULT_ENVELOPE[page_size]
        return None if key == "none" else ENVELOPES[key]

    def labels_for(self, page_size: str) -> LabelSheet | None:
        key = self.labels or DEFAULT_LABELS[page_size]
        return None if key == "none" else LABEL_SHEETS[key]

    def format_date(self, day: dt.date, page_size: str) -> str:
        pattern = self.date_format or DEFAULT_DATE_FORMAT[page_size]
        return pattern.format(
            day=day.day, month=day.strftime("%B"), year=day.year, weekday=day.strftime("%A")
        )


def load_letter_settings(
    project: Project, problems: Collector, *, file_warnings: bool = True
) -> LetterSettings:
    """Validated sender and letters settings; problems are collected, not raised.

    `file_warnings=False` leaves out goodwill.yml's own warnings (unknown sections),
    for callers that already report them.
    """
    scratch = Collector()
    raw = load_settings(project, scratch)
    problems.extend(scratch.problems if file_warnings else scratch.errors)
    path = project.settings_file
    sender = _sender(raw.get("sender"), raw, path, problems)
    options = _mapping(raw.get("letters"), raw, "letters", path, problems)
    values: dict = {}
    for key, value in options.items():
        where = options.line_of(key)
        if key not in LETTERS_KEYS:
            hint = unknown_key_hint(key, LETTERS_KEYS)
            problems.warning(path, where, f"letters: unknown setting '{key}'", hint)
            continue
        if value is None:
            continue
        problem = _check_letters_value(key, value)
        if problem:
            problems.error(path, where, f"letters: {key}: {problem[0]}", problem[1])
        else:
            values[key] = (
                value.strip().lower() if key in ("page_size", "envelope", "labels") else value
            )
    return LetterSettings(sender=sender, **values)


def _check_letters_value(key: str, value) -> tuple[str, str] | None:
    choices = {
        "page_size": tuple(PAGE_SIZES),
        "envelope": (*ENVELOPES, "none"),
        "labels": (*LABEL_SHEETS, "none"),
    }
    if key in choices:
        if isinstance(value, str) and value.strip().lower() in choices[key]:
            return None
        return f"'{value}' is not one of {', '.join(choices[key])}", did_you_mean(
            value, choices[key]
        )
    if key == "suggest_articles":
        if isinstance(value, bool):
            return None
        return f"expected true or false, got {value!r}", "e.g. suggest_articles: false"
    if key == "check_in_days":
        if isinstance(value, int) and not isinstance(value, bool) and value > 0:
            return None
        return f"expected a whole number of days, got {value!r}", "e.g. check_in_days: 90"
    if not isinstance(value, str) or not value.strip():
        return f"expected text, got {value!r}", "put it in quotes"
    if key == "font" and not _FONT_NAME.match(value):
        return f"{value!r} is not a font family name", "letters, digits, spaces and hyphens only"
    if key == "date_format":
        try:
            value.format(day=1, month="May", year=2026, weekday="Friday")
        except (KeyError, IndexError, ValueError) as exc:
            return f"cannot use {value!r} ({exc})", "use {day}, {month}, {year} and {weekday}"
    return None


def _mapping(value, raw, section: str, path, problems: Collector):
    if isinstance(value, dict):
        return value
    if value is not None:
        problems.error(
            path,
            raw.line_of(section),
            f"{section}: expected indented settings",
            f"write e.g. `{section}:` then `  name: ...` on the next lines",
        )
    empty = LineDict.empty(raw.line_of(section))
    return empty


def _sender(value, raw, path, problems: Collector) -> Sender | None:
    if value is None:
        return None
    section = _mapping(value, raw, "sender", path, problems)
    checkers = {"address": address, "email": email}
    values: dict = {}
    for key, item in section.items():
        where = section.line_of(key)
        if key not in SENDER_KEYS:
            hint = unknown_key_hint(key, SENDER_KEYS)
            problems.warning(path, where, f"sender: unknown setting '{key}'", hint)
            continue
        if item is None:
            continue
        try:
            values[key] = checkers.get(key, text)(item)
        except FieldError as exc:
            problems.error(path, exc.line or where, f"sender: {key}: {exc.message}", exc.hint)
    if "name" not in values:
        if "name" not in section:
            problems.error(
                path,
                section.line,
                "sender: name: missing",
                "add the name you sign letters with, e.g. name: Alex Morgan",
            )
        return None
    return Sender(**values)
