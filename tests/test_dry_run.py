"""--dry-run on letters, --mark-sent, thank and feeds import: list what would be written,
change nothing (every file's bytes and modification time, and the set of files)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from goodwill.cli.main import main

SCRIPTS = Path(__file__).resolve().parents[1] / "scripts"


def snapshot(root: Path) -> dict:
    """Every file and folder under root: bytes and mtime for files, mtime for folders."""
    found = {}
    for path in sorted(root.rglob("*")):
        stat = path.lstat()
        if path.is_file():
            found[path.relative_to(root)] = (path.read_bytes(), stat.st_mtime_ns)
        else:
            found[path.relative_to(root)] = ("dir", stat.st_mtime_ns)
    return found


def test_options_are_parsed():
    for args, key in (
        (["letters", "--dry-run", "--label-start", "4"], "label_start"),
        (["thank", "x", "--dry-run"], "dry_run"),
    ):
        command = main.get_command(None, args[0])
        ctx = command.make_context(args[0], args[1:])
        assert ctx.params["dry_run"] is True and ctx.params[key]
    feeds = main.get_command(None, "feeds").get_command(None, "import")
    assert "--dry-run" in [opt for p in feeds.params for opt in p.opts]


def test_letters_dry_run_lists_the_letters_and_writes_nothing(cli, project_dir, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    before = snapshot(project_dir)
    result = cli("letters", "--kind", "all", "--dry-run")
    assert result.exit_code == 0, result.output
    assert snapshot(project_dir) == before
    assert not (project_dir / "letters").exists() and not (project_dir / ".goodwill").exists()
    out = result.output
    assert "Dry run: 13 letter(s) would be written to letters/ (A4):" in out
    assert "thank-you Maria Lopez (maria-lopez)" in out
    flat = " ".join(out.split())  # referral lines wrap to the terminal's width
    assert "2026-11-18-lopez-acme: Dan Park, HR director at Acme Ltd, for leadership" in flat
    assert all(len(line) <= 80 for line in out.splitlines() if line.startswith("         "))
    assert "check-in  Li Wei (li-wei)  [no postal address]" in out
    assert "letters/envelopes.pdf: 9 DL envelope(s)" in out
    assert "letters/labels.pdf: 9 label(s) on 1 A4 3x7 sheet(s)" in out
    assert "Nothing was written." in out


def test_dry_run_keeps_an_earlier_set_even_when_nothing_is_due(cli, project_dir):
    assert cli("letters").exit_code == 0
    before = snapshot(project_dir)
    again = cli("letters", "--label-start", "20", "--dry-run")
    assert again.exit_code == 0, again.output
    assert "9 label(s) on 2 A4 3x7 sheet(s), from label 20" not in again.output  # 6 people
    assert "5 label(s) on 2 A4 3x7 sheet(s), from label 20" in again.output
    nothing = cli("letters", "--since", "2026-11-20", "--dry-run")
    assert nothing.exit_code == 0, nothing.output
    assert "Dry run: no thank-you letters are due." in nothing.output
    assert "would remove the previous letter set from letters/: preview/001-" in nothing.output
    assert "letters.pdf" in nothing.output and "index.csv" in nothing.output
    assert snapshot(project_dir) == before


def test_mark_sent_dry_run_changes_no_record_and_keeps_the_index(cli, project_dir):
    assert cli("letters").exit_code == 0
    before = snapshot(project_dir)
    result = cli("letters", "--mark-sent", "--dry-run")
    assert result.exit_code == 0, result.output
    assert snapshot(project_dir) == before
    assert "would write 2026-11-18-lopez-acme: thanked: 2026-11-20" in result.output
    assert "Dry run: 6 record(s) would be marked; nothing changed." in result.output
    real = cli("letters", "--mark-sent")
    assert "Marked 6 record(s)" in real.output  # the dry run left the set to mark


def test_thank_dry_run(cli, project_dir):
    before = snapshot(project_dir)
    result = cli("thank", "2026-11-18-lopez-acme", "2026-11-17-obrien-harbour", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "content/records/referrals.yaml:17: would write 2026-11-18-lopez-acme: thanked:" in (
        result.output
    )
    assert "Dry run: 2 record(s) would be marked; nothing changed." in result.output
    assert snapshot(project_dir) == before
    typo = cli("thank", "2026-11-18-lopez-acm", "--dry-run")  # still checked in a dry run
    assert typo.exit_code == 1 and "did you mean '2026-11-18-lopez-acme'" in typo.output


def test_feeds_import_dry_run(cli, project_dir, tmp_path):
    from test_feeds_sources import OPML

    opml = tmp_path / "subs.opml"
    opml.write_text(OPML, encoding="utf-8")
    before = snapshot(project_dir)
    result = cli("feeds", "import", str(opml), "--dry-run")
    assert result.exit_code == 0, result.output
    assert "Dry run: would add 2 feed(s) to content/feeds.yaml; 1 already there" in result.output
    assert "  + Referral Weekly <https://weekly.example.com/feed>" in result.output
    assert "is not an http(s) address; skipped" in result.output
    assert snapshot(project_dir) == before
    assert "Added 2 feed(s)" in cli("feeds", "import", str(opml)).output


def test_dry_runs_in_a_real_subprocess(project_dir, tmp_path):
    from test_feeds_sources import OPML

    env = {
        **os.environ,
        "GOODWILL_TODAY": "2026-11-20",
        "PYTHONPATH": f"{SCRIPTS}{os.pathsep}{os.environ.get('PYTHONPATH', '')}",
    }
    opml = tmp_path / "subs.opml"
    opml.write_text(OPML, encoding="utf-8")
    before = snapshot(project_dir)

    def goodwill(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "goodwill", *args],
            cwd=project_dir,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    letters = goodwill("letters", "--dry-run", "--label-start", "3")
    assert "Dry run: 6 letter(s) would be written" in letters and "from label 3" in letters
    assert "would write 2026-11-18-lopez-acme: thanked" in goodwill(
        "thank", "2026-11-18-lopez-acme", "--dry-run"
    )
    assert "Dry run: would add 2 feed(s)" in goodwill("feeds", "import", str(opml), "--dry-run")
    assert snapshot(project_dir) == before
