"""Hostile or damaged input files: one located error each, never a traceback or a side effect."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

HUGE = "9" * 5000  # Python refuses int() of more than 4,300 digits


def _append_to_first_record(path, line: str) -> int:
    """Add `line` inside the first `- id:` record of a YAML list; return its line number."""
    lines = path.read_text(encoding="utf-8").splitlines()
    first = next(i for i, text in enumerate(lines) if text.startswith("- "))
    lines.insert(first + 1, line)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return first + 2


@pytest.mark.parametrize(
    "where",
    ["records", "front matter", "feeds.yaml", "goodwill.yml", "mkdocs.yml"],
)
def test_a_huge_unquoted_integer_is_a_located_error(project_dir, cli, where):
    if where == "records":
        path = project_dir / "content" / "records" / "referrals.yaml"
        line = _append_to_first_record(path, f"  value: {HUGE}")
    elif where == "front matter":
        path = sorted((project_dir / "content" / "articles").glob("*.md"))[0]
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("---\n", f"---\nreading: {HUGE}\n", 1), encoding="utf-8")
        line = 2
    elif where == "feeds.yaml":
        path = project_dir / "content" / "feeds.yaml"
        line = _append_to_first_record(path, f"  max_items: {HUGE}")
    else:
        path = project_dir / where
        text = path.read_text(encoding="utf-8")
        path.write_text(f"{text}\nextra_number: {HUGE}\n", encoding="utf-8")
        line = text.count("\n") + 2
    result = cli("check")
    assert result.exit_code == 1
    relative = path.relative_to(project_dir)
    assert f"{relative}:{line}: a number of 5,000 digits is too long to read" in result.output
    assert "Traceback" not in result.output


def test_a_nul_byte_is_reported_by_line(project_dir, cli):
    path = project_dir / "content" / "records" / "contacts.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[5] += "\0"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = cli("check")
    assert result.exit_code == 1
    assert "content/records/contacts.yaml:6: a NUL byte" in result.output
    assert "position" not in result.output


def test_a_nul_byte_in_an_article_is_reported_by_line(project_dir, cli):
    path = sorted((project_dir / "content" / "articles").glob("*.md"))[0]
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[-1] += "\0"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = cli("build")
    assert result.exit_code == 1
    assert f"{path.relative_to(project_dir)}:{len(lines)}: a NUL byte" in result.output
    assert not (project_dir / "site").exists()


def test_other_control_characters_in_yaml_are_reported_by_line():
    from goodwill.core.errors import GoodwillError
    from goodwill.core.yamlload import parse_yaml

    with pytest.raises(GoodwillError) as caught:
        parse_yaml("a: 1\nb: bell \x07\n", "x.yaml")
    assert caught.value.format() == (
        "x.yaml:2: not valid YAML: character U+0007 is not allowed"
        " (remove it: the file may be damaged, or binary)"
    )


@pytest.mark.parametrize("text", ["", "# every contact was removed\n\n"])
def test_an_empty_contacts_file_is_one_problem(project_dir, cli, text):
    (project_dir / "content" / "records" / "contacts.yaml").write_text(text, encoding="utf-8")
    result = cli("check")
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if "referral" in line]
    assert len(errors) == 1, result.output
    assert errors[0].startswith("content/records/contacts.yaml: the file is empty")
    assert "is not a known contact" not in result.output


def test_python_tags_in_mkdocs_yml_are_refused_before_mkdocs_runs(project_dir, tmp_path):
    marker = tmp_path / "ran"
    mkdocs_yml = project_dir / "mkdocs.yml"
    text = mkdocs_yml.read_text(encoding="utf-8")
    line = text.count("\n") + 3
    mkdocs_yml.write_text(
        f"{text}\nextra:\n  hook: !!python/object/apply:os.system [\"touch '{marker}'\"]\n",
        encoding="utf-8",
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    for command in (["build"], ["check"], ["serve", "--port", "1"]):
        proc = subprocess.run(
            [sys.executable, "-m", "goodwill", *command],
            cwd=project_dir,
            capture_output=True,
            text=True,
            timeout=120,
            env=env,
        )
        assert proc.returncode == 1, (command, proc.stdout, proc.stderr)
        assert f"mkdocs.yml:{line}: a !!python/object/apply:os.system tag" in proc.stderr
        assert "Traceback" not in proc.stderr
        assert not marker.exists(), f"`goodwill {command[0]}` let MkDocs run the tag"
    assert not (project_dir / "site").exists()


def test_python_tags_in_an_inherited_mkdocs_yml_are_refused(project_dir, cli):
    (project_dir / "base.yml").write_text(
        "extra:\n  x: !!python/name:os.system\n", encoding="utf-8"
    )
    mkdocs_yml = project_dir / "mkdocs.yml"
    mkdocs_yml.write_text(
        "INHERIT: base.yml\n" + mkdocs_yml.read_text(encoding="utf-8"), encoding="utf-8"
    )
    result = cli("check")
    assert result.exit_code == 1
    assert "base.yml:2: a !!python/name:os.system tag" in result.output


def test_mkdocs_tags_of_its_own_are_still_accepted(project_dir, cli):
    mkdocs_yml = project_dir / "mkdocs.yml"
    text = mkdocs_yml.read_text(encoding="utf-8")
    mkdocs_yml.write_text(text + "\nextra:\n  home: !ENV [HOME, /]\n", encoding="utf-8")
    result = cli("check")
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("key, value", [("site_dir", "public"), ("docs_dir", "docs")])
def test_folders_set_in_mkdocs_yml_are_said_to_be_ignored(project_dir, cli, key, value):
    mkdocs_yml = project_dir / "mkdocs.yml"
    lines = mkdocs_yml.read_text(encoding="utf-8").splitlines()
    line = next(i for i, text in enumerate(lines, 1) if text.startswith(f"{key}:"))
    lines[line - 1] = f"{key}: {value}"
    mkdocs_yml.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = cli("check")
    assert f"mkdocs.yml:{line}: warning: {key}: '{value}' is ignored" in result.output
