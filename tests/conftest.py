"""Shared fixtures: a fresh demo project, the CLI runner, a frozen clock, Chromium."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from goodwill.cli.main import main
from goodwill.core.project import Project
from goodwill.guide.build import build_guide
from goodwill.scaffold import init_project

FROZEN_TODAY = "2026-11-20"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    """Every test sees the same 'today', so drafts/scheduled/overdue logic is stable."""
    monkeypatch.setenv("GOODWILL_TODAY", FROZEN_TODAY)
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")


@pytest.fixture
def project_dir(tmp_path) -> Path:
    """A new project made by `goodwill init`, with the shipped sample content."""
    return init_project(tmp_path / "project")


@pytest.fixture
def cli(project_dir):
    """Run `goodwill ARGS...` in the project folder; returns click's Result."""
    runner = CliRunner()

    def run(*args, input=None):
        old = os.getcwd()
        os.chdir(project_dir)
        try:
            return runner.invoke(main, list(args), input=input, catch_exceptions=False)
        finally:
            os.chdir(old)

    return run


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep test output clean
        pass


def start_static_server(folder: Path) -> http.server.ThreadingHTTPServer:
    """Serve `folder` on 127.0.0.1 at a free port, in a daemon thread."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def base_url(server) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}/"


@pytest.fixture(scope="session")
def built_demo(tmp_path_factory) -> Path:
    """The demo project with its guide built, once per test process. Read it; tests that
    change a project use `project_dir`."""
    root = init_project(tmp_path_factory.mktemp("built-demo") / "project")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GOODWILL_TODAY", FROZEN_TODAY)
        patch.setenv("NO_MKDOCS_2_WARNING", "1")
        build_guide(Project(root))
    return root


@pytest.fixture(scope="session")
def built_demo_url(built_demo):
    """The built demo site served on 127.0.0.1 (a free port)."""
    server = start_static_server(built_demo / "site")
    yield base_url(server)
    server.shutdown()
    server.server_close()


@pytest.fixture
def serve_dir():
    """Serve a folder on 127.0.0.1 (a free port); returns a function folder -> base URL."""
    servers = []

    def start(folder: Path) -> str:
        servers.append(start_static_server(folder))
        return base_url(servers[-1])

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def browser(tmp_path_factory):
    """Headless Debian Chromium driven by Playwright (never downloads a browser)."""
    if not CHROMIUM:
        pytest.fail("Debian chromium is not installed: apt-get install chromium (see .ci/run)")
    from playwright.sync_api import sync_playwright

    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile),
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield context
        context.close()


GOLDEN_DIR = Path(__file__).parent / "golden"


def pytest_addoption(parser):
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="Rewrite tests/golden/ files from the current output instead of comparing.",
    )


@pytest.fixture
def golden(request):
    """Compare text with tests/golden/<name>; `pytest --update-golden` refreshes the file."""
    update = request.config.getoption("--update-golden")

    def check(name: str, actual: str) -> None:
        path = GOLDEN_DIR / name
        if update:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(actual, encoding="utf-8")
            return
        assert path.is_file(), f"missing golden file {path}; run pytest --update-golden"
        expected = path.read_text(encoding="utf-8")
        assert actual == expected, f"{name} differs from the golden file (pytest --update-golden)"

    return check
