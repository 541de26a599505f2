"""The printed letter set, read back: PDF pages, sizes, fonts, envelopes, labels, HTML.

The PDFs are built once per module (module-scoped fixtures) and shared by the tests.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from goodwill.cli.main import main
from goodwill.core.errors import Collector
from goodwill.core.project import Project
from goodwill.letters import letter_set, pdf, pdf_render
from goodwill.letters.compose import Selection
from goodwill.relations.records import load_records
from goodwill.scaffold import init_project

FROZEN = {"GOODWILL_TODAY": "2026-11-20", "GOODWILL_PDF_WORKERS": "1"}
A4, LETTER, A5 = (595.28, 841.89), (612.0, 792.0), (419.53, 595.28)
DL, US10 = (623.62, 311.81), (684.0, 297.0)


def run(project: Path, *args: str):
    old = os.getcwd()
    os.chdir(project)
    try:
        return CliRunner().invoke(main, list(args), env=FROZEN, catch_exceptions=False)
    finally:
        os.chdir(old)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The sample project with every kind of letter written once, on A4."""
    project = init_project(tmp_path_factory.mktemp("letters") / "project")
    result = run(project, "letters", "--kind", "all")
    assert result.exit_code == 0, result.output
    return project, result


@pytest.fixture(scope="module")
def other_sizes(tmp_path_factory):
    project = init_project(tmp_path_factory.mktemp("sizes") / "project")
    for size in ("letter", "a5"):
        result = run(project, "letters", "--kind", "check-in", "--page-size", size, "--out", size)
        assert result.exit_code == 0, result.output
    return project


def page_sizes(path: Path) -> set[tuple[float, float]]:
    return {
        (round(float(p.mediabox.width), 2), round(float(p.mediabox.height), 2))
        for p in PdfReader(path).pages
    }


def page_texts(path: Path) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(path).pages]


