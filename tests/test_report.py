"""`goodwill report`: reciprocity per contact, flags, ordering, exports."""

from __future__ import annotations

import csv
import datetime as dt
import io

from goodwill.core.errors import Collector
from goodwill.relations.records import load_records
from goodwill.relations.report import build_report


def rows_by_id(project_dir):
    records = load_records(project_dir / "content" / "records", Collector())
    rows = build_report(records, dt.date(2026, 11, 20), 90)
    return rows, {row.contact.id: row for row in rows}


def test_numbers_per_contact(project_dir):
    _, rows = rows_by_id(project_dir)
    maria = rows["maria-lopez"]
    assert (maria.received, maria.given) == (4, 1)
    assert (maria.value_received, maria.value_given) == (11300, 1200)  # won business only
    assert maria.last_thanked == dt.date(2026, 10, 21)
    assert (maria.unthanked, maria.outcomes_due) == (1, 1)
    assert maria.days_since_contact == 2
    assert rows["tom-becker"].days_since_contact == 121
    assert rows["ben-taylor"].last_thanked is None


def test_flags_and_order(project_dir):
    rows, by_id = rows_by_id(project_dir)
    assert by_id["sophie-martin"].flags == ["thank now", "report outcome", "give back next"]
    assert by_id["maria-lopez"].flags == ["report outcome"]  # thanks due, but only 2 days old
    assert by_id["tom-becker"].flags == ["report outcome", "check in"]
    assert by_id["grace-chen"].flags == []
    give_back = {row.contact.id for row in rows if "give back next" in row.flags}
    assert give_back == {"james-obrien", "sophie-martin", "aisha-khan"}
    order = [row.contact.id for row in rows]
    thank_now = [row.contact.id for row in rows if "thank now" in row.flags]
    assert order[: len(thank_now)] == thank_now
    assert order[-1] in {"grace-chen", "seun-adeyemi"} and not rows[-1].flags


def test_terminal_table(cli):
    result = cli("report")
    assert result.exit_code == 0, result.output
    assert "Reciprocity" in result.output
    lines = result.output.splitlines()
    first = next(line for line in lines if "Martin" in line or "O'Brien" in line)
    assert "thank now" in first
    assert "12 contacts: 18 referrals received (23,400 won), 7 given (6,200 won); 10 need" in (
        result.output
    )


def test_csv_and_markdown_exports(cli, project_dir):
    with (project_dir / "content" / "records" / "contacts.yaml").open("a") as handle:
        handle.write('\n- id: odd\n  name: "=HYPERLINK(1) <b>|pipe|</b>"\n')
    table = list(csv.DictReader(io.StringIO(cli("report", "--format", "csv").output)))
    assert len(table) == 13
    maria = next(row for row in table if row["contact"] == "maria-lopez")
    assert maria["value_received"] == "11300" and maria["flags"] == "report outcome"
    odd = next(row for row in table if row["contact"] == "odd")
    assert odd["name"] == "'=HYPERLINK(1) <b>|pipe|</b>"  # never a live spreadsheet formula
    markdown = cli("report", "--format", "markdown").output
    assert markdown.startswith("| Contact | Received | Given |")
    assert "| Maria Lopez (maria-lopez) | 4 | 1 | 11,300 | 1,200 | 2026-10-21 |" in markdown
    assert "=HYPERLINK(1) &lt;b&gt;\\|pipe\\|&lt;/b&gt; (odd)" in markdown


def test_output_file_and_refusals(cli, project_dir):
    written = cli("report", "--format", "csv", "--output", "private/report.csv")
    assert written.exit_code == 1  # the folder must exist
    (project_dir / "private").mkdir()
    written = cli("report", "--format", "markdown", "--output", "private/report.md")
    assert written.exit_code == 0, written.output
    assert (project_dir / "private" / "report.md").read_text().startswith("| Contact")
    assert (project_dir / "private" / "report.md").stat().st_mode & 0o777 == 0o600
    for target in ("site/report.csv", "content/report.csv"):
        refused = cli("report", "--format", "csv", "--output", target)
        assert refused.exit_code == 1
        assert "refusing to write reports into" in refused.output
        assert "give --output a file outside the site" in refused.output
        assert "letters/" not in refused.output.split("refusing")[1]  # not the letters hint
    assert not (project_dir / "site").exists()
    assert cli("report", "--output", "private/x.txt").exit_code == 2


def test_report_refuses_bad_records(cli, project_dir):
    referrals = project_dir / "content" / "records" / "referrals.yaml"
    referrals.write_text(
        referrals.read_text().replace("  direction: given\n", "  direction: gave\n", 1)
    )
    result = cli("report")
    assert result.exit_code == 1
    assert "direction: 'gave' is not one of received, given" in result.output
