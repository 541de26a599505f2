"""Benchmark: `goodwill build` against a plain `mkdocs build` of the same Markdown.

Generates N synthetic articles in a temporary project, then times, in the same run:
- `goodwill build` (validation, staging, MkDocs, swap), as a subprocess;
- `mkdocs build` on the very Markdown goodwill stages, with the same mkdocs.yml.
Prints both times, their ratio, and milliseconds per article at each N.

Targets: goodwill's overhead at most 10% over MkDocs at N=1000, and per-article time
at N=1000 at most 1.3x that at N=100 (the site's structure must not grow per page).

`--privacy` measures instead what the privacy scan adds to `goodwill build` at 1,000
articles and 10,000 contacts (target: at most 10%); see privacy_scan_share().

    python bench/guide.py                 # N = 100 and 1000, best of 2 runs each
    python bench/guide.py --sizes 50 --repeat 1
    python bench/guide.py --privacy       # the privacy scan's share
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from goodwill.core.errors import Collector
from goodwill.core.project import Project
from goodwill.guide.articles import load_articles
from goodwill.guide.staging import stage_guide
from goodwill.scaffold import init_project

WORDS = [
    "referral",
    "thank",
    "note",
    "client",
    "partner",
    "meeting",
    "follow",
    "report",
    "outcome",
    "gift",
    "coffee",
    "introduce",
    "trust",
    "network",
    "group",
    "breakfast",
    "coach",
    "consultant",
    "accountant",
    "weekly",
    "relationship",
    "notes",
    "promise",
    "return",
    "favour",
    "specific",
    "prompt",
    "handwritten",
    "card",
    "lunch",
]
TAGS = [f"topic-{i}" for i in range(20)]
AUTHORS = ["Maria Lopez", "Dan Okafor", "Priya Raman", "Tom Becker"]


def synthetic_article(index: int, rng: random.Random) -> str:
    day = dt.date(2020, 1, 1) + dt.timedelta(days=index % 2400)
    paragraphs = []
    for _ in range(6):
        paragraphs.append(" ".join(rng.choice(WORDS) for _ in range(rng.randint(50, 90))) + ".")
    body = f"\n\n## Section {index}\n\n".join(paragraphs)
    return (
        f'---\ntitle: "Article number {index}"\ndate: {day.isoformat()}\n'
        f"authors: [{rng.choice(AUTHORS)}]\n"
        f"tags: [{', '.join(rng.sample(TAGS, 3))}]\n"
        f'description: "Synthetic article {index} for the benchmark."\n---\n\n{body}\n'
    )


def make_project(folder: Path, count: int) -> Project:
    root = init_project(folder)
    articles = root / "content" / "articles"
    shutil.rmtree(articles)
    articles.mkdir()
    rng = random.Random(count)
    for index in range(count):
        (articles / f"article-{index:05d}.md").write_text(synthetic_article(index, rng))
    return Project(root)


def plain_mkdocs_project(project: Project, folder: Path) -> Path:
    """Stage goodwill's Markdown once, and point a copy of mkdocs.yml at it.

    The copy sits beside the original, so relative settings (theme custom_dir) still resolve.
    """
    problems = Collector()
    articles = load_articles(project.articles_dir, problems)
    docs = folder / "docs"
    stage_guide(project, articles, docs, "Bench", problems)
    config = project.mkdocs_yml.read_text().replace("docs_dir: content", f"docs_dir: {docs}")
    config_file = project.root / "mkdocs-plain.yml"
    config_file.write_text(config)
    return config_file


def timed(command: list[str], cwd: Path) -> float:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    started = time.perf_counter()
    subprocess.run(
        command, cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    return time.perf_counter() - started


def measure(count: int, repeat: int) -> tuple[float, float]:
    with tempfile.TemporaryDirectory(prefix="goodwill-bench-") as tmp:
        tmp = Path(tmp)
        project = make_project(tmp / "project", count)
        config = plain_mkdocs_project(project, tmp / "plain")
        goodwill = [sys.executable, "-m", "goodwill", "build"]
        mkdocs = [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "-q",
            "-f",
            str(config),
            "-d",
            str(tmp / "plain" / "site"),
        ]
        goodwill_times, mkdocs_times = [], []
        for _ in range(repeat):  # interleaved, so both see the same machine state
            goodwill_times.append(timed(goodwill, project.root))
            mkdocs_times.append(timed(mkdocs, tmp / "plain"))
        return min(goodwill_times), min(mkdocs_times)


# --- privacy scan share (kept apart from the build-speed figures above) -------------------


def synthetic_contacts(count: int, rng: random.Random) -> str:
    """`count` contacts with every field the privacy scan reads."""
    items = []
    for i in range(count):
        items.append(
            f"- id: contact-{i:05d}\n  name: Person {i} Example\n  company: Company {i} Ltd\n"
            f"  email: person{i}@company{i}.example\n"
            f'  phone: "+44 117 {rng.randint(100, 999)} {rng.randint(1000, 9999)}"\n'
            f"  address:\n    lines: [{i} Harbour Street, Unit {i % 7}]\n"
            f"    city: Bristol\n    postcode: BS1 {i % 9}NT\n"
            f"  tags: [accountant, bni]\n  how_we_met: Breakfast meeting number {i}\n"
            f"  notes: Likes sailing and strong coffee, has {i % 5} children. Wants "
            f"introductions to firm number {i}.\n  last_contact: 2026-11-02\n"
        )
    return "".join(items)


def timed_with_cpu(command: list[str], cwd: Path) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the command and its children): CPU time is what a
    busy shared machine does not blur."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = timed(command, cwd)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def privacy_scan_share(articles: int = 1000, contacts: int = 10_000, repeat: int = 2) -> None:
    """`goodwill build` with `contacts` contacts against the same build with no records
    (where the scan has nothing to look for): right after the records changed (cold:
    they are read again) and when they have not (warm: their strings come from the
    cache in .goodwill/). Wall and CPU time, best of `repeat`; plus the scan's own
    time after MkDocs, in process."""
    from goodwill.guide.build import build_guide

    with tempfile.TemporaryDirectory(prefix="goodwill-bench-privacy-") as tmp:
        project = make_project(Path(tmp) / "project", articles)
        records = project.records_dir
        shutil.rmtree(records)
        contacts_text = synthetic_contacts(contacts, random.Random(contacts))
        command = [sys.executable, "-m", "goodwill", "build"]
        runs: dict[str, list[tuple[float, float]]] = {"none": [], "cold": [], "warm": []}
        for _ in range(repeat):  # interleaved, so all three see the same machine state
            shutil.rmtree(records, ignore_errors=True)
            runs["none"].append(timed_with_cpu(command, project.root))
            records.mkdir()
            (records / "contacts.yaml").write_text(contacts_text)
            runs["cold"].append(timed_with_cpu(command, project.root))
            runs["warm"].append(timed_with_cpu(command, project.root))
        os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
        in_process = build_guide(project)
    best = {k: (min(w for w, _ in v), min(c for _, c in v)) for k, v in runs.items()}
    base_wall, base_cpu = best["none"]
    print(f"privacy scan: {articles} articles, {contacts:,} contacts, best of {repeat}")
    print(f"  {'goodwill build':38} {'wall s':>7} {'share':>7} {'CPU s':>7} {'share':>7}")
    for key, label in (
        ("none", "no records (nothing to scan for)"),
        ("cold", "records just changed (read again)"),
        ("warm", "records unchanged (cached)"),
    ):
        wall, cpu = best[key]
        print(
            f"  {label:38} {wall:7.2f} {100 * (wall / base_wall - 1):+6.1f}% "
            f"{cpu:7.2f} {100 * (cpu / base_cpu - 1):+6.1f}%"
        )
    print("  target: at most +10%")
    print(
        f"  in process: {in_process.scan_seconds:.2f} s of {in_process.seconds:.2f} s after MkDocs "
        "(the rest of the scan runs beside MkDocs in a child process)"
    )


# --- end of privacy scan share -------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="100,1000", help="comma-separated article counts")
    parser.add_argument("--repeat", type=int, default=2, help="runs per size; the best counts")
    parser.add_argument(
        "--privacy", action="store_true", help="measure the privacy scan's share instead"
    )
    args = parser.parse_args()
    if args.privacy:
        privacy_scan_share(repeat=args.repeat)
        return
    sizes = [int(s) for s in args.sizes.split(",")]
    per_article = {}
    print(
        f"{'N':>6} {'goodwill s':>11} {'mkdocs s':>9} {'ratio':>6} {'ms/article':>11} "
        f"{'mkdocs ms/art':>14}"
    )
    for count in sizes:
        goodwill, mkdocs = measure(count, args.repeat)
        per_article[count] = 1000 * goodwill / count
        print(
            f"{count:>6} {goodwill:>11.2f} {mkdocs:>9.2f} {goodwill / mkdocs:>6.2f} "
            f"{per_article[count]:>11.1f} {1000 * mkdocs / count:>14.1f}"
        )
    if 100 in per_article and 1000 in per_article:
        growth = per_article[1000] / per_article[100]
        print(f"per-article time, N=1000 / N=100: {growth:.2f}x (target <= 1.3x)")
    print("target: goodwill / mkdocs <= 1.10 at N=1000")


if __name__ == "__main__":
    main()
