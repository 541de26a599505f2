"""Which letters are due, what they say, and where they may (not) be written."""

from __future__ import annotations

import datetime as dt

import pytest
from pypdf import PdfReader

from goodwill.core.errors import Collector, GoodwillError
from goodwill.core.outdir import file_name, inside
from goodwill.letters.compose import Selection, select_letters
from goodwill.relations.records import load_records

ON = dt.date(2026, 11, 20)


@pytest.fixture
def sample(project_dir):
    return load_records(project_dir / "content" / "records", Collector())


def chosen(sample, days=90, **options):
    return [(r.kind, r.record_id) for r in select_letters(sample, Selection(**options), days, ON)]


def test_default_is_a_thank_you_for_each_unthanked_referral_received(sample):
    letters = chosen(sample)
    assert {kind for kind, _ in letters} == {"thank-you"}
    assert [rid for _, rid in letters] == [  # grouped by contact name, like the envelopes
        "2026-11-14-khan-ridge",
        "2026-11-17-obrien-harbour",
        "2026-11-18-lopez-acme",
        "2026-11-19-adeyemi-nova",
        "2026-11-12-shah-kite",
        "2026-11-05-martin-redland",
    ]


def test_outcome_letters_are_for_closed_referrals_not_reported(sample):
    assert sorted(rid for _, rid in chosen(sample, kinds=("outcome",))) == [
        "2026-07-10-becker-ostwerk",
        "2026-08-18-schmidt-fenwick",
        "2026-09-02-lopez-greenway",
        "2026-10-02-obrien-castle",
        "2026-11-05-martin-redland",
    ]


def test_check_in_after_configurable_days(sample):
    assert chosen(sample, kinds=("check-in",)) == [
        ("check-in", "ben-taylor"),
        ("check-in", "carlos-mendes"),
        ("check-in", "li-wei"),
        ("check-in", "tom-becker"),
    ]
    assert chosen(sample, days=200, kinds=("check-in",)) == [("check-in", "li-wei")]


def test_contact_since_limit_and_all(sample):
    everything = ("thank-you", "outcome", "check-in")
    assert chosen(sample, kinds=everything, contact="maria-lopez") == [
        ("thank-you", "2026-11-18-lopez-acme"),
        ("outcome", "2026-09-02-lopez-greenway"),
    ]
    assert len(chosen(sample, since=dt.date(2026, 11, 15))) == 3
    assert chosen(sample, limit=2) == [  # the two most overdue
        ("thank-you", "2026-11-12-shah-kite"),
        ("thank-you", "2026-11-05-martin-redland"),
    ]
    reprint = select_letters(sample, Selection(include_done=True), 90, ON)
    assert len(reprint) == 11  # one letter per person who ever sent a referral...
    assert sum(len(r.referrals) for r in reprint) == 18  # ...thanking for each of them
    maria = next(r for r in reprint if r.contact.id == "maria-lopez")
    assert [r.id for r in maria.referrals] == [  # oldest first
        "2026-05-11-lopez-meridian",
        "2026-09-02-lopez-greenway",
        "2026-10-20-lopez-bright",
        "2026-11-18-lopez-acme",
    ]
    assert maria.record_id == "maria-lopez" and maria.subject.startswith("referrals '2026-05")
    with pytest.raises(GoodwillError, match="no contact with id 'maria-lopes'") as error:
        chosen(sample, contact="maria-lopes")
    assert error.value.problem.hint == "did you mean 'maria-lopez'?"


def test_file_names_cannot_leave_the_output_folder(tmp_path):
    name = file_name("001", "thank-you", "../../etc/passwd", suffix=".html")
    assert name == "001-thank-you-etc-passwd.html"
    assert inside(tmp_path, name) == tmp_path / name
    for bad in ("../x.html", "a/b.html", "..", ""):
        with pytest.raises(GoodwillError, match="refusing to write"):
            inside(tmp_path, bad)


def all_files(root):
    return {p.relative_to(root) for p in root.rglob("*") if p.is_file()}


def test_hostile_ids_and_names_stay_text_and_inside_letters(cli, project_dir):
    records = project_dir / "content" / "records"
    with (records / "contacts.yaml").open("a") as handle:
        handle.write(
            '\n- id: "../evil"\n  name: "<script>alert(1)</script>"\n'
            "  company: O'Brien & Sons <b>Ltd</b>\n"
        )
    with (records / "referrals.yaml").open("a") as handle:
        handle.write(
            '\n- id: "../../etc/passwd"\n  date: 2026-11-19\n  direction: received\n'
            '  contact: "../evil"\n  referred: "Tom & Jerry\'s <i>Bar</i>"\n'
            "  for: '{{ 7 * 7 }} a template in the data'\n"
        )
    before = all_files(project_dir.parent)
    result = cli("letters", "--contact", "../evil")
    assert result.exit_code == 0, result.output
    written = all_files(project_dir.parent) - before
    assert written and all(
        p.parts[:2] in {("project", "letters"), ("project", ".goodwill")} for p in written
    )
    preview = project_dir / "letters" / "preview" / "001-thank-you-etc-passwd.html"
    html = preview.read_text()
    assert "Dear &lt;script&gt;alert(1)&lt;/script&gt;," in html
    assert "<script>" not in html and "<i>" not in html and "<b>Ltd" not in html
    assert "O&#39;Brien &amp; Sons &lt;b&gt;Ltd&lt;/b&gt;" in html
    assert "{{ 7 * 7 }} a template in the data" in html
    text = " ".join(
        PdfReader(project_dir / "letters" / "letters.pdf").pages[0].extract_text().split()
    )
    assert "Dear <script>alert(1)</script>," in text
    assert "Tom & Jerry's <i>Bar</i>" in text
    assert "O'Brien & Sons <b>Ltd</b>" in text


