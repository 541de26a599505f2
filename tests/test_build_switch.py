"""The switch to a new site is atomic, concurrent builds both succeed, and killed builds'
leftovers are removed by the next build. Real subprocesses, real signals."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from goodwill.core.lock import FileLock
from goodwill.guide.swap import BUILD_PREFIX, OWNER_FILE, remove_stale_folders

POLLER = """
import os, sys, time
path, stop = sys.argv[1], sys.argv[2]
seen = missing = 0
while not os.path.exists(stop):
    for _ in range(1000):
        if os.path.exists(path):
            seen += 1
        else:
            missing += 1
print(seen, missing)
"""


def _env():
    return {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}


def _build(project, **kwargs):
    return subprocess.Popen(
        [sys.executable, "-m", "goodwill", "build"],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(),
        **kwargs,
    )


def _finish(process, timeout=180):
    out, err = process.communicate(timeout=timeout)
    return process.returncode, out, err


def _whole_site(site, project):
    articles = [p.stem for p in (project / "content" / "articles").glob("*.md")]
    assert (site / "index.html").is_file()
    assert (site / "feed_rss_created.xml").is_file() and (site / "feed_atom.xml").is_file()
    for slug in articles:
        assert (site / "articles" / slug / "index.html").is_file(), slug


def test_the_site_is_never_missing_while_builds_switch(project_dir, tmp_path):
    first = _build(project_dir)
    assert _finish(first)[0] == 0
    stop = tmp_path / "stop"
    poller = subprocess.Popen(
        [sys.executable, "-c", POLLER, str(project_dir / "site" / "index.html"), str(stop)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        for _ in range(4):
            code, _, err = _finish(_build(project_dir))
            assert code == 0, err
    finally:
        stop.touch()
        seen, missing = map(int, poller.communicate(timeout=30)[0].split())
    assert seen > 0
    assert missing == 0, f"site/index.html was missing {missing} time(s) during the switch"


def test_two_builds_at_once_both_succeed(project_dir):
    assert _finish(_build(project_dir))[0] == 0
    for _ in range(2):
        builds = [_build(project_dir), _build(project_dir)]
        for code, _out, err in map(_finish, builds):
            assert code == 0, err
            assert "No such file" not in err and "Traceback" not in err
        _whole_site(project_dir / "site", project_dir)
    assert not list(project_dir.glob(f"{BUILD_PREFIX}*"))
    assert not list(project_dir.glob(".site.old-*"))


def test_a_killed_builds_leftovers_are_removed_by_the_next_build(project_dir):
    assert _finish(_build(project_dir))[0] == 0
    articles = project_dir / "content" / "articles"
    for number in range(300):  # a build long enough to be killed midway
        (articles / f"filler-{number:03d}.md").write_text(
            f"---\ntitle: Filler {number}\ndate: 2026-01-01\n---\n\n" + "Some words. " * 200
        )
    killed = _build(project_dir)
    deadline = time.monotonic() + 60
    while not list(project_dir.glob(f"{BUILD_PREFIX}*/{OWNER_FILE}")):
        assert time.monotonic() < deadline and killed.poll() is None, "the build never started"
        time.sleep(0.005)
    time.sleep(0.3)  # midway: staging or MkDocs at work
    killed.send_signal(signal.SIGKILL)
    killed.wait(timeout=30)
    [leftover] = project_dir.glob(f"{BUILD_PREFIX}*")
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    legacy = project_dir / f".site.old-{int(dead.stdout)}"  # what earlier versions left
    (legacy / "assets").mkdir(parents=True)
    old_unowned = project_dir / f"{BUILD_PREFIX}legacy"
    old_unowned.mkdir()
    os.utime(old_unowned, (time.time() - 3600,) * 2)
    running = project_dir / f"{BUILD_PREFIX}running"  # another build, still at work
    running.mkdir()
    lock = FileLock(running / OWNER_FILE)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl, sys, time; f = open(sys.argv[1], 'a'); "
            "fcntl.flock(f, fcntl.LOCK_EX); print('locked', flush=True); time.sleep(120)",
            str(lock.path),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        code, _, err = _finish(_build(project_dir))
        assert code == 0, err
        assert not leftover.exists() and not legacy.exists() and not old_unowned.exists()
        assert running.is_dir(), "a folder a running build owns was removed"
    finally:
        holder.kill()
        holder.wait()
    assert remove_stale_folders(project_dir / "site") == [running]
    _whole_site(project_dir / "site", project_dir)


SWAPPER = """
import shutil, sys
from pathlib import Path
import goodwill.guide.swap as swap
root, name, rounds, exchange = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4]
if exchange == "no":
    swap._exchange = lambda first, second: False  # as on systems without renameat2
for number in range(rounds):
    work = root / f"work-{name}-{number}"
    (work / "site").mkdir(parents=True)
    (work / "site" / "index.html").write_text(f"{name} {number}")
    swap.swap_into_place(work / "site", root / "site", work)
    shutil.rmtree(work)
print("done")
"""


def _swappers(tmp_path, exchange: str):
    return [
        subprocess.Popen(
            [sys.executable, "-c", SWAPPER, str(tmp_path), name, "300", exchange],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=_env(),
        )
        for name in ("a", "b")
    ]


def test_racing_switches_never_fail(tmp_path):
    for exchange in ("yes", "no"):
        for code, out, err in map(_finish, _swappers(tmp_path, exchange)):
            assert code == 0 and out.strip() == "done", (exchange, err[-2000:])
        assert (tmp_path / "site" / "index.html").is_file()
        assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
