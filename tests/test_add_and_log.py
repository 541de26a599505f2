"""`goodwill add contact|referral` and `goodwill log`, and interactions.yaml itself."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from goodwill.cli.main import main
from goodwill.core.errors import Collector
from goodwill.letters.compose import Selection, select_letters
from goodwill.relations.records import load_records
from goodwill.relations.report import build_report
from goodwill.scaffold import StarterDetails, init_starter

TODAY = dt.date(2026, 11, 20)


@pytest.fixture
def starter(tmp_path) -> Path:
    root = init_starter(tmp_path / "mine", StarterDetails(name="Sam Lee"))
    (root / "content" / "records" / "contacts.yaml").write_text(
        "# people\n- id: maria-lopez\n  name: Maria Lopez\n  last_contact: 2026-01-05\n",
        encoding="utf-8",
    )
    return root


def run(project: Path, *args):
    old = os.getcwd()
    os.chdir(project)
    try:
        return CliRunner().invoke(main, list(args), catch_exceptions=False)
    finally:
        os.chdir(old)


def records_of(project: Path):
    problems = Collector()
    records = load_records(project / "content" / "records", problems)
    assert problems.errors == [], [p.format() for p in problems.problems]
    return records


def test_add_contact_prints_and_appends_keeping_comments(starter):
    path = starter / "content" / "records" / "contacts.yaml"
    before = path.read_text()
    result = run(
        starter,
        "add",
        "contact",
        "Dan Park",
        "--email",
        "dan@acme.example",
        "--phone",
        "0117 496 0000",
        "--company",
        "Acme Ltd",
        "--role",
        "HR director",
        "--tags",
        "hr, clients",
    )
    assert result.exit_code == 0, result.output
    assert "Added contact 'dan-park' to content/records/contacts.yaml:" in result.output
    assert "  name: Dan Park" in result.output and "phone: 0117 496 0000" in result.output
    assert path.read_text().startswith(before)
    dan = records_of(starter).contacts["dan-park"]
    assert (dan.email, dan.phone, dan.company, dan.role) == (
        "dan@acme.example",
        "0117 496 0000",
        "Acme Ltd",
        "HR director",
    )
    assert dan.tags == ("hr", "clients")
    again = run(starter, "add", "contact", "Dan Park")
    assert "Added contact 'dan-park-2'" in again.output
    assert "'dan-park' has the same name" in again.output


def test_add_contact_refuses_bad_email_and_a_taken_one(starter):
    path = starter / "content" / "records" / "contacts.yaml"
    before = path.read_bytes()
    bad = run(starter, "add", "contact", "Dan", "--email", "dan-at-acme")
    assert bad.exit_code == 1
    assert "email: 'dan-at-acme' does not look like an e-mail address" in bad.output
    run(starter, "add", "contact", "Dan Park", "--email", "dan@acme.example")
    taken = run(starter, "add", "contact", "Daniel Park", "--email", "DAN@acme.example")
    assert taken.exit_code == 1 and "already the e-mail of contact 'dan-park'" in taken.output
    assert path.read_bytes() != before  # only the good one was written
    assert len(records_of(starter).contacts) == 2


def test_add_referral_received_and_given(starter):
    result = run(
        starter,
        "add",
        "referral",
        "--from",
        "maria-lopez",
        "--referred",
        "Dan Park, HR director at Acme",
        "--for",
        "leadership coaching",
        "--date",
        "2026-11-18",
        "--value",
        "4,800",
    )
    assert result.exit_code == 0, result.output
    assert "Added referral '2026-11-18-dan-park'" in result.output
    assert "  direction: received" in result.output and "  value: 4800" in result.output
    given = run(starter, "add", "referral", "--to", "maria-lopez", "--referred", "Ana Silva",
                "--for", "bookkeeping", "--status", "contacted")  # fmt: skip
    assert given.exit_code == 0, given.output
    same = run(starter, "add", "referral", "--from", "maria-lopez", "--referred",
               "Dan Park", "--for", "more coaching", "--date", "2026-11-18")  # fmt: skip
    assert "2026-11-18-dan-park-2" in same.output
    referrals = {r.id: r for r in records_of(starter).referrals}
    assert referrals["2026-11-18-dan-park"].value == 4800
    assert referrals["2026-11-18-dan-park"].need == "leadership coaching"
    assert referrals["2026-11-20-ana-silva"].direction == "given"
    assert referrals["2026-11-20-ana-silva"].status == "contacted"


def test_add_referral_errors_have_did_you_mean(starter):
    typo = run(starter, "add", "referral", "--from", "maria-lopes", "--referred", "X",
               "--for", "Y")  # fmt: skip
    assert typo.exit_code == 1
    assert "no contact with id 'maria-lopes' (did you mean 'maria-lopez'?)" in typo.output
    status = run(starter, "add", "referral", "--from", "maria-lopez", "--referred", "X",
                 "--for", "Y", "--status", "wno")  # fmt: skip
    assert status.exit_code == 1
    assert "status: 'wno' is not one of new, contacted, won, lost (did you mean 'won'?)" in (
        status.output
    )
    both = run(starter, "add", "referral", "--from", "a", "--to", "b", "--referred", "X",
               "--for", "Y")  # fmt: skip
    assert both.exit_code == 2 and "exactly one of --from" in both.output
    future = run(starter, "add", "referral", "--from", "maria-lopez", "--referred", "X",
                 "--for", "Y", "--date", "2027-01-01")  # fmt: skip
    assert future.exit_code == 1 and "is in the future" in future.output
    assert records_of(starter).referrals == []


def test_log_writes_one_interaction_each(starter):
    path = starter / "content" / "records" / "interactions.yaml"
    comments = path.read_text()
    result = run(starter, "log", "maria-lopez", "call", "--note", "Asked about her new office")
    assert result.exit_code == 0, result.output
    assert "Added a call with 'maria-lopez' to content/records/interactions.yaml:12:" in (
        result.output
    )
    assert "  kind: call" in result.output and "- date: 2026-11-20" in result.output
    run(starter, "log", "maria-lopez", "gift", "--date", "2026-11-12")
    assert path.read_text().startswith(comments)
    touches = records_of(starter).interactions
    assert [(t.kind, t.date, t.note) for t in touches] == [
        ("call", TODAY, "Asked about her new office"),
        ("gift", dt.date(2026, 11, 12), None),
    ]


def test_log_kind_and_contact_did_you_mean(starter):
    kind = run(starter, "log", "maria-lopez", "cal")
    assert kind.exit_code == 1
    assert "kind: 'cal' is not one of met, call, email, message, gift, intro, event" in kind.output
    assert "did you mean 'call'?" in kind.output
    who = run(starter, "log", "mria-lopez", "call")
    assert who.exit_code == 1 and "did you mean 'maria-lopez'?" in who.output
    assert records_of(starter).interactions == []


def test_hand_written_interactions_are_validated_with_file_and_line(starter):
    path = starter / "content" / "records" / "interactions.yaml"
    path.write_text(
        "- date: 2026-11-02\n  contact: maria-lopez\n  kind: coffee\n"
        "- date: 2026-13-01\n  contact: mario-lopez\n  kind: call\n  mood: good\n"
        "- contact: maria-lopez\n  kind: met\n"
    )
    problems = Collector()
    load_records(starter / "content" / "records", problems)
    messages = [p.format(starter) for p in problems.problems]
    joined = "\n".join(messages)
    assert (
        "content/records/interactions.yaml:3: interaction #1: kind: 'coffee' is not one" in joined
    )
    assert "interactions.yaml:4: interaction #2: date:" in joined
    assert "interactions.yaml:5: interaction #2: contact: 'mario-lopez' is not a known contact" in (
        joined
    )
    assert "(did you mean 'maria-lopez'?)" in joined
    assert "interactions.yaml:7: interaction #2: mood: unknown field" in joined
    assert "interactions.yaml:8: interaction #3: date: missing required field" in joined
    result = run(starter, "check")
    assert result.exit_code == 1


def test_a_mapping_instead_of_a_list_is_named_so(starter):
    path = starter / "content" / "records" / "interactions.yaml"
    path.write_text("date: 2026-11-02\ncontact: maria-lopez\nkind: call\n")
    problems = Collector()
    load_records(starter / "content" / "records", problems)
    [problem] = problems.problems
    assert problem.format(starter) == (
        "content/records/interactions.yaml:1: expected a list of interactions, got a mapping "
        "(start each interaction with '- date: ...')"
    )


def test_empty_and_comment_only_records_are_no_records(starter):
    folder = starter / "content" / "records"
    (folder / "contacts.yaml").write_text("")
    (folder / "referrals.yaml").write_text("# nothing yet\n\n# still nothing\n")
    (folder / "interactions.yaml").write_text("[]\n")
    problems = Collector()
    records = load_records(folder, problems)
    assert problems.problems == []
    assert (records.contacts, records.referrals, records.interactions) == ({}, [], [])


def test_interactions_count_as_in_touch_for_letters_report_and_agenda(starter):
    from goodwill.relations.agenda import CHECK_IN, build_agenda

    records = records_of(starter)
    maria = records.contacts["maria-lopez"]
    assert records.last_in_touch(maria) == dt.date(2026, 1, 5)
    check_ins = select_letters(records, Selection(("check-in",)), 90, TODAY)
    assert [r.contact.id for r in check_ins] == ["maria-lopez"]
    assert [i.kind for i in build_agenda(records, TODAY, check_in_days=90)] == [CHECK_IN]
    run(starter, "log", "maria-lopez", "met", "--date", "2026-11-01")
    records = records_of(starter)
    assert records.last_in_touch(records.contacts["maria-lopez"]) == dt.date(2026, 11, 1)
    assert select_letters(records, Selection(("check-in",)), 90, TODAY) == []
    [row] = build_report(records, TODAY, 90)
    assert row.days_since_contact == 19 and "check in" not in row.flags
    assert build_agenda(records, TODAY, check_in_days=90) == []


def test_add_and_log_in_real_processes(starter):
    env = {**os.environ, "GOODWILL_TODAY": "2026-11-20"}

    def goodwill(*args):
        proc = subprocess.run(
            [sys.executable, "-m", "goodwill", *args],
            cwd=starter,
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
        )
        assert proc.returncode == 0, proc.stderr
        return proc.stdout

    logged = goodwill("log", "maria-lopez", "intro", "--note", "To Tom")
    assert "Added an introduction with 'maria-lopez'" in logged and "kind: intro" in logged
    assert "id: tom-hughes" in goodwill("add", "contact", "Tom Hughes", "--role", "Solicitor")
    made = goodwill(
        "add", "referral", "--to", "tom-hughes", "--referred", "Ana", "--for", "a lease"
    )
    assert "direction: given" in made
    records = records_of(starter)
    assert records.interactions[0].note == "To Tom"
    assert records.contacts["tom-hughes"].role == "Solicitor"
    assert records.referrals[0].contact == "tom-hughes"


@pytest.mark.parametrize(
    "args, missing",
    [
        (["add", "contact"], "Missing argument 'NAME'"),
        (["add", "referral", "--from", "x", "--for", "y"], "Missing option '--referred'"),
        (["log", "maria-lopez"], "Missing argument 'KIND'"),
        (["log", "maria-lopez", "call", "--date", "yesterday"], "is not a real date"),
    ],
)
def test_arguments_are_parsed(args, missing):
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2 and missing in result.output
