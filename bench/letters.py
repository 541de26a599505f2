"""Benchmark: records loading and `goodwill letters` against the bare engines.

Generates N referrals (received, not yet thanked) from N contacts (one each, so
one letter per referral) in a temporary project, then prints, in one run:
- load + validate time of the records vs PyYAML's C loader alone on the same files;
- HTML letters per second (selecting and rendering the letters' templates);
- `goodwill letters` end to end (letters, envelopes, labels, previews, index)
  and its PDF letters per second;
- the PDF engine alone rendering the same HTML documents in one plain process,
  and the ratio of the two; with the CPU time each took and how many cores other
  processes kept busy meanwhile (on a shared machine the wall-clock ratio says
  more about the neighbours than about goodwill: two workers cannot get two
  cores while others run, so the CPU figures are shown too);
- peak memory (all processes at once, sampled; the main process; the largest worker);
- an immediate second run with nothing changed (must do no PDF work).

Targets: load+validate <= 1.3x the C loader; goodwill letters <= 0.7x the engine
alone on 2 cores; peak memory < 500 MB; the second run renders nothing.

    python bench/letters.py            # N = 10,000 (several minutes)
    python bench/letters.py --quick    # N = 400
    python bench/letters.py 2000
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import yaml

from goodwill.core.dates import today
from goodwill.core.errors import Collector
from goodwill.core.project import Project
from goodwill.letters.compose import (
    Selection,
    load_for_letters,
    render_letters,
    select_letters,
    stylesheet,
)
from goodwill.letters.letter_set import letter_parts, write_letter_set
from goodwill.letters.stationery import envelope_documents, label_documents, recipients
from goodwill.relations.records import load_records
from goodwill.scaffold import init_project

FIRST = [
    "Maria",
    "Dan",
    "Priya",
    "Tom",
    "Aisha",
    "Li",
    "Sophie",
    "Seun",
    "Carlos",
    "Hannah",
    "Grace",
    "Ben",
    "Zoë",
    "José",
]
LAST = [
    "Lopez",
    "Park",
    "Shah",
    "Becker",
    "Khan",
    "Wei",
    "Martin",
    "Adeyemi",
    "Mendes",
    "Schmidt",
    "Chen",
    "Taylor",
]
NEEDS = [
    "leadership coaching for the new managers",
    "a team day on delegation",
    "executive coaching in her first year as CEO",
    "conflict coaching for two partners",
    "a communication workshop for the reception team",
]
GIFTS = ["coffee gift card", "bottle of wine", "lunch invitation", "box of chocolates"]


def contact_yaml(i: int, rng: random.Random) -> str:
    name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    text = (
        f"- id: contact-{i}\n  name: {name}\n  company: Company {i} & Sons\n"
        f'  role: Director\n  email: person{i}@example.com\n  phone: "+44 117 496 {i:04d}"\n'
        f"  tags: [bni, chamber]\n  how_we_met: Breakfast meeting number {i}\n"
        f"  notes: Likes sailing; two children; prefers calls in the morning.\n"
        f"  last_contact: 2026-{1 + i % 10:02d}-{1 + i % 28:02d}\n"
    )
    if i % 5:  # most have a postal address
        text += (
            f"  address:\n    lines: [{i} Queen Square, Floor {i % 7}]\n    city: Bristol\n"
            f"    postcode: BS1 {i % 9}NT\n    country: United Kingdom\n"
        )
    return text + "\n"


def referral_yaml(i: int, contacts: int, rng: random.Random) -> str:
    day = dt.date(2026, 1, 1) + dt.timedelta(days=i % 300)
    text = (
        f"- id: ref-{i:06d}  # generated\n  date: {day.isoformat()}\n  direction: received\n"
        f"  contact: contact-{i % contacts}\n"
        f"  referred: {rng.choice(FIRST)} {rng.choice(LAST)}, HR director at Firm {i}\n"
        f"  for: {rng.choice(NEEDS)}\n  status: {rng.choice(['new', 'contacted', 'won'])}\n"
        f"  value: {rng.randrange(500, 9000)}\n"
        f'  notes: "Called on {day.isoformat()}; follow up after the board meeting"\n'
    )
    if i % 3 == 0:
        text += f"  gift: {rng.choice(GIFTS)}\n"
    if i % 4 == 0:
        text += "  ps: Lunch is on me, whenever suits you.\n"
    return text + "\n"


def make_project(folder: Path, count: int) -> Project:
    project = Project(init_project(folder))
    rng = random.Random(7)
    contacts = count  # one referral each: a letter per referral, as many pages as before
    records = project.records_dir
    for old in records.glob("*.yaml"):
        old.unlink()
    (records / "contacts.yaml").write_text(
        "".join(contact_yaml(i, rng) for i in range(contacts)), encoding="utf-8"
    )
    (records / "referrals.yaml").write_text(
        "".join(referral_yaml(i, contacts, rng) for i in range(count)), encoding="utf-8"
    )
    return project


class Usage:
    """Wall time, this process's and its children's CPU time, and the machine's busy
    CPU time over a stretch of the run: what others used is busy minus ours."""

    def __init__(self):
        self.wall = self.cpu = self.others = 0.0

    def __enter__(self):
        self._began = time.perf_counter(), _our_cpu(), _machine_busy()
        return self

    def __exit__(self, *exc):
        wall, cpu, busy = self._began
        self.wall = time.perf_counter() - wall
        self.cpu = _our_cpu() - cpu
        self.others = max(0.0, _machine_busy() - busy - self.cpu)

    @property
    def other_cores(self) -> float:
        return self.others / self.wall if self.wall else 0.0


def _our_cpu() -> float:
    """CPU seconds of this process and its reaped children (the PDF workers, the engine)."""
    mine = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return mine.ru_utime + mine.ru_stime + children.ru_utime + children.ru_stime


def _machine_busy() -> float:
    """CPU seconds all processes on the machine spent busy since boot (/proc/stat)."""
    fields = [int(f) for f in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


class MemorySampler:
    """Peak of the summed RSS of this process and all its descendants, sampled.
    `cpu` is the sampling thread's own CPU time (not goodwill's work)."""

    def __init__(self, every: float = 0.1):
        self.every, self.peak_kb, self.cpu, self._stop = every, 0, 0.0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        try:
            self._sample()
        finally:
            self.cpu = time.thread_time()

    def _sample(self) -> None:
        page_kb = os.sysconf("SC_PAGE_SIZE") // 1024
        while not self._stop.wait(self.every):
            parents, rss = {}, {}
            for entry in os.listdir("/proc"):
                if not entry.isdigit():
                    continue
                try:
                    stat = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
                    resident = int(Path(f"/proc/{entry}/statm").read_text().split()[1])
                except (OSError, IndexError, ValueError):
                    continue
                parents[int(entry)] = int(stat[1])
                rss[int(entry)] = resident * page_kb
            family, grew = {os.getpid()}, True
            while grew:
                grown = {pid for pid, parent in parents.items() if parent in family} | family
                grew, family = grown != family, grown
            self.peak_kb = max(self.peak_kb, sum(rss.get(pid, 0) for pid in family))


def best_of(runs: int, action) -> float:
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        action()
        times.append(time.perf_counter() - began)
    return min(times)


def engine_alone(folder: Path, documents: list[str]) -> Usage:
    """WeasyPrint in one fresh plain process rendering the given HTML files, in order."""
    folder.mkdir()
    paths = []
    for n, html in enumerate(documents):
        path = folder / f"doc-{n:05d}.html"
        path.write_text(html, encoding="utf-8")
        paths.append(str(path))
    script = (
        "import sys, time\nfrom weasyprint import HTML\nbegan = time.perf_counter()\n"
        "for n, path in enumerate(sys.argv[1:]):\n"
        "    HTML(filename=path).write_pdf(path + '.pdf')\n"
        "print(time.perf_counter() - began)\n"
    )
    with Usage() as usage:
        subprocess.run([sys.executable, "-c", script, *paths], check=True, capture_output=True)
    return usage


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", nargs="?", type=int, default=10_000, help="referrals")
    parser.add_argument("--quick", action="store_true", help="N = 400")
    args = parser.parse_args()
    count = 400 if args.quick else args.count
    os.environ.setdefault("GOODWILL_TODAY", "2026-11-20")
    cores = len(os.sched_getaffinity(0))
    print(f"goodwill letters benchmark: {count:,} referrals, {cores} core(s)")

    with tempfile.TemporaryDirectory(prefix="goodwill-bench-") as tmp:
        project = make_project(Path(tmp) / "project", count)
        sizes = sum(p.stat().st_size for p in project.records_dir.glob("*.yaml"))
        print(f"records: {sizes / 1e6:.1f} MB of YAML")

        with MemorySampler() as memory, Usage() as ours_usage:
            first = write_letter_set(project, Selection())
        first_time = ours_usage.wall
        ours_cpu = ours_usage.cpu - memory.cpu
        stats = first.pdf
        main_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        letters = len(first.letters)
        began = time.perf_counter()
        second = write_letter_set(project, Selection())
        second_time = time.perf_counter() - began

        files = [project.records_dir / "contacts.yaml", project.records_dir / "referrals.yaml"]
        texts = [f.read_text(encoding="utf-8") for f in files]
        c_loader = best_of(3, lambda: [yaml.load(t, Loader=yaml.CSafeLoader) for t in texts])
        ours = best_of(3, lambda: load_records(project.records_dir, Collector()))

        records, settings, _ = load_for_letters(project)
        on = today()
        requests = select_letters(records, Selection(), settings.check_in_days, on)
        templates = project.templates_dir
        html_time = best_of(
            2,
            lambda: render_letters(requests, settings, templates, "a4", on, records),
        )
        rendered = render_letters(requests, settings, templates, "a4", on, records)
        css = stylesheet(templates, ["thank-you"], settings, "a4")
        people = recipients(rendered)
        documents = [part.html for part in letter_parts(templates, rendered, css)]
        documents += [
            html
            for html, _ in envelope_documents(
                templates, people, settings.sender, settings.envelope_for("a4"), settings.font
            )
        ]
        documents += [
            html
            for html, _ in label_documents(
                templates, people, settings.sender, settings.labels_for("a4"), settings.font
            )
        ]
        pdf_time = stats.render_seconds + stats.merge_seconds
        alone = engine_alone(Path(tmp) / "parts", documents)
        previews = sorted((project.letters_dir / "preview").glob("*.html"))[:300]
        sample = [p.read_text(encoding="utf-8") for p in previews]
        one_by_one = engine_alone(Path(tmp) / "previews", sample).wall

    print(
        f"load + validate:   {ours:6.2f} s   PyYAML C loader alone {c_loader:.2f} s   "
        f"ratio {ours / c_loader:.2f}x (target <= 1.3x)"
    )
    print(f"HTML letters:      {letters / html_time:8,.0f} letters/s ({html_time:.2f} s)")
    print(
        f"goodwill letters:  {first_time:6.2f} s for {letters:,} letters, "
        f"{len(people):,} envelopes and labels; PDF {pdf_time:.2f} s on "
        f"{stats.workers} worker(s) = {letters / pdf_time:,.0f} letters/s"
    )
    print(
        f"engine alone:      {alone.wall:6.2f} s (WeasyPrint, one process, the same "
        f"{len(documents)} HTML documents)"
    )
    print(
        f"                   ({len(sample) / one_by_one:.0f} letters/s when each letter is its "
        f"own document, e.g. the HTML previews, {len(sample)} of them)"
    )
    print(f"ratio:             {first_time / alone.wall:.2f}x the engine alone (target <= 0.7x)")
    print(
        f"CPU time:          goodwill {ours_cpu:.2f} s (all its processes), engine alone "
        f"{alone.cpu:.2f} s: {ours_cpu / alone.cpu:.2f}x the work"
    )
    print(
        f"other processes:   kept {ours_usage.other_cores:.1f} of {cores} core(s) busy during "
        f"goodwill letters, {alone.other_cores:.1f} during the engine alone"
    )
    if max(ours_usage.other_cores, alone.other_cores) > 0.25 * cores:
        print(
            "                   (a busy machine: the workers could not have every core, so the "
            "wall-clock ratio above overstates goodwill's; compare the CPU times)"
        )
    print(
        f"peak memory:       {memory.peak_kb / 1024:.0f} MB for all processes at once "
        f"(main {main_peak:.0f} MB, largest PDF worker {stats.worker_peak_kb / 1024:.0f} MB; "
        "target < 500 MB)"
    )
    work = "did PDF work!" if second.pdf.did_pdf_work else "no PDF work"
    print(
        f"second run:        {second_time:6.2f} s, {work} "
        f"({second.pdf.rendered} parts rendered, {second.pdf.written} files written)"
    )


if __name__ == "__main__":
    main()
