"""Private files in git, and `private_dir:` keeping them outside the site's repository."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from goodwill.core.project import Project
from sitefiles import grep_site

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


def _git(folder, *args):
    subprocess.run(["git", "-C", str(folder), *args], check=True, capture_output=True)


def _move_private_files(project_dir, name="my-network"):
    private = project_dir.parent / name
    private.mkdir()
    shutil.move(project_dir / "content/records", private / "records")
    shutil.move(project_dir / "content/feeds.yaml", private / "feeds.yaml")
    settings = project_dir / "goodwill.yml"
    settings.write_text(f"private_dir: ../{name}\n" + settings.read_text())
    return private


def test_tracked_records_warn_only_when_the_repository_has_a_remote(cli, project_dir):
    _git(project_dir, "init", "-q")
    _git(project_dir, "add", "-f", "content/records", "content/feeds.yaml", "mkdocs.yml")
    quiet = cli("check")
    assert "tracked by git" not in quiet.output

    _git(project_dir, "remote", "add", "origin", "https://example.com/me/guide.git")
    warned = cli("check")
    assert warned.exit_code == 0  # a warning: the user may mean a private remote
    lines = [line for line in warned.output.splitlines() if "tracked by git" in line]
    assert any(line.startswith("content/records/contacts.yaml: warning:") for line in lines)
    assert any(line.startswith("content/feeds.yaml: warning:") for line in lines)
    assert all("'origin'" in line and "private_dir" in line for line in lines)
    assert not any("mkdocs.yml" in line for line in lines)
    assert cli("check", "--strict").exit_code == 1


def test_private_dir_outside_the_repository(cli, project_dir):
    private = _move_private_files(project_dir)
    project = Project(project_dir)
    assert project.records_dir == private.resolve() / "records"
    assert project.feeds_file == private.resolve() / "feeds.yaml"
    assert project.subscribers_file == private.resolve() / "subscribers.yaml"

    _git(project_dir, "init", "-q")
    _git(project_dir, "add", "-A")
    _git(project_dir, "remote", "add", "origin", "https://example.com/me/guide.git")
    checked = cli("check")
    assert checked.exit_code == 0, checked.output
    assert "tracked by git" not in checked.output

    # Every command reads the records and the feed list there.
    report = cli("report", "--format", "csv")
    assert report.exit_code == 0, report.output
    assert "maria-lopez" in report.output or "Maria Lopez" in report.output
    assert cli("digest", "fetch").exit_code == 0
    letters = cli("letters", "--contact", "maria-lopez", "--all")
    assert letters.exit_code == 0, letters.output
    assert list((project_dir / "letters").glob("*.pdf"))
    exported = cli("feeds", "export")
    assert "3 local-file feed(s) left out" in exported.output  # the demo's, read from there

    built = cli("build")
    assert built.exit_code == 0, built.output
    assert grep_site(project_dir / "site", ["maria@lopez-partners.example", "loves sailing"]) == []


def test_private_dir_problems_are_errors_with_the_line(cli, project_dir):
    settings = project_dir / "goodwill.yml"
    original = settings.read_text()
    settings.write_text(original + "private_dir: ../nowhere\n")
    for command in ("check", "build"):  # a build would scan no records: it stops too
        missing = cli(command)
        assert missing.exit_code == 1
        assert "goodwill.yml:" in missing.output and "does not exist" in missing.output

    settings.write_text(original + "private_dir: content/private\n")
    (project_dir / "content/private").mkdir()
    inside = cli("check")
    assert inside.exit_code == 1 and "inside content/" in inside.output

    settings.write_text(original + "private_dir: [a, b]\n")
    wrong = cli("check")
    assert wrong.exit_code == 1 and "private_dir: expected the path of a folder" in wrong.output
    assert cli("build").exit_code == 1  # never guesses where the records are


def test_feed_private_flag_is_validated(cli, project_dir):
    feeds = project_dir / "content/feeds.yaml"
    feeds.write_text("- name: Mine\n  url: https://mine.example.org/feed\n  private: maybe\n")
    result = cli("check")
    assert result.exit_code == 1
    assert "content/feeds.yaml:3: feed 'Mine': private: must be true or false" in result.output
