"""The private subscriber list: add, remove (suppression), list, import, contacts, privacy."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

FIXTURES = Path(__file__).parent / "fixtures" / "subscribers"


def emails(cli) -> list[str]:
    result = cli("subscribers", "list")
    assert result.exit_code == 0, result.output
    return [line.split("\t")[0] for line in result.stdout.splitlines()]


def test_add_list_remove_and_the_suppression_list(cli, project_dir):
    assert cli("subscribers", "add", "dan@acme.example", "--name", "Dan Park").exit_code == 0
    assert cli("subscribers", "add", "eve@kite.example").exit_code == 0
    again = cli("subscribers", "add", "DAN@acme.example")
    assert again.exit_code == 1 and "already a subscriber" in again.output
    assert emails(cli) == ["Dan Park <dan@acme.example>", "eve@kite.example"]
    removed = cli("subscribers", "remove", "eve@kite.example")
    assert removed.exit_code == 0 and "Unsubscribed" in removed.output
    assert emails(cli) == ["Dan Park <dan@acme.example>"]
    back = cli("subscribers", "add", "eve@kite.example")
    assert back.exit_code == 1
    assert "content/subscribers.yaml:" in back.output and "unsubscribed on" in back.output
    data = yaml.safe_load((project_dir / "content" / "subscribers.yaml").read_text())
    assert data[1]["email"] == "eve@kite.example" and str(data[1]["unsubscribed"]) == "2026-11-20"
    assert (project_dir / "content" / "subscribers.yaml").stat().st_mode & 0o077 == 0


def test_remove_keeps_comments_and_layout(cli, project_dir):
    path = project_dir / "content" / "subscribers.yaml"
    path.write_text(
        "# my readers\n- email: ann@a.example   # from the breakfast\n  name: Ann\n\n"
        "- email: bo@b.example\n",
        encoding="utf-8",
    )
    assert cli("subscribers", "remove", "ann@a.example").exit_code == 0
    assert path.read_text() == (
        "# my readers\n- email: ann@a.example   # from the breakfast\n  name: Ann\n"
        "  unsubscribed: 2026-11-20\n\n- email: bo@b.example\n"
    )


def test_invalid_addresses_are_path_line_errors(cli, project_dir):
    (project_dir / "content" / "subscribers.yaml").write_text(
        "- email: ok@fine.example\n- email: no-at-sign.example\n  name: X\n"
        "- email: ok@fine.example\n- emial: typo@x.example\n",
        encoding="utf-8",
    )
    result = cli("subscribers", "list")
    assert result.exit_code == 1
    assert "content/subscribers.yaml:2: subscriber #2: email: 'no-at-sign.example'" in result.output
    assert "content/subscribers.yaml:4: subscriber ok@fine.example: listed twice" in result.output
    assert "content/subscribers.yaml:5: subscriber: emial: unknown field" in result.output
    assert "did you mean 'email'?" in result.output
    assert "Traceback" not in result.output
    assert cli("subscribers", "add", "bad@@x.example").exit_code == 1


def test_contacts_with_subscribe_true_are_subscribers(cli, project_dir):
    contacts = project_dir / "content" / "records" / "contacts.yaml"
    text = contacts.read_text(encoding="utf-8")
    text = text.replace("- id: maria-lopez\n", "- id: maria-lopez\n  subscribe: true\n", 1)
    contacts.write_text(text, encoding="utf-8")
    found = emails(cli)
    assert found == ["Maria Lopez <maria@lopez-partners.example>"]
    # typed twice: one subscriber; unsubscribed: the suppression list wins over the contact
    cli("subscribers", "add", "MARIA@lopez-partners.example")
    assert len(emails(cli)) == 1
    cli("subscribers", "remove", "maria@lopez-partners.example")
    assert emails(cli) == []
    contacts.write_text(text.replace("subscribe: true", "subscribe: yes please"), encoding="utf-8")
    bad = cli("subscribers", "list")
    assert bad.exit_code == 1 and "subscribe: expected true or false" in bad.output


def test_import_mailchimp_buttondown_substack_and_plain(cli, project_dir, tmp_path):
    cli("subscribers", "remove", "oscar@finchpartners.example")  # unsubscribed here first
    result = cli("subscribers", "import", str(FIXTURES / "mailchimp_subscribed.csv"))
    assert result.exit_code == 0, result.output
    assert "Added 3 subscriber(s)" in result.output and "Mailchimp CSV" in result.output
    assert "mailchimp_subscribed.csv:5: email: 'not-an-address'" in result.output
    result = cli("subscribers", "import", str(FIXTURES / "mailchimp_unsubscribed.csv"))
    assert "Added 0" in result.output and "1 marked unsubscribed in the export" in result.output
    result = cli("subscribers", "import", str(FIXTURES / "buttondown.csv"))
    assert "Added 2" in result.output and "Buttondown CSV" in result.output
    result = cli("subscribers", "import", str(FIXTURES / "substack.csv"))
    assert "Added 1" in result.output and "Substack CSV" in result.output
    assert "1 unsubscribed earlier: not added back" in result.output
    result = cli("subscribers", "import", str(FIXTURES / "plain.txt"))
    assert "Added 2" in result.output and "plain list" in result.output
    assert "plain.txt:6: email:" in result.output and "1 already subscribed" in result.output
    assert emails(cli) == [
        "Priya Shah <priya.shah@harbourlaw.example>",
        "Tom Keller <tom@kellerco.example>",
        "Sam O'Neill <sam@oneill.example>",
        "lena@brightbooks.example",
        "marco@vialegal.example",
        "nadia@studio-n.example",
        "ruth@ruthdesign.example",
        "Vik Patel <vik@patelplumbing.example>",
    ]
    again = cli("subscribers", "import", str(FIXTURES / "mailchimp_subscribed.csv"))
    assert "Added 0" in again.output and "3 already subscribed" in again.output


def test_a_csv_without_an_email_column_is_one_clear_error(cli, tmp_path):
    odd = tmp_path / "odd.csv"
    odd.write_text("name,phone\nAnn,123\n", encoding="utf-8")
    result = cli("subscribers", "import", str(odd))
    assert "odd.csv:1: no email column" in result.output and "Added 0" in result.output


def test_subscribers_and_send_log_never_reach_the_site(cli, project_dir):
    cli("subscribers", "add", "secret-reader-5521@hidden.example")
    sent = project_dir / "content" / "sent"
    sent.mkdir()
    (sent / "2026-11-20-1.jsonl").write_text('{"email": "logged-7731@hidden.example"}\n')
    shutil.copy(FIXTURES / "plain.txt", project_dir / "content" / "plain.txt")
    assert cli("build").exit_code == 0
    for path in (project_dir / "site").rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert b"secret-reader-5521" not in data and b"logged-7731" not in data, path
    ignored = (project_dir / ".gitignore").read_text()
    assert "/content/subscribers.yaml" in ignored and "/content/sent/" in ignored


def test_dry_runs_write_nothing(cli, project_dir):
    path = project_dir / "content" / "subscribers.yaml"
    assert cli("subscribers", "add", "ann@a.example").exit_code == 0
    before = path.read_bytes()
    assert "Would add bo@b.example" in cli("subscribers", "add", "bo@b.example", "--dry-run").output
    removed = cli("subscribers", "remove", "ann@a.example", "--dry-run")
    assert removed.exit_code == 0 and "nothing was written" in removed.output
    imported = cli("subscribers", "import", str(FIXTURES / "plain.txt"), "--dry-run")
    assert "Would add 2 subscriber(s)" in imported.output
    assert "+ Vik Patel <vik@patelplumbing.example>" in imported.output
    assert path.read_bytes() == before


def test_check_validates_subscribers_and_smtp_settings(cli, project_dir):
    (project_dir / "content" / "subscribers.yaml").write_text(
        "- email: fine@ok.example\n- email: broken.example\n", encoding="utf-8"
    )
    with (project_dir / "goodwill.yml").open("a", encoding="utf-8") as handle:
        handle.write("digest:\n  smtp:\n    host: smtp.example.com\n    form: me@ok.example\n")
    result = cli("check")
    assert result.exit_code == 1
    assert "content/subscribers.yaml:2: subscriber #2: email: 'broken.example'" in result.output
    assert "digest.smtp: unknown option 'form' (did you mean 'from'?)" in result.output
    assert "digest.smtp.from: must be an e-mail address" in result.output
