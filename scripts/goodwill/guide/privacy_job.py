"""One privacy scan: read the needles, scan the sources and staged pages, then the site.

Runs in the build's own process for small record files, and as a child process
(`python -m goodwill.guide.privacy_job JOB.json`) for large ones, so that reading
10,000 contacts and scanning the Markdown happen while MkDocs builds. The child
reads the job from the file, then one JSON line on stdin: the built site's folder
(after MkDocs; null when the build stopped). It answers one JSON document on stdout:
the hits, or the error that stopped it.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import asdict
from pathlib import Path

from goodwill.core.errors import GoodwillError
from goodwill.core.outdir import PRIVATE_FILE_MODE, private_dir, write_atomic
from goodwill.digest.subscribers import address_key
from goodwill.guide.privacy_scan import Hit, Needle, Needles, scan_files, tree_files
from goodwill.relations.private_fields import contact_files, contact_stamps, read_contact_secrets


class ScanJob:
    """`spec`: records_dir, cache (a file, or None), allowed ({contact id: [e-mails]}),
    feeds ([[name, url]]), sources ([[shown, path]]), docs (the staged folder, or None),
    and optionally subscribers (subscribers.yaml, or None) and own (addresses the site may
    show although they subscribe: the owner's, the authors', consented spotlights')."""

    def __init__(self, spec: dict):
        self.spec = spec
        self.matcher = self._needles().compile()
        self.hits: list[Hit] = []
        self.reported: set[Needle] = set()

    def _needles(self) -> Needles:
        """Built from the records, or taken from the cache when nothing they depend on
        changed (the contacts files' stamps, what spotlights allow, the private feeds)."""
        spec = self.spec
        records_dir = Path(spec["records_dir"])
        subscribers = Path(spec["subscribers"]) if spec.get("subscribers") else None
        key = {
            "version": CACHE_VERSION,
            "files": contact_stamps(contact_files(records_dir)),
            "allowed": spec["allowed"],
            "feeds": spec["feeds"],
            "subscribers": contact_stamps([subscribers]) if _exists(subscribers) else [],
            "own": spec.get("own", []),
        }
        cache = Path(spec["cache"]) if spec.get("cache") else None
        cached = _cached_needles(cache, key) if cache else None
        if cached is not None:
            return cached
        needles = Needles()
        allowed = spec["allowed"]
        items_cache = cache.with_name(ITEMS_CACHE) if cache else None
        memo = _load_json(items_cache) if items_cache else None
        memo = memo if isinstance(memo, dict) else {}
        secrets = read_contact_secrets(records_dir, memo)
        for c in secrets:
            needles.add_contact(
                c.id, c.emails, c.phones, c.address_lines, c.notes, allowed.get(c.id, ())
            )
        for name, url in spec["feeds"]:
            needles.add_feed(name, url)
        shown = [*spec.get("own", []), *(e for emails in allowed.values() for e in emails)]
        may_show = {address_key(address) for address in shown}
        for email, line in emails_in(subscribers) if subscribers else []:
            if address_key(email) not in may_show:
                needles.add_subscriber(email, f"{subscribers.name}, line {line}")
        if cache:
            _save_private(cache, {"key": key, "needles": needles.to_json()})
            _save_private(items_cache, memo)
        return needles

    def scan_before_site(self) -> None:
        """The public sources (with line numbers), then the staged pages."""
        if self.matcher.empty:
            return
        sources = [(shown, Path(path)) for shown, path in self.spec["sources"]]
        self._keep(scan_files(self.matcher, sources, with_lines=True), only_new=False)
        if self.spec.get("docs"):
            # Staged articles are their sources (scanned above) in a template; what the
            # template adds shows in the built pages. The other staged pages are new.
            self._scan_tree(Path(self.spec["docs"]), "generated page ", skip="articles/")

    def scan_site(self, site_dir: Path, site_name: str) -> None:
        if not self.matcher.empty:
            self._scan_tree(site_dir, f"{site_name}/")

    def _scan_tree(self, folder: Path, label: str, skip: str = "") -> None:
        shown = [
            (f"{label}{name[2:]}", path)
            for name, path in tree_files(folder, ".")
            if not (skip and name[2:].startswith(skip))
        ]
        self._keep(scan_files(self.matcher, shown, with_lines=False), only_new=True)

    def _keep(self, hits: list[Hit], only_new: bool) -> None:
        """Sources report every hit; generated pages only what no source explained."""
        for hit in hits:
            if only_new and hit.needle in self.reported:
                continue
            self.hits.append(hit)
            if only_new:
                self.reported.add(hit.needle)
        if not only_new:
            self.reported.update(hit.needle for hit in hits)


CACHE_VERSION = 3  # 2: flat lists of needles and owners; 3: subscribers

# Anything shaped like an address (the characters an address may hold before its @),
# wherever it stands in the file, a comment too: the list may be hand-edited or broken,
# and every address in it is a reader's.
_EMAIL = re.compile(rb"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")


def _exists(path: Path | None) -> bool:
    return path is not None and path.is_file()


def emails_in(path: Path) -> list[tuple[str, int]]:
    """(address, line) of every e-mail address written in a file."""
    try:
        data = path.read_bytes()
    except OSError:
        return []
    found = []
    for number, line in enumerate(data.split(b"\n"), start=1):
        for match in _EMAIL.finditer(line):
            found.append((match.group(0).decode("ascii", "replace"), number))
    return found


ITEMS_CACHE = "privacy-items.json"  # beside the needles: each contact's strings by item text


def _cached_needles(cache: Path, key: dict) -> Needles | None:
    data = _load_json(cache)
    try:
        return Needles.from_json(data["needles"]) if data.get("key") == key else None
    except (KeyError, TypeError, ValueError, IndexError, AttributeError):
        return None  # damaged: read the records


def _load_json(path: Path):
    try:
        return json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None  # absent or damaged: the records are read again


def _save_private(path: Path, data) -> None:
    """Owner-only, in the git-ignored state folder: it holds what the records hold."""
    try:
        private_dir(path.parent)
        write_atomic(path, json.dumps(data, ensure_ascii=False).encode("utf-8"), PRIVATE_FILE_MODE)
    except OSError:
        pass  # a cache that cannot be written costs time, nothing else


def hits_to_json(hits: list[Hit]) -> list[dict]:
    return [{"where": h.where, "line": h.line, **asdict(h.needle)} for h in hits]


def hits_from_json(data: list[dict]) -> list[Hit]:
    return [
        Hit(d["where"], d["line"], Needle(d["kind"], d["owner"], d["allowed_by_spotlight"]))
        for d in data
    ]


def _main() -> None:
    try:
        job = ScanJob(json.loads(Path(sys.argv[1]).read_bytes()))
        job.scan_before_site()
        site = json.loads(sys.stdin.readline() or "null")
        if site is None:
            return  # the build stopped before MkDocs finished
        job.scan_site(Path(site["site"]), site["name"])
        answer = {"hits": hits_to_json(job.hits)}
    except GoodwillError as exc:
        problem = exc.problem
        path = str(problem.path) if problem.path is not None else None
        answer = {
            "error": {
                "message": problem.message,
                "path": path,
                "line": problem.line,
                "hint": problem.hint,
            }
        }
    sys.stdout.write(json.dumps(answer, ensure_ascii=False))


if __name__ == "__main__":
    _main()
