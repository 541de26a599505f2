"""`goodwill letters`: write a letter set into the output folder.

letters.pdf (one letter a page), preview/NNN-<kind>-<id>.html (one per letter),
envelopes.pdf and labels.pdf (one per person with a postal address) and
index.csv (what was written, read back by --mark-sent). Everything is rendered
before the first file is written, so bad records or templates write nothing.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from goodwill.core.dates import today
from goodwill.core.errors import GoodwillError, Problem
from goodwill.core.outdir import (
    PRIVATE_DIR_MODE,
    PRIVATE_FILE_MODE,
    file_name,
    inside,
    private_dir,
    private_target,
    write_atomic,
    write_private,
)
from goodwill.core.project import Project
from goodwill.letters.compose import (
    KINDS,
    Letter,
    Selection,
    document,
    load_for_letters,
    render_letters,
    select_letters,
    stylesheet,
)
from goodwill.letters.letter_index import (
    INDEX_CSV,
    PREVIEW_DIR,
    SENT_INDEX_CSV,
    index_csv,
    previous_rows,
)
from goodwill.letters.pdf import PdfBuilder, PdfOutput, PdfPart, PdfStats
from goodwill.letters.settings import LabelSheet, PaperSize
from goodwill.letters.stationery import (
    check_label_start,
    envelope_documents,
    label_documents,
    recipients,
    without_address,
)
from goodwill.letters.suggest import article_index

LETTERS_PDF, ENVELOPES_PDF, LABELS_PDF = "letters.pdf", "envelopes.pdf", "labels.pdf"
OUT_HINT = (
    "letters are private; write them to letters/ (the default) or another folder of their own"
)
NO_SITE_URL = (
    "no site_url, so letters suggest no guide articles (a printed link needs it)",
    "add site_url: to mkdocs.yml, or set letters: suggest_articles: false in goodwill.yml",
)
LETTERS_PER_PART = 40  # average; parts end where a letter's hash says so (see letter_parts)


class NoProgress:
    """The progress interface: `stage(description, total)` then `advance(amount)`."""

    def stage(self, description: str, total: int) -> None:
        pass

    def advance(self, amount: int = 1) -> None:
        pass


@dataclass
class LetterSetResult:
    out_dir: Path
    page_size: str
    letters: list[Letter] = field(default_factory=list)
    files: dict[str, Path] = field(default_factory=dict)
    no_address: list = field(default_factory=list)
    recipients: int = 0  # people with a postal address: one envelope / label each
    removed: list[str] = field(default_factory=list)  # an earlier set's files, none due now
    warnings: list[Problem] = field(default_factory=list)
    engine_warnings: list[str] = field(default_factory=list)
    envelope: PaperSize | None = None
    label_sheet: LabelSheet | None = None
    pdf: PdfStats | None = None
    dry_run: bool = False  # True: nothing was written; `files` is what would be
    label_start: int = 1  # the first free label on the first sheet

    @property
    def label_sheets(self) -> int:
        """Label sheets used, the part-used first one included."""
        if self.label_sheet is None or not self.recipients:
            return 0
        return -(-(self.recipients + self.label_start - 1) // self.label_sheet.per_sheet)

    @property
    def referral_count(self) -> int:
        return sum(len(letter.request.referrals) for letter in self.letters)

    @property
    def counts(self) -> dict[str, int]:
        counted = Counter(letter.kind for letter in self.letters)
        return {kind: counted[kind] for kind in KINDS if counted[kind]}


def write_letter_set(
    project: Project,
    selection: Selection,
    *,
    page_size: str | None = None,
    out_dir: Path | None = None,
    progress=None,
    workers: int | None = None,
    label_start: int = 1,
    dry_run: bool = False,
) -> LetterSetResult:
    """Select, render and write the letters; returns what was written.

    `label_start`: the first free label on a part-used sheet (1: a new sheet).
    `dry_run`: select and render the letters, then return what would be written
    without writing, removing or caching anything.
    """
    progress = progress or NoProgress()
    out = private_target(project, out_dir or project.letters_dir, "letters", OUT_HINT)
    records, settings, warnings = load_for_letters(project)
    page_size = page_size or settings.page_size
    on = today()
    result = LetterSetResult(out, page_size, warnings=warnings, dry_run=dry_run)
    result.envelope = settings.envelope_for(page_size)
    result.label_sheet = settings.labels_for(page_size)
    result.label_start = check_label_start(label_start, result.label_sheet)
    requests = select_letters(records, selection, settings.check_in_days, on)
    if not requests:
        result.removed = _remove_set(out, dry_run=dry_run)
        return result
    articles = article_index(project, on) if settings.suggest_articles else None
    if settings.suggest_articles and articles is None:
        result.warnings.append(Problem(project.mkdocs_yml, None, *NO_SITE_URL, "warning"))
    if dry_run:
        result.letters = render_letters(
            requests, settings, project.templates_dir, page_size, on, records, articles=articles
        )
        result.no_address = without_address(result.letters)
        result.recipients = len(recipients(result.letters))
        result.files = _planned_files(out, result)
        return result

    templates = project.templates_dir
    builder = PdfBuilder(
        project.state_dir / "pdf-cache", templates.resolve().as_uri() + "/", workers
    )
    with builder:  # stops workers that were started early but were not needed
        previous = {row.get("letter") for row in previous_rows(out)}
        if len(previous) != len(requests):  # the same count: most likely a re-run
            builder.warm_up(len(requests))
        progress.stage("Writing letters", len(requests))
        letters = render_letters(
            requests,
            settings,
            templates,
            page_size,
            on,
            records,
            advance=progress.advance,
            articles=articles,
        )
        names = _preview_names(letters)
        outputs = _outputs(templates, out, letters, settings, page_size, result)

        def before_writing(stats: PdfStats) -> None:
            _refuse_spilled(outputs[0], letters, stats)
            private_dir(out)
            _write_previews(out, names, letters, templates, settings, page_size)

        result.pdf = builder.build(
            outputs,
            advance=progress.advance,
            start=lambda pages: progress.stage("Printing to PDF", pages),
            before_writing=before_writing,
        )
    for name in {ENVELOPES_PDF, LABELS_PDF} - {o.path.name for o in outputs}:
        (out / name).unlink(missing_ok=True)  # from an earlier run; nobody to send to now
    result.letters = letters
    result.no_address = without_address(letters)
    result.engine_warnings = sorted({w for r in result.pdf.results.values() for w in r.warnings})
    write_atomic(out / INDEX_CSV, index_csv(letters, names).encode("utf-8"), PRIVATE_FILE_MODE)
    (out / SENT_INDEX_CSV).unlink(missing_ok=True)  # an earlier set, already marked
    result.files = {o.path.stem: o.path for o in outputs}
    result.files.update({"index": out / INDEX_CSV, "previews": out / PREVIEW_DIR})
    return result


def _outputs(templates, out: Path, letters, settings, page_size, result) -> list[PdfOutput]:
    """letters.pdf, and envelopes.pdf and labels.pdf for the people with an address."""
    css = stylesheet(templates, [letter.kind for letter in letters], settings, page_size)
    outputs = [PdfOutput(out / LETTERS_PDF, "Letters", letter_parts(templates, letters, css))]
    people = recipients(letters)
    result.recipients = len(people)
    if people and result.envelope:
        docs = envelope_documents(
            templates, people, settings.sender, result.envelope, settings.font
        )
        parts = [PdfPart(html, pages) for html, pages in docs]
        outputs.append(PdfOutput(out / ENVELOPES_PDF, "Envelopes", parts))
    if people and result.label_sheet:
        docs = label_documents(
            templates,
            people,
            settings.sender,
            result.label_sheet,
            settings.font,
            start=result.label_start,
        )
        parts = [PdfPart(html, pages) for html, pages in docs]
        outputs.append(PdfOutput(out / LABELS_PDF, "Address labels", parts))
    return outputs


def _planned_files(out: Path, result: LetterSetResult) -> dict[str, Path]:
    """The files a run would write (for --dry-run), by the names `files` uses."""
    files = {"letters": out / LETTERS_PDF}
    if result.recipients and result.envelope:
        files["envelopes"] = out / ENVELOPES_PDF
    if result.recipients and result.label_sheet:
        files["labels"] = out / LABELS_PDF
    files.update({"index": out / INDEX_CSV, "previews": out / PREVIEW_DIR})
    return files


def _preview_names(letters: list[Letter]) -> list[str]:
    """NNN-<kind>-<id>.html for each letter, numbered in printing order."""
    width = max(3, len(str(len(letters))))
    names = [
        file_name(f"{n:0{width}d}", letter.kind, letter.request.record_id, suffix=".html")
        for n, letter in enumerate(letters, start=1)
    ]
    if len(set(names)) != len(names):
        raise GoodwillError("two letters would be written to the same preview file")
    return names


def _write_previews(out: Path, names, letters, templates, settings, page_size) -> None:
    """Write each letter's page (changed ones only); remove an earlier run's leftovers."""
    folder = out / PREVIEW_DIR
    folder.mkdir(exist_ok=True, mode=PRIVATE_DIR_MODE)
    css: dict = {}
    for name, letter in zip(names, letters, strict=True):
        if letter.kind not in css:
            css[letter.kind] = stylesheet(templates, [letter.kind], settings, page_size)
        title = f"{letter.kind} letter to {letter.contact.name}"
        data = document(templates, [letter.html], css[letter.kind], title).encode("utf-8")
        path = inside(folder, name)
        if path.is_symlink():
            path.unlink()  # write a file of our own, never through a link
        elif path.is_file() and path.read_bytes() == data:
            continue
        write_private(path, data)  # a preview is cheap to remake: no fsync per file
    current = set(names)
    for row in previous_rows(out):
        old = row.get("preview", "")
        if old.startswith(f"{PREVIEW_DIR}/") and old[len(PREVIEW_DIR) + 1 :] not in current:
            try:
                inside(folder, old[len(PREVIEW_DIR) + 1 :]).unlink(missing_ok=True)
            except GoodwillError:
                continue  # a hand-edited index: never delete outside preview/


def letter_parts(templates, letters: list[Letter], css) -> list[PdfPart]:
    """Letters cut into PDF parts where a letter's own hash says so.

    Cutting by content rather than by position means that removing one letter
    (say, once it was marked as sent) changes only the part it was in, so the
    other parts come from the cache on the next run.
    """
    parts, batch = [], []
    for letter in letters:
        batch.append(letter)
        boundary = int(hashlib.blake2b(letter.key.encode(), digest_size=4).hexdigest(), 16)
        if boundary % LETTERS_PER_PART == 0 or len(batch) >= 2 * LETTERS_PER_PART:
            parts.append(batch)
            batch = []
    if batch:
        parts.append(batch)
    return [
        PdfPart(document(templates, [letter.html for letter in batch], css, "Letters"), len(batch))
        for batch in parts
    ]


def _refuse_spilled(output: PdfOutput, letters: list[Letter], stats: PdfStats) -> None:
    """An error naming the letters that did not fit on one page (one letter a page is
    what makes the printed set easy to sign, fold and match with its envelope)."""
    spilled, first = [], 0
    for part in output.parts:
        found = stats.results[part.key]
        numbers = found.spilled
        if not numbers and found.pages != part.pages:  # cannot tell which: name them all
            numbers = range(1, part.pages + 1)
        spilled.extend(letters[first + number - 1] for number in numbers)
        first += part.pages
    if not spilled:
        return
    names = ", ".join(_spilled_name(letter) for letter in spilled[:10])
    more = f" and {len(spilled) - 10} more" if len(spilled) > 10 else ""
    hint = "shorten the `note:` or `ps:` in the records, or make the font smaller "
    hint += "in templates/letters/"
    crowded = [letter for letter in spilled if len(letter.request.referrals) > 2]
    if crowded:
        who = crowded[0].contact.id
        hint = (
            f"write it in two sets: `goodwill letters --contact {who} --since DATE` for the "
            "newer referrals, `--mark-sent`, then the same without --since; or " + hint
        )
    raise GoodwillError(f"{names}{more} would run over one page; nothing was written", hint=hint)


def _spilled_name(letter: Letter) -> str:
    request, contact = letter.request, letter.contact
    if len(request.referrals) > 2:
        about = f"{len(request.referrals)} referrals from contact '{contact.id}'"
        return f"the {letter.kind} letter about {about} ({contact.name})"
    return f"the {letter.kind} letter for {request.subject} ({contact.name})"


def _remove_set(out: Path, dry_run: bool = False) -> list[str]:
    """Remove an earlier run's letter set (nothing is due now, so it is stale): its
    PDFs, the previews it listed and its index. Returns the names removed (with
    `dry_run`, the names it would remove, removing nothing)."""
    if not out.is_dir():
        return []
    removed = []
    folder = out / PREVIEW_DIR
    for old in dict.fromkeys(row.get("preview", "") for row in previous_rows(out)):
        if old.startswith(f"{PREVIEW_DIR}/"):
            try:
                path = inside(folder, old[len(PREVIEW_DIR) + 1 :])
            except GoodwillError:
                continue  # a hand-edited index: never delete outside preview/
            if path.is_file() or path.is_symlink():
                if not dry_run:
                    path.unlink()
                removed.append(old)
    if not dry_run and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
    for name in (LETTERS_PDF, ENVELOPES_PDF, LABELS_PDF, INDEX_CSV, SENT_INDEX_CSV):
        if (out / name).is_file():
            if not dry_run:
                (out / name).unlink()
            removed.append(name)
    return removed
