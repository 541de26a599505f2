"""Contacts and referrals: the schema, every kind of bad input, safe loading."""

from __future__ import annotations

import time

import pytest

from goodwill.core.errors import Collector
from goodwill.relations.records import load_records

CONTACTS = """\
- id: maria-lopez
  name: Maria Lopez
"""
REFERRAL = """\
- id: r1
  date: 2026-11-02
  direction: received
  contact: maria-lopez
  referred: Dan Park
  for: coaching
"""


def write_records(project_dir, contacts=CONTACTS, referrals=REFERRAL):
    folder = project_dir / "content" / "records"
    for old in folder.glob("*.yaml"):
        old.unlink()
    (folder / "contacts.yaml").write_text(contacts, encoding="utf-8")
    (folder / "referrals.yaml").write_text(referrals, encoding="utf-8")
    return folder


def test_the_shipped_sample_records_are_clean(cli, project_dir):
    result = cli("check")
    assert result.exit_code == 0, result.output
    assert "0 error(s), 0 warning(s)" in result.output
    records = load_records(project_dir / "content" / "records", Collector())
    assert len(records.contacts) == 12 and len(records.referrals) == 25
    statuses = {(r.direction, r.status) for r in records.referrals}
    assert {s for _, s in statuses} == {"new", "contacted", "won", "lost"}
    assert {d for d, _ in statuses} == {"received", "given"}
    assert any(c.address is None for c in records.contacts.values())


def test_a_full_record_loads_with_its_types(project_dir):
    folder = write_records(
        project_dir,
        contacts=CONTACTS
        + "  salutation: Ms Lopez\n  tags: accountant, bni\n  last_contact: 2026-10-01\n"
        + "  address:\n    lines: [14 Queen Square]\n    city: Bristol\n"
        + "    postcode: BS1 4NT\n  x_birthday: 12 May\n",
        referrals=REFERRAL + "  status: won\n  value: 4800\n  thanked: 2026-11-03\n",
    )
    problems = Collector()
    records = load_records(folder, problems)
    assert problems.problems == []
    maria = records.contacts["maria-lopez"]
    assert maria.greeting_name == "Ms Lopez"
    assert maria.tags == ("accountant", "bni")
    assert maria.address.city == "Bristol" and maria.address.lines == ("14 Queen Square",)
    assert maria.extra == {"x_birthday": "12 May"}
    referral = records.referrals[0]
    assert (referral.need, referral.value, str(referral.thanked)) == (
        "coaching",
        4800,
        "2026-11-03",
    )
    assert records.last_in_touch(maria).isoformat() == "2026-11-03"


BAD_REFERRALS = [
    pytest.param(
        REFERRAL + "  thankd: 2026-11-03\n",
        "referrals.yaml:7: referral 'r1': thankd: unknown field (did you mean 'thanked'?)",
        id="unknown-field",
    ),
    pytest.param(
        REFERRAL.replace("  for: coaching\n", ""),
        "referrals.yaml:1: referral 'r1': for: missing required field",
        id="missing-field",
    ),
    pytest.param(
        REFERRAL + '  value: "4,800"\n',
        "referrals.yaml:7: referral 'r1': value: expected a number, got str ('4,800')",
        id="wrong-type",
    ),
    pytest.param(
        REFERRAL.replace("2026-11-02", "2026-02-30"),
        "referrals.yaml:2: referral 'r1': date: '2026-02-30' is not a real date",
        id="impossible-date",
    ),
    pytest.param(
        REFERRAL + REFERRAL,
        "referrals.yaml:7: referral 'r1': id: already used at referrals.yaml:1",
        id="duplicate-id",
    ),
    pytest.param(
        REFERRAL.replace("contact: maria-lopez", "contact: maria-lopes"),
        "referrals.yaml:4: referral 'r1': contact: 'maria-lopes' is not a known contact "
        "(did you mean 'maria-lopez'?)",
        id="unknown-contact",
    ),
    pytest.param(
        REFERRAL + "  status: wonn\n",
        "referrals.yaml:7: referral 'r1': status: 'wonn' is not one of new, contacted, won, "
        "lost (did you mean 'won'?)",
        id="bad-status",
    ),
    pytest.param(
        REFERRAL + "  thanked: 2026-10-30\n",
        "referrals.yaml:7: referral 'r1': thanked: 2026-10-30 is before the referral date "
        "2026-11-02",
        id="thanked-before-date",
    ),
    pytest.param(
        REFERRAL.replace("direction: received", "direction: recieved"),
        "referrals.yaml:3: referral 'r1': direction: 'recieved' is not one of received, given "
        "(did you mean 'received'?)",
        id="bad-direction",
    ),
    pytest.param(
        REFERRAL + "  gift: coffee\n  gift: wine\n",
        "referrals.yaml:8: referral 'r1': gift: appears twice in this record",
        id="duplicate-key",
    ),
    pytest.param(
        "- just a line\n",
        "referrals.yaml: referral #1: expected 'key: value' lines",
        id="not-a-mapping",
    ),
    pytest.param(
        "id: r1\n",
        "referrals.yaml:1: expected a list of referrals",
        id="not-a-list",
    ),
    pytest.param(
        REFERRAL + "  notes: [unclosed\n",
        "referrals.yaml:8: not valid YAML",
        id="yaml-syntax",
    ),
]


