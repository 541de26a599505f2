"""`goodwill report` in an 80-column terminal: nothing cut, every name and value whole."""

from __future__ import annotations

import datetime as dt
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from rich.console import Console

from goodwill.core.errors import Collector
from goodwill.relations.records import load_records
from goodwill.relations.report import MAX_UNWRAPPED_NAME, build_report, rich_table

LONG_NAME = "Dr Anneliese Vandenberghe-Okonkwo"
SCRIPTS = Path(__file__).resolve().parents[1] / "scripts"


@pytest.fixture
def wide_records(project_dir):
    """The demo plus a contact with a long name and a large won referral."""
    records = project_dir / "content" / "records"
    with (records / "contacts.yaml").open("a", encoding="utf-8") as handle:
        handle.write(f"\n- id: anneliese-vo\n  name: {LONG_NAME}\n")
    with (records / "referrals.yaml").open("a", encoding="utf-8") as handle:
        handle.write(
            "\n- id: big-one\n  date: 2026-06-01\n  direction: received\n"
            "  contact: anneliese-vo\n  referred: A Large Client\n  for: a year of coaching\n"
            "  status: won\n  value: 1234567\n  closed: 2026-07-01\n  thanked: 2026-06-02\n"
            "  outcome_reported: 2026-07-02\n"
        )
    return project_dir


def expected_cells(project_dir) -> tuple[list[str], list[str]]:
    """Every contact's name, and every number the narrow table shows."""
    records = load_records(project_dir / "content" / "records", Collector())
    rows = build_report(records, dt.date(2026, 11, 20), 90)
    names = [row.contact.name for row in rows]
    values = set()
    for row in rows:
        for number in (row.value_received, row.value_given):
            if number:
                values.add(f"{number:,.0f}")
        if row.days_since_contact is not None:
            values.add(str(row.days_since_contact))
    return names, sorted(values)


def assert_fits_whole(text: str, names, values, width: int = 80) -> None:
    lines = text.splitlines()
    assert lines and max(len(line) for line in lines) <= width, "a line is wider than the screen"
    assert "…" not in text, "something was cut short"
    cells = {cell for line in lines for cell in line.split()}
    for name in names:
        if len(name) <= MAX_UNWRAPPED_NAME:
            assert any(name in line for line in lines), f"{name!r} is not whole on one line"
        else:  # a very long name may wrap, but only between its words
            assert all(word in cells for word in name.split()), f"{name!r} was cut mid-word"
    for value in values:
        assert value in cells, f"value {value} is not shown whole"
    for flag in ("thank now", "report outcome", "give back next", "check in"):
        assert any(flag in line for line in lines), f"action {flag!r} is split or missing"


def test_narrow_table_in_a_rich_console_of_80_columns(wide_records):
    names, values = expected_cells(wide_records)
    assert LONG_NAME in names and "1,234,567" in values
    records = load_records(wide_records / "content" / "records", Collector())
    rows = build_report(records, dt.date(2026, 11, 20), 90)
    screen = io.StringIO()
    Console(file=screen, width=80, highlight=False, color_system=None).print(rich_table(rows))
    assert_fits_whole(screen.getvalue(), names, values)
    assert "Last thanked" not in screen.getvalue()  # detail left to --wide


def test_report_command_in_a_real_80_column_terminal_subprocess(wide_records):
    names, values = expected_cells(wide_records)
    env = {
        **os.environ,
        "COLUMNS": "80",
        "GOODWILL_TODAY": "2026-11-20",
        "PYTHONPATH": f"{SCRIPTS}{os.pathsep}{os.environ.get('PYTHONPATH', '')}",
    }
    done = subprocess.run(
        [sys.executable, "-m", "goodwill", "report"],
        cwd=wide_records,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert_fits_whole(done.stdout, names, values)
    assert "13 contacts: 19 referrals received" in " ".join(done.stdout.split())


def test_wide_shows_every_column_in_full(cli, wide_records):
    result = cli("report", "--wide")
    assert result.exit_code == 0, result.output
    header = next(line for line in result.output.splitlines() if "Contact" in line)
    for title in ("Id", "Last thanked", "Unthanked", "Outcome due", "Days", "Action"):
        assert title in header
    assert "…" not in result.output
    sophie = next(line for line in result.output.splitlines() if "Sophie Martin" in line)
    assert "sophie-martin" in sophie and "2026-03-21" in sophie
    assert "thank now, report outcome, give back next" in sophie
    refused = cli("report", "--wide", "--format", "csv")
    assert refused.exit_code == 2 and "--wide is for the terminal table" in refused.output


def test_wide_option_is_parsed():
    from goodwill.cli.main import main

    command = main.get_command(None, "report")
    ctx = command.make_context("report", ["--wide", "--format", "table"])
    assert ctx.params["wide"] is True and ctx.params["fmt"] == "table"
