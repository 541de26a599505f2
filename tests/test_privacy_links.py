"""Symbolic links under content/ never publish records, feed lists or files elsewhere."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from goodwill.core.errors import Collector
from goodwill.core.project import Project
from goodwill.core.siteconfig import check_site_config
from sitefiles import grep_site

SECRET_PASSWD = "root:x:0:0:PASSWD-SECRET-4471:/root:/bin/bash\n"
# What the demo's records and feed list hold, and no public page does.
RECORD_STRINGS = ["maria@lopez-partners.example", "loves sailing", "roundtable.example.org/feed"]


@pytest.fixture
def outside_file(tmp_path):
    """An /etc/passwd-like file outside the project."""
    path = tmp_path / "etc" / "passwd"
    path.parent.mkdir()
    path.write_text(SECRET_PASSWD)
    return path


def _link(project_dir, rel: str, target) -> None:
    link = project_dir / rel
    link.parent.mkdir(parents=True, exist_ok=True)
    os.symlink(target, link)


LEAKS = {
    "article to records": ("content/articles/r.md", "../records/contacts.yaml"),
    "article to outside": ("content/articles/passwd.md", "OUTSIDE"),
    "asset to outside": ("content/assets/passwd.css", "OUTSIDE"),
    "asset to feed list": ("content/assets/feeds.js", "../feeds.yaml"),
    "folder to records": ("content/articles/people", "../records"),
    "asset folder to records": ("content/assets/people", "../records"),
    "folder outside": ("content/assets/etc", "OUTSIDE_DIR"),
    "page to records at top": ("content/team.md", "records/contacts.yaml"),
    "folder to content itself": ("content/assets/all", ".."),
    "home page to records": ("content/index.md", "records/contacts.yaml"),
    "digest issue to records": ("content/digest/2026-12-01-3.md", "../records/referrals.yaml"),
}


@pytest.mark.parametrize("case", sorted(LEAKS))
def test_symlink_leaks_fail_closed(cli, project_dir, outside_file, case):
    rel, target = LEAKS[case]
    target = {"OUTSIDE": outside_file, "OUTSIDE_DIR": outside_file.parent}.get(target, target)
    if rel == "content/index.md":
        (project_dir / rel).unlink()
    _link(project_dir, rel, target)

    result = cli("build")
    assert result.exit_code == 0, result.output
    assert f"{rel}: warning: symbolic link not published" in result.output
    assert grep_site(project_dir / "site", ["PASSWD-SECRET-4471", *RECORD_STRINGS]) == []

    checked = cli("check")
    assert f"{rel}: warning: symbolic link not published" in checked.output


def test_links_inside_content_to_public_files_still_work(cli, project_dir):
    _link(project_dir, "content/articles/again.md", "deep-networks-beat-wide-ones.md")
    (project_dir / "content/assets/img").mkdir()
    (project_dir / "content/assets/img/logo.svg").write_text(
        "<svg xmlns='http://www.w3.org/2000/svg'/>"
    )
    _link(project_dir, "content/assets/pictures", "img")

    result = cli("build")
    assert "symbolic link not published" not in result.output
    assert (project_dir / "site/assets/pictures/logo.svg").is_file()
    assert (project_dir / "site/assets/img/logo.svg").is_file()


def test_link_with_page_name_to_data_file_inside_content_is_refused(cli, project_dir):
    (project_dir / "content/assets/list.csv").write_text("CSV-SECRET-5512\n")
    _link(project_dir, "content/assets/list.md", "list.csv")
    result = cli("build")
    assert "content/assets/list.md: warning: symbolic link not published" in result.output
    assert "not a page or an asset" in result.output
    assert grep_site(project_dir / "site", ["CSV-SECRET-5512"]) == []


def test_dangling_link_is_a_warning_not_a_crash(cli, project_dir):
    _link(project_dir, "content/articles/gone.md", "nowhere.md")
    result = cli("build")
    assert result.exit_code == 0
    assert "content/articles/gone.md: warning: symbolic link not published" in result.output


def test_a_loop_of_folder_links_ends(cli, project_dir):
    assets = project_dir / "content/assets"
    (assets / "a").mkdir()
    (assets / "c").mkdir()
    (assets / "c/x.css").write_text("p{}")
    _link(project_dir, "content/assets/a/b", "../c")
    _link(project_dir, "content/assets/c/d", "../a")
    result = cli("build")
    assert result.exit_code == 0, result.output
    assert (project_dir / "site/assets/a/b/x.css").is_file()


def _plain_mkdocs(project_dir, site):
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-d", str(site)],
        cwd=project_dir,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )


def test_a_hand_run_mkdocs_build_leaves_out_a_link_into_the_records(project_dir, tmp_path):
    """`mkdocs build` by hand reads content/ itself: the goodwill plugin in mkdocs.yml leaves
    out what goodwill would not publish; without it, the link would publish the records."""
    link = project_dir / "content" / "articles" / "people.md"
    link.symlink_to(project_dir / "content" / "records" / "contacts.yaml")
    guarded = _plain_mkdocs(project_dir, tmp_path / "guarded")
    assert guarded.returncode == 0, guarded.stderr
    assert "left out content/articles/people.md: symbolic link not published" in guarded.stderr
    assert grep_site(tmp_path / "guarded", ["maria@lopez-partners.example"]) == []
    assert (tmp_path / "guarded" / "articles" / "deep-networks-beat-wide-ones").is_dir()

    mkdocs_yml = project_dir / "mkdocs.yml"
    mkdocs_yml.write_text(mkdocs_yml.read_text().replace("  - goodwill\n", ""))
    unguarded = _plain_mkdocs(project_dir, tmp_path / "unguarded")
    assert unguarded.returncode == 0, unguarded.stderr
    assert grep_site(tmp_path / "unguarded", ["maria@lopez-partners.example"])
    problems = Collector()
    check_site_config(Project(project_dir), problems)
    [warning] = [w for w in problems.warnings if "goodwill plugin is not listed" in w.message]
    assert warning.path == project_dir / "mkdocs.yml" and warning.line