@pytest.mark.parametrize(("referrals", "expected"), BAD_REFERRALS)
def test_bad_referral_is_reported_with_file_line_record_and_field(
    cli, project_dir, referrals, expected
):
    write_records(project_dir, referrals=referrals)
    result = cli("check")
    assert result.exit_code == 1
    assert f"content/records/{expected}" in result.output
    # and `goodwill letters` refuses, writing nothing at all
    letters = cli("letters")
    assert letters.exit_code == 1
    assert f"content/records/{expected}" in letters.output
    assert "nothing was written" in letters.output
    assert not (project_dir / "letters").exists()


BAD_CONTACTS = [
    pytest.param(
        CONTACTS + "  phone: 5551234\n",
        "contacts.yaml:3: contact 'maria-lopez': phone: expected text, got a number (5551234) "
        '(put it in quotes, e.g. "5551234"',
        id="number-for-text",
    ),
    pytest.param(
        CONTACTS + "  email: maria.example.com\n",
        "contacts.yaml:3: contact 'maria-lopez': email: 'maria.example.com' does not look like "
        "an e-mail address",
        id="bad-email",
    ),
    pytest.param(
        CONTACTS + "  address:\n    lines: [1 Main St]\n    postcod: BS1\n",
        "contacts.yaml:5: contact 'maria-lopez': address: unknown address field 'postcod' "
        "(did you mean 'postcode'?)",
        id="address-field",
    ),
    pytest.param(
        CONTACTS + "  last_contact: 2026-13-01\n",
        "contacts.yaml:3: contact 'maria-lopez': last_contact: '2026-13-01' is not a real date",
        id="impossible-date",
    ),
    pytest.param(
        CONTACTS + "- id: maria-lopez\n  name: Maria L.\n",
        "contacts.yaml:3: contact 'maria-lopez': id: already used at contacts.yaml:1",
        id="duplicate-id",
    ),
    pytest.param(
        "- name: No Id\n",
        "contacts.yaml:1: contact #1: id: missing required field",
        id="missing-id",
    ),
    pytest.param(
        CONTACTS + "  tags: {a: b}\n",
        "contacts.yaml:3: contact 'maria-lopez': tags: expected a list of text",
        id="tags-type",
    ),
]


@pytest.mark.parametrize(("contacts", "expected"), BAD_CONTACTS)
def test_bad_contact_is_reported_with_file_line_record_and_field(
    cli, project_dir, contacts, expected
):
    write_records(project_dir, contacts=contacts)
    result = cli("check")
    assert result.exit_code == 1
    assert f"content/records/{expected}" in result.output
    letters = cli("letters", "--kind", "all")
    assert letters.exit_code == 1 and f"content/records/{expected}" in letters.output
    assert not (project_dir / "letters").exists()


