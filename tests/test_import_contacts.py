"""`goodwill import contacts`: vCard and CSV address books into contacts.yaml."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from goodwill.cli.main import main
from goodwill.core.errors import Collector
from goodwill.relations.importer import import_contacts, normalised, read_address_book
from goodwill.relations.records import load_records
from goodwill.scaffold import StarterDetails, init_starter

BOOKS = Path(__file__).parent / "fixtures" / "addressbooks"


@pytest.fixture
def starter(tmp_path) -> Path:
    return init_starter(tmp_path / "mine", StarterDetails(name="Sam Lee"))


def run(project: Path, *args):
    old = os.getcwd()
    os.chdir(project)
    try:
        return CliRunner().invoke(main, list(args), catch_exceptions=False)
    finally:
        os.chdir(old)


def contacts_of(project: Path):
    problems = Collector()
    records = load_records(project / "content" / "records", problems)
    assert problems.problems == [], [p.format() for p in problems.problems]
    return records.contacts


def people(name: str) -> dict:
    _, found, problems = read_address_book(BOOKS / name)
    return {p.fields["name"]: p.fields for p in found}, problems


def test_google_vcard_with_folded_lines_several_emails_and_phones():
    found, problems = people("google.vcf")
    assert problems == []
    maria = found["María López"]
    assert maria["first_name"] == "María"
    assert maria["email"] == "maria@lopez-partners.example"  # TYPE=pref comes first
    assert maria["emails"] == ["maria.lopez@home.example"]
    assert maria["phone"] == "+44 7700 900123" and maria["phones"] == ["+44 117 496 0123"]
    assert maria["company"] == "Lopez & Partners Accountants" and maria["role"] == "Partner"
    assert maria["address"] == {
        "lines": ["14 Queen Square"],
        "city": "Bristol",
        "postcode": "BS1 4NT",
        "country": "United Kingdom",
    }
    assert maria["tags"] == ["accountant", "bni"]  # Google's own myContacts group left out
    # a folded line joined, escaped comma and line break decoded
    assert maria["notes"] == (
        "Met at BNI Harbourside. Wants more owner-managed businesses, especially in "
        "hospitality.\nPrefers calls in the morning."
    )
    assert found["Dan Park"]["company"] == "Acme Ltd"  # ORG's first part, not the department
    assert found["Zoë Ng"] == {"name": "Zoë Ng", "first_name": "Zoë", "phone": "07700 900456"}


def test_apple_vcard_labels_and_vcard_4():
    found, _ = people("apple.vcf")
    james = found["James O'Brien"]
    assert james["email"] == "james@obrien-sons.example"
    assert james["address"]["lines"] == ["Unit 3", "Riverside Works"]
    assert james["phone"] == "+44 7700 900789"
    priya = found["Priya Shah"]  # vCard 4.0: PREF=1, tel: URIs, TYPE lists
    assert priya["email"] == "priya@shahclinic.example"
    assert priya["emails"] == ["priya.shah@mail.example"]
    assert priya["phone"] == "+1-555-201-3344"
    assert priya["address"]["region"] == "CA" and priya["address"]["postcode"] == "94105"
    assert priya["tags"] == ["health", "partners"]
    assert priya["salutation"] == "Dr Shah"  # N's prefix: letters greet "Dear Dr Shah"
    assert "salutation" not in james


def test_outlook_vcard_21_quoted_printable_with_soft_line_breaks():
    found, problems = people("outlook.vcf")
    assert problems == []
    jurgen = found["Jürgen Müller"]
    assert jurgen["address"]["lines"] == ["Friedrichstraße 12"]
    assert jurgen["notes"] == "Kennt viele Gründer in Berlin. Bevorzugt E-Mail statt Anrufe."
    assert jurgen["email"] == "juergen@mueller-steuer.example"
    assert jurgen["phones"] == ["+49 151 2345678"]


def test_linkedin_csv_with_notes_before_the_header():
    name, found, problems = read_address_book(BOOKS / "Connections.csv")
    assert name == "LinkedIn CSV" and problems == []
    by_name = {p.fields["name"]: p for p in found}
    tom = by_name["Tom Hughes"]
    assert tom.line == 6  # notes on lines 1-3, the header on line 4
    assert tom.fields["role"] == "Solicitor" and tom.fields["email"] == "tom@hughes-law.example"
    assert tom.fields["how_we_met"] == "LinkedIn connection since 2024-09-02"
    assert tom.fields["x_linkedin"].endswith("tom-hughes-example")
    assert by_name["Aisha Bello"].fields["company"] == "Bello, Grant & Co"
    assert "email" not in by_name["Maria López"].fields


def test_google_csv_multi_line_notes_and_values():
    name, found, _ = read_address_book(BOOKS / "google.csv")
    assert name == "Google Contacts CSV"
    chloe = {p.fields["name"]: p.fields for p in found}["Chloé Martin"]
    assert chloe["notes"] == "Met at the chamber breakfast.\nAsk about the showroom opening."
    assert chloe["emails"] == ["chloe.m@mail.example"]
    assert chloe["phone"] == "+33 6 12 34 56 78" and chloe["phones"] == ["+33 1 23 45 67 89"]
    assert chloe["tags"] == ["Designers"]
    assert chloe["address"]["city"] == "Paris"
    assert [p.line for p in found] == [2, 6]  # quoted notes and address span lines 2-5


def test_outlook_csv_in_windows_1252():
    name, found, _ = read_address_book(BOOKS / "outlook.csv")
    assert name == "Outlook CSV, Windows-1252"
    renee = {p.fields["name"]: p.fields for p in found}["Renée Dubois"]
    assert renee["role"] == "Consultant" and renee["company"] == "Dubois Conseil"
    assert renee["phone"] == "+32 470 12 34 56"  # mobile first
    assert renee["tags"] == ["Partners", "Brussels"]
    assert renee["address"]["lines"] == ["Avenue Louise 54"]
    assert renee["salutation"] == "Ms. Dubois"  # Outlook's Title column


def test_the_format_comes_from_the_content_not_the_name(tmp_path):
    disguised = tmp_path / "export.txt"
    shutil.copyfile(BOOKS / "apple.vcf", disguised)
    assert read_address_book(disguised)[0] == "vCard"
    csv_named_vcf = tmp_path / "contacts.vcf"
    shutil.copyfile(BOOKS / "Connections.csv", csv_named_vcf)
    assert read_address_book(csv_named_vcf)[0] == "LinkedIn CSV"


def test_a_broken_card_and_a_bad_row_are_reported_and_skipped(starter, tmp_path):
    result = run(starter, "import", "contacts", str(BOOKS / "broken.vcf"))
    assert result.exit_code == 0, result.output
    assert "broken.vcf:9: warning: card (from line 6) not readable" in result.output
    assert "broken.vcf:11: warning: 'Bad Address': email:" in result.output
    assert sorted(contacts_of(starter)) == ["another-good", "good-one"]
    rows = tmp_path / "rows.csv"
    rows.write_text('Name,Email\nAna Silva,ana@silva.example\n"Too, many",x@y.example,extra\n')
    result = run(starter, "import", "contacts", str(rows))
    assert "rows.csv:3: warning: row has 3 fields, the header (line 1) has 2" in result.output
    assert "ana-silva" in contacts_of(starter)


def test_import_keeps_comments_dedupes_and_adds_nothing_the_second_time(starter):
    path = starter / "content" / "records" / "contacts.yaml"
    before = path.read_text()
    for book in ("google.vcf", "apple.vcf", "outlook.vcf", "google.csv", "outlook.csv"):
        result = run(starter, "import", "contacts", str(BOOKS / book))
        assert result.exit_code == 0, result.output
    after = path.read_text()
    assert after.startswith(before)  # the user's comments, byte for byte
    contacts = contacts_of(starter)
    assert len(contacts) == 11
    # LinkedIn's Maria López (no e-mail) is the vCard's María López: same name and company
    result = run(starter, "import", "contacts", str(BOOKS / "Connections.csv"))
    assert "~ maria-lopez: filled in how_we_met (from line 5)" in result.output
    assert "+ tom-hughes: Tom Hughes" in result.output
    contacts = contacts_of(starter)
    assert contacts["maria-lopez"].how_we_met == "LinkedIn connection since 2023-03-14"
    assert contacts["maria-lopez"].notes.startswith("Met at BNI")  # kept
    snapshot = path.read_bytes()
    for book in ("google.vcf", "Connections.csv", "outlook.csv"):
        again = run(starter, "import", "contacts", str(BOOKS / book))
        assert "No one new to add." in again.output and "Skipped" in again.output
    assert path.read_bytes() == snapshot


def test_merge_fills_only_empty_fields_and_never_overwrites(starter, tmp_path):
    path = starter / "content" / "records" / "contacts.yaml"
    path.write_text(
        "# my people\n- id: maria\n  name: Maria Lopez\n  email: maria@lopez-partners.example\n"
        "  role: Senior partner   # she was promoted\n  company:\n"
    )
    book = tmp_path / "one.vcf"
    book.write_text(
        "BEGIN:VCARD\nVERSION:3.0\nFN:María López\nEMAIL:MARIA@lopez-partners.example\n"
        "EMAIL:maria@home.example\nTITLE:Partner\nORG:Lopez & Partners\nTEL:+44 1\n"
        "ADR:;;14 Queen Square;Bristol;;BS1 4NT;UK\nCATEGORIES:bni,accountant\nEND:VCARD\n"
    )
    result = run(starter, "import", "contacts", str(book))
    assert result.exit_code == 0, result.output
    assert "~ maria: filled in company, address, tags, emails, phone (from line 1)" in (
        result.output
    )
    text = path.read_text()
    assert text.startswith("# my people\n- id: maria\n")
    assert "  role: Senior partner   # she was promoted\n" in text
    maria = contacts_of(starter)["maria"]
    assert maria.company == "Lopez & Partners" and maria.role == "Senior partner"
    assert maria.emails == ("maria@home.example",) and maria.phone == "+44 1"
    assert maria.address.lines == ("14 Queen Square",) and maria.address.postcode == "BS1 4NT"
    assert maria.tags == ("bni", "accountant")


def test_ids_are_readable_and_unique(starter, tmp_path):
    book = tmp_path / "namesakes.csv"
    book.write_text(
        "Name,Email,Company\nMaria Lopez,a@x.example,Acme\nMaria Lopez,b@x.example,Beta\n"
        "Maria Lopez,c@x.example,Gamma\n"
    )
    run(starter, "add", "contact", "Maria Lopez")
    result = run(starter, "import", "contacts", str(book))
    assert "+ maria-lopez-2:" in result.output and "+ maria-lopez-4:" in result.output
    assert sorted(contacts_of(starter)) == [
        "maria-lopez",
        "maria-lopez-2",
        "maria-lopez-3",
        "maria-lopez-4",
    ]


def test_dry_run_prints_the_plan_and_writes_nothing(starter):
    records = starter / "content" / "records"
    before = {p.name: p.read_bytes() for p in records.iterdir()}
    run(starter, "import", "contacts", str(BOOKS / "google.vcf"))
    before = {p.name: p.read_bytes() for p in records.iterdir()}
    result = run(starter, "import", "contacts", "--dry-run", str(BOOKS / "Connections.csv"))
    assert result.exit_code == 0
    assert "Would add 2 contact(s)" in result.output
    assert "Would merge 1" in result.output and "~ maria-lopez" in result.output
    assert "nothing was written" in result.output
    assert {p.name: p.read_bytes() for p in records.iterdir()} == before


def test_a_flow_style_empty_list_is_replaced(starter):
    path = starter / "content" / "records" / "contacts.yaml"
    path.write_text("# nobody yet\n[]\n")
    import_contacts(starter_project(starter), BOOKS / "apple.vcf")
    assert path.read_text().startswith("# nobody yet\n")
    assert len(contacts_of(starter)) == 2


def starter_project(root):
    from goodwill.core.project import Project

    return Project(root)


def test_normalised_names():
    assert normalised("  María   LÓPEZ ") == normalised("maria lopez")
    assert normalised("O'Brien & Sons") == normalised("O Brien and Sons".replace(" and ", " & "))


def test_parse_arguments():
    result = CliRunner().invoke(main, ["import", "contacts"])
    assert result.exit_code == 2 and "Missing argument 'FILE'" in result.output
    result = CliRunner().invoke(main, ["import", "contacts", "/no/such/file.vcf"])
    assert result.exit_code == 2 and "does not exist" in result.output


def test_import_in_a_real_process(starter):
    env = {**os.environ, "GOODWILL_TODAY": "2026-11-20"}
    proc = subprocess.run(
        [sys.executable, "-m", "goodwill", "import", "contacts", str(BOOKS / "apple.vcf")],
        cwd=starter,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert "+ priya-shah: Priya Shah" in proc.stdout
    assert sorted(contacts_of(starter)) == ["james-o-brien", "priya-shah"]


def test_semicolon_csv_and_a_long_import_summary(starter, tmp_path):
    book = tmp_path / "excel.csv"
    rows = "".join(f"Person {i};p{i}@example.org;Acme\n" for i in range(60))
    book.write_text("Name;E-mail;Company\n" + rows, encoding="utf-8")
    result = run(starter, "import", "contacts", str(book))
    assert result.exit_code == 0, result.output
    assert "Added 60 contact(s)" in result.output and "  ... and 10 more" in result.output
    assert contacts_of(starter)["person-59"].email == "p59@example.org"
    text = (starter / "content" / "records" / "contacts.yaml").read_text()
    assert "# Imported from excel.csv on 2026-11-20\n" in text
