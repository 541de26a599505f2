"""Contacts from CSV exports: Google Contacts, Outlook, LinkedIn's Connections.csv,
or any CSV with name / e-mail columns. The dialect is told by the header row,
which LinkedIn puts after a few lines of notes."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable

from goodwill.relations.vcard import SYSTEM_GROUPS, BadEntry, Imported, salutation

HEADER_SEARCH_ROWS = 30
DELIMITERS = (",", ";", "\t")  # spreadsheets in many languages save with ";"
_NUMBERED = re.compile(r"^(E-mail|Phone|Address) (\d+) - (.+)$")
OUTLOOK_PHONES = (
    "Mobile Phone",
    "Primary Phone",
    "Business Phone",
    "Business Phone 2",
    "Home Phone",
    "Home Phone 2",
    "Company Main Phone",
    "Other Phone",
)
GENERIC = {
    "name": ("name", "full name", "display name"),
    "first": ("first name", "given name", "first"),
    "last": ("last name", "family name", "surname", "last"),
    "email": ("email", "e-mail", "email address", "e-mail address", "mail"),
    "phone": ("phone", "telephone", "mobile", "phone number"),
    "company": ("company", "organization", "organisation", "org"),
    "role": ("role", "title", "job title", "position"),
    "notes": ("notes", "note", "comments"),
    "tags": ("tags", "labels", "categories", "groups"),
}


def read_csv(text: str) -> tuple[str, list[Imported], list[BadEntry]]:
    """(dialect name, people, bad rows) of a CSV export (comma, semicolon or tab)."""
    rows, header_at = [], None
    for delimiter in DELIMITERS:
        rows = _rows(text, delimiter)
        header_at = next(
            (n for n, (_, row) in enumerate(rows[:HEADER_SEARCH_ROWS]) if _dialect(row)), None
        )
        if header_at is not None:
            break
    if header_at is None:
        rows = _rows(text, ",")
        line = rows[0][0] if rows else 1
        return "CSV", [], [BadEntry(line, "no header row with name or e-mail columns found")]
    header_line, header = rows[header_at]
    name, mapper = _dialect(header)
    header = [h.strip() for h in header]
    people, bad = [], []
    for line, row in rows[header_at + 1 :]:
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            bad.append(
                BadEntry(
                    line,
                    f"row has {len(row)} fields, the header (line {header_line}) has {len(header)}",
                )
            )
            continue
        fields = _tidy(mapper(dict(zip(header, (c.strip() for c in row), strict=True))))
        if not fields.get("name"):
            bad.append(BadEntry(line, "row has no name and no e-mail address"))
            continue
        people.append(Imported(line, fields))
    return name, people, bad


def _rows(text: str, delimiter: str) -> list[tuple[int, list[str]]]:
    """Every row with the line it starts on (quoted fields may span lines)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows, last = [], 0
    try:
        for row in reader:
            rows.append((last + 1, row))
            last = reader.line_num
    except csv.Error:
        pass  # an unclosed quote at the end: the rows before it still count
    return rows


def _dialect(header: list[str]) -> tuple[str, Callable] | None:
    names = {h.strip() for h in header}
    lower = {n.lower() for n in names}
    if "Connected On" in names or {"URL", "Position"} <= names:
        return "LinkedIn CSV", _linkedin
    if any(_NUMBERED.match(n) for n in names) or "Given Name" in names:
        return "Google Contacts CSV", _google
    if "E-mail Address" in names or "Business Street" in names or "Job Title" in names:
        return "Outlook CSV", _outlook
    if lower & set(GENERIC["name"] + GENERIC["email"] + GENERIC["first"]):
        return "CSV", _generic
    return None


def _full_name(*parts: str) -> str:
    return " ".join(p for p in parts if p)


def _linkedin(row: dict) -> dict:
    first, last = row.get("First Name", ""), row.get("Last Name", "")
    out = {
        "name": _full_name(first, last),
        "first_name": first,
        "company": row.get("Company", ""),
        "role": row.get("Position", ""),
        "email": row.get("Email Address", ""),
    }
    connected = row.get("Connected On", "")
    if connected:
        out["how_we_met"] = f"LinkedIn connection since {_day(connected)}"
    if row.get("URL"):
        out["x_linkedin"] = row["URL"]
    return out


