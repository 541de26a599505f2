"""README's "Your first week", step by step, partly through the installed command."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
from pathlib import Path

import icalendar
from click.testing import CliRunner

from goodwill.cli.main import main

BOOKS = Path(__file__).parent / "fixtures" / "addressbooks"
ENV = {"GOODWILL_TODAY": "2026-11-20", "NO_MKDOCS_2_WARNING": "1"}


def goodwill_process(*args, cwd: Path) -> subprocess.CompletedProcess:
    exe = shutil.which("goodwill")
    assert exe, "the goodwill console script is not installed"
    return subprocess.run(
        [exe, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, **ENV},
        stdin=subprocess.DEVNULL,
        timeout=180,
    )


def test_first_week(tmp_path):
    project = tmp_path / "my-practice"
    # 1. a blank start, with the installed command
    made = goodwill_process(
        "init", str(project), "--name", "Sam Lee", "--site-url", "https://samlee.example/",
        cwd=tmp_path,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    runner = CliRunner()

    def run(*args):
        old = os.getcwd()
        os.chdir(project)
        try:
            result = runner.invoke(main, list(args), catch_exceptions=False)
        finally:
            os.chdir(old)
        assert result.exit_code == 0, result.output
        return result.output

    # 2. bring people in: an address book and LinkedIn's export
    assert "+ maria-lopez: María López" in run("import", "contacts", str(BOOKS / "google.vcf"))
    linkedin = run("import", "contacts", str(BOOKS / "Connections.csv"))
    assert "~ maria-lopez" in linkedin and "+ tom-hughes" in linkedin
    # 3. a referral and a touch
    run("add", "referral", "--from", "maria-lopez", "--referred", "Dan Park, HR director at Acme",
        "--for", "leadership coaching")  # fmt: skip
    run("log", "tom-hughes", "met", "--note", "Coffee at the chamber breakfast")
    # 4. the agenda lists the thank-you
    agenda = run("agenda")
    assert "thank now" in agenda and "María López" in agenda and "Dan Park" in agenda
    # 5. ... and as a calendar, with the installed command
    calendar_file = tmp_path / "goodwill.ics"
    proc = goodwill_process("agenda", "--ics", str(calendar_file), cwd=project)
    assert proc.returncode == 0, proc.stderr
    events = icalendar.Calendar.from_ical(calendar_file.read_bytes()).walk("VEVENT")
    assert "thank-2026-11-20-dan-park@agenda.goodwill" in {str(e["uid"]) for e in events}
    # 6. the letter
    letters = run("letters")
    assert "Wrote 1 letter(s)" in letters
    with (project / "letters" / "index.csv").open(newline="") as handle:
        [row] = list(csv.DictReader(handle))
    assert row["contact"] == "maria-lopez"
    assert (project / "letters" / "letters.pdf").stat().st_size > 1000
    # 7. posted: mark it sent, and the agenda no longer lists it
    assert "thanked: 2026-11-20" in run("letters", "--mark-sent")
    after = run("agenda", "--format", "csv")
    assert "thank" not in [line.split(",")[2] for line in after.splitlines()[1:]]
    proc = goodwill_process("agenda", "--ics", str(calendar_file), cwd=project)
    events = icalendar.Calendar.from_ical(calendar_file.read_bytes()).walk("VEVENT")
    assert not [e for e in events if str(e["uid"]).startswith("thank-")]
    # and the guide still builds
    assert goodwill_process("build", cwd=project).returncode == 0
