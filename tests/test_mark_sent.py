"""--mark-sent and `goodwill thank`: the user's YAML changes by the new dates only."""

from __future__ import annotations

import datetime as dt

import pytest

from goodwill.core import outdir
from goodwill.core.errors import GoodwillError
from goodwill.core.yamledit import DateEdit, edit_text

TODAY = "2026-11-20"


def records(project_dir):
    return project_dir / "content" / "records"


def test_mark_sent_round_trip_changes_nothing_but_the_new_dates(cli, project_dir):
    referrals = records(project_dir) / "referrals.yaml"
    contacts = records(project_dir) / "contacts.yaml"
    before, contacts_before = referrals.read_bytes(), contacts.read_bytes()
    assert cli("letters").exit_code == 0
    assert referrals.read_bytes() == before  # writing letters marks nothing
    result = cli("letters", "--mark-sent")
    assert result.exit_code == 0, result.output
    assert "Marked 6 record(s)" in result.output
    after = referrals.read_bytes()
    added = f"  thanked: {TODAY}\n".encode()
    lines = after.splitlines(keepends=True)
    assert lines.count(added) == 6
    assert b"".join(line for line in lines if line != added) == before
    assert contacts.read_bytes() == contacts_before
    # the marked line is right after the record's last field, its comment kept
    assert b"  gift: coffee gift card   # she does not drink alcohol\n" + added in after
    again = cli("letters")
    assert again.exit_code == 0
    assert "No thank-you letters are due; nothing was written." in again.output
    assert cli("check").exit_code == 0


def test_outcome_and_check_in_marks(cli, project_dir):
    referrals = records(project_dir) / "referrals.yaml"
    contacts = records(project_dir) / "contacts.yaml"
    before = referrals.read_text()
    assert cli("letters", "--kind", "outcome", "--kind", "check-in").exit_code == 0
    result = cli("letters", "--mark-sent")
    assert result.exit_code == 0, result.output
    assert referrals.read_text().count(f"outcome_reported: {TODAY}") == 5
    assert "thanked: 2026-11-20" not in referrals.read_text()
    text = contacts.read_text()
    assert "  last_contact: 2026-07-01\n" not in text  # carlos-mendes, overwritten in place
    assert "  last_contact: 2026-06-30\n" in text  # tom-becker: his outcome letter, no check-in
    assert text.count(f"last_contact: {TODAY}") == 3
    assert before.splitlines()[:5] == referrals.read_text().splitlines()[:5]
    again = cli("letters", "--kind", "outcome", "--kind", "check-in")
    assert "No outcome or check-in letters are due" in again.output


def test_mark_sent_marks_what_was_printed_not_what_is_due_now(cli, project_dir):
    referrals = records(project_dir) / "referrals.yaml"
    assert cli("letters", "--contact", "maria-lopez").exit_code == 0
    referrals.write_text(
        referrals.read_text() + "\n- id: late-arrival\n  date: 2026-11-20\n  direction: received\n"
        "  contact: maria-lopez\n  referred: Someone New\n  for: a late need\n"
    )
    result = cli("letters", "--mark-sent")
    assert result.exit_code == 0, result.output
    assert "Marked 1 record(s)" in result.output
    assert referrals.read_text().endswith("  for: a late need\n")  # not marked: never printed


def test_mark_sent_needs_a_letter_set_and_takes_no_selection(cli, project_dir):
    result = cli("letters", "--mark-sent")
    assert result.exit_code == 1
    assert "no letter set in" in result.output and "run `goodwill letters` first" in result.output
    refused = cli("letters", "--mark-sent", "--kind", "outcome")
    assert refused.exit_code == 2
    assert "it takes no selection options (got --kind)" in refused.output


def test_mark_sent_with_bad_records_writes_nothing(cli, project_dir):
    assert cli("letters").exit_code == 0
    referrals = records(project_dir) / "referrals.yaml"
    broken = referrals.read_text().replace("status: new", "status: nwe", 1)
    referrals.write_text(broken)
    result = cli("letters", "--mark-sent")
    assert result.exit_code == 1
    assert "status: 'nwe' is not one of new, contacted, won, lost (did you mean 'new'?)" in (
        result.output
    )
    assert "nothing was written" in result.output
    assert referrals.read_text() == broken


def test_a_crash_while_writing_leaves_the_old_file(cli, project_dir, monkeypatch):
    assert cli("letters").exit_code == 0
    referrals = records(project_dir) / "referrals.yaml"
    before = referrals.read_bytes()

    def crash(*args):
        raise OSError("disk full")

    monkeypatch.setattr(outdir.os, "replace", crash)
    result = cli("letters", "--mark-sent")
    assert result.exit_code == 1 and "disk full" in result.output
    assert "Traceback" not in result.output
    assert referrals.read_bytes() == before
    assert sorted(p.name for p in records(project_dir).iterdir()) == [
        "contacts.yaml",
        "referrals.yaml",
    ]