@pytest.mark.parametrize("out", ["site/letters", "content/letters", "content", ".", "templates"])
def test_refuses_output_inside_the_site_content_or_project(cli, project_dir, out):
    before = all_files(project_dir)
    result = cli("letters", "--out", out)
    assert result.exit_code == 1
    assert "refusing to write letters into" in result.output
    assert "write them to letters/ (the default)" in result.output
    assert all_files(project_dir) == before


def test_template_using_a_missing_field_names_template_line_and_record(cli, project_dir):
    template = project_dir / "templates" / "letters" / "thank-you.html.j2"
    lines = template.read_text().splitlines()
    at = next(n for n, line in enumerate(lines) if "{% block body %}" in line)
    lines.insert(at + 1, "<p>{{ contact.phone }}</p>")
    template.write_text("\n".join(lines) + "\n")
    result = cli("letters")
    assert result.exit_code == 1
    assert f"templates/letters/thank-you.html.j2:{at + 2}: template uses a missing field" in (
        result.output
    )
    assert "for referral '2026-11-14-khan-ridge'" in result.output
    assert "'dict object' has no attribute 'phone'" in result.output
    assert not (project_dir / "letters").exists()


def test_letters_need_a_sender(cli, project_dir):
    (project_dir / "goodwill.yml").write_text("letters:\n  page_size: a4\n")
    assert "no sender: section" in cli("check").output
    result = cli("letters")
    assert result.exit_code == 1
    assert "goodwill.yml has no sender: section" in result.output
    assert not (project_dir / "letters").exists()


def test_bad_option_values_are_usage_errors(cli, project_dir):
    assert "is not a real date" in cli("letters", "--since", "2026-02-30").output
    assert cli("letters", "--limit", "0").exit_code == 2
    assert cli("letters", "--page-size", "a3").exit_code == 2
    unknown = cli("letters", "--contact", "maria-lopes")
    assert unknown.exit_code == 1
    assert "no contact with id 'maria-lopes' (did you mean 'maria-lopez'?)" in unknown.output
    assert not (project_dir / "letters").exists()


def test_nothing_due_writes_nothing(cli, project_dir):
    result = cli("letters", "--since", "2026-11-20")
    assert result.exit_code == 0
    assert "No thank-you letters are due; nothing was written." in result.output
    assert not (project_dir / "letters").exists()


def test_progress_bar_only_on_a_terminal_and_for_long_runs():
    import io

    from rich.console import Console

    from goodwill.cli.letters import _Progress

    screen = io.StringIO()
    with _Progress(Console(file=screen, force_terminal=True, width=80)) as progress:
        progress.stage("Writing letters", 5)  # too short to bother
        assert progress.bar is None
        progress.stage("Printing to PDF", 200)
        progress.advance(200)
    assert "Printing to PDF" in screen.getvalue()
    piped = io.StringIO()
    with _Progress(Console(file=piped, force_terminal=False)) as progress:
        progress.stage("Printing to PDF", 200)
        progress.advance(200)
    assert progress.bar is None and piped.getvalue() == ""


EVERY_KIND = ("thank-you", "outcome", "check-in")


def test_no_outcome_letter_before_the_thank_you_in_one_set(sample):
    letters = chosen(sample, kinds=EVERY_KIND)
    assert ("thank-you", "2026-11-05-martin-redland") in letters
    assert ("outcome", "2026-11-05-martin-redland") not in letters  # thanked first
    assert ("outcome", "2026-11-05-martin-redland") in chosen(sample, kinds=("outcome",))


def test_no_check_in_for_a_contact_who_gets_another_letter(sample):
    letters = select_letters(sample, Selection(kinds=EVERY_KIND), 90, ON)
    check_ins = [r.contact.id for r in letters if r.kind == "check-in"]
    others = {r.contact.id for r in letters if r.kind != "check-in"}
    assert check_ins and not set(check_ins) & others
    everyone = select_letters(sample, Selection(kinds=EVERY_KIND, include_done=True), 90, ON)
    per_contact: dict = {}
    for request in everyone:
        per_contact.setdefault(request.contact.id, []).append(request.kind)
    assert all(kinds == ["check-in"] or "check-in" not in kinds for kinds in per_contact.values())


def test_letters_are_readable_by_their_owner_only(cli, project_dir):
    import stat

    assert cli("letters").exit_code == 0
    out = project_dir / "letters"
    assert stat.S_IMODE(out.stat().st_mode) == 0o700
    assert stat.S_IMODE((out / "preview").stat().st_mode) == 0o700
    files = [p for p in out.rglob("*") if p.is_file()]
    assert {"letters.pdf", "envelopes.pdf", "labels.pdf", "index.csv"} <= {p.name for p in files}
    assert {p.name: stat.S_IMODE(p.stat().st_mode) for p in files} == {p.name: 0o600 for p in files}
    assert len(PdfReader(out / "letters.pdf").pages) == 6
    cache = project_dir / ".goodwill" / "pdf-cache"
    assert stat.S_IMODE(cache.stat().st_mode) == 0o700


def test_record_warnings_are_shown_with_their_file(cli, project_dir):
    (project_dir / "content" / "records" / "notes.yaml").write_text("- a note\n")
    result = cli("letters", "--limit", "1")
    assert result.exit_code == 0, result.output
    assert "content/records/notes.yaml: warning: not a contacts or referrals file" in (
        result.output
    )
