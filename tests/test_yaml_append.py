"""Appending records to the user's YAML: what is written reads back exactly."""

from __future__ import annotations

import datetime as dt

import pytest

from goodwill.core.errors import GoodwillError
from goodwill.core.yamlappend import appended
from goodwill.core.yamlemit import dump_records
from goodwill.core.yamlload import parse_yaml

TRICKY = [
    "yes",
    "No",
    "null",
    "~",
    "- dash",
    "a: b",
    "ends with colon:",
    "a #b",
    "#hash",
    "0123",
    "1e5",
    "0x1F",
    "2026-11-20",
    "2026-11-20 10:00",
    "  leading",
    "trailing ",
    "two\nlines",
    "two\n  indented",
    "trailing newline\n",
    "tab\there",
    "it's",
    '"double"',
    "[x]",
    "{y}",
    "a, b",
    "&anchor",
    "*alias",
    "!tag",
    "%percent",
    "@at",
    "`tick",
    "Zoë Ng",
    "emoji 🎉",
    "line\u2028separator",
    "nul\x00byte",
    "back\\slash",
    "+44 7700 900123",
    "=",
    "?",
]


@pytest.mark.parametrize("text", TRICKY)
def test_every_tricky_text_reads_back_the_same(text, tmp_path):
    record = {"id": "x", "name": text, "tags": [text, "plain"], "address": {"lines": [text]}}
    data, _ = appended(b"", [record], tmp_path / "c.yaml")
    assert parse_yaml(data.decode(), "c.yaml") == [record]


def test_numbers_dates_and_layout():
    text = dump_records(
        [
            {"id": "r1", "date": dt.date(2026, 11, 2), "value": 4800, "tags": ["a", "b"]},
            {"id": "r2", "value": 12.5, "notes": "one\ntwo"},
        ]
    )
    assert text == (
        "- id: r1\n  date: 2026-11-02\n  value: 4800\n  tags: [a, b]\n\n"
        "- id: r2\n  value: 12.5\n  notes: |-\n    one\n    two\n"
    )


def test_appending_keeps_the_old_text_and_reports_the_line(tmp_path):
    old = "# my people\r\n- id: a\r\n  name: A   # a comment\r\n"
    data, line = appended(old.encode(), [{"id": "b", "name": "B"}], tmp_path / "c.yaml", "new")
    text = data.decode()
    assert text.startswith(old)
    assert text == old + "\r\n# new\r\n- id: b\r\n  name: B\r\n"
    assert line == 6


def test_a_file_that_is_not_a_block_list_is_refused(tmp_path):
    with pytest.raises(GoodwillError, match="not written as a block list"):
        appended(b"[{id: a, name: A}]\n", [{"id": "b", "name": "B"}], tmp_path / "c.yaml")
    with pytest.raises(GoodwillError, match="not written as a block list"):
        appended(b"id: a\n", [{"id": "b", "name": "B"}], tmp_path / "c.yaml")


def test_a_file_with_document_markers_is_checked_whole(tmp_path):
    old = b"---\n- id: a\n  name: A\n"
    data, _ = appended(old, [{"id": "b", "name": "B"}], tmp_path / "c.yaml")
    assert [r["id"] for r in parse_yaml(data.decode(), "c.yaml")] == ["a", "b"]
    with pytest.raises(GoodwillError, match="without changing something else"):
        appended(b"- id: a\n...\n", [{"id": "b", "name": "B"}], tmp_path / "c.yaml")