def test_thank_one_referral_and_its_errors(cli, project_dir):
    referrals = records(project_dir) / "referrals.yaml"
    before = referrals.read_text()
    typo = cli("thank", "2026-11-18-lopez-acm")
    assert typo.exit_code == 1
    assert "no referral with id '2026-11-18-lopez-acm' (did you mean '2026-11-18-lopez-acme'?)" in (
        typo.output
    )
    given = cli("thank", "2026-10-08-to-lopez")
    assert given.exit_code == 1 and "is one you gave" in given.output
    still_open = cli("thank", "--outcome", "2026-11-18-lopez-acme")
    assert still_open.exit_code == 1 and "is still 'new'" in still_open.output
    too_early = cli("thank", "2026-11-18-lopez-acme", "--date", "2026-11-01")
    assert too_early.exit_code == 1 and "before the referral date" in too_early.output
    assert "content/records/referrals.yaml:10: " in too_early.output  # its date: line
    future = cli("thank", "2026-11-18-lopez-acme", "--date", "2026-11-21")
    assert future.exit_code == 1 and "--date 2026-11-21 is in the future" in future.output
    bad_date = cli("thank", "2026-11-18-lopez-acme", "--date", "2026-02-30")
    assert bad_date.exit_code == 2 and "is not a real date" in bad_date.output
    assert referrals.read_text() == before

    done = cli(
        "thank", "2026-11-18-lopez-acme", "2026-11-17-obrien-harbour", "--date", "2026-11-19"
    )
    assert done.exit_code == 0, done.output
    assert "content/records/referrals.yaml:17: 2026-11-18-lopez-acme: thanked: 2026-11-19" in (
        done.output
    )
    assert referrals.read_text().count("thanked: 2026-11-19") == 2
    twice = cli("thank", "2026-11-18-lopez-acme")
    assert "already done, left as it was: 2026-11-18-lopez-acme (thanked 2026-11-19)" in (
        twice.output
    )
    reported = cli("thank", "--outcome", "2026-10-02-obrien-castle")
    assert reported.exit_code == 0
    assert f"outcome_reported: {TODAY}" in referrals.read_text()


def edit(tmp_path, text: str, *edits: DateEdit, raw: bytes | None = None) -> str:
    path = tmp_path / "referrals.yaml"
    path.write_bytes(raw if raw is not None else text.encode("utf-8"))
    data, applied = edit_text(path, list(edits))
    assert applied
    return data.decode("utf-8")


DAY = dt.date(2026, 11, 20)
THANKED = DateEdit("r1", "thanked", DAY)
RECORD = "- id: r1\n  date: 2026-11-02\n  contact: maria\n"


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param(
            RECORD + "  thanked:   # to do\n",
            RECORD + "  thanked: 2026-11-20   # to do\n",
            id="empty-value-keeps-comment",
        ),
        pytest.param(RECORD + "  thanked: ~\n", RECORD + "  thanked: 2026-11-20\n", id="null"),
        pytest.param(
            RECORD + "  notes: |\n    line one\n    line two\n\n# next\n- id: r2\n",
            RECORD + "  notes: |\n    line one\n    line two\n  thanked: 2026-11-20\n\n"
            "# next\n- id: r2\n",
            id="after-block-scalar",
        ),
        pytest.param(
            RECORD + "  address:\n    lines: [1 Rue Zoë]\n    city: Paris  # ville\n\n# c\n",
            RECORD + "  address:\n    lines: [1 Rue Zoë]\n    city: Paris  # ville\n"
            "  thanked: 2026-11-20\n\n# c\n",
            id="after-nested-mapping-non-ascii",
        ),
        pytest.param(
            RECORD.rstrip("\n"),
            RECORD + "  thanked: 2026-11-20\n",
            id="no-final-newline",
        ),
        pytest.param(
            "- {id: r1, date: 2026-11-02}  # flow\n",
            "- {id: r1, date: 2026-11-02, thanked: 2026-11-20}  # flow\n",
            id="flow-mapping",
        ),
        pytest.param(
            "-   id: r1\n    date: 2026-11-02\n",
            "-   id: r1\n    date: 2026-11-02\n    thanked: 2026-11-20\n",
            id="wider-indent",
        ),
    ],
)
def test_edit_text_cases(tmp_path, before, after):
    assert edit(tmp_path, before, THANKED) == after


def test_edit_keeps_crlf_and_bom(tmp_path):
    text = RECORD.replace("\n", "\r\n")
    raw = b"\xef\xbb\xbf" + text.encode()
    path = tmp_path / "referrals.yaml"
    path.write_bytes(raw)
    data, _ = edit_text(path, [THANKED])
    assert data == raw + b"  thanked: 2026-11-20\r\n"