def test_every_problem_is_listed_at_once(cli, project_dir):
    write_records(
        project_dir,
        contacts=CONTACTS + "  emial: x@example.com\n",
        referrals=REFERRAL.replace("maria-lopez", "nobody") + "  status: maybe\n",
    )
    result = cli("check")
    assert result.exit_code == 1
    assert "emial: unknown field (did you mean 'email'?)" in result.output
    assert "contact: 'nobody' is not a known contact" in result.output
    assert "status: 'maybe' is not one of" in result.output
    assert "3 error(s)" in result.output


def test_several_files_per_kind_and_folders(project_dir):
    folder = write_records(project_dir)
    (folder / "contacts-2025.yaml").write_text("- id: dan-park\n  name: Dan Park\n")
    (folder / "referrals").mkdir()
    (folder / "referrals" / "2025.yml").write_text(
        REFERRAL.replace("r1", "r2").replace("maria-lopez", "dan-park")
    )
    (folder / "notes.yaml").write_text("- whatever\n")
    problems = Collector()
    records = load_records(folder, problems)
    assert sorted(records.contacts) == ["dan-park", "maria-lopez"]
    assert sorted(r.id for r in records.referrals) == ["r1", "r2"]
    assert [p.message for p in problems.problems] == [
        "not a contacts or referrals file (nor an interactions file); skipped"
    ]


def test_future_dates_and_premature_outcome_are_warnings(project_dir):
    folder = write_records(
        project_dir,
        referrals=REFERRAL.replace("2026-11-02", "2027-01-05") + "  outcome_reported: 2027-02-01\n",
    )
    problems = Collector()
    load_records(folder, problems)
    assert problems.errors == []
    messages = [p.message for p in problems.warnings]
    assert "referral 'r1': date: 2027-01-05 is in the future" in messages
    assert "referral 'r1': outcome_reported: set, but status is 'new'" in messages


def test_alias_bomb_fails_fast_with_a_clear_error(cli, project_dir):
    bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for n in range(1, 10):
        bomb.append(f"{chr(97 + n)}: &{chr(97 + n)} [" + ",".join([f"*{chr(96 + n)}"] * 9) + "]")
    write_records(project_dir, referrals="\n".join(bomb) + "\n")
    began = time.perf_counter()
    result = cli("check")
    assert time.perf_counter() - began < 5
    assert result.exit_code == 1
    assert "content/records/referrals.yaml: YAML aliases expand to more than" in result.output
    assert "alias bomb" in result.output
    began = time.perf_counter()
    letters = cli("letters")
    assert time.perf_counter() - began < 5
    assert letters.exit_code == 1
    assert "alias bomb" in letters.output
    assert not (project_dir / "letters").exists()


def test_a_50_mb_file_fails_fast_without_being_read(cli, project_dir):
    folder = write_records(project_dir)
    with open(folder / "referrals.yaml", "r+b") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: cheap to make, would be slow to parse
    began = time.perf_counter()
    result = cli("letters")
    assert time.perf_counter() - began < 5
    assert result.exit_code == 1
    assert "referrals.yaml: file is 50.0 MB, over the 10 MB limit" in result.output
    assert not (project_dir / "letters").exists()


def test_python_tags_are_refused(cli, project_dir):
    write_records(project_dir, referrals="- !!python/object/apply:os.system ['echo hacked']\n")
    result = cli("check")
    assert result.exit_code == 1
    assert "referrals.yaml:1: not valid YAML" in result.output


def test_settings_are_validated(cli, project_dir):
    settings = project_dir / "goodwill.yml"
    settings.write_text(
        "sender:\n  name: Alex\n  adress: x\nletters:\n  page_size: a3\n  check_in_days: -4\n"
    )
    result = cli("check")
    assert result.exit_code == 1
    assert (
        "goodwill.yml:3: warning: sender: unknown setting 'adress' (did you mean 'address'?)"
        in result.output
    )
    assert "goodwill.yml:5: letters: page_size: 'a3' is not one of a4, letter, a5" in result.output
    assert "goodwill.yml:6: letters: check_in_days: expected a whole number" in result.output


def test_an_empty_required_field_is_missing(cli, project_dir):
    write_records(project_dir, referrals=REFERRAL.replace("date: 2026-11-02", "date:"))
    result = cli("check")
    assert result.exit_code == 1
    assert "referrals.yaml:1: referral 'r1': date: missing required field" in result.output


