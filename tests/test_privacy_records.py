"""Reading contacts' private strings: the fast reader, its fallbacks and its child process."""

from __future__ import annotations

import pytest

from goodwill.core.errors import Collector, GoodwillError
from goodwill.guide.privacy_guard import IN_PROCESS_BYTES
from goodwill.relations.private_fields import read_contact_secrets
from goodwill.relations.spotlights import find_spotlights

PLAIN = """# comment
- id: a
  name: A
  email: a@example.com
  phone: "+44 117 496 0123"
  address: {lines: [1 Long Street Name], city: X}
  notes: |
    Line one of the notes.
    Line two.
- id: b
  name: B
  emails: [b1@example.com, b2@example.com]
  phone: 441174960999
  address: [9 Short Road Way]
  email: b3@example.com
"""


def _write(tmp_path, text, name="contacts.yaml"):
    folder = tmp_path / "records"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text)
    return folder


def _summary(secrets):
    return [(s.id, s.emails, s.phones, s.address_lines, s.notes) for s in secrets]


def test_fast_reader_keeps_every_private_string(tmp_path):
    secrets = read_contact_secrets(_write(tmp_path, PLAIN))
    assert _summary(secrets) == [
        (
            "a",
            ["a@example.com"],
            ["+44 117 496 0123"],
            ["1 Long Street Name"],
            ["Line one of the notes.\nLine two.\n"],
        ),
        (
            "b",
            ["b3@example.com", "b1@example.com", "b2@example.com"],
            ["441174960999"],
            ["9 Short Road Way"],
            [],
        ),
    ]
    assert secrets[1].line == 10


@pytest.mark.parametrize(
    "text",
    [
        # an alias and a merge key: the real loader expands them
        "- &base\n  id: a\n  email: a@example.com\n- <<: *base\n  id: b\n",
        # a flow list
        "[{id: a, email: a@example.com}, {id: b, email: b@example.com}]\n",
    ],
)
def test_unusual_files_fall_back_to_the_real_loader(tmp_path, text):
    secrets = read_contact_secrets(_write(tmp_path, text))
    assert [s.id for s in secrets] == ["a", "b"]
    assert secrets[0].emails == ["a@example.com"]
    assert secrets[1].emails in (["a@example.com"], ["b@example.com"])


def test_broken_contacts_stop_the_reader_with_the_line(tmp_path):
    folder = _write(tmp_path, "- id: a\n  email: [a@example.com\n- id: b\n")
    with pytest.raises(GoodwillError) as caught:
        read_contact_secrets(folder)
    assert caught.value.problem.line is not None


def test_a_broken_large_contacts_file_stops_the_build_with_its_line(cli, project_dir):
    contacts = project_dir / "content/records/contacts.yaml"
    filler = "".join(
        f"- id: extra-{i}\n  name: Extra {i}\n  notes: {'x' * 80}\n" for i in range(3000)
    )
    contacts.write_text(contacts.read_text() + "\n" + filler + "- id: broken\n  email: [oops\n")
    assert contacts.stat().st_size > IN_PROCESS_BYTES
    result = cli("build")
    assert result.exit_code == 1
    assert "content/records/contacts.yaml:" in result.output
    assert "Traceback" not in result.output
    assert not (project_dir / "site").exists()


def test_spotlights_are_found_among_many_contacts(tmp_path):
    many = "".join(
        f"- id: c{i}\n  name: C {i}\n  notes: the spotlight of c{i}? no\n" for i in range(50)
    )
    many += (
        "- id: s\n  name: S\n  spotlight:\n    consent: 2026-01-02\n    show: [name]\n"
        "- id: bad\n  name: Bad\n  spotlight:\n    consent: soon\n"
    )
    problems = Collector()
    found = find_spotlights(_write(tmp_path, many), problems)
    assert [c.id for c in found] == ["s"]
    assert found[0].spotlight.show == ("name",)
    assert [p.line for p in problems.errors] == [50 * 3 + 5 + 4]  # bad's consent line
    assert "contact 'bad': spotlight: consent:" in problems.errors[0].message


def test_many_contacts_are_read_in_a_child_process_during_the_build(cli, project_dir):
    contacts = project_dir / "content/records/contacts.yaml"
    filler = "".join(
        f"- id: extra-{i}\n  name: Extra {i}\n  email: extra{i}@firm{i}.example\n"
        f"  notes: Met at the breakfast club number {i} with a long story behind it.\n"
        for i in range(4000)
    )
    contacts.write_text(contacts.read_text() + "\n" + filler)
    assert contacts.stat().st_size > IN_PROCESS_BYTES
    assert cli("build").exit_code == 0
    article = project_dir / "content/articles/deep-networks-beat-wide-ones.md"
    article.write_text(article.read_text() + "\nWrite to extra3999@firm3999.example today.\n")
    result = cli("build")
    assert result.exit_code == 1
    assert "contains the e-mail of contact 'extra-3999'" in result.output


def test_reading_item_by_item_gives_the_same_answer_and_follows_edits(tmp_path):
    folder = _write(tmp_path, PLAIN)
    memo: dict = {}
    whole = _summary(read_contact_secrets(folder))
    assert _summary(read_contact_secrets(folder, memo)) == whole
    assert len(memo) == 2
    assert _summary(read_contact_secrets(folder, memo)) == whole  # from the memo
    edited = PLAIN.replace("a@example.com", "a-new@example.com")
    (folder / "contacts.yaml").write_text(edited)
    again = read_contact_secrets(folder, memo)
    assert again[0].emails == ["a-new@example.com"] and len(memo) == 2
    assert [s.line for s in again] == [2, 10]
    # A file with anchors is read whole, memo or not.
    (folder / "contacts.yaml").write_text(
        "- &base\n  id: a\n  email: a@example.com\n- <<: *base\n  id: b\n"
    )
    assert [s.id for s in read_contact_secrets(folder, memo)] == ["a", "b"]


ODD_ITEMS = ["", "- just a string\n", '- id: q\n  notes: "two\n- lines"\n']


@pytest.mark.parametrize("odd_item", ODD_ITEMS)
def test_a_first_read_of_many_items_in_one_parse_gives_the_same_answer(tmp_path, odd_item):
    """Mostly new items are parsed in one go; the answer (lines included) is the one
    an item-by-item read gives, and odd items fall back to that read."""
    many = "".join(
        f"- id: c{i}\n  email: c{i}@firm.example\n  phone: '+44 117 496 {i:04d}'\n"
        f"  address: {{lines: [{i} Long Harbour Street]}}\n  notes: Likes boats number {i}.\n"
        for i in range(100)
    )
    folder = _write(tmp_path, "# contacts\n" + many + odd_item + PLAIN)
    first = read_contact_secrets(folder, {})
    memo: dict = {}
    read_contact_secrets(folder, memo)
    assert len(memo) >= 100
    again = read_contact_secrets(folder, memo)  # every item from the memo
    assert _summary(first) == _summary(read_contact_secrets(folder)) == _summary(again)
    assert [s.line for s in first] == [s.line for s in again]
    assert first[0].line == 2 and first[99].emails == ["c99@firm.example"]
