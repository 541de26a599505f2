"""--label-start: the first labels of a part-used sheet stay blank (read back from the PDF)."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader

LEFT, TOP, WIDTH, HEIGHT, GAP, COLUMNS = 7.21, 15.15, 63.5, 38.1, 2.54, 3  # A4 3x7
MM = 72 / 25.4
PEOPLE = ["Aisha Khan", "James O'Brien", "Maria Lopez", "Oluwaseun Adeyemi", "Sophie Martin"]


def name_positions(path: Path) -> list[dict[str, tuple[float, float]]]:
    """Per page: where each name starts, in mm from the top left."""
    pages = []
    for page in PdfReader(path).pages:
        height = float(page.mediabox.height)
        found: dict[str, tuple[float, float]] = {}

        def visit(text, cm, tm, font, size, found=found, height=height):
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            if text.strip() in PEOPLE:
                found.setdefault(text.strip(), (x / MM, (height - y) / MM))

        page.extract_text(visitor_text=visit)
        pages.append(found)
    return pages


def label_number(x: float, y: float) -> int:
    """Which label (1-21, along the rows) the point lies in."""
    column = int((x - LEFT) // (WIDTH + GAP))
    row = int((y - TOP) // HEIGHT)
    return row * COLUMNS + column + 1


def test_labels_begin_at_the_given_label(cli, project_dir):
    result = cli("letters", "--label-start", "5")
    assert result.exit_code == 0, result.output
    assert "letters/labels.pdf: 5 label(s) on 1 A4 3x7 sheet(s), from label 5" in result.output
    [page] = name_positions(project_dir / "letters" / "labels.pdf")
    assert {name: label_number(*where) for name, where in page.items()} == {
        name: number for number, name in enumerate(PEOPLE, start=5)
    }


def test_a_start_near_the_end_runs_onto_a_second_sheet(cli, project_dir):
    result = cli("letters", "--label-start", "20")
    assert result.exit_code == 0, result.output
    assert "5 label(s) on 2 A4 3x7 sheet(s), from label 20" in result.output
    first, second = name_positions(project_dir / "letters" / "labels.pdf")
    assert {n: label_number(*w) for n, w in first.items()} == {
        "Aisha Khan": 20,
        "James O'Brien": 21,
    }
    assert {n: label_number(*w) for n, w in second.items()} == {
        "Maria Lopez": 1,
        "Oluwaseun Adeyemi": 2,
        "Sophie Martin": 3,
    }
    envelopes = PdfReader(project_dir / "letters" / "envelopes.pdf").pages
    assert len(envelopes) == 5  # envelopes are not affected


def test_a_start_outside_the_sheet_is_refused_and_nothing_written(cli, project_dir):
    result = cli("letters", "--label-start", "22")
    assert result.exit_code == 1
    assert "error: --label-start 22: the A4 3x7 sheet has 21 labels (3 across, 7 down)" in (
        result.output
    )
    assert "give a number from 1 to 21" in result.output
    letter = cli("letters", "--label-start", "31", "--page-size", "letter")
    assert "the Letter 3x10 sheet has 30 labels" in letter.output
    assert cli("letters", "--label-start", "0").exit_code == 2  # not a label number at all
    assert not (project_dir / "letters").exists()


def test_a_start_without_labels_is_refused(cli, project_dir):
    settings = project_dir / "goodwill.yml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(text.replace("  # labels: a4-3x7 ", "  labels: none ", 1), encoding="utf-8")
    result = cli("letters", "--label-start", "3")
    assert result.exit_code == 1
    assert "no label sheet is printed (labels: none in goodwill.yml)" in result.output
    assert cli("letters").exit_code == 0  # the default start needs no sheet


def test_mark_sent_takes_no_label_start(cli, project_dir):
    assert cli("letters").exit_code == 0
    refused = cli("letters", "--mark-sent", "--label-start", "4")
    assert refused.exit_code == 2 and "(got --label-start)" in refused.output
