"""Envelopes and address labels for the people a letter set goes to."""

from __future__ import annotations

from markupsafe import Markup

from goodwill.core.errors import GoodwillError
from goodwill.core.render import render
from goodwill.letters.settings import PAGE_SIZES, LabelSheet, PaperSize
from goodwill.relations.schema import Address

ENVELOPES_PER_PART = 100  # pages per PDF job, so big runs spread over the cores
SHEETS_PER_PART = 10

# Where the postcode goes, by the country written in the address (lower case).
_POSTCODE_FIRST = {
    "austria",
    "belgium",
    "croatia",
    "czech republic",
    "czechia",
    "denmark",
    "deutschland",
    "finland",
    "france",
    "germany",
    "greece",
    "iceland",
    "italy",
    "luxembourg",
    "mexico",
    "netherlands",
    "norway",
    "poland",
    "portugal",
    "slovakia",
    "slovenia",
    "spain",
    "sweden",
    "switzerland",
    "the netherlands",
    "turkey",
}
_POSTCODE_OWN_LINE = {
    "england",
    "great britain",
    "ireland",
    "northern ireland",
    "scotland",
    "uk",
    "united kingdom",
    "wales",
}


def postal_lines(address: Address, home_country: str | None = None) -> list[str]:
    """The address as printed on an envelope; the country is left out at home."""
    lines = list(address.lines)
    country = address.country.strip()
    where = country.casefold()
    city, region, postcode = address.city, address.region, address.postcode
    if where in _POSTCODE_FIRST:
        lines.append(" ".join(p for p in (postcode, city) if p))
        if region:
            lines.append(region)
    elif where in _POSTCODE_OWN_LINE:
        lines.extend(p for p in (city, region, postcode) if p)
    else:  # the United States, Canada, Australia and most others: City, Region Postcode
        place = ", ".join(p for p in (city, region) if p)
        lines.append(" ".join(p for p in (place, postcode) if p))
    if country and (home_country is None or where != home_country.strip().casefold()):
        lines.append(country)
    return [line for line in lines if line]


def recipients(letters) -> list:
    """Each contact with a postal address once, in the letters' order."""
    seen: dict[str, object] = {}
    for letter in letters:
        contact = letter.contact
        if contact.address is not None and contact.id not in seen:
            seen[contact.id] = contact
    return list(seen.values())


def without_address(letters) -> list:
    """Each contact who gets a letter but has no postal address, once."""
    seen: dict[str, object] = {}
    for letter in letters:
        if letter.contact.address is None:
            seen.setdefault(letter.contact.id, letter.contact)
    return list(seen.values())


def envelope_documents(
    templates_dir, contacts, sender, size: PaperSize, font: str
) -> list[tuple[str, int]]:
    """HTML pages of envelopes (one per contact), cut into parts for parallel printing:
    (html, pages) for each part."""
    home = _home_country(sender)
    back = _sender_lines(sender)
    documents = []
    for start in range(0, len(contacts), ENVELOPES_PER_PART):
        batch = contacts[start : start + ENVELOPES_PER_PART]
        context = {
            "envelope": size,
            "font": font,
            "return_address": back,
            "envelopes": [_addressee(c, home) for c in batch],
        }
        documents.append((render(templates_dir, "letters/envelope.html.j2", context), len(batch)))
    return documents


def check_label_start(start: int, sheet: LabelSheet | None) -> int:
    """`start` (the first free label on a part-used sheet, counted from 1 along the rows),
    or an error saying which numbers the sheet has."""
    if start == 1:
        return start
    if sheet is None:
        raise GoodwillError(
            f"--label-start {start}: no label sheet is printed (labels: none in goodwill.yml)",
            hint="set letters: labels: in goodwill.yml, or leave out --label-start",
        )
    if not 1 <= start <= sheet.per_sheet:
        raise GoodwillError(
            f"--label-start {start}: the {sheet.name} sheet has {sheet.per_sheet} labels "
            f"({sheet.columns} across, {sheet.rows} down)",
            hint=f"give a number from 1 to {sheet.per_sheet}: the first unused label, "
            "counted along the rows from the top left",
        )
    return start


def label_documents(
    templates_dir, contacts, sender, sheet: LabelSheet, font: str, start: int = 1
) -> list[tuple[str, int]]:
    """HTML pages of label sheets (one label per contact), cut into parts: (html, pages)
    for each part. `start`: the first free label of the first sheet (the labels before
    it were used already, so they stay blank)."""
    home = _home_country(sender)
    labels = [None] * (start - 1) + [_addressee(c, home) for c in contacts]
    per_part = sheet.per_sheet * SHEETS_PER_PART
    documents = []
    for start in range(0, len(labels), per_part):
        batch = labels[start : start + per_part]
        sheets = []
        for first in range(0, len(batch), sheet.per_sheet):
            sheets.append(
                [
                    {
                        **label,
                        "top": _mm(sheet.top_mm + row * sheet.height_mm),
                        "left": _mm(sheet.left_mm + col * (sheet.width_mm + sheet.column_gap_mm)),
                    }
                    for n, label in enumerate(batch[first : first + sheet.per_sheet])
                    if label is not None
                    for row, col in [divmod(n, sheet.columns)]
                ]
            )
        context = {
            "sheet": sheet,
            "paper": PAGE_SIZES[sheet.paper],
            "font": font,
            "sheets": sheets,
        }
        documents.append((render(templates_dir, "letters/labels.html.j2", context), len(sheets)))
    return documents


def _home_country(sender) -> str | None:
    """The sender's country: addresses there are written without it."""
    return sender.address.country if sender.address else None


def _addressee(contact, home_country) -> dict:
    lines = postal_lines(contact.address, home_country)
    company = contact.company or ""
    if company and company.casefold() in (line.casefold() for line in lines):
        company = ""  # already written as an address line
    return {"name": contact.name, "company": company, "lines": lines, "id": contact.id}


def _sender_lines(sender) -> list[str]:
    lines = [sender.name]
    if sender.address is not None:
        lines += postal_lines(sender.address)
    return lines


def _mm(value: float) -> Markup:
    return Markup(f"{value:.2f}mm")
