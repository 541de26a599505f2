"""content/authors.yaml: validated with path:line errors, every problem at once."""

from __future__ import annotations

from goodwill.core.errors import Collector
from goodwill.core.project import Project
from goodwill.guide.authors import check_authors

BAD = """- name: Maria Lopez
  bio: Accountant.
  photo: assets/images/nope.jpg
  links:
    Website: lopez.example
- name: Dan Okafor
  biography: Coach.
- bio: nameless
- name: Dan Okafor
- name: Priya Raman
  photo: ../../etc/passwd
"""


def test_every_problem_in_authors_yaml_has_its_line(project_dir):
    (project_dir / "content" / "authors.yaml").write_text(BAD)
    problems = Collector()
    check_authors(Project(project_dir), problems)
    found = {(p.line, p.severity): p.message for p in problems.problems}
    assert "photo: assets/images/nope.jpg does not exist" in found[3, "error"]
    assert "link 'Website'" in found[5, "error"] and "not an http(s)" in found[5, "error"]
    assert "unknown author key 'biography'" in found[7, "warning"]
    assert "name: required text" in found[8, "error"]
    assert "listed twice" in found[9, "error"]
    assert "is not an image under content/" in found[11, "error"]


def test_check_and_build_report_authors_yaml_with_file_and_line(cli, project_dir):
    (project_dir / "content" / "authors.yaml").write_text(
        "- name: Maria Lopez\n  links: [https://x.example]\n"
    )
    check = cli("check")
    assert check.exit_code == 1
    assert "content/authors.yaml:2: author 'Maria Lopez': links: must be" in check.output
    build = cli("build")
    assert build.exit_code == 1
    assert "content/authors.yaml:2:" in build.output
    assert not (project_dir / "site").exists()


def test_an_author_in_authors_yaml_without_articles_is_a_warning(cli, project_dir):
    with (project_dir / "content" / "authors.yaml").open("a") as handle:
        handle.write("- name: Maria Lopes\n")
    check = cli("check")
    assert check.exit_code == 0
    assert "warning: author 'Maria Lopes' has no articles (did you mean 'Maria Lopez'?)" in (
        check.output
    )


def test_authors_yaml_is_never_published(cli, project_dir):
    assert cli("build").exit_code == 0
    site = project_dir / "site"
    assert not list(site.rglob("authors.yaml"))
    assert not list(site.rglob("dates.yaml"))
