"""Every build checks public pages for contacts' details and private feed addresses."""

from __future__ import annotations

import json

import pytest

from goodwill.guide.privacy_scan import Needles, normalize
from sitefiles import grep_site, snapshot

ARTICLE = "content/articles/deep-networks-beat-wide-ones.md"


def _append(project_dir, rel, text):
    path = project_dir / rel
    path.write_text(path.read_text() + text)
    return len(path.read_text().splitlines())


@pytest.fixture
def built(cli, project_dir):
    """A first, clean build: a later failed one must leave it as it is."""
    result = cli("build")
    assert result.exit_code == 0, result.output
    return snapshot(project_dir / "site")


LEAKS = {
    "e-mail": ("\nWrite to Maria.Lopez? No: maria@lopez-partners.example\n", "e-mail"),
    "phone, other spacing": ("\nCall her on 0117 496-0123 any time.\n", "phone number"),
    "phone, international": ("\nOr +44 (117) 4960123.\n", "phone number"),
    "address line": ("\nThe office at 14  Queen\nSquare is lovely.\n", "street address"),
    "note sentence": ("\nShe wants more owner-managed businesses as clients.\n", "notes"),
}


@pytest.mark.parametrize("case", sorted(LEAKS))
def test_a_leak_in_an_article_fails_the_build_and_keeps_the_site(cli, project_dir, built, case):
    text, kind = LEAKS[case]
    last_line = _append(project_dir, ARTICLE, text)
    result = cli("build")
    assert result.exit_code == 1
    expected = f"contains the {kind} of contact 'maria-lopez'"
    lines = [line for line in result.output.splitlines() if expected in line]
    assert lines, result.output
    line_number = int(lines[0].split(":")[1])
    assert f"{ARTICLE}:{line_number}:" in lines[0]
    assert last_line - 2 <= line_number <= last_line
    assert "nothing was written" in result.output
    assert snapshot(project_dir / "site") == built


def test_email_hint_names_the_spotlight(cli, project_dir):
    _append(project_dir, ARTICLE, "\nmaria@lopez-partners.example\n")
    result = cli("build")
    assert (
        "contains the e-mail of contact 'maria-lopez' "
        "(remove it, or list it under that contact's spotlight)" in result.output
    )


def test_private_feed_address_is_found_in_any_page(cli, project_dir):
    feeds = project_dir / "content/feeds.yaml"
    feeds.write_text(
        feeds.read_text() + "\n- name: My mentor's notes\n"
        "  url: https://mentor-notes.example.net/private/feed.xml\n  private: true\n"
    )
    about = project_dir / "content/about.md"
    about.write_text("# About\n\nI read http://Mentor-Notes.example.net/private/feed.xml daily.\n")
    for _ in range(2):  # the second build takes the needles from .goodwill/
        result = cli("build")
        assert result.exit_code == 1
        assert "content/about.md:3: contains the address of private feed" in result.output
    cache = project_dir / ".goodwill/privacy-scan.json"
    assert cache.stat().st_mode & 0o777 == 0o600
    about.write_text("# About\n\nNothing private here.\n")
    assert cli("build").exit_code == 0
    # An edit of the records is seen at once, cache or not.
    contacts = project_dir / "content/records/contacts.yaml"
    contacts.write_text(
        contacts.read_text() + "\n- id: new-one\n  name: New\n  email: new@one.example\n"
    )
    about.write_text("# About\n\nnew@one.example\n")
    assert "contains the e-mail of contact 'new-one'" in cli("build").output


def test_public_feed_address_may_appear(cli, project_dir):
    (project_dir / "content/about.md").write_text(
        "# About\n\nSee https://roundtable.example.org/\n"
    )
    assert cli("build").exit_code == 0


def test_spotlight_email_is_allowed_only_when_listed(cli, project_dir):
    # The demo's consented spotlight lists `email`: Seun's address may be public.
    _append(project_dir, ARTICLE, "\nAsk seun@brightside.example about marketing.\n")
    assert cli("build").exit_code == 0
    contacts = project_dir / "content/records/contacts.yaml"
    contacts.write_text(
        contacts.read_text().replace(
            "show: [name, company, role, website, email]", "show: [name, company]"
        )
    )
    result = cli("build")
    assert result.exit_code == 1
    assert "contains the e-mail of contact 'seun-adeyemi'" in result.output