def _day(text: str) -> str:
    for pattern in ("%d %b %Y", "%d %B %Y", "%m/%d/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text.strip(), pattern).date().isoformat()
        except ValueError:
            continue
    return text.strip()


def _google(row: dict) -> dict:
    first = row.get("First Name") or row.get("Given Name", "")
    middle = row.get("Middle Name") or row.get("Additional Name", "")
    last = row.get("Last Name") or row.get("Family Name", "")
    out = {
        "name": row.get("Name") or _full_name(first, middle, last),
        "first_name": first,
        "salutation": salutation(row.get("Name Prefix", ""), last),
        "company": row.get("Organization Name") or row.get("Organization 1 - Name", ""),
        "role": row.get("Organization Title") or row.get("Organization 1 - Title", ""),
        "notes": row.get("Notes", ""),
    }
    numbered: dict[tuple[str, int], dict] = {}
    for key, value in row.items():
        match = _NUMBERED.match(key)
        if match and value:
            kind, number, part = match.groups()
            numbered.setdefault((kind, int(number)), {})[part] = value
    emails, phones = [], []
    for (kind, _), parts in sorted(numbered.items(), key=lambda item: item[0][1]):
        values = [v.strip() for v in parts.get("Value", "").split(":::") if v.strip()]
        (emails if kind == "E-mail" else phones if kind == "Phone" else []).extend(values)
        if kind == "Address" and "address" not in out:
            street = [parts.get(k, "") for k in ("PO Box", "Extended Address", "Street")]
            out["address"] = {
                "lines": [ln.strip() for s in street for ln in s.splitlines() if ln.strip()],
                "city": parts.get("City", ""),
                "region": parts.get("Region", ""),
                "postcode": parts.get("Postal Code", ""),
                "country": parts.get("Country", ""),
            }
    out["email"], out["emails"] = (emails[0], emails[1:]) if emails else ("", [])
    out["phone"], out["phones"] = (phones[0], phones[1:]) if phones else ("", [])
    labels = row.get("Labels") or row.get("Group Membership", "")
    names = (label.strip().lstrip("*").strip() for label in labels.split(":::"))
    out["tags"] = [n for n in names if n and n.replace(" ", "").casefold() not in SYSTEM_GROUPS]
    return out


def _outlook(row: dict) -> dict:
    first, middle, last = (row.get(k, "") for k in ("First Name", "Middle Name", "Last Name"))
    emails = [row.get(k, "") for k in ("E-mail Address", "E-mail 2 Address", "E-mail 3 Address")]
    phones = [row.get(k, "") for k in OUTLOOK_PHONES]
    emails, phones = [e for e in emails if e], list(dict.fromkeys(p for p in phones if p))
    out = {
        "name": _full_name(first, middle, last),
        "first_name": first,
        "salutation": salutation(row.get("Title", ""), last),  # Outlook's Title is Ms., Dr
        "company": row.get("Company", ""),
        "role": row.get("Job Title", ""),
        "notes": row.get("Notes", ""),
        "email": emails[0] if emails else "",
        "emails": emails[1:],
        "phone": phones[0] if phones else "",
        "phones": phones[1:],
        "tags": [t.strip() for t in re.split(r"[;,]", row.get("Categories", "")) if t.strip()],
    }
    for place in ("Business", "Home", "Other"):
        street = [row.get(f"{place} Street{n}", "") for n in ("", " 2", " 3")]
        lines = [ln.strip() for s in street for ln in s.splitlines() if ln.strip()]
        if lines:
            out["address"] = {
                "lines": lines,
                "city": row.get(f"{place} City", ""),
                "region": row.get(f"{place} State", ""),
                "postcode": row.get(f"{place} Postal Code", ""),
                "country": row.get(f"{place} Country/Region", ""),
            }
            break
    return out


def _generic(row: dict) -> dict:
    lower = {k.lower(): v for k, v in row.items()}

    def pick(what: str) -> str:
        return next((lower[k] for k in GENERIC[what] if lower.get(k)), "")

    first = pick("first")
    return {
        "name": pick("name") or _full_name(first, pick("last")),
        "first_name": first,
        "email": pick("email"),
        "phone": pick("phone"),
        "company": pick("company"),
        "role": pick("role"),
        "notes": pick("notes"),
        "tags": [t.strip() for t in re.split(r"[;,]", pick("tags")) if t.strip()],
    }


def _tidy(fields: dict) -> dict:
    """Drop empty values; a person with only an e-mail is named by it."""
    out = {}
    for key, value in fields.items():
        if isinstance(value, dict):
            value = {k: v for k, v in value.items() if v}
            if not value.get("lines"):
                continue
        if value:
            out[key] = value
    if not out.get("name") and out.get("email"):
        out["name"] = out["email"].split("@")[0]
    if out.get("first_name") and out.get("first_name") == out.get("name"):
        del out["first_name"]
    return out
