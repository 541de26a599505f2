"""Consented spotlights: the Partners pages show exactly the fields listed in `show`."""

from __future__ import annotations

from sitefiles import grep_site

SEUN_PRIVATE = [
    "+44 29 2018 0456",
    "2018 0456",
    "Mount Stuart",
    "growth conference",
    "plants, good books",
    "/seun-adeyemi",  # the record id, never part of an address
    "CF10 5EE",
]


def _edit_spotlight(project_dir, old, new):
    contacts = project_dir / "content/records/contacts.yaml"
    text = contacts.read_text()
    assert old in text
    contacts.write_text(text.replace(old, new))


def test_demo_partner_page_shows_only_the_listed_fields(cli, project_dir):
    result = cli("build")
    assert result.exit_code == 0, result.output
    site = project_dir / "site"
    index = (site / "partners/index.html").read_text()
    page = (site / "partners/oluwaseun-adeyemi/index.html").read_text()
    for text in (index, page):
        assert "Oluwaseun Adeyemi" in text
        assert "Brightside Marketing" in text and "Founder" in text
        assert "https://brightside.example" in text
        assert "seun@brightside.example" in text
        assert "plans marketing for small firms" in text
    assert grep_site(site, SEUN_PRIVATE) == []
    # No other contact has a page, and nothing else of theirs is on these pages.
    assert sorted(p.name for p in (site / "partners").iterdir()) == [
        "index.html",
        "oluwaseun-adeyemi",
    ]
    assert "Maria" not in index and "Lopez" not in index


def test_fewer_fields_shown_means_fewer_on_the_page(cli, project_dir):
    _edit_spotlight(project_dir, "show: [name, company, role, website, email]", "show: [company]")
    result = cli("build")
    assert result.exit_code == 0, result.output
    site = project_dir / "site"
    page = (site / "partners/brightside-marketing/index.html").read_text()
    assert "Brightside Marketing" in page
    assert grep_site(site, ["Oluwaseun", "Founder", "seun@brightside", "https://brightside"]) == []


def test_no_name_or_company_gives_a_neutral_address(cli, project_dir):
    _edit_spotlight(project_dir, "show: [name, company, role, website, email]", "show: [role]")
    assert cli("build").exit_code == 0
    site = project_dir / "site"
    assert (site / "partners/partner-1/index.html").is_file()
    assert grep_site(site, ["Oluwaseun", "Brightside Marketing", "adeyemi"]) == []


def test_no_consent_no_page_and_removing_it_removes_the_page(cli, project_dir):
    assert cli("build").exit_code == 0
    assert (project_dir / "site/partners/oluwaseun-adeyemi/index.html").is_file()
    _edit_spotlight(project_dir, "    consent: 2026-10-01\n", "")
    result = cli("build")
    assert result.exit_code == 0, result.output
    assert not (project_dir / "site/partners/oluwaseun-adeyemi").exists()
    assert grep_site(project_dir / "site", ["Oluwaseun", "Brightside"]) == []
    # With the consent gone, the e-mail is private again: an article may not show it.
    article = project_dir / "content/articles/deep-networks-beat-wide-ones.md"
    article.write_text(article.read_text() + "\nseun@brightside.example\n")
    failed = cli("build")
    assert failed.exit_code == 1
    assert "contains the e-mail of contact 'seun-adeyemi'" in failed.output


def test_consent_in_the_future_is_not_consent_yet(cli, project_dir):
    _edit_spotlight(project_dir, "consent: 2026-10-01", "consent: 2027-01-01")
    assert cli("build").exit_code == 0
    assert grep_site(project_dir / "site", ["Oluwaseun"]) == []


def test_bad_spotlight_is_an_error_with_its_line(cli, project_dir):
    _edit_spotlight(
        project_dir, "show: [name, company, role, website, email]", "show: [name, phone]"
    )
    contacts = (project_dir / "content/records/contacts.yaml").read_text().splitlines()
    line = next(i for i, text in enumerate(contacts, 1) if "show: [name, phone]" in text)
    for command in ("build", "check"):
        result = cli(command)
        assert result.exit_code == 1
        assert (
            f"content/records/contacts.yaml:{line}: contact 'seun-adeyemi': spotlight: "
            "show: 'phone' cannot be shown" in result.output
        ), result.output
