"""Which letters are due, and their HTML: thank-you, outcome and check-in notes.

Templates in templates/letters/ see only the fields a record really has, so a
template that uses a missing field fails (StrictUndefined) naming the record;
guard optional fields with `{% if contact.company is defined %}`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup, escape

from goodwill.core.errors import Collector, GoodwillError
from goodwill.core.project import Project
from goodwill.core.render import render
from goodwill.letters.settings import PAGE_SIZES, LetterSettings, Sender, load_letter_settings
from goodwill.letters.stationery import postal_lines
from goodwill.letters.suggest import ArticleIndex
from goodwill.letters.wording import (
    and_list,
    count_words,
    gifts_and_postscripts,
    need_phrase,
    progress,
    referred_phrase,
)
from goodwill.relations.records import Contact, Records, Referral, load_records

KINDS = ("thank-you", "outcome", "check-in")
_KIND_ORDER = {kind: n for n, kind in enumerate(KINDS)}
_HIDDEN = {"path", "line", "key_lines", "extra", "need"}  # never handed to templates as such


@dataclass(frozen=True)
class Selection:
    """What `goodwill letters` was asked for."""

    kinds: tuple[str, ...] = ("thank-you",)
    contact: str | None = None
    since: dt.date | None = None
    include_done: bool = False  # --all: also referrals already thanked / reported
    limit: int | None = None


@dataclass(frozen=True)
class LetterRequest:
    """One letter: to one contact, about one or more of their referrals (none for a
    check-in). Several owed referrals of one kind make one letter."""

    kind: str
    contact: Contact
    referrals: tuple[Referral, ...] = ()
    last_in_touch: dt.date | None = None

    @property
    def referral(self) -> Referral | None:
        """The first (for most letters, the only) referral the letter is about."""
        return self.referrals[0] if self.referrals else None

    @property
    def subject(self) -> str:
        """The record(s) the letter is about, as error messages name them."""
        if len(self.referrals) > 1:
            return "referrals " + ", ".join(f"'{r.id}'" for r in self.referrals)
        if self.referral is not None:
            return f"referral '{self.referral.id}'"
        return f"contact '{self.contact.id}'"

    @property
    def record_id(self) -> str:
        """Names the preview file: the referral's id, or the contact's for a letter
        about several referrals (or none)."""
        return self.referral.id if len(self.referrals) == 1 else self.contact.id


@dataclass(frozen=True)
class Letter:
    request: LetterRequest
    html: str  # the letter's own <article>, without the page around it

    @property
    def kind(self) -> str:
        return self.request.kind

    @property
    def contact(self) -> Contact:
        return self.request.contact

    @property
    def key(self) -> str:
        return hashlib.sha256(self.html.encode()).hexdigest()


def check_letters(project: Project, problems: Collector) -> None:
    """For `goodwill check`: every record, and the sender/letters settings."""
    records = load_records(project.records_dir, problems)
    settings = load_letter_settings(project, problems, file_warnings=False)
    if records.referrals and settings.sender is None:
        problems.warning(
            project.settings_file,
            None,
            "no sender: section, so letters cannot be signed",
            "add sender: with at least name: (see README)",
        )


def load_for_letters(project: Project) -> tuple[Records, LetterSettings, list]:
    """Records and settings, or ValidationFailed listing every problem."""
    problems = Collector()
    settings = load_letter_settings(project, problems)
    records = load_records(project.records_dir, problems)
    problems.raise_if_errors()
    return records, settings, problems.warnings


def select_letters(
    records: Records, selection: Selection, check_in_days: int, on: dt.date
) -> list[LetterRequest]:
    """The letters due, most overdue first, cut to --limit, then in printing order."""
    if selection.contact is not None:
        records.contact(selection.contact)  # unknown id: error with a did-you-mean
    wanted = set(selection.kinds)
    due: list[tuple[dt.date, LetterRequest]] = []
    for referral in records.referrals:
        if not referral.received or referral.contact not in records.contacts:
            continue
        if selection.contact not in (None, referral.contact):
            continue
        if selection.since and referral.date < selection.since:
            continue
        contact = records.contacts[referral.contact]
        thanking = "thank-you" in wanted and (selection.include_done or referral.thanked is None)
        if thanking:
            due.append((referral.date, LetterRequest("thank-you", contact, (referral,))))
        if (
            "outcome" in wanted
            and referral.is_closed
            and not (thanking and referral.thanked is None)  # the thank-you goes first
            and (selection.include_done or referral.outcome_reported is None)
        ):
            when = referral.closed or referral.date
            due.append((when, LetterRequest("outcome", contact, (referral,))))
    if "check-in" in wanted:
        cutoff = on - dt.timedelta(days=check_in_days)
        written_to = {request.contact.id for _, request in due}
        for contact in records.contacts.values():
            if selection.contact not in (None, contact.id) or contact.id in written_to:
                continue  # one letter in a set is check-in enough
            last = records.last_in_touch(contact)
            if selection.include_done or (last is not None and last <= cutoff):
                due.append((last or dt.date.min, LetterRequest("check-in", contact, (), last)))
    due = _one_letter_per_kind_and_contact(due)
    due.sort(key=lambda item: (item[0], item[1].record_id))
    chosen = [request for _, request in due[: selection.limit]]
    chosen.sort(key=_printing_order)
    return chosen


def _one_letter_per_kind_and_contact(due):
    """Several owed referrals of one kind from one contact make one letter, dated (for
    --limit's "most overdue first") by its oldest referral; its referrals oldest first."""
    grouped: dict[tuple[str, str], list] = {}
    for when, request in due:
        grouped.setdefault((request.kind, request.contact.id), []).append((when, request))
    letters = []
    for items in grouped.values():
        if len(items) == 1:
            letters.append(items[0])
            continue
        items.sort(key=lambda item: (item[0], item[1].record_id))
        first = items[0][1]
        referrals = tuple(r for _, request in items for r in request.referrals)
        letters.append((items[0][0], LetterRequest(first.kind, first.contact, referrals)))
    return letters


def _printing_order(request: LetterRequest):
    """Letters to one person sit together, in the same order as the envelopes."""
    referral = request.referral
    return (
        request.contact.name.casefold(),
        request.contact.id,
        _KIND_ORDER[request.kind],
        referral.date if referral else dt.date.min,
        request.record_id,
    )


def render_letters(
    requests: list[LetterRequest],
    settings: LetterSettings,
    templates_dir,
    page_size: str,
    on: dt.date,
    records: Records,
    advance=None,
    articles: ArticleIndex | None = None,
) -> list[Letter]:
    """Each request's <article> HTML, from templates/letters/<kind>.html.j2.

    `articles`: the guide's published articles, to suggest those matching the
    recipient's tags (None: suggest none).
    """
    if settings.sender is None:
        raise GoodwillError(
            "goodwill.yml has no sender: section, so the letters cannot be signed",
            hint="add sender: with at least name: (see README, 'Sender')",
        )
    base = {
        "sender": sender_context(settings.sender),
        "letter": {"date": settings.format_date(on, page_size), "page_size": page_size},
        "today": on,
        "format_date": lambda day: settings.format_date(day, page_size),
        "count_words": count_words,
        "and_list": and_list,
    }
    letters = []
    for number, request in enumerate(requests, start=1):
        context = dict(base)
        context["letter"] = {**base["letter"], "kind": request.kind, "number": number}
        context["contact"] = contact_context(request.contact)
        context.update(about_referrals(request, on))
        if not request.referrals:
            context["in_touch"] = in_touch_context(request, records, on)
        found = articles.matching(request.contact.tags) if articles else []
        context["suggestions"] = [dataclasses.asdict(s) for s in found]
        template = f"letters/{request.kind}.html.j2"
        html = render(templates_dir, template, context, subject=request.subject)
        _names_every_referral(request, html, templates_dir, template)
        letters.append(Letter(request, html))
        if advance:
            advance()
    return letters


def _names_every_referral(request: LetterRequest, html: str, templates_dir, template) -> None:
    """A letter about several referrals must name each one: --mark-sent marks them all.
    A template from before letters were grouped names only `referral`, the first."""
    if len(request.referrals) < 2:
        return
    missing = [r for r in request.referrals if str(escape(referred_phrase(r.referred))) not in html]
    if missing:
        raise GoodwillError(
            f"the {request.kind} letter to contact '{request.contact.id}' is about "
            f"{len(request.referrals)} referrals, but it does not name '{missing[0].referred}' "
            f"(referral '{missing[0].id}')",
            path=Path(templates_dir) / template,
            hint="loop over `referrals` in the template (see goodwill's own copy of it), "
            "or write the letters one at a time with --since",
        )


def about_referrals(request: LetterRequest, on: dt.date) -> dict:
    """What the templates know of the letter's referrals: `referrals` (each), `referral`
    (the first), `gifts` to name in the body and `postscripts`, each once."""
    if not request.referrals:
        return {"referrals": [], "gifts": [], "postscripts": []}
    given = request.referrals
    if request.kind == "outcome":  # a gift went with the thank-you, if that was sent
        given = [r for r in request.referrals if r.thanked is None]
    gifts, postscripts = gifts_and_postscripts(request.referrals, given)
    about = [referral_context(r, on) for r in request.referrals]
    return {"referrals": about, "referral": about[0], "gifts": gifts, "postscripts": postscripts}


def stylesheet(templates_dir, kinds, settings: LetterSettings, page_size: str) -> Markup:
    """The print stylesheet: letters/letter.css.j2, then one per kind present."""
    context = {
        "page": PAGE_SIZES[page_size],
        "page_size": page_size,
        "font": settings.font,
    }
    parts = [render(templates_dir, "letters/letter.css.j2", context)]
    for kind in sorted(set(kinds), key=_KIND_ORDER.get):
        parts.append(render(templates_dir, f"letters/{kind}.css.j2", context))
    return Markup("\n".join(parts))  # our own templates, with validated settings only


def document(templates_dir, articles: list[str], css: Markup, title: str) -> str:
    """A whole HTML page holding one or more letters, one per printed page."""
    context = {"articles": [Markup(a) for a in articles], "stylesheet": css, "title": title}
    return render(templates_dir, "letters/document.html.j2", context)


def contact_context(contact: Contact) -> dict:
    data = _present(contact)
    data["greeting_name"] = contact.greeting_name
    if contact.address is not None:
        data["address"] = dataclasses.asdict(contact.address)
        data["address_lines"] = postal_lines(contact.address)
    return data


def referral_context(referral: Referral, on: dt.date) -> dict:
    data = _present(referral)
    data["referred"] = referred_phrase(referral.referred)
    data["name"] = data["referred"].split(",")[0].strip()
    data["for"] = need_phrase(referral.need)
    data["progress"] = progress(referral, on)
    data["age_days"] = (on - referral.date).days
    return data


def sender_context(sender: Sender) -> dict:
    data = {k: v for k, v in dataclasses.asdict(sender).items() if v is not None}
    data.setdefault("signature", sender.name.split()[0])
    if sender.address is not None:
        data["address_lines"] = postal_lines(sender.address)
    else:
        data["address_lines"] = []
    return data


def in_touch_context(request: LetterRequest, records: Records, on: dt.date) -> dict:
    """For check-in notes: how long it has been, and what passed between us."""
    last = request.last_in_touch
    days = (on - last).days if last else None
    history = records.by_contact.get(request.contact.id, [])
    return {
        "last": last,
        "days": days,
        "period": _period(days),
        "received": sum(1 for r in history if r.received),
        "given": sum(1 for r in history if not r.received),
    }


def _period(days: int | None) -> str:
    """How long it has been, as a person would write it: "about three months"."""
    if days is None:
        return "a while"
    months = days // 30
    if months < 2:
        return "a few weeks"
    if months < 12:
        return f"about {_NUMBERS[months]} months"
    years = days // 365
    return "more than a year" if years < 2 else f"more than {_NUMBERS.get(years, years)} years"


_NUMBERS = dict(
    enumerate(
        ["zero", "one", "two", "three", "four", "five", "six"]
        + ["seven", "eight", "nine", "ten", "eleven", "twelve"]
    )
)


def _present(record) -> dict:
    """The record's fields that have a value, under their YAML names."""
    data = {
        f.name: getattr(record, f.name)
        for f in dataclasses.fields(record)
        if f.name not in _HIDDEN and getattr(record, f.name) not in (None, ())
    }
    data.update(record.extra)
    return data