def test_a_leak_only_in_a_template_is_found_in_the_generated_pages(cli, project_dir):
    template = project_dir / "templates/guide/archive.md.j2"
    template.write_text(template.read_text() + "\nCall Seun: +44 29 2018 0456\n")
    result = cli("build")
    assert result.exit_code == 1
    assert "generated page archive.md: contains the phone number of contact 'seun-adeyemi'" in (
        result.output
    )


def test_a_clean_build_publishes_no_private_detail(cli, project_dir):
    assert cli("build").exit_code == 0
    secrets = [
        "maria@lopez-partners.example",
        "496 0123",
        "14 Queen Square",
        "loves sailing",
        "james@obrien-sons.example",
    ]
    assert grep_site(project_dir / "site", secrets) == []


def test_ordinary_words_and_numbers_are_not_flagged():
    needles = Needles()
    needles.add_contact(
        "x",
        emails=["x@example.com"],
        phones=["+1 555 0199"],
        address_lines=["Unit 3", "12 Harbour Street"],
        notes=["Loves it. Has a dog called Biscuit who likes long walks."],
    )
    matcher = needles.compile()
    clean = b"Unit 3 of the course. Loves it. 2026-11-20, 1,555,019,900 readers. ax@example.com"
    assert matcher.find(clean) == []
    found = {n.kind for n, _ in matcher.find(b"HAS A DOG CALLED  BISCUIT who likes long walks")}
    assert found == {"notes"}
    assert matcher.find(b"555-0199 ext") == []  # 7 digits without the country code: too short
    assert {n.kind for n, _ in matcher.find(b"(+1) 555.0199")} == {"phone number"}


def test_normalize_undoes_escapes():
    assert normalize(b"Maria&#64;Lopez.example &amp; co\n\t x") == b"maria@lopez.example & co x"


def test_check_reports_the_same_leaks_without_building(cli, project_dir):
    line = _append(project_dir, ARTICLE, "\nCall 0117 496 0123.\n")
    result = cli("check")
    assert result.exit_code == 1
    assert f"{ARTICLE}:{line}: contains the phone number of contact 'maria-lopez'" in (
        result.output
    )
    assert not (project_dir / "site").exists()


def test_google_fonts_in_mkdocs_yml_is_a_warning(cli, project_dir):
    mkdocs = project_dir / "mkdocs.yml"
    mkdocs.write_text(mkdocs.read_text().replace("  font: false\n", ""))
    result = cli("check")
    assert "mkdocs.yml" in result.output and "font: false" in result.output


def test_built_pages_are_matched_with_their_escaped_spellings():
    needles = Needles()
    needles.add_contact("x", notes=['Runs "Lopez & Partners" with her brother, since 2019'])
    matcher = needles.compile()
    html = b"<p>Runs &quot;Lopez &amp; Partners&quot; with her\nbrother, since 2019</p>"
    assert {n.kind for n, _ in matcher.find(html, built=True)} == {"notes"}
    index = b'{"text":"runs \\"lopez & partners\\" with her brother, since 2019"}'
    assert {n.kind for n, _ in matcher.find(index, built=True)} == {"notes"}


def test_an_edited_contact_is_caught_on_the_very_next_build(cli, project_dir):
    """The caches in .goodwill/ (the needles, each list item's strings) never hide an
    edit: the new e-mail is a needle at once, the old one no longer."""
    for _ in range(2):
        assert cli("build").exit_code == 0
    items = json.loads((project_dir / ".goodwill/privacy-items.json").read_text())
    assert any("maria@lopez-partners.example" in json.dumps(v) for v in items.values())
    contacts = project_dir / "content/records/contacts.yaml"
    contacts.write_text(
        contacts.read_text().replace("maria@lopez-partners.example", "maria@new-firm.example")
    )
    _append(project_dir, ARTICLE, "\nOld address: maria@lopez-partners.example\n")
    assert cli("build").exit_code == 0  # no longer hers: nothing private
    _append(project_dir, ARTICLE, "\nNew address: maria@new-firm.example\n")
    result = cli("build")
    assert result.exit_code == 1
    assert "contains the e-mail of contact 'maria-lopez'" in result.output
