"""`goodwill serve`: real server, real edits; the preview keeps up and ends on the final text."""

from __future__ import annotations

import json
import time

import pytest

import goodwill.guide.search_offload as search_offload
from goodwill.core.project import Project
from goodwill.guide.serve import Preview
from serving import fetch, goodwill_serve, wait_for

ARTICLE = "content/articles/deep-networks-beat-wide-ones.md"


def test_serve_ends_on_the_final_text_after_truncate_pause_write(project_dir):
    with goodwill_serve(project_dir) as served:
        page = f"{served.url}articles/deep-networks-beat-wide-ones/"
        assert wait_for(lambda: "Deep Networks" in fetch(page), 60), "server did not start"
        article = project_dir / ARTICLE
        text = article.read_text()
        with article.open("w") as handle:  # an editor saving in place: truncate first...
            handle.flush()
            time.sleep(1.0)  # ...long enough for a rebuild to see the empty file
            handle.write(text + "\nThe final ZQX-FINAL-TEXT sentence.\n")
        assert wait_for(lambda: "ZQX-FINAL-TEXT" in fetch(page), 30), "final text never shown"
        home = fetch(served.url)
        assert "Deep Networks Beat Wide Ones" in home  # the listing is whole again
    assert "Traceback" not in served.output, served.output


@pytest.mark.parametrize("offloaded", [False, True], ids=["indexed here", "search worker"])
def test_preview_rebuilds_changed_pages_and_keeps_listings_and_search_whole(
    project_dir, monkeypatch, offloaded
):
    answers = []
    if offloaded:  # the first, full round indexes in the worker, as a large site's does
        monkeypatch.setattr(search_offload, "MIN_PAGES", 0)
        results = search_offload.SearchWorker.results
        monkeypatch.setattr(
            search_offload.SearchWorker,
            "results",
            lambda w: answers.append(results(w)) or answers[-1],
        )
    project = Project(project_dir)
    preview = Preview(project, project_dir.parent / "preview", drafts=True)
    count, _, failures = preview.rebuild()
    assert failures == [] and count == 10
    if offloaded and search_offload.spare_cores() >= 1:
        assert len(answers) == 1 and len(answers[0]) > 10  # the worker indexed the pages
    site = preview.site_dir
    index = json.loads((site / "search" / "search_index.json").read_text())
    locations = sorted(d["location"] for d in index["docs"])
    untouched = site / "articles" / "the-note-that-started-everything" / "index.html"
    stamp = untouched.stat().st_mtime_ns

    article = project_dir / ARTICLE
    article.write_text(
        article.read_text()
        .replace("Deep Networks Beat Wide Ones", "Deep Networks Win")
        .replace("## Why depth produces referrals", "## Depth brings ZQXHEADING")
    )
    _, _, failures = preview.rebuild()
    assert failures == []
    assert untouched.stat().st_mtime_ns == stamp  # not rebuilt: dirty mode
    assert "Deep Networks Win" in (site / "index.html").read_text()
    assert "Deep Networks Win" in (site / "tags" / "index.html").read_text()
    assert "Deep Networks Win" in (site / "authors" / "maria-lopez" / "index.html").read_text()
    docs = json.loads((site / "search" / "search_index.json").read_text())["docs"]
    after = sorted(d["location"] for d in docs)
    assert len(after) == len(locations)  # every page still searchable, none twice
    assert sum("ZQXHEADING" in d["title"] for d in docs) == 1

    new = project_dir / "content" / "articles" / "brand-new.md"
    new.write_text('---\ntitle: "Brand new"\ndate: 2026-11-19\n---\n\nFresh.\n')
    preview.rebuild()
    assert (site / "articles" / "brand-new" / "index.html").is_file()
    assert "Brand new" in (site / "index.html").read_text()
    new.unlink()
    preview.rebuild()
    assert not (site / "articles" / "brand-new" / "index.html").exists()
    assert "Brand new" not in (site / "archive" / "index.html").read_text()


def test_preview_marks_drafts_and_scheduled_articles(project_dir):
    articles = project_dir / "content" / "articles"
    (articles / "draft.md").write_text(
        '---\ntitle: "Half written"\ndate: 2026-11-01\ndraft: true\n---\n\nSoon.\n'
    )
    (articles / "later.md").write_text('---\ntitle: "Next year"\ndate: 2027-01-05\n---\n\nLater.\n')
    preview = Preview(Project(project_dir), project_dir.parent / "preview", drafts=True)
    preview.rebuild()
    site = preview.site_dir
    home = (site / "index.html").read_text()
    assert "Half written" in home and "gw-status--draft" in home
    assert "Next year" in home and "gw-status--scheduled" in home
    draft = (site / "articles" / "draft" / "index.html").read_text()
    assert 'name="robots" content="noindex"' in draft
    assert (
        "Scheduled for 5 January 2027" in (site / "articles" / "later" / "index.html").read_text()
    )


def test_a_write_that_lands_during_a_round_is_built_before_the_round_ends(project_dir):
    """The watcher may have fired already: the round itself must notice the late write."""
    project = Project(project_dir)
    preview = Preview(project, project_dir.parent / "preview", drafts=True)
    preview.rebuild()
    article = project_dir / ARTICLE
    text = article.read_text()
    article.write_text("")  # the editor truncated...
    real_build = preview._build_once
    calls = []

    def build_then_editor_writes():
        calls.append(1)
        try:
            return real_build()
        finally:
            if len(calls) == 1:  # ...and writes while the first round is still running
                time.sleep(0.01)
                article.write_text(text + "\nLate ZQX-LATE-WRITE.\n")

    preview._build_once = build_then_editor_writes
    _, _, failures = preview.rebuild()
    assert len(calls) == 2 and failures == []
    page = preview.site_dir / "articles" / "deep-networks-beat-wide-ones" / "index.html"
    assert "ZQX-LATE-WRITE" in page.read_text()


def test_preview_shows_the_partners_pages_and_drops_one_whose_consent_goes(project_dir):
    preview = Preview(Project(project_dir), project_dir.parent / "preview", drafts=False)
    assert preview.rebuild()[2] == []
    site = preview.site_dir
    page = site / "partners" / "oluwaseun-adeyemi" / "index.html"
    assert "Brightside Marketing" in page.read_text()
    assert "Oluwaseun Adeyemi" in (site / "partners" / "index.html").read_text()
    contacts = project_dir / "content" / "records" / "contacts.yaml"
    contacts.write_text(contacts.read_text().replace("    consent: 2026-10-01\n", ""))
    assert preview.rebuild()[2] == []
    assert not page.exists()
    assert "Oluwaseun" not in (site / "partners" / "index.html").read_text()