def readme_block(start: str) -> str:
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    block = readme[readme.index(start) :]
    return block[: block.index("```")]


def test_the_readme_examples_are_valid(cli, project_dir):
    write_records(
        project_dir,
        contacts=readme_block("# content/records/contacts.yaml"),
        referrals=readme_block("# content/records/referrals.yaml"),
    )
    (project_dir / "goodwill.yml").write_text(readme_block("sender:\n  name: Alex Morgan"))
    result = cli("check")
    assert result.exit_code == 0, result.output
    assert "0 error(s), 0 warning(s)" in result.output


def test_long_lists_are_parsed_in_slices_with_the_same_result(tmp_path, monkeypatch):
    from goodwill.core import yamllist
    from goodwill.core.errors import GoodwillError
    from goodwill.core.yamlload import load_yaml_file

    monkeypatch.setattr(yamllist, "ITEMS_PER_SLICE", 2)
    path = tmp_path / "referrals.yaml"
    item = "# record {n}\n- id: r{n}\n  notes: |\n    - not an item\n\n"
    items = "".join(item.format(n=n) for n in range(7))
    path.write_text("# header\n\n" + items)
    assert yamllist._slices(path.read_text()) is not None
    sliced, whole = yamllist.load_yaml_list(path), load_yaml_file(path)
    assert sliced == whole and len(sliced) == 7
    assert [item.line for item in sliced] == [item.line for item in whole]
    path.write_text("# header\n\n" + items + "- id: broken\n  notes: [unclosed\n")
    with pytest.raises(GoodwillError, match="not valid YAML") as error:
        yamllist.load_yaml_list(path)
    assert error.value.problem.line == 40
    path.write_text("- &a {id: r0}\n" + items)  # anchors: parsed whole
    assert yamllist._slices(path.read_text()) is None


def test_date_order_is_checked_even_when_another_field_is_wrong(project_dir):
    folder = write_records(
        project_dir, referrals=REFERRAL + '  value: "£4,800"\n  thanked: 2026-11-01\n'
    )
    problems = Collector()
    load_records(folder, problems)
    text = "\n".join(p.message for p in problems.errors)
    assert "value: expected a number" in text
    assert "thanked: 2026-11-01 is before the referral date 2026-11-02" in text
    assert len(problems.errors) == 2


@pytest.mark.parametrize("value", [".nan", ".inf", "-.inf", ".NaN", ".Inf"])
def test_a_value_that_is_not_a_finite_number_is_refused(project_dir, value):
    folder = write_records(project_dir, referrals=REFERRAL + f"  value: {value}\n")
    problems = Collector()
    records = load_records(folder, problems)
    assert [p.message for p in problems.errors] == [
        f"referral 'r1': value: expected a number, got {float(value.replace('.', '', 1))!r}"
    ]
    assert records.referrals == []


def test_a_slice_cut_inside_a_quoted_value_falls_back_to_the_whole_file(tmp_path):
    from goodwill.core import yamllist
    from goodwill.core.yamlload import load_yaml_file

    items = [f"- id: r{n}\n  for: coaching\n" for n in range(499)]
    items.append('- id: quoted\n  for: "a need that goes on\n- over two lines"\n')
    items += [f"- id: s{n}\n" for n in range(30)]
    path = tmp_path / "referrals.yaml"
    path.write_text("".join(items), encoding="utf-8")
    slices = yamllist._slices(path.read_text())
    assert slices is not None and slices[1][1].startswith("- over two lines")  # the bad cut
    loaded = yamllist.load_yaml_list(path)
    assert loaded == load_yaml_file(path) and len(loaded) == 530
    assert loaded[499]["for"] == "a need that goes on - over two lines"
    assert loaded[529].line == load_yaml_file(path)[529].line


def test_a_thanked_date_in_the_future_is_a_warning(project_dir):
    folder = write_records(project_dir, referrals=REFERRAL + "  thanked: 2027-11-02\n")
    problems = Collector()
    load_records(folder, problems)
    assert not problems.errors
    assert [(p.line, p.message) for p in problems.warnings] == [
        (7, "referral 'r1': thanked: 2027-11-02 is in the future")
    ]
