"""The CLI at three depths: arguments, runner in tmp_path, real installed command."""

from __future__ import annotations

import os
import shutil
import site
import subprocess
import sys
from pathlib import Path

import click
import pytest

from goodwill.cli.main import main
from serving import fetch, goodwill_serve, wait_for

REPO = Path(__file__).resolve().parents[1]


def all_commands(group: click.Group, prefix: str = ""):
    for name, command in sorted(group.commands.items()):
        yield f"{prefix}{name}", command
        if isinstance(command, click.Group):
            yield from all_commands(command, f"{prefix}{name} ")


def test_every_command_has_help_with_example_and_is_in_readme():
    readme = (REPO / "README.md").read_text()
    names = list(all_commands(main))
    assert {"build", "serve", "check", "new article", "init"} <= {n for n, _ in names}
    for name, command in names:
        assert command.help and "Example" in command.help, f"{name} has no example in --help"
        assert f"goodwill {name}" in readme, f"`goodwill {name}` is not documented in README"


def test_unknown_option_is_a_usage_error(cli):
    result = cli("build", "--no-such-option")
    assert result.exit_code == 2
    assert "No such option" in result.output


def test_outside_a_project_is_one_clear_line(tmp_path):
    from click.testing import CliRunner

    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        result = CliRunner().invoke(main, ["build"])
    finally:
        os.chdir(old)
    assert result.exit_code == 1
    assert "no mkdocs.yml" in result.output and "goodwill init" in result.output
    assert "Traceback" not in result.output


def test_new_article_writes_draft_and_never_overwrites(cli, project_dir):
    result = cli("new", "article", "Gifts That Say Thanks", "--tags", "gifts, thanking")
    assert result.exit_code == 0, result.output
    path = project_dir / "content" / "articles" / "gifts-that-say-thanks.md"
    text = path.read_text()
    assert 'title: "Gifts That Say Thanks"' in text
    assert "date: 2026-11-20" in text
    assert 'tags: ["gifts", "thanking"]' in text
    assert "draft: true" in text
    path.write_text(text + "\nMy own words.\n")
    again = cli("new", "article", "Gifts That Say Thanks")
    assert again.exit_code == 1
    assert "already exists" in again.output
    assert path.read_text().endswith("My own words.\n")
    assert cli("check").exit_code == 0


def test_init_makes_a_buildable_project_and_refuses_non_empty(tmp_path):
    from click.testing import CliRunner

    runner = CliRunner()
    target = tmp_path / "fresh"
    result = runner.invoke(main, ["init", str(target)])
    assert result.exit_code == 0, result.output
    assert (target / "mkdocs.yml").is_file() and (target / "templates" / "guide").is_dir()
    assert list((target / "content" / "articles").glob("*.md"))
    assert not (target / "site").exists()
    built = runner.invoke(main, ["-C", str(target), "build"])
    assert built.exit_code == 0, built.output

    occupied = tmp_path / "occupied"
    occupied.mkdir()
    (occupied / "mine.txt").write_text("keep me")
    refused = runner.invoke(main, ["init", str(occupied)])
    assert refused.exit_code == 1
    assert "is not empty" in refused.output
    assert [p.name for p in occupied.iterdir()] == ["mine.txt"]


