"""Letters about several referrals, and wording that follows the facts (golden files).

Refresh the golden files after an intended change with `python -m pytest --update-golden`.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from goodwill.cli.main import main
from goodwill.scaffold import init_project

FROZEN = {"GOODWILL_TODAY": "2026-11-20", "GOODWILL_PDF_WORKERS": "1"}

# Added to the demo: Maria Lopez owes three thank-yous (one from weeks ago, whose `for`
# starts with "for", and one already won), with a P.S. that speaks of the gift; Aisha
# Khan owes five; James O'Brien is owed two outcome reports.
EXTRA_REFERRALS = """
- id: 2026-10-22-lopez-quay
  date: 2026-10-22
  direction: received
  contact: maria-lopez
  referred: Grace Hill, owner of Quay Studio.
  for: for a leadership retreat for her studio leads
  status: new
  ps: I hope the coffee keeps you going through the year-end rush!

- id: 2026-11-16-lopez-dock
  date: 2026-11-16
  direction: received
  contact: maria-lopez
  referred: Ian Dock, CEO of Dock Freight
  for: coaching his new operations director
  status: won
  value: 2500
  closed: 2026-11-19

- id: 2026-10-01-obrien-slate
  date: 2026-10-01
  direction: received
  contact: james-obrien
  referred: Amy Slate, director at Slate Homes
  for: a team day for her site managers
  status: lost
  closed: 2026-11-01
  thanked: 2026-10-02
  outcome: She chose an in-house programme this year.
"""
AISHA = "".join(
    f"""
- id: 2026-11-1{n}-khan-extra-{n}
  date: 2026-11-1{n}
  direction: received
  contact: aisha-khan
  referred: Person {n} of Company {n}
  for: team coaching for {n} new managers
  status: {"new" if n % 2 else "contacted"}