def fonts_are_embedded(path: Path) -> bool:
    fonts = []
    for page in PdfReader(path).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            if font["/Subtype"] == "/Type0":
                font = font["/DescendantFonts"][0].get_object()
            descriptor = font["/FontDescriptor"].get_object()
            fonts.append(any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")))
    return bool(fonts) and all(fonts)


def index_rows(out: Path) -> list[dict]:
    with (out / "index.csv").open(newline="") as handle:
        return list(csv.DictReader(handle))


def test_one_page_per_letter_with_referrer_and_referred(built):
    project, _ = built
    out = project / "letters"
    rows = index_rows(out)
    texts = page_texts(out / "letters.pdf")
    assert len(texts) == len(rows) == 13
    records = load_records(project / "content" / "records", Collector())
    for row, text in zip(rows, texts, strict=True):
        contact = records.contacts[row["contact"]]
        assert f"Dear {contact.greeting_name}," in text
        if row["kind"] != "check-in":
            referral = records.referrals_by_id[row["referral"]]
            assert referral.referred in text
            assert referral.need in text
        assert "Alex" in text  # signed


def test_letter_contents_per_kind(built):
    project, _ = built
    texts = dict(
        zip(
            (r["preview"] for r in index_rows(project / "letters")),
            page_texts(project / "letters" / "letters.pdf"),
            strict=True,
        )
    )
    thank_you = texts["preview/008-thank-you-2026-11-18-lopez-acme.html"]
    assert "Thank you so much for introducing me to Dan Park, HR director at Acme Ltd" in thank_you
    assert "I will let you know how it goes" in thank_you
    assert "how can I return the favour?" in thank_you
    assert "(coffee gift card)" in thank_you
    won = texts["preview/009-outcome-2026-09-02-lopez-greenway.html"]
    assert "happy to report good news" in won and "six-month programme" in won
    assert "Thank you again for the introduction" in won
    lost = texts["preview/004-outcome-2026-08-18-schmidt-fenwick.html"]
    assert "did not work out this time" in lost and "Thank you again" in lost
    assert "made a real difference" in won and "made a real difference" not in lost
    check_in = texts["preview/003-check-in-carlos-mendes.html"]
    assert "It has been about four months since we last spoke" in check_in
    assert "How are things at Mendes Wealth Planning?" in check_in


def test_a4_pages_and_embedded_fonts(built):
    project, _ = built
    letters = project / "letters" / "letters.pdf"
    assert page_sizes(letters) == {A4}
    assert fonts_are_embedded(letters)


def test_envelopes_and_labels_for_contacts_with_a_postal_address(built):
    project, result = built
    out = project / "letters"
    with_address = {r["name"] for r in index_rows(out) if r["postal_address"] == "yes"}
    envelopes = page_texts(out / "envelopes.pdf")
    assert len(envelopes) == len(with_address) == 9
    assert page_sizes(out / "envelopes.pdf") == {DL}
    assert fonts_are_embedded(out / "envelopes.pdf")
    for name in with_address:
        assert sum(name in text for text in envelopes) == 1
    becker = next(text for text in envelopes if "Tom Becker" in text)
    assert "10119 Berlin Germany" in becker  # abroad: postcode first, country added
    labels = page_texts(out / "labels.pdf")
    assert len(labels) == 1 and page_sizes(out / "labels.pdf") == {A4}
    assert all(name in labels[0] for name in with_address)
    assert "Li Wei" not in labels[0] and "Priya Shah" not in labels[0]
    assert "No postal address" in result.output
    assert "  Li Wei (li-wei)\n  Priya Shah (priya-shah)\n" in result.output


def test_summary_counts_files_and_next_step(built):
    _, result = built
    output = result.output
    assert "Wrote 13 letter(s) to letters/ (A4, one per page):" in output
    assert "  thank-you  6\n  outcome    4\n  check-in   3\n" in output
    assert "letters/envelopes.pdf: 9 DL envelope(s)" in output
    assert "letters/labels.pdf: 9 label(s) on 1 A4 3x7 sheet(s)" in output
    assert "then run `goodwill letters --mark-sent`" in output


def test_html_preview_per_letter(built):
    project, _ = built
    previews = sorted((project / "letters" / "preview").glob("*.html"))
    assert [p.name for p in previews] == sorted(
        Path(r["preview"]).name for r in index_rows(project / "letters")
    )
    html = previews[0].read_text()
    assert html.startswith("<!DOCTYPE html>") and "@page" in html and "size: 210mm 297mm" in html


@pytest.mark.parametrize(
    ("kind", "preview"),
    [
        ("thank-you", "008-thank-you-2026-11-18-lopez-acme.html"),
        ("outcome", "009-outcome-2026-09-02-lopez-greenway.html"),
        ("outcome-lost", "004-outcome-2026-08-18-schmidt-fenwick.html"),
        ("check-in", "003-check-in-carlos-mendes.html"),
    ],
)
def test_golden_html_for_each_kind(built, golden, kind, preview):
    """Each kind's page against its golden; the stylesheet every kind shares, against one."""
    project, _ = built
    previews = project / "letters" / "preview"
    html = (previews / preview).read_text()
    shared = _shared_stylesheet([p.read_text() for p in sorted(previews.glob("*.html"))])
    style = _stylesheet(html)
    assert style.startswith(shared)
    golden("letters/letter.css", shared)
    own_style = "/* letter.css (see letter.css golden), then: */\n" + style[len(shared) :]
    golden(f"letters/{kind}.html", html.replace(style, own_style, 1))


def _stylesheet(html: str) -> str:
    return html[html.index("<style>") + len("<style>") : html.index("</style>")]


def _shared_stylesheet(pages: list[str]) -> str:
    """The stylesheet text common to every kind's page (letter.css.j2), to a line end."""
    common = os.path.commonprefix([_stylesheet(page) for page in pages])
    return common[: common.rfind("\n") + 1]


def test_a_second_run_with_nothing_changed_does_no_pdf_work(built):
    project, _ = built
    out = project / "letters"
    stamps = {p.name: p.stat().st_mtime_ns for p in out.glob("*.pdf")}
    result = run(project, "letters", "--kind", "all")
    assert result.exit_code == 0
    assert "The PDFs were already up to date" in result.output
    assert {p.name: p.stat().st_mtime_ns for p in out.glob("*.pdf")} == stamps


def test_letter_and_a5_sizes_with_their_envelopes_and_labels(other_sizes):
    letter, a5 = other_sizes / "letter", other_sizes / "a5"
    assert page_sizes(letter / "letters.pdf") == {LETTER}
    assert page_sizes(a5 / "letters.pdf") == {A5}
    assert len(PdfReader(letter / "letters.pdf").pages) == 4
    assert len(PdfReader(a5 / "letters.pdf").pages) == 4
    assert page_sizes(letter / "envelopes.pdf") == {US10}
    assert page_sizes(letter / "labels.pdf") == {LETTER}
    assert page_sizes(a5 / "envelopes.pdf") == {DL}
    assert fonts_are_embedded(a5 / "letters.pdf")
    assert "November 20, 2026" in page_texts(letter / "letters.pdf")[0]
    assert "20 November 2026" in page_texts(a5 / "letters.pdf")[0]


def test_changing_one_letter_re_renders_only_its_part(tmp_path, monkeypatch):
    monkeypatch.setattr(letter_set, "LETTERS_PER_PART", 2)
    project = Project(init_project(tmp_path / "project"))
    selection = Selection(kinds=("thank-you", "outcome", "check-in"))
    first = letter_set.write_letter_set(project, selection)
    parts = len(first.pdf.results)
    assert first.pdf.rendered == parts > 4
    referrals = project.records_dir / "referrals.yaml"
    referrals.write_text(
        referrals.read_text().replace(
            "status: new\n  gift: coffee gift card", "status: contacted\n  gift: coffee gift card"
        )
    )
    second = letter_set.write_letter_set(project, selection)
    assert second.pdf.rendered <= 3  # its letters part, the envelopes and the labels at most
    assert len(PdfReader(project.letters_dir / "letters.pdf").pages) == 13


def test_worker_processes_give_the_same_pdf(tmp_path, monkeypatch):
    monkeypatch.setattr(pdf, "PARALLEL_MIN_PAGES", 1)
    monkeypatch.setattr(letter_set, "LETTERS_PER_PART", 4)
    project = Project(init_project(tmp_path / "project"))
    result = letter_set.write_letter_set(
        project, Selection(kinds=("thank-you", "outcome", "check-in")), workers=2
    )
    assert result.pdf.workers == 2 and result.pdf.worker_peak_kb > 0
    texts = page_texts(project.letters_dir / "letters.pdf")
    assert len(texts) == 13
    assert "Dear Maria," in texts[7] and "Dan Park" in texts[7]
    alone = Project(init_project(tmp_path / "alone"))
    single = letter_set.write_letter_set(
        alone, Selection(kinds=("thank-you", "outcome", "check-in")), workers=1
    )
    assert single.pdf.workers == 1
    assert page_texts(alone.letters_dir / "letters.pdf") == texts
    for name in ("envelopes.pdf", "labels.pdf"):
        assert page_texts(alone.letters_dir / name) == page_texts(project.letters_dir / name)


def test_merged_files_are_well_formed_for_poppler(tmp_path, monkeypatch):
    import shutil
    import subprocess

    if not shutil.which("pdfinfo"):
        pytest.fail("poppler-utils is not installed (bash .ci/deps --test)")
    monkeypatch.setattr(letter_set, "LETTERS_PER_PART", 3)  # several parts to merge
    project = Project(init_project(tmp_path / "project"))
    letter_set.write_letter_set(project, Selection(kinds=("thank-you", "outcome")))
    for name in ("letters.pdf", "envelopes.pdf", "labels.pdf"):
        info = subprocess.run(
            ["pdfinfo", str(project.letters_dir / name)], capture_output=True, text=True
        )
        assert info.returncode == 0 and info.stderr == "", info.stderr
    text = subprocess.run(
        ["pdftotext", str(project.letters_dir / "letters.pdf"), "-"],
        capture_output=True,
        text=True,
    )
    assert text.stderr == "" and text.stdout.count("Dear ") == 10


def pdf_worker_processes() -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        try:
            command = (entry / "cmdline").read_bytes()
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        if parent == os.getpid() and b"spawn_main" in command:  # spawned workers
            found.append(int(entry.name))
    return found


def test_workers_started_early_are_stopped_when_a_template_fails(tmp_path, monkeypatch):
    from goodwill.core.errors import GoodwillError

    monkeypatch.setattr(pdf, "PARALLEL_MIN_PAGES", 1)
    project = Project(init_project(tmp_path / "project"))
    template = project.templates_dir / "letters" / "thank-you.html.j2"
    template.write_text(template.read_text().replace("{{ referral.for }}", "{{ referral.fro }}"))
    with pytest.raises(GoodwillError, match="template uses a missing field"):
        letter_set.write_letter_set(project, Selection(), workers=2)
    assert pdf_worker_processes() == []
    assert not project.letters_dir.exists()


def test_a_letter_longer_than_a_page_is_refused_and_nothing_written(tmp_path):
    project = init_project(tmp_path / "project")
    referrals = project / "content" / "records" / "referrals.yaml"
    long_ps = " ".join(["Thank you again for thinking of me, it meant a great deal."] * 52)
    assert len(long_ps) > 3000
    text = referrals.read_text(encoding="utf-8")
    text = text.replace("  ps: Lunch is on me, whenever suits you.", f"  ps: {long_ps}", 1)
    referrals.write_text(text, encoding="utf-8")
    result = run(project, "letters")
    assert result.exit_code != 0
    assert "2026-11-12-shah-kite" in result.output
    assert "run over one page" in result.output
    assert "ps:" in result.output  # the hint: shorten the note or ps
    assert not (project / "letters").exists()


def test_label_count_without_envelopes_is_the_people_with_an_address(tmp_path):
    project = init_project(tmp_path / "project")
    settings = project / "goodwill.yml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(text.replace("  # envelope: dl ", "  envelope: none ", 1), encoding="utf-8")
    result = run(project, "letters", "--kind", "all")
    assert result.exit_code == 0, result.output
    out = project / "letters"
    assert not (out / "envelopes.pdf").exists()
    with_address = {r["contact"] for r in index_rows(out) if r["postal_address"] == "yes"}
    people = {r["contact"] for r in index_rows(out)}
    assert len(people) > len(with_address) == 9
    assert "letters/labels.pdf: 9 label(s) on 1 A4 3x7 sheet(s)" in result.output
    labels = page_texts(out / "labels.pdf")
    assert len(labels) == 1 and "Li Wei" not in labels[0]


MM = 72 / 25.4  # PDF points per millimetre
# Label sheet specifications: (paper, columns, rows, label w, h, top, left margin, column gap)
LABEL_SPECS = {
    "a4-3x7": (A4, 3, 7, 63.5, 38.1, 15.15, 7.21, 2.54),  # Avery L7160
    "letter-3x10": (LETTER, 3, 10, 66.675, 25.4, 12.7, 4.7625, 3.175),  # Avery 5160
}


def text_positions(path: Path) -> dict[str, tuple[float, float]]:
    """Where each piece of text starts on the first page, in mm from the top left."""
    page = PdfReader(path).pages[0]
    height = float(page.mediabox.height)
    found: dict[str, tuple[float, float]] = {}

    def visit(text, cm, tm, font, size):
        x, y = tm[4] * cm[0] + tm[5] * cm[2] + cm[4], tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        if text.strip():
            found.setdefault(text.strip(), (x / MM, (height - y) / MM))

    page.extract_text(visitor_text=visit)
    return found


@pytest.mark.parametrize("sheet_key", sorted(LABEL_SPECS))
def test_labels_sit_on_the_sheet_specification(tmp_path, sheet_key):
    from dataclasses import replace

    from goodwill.letters.settings import LABEL_SHEETS
    from goodwill.letters.stationery import label_documents

    paper, columns, rows, width, height, top, left, gap = LABEL_SPECS[sheet_key]
    project = Project(init_project(tmp_path / "project"))
    records = load_records(project.records_dir, Collector())
    model = records.contacts["tom-becker"]
    people = [
        replace(model, id=f"p{n}", name=f"Person{n:02d}", company=None)
        for n in range(1, columns * rows + 1)
    ]
    settings = letter_set.load_for_letters(project)[1]
    sheet = LABEL_SHEETS[sheet_key]
    [(html, pages)] = label_documents(
        project.templates_dir, people, settings.sender, sheet, settings.font
    )
    assert pages == 1
    target = tmp_path / "labels.pdf"
    pdf_render.render_part(html, project.templates_dir.resolve().as_uri() + "/", str(target))
    assert page_sizes(target) == {paper}
    where = text_positions(target)
    for number, (row, column) in ((1, (0, 0)), (columns * rows, (rows - 1, columns - 1))):
        x, y = where[f"Person{number:02d}"]
        box_left = left + column * (width + gap)
        box_top = top + row * height
        padding = 4 if rows > 7 else 5  # labels.html.j2
        assert abs(x - (box_left + padding)) < 0.3, (number, x)  # a pitch error adds up
        assert box_top + padding < y < box_top + padding + 4, (number, y)  # first line


POOL_SCRIPT = """
import sys
from pathlib import Path
from goodwill.letters.pdf_workers import WorkerPool

if __name__ == "__main__":
    out = Path(sys.argv[1])
    html = "<html><body><div id='page-1'>Dear Maria, thank you.</div></body></html>"
    jobs = [
        {"html": html, "base_url": out.as_uri() + "/", "target": str(out / f"{n}.pdf"), "pages": 1}
        for n in range(9)
    ]
    finished = []
    pool = WorkerPool(2, jobs_per_process=2)  # 9 parts: five rounds of fresh workers
    pool.run(jobs, finished.append)
    pool.close()
    print(len(finished), len(list(out.glob("*.pdf"))))
"""


def test_the_worker_pool_retires_workers_without_hanging(tmp_path):
    """More parts than workers x jobs_per_process: every part rendered, no deadlock."""
    import subprocess
    import sys

    script = tmp_path / "pool.py"
    script.write_text(POOL_SCRIPT, encoding="utf-8")
    (tmp_path / "out").mkdir()
    done = subprocess.run(
        [sys.executable, str(script), str(tmp_path / "out")],
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["9", "9"]
