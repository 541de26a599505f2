"""Front matter parsing and validation of articles."""

from __future__ import annotations

import datetime as dt
import os

import pytest

from goodwill.core.errors import Collector, GoodwillError
from goodwill.guide.articles import load_articles, read_article


def write(path, text, encoding="utf-8"):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding) if isinstance(text, str) else text)
    return path


GOOD = """---
title: "Thank referrers fast"
date: 2026-03-14
authors: [Maria Lopez]
tags: [thanking, referrals]
description: A short one.
---

Body text with several words in it.
"""


def test_full_front_matter_is_read(tmp_path):
    problems = Collector()
    article = read_article(write(tmp_path / "thank-fast.md", GOOD), problems)
    assert problems.problems == []
    assert article.title == "Thank referrers fast"
    assert article.date == dt.date(2026, 3, 14)
    assert article.authors == ["Maria Lopez"]
    assert article.tags == ["thanking", "referrals"]
    assert article.slug == "thank-fast"
    assert article.body_line == 8  # the blank line after the closing ---
    assert article.body.strip() == "Body text with several words in it."


def test_reading_time_grows_with_length(tmp_path):
    short = read_article(write(tmp_path / "a.md", GOOD), Collector())
    long_text = GOOD + ("word " * 1000)
    long = read_article(write(tmp_path / "b.md", long_text), Collector())
    assert short.reading_minutes == 1
    assert long.reading_minutes == 5  # 1007 words at 220 a minute


def test_plain_markdown_gets_guessed_title_and_a_date_that_ignores_mtime(tmp_path):
    path = write(tmp_path / "content" / "articles" / "pasted.md", "# My pasted post\n\nText.\n")
    stamp = dt.datetime(2025, 5, 6, 12, 0).timestamp()
    os.utime(path, (stamp, stamp))  # a fresh clone would give it another mtime: never used
    problems = Collector()
    [article] = load_articles(path.parent, problems)
    assert article.title == "My pasted post"
    assert "# My pasted post" not in article.body
    assert article.date == dt.date(2026, 11, 20)  # today (frozen), to be pinned by a build
    [warning] = problems.warnings
    assert "title from the first heading" in warning.message
    assert "to be pinned in content/dates.yaml" in warning.message
    assert problems.errors == []


def test_title_from_a_short_first_line_is_not_repeated_in_the_body(tmp_path):
    problems = Collector()
    article = read_article(write(tmp_path / "p.md", "Just **a line** here\n\nMore.\n"), problems)
    assert article.title == "Just a line here"
    assert article.body.strip() == "More."


def test_a_long_first_paragraph_stays_and_the_title_comes_from_the_file_name(tmp_path):
    opening = "When I started my practice I had no idea " * 4
    path = write(tmp_path / "why-i-thank-by-hand.md", opening + "\n\nMore.\n")
    article = read_article(path, Collector())
    assert article.title == "Why i thank by hand"
    assert article.body.startswith("When I started")


def test_unknown_key_is_a_warning_with_suggestion(tmp_path):
    text = GOOD.replace("tags:", "tagz: [x]\ntags:")
    problems = Collector()
    assert read_article(write(tmp_path / "a.md", text), problems) is not None
    [warning] = problems.warnings
    assert warning.line == 5
    assert "unknown front matter key 'tagz'" in warning.message
    assert "did you mean 'tags'" in warning.hint


@pytest.mark.parametrize(
    ("replace", "line", "needle"),
    [
        (("2026-03-14", "2026-13-45"), 3, "not a real date"),
        (("[thanking, referrals]", "42"), 5, "tags: must be a list of text"),
        (("[Maria Lopez]", "[1, 2]"), 4, "authors: must be a list of text"),
        (('"Thank referrers fast"', "[a, b]"), 2, "title: must be non-empty text"),
        (("A short one.", "{x: 1}"), 6, "description: must be text"),
    ],
)
def test_wrong_values_are_errors_with_line(tmp_path, replace, line, needle):
    problems = Collector()
    article = read_article(write(tmp_path / "a.md", GOOD.replace(*replace)), problems)
    assert article is None
    [error] = problems.errors
    assert error.line == line
    assert needle in error.message
    assert str(tmp_path / "a.md") in error.format()


def test_front_matter_that_is_not_yaml(tmp_path):
    text = "---\ntitle: [unclosed\ndate: 2026-01-01\n---\nBody\n"
    with pytest.raises(GoodwillError) as caught:
        read_article(write(tmp_path / "bad.md", text), Collector())
    assert "not valid YAML" in caught.value.problem.message
    assert caught.value.problem.line in (3, 4)


def test_front_matter_never_closed(tmp_path):
    with pytest.raises(GoodwillError, match="never closed"):
        read_article(write(tmp_path / "open.md", "---\ntitle: x\n\nBody\n"), Collector())


def test_not_utf8_names_line(tmp_path):
    raw = "---\ntitle: Caf\xe9\n---\nBody\n".encode("latin-1")
    with pytest.raises(GoodwillError) as caught:
        read_article(write(tmp_path / "latin.md", raw), Collector())
    assert "not UTF-8" in caught.value.problem.message
    assert caught.value.problem.line == 2


def test_empty_file_is_an_error(tmp_path):
    problems = Collector()
    assert read_article(write(tmp_path / "empty.md", "  \n"), problems) is None
    assert "file is empty" in problems.errors[0].message


def test_duplicate_slugs_are_reported(tmp_path):
    write(tmp_path / "Thank You.md", GOOD)
    write(tmp_path / "thank-you.md", GOOD)
    problems = Collector()
    articles = load_articles(tmp_path, problems)
    assert len(articles) == 1
    [error] = problems.errors
    assert "duplicate slug 'thank-you'" in error.message


def test_slug_from_front_matter_and_accents(tmp_path):
    article = read_article(write(tmp_path / "Größe zählt.md", GOOD), Collector())
    assert article.slug == "grosse-zahlt"
    custom = read_article(
        write(
            tmp_path / "x.md",
            GOOD.replace("---\nBody", "").replace("title:", "slug: my-own\ntitle:"),
        ),
        Collector(),
    )
    assert custom.slug == "my-own"


def test_drafts_and_future_articles_are_not_published(tmp_path):
    draft = read_article(
        write(tmp_path / "d.md", GOOD.replace("description", "draft: true\ndescription")),
        Collector(),
    )
    future = read_article(
        write(tmp_path / "f.md", GOOD.replace("2026-03-14", "2027-01-01")), Collector()
    )
    on = dt.date(2026, 11, 20)
    assert not draft.is_published(on) and draft.is_published(on, drafts=True)
    assert not future.is_published(on) and not future.is_published(on, drafts=True)
