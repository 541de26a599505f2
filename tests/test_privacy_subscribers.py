"""The digest's readers are private too: no page may show a subscriber's address."""

from __future__ import annotations

from sitefiles import grep_site, snapshot

ARTICLE = "content/articles/deep-networks-beat-wide-ones.md"


def _mention(project_dir, text):
    article = project_dir / ARTICLE
    article.write_text(article.read_text() + f"\n{text}\n", encoding="utf-8")


def test_a_subscribers_address_on_a_page_stops_the_build(cli, project_dir):
    assert cli("subscribers", "add", "reader.one@quietmail.example").exit_code == 0
    assert cli("build").exit_code == 0
    before = snapshot(project_dir / "site")
    _mention(project_dir, "Write to Reader.One@quietmail.example for the notes.")
    result = cli("build")
    assert result.exit_code == 1, result.output
    assert "contains the e-mail of a subscriber (subscribers.yaml, line" in result.output
    assert "deep-networks-beat-wide-ones.md" in result.output
    assert "reader.one@" not in result.output.lower()  # the message never repeats it
    assert snapshot(project_dir / "site") == before  # the old site stays
    checked = cli("check")
    assert checked.exit_code == 1
    assert "e-mail of a subscriber" in checked.output


def test_a_hand_written_list_and_its_comments_count(cli, project_dir):
    subscribers = project_dir / "content" / "subscribers.yaml"
    subscribers.write_text(
        "# also ask old.friend@longago.example\n- email: [broken\n", encoding="utf-8"
    )
    _mention(project_dir, "Old friends: old.friend@longago.example")
    result = cli("build")
    assert result.exit_code == 1
    assert "subscribers.yaml, line 1" in result.output


def test_the_owners_own_published_address_may_show(cli, project_dir):
    """An address the owner writes into mkdocs.yml is theirs, even when they subscribe;
    another subscriber's address on the same page still stops the build."""
    mkdocs_yml = project_dir / "mkdocs.yml"
    mkdocs_yml.write_text(
        mkdocs_yml.read_text().replace(
            "copyright: ", "copyright: Write to hello@goodwill-notes.example. "
        ),
        encoding="utf-8",
    )
    assert cli("subscribers", "add", "hello@goodwill-notes.example").exit_code == 0
    assert cli("subscribers", "add", "someone@else.example").exit_code == 0
    result = cli("build")
    assert result.exit_code == 0, result.output
    assert grep_site(project_dir / "site", ["hello@goodwill-notes.example"])
    _mention(project_dir, "Ask someone@else.example or hello@goodwill-notes.example.")
    failed = cli("build")
    assert failed.exit_code == 1
    assert failed.output.count("contains the e-mail of a subscriber") == 1


def test_a_subscribing_partner_or_author_may_still_be_shown(cli, project_dir):
    """A consented spotlight that shows an e-mail, and an author's own page links, are
    published on purpose: their owners subscribing changes nothing."""
    authors = project_dir / "content" / "authors.yaml"
    website = "    Website: https://lopez-partners.example"
    mail = "\n    E-mail: mailto:maria.writes@lopez.example"
    authors.write_text(authors.read_text().replace(website, website + mail), encoding="utf-8")
    for address in ("seun@brightside.example", "maria.writes@lopez.example"):
        assert cli("subscribers", "add", address).exit_code == 0
    result = cli("build")
    assert result.exit_code == 0, result.output
    site = project_dir / "site"
    assert grep_site(site / "partners", ["seun@brightside.example"])
    assert grep_site(site / "authors", ["maria.writes@lopez.example"])