def test_installed_command_builds_in_a_real_process(project_dir):
    exe = shutil.which("goodwill")
    assert exe, "the goodwill console script is not installed"
    env = {**os.environ, "GOODWILL_TODAY": "2026-11-20"}
    proc = subprocess.run(
        [exe, "build"], cwd=project_dir, capture_output=True, text=True, env=env, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    assert "Built the guide" in proc.stdout
    assert (project_dir / "site" / "index.html").is_file()
    module = subprocess.run(
        [sys.executable, "-m", "goodwill", "check"],
        cwd=project_dir,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert module.returncode == 0, module.stderr
    assert "0 error(s)" in module.stdout


def test_init_from_a_non_editable_wheel(tmp_path):
    """The wheel must carry the demo project, or `init` fails once installed."""
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(REPO)],
        check=True,
        timeout=300,
    )
    [wheel] = wheels.glob("goodwill-*.whl")
    venv = tmp_path / "venv"
    subprocess.run(
        [sys.executable, "-m", "venv", "--system-site-packages", str(venv)], check=True, timeout=120
    )
    python = venv / "bin" / "python"
    _see_running_dependencies(python)
    # Only the venv decides what is imported: a PYTHONPATH pointing at a checkout would win.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    subprocess.run(
        [python, "-m", "pip", "install", "-q", "--no-deps", str(wheel)],
        check=True,
        timeout=300,
        env=env,
    )
    where = subprocess.run(
        [python, "-c", "import goodwill; print(goodwill.__file__)"],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
        env=env,
    )
    assert str(venv) in where.stdout, "the test must run the wheel's copy, not the checkout"
    project = tmp_path / "from-wheel"
    subprocess.run(
        [venv / "bin" / "goodwill", "init", str(project)],
        check=True,
        cwd=tmp_path,
        timeout=60,
        env=env,
    )
    proc = subprocess.run(
        [venv / "bin" / "goodwill", "build"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert proc.returncode == 0, proc.stderr
    assert (project / "site" / "index.html").is_file()
    assert [p.name for p in (project / "content" / "articles").iterdir()] == ["welcome.md"]
    demo = tmp_path / "demo-from-wheel"
    subprocess.run(
        [venv / "bin" / "goodwill", "init", "--demo", str(demo)],
        check=True,
        cwd=tmp_path,
        timeout=60,
        env=env,
    )
    proc = subprocess.run(
        [venv / "bin" / "goodwill", "build"],
        cwd=demo,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert proc.returncode == 0, proc.stderr
    assert len(list((demo / "site" / "articles").iterdir())) == 10


def _see_running_dependencies(python: Path) -> None:
    """Let the new venv import the dependencies this test run has, wherever they are.

    `--system-site-packages` shows only the base interpreter's packages; when the suite
    itself runs in a virtualenv (as a newcomer's does), goodwill's dependencies live in
    that one. Plain path lines in a .pth file add its folders after the new venv's own,
    without running the .pth files there, so the checkout's editable goodwill stays out.
    """
    purelib = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    # Not sys.path: with PYTHONPATH set (a checkout's scripts/), that would bring goodwill too.
    folders = [*site.getsitepackages(), site.getusersitepackages()]
    folders = [f for f in dict.fromkeys(folders) if Path(f).is_dir()]
    Path(purelib, "goodwill-test-dependencies.pth").write_text("\n".join(folders) + "\n")


def test_serve_rebuilds_when_an_article_changes(project_dir):
    with goodwill_serve(project_dir) as served:
        page = f"{served.url}articles/deep-networks-beat-wide-ones/"
        assert wait_for(lambda: "Deep Networks" in fetch(page), 60), "server did not start"
        article = project_dir / "content" / "articles" / "deep-networks-beat-wide-ones.md"
        article.write_text(article.read_text() + "\nA freshly added ZQX-LIVE-EDIT sentence.\n")
        assert wait_for(lambda: "ZQX-LIVE-EDIT" in fetch(page), 60), "no rebuild seen"
    assert not (project_dir / "site").exists(), "serve must not touch site/"


@pytest.mark.parametrize("args", [["--help"], ["build", "--help"], ["new", "article", "--help"]])
def test_help_runs(args):
    from click.testing import CliRunner

    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0
    assert "Example" in result.output


def test_a_closed_pipe_is_not_reported_as_an_error(project_dir):
    """`goodwill report | head` must not end with 'error: Broken pipe' or a traceback."""
    env = {**os.environ, "GOODWILL_TODAY": "2026-11-20"}
    # `true` exits without reading, so every write of goodwill's meets a closed pipe.
    proc = subprocess.run(
        f"{sys.executable} -m goodwill report --format csv | true",
        shell=True,
        cwd=project_dir,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert proc.stderr == ""


def test_ci_runs_readmes_test_command_in_a_fresh_virtualenv():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    commands = [line for line in readme.splitlines() if line.startswith("bash .ci/deps")]
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()
    assert ci[-1] == commands[1], "CI must run exactly README's test command"
    assert any("-m venv" in line for line in ci) and any("/bin/activate" in line for line in ci)
