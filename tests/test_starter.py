"""`goodwill init`: a blank starter by default, the demo with --demo; git stays private."""

from __future__ import annotations

import os
import pty
import select
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from goodwill.cli.main import main
from goodwill.core.errors import Collector
from goodwill.core.siteconfig import feed_image
from goodwill.relations.records import load_records

PRIVATE = (
    "content/records/contacts.yaml",
    "content/records/referrals.yaml",
    "content/records/interactions.yaml",
    "content/feeds.yaml",
    "content/subscribers.yaml",
    "letters/letters.pdf",
    ".goodwill/digest.sqlite",
    "site/index.html",
    "agenda.ics",
)


def invoke(*args, cwd: Path | None = None):
    old = os.getcwd()
    os.chdir(cwd or old)
    try:
        return CliRunner().invoke(main, list(args), catch_exceptions=False)
    finally:
        os.chdir(old)


def test_starter_has_your_details_and_no_demo_people(tmp_path):
    target = tmp_path / "practice"
    result = invoke(
        "init",
        str(target),
        "--name",
        "Sam O'Lee",
        "--email",
        "sam@lee.example",
        "--site-name",
        "Sam's Notes: Referrals",
        "--site-url",
        "https://samlee.example",
    )
    assert result.exit_code == 0, result.output
    assert "Created a new goodwill project" in result.output
    settings = yaml.safe_load((target / "goodwill.yml").read_text())
    assert settings["sender"] == {
        "name": "Sam O'Lee",
        "email": "sam@lee.example",
        "sign_off": "Warmly,",
    }
    assert settings["digest"]["title"] == "Sam's Notes: Referrals digest #{number}"
    mkdocs = yaml.safe_load((target / "mkdocs.yml").read_text())
    assert mkdocs["site_name"] == "Sam's Notes: Referrals"
    assert mkdocs["site_url"] == "https://samlee.example/"
    text = (target / "mkdocs.yml").read_text()
    assert "guide.example.com" not in text
    # the feeds' picture follows the new site (goodwill writes the feeds: no plugin option)
    assert feed_image(mkdocs) == "https://samlee.example/assets/images/favicon.png"
    articles = list((target / "content" / "articles").glob("*.md"))
    assert [a.name for a in articles] == ["welcome.md"]
    assert 'authors: ["Sam O\'Lee"]' in articles[0].read_text()
    everything = "\n".join(
        p.read_text() for p in target.rglob("*") if p.suffix in (".yml", ".yaml", ".md")
    )
    assert "Alex Morgan" not in everything and "morgancoaching" not in everything
    records = load_records(target / "content" / "records", Collector())
    assert (records.contacts, records.referrals, records.interactions) == ({}, [], [])


def test_the_starter_builds_checks_and_has_nothing_due(tmp_path):
    target = tmp_path / "blank"
    assert invoke("init", str(target)).exit_code == 0
    check = invoke("-C", str(target), "check")
    assert check.exit_code == 0 and "0 error(s), 0 warning(s)" in check.output, check.output
    built = invoke("-C", str(target), "build")
    assert built.exit_code == 0, built.output
    assert "1 article(s)" in built.output
    assert (target / "site" / "articles").is_dir()
    letters = invoke("-C", str(target), "letters")
    assert letters.exit_code == 0 and "No thank-you letters are due" in letters.output
    assert invoke("-C", str(target), "agenda").output.startswith("Nothing is due")
    report = invoke("-C", str(target), "report", "--format", "csv")
    assert report.exit_code == 0


def test_every_records_comment_example_is_a_valid_record(tmp_path):
    """Uncommenting the example in each starter file must give a valid record."""
    target = tmp_path / "blank"
    invoke("init", str(target))
    folder = target / "content" / "records"
    for name in ("contacts.yaml", "referrals.yaml", "interactions.yaml"):
        lines = (folder / name).read_text().splitlines()
        start = next(n for n, line in enumerate(lines) if line.startswith("# - "))
        (folder / name).write_text("\n".join(line[2:] for line in lines[start:]) + "\n")
    problems = Collector()
    records = load_records(folder, problems)
    assert problems.errors == [], [p.format() for p in problems.problems]
    maria = records.contacts["maria-lopez"]
    from goodwill.relations.schema import CONTACT, INTERACTION, REFERRAL

    shown = {name: (folder / f"{name}.yaml").read_text() for name in ("contacts", "referrals")}
    for key in CONTACT.fields:
        assert f"  {key}:" in shown["contacts"] or f"- {key}:" in shown["contacts"], key
    for key in REFERRAL.fields:
        assert f"  {key}:" in shown["referrals"] or f"- {key}:" in shown["referrals"], key
    assert set(INTERACTION.fields) == {"date", "contact", "kind", "note"}
    assert maria.emails and maria.phones and maria.address.region
    assert records.interactions[0].kind == "call"
    assert records.referrals[0].outcome_reported is not None


