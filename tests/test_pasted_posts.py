"""Pasted posts (no front matter date) as people bring them from other blogs.

Their title comes from the text without showing it twice, and their date lasts: the
commit that first added the file, or a date the first build pins in content/dates.yaml.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess

import pytest

from goodwill.core.errors import Collector, ValidationFailed
from goodwill.core.project import Project
from goodwill.guide import pasted_dates
from goodwill.guide.articles import load_articles
from goodwill.guide.build import build_guide
from goodwill.scaffold import init_project

# A WordPress block-editor copy: editor comments around HTML paragraphs, no title.
WORDPRESS = """<!-- wp:paragraph -->
<p>Every December I write thirty cards by hand, one for each person who sent me a client.</p>
<!-- /wp:paragraph -->

<!-- wp:heading -->
<h2 class="wp-block-heading">Why by hand</h2>
<!-- /wp:heading -->

<!-- wp:paragraph -->
<p>Because nobody throws away a handwritten card.</p>
<!-- /wp:paragraph -->
"""

# A Medium export converted to Markdown: title, subtitle, a hero image, then the text.
MEDIUM = """# The Referral I Almost Missed

## What a late thank-you taught me about trust

![](https://cdn-images.example.com/max/800/1*hero.jpeg)

Last spring a former client sent me a lead, and I waited three weeks to say thank you.

### The cost of waiting

She never sent another.
"""

# A Ghost export: front matter with a title and Ghost's own keys, but no date.
GHOST = """---
title: "Five Questions for Your Next One-to-One"
slug: five-questions
feature_image: /content/images/2024/03/coffee.jpg
---

Skip the elevator pitch. Ask these instead.

1. Who is your ideal client?
2. What did you win last month?
"""

# Pasted from a word processor: a plain first line as the title, with a setext variant.
PLAIN = """Keeping in touch without being a pest

Once a quarter is enough for most of your circle.
"""
SETEXT = """Gifts that say thank you
========================

A good gift is small, personal and never a bribe.
"""


def pasted_project(tmp_path) -> Project:
    root = init_project(tmp_path / "project")
    articles = root / "content" / "articles"
    for name, text in {
        "wordpress-cards.md": WORDPRESS,
        "medium-missed.md": MEDIUM,
        "ghost-questions.md": GHOST,
        "keeping-in-touch.md": PLAIN,
        "gifts.md": SETEXT,
    }.items():
        (articles / name).write_text(text, encoding="utf-8")
    return Project(root)


def by_name(articles):
    return {a.path.name: a for a in articles}


def test_titles_of_pasted_posts_are_taken_once(tmp_path):
    project = pasted_project(tmp_path)
    articles = by_name(load_articles(project.articles_dir, Collector()))
    medium = articles["medium-missed.md"]
    assert medium.title == "The Referral I Almost Missed"
    assert "# The Referral I Almost Missed" not in medium.body
    assert medium.summary.startswith("Last spring a former client")
    wordpress = articles["wordpress-cards.md"]
    assert wordpress.title == "Wordpress cards"  # no heading: from the file name
    assert wordpress.body.count("Every December") == 1
    assert wordpress.summary.startswith("Every December I write thirty cards")
    assert articles["ghost-questions.md"].title == "Five Questions for Your Next One-to-One"
    plain = articles["keeping-in-touch.md"]
    assert plain.title == "Keeping in touch without being a pest"
    assert "without being a pest" not in plain.body
    setext = articles["gifts.md"]
    assert setext.title == "Gifts that say thank you"
    assert "====" not in setext.body


def test_built_page_shows_a_pasted_first_line_once(tmp_path):
    project = pasted_project(tmp_path)
    build_guide(project)
    page = (project.site_dir / "articles" / "keeping-in-touch" / "index.html").read_text()
    article = re.search(r"<article.*?</article>", page, re.S).group(0)
    assert article.count("Keeping in touch without being a pest") == 1  # the h1 only
    assert "Once a quarter is enough" in article


def git(root, *args, day=None):
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_SYSTEM": os.devnull}
    if day:
        env |= {"GIT_AUTHOR_DATE": f"{day}T10:00:00", "GIT_COMMITTER_DATE": f"{day}T10:00:00"}
    subprocess.run(
        ["git", "-c", "user.name=T", "-c", "user.email=t@example.com", *args],
        cwd=root,
        env=env,
        check=True,
        capture_output=True,
    )


def test_in_git_the_first_commit_dates_a_pasted_post_with_one_git_call(tmp_path, monkeypatch):
    project = pasted_project(tmp_path)
    root = project.root
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "import", day="2024-03-05")
    medium = project.articles_dir / "medium-missed.md"
    medium.write_text(MEDIUM + "\nA later edit.\n")
    git(root, "commit", "-qam", "edit", day="2025-01-09")
    calls = []
    real_run = subprocess.run

    def counting_run(command, *args, **kwargs):
        calls.append(command)
        return real_run(command, *args, **kwargs)

    monkeypatch.setattr(pasted_dates.subprocess, "run", counting_run)
    problems = Collector()
    articles = by_name(load_articles(project.articles_dir, problems, pin=True))
    assert [c[0] for c in calls] == ["git"]  # one `git log` for all five files
    assert {a.date for a in articles.values() if a.date_guessed} == {dt.date(2024, 3, 5)}
    assert not (project.content_dir / "dates.yaml").exists()  # git is the record
    message = next(p.message for p in problems.warnings if "medium" in str(p.path))
    assert "date 2024-03-05 from the commit that first added the file" in message
    # a fresh clone has new modification times, and the same dates
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(root), str(clone)], check=True)
    again = by_name(load_articles(clone / "content" / "articles", Collector()))
    assert again["medium-missed.md"].date == dt.date(2024, 3, 5)


def test_outside_git_the_first_build_pins_the_date_in_dates_yaml(tmp_path, monkeypatch):
    project = pasted_project(tmp_path)
    pins = project.content_dir / "dates.yaml"
    result = build_guide(project)
    text = pins.read_text()
    assert text.startswith("# Dates goodwill pinned")
    assert '"articles/medium-missed.md": 2026-11-20' in text
    assert any("pinned in content/dates.yaml: commit it" in w.message for w in result.warnings)
    home = (project.site_dir / "index.html").read_text()
    assert "20 November 2026" in home
    # weeks later, in a copy with every mtime reset, the date holds
    monkeypatch.setenv("GOODWILL_TODAY", "2027-01-15")
    copy = tmp_path / "copy"
    shutil.copytree(project.root, copy)
    for path in (copy / "content" / "articles").iterdir():
        os.utime(path, None)
    problems = Collector()
    articles = by_name(load_articles(copy / "content" / "articles", problems, pin=True))
    assert articles["gifts.md"].date == dt.date(2026, 11, 20)
    assert (copy / "content" / "dates.yaml").read_text() == text  # nothing new to pin
    assert any("from dates.yaml" in w.message for w in problems.warnings)


def test_a_new_pasted_post_is_appended_and_comments_stay(tmp_path):
    project = pasted_project(tmp_path)
    pins = project.content_dir / "dates.yaml"
    pins.write_text('# mine\n"articles/gifts.md": 2025-12-24  # Christmas post\n')
    load_articles(project.articles_dir, Collector(), pin=True)
    lines = pins.read_text().splitlines()
    assert lines[:2] == ["# mine", '"articles/gifts.md": 2025-12-24  # Christmas post']
    assert len(lines) == 6  # the four other pasted posts, appended


def test_a_bad_pinned_date_is_an_error_with_its_line(tmp_path):
    project = pasted_project(tmp_path)
    (project.content_dir / "dates.yaml").write_text('# x\n"articles/gifts.md": 2025-02-30\n')
    with pytest.raises(ValidationFailed) as failed:
        build_guide(project)
    [error] = [p for p in failed.value.problems if p.is_error]
    assert (error.path.name, error.line) == ("dates.yaml", 2)
    assert "not a real date" in error.message
