"""The safe YAML loader: line numbers, and hostile input refused before it can hurt."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from goodwill.core.errors import GoodwillError
from goodwill.core.yamlload import MAX_NESTING, parse_yaml

# The block form starts its "- - -" run on the line after `notes:`.
DEEP_LINE = {"flow": 0, "block": 1, "mapping": 0}
DEEP = {
    "flow": "notes: " + "[" * 50_000 + "]" * 50_000 + "\n",
    "block": "notes:\n  " + "- " * 50_000 + "x\n",
    "mapping": "notes: " + "{a: " * 50_000 + "1" + "}" * 50_000 + "\n",
}


@pytest.mark.parametrize("kind", sorted(DEEP))
def test_deep_nesting_is_refused_with_a_line(kind):
    text = "- id: a\n  name: A\n- id: b\n  " + DEEP[kind].replace("\n  ", "\n    ")
    with pytest.raises(GoodwillError) as caught:
        parse_yaml(text, "contacts.yaml")
    assert f"more than {MAX_NESTING} levels" in caught.value.problem.message
    assert caught.value.problem.line == 4 + DEEP_LINE[kind]


@pytest.mark.parametrize("kind", sorted(DEEP))
def test_goodwill_check_reports_deep_nesting_instead_of_crashing(project_dir, kind):
    """libyaml recurses in C: without the guard the process dies with SIGSEGV."""
    records = project_dir / "content" / "records" / "contacts.yaml"
    records.write_text("- id: deep\n  name: Deep\n  " + DEEP[kind])
    proc = subprocess.run(
        [sys.executable, "-m", "goodwill", "check"],
        cwd=project_dir,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "GOODWILL_TODAY": "2026-11-20"},
    )
    assert proc.returncode == 1, (proc.returncode, proc.stderr[-500:])
    line = 3 + DEEP_LINE[kind]
    assert f"contacts.yaml:{line}: YAML nested more than" in proc.stdout + proc.stderr


def test_ordinary_nesting_and_brackets_in_text_still_load():
    text = "a:\n  b:\n    - [1, [2, {c: 3}]]\nnote: 'brackets [[[ in text are fine'\n"
    assert parse_yaml(text, "x.yaml") == {
        "a": {"b": [[1, [2, {"c": 3}]]]},
        "note": "brackets [[[ in text are fine",
    }


def test_lists_and_mappings_know_their_lines():
    data = parse_yaml("# comment\n- name: A\n- plain item\n-\n  name: C\n", "feeds.yaml")
    assert data.item_lines == [2, 3, 5]  # an item's line is where its content starts
    assert data[0].line == 2 and data[0].line_of("name") == 2
    assert data[2].line_of("name") == 5


def test_front_matter_offset_applies_to_every_line():
    data = parse_yaml("title: x\ntags: [a]\n", "a.md", first_line=2)
    assert data.line_of("title") == 2 and data.line_of("tags") == 3


def test_alias_bomb_is_refused():
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for level in range(1, 9):
        prev, name = chr(96 + level), chr(97 + level)
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    with pytest.raises(GoodwillError, match="aliases expand to more than"):
        parse_yaml("\n".join(lines) + "\n", "bomb.yaml")
