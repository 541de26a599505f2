"""`goodwill agenda`: what is due, its order, its formats and its calendar file."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import icalendar
import ics
import pytest
from click.testing import CliRunner

from goodwill.cli.main import main
from goodwill.core.errors import Collector
from goodwill.relations.agenda import (
    CHECK_IN,
    FOLLOW_UP,
    GIVE_BACK,
    REPORT,
    THANK,
    AgendaItem,
    build_agenda,
)
from goodwill.relations.calendar import agenda_calendar
from goodwill.relations.records import load_records
from goodwill.scaffold import StarterDetails, init_starter

TODAY = dt.date(2026, 11, 20)
CONTACTS = """\
- id: maria-lopez
  name: Maria Lopez
- id: james-obrien
  name: James O'Brien
- id: priya-shah
  name: Priya Shah
  last_contact: 2026-06-01
- id: tom-hughes
  name: Tom Hughes
- id: nobody
  name: Never In Touch
"""
REFERRALS = """\
- {id: r-new, date: 2026-11-19, direction: received, contact: maria-lopez,
   referred: Dan Park, for: coaching}
- {id: r-late, date: 2026-11-10, direction: received, contact: maria-lopez,
   referred: Ana Silva, for: a workshop}
- {id: r-won, date: 2026-09-01, direction: received, contact: james-obrien, referred: Lee Wu,
   for: mentoring, status: won, closed: 2026-11-15, thanked: 2026-09-02, value: 900}
- {id: r-stale, date: 2026-10-01, direction: received, contact: james-obrien,
   referred: Kim Ode, for: a team day, status: contacted, thanked: 2026-10-02}
- {id: r-given, date: 2026-10-20, direction: given, contact: tom-hughes,
   referred: Eva Roth, for: a contract review}