"""
    for n in range(5, 9)
)


def run(project: Path, *args: str):
    old = os.getcwd()
    os.chdir(project)
    try:
        return CliRunner().invoke(main, list(args), env=FROZEN, catch_exceptions=False)
    finally:
        os.chdir(old)


def add_records(project: Path, text: str) -> None:
    with (project / "content" / "records" / "referrals.yaml").open("a", encoding="utf-8") as f:
        f.write(text)


@pytest.fixture(scope="module")
def grouped(tmp_path_factory):
    project = init_project(tmp_path_factory.mktemp("grouped") / "project")
    add_records(project, EXTRA_REFERRALS + AISHA)
    result = run(project, "letters", "--kind", "thank-you", "--kind", "outcome")
    assert result.exit_code == 0, result.output
    return project, result


def rows(project: Path) -> list[dict]:
    with (project / "letters" / "index.csv").open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def preview(project: Path, contact: str, kind: str) -> str:
    [row] = {
        r["preview"]: r for r in rows(project) if r["contact"] == contact and r["kind"] == kind
    }.values()
    return (project / "letters" / row["preview"]).read_text(encoding="utf-8")


def page_texts(project: Path) -> list[str]:
    reader = PdfReader(project / "letters" / "letters.pdf")
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def without_style(html: str) -> str:
    return re.sub(
        r"<style>.*</style>", "<style>/* see letter.css golden */</style>", html, flags=re.S
    )


def test_one_letter_per_person_naming_every_referral(grouped):
    project, result = grouped
    index = rows(project)
    letters = {(r["letter"], r["kind"], r["contact"]) for r in index}
    per_person = {}
    for _, kind, contact in letters:
        per_person.setdefault((kind, contact), 0)
        per_person[kind, contact] += 1
    assert set(per_person.values()) == {1}  # one letter per person and kind
    maria = [
        r["referral"] for r in index if r["contact"] == "maria-lopez" and r["kind"] == "thank-you"
    ]
    assert maria == ["2026-10-22-lopez-quay", "2026-11-16-lopez-dock", "2026-11-18-lopez-acme"]
    previews = {r["preview"] for r in index if r["contact"] == "maria-lopez"}
    assert previews == {  # her thank-you, then the outcome report she is owed
        "preview/005-thank-you-maria-lopez.html",
        "preview/006-outcome-2026-09-02-lopez-greenway.html",
    }
    texts = page_texts(project)
    assert len(texts) == len({r["letter"] for r in index})  # each fits one page
    by_letter = {r["letter"]: texts[int(r["letter"]) - 1] for r in index}
    for row in index:  # every referred person is named in their letter, with the need
        text = by_letter[row["letter"]]
        assert row["referred"].rstrip(".") in text
        assert re.sub(r"^for ", "", row["for"]) in text
    aisha = by_letter[next(r["letter"] for r in index if r["contact"] == "aisha-khan")]
    assert "five introductions" in aisha
    assert "thank-you  " in result.output and "(for 5 referrals)" in result.output


def test_one_envelope_and_one_label_per_person(grouped):
    project, result = grouped
    people = {r["contact"] for r in rows(project) if r["postal_address"] == "yes"}
    envelopes = PdfReader(project / "letters" / "envelopes.pdf").pages
    assert len(envelopes) == len(people)
    labels = " ".join(
        page.extract_text() for page in PdfReader(project / "letters" / "labels.pdf").pages
    )
    assert labels.count("Maria Lopez") == 1 and labels.count("Aisha Khan") == 1


def test_wording_follows_the_facts(grouped):
    project, _ = grouped
    maria = " ".join(preview(project, "maria-lopez", "thank-you").split())
    assert "three introductions" in maria
    assert maria.count("next few days") == 1  # for the referral of two days ago only
    assert "I will be in touch with Dan Park in the next few days" in maria
    quay = maria[maria.index("Grace Hill") : maria.index("Ian Dock")]
    assert "next few days" not in quay  # four weeks old: no promise of days
    assert "for for" not in maria and "Quay Studio., for" not in maria
    assert "Grace Hill, owner of Quay Studio, for a leadership retreat" in maria
    dock = maria[maria.index("Ian Dock") : maria.index("</li>", maria.index("Ian Dock"))]
    assert "We are already working together" in dock and "next few days" not in dock
    # the P.S. speaks of the coffee: the gift is not named again in the body
    assert "coffee gift card" not in maria and maria.count("coffee") == 1
    priya = " ".join(preview(project, "priya-shah", "thank-you").split())
    assert "lunch invitation" not in priya and "P.S. Lunch is on me" in priya
    outcome = " ".join(preview(project, "james-obrien", "outcome").split())
    assert "two people you introduced me to" in outcome
    assert "these introductions. They made a real difference" in outcome
    assert "She chose an in-house programme this year." in outcome


@pytest.mark.parametrize(
    ("golden_name", "contact", "kind"),
    [
        ("thank-you-grouped", "maria-lopez", "thank-you"),
        ("thank-you-gift-in-ps", "priya-shah", "thank-you"),
        ("thank-you-many", "aisha-khan", "thank-you"),
        ("outcome-grouped", "james-obrien", "outcome"),
    ],
)
def test_golden_letters(grouped, golden, golden_name, contact, kind):
    project, _ = grouped
    golden(f"letters/{golden_name}.html", without_style(preview(project, contact, kind)))


def test_weeks_old_single_referral_makes_no_promise_of_days(tmp_path, golden):
    project = init_project(tmp_path / "project")
    referrals = project / "content" / "records" / "referrals.yaml"
    text = referrals.read_text(encoding="utf-8").replace(
        "  date: 2026-11-14\n  direction: received\n  contact: aisha-khan\n",
        "  date: 2026-10-14\n  direction: received\n  contact: aisha-khan\n",
    )
    text = text.replace(
        "  for: management coaching for two new team leads", "  for: for management coaching"
    )
    referrals.write_text(text, encoding="utf-8")
    result = run(project, "letters", "--contact", "aisha-khan")
    assert result.exit_code == 0, result.output
    html = preview(project, "aisha-khan", "thank-you")
    flat = " ".join(html.split())
    assert "next few days" not in flat and "as soon as there is news" in flat
    assert "thinking of me for management coaching." in flat
    golden("letters/thank-you-weeks-old.html", without_style(html))


def referral(**fields):
    from goodwill.relations.records import Referral

    base = dict(
        id="r",
        date=dt.date(2026, 11, 18),
        direction="received",
        contact="c",
        referred="Dan Park",
        need="coaching",
        path=Path("referrals.yaml"),
        line=1,
    )
    return Referral(**{**base, **fields})


def test_need_and_referred_read_inside_a_sentence():
    from goodwill.letters.wording import need_phrase, referred_phrase

    assert need_phrase("for leadership coaching") == "leadership coaching"
    assert need_phrase("For a retreat.") == "a retreat"
    assert need_phrase("forecasting help") == "forecasting help"  # a word, not "for"
    assert need_phrase("coaching for managers") == "coaching for managers"
    assert referred_phrase("Grace Hill, Quay Studio.") == "Grace Hill, Quay Studio"
    assert referred_phrase("Acme Inc...") == "Acme Inc..."


def test_progress_promises_days_only_for_a_recent_new_referral():
    from goodwill.letters.wording import RECENT_DAYS, progress

    on = dt.date(2026, 11, 20)
    assert progress(referral(date=on - dt.timedelta(days=RECENT_DAYS)), on) == "new-recent"
    assert progress(referral(date=on - dt.timedelta(days=RECENT_DAYS + 1)), on) == "new"
    assert progress(referral(status="won"), on) == "won"
    assert progress(referral(status="contacted"), on) == "contacted"


def test_a_gift_is_named_once():
    from goodwill.letters.wording import gifts_and_postscripts, ps_mentions_gift

    assert ps_mentions_gift("Lunch is on me, whenever suits you.", "lunch invitation")
    assert ps_mentions_gift("A little gift is on its way.", "bottle of wine")
    assert ps_mentions_gift("Enjoy the wine!", "a bottle of wine")
    assert not ps_mentions_gift("See you at the chamber breakfast.", "coffee gift card")
    coffee = referral(id="a", gift="coffee gift card")
    wine = referral(id="b", gift="a bottle of wine", ps="See you at the breakfast.")
    again = referral(id="c", gift="coffee gift card", ps="See you at the breakfast.")
    gifts, postscripts = gifts_and_postscripts([coffee, wine, again])
    assert gifts == ["coffee gift card", "a bottle of wine"]  # each once
    assert postscripts == ["See you at the breakfast."]
    toasted = referral(id="d", ps="Enjoy the coffee!")
    assert gifts_and_postscripts([coffee, toasted]) == ([], ["Enjoy the coffee!"])
    assert gifts_and_postscripts([coffee], gift_referrals=[]) == ([], [])


def test_counts_and_lists_read_as_words():
    from goodwill.letters.wording import and_list, count_words

    assert [count_words(n) for n in (1, 2, 5, 12)] == ["one", "two", "five", "12"]
    assert and_list(["A"]) == "A" and and_list(["A", "B"]) == "A and B"
    assert and_list(["A", "B", "C"]) == "A, B and C"


def test_two_gifts_in_one_letter_read_in_the_plural(tmp_path):
    project = init_project(tmp_path / "project")
    add_records(
        project,
        "\n- id: 2026-11-19-lopez-two\n  date: 2026-11-19\n  direction: received\n"
        "  contact: maria-lopez\n  referred: Jo Two\n  for: a workshop\n"
        "  gift: box of chocolates\n",
    )
    assert run(project, "letters", "--contact", "maria-lopez").exit_code == 0
    flat = " ".join(preview(project, "maria-lopez", "thank-you").split())
    assert "two introductions" in flat
    assert "(coffee gift card and box of chocolates). I hope you enjoy them." in flat
    assert "I will be in touch with each of them in the next few days" in flat


def test_a_letter_about_too_many_referrals_says_how_to_split_it(tmp_path):
    project = init_project(tmp_path / "project")
    add_records(
        project,
        "".join(
            f"\n- id: extra-{n}\n  date: 2026-11-{n:02d}\n  direction: received\n"
            f"  contact: aisha-khan\n  referred: Person Number {n}, director at Company {n} Ltd\n"
            f"  for: a leadership programme for the new managers of office {n}\n"
            for n in range(1, 13)
        ),
    )
    result = run(project, "letters", "--contact", "aisha-khan")
    assert result.exit_code == 1
    assert "the thank-you letter about 13 referrals from contact 'aisha-khan' (Aisha Khan)" in (
        result.output
    )
    assert "would run over one page; nothing was written" in result.output
    assert "`goodwill letters --contact aisha-khan --since DATE`" in result.output
    assert not (project / "letters").exists()


OLD_THANK_YOU = """{% extends "letters/letter.html.j2" %}
{% block body %}
  <p>Thank you so much for introducing me to {{ referral.referred }}, and for thinking of me
  for {{ referral.for }}.</p>
{% endblock %}
"""


def test_a_template_that_names_only_the_first_referral_is_refused(tmp_path):
    project = init_project(tmp_path / "project")
    (project / "templates" / "letters" / "thank-you.html.j2").write_text(OLD_THANK_YOU)
    assert run(project, "letters").exit_code == 0  # one referral a letter: still fine
    add_records(
        project,
        "\n- id: 2026-11-19-lopez-two\n  date: 2026-11-19\n  direction: received\n"
        "  contact: maria-lopez\n  referred: Jo Two\n  for: a workshop\n",
    )
    before = (project / "letters" / "index.csv").read_bytes()
    result = run(project, "letters")
    assert result.exit_code == 1
    assert (
        "templates/letters/thank-you.html.j2: the thank-you letter to contact 'maria-lopez' is "
        "about 2 referrals, but it does not name 'Jo Two' (referral '2026-11-19-lopez-two')"
    ) in result.output
    assert "loop over `referrals` in the template" in result.output
    assert (project / "letters" / "index.csv").read_bytes() == before  # nothing written
