"""The agenda as an iCalendar file: one all-day entry per item, with stable UIDs so a
calendar that imports it again updates its entries instead of adding copies."""

from __future__ import annotations

import datetime as dt

from icalendar import Calendar, Event

from goodwill.relations.agenda import AgendaItem

PRODID = "-//goodwill//agenda//EN"
UID_DOMAIN = "agenda.goodwill"
_SEQUENCE_EPOCH = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def agenda_calendar(items: list[AgendaItem], on: dt.date, now: dt.datetime | None = None) -> bytes:
    """RFC 5545 text. An item already late is dated `on` (today), so it shows on today's
    calendar; one not yet due is dated on its due day."""
    now = (now or dt.datetime.now(dt.UTC)).replace(microsecond=0)
    # A later file must win over an earlier one in the calendar: SEQUENCE only grows.
    sequence = max(int((now - _SEQUENCE_EPOCH).total_seconds() // 60), 0)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", "goodwill agenda")
    for item in items:
        day = max(item.due, on)
        event = Event()
        event.add("uid", f"{item.uid}@{UID_DOMAIN}")
        event.add("dtstamp", now)
        event.add("sequence", sequence)
        event.add("dtstart", day)
        event.add("dtend", day + dt.timedelta(days=1))
        event.add("summary", f"{item.label}: {item.contact_name}")
        late = item.days_late(on)
        status = f"{late} day(s) late" if late else f"due {item.due.isoformat()}"
        event.add("description", f"{item.reason}\n{status}; {item.age(on)} day(s) old")
        event.add("categories", ["goodwill", item.kind])
        event.add("transp", "TRANSPARENT")  # a reminder, not a busy slot
        calendar.add_component(event)
    return calendar.to_ical()