"""


@pytest.fixture
def project(tmp_path) -> Path:
    root = init_starter(tmp_path / "mine", StarterDetails(name="Sam Lee"))
    folder = root / "content" / "records"
    (folder / "contacts.yaml").write_text(CONTACTS, encoding="utf-8")
    (folder / "referrals.yaml").write_text(REFERRALS, encoding="utf-8")
    return root


def records_of(root: Path):
    problems = Collector()
    records = load_records(root / "content" / "records", problems)
    assert problems.errors == [], [p.format() for p in problems.problems]
    return records


def run(root: Path, *args, env=None):
    old = os.getcwd()
    os.chdir(root)
    try:
        return CliRunner(env=env).invoke(main, list(args), catch_exceptions=False)
    finally:
        os.chdir(old)


def test_every_kind_is_found_with_reason_and_age_most_urgent_first(project):
    items = build_agenda(records_of(project), TODAY, 14, check_in_days=90)
    got = [(i.kind, i.subject or i.contact_id, i.days_late(TODAY), i.age(TODAY)) for i in items]
    assert got == [
        (THANK, "r-late", 8, 10),  # late: thanks were due on the 12th
        (REPORT, "r-won", 5, 5),
        (FOLLOW_UP, "r-stale", 36, 50),  # contacted, not won or lost after 14 days
        (FOLLOW_UP, "r-given", 17, 31),  # given on 20 Oct, still new
        (CHECK_IN, "priya-shah-2026-08-30", 82, 172),
        (THANK, "r-new", 0, 1),  # due on the 21st: listed, not late yet
        (GIVE_BACK, "james-obrien", 0, 80),  # sent 2, got 0, and 900 won
        (GIVE_BACK, "maria-lopez", 0, 10),  # sent 2, got 0
    ]
    thank = items[0]
    assert thank.reason == "sent you Ana Silva (a workshop)"
    assert thank.uid == "thank-r-late" and thank.label == "thank now"
    assert "tell them how it went" in items[1].reason
    assert "get in touch" in items[2].reason
    assert items[3].reason.startswith("you referred Eva Roth (a contract review), still new")
    assert items[4].reason == "not in touch for 172 days (last 2026-06-01)"
    assert items[7].reason.startswith("sent you 2, you sent them 0 (you sent none)")


def test_days_changes_follow_ups_and_check_in_days_changes_check_ins(project):
    records = records_of(project)
    kinds = [i.subject for i in build_agenda(records, TODAY, 40) if i.kind == FOLLOW_UP]
    assert kinds == ["r-stale"]
    assert not [i for i in build_agenda(records, TODAY, check_in_days=200) if i.kind == CHECK_IN]


def test_a_contact_with_a_referral_task_gets_no_check_in_on_top(project):
    folder = project / "content" / "records"
    (folder / "contacts.yaml").write_text(
        CONTACTS.replace(
            "  name: Maria Lopez\n", "  name: Maria Lopez\n  last_contact: 2026-01-01\n"
        )
    )
    items = build_agenda(records_of(project), TODAY)
    assert not [i for i in items if i.kind == CHECK_IN and i.contact_id == "maria-lopez"]


def test_done_tasks_leave_the_agenda(project):
    result = run(project, "thank", "r-late", "r-new")
    assert result.exit_code == 0, result.output
    run(project, "thank", "r-won", "--outcome")
    items = build_agenda(records_of(project), TODAY)
    assert {THANK, REPORT}.isdisjoint(i.kind for i in items)


def test_other_wings_add_their_own_items(project):
    post = AgendaItem(
        due=TODAY,
        kind="congratulate",
        contact_id="tom-hughes",
        contact_name="Tom Hughes",
        reason="Tom posted 'We moved offices': congratulate him",
        since=TODAY - dt.timedelta(days=1),
        subject="https://hughes-law.example/moved",
    )
    items = build_agenda(records_of(project), TODAY, extra_items=[post])
    assert post in items
    due_today = [i for i in items if not i.days_late(TODAY) and i.due <= TODAY]
    assert due_today[-1] == post  # after our own kinds on the same footing
    assert post.label == "congratulate"


def test_table_reads_at_80_columns_without_cutting_names(project):
    folder = project / "content" / "records"
    long_name = "Anna-Katharina Montgomery Worthington Featherstone"
    (folder / "contacts.yaml").write_text(CONTACTS.replace("Maria Lopez", long_name))
    result = run(project, "agenda", env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert max(len(line) for line in lines) <= 80, "\n".join(lines)
    assert "…" not in result.output
    text = " ".join(line.strip() for line in lines)
    for part in long_name.replace("-", " ").split():
        assert part in text
    assert "thank now" in result.output and "8d late" in result.output
    assert "8 to do, 5 late" in result.output


def test_csv_and_json(project):
    result = run(project, "agenda", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert rows[0]["action"] == "thank now" and rows[0]["contact"] == "maria-lopez"
    assert rows[0]["days_late"] == "8" and rows[0]["age_days"] == "10"
    data = json.loads(run(project, "agenda", "--format", "json").output)
    assert [d["uid"] for d in data][:2] == ["thank-r-late", "report-r-won"]
    assert data[0]["due"] == "2026-11-12"


def test_an_empty_agenda_says_so_and_exits_0(tmp_path):
    root = init_starter(tmp_path / "blank", StarterDetails())
    result = run(root, "agenda")
    assert result.exit_code == 0
    assert "Nothing is due" in result.output


def test_ics_parses_back_with_two_libraries_and_keeps_its_uids(project, tmp_path):
    target = tmp_path / "cal" / "agenda.ics"  # its folder is made
    first = run(project, "agenda", "--ics", str(target))
    assert first.exit_code == 0, first.output
    assert "Wrote 8 calendar entries" in first.output
    assert target.stat().st_mode & 0o777 == 0o600
    calendar = icalendar.Calendar.from_ical(target.read_bytes())
    assert str(calendar["method"]) == "PUBLISH" and str(calendar["version"]) == "2.0"
    events = calendar.walk("VEVENT")
    assert len(events) == 8
    by_uid = {str(e["uid"]): e for e in events}
    late = by_uid["thank-r-late@agenda.goodwill"]
    assert late.decoded("dtstart") == TODAY  # late: on today's calendar
    assert str(late["summary"]) == "thank now: Maria Lopez"
    assert "8 day(s) late" in str(late["description"])
    assert by_uid["thank-r-new@agenda.goodwill"].decoded("dtstart") == dt.date(2026, 11, 21)
    parsed = ics.Calendar(target.read_text())
    assert {e.uid for e in parsed.events} == set(by_uid)
    assert {e.name for e in parsed.events} >= {"thank now: Maria Lopez"}

    run(project, "thank", "r-late")
    second = run(project, "agenda", "--ics", str(target))
    assert second.exit_code == 0
    again = icalendar.Calendar.from_ical(target.read_bytes()).walk("VEVENT")
    uids = {str(e["uid"]) for e in again}
    assert uids == set(by_uid) - {"thank-r-late@agenda.goodwill"}


def test_ics_sequence_grows_so_a_later_file_wins():
    item = AgendaItem(TODAY, THANK, "m", "M", "why", TODAY)
    early = icalendar.Calendar.from_ical(
        agenda_calendar([item], TODAY, dt.datetime(2026, 11, 20, 8, tzinfo=dt.UTC))
    )
    later = icalendar.Calendar.from_ical(
        agenda_calendar([item], TODAY, dt.datetime(2026, 11, 20, 9, tzinfo=dt.UTC))
    )
    seq = [int(c.walk("VEVENT")[0]["sequence"]) for c in (early, later)]
    assert seq[1] > seq[0]


def test_ics_is_refused_inside_the_site_or_content(project):
    result = run(project, "agenda", "--ics", "content/agenda.ics")
    assert result.exit_code == 1
    assert "refusing to write the agenda calendar" in result.output
    assert not (project / "content" / "agenda.ics").exists()


@pytest.mark.parametrize(
    "args, message",
    [
        (["agenda", "--days", "0"], "0 is not in the range x>=1"),
        (["agenda", "--format", "xml"], "'xml' is not one of"),
    ],
)
def test_arguments_are_parsed(args, message):
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2 and message in result.output


def test_agenda_in_a_real_process(project):
    env = {**os.environ, "GOODWILL_TODAY": "2026-11-20", "COLUMNS": "80"}
    proc = subprocess.run(
        [sys.executable, "-m", "goodwill", "agenda", "--format", "json"],
        cwd=project,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)[0]["uid"] == "thank-r-late"