def test_overwrite_replaces_only_the_value(tmp_path):
    text = "- id: r1\n  name: A\n  last_contact: '2026-01-02'  # old\n  tags: [x]\n"
    new = edit(tmp_path, text, DateEdit("r1", "last_contact", DAY, overwrite=True))
    assert new == "- id: r1\n  name: A\n  last_contact: 2026-11-20  # old\n  tags: [x]\n"


def test_existing_date_is_left_alone(tmp_path):
    path = tmp_path / "referrals.yaml"
    path.write_text(RECORD + "  thanked: 2026-11-03\n")
    data, applied = edit_text(path, [THANKED])
    assert applied == [] and data == path.read_bytes()


def test_a_value_it_cannot_edit_safely_is_refused(tmp_path):
    path = tmp_path / "referrals.yaml"
    text = "- id: r0\n  thanked: &d\n    - 2026-01-01\n- id: r1\n  thanked: *d\n"
    path.write_text(text)
    with pytest.raises(GoodwillError, match="cannot update this value safely"):
        edit_text(path, [THANKED])
    assert path.read_text() == text


def test_a_second_mark_sent_changes_nothing(cli, project_dir, monkeypatch):
    referrals = records(project_dir) / "referrals.yaml"
    contacts = records(project_dir) / "contacts.yaml"
    assert cli("letters", "--kind", "all").exit_code == 0
    monkeypatch.setenv("GOODWILL_TODAY", "2026-11-21")
    first = cli("letters", "--mark-sent")
    assert first.exit_code == 0, first.output
    assert "Marked " in first.output
    out = project_dir / "letters"
    assert not (out / "index.csv").exists() and (out / "index.sent.csv").is_file()
    marked = referrals.read_bytes(), contacts.read_bytes()
    assert b"last_contact: 2026-11-21" in marked[1]
    monkeypatch.setenv("GOODWILL_TODAY", "2026-11-25")
    second = cli("letters", "--mark-sent")
    assert second.exit_code == 0, second.output
    assert "already marked as sent" in second.output and "nothing changed" in second.output
    assert (referrals.read_bytes(), contacts.read_bytes()) == marked
    assert b"2026-11-25" not in marked[1]


def test_a_run_with_nothing_due_removes_the_previous_set(cli, project_dir):
    out = project_dir / "letters"
    assert cli("letters").exit_code == 0
    assert cli("letters", "--mark-sent").exit_code == 0
    assert (out / "letters.pdf").is_file() and any((out / "preview").iterdir())
    again = cli("letters")
    assert again.exit_code == 0, again.output
    assert "No thank-you letters are due; nothing was written." in again.output
    assert "Removed the previous letter set from letters/ (" in again.output
    assert "letters.pdf" in again.output
    for name in ("letters.pdf", "envelopes.pdf", "labels.pdf", "index.csv", "index.sent.csv"):
        assert not (out / name).exists(), name
    assert not (out / "preview").exists()


def test_a_new_set_replaces_the_marked_index(cli, project_dir):
    out = project_dir / "letters"
    assert cli("letters").exit_code == 0
    assert cli("letters", "--mark-sent").exit_code == 0
    assert cli("letters", "--kind", "outcome").exit_code == 0
    assert (out / "index.csv").is_file() and not (out / "index.sent.csv").exists()
    assert sorted(p.name for p in (out / "preview").iterdir()) == [
        row.split(",")[-1].strip().removeprefix("preview/")
        for row in (out / "index.csv").read_text().splitlines()[1:]
    ]


def test_mark_sent_marks_every_referral_of_a_letter_about_several(cli, project_dir):
    from pypdf import PdfReader

    referrals = records(project_dir) / "referrals.yaml"
    for day, who in (("2026-11-16", "Ann One"), ("2026-11-19", "Bo Two")):
        referrals.write_text(
            referrals.read_text()
            + f"\n- id: {day}-lopez-extra\n  date: {day}\n  direction: received\n"
            f"  contact: maria-lopez\n  referred: {who}\n  for: a workshop\n"
        )
    before = referrals.read_bytes()
    assert cli("letters", "--contact", "maria-lopez").exit_code == 0
    out = project_dir / "letters"
    assert len(PdfReader(out / "letters.pdf").pages) == 1  # one letter for the three
    index = (out / "index.csv").read_text().splitlines()
    assert len(index) == 4 and all(",thank-you," in row for row in index[1:])
    assert {row.split(",")[0] for row in index[1:]} == {"1"}  # one letter number
    result = cli("letters", "--mark-sent")
    assert result.exit_code == 0, result.output
    assert "Marked 3 record(s)" in result.output
    after = referrals.read_bytes()
    added = f"  thanked: {TODAY}\n".encode()
    lines = after.splitlines(keepends=True)
    assert lines.count(added) == 3
    assert b"".join(line for line in lines if line != added) == before
    assert "No thank-you letters are due" in cli("letters", "--contact", "maria-lopez").output
