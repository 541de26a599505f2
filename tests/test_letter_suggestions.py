"""Letters suggest published guide articles matching the recipient's tags, with full URLs."""

from __future__ import annotations

import re
from pathlib import Path

from pypdf import PdfReader

GUIDE = "https://guide.example.com/"
ARTICLES = {  # slug: (date, tags, draft)
    "bni-for-accountants": ("2023-03-01", "[BNI, accountant]", False),
    "bni-breakfasts": ("2026-10-01", "[bni, meetings]", False),
    "older-bni-notes": ("2024-01-01", "[bni]", False),
    "bni-draft": ("2026-11-01", "[bni, accountant]", True),
    "bni-next-month": ("2026-12-01", "[bni, accountant]", False),  # not published yet
    "chamber-evenings": ("2026-05-01", "[chamber]", False),
}


def write_articles(project: Path) -> None:
    folder = project / "content" / "articles"
    for slug, (date, tags, draft) in ARTICLES.items():
        title = slug.replace("-", " ").title()
        (folder / f"{slug}.md").write_text(
            f'---\ntitle: "{title}"\ndate: {date}\ntags: {tags}\ndraft: {str(draft).lower()}\n'
            f"---\n\nSome words about {title}.\n",
            encoding="utf-8",
        )


def previews(project: Path) -> dict[str, str]:
    folder = project / "letters" / "preview"
    return {p.name: " ".join(p.read_text(encoding="utf-8").split()) for p in folder.glob("*")}


def test_matching_published_articles_with_full_urls(cli, project_dir, golden):
    write_articles(project_dir)
    result = cli("letters", "--kind", "all")
    assert result.exit_code == 0, result.output
    pages = previews(project_dir)
    maria = pages["008-thank-you-2026-11-18-lopez-acme.html"]  # tags: accountant, bni
    assert "You might enjoy two articles from my guide:" in maria
    first = maria.index(f"{GUIDE}articles/bni-for-accountants/")  # two tags shared
    second = maria.index(f"{GUIDE}articles/bni-breakfasts/")  # one, and the newest
    assert first < second
    assert "“Bni For Accountants”" in maria
    james = pages["005-thank-you-2026-11-17-obrien-harbour.html"]  # builder, chamber
    assert (
        "You might enjoy “Chamber Evenings”, an article from my guide: "
        f'<span class="url">{GUIDE}articles/chamber-evenings/</span>'
    ) in james
    everything = " ".join(pages.values())
    assert "bni-draft" not in everything and "bni-next-month" not in everything
    assert "older-bni-notes" not in maria  # two at most
    priya = pages["011-thank-you-2026-11-12-shah-kite.html"]  # solicitor, bni: newest first
    assert priya.index("bni-breakfasts/") < priya.index("older-bni-notes/")
    assert "bni-for-accountants" not in priya
    li_wei = pages["007-check-in-li-wei.html"]  # architect: nothing matches
    assert "You might enjoy" not in li_wei
    text = [
        " ".join(p.extract_text().split())
        for p in PdfReader(project_dir / "letters" / "letters.pdf").pages
    ]
    assert len(text) == len(pages)  # still one page each
    assert any("guide.example.com/articles/chamber-evenings/" in re.sub(r"\s", "", t) for t in text)
    style = re.compile(r"<style>.*</style>", re.S)
    html = (
        project_dir / "letters" / "preview" / "008-thank-you-2026-11-18-lopez-acme.html"
    ).read_text()
    golden(
        "letters/thank-you-suggestions.html",
        style.sub("<style>/* see letter.css golden */</style>", html),
    )


def test_suggestions_can_be_turned_off_and_the_setting_is_checked(cli, project_dir):
    write_articles(project_dir)
    settings = project_dir / "goodwill.yml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(text.replace("letters:\n", "letters:\n  suggest_articles: false\n", 1))
    assert cli("letters").exit_code == 0
    assert not any("You might enjoy" in page for page in previews(project_dir).values())
    settings.write_text(text.replace("letters:\n", "letters:\n  suggest_articles: maybe\n", 1))
    bad = cli("letters")
    assert bad.exit_code == 1
    line = text.splitlines().index("letters:") + 2
    assert (
        f"goodwill.yml:{line}: letters: suggest_articles: expected true or false, got 'maybe'"
        in (bad.output)
    )
    assert cli("check").exit_code == 1


def test_without_site_url_no_suggestion_and_a_warning(cli, project_dir):
    write_articles(project_dir)
    mkdocs = project_dir / "mkdocs.yml"
    mkdocs.write_text(mkdocs.read_text(encoding="utf-8").replace("site_url:", "# site_url:", 1))
    result = cli("letters")
    assert result.exit_code == 0, result.output
    assert "mkdocs.yml: warning: no site_url, so letters suggest no guide articles" in result.output
    assert not any("You might enjoy" in page for page in previews(project_dir).values())


def test_plain_urls_follow_use_directory_urls(project_dir):
    import datetime as dt

    from goodwill.core.project import Project
    from goodwill.letters.suggest import article_index

    write_articles(project_dir)
    mkdocs = project_dir / "mkdocs.yml"
    mkdocs.write_text(mkdocs.read_text(encoding="utf-8") + "\nuse_directory_urls: false\n")
    index = article_index(Project(project_dir), dt.date(2026, 11, 20))
    [found] = index.matching(["Chamber"])
    assert found.url == f"{GUIDE}articles/chamber-evenings.html" and found.tags == ("Chamber",)
    assert [s.title for s in index.matching(["bni"], limit=5)] == [
        "Bni Breakfasts",
        "Older Bni Notes",
        "Bni For Accountants",
    ]