def test_demo_is_the_sample_project(tmp_path):
    target = tmp_path / "demo"
    result = invoke("init", "--demo", str(target))
    assert result.exit_code == 0, result.output
    assert "Alex Morgan" in (target / "goodwill.yml").read_text()
    records = load_records(target / "content" / "records", Collector())
    assert len(records.contacts) == 12


def test_init_refuses_bad_details_and_writes_nothing(tmp_path):
    result = invoke("init", str(tmp_path / "x"), "--site-url", "samlee.example")
    assert (
        result.exit_code == 1 and "--site-url 'samlee.example' is not an http(s)" in result.output
    )
    result = invoke("init", str(tmp_path / "x"), "--email", "sam at home")
    assert result.exit_code == 1 and "does not look like an e-mail" in result.output
    assert not (tmp_path / "x").exists()


@pytest.mark.parametrize("demo", [False, True])
def test_git_add_all_commits_no_private_file(tmp_path, demo):
    if shutil.which("git") is None:
        pytest.fail("git is not installed")
    target = tmp_path / "repo"
    assert invoke("init", *(["--demo"] if demo else []), str(target)).exit_code == 0
    for name in PRIVATE:
        path = target / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            path.write_text("maria@lopez-partners.example\n")
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
    }

    def git(*args):
        return subprocess.run(
            ["git", *args], cwd=target, env=env, capture_output=True, text=True, check=True
        ).stdout

    git("init", "-q")
    git("add", "-A")
    git("commit", "-qm", "start")
    tracked = git("ls-files").split()
    assert "mkdocs.yml" in tracked and ".gitignore" in tracked
    assert any(t.startswith("content/articles/") for t in tracked)
    leaked = [t for t in tracked if t in PRIVATE or t.startswith(("content/records", "letters/"))]
    assert leaked == []
    gitignore = (target / ".gitignore").read_text()
    assert "private" in gitignore.lower() and "git init" in gitignore


def test_init_asks_for_details_in_a_terminal(tmp_path):
    """A real pseudo-terminal: the prompts appear and the answers land in the files."""
    target = tmp_path / "asked"
    pid, fd = pty.fork()
    if pid == 0:  # the child: goodwill with the pty as its terminal
        os.execvpe(
            sys.executable,
            [sys.executable, "-m", "goodwill", "init", str(target)],
            {**os.environ, "GOODWILL_TODAY": "2026-11-20"},
        )
    answers = iter(
        ["Robin Park\n", "robin at park\n", "robin@park.example\n", "\n", "robinpark\n",
         "https://robinpark.example/\n"]
    )  # fmt: skip
    seen = b""
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([fd], [], [], 1)
            if not ready:
                continue
            try:
                chunk = os.read(fd, 1024)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
            if seen.rstrip().endswith(b":") or seen.rstrip().endswith(b"]:"):
                answer = next(answers, None)
                if answer:
                    os.write(fd, answer.encode())
                    seen += b"\n"
    finally:
        _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, seen.decode(errors="replace")
    assert b"Your name" in seen and b"Site name [My Guide]" in seen
    assert b"does not look like an e-mail address" in seen  # asked again
    assert b"is not an http(s) address" in seen
    settings = yaml.safe_load((target / "goodwill.yml").read_text())
    assert settings["sender"]["name"] == "Robin Park"
    assert settings["sender"]["email"] == "robin@park.example"
    assert yaml.safe_load((target / "mkdocs.yml").read_text())["site_name"] == "My Guide"


def test_init_in_a_real_process_without_a_terminal_uses_defaults(tmp_path):
    target = tmp_path / "quiet"
    proc = subprocess.run(
        [sys.executable, "-m", "goodwill", "init", str(target)],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert "Your name" not in proc.stdout
    settings = yaml.safe_load((target / "goodwill.yml").read_text())
    assert settings["sender"]["name"] == "Your Name"


def test_init_arguments_are_parsed():
    result = CliRunner().invoke(main, ["init"])
    assert result.exit_code == 2 and "Missing argument 'DIRECTORY'" in result.output
    assert "--demo" in CliRunner().invoke(main, ["init", "--help"]).output
