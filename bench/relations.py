"""Benchmark: importing an address book, and the agenda over a large network.

Prints, in one run:
(a) `goodwill import contacts` of N vCards (3.0, with e-mails, phones, an
    address, a note and categories) into a blank starter, against vobject alone
    parsing the same file (readComponents over the whole text, touching every
    card), best of two runs each; target: import <= 2x vobject alone;
(b) `build_agenda` over N contacts, 2N referrals and 5N interactions, after
    loading them; target: < 1 s. The loading time is printed for reference.

    python bench/relations.py            # N = 10,000
    python bench/relations.py --quick    # N = 1,000
    python bench/relations.py 5000
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import random
import sys
import tempfile
import time
from pathlib import Path

import vobject

from goodwill.core.errors import Collector
from goodwill.core.project import Project
from goodwill.relations.agenda import build_agenda
from goodwill.relations.importer import import_contacts
from goodwill.relations.records import load_records
from goodwill.scaffold import StarterDetails, init_starter

FIRST = ["María", "Dan", "Priya", "Tom", "Aisha", "Li", "Sophie", "Jürgen", "Chloé", "Ben"]
LAST = ["López", "Park", "Shah", "Hughes", "Bello", "Wei", "Martin", "Müller", "Ng", "Adeyemi"]
KINDS = ["met", "call", "email", "message", "gift", "intro", "event"]
TODAY = dt.date(2026, 11, 20)


def vcards(n: int) -> str:
    cards = []
    for i in range(n):
        first, last = FIRST[i % 10], LAST[(i // 10) % 10]
        cards.append(
            "BEGIN:VCARD\r\nVERSION:3.0\r\n"
            f"FN:{first} {last} {i}\r\nN:{last} {i};{first};;;\r\n"
            f"EMAIL;TYPE=INTERNET;TYPE=pref:person{i}@example.org\r\n"
            f"EMAIL;TYPE=INTERNET;TYPE=HOME:home{i}@mail.example\r\n"
            f"TEL;TYPE=CELL:+44 7700 9{i:05d}\r\nTEL;TYPE=WORK:+44 117 4{i:06d}\r\n"
            f"ADR;TYPE=WORK:;;{i} Harbour Street;Bristol;;BS1 {i % 9}AB;United Kingdom\r\n"
            f"ORG:Company {i % 700};Sales\r\nTITLE:Director\r\n"
            f"NOTE:Met at the chamber breakfast in {2010 + i % 15}. Likes long walks\\,\r\n"
            " good coffee and short meetings.\r\n"
            f"CATEGORIES:clients,group-{i % 12}\r\nEND:VCARD\r\n"
        )
    return "".join(cards)


def vobject_alone(text: str) -> float:
    start = time.perf_counter()
    count = 0
    for card in vobject.readComponents(text):
        count += len(card.contents)
    assert count
    return time.perf_counter() - start


def bench_import(n: int, work: Path) -> tuple[float, float]:
    """Best of two runs each: import into a fresh starter, and vobject alone."""
    book = work / "contacts.vcf"
    book.write_text(vcards(n), encoding="utf-8")
    text = book.read_text(encoding="utf-8")
    alone = min(vobject_alone(text) for _ in range(2))
    took = float("inf")
    for attempt in range(2):
        project = Project(init_starter(work / f"import-{attempt}", StarterDetails()))
        start = time.perf_counter()
        result = import_contacts(project, book)
        took = min(took, time.perf_counter() - start)
        assert len(result.added) == n, (len(result.added), result.problems[:3])
    return took, alone


def network(n: int, folder: Path) -> None:
    rng = random.Random(7)
    contacts, referrals, touches = [], [], []
    for i in range(n):
        contacts.append(f"- id: c{i}\n  name: Person {i}\n  email: p{i}@example.org\n")
    for i in range(2 * n):
        day = TODAY - dt.timedelta(days=rng.randrange(400))
        status = rng.choice(["new", "contacted", "won", "lost"])
        thanked = f"  thanked: {day + dt.timedelta(days=1)}\n" if rng.random() < 0.8 else ""
        referrals.append(
            f"- id: r{i}\n  date: {day}\n  direction: {rng.choice(['received', 'given'])}\n"
            f"  contact: c{rng.randrange(n)}\n  referred: Someone {i}\n  for: work {i}\n"
            f"  status: {status}\n{thanked}"
        )
    for _ in range(5 * n):
        day = TODAY - dt.timedelta(days=rng.randrange(500))
        touches.append(
            f"- date: {day}\n  contact: c{rng.randrange(n)}\n  kind: {rng.choice(KINDS)}\n"
        )
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "contacts.yaml").write_text("".join(contacts))
    (folder / "referrals.yaml").write_text("".join(referrals))
    (folder / "interactions.yaml").write_text("".join(touches))


def bench_agenda(n: int, work: Path) -> tuple[float, float, int]:
    folder = work / "network" / "records"
    network(n, folder)
    start = time.perf_counter()
    problems = Collector()
    records = load_records(folder, problems)
    loaded = time.perf_counter() - start
    assert not problems.errors, problems.errors[:3]
    gc.collect()  # the loader's garbage is not the agenda's cost
    start = time.perf_counter()
    items = build_agenda(records, TODAY, 14, check_in_days=90)
    return time.perf_counter() - start, loaded, len(items)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("n", nargs="?", type=int, default=10_000)
    parser.add_argument("--quick", action="store_true", help="N = 1,000")
    args = parser.parse_args()
    n = 1_000 if args.quick else args.n
    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        took, alone = bench_import(n, work)
        ratio = took / alone
        ok = ratio <= 2.0
        failed |= not ok
        print(f"(a) import {n:,} vCards: {took:.2f} s; vobject alone: {alone:.2f} s")
        print(f"    ratio {ratio:.2f}x (target <= 2.00x): {'PASS' if ok else 'FAIL'}")
        took, loaded, count = bench_agenda(n, work)
        ok = took < 1.0
        failed |= not ok
        print(
            f"(b) agenda over {n:,} contacts, {2 * n:,} referrals, {5 * n:,} interactions: "
            f"{took:.3f} s ({count:,} items; loading took {loaded:.2f} s)"
        )
        print(f"    target < 1 s: {'PASS' if ok else 'FAIL'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
