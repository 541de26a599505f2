"""The build's privacy check: what to look for, where, and how it is reported.

Needles come from every contact, every address in the digest's subscribers file
(except those published on purpose: in mkdocs.yml, goodwill.yml, authors.yaml or a
consented spotlight) and from feeds
marked `private: true`, minus what consented spotlights may show. The public
sources are scanned with line numbers; the staged pages and the built site (HTML,
feeds, search index) are scanned too, for anything a template or plugin added. A
hit is an error: the site is not swapped into place. With large record files the work runs in a
child process (see privacy_job), started before MkDocs and finished after it.
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from goodwill.core.dates import today
from goodwill.core.errors import Collector, GoodwillError
from goodwill.core.processes import child_environment
from goodwill.core.project import Project
from goodwill.core.public_files import PublicFiles, public_files
from goodwill.digest.sources import load_sources
from goodwill.guide.authors import authors_file
from goodwill.guide.privacy_job import ScanJob, emails_in, hits_from_json
from goodwill.guide.privacy_scan import Hit
from goodwill.relations.records import Contact, record_files
from goodwill.relations.schema import CONTACT
from goodwill.relations.spotlights import consented, find_spotlights

# Below this many bytes of contacts, scanning here is faster than starting a process.
IN_PROCESS_BYTES = 256 * 1024
CACHE_NAME = "privacy-scan.json"  # contacts' private strings, owner-only, git-ignored


class PrivacyGuard:
    def __init__(self, project: Project, partners: list[Contact], background: bool = True):
        self.project = project
        self.partners = partners
        contacts = [p for p, schema in record_files(project.records_dir) if schema is CONTACT]
        if project.subscribers_file.is_file():
            contacts.append(project.subscribers_file)
        self.background = background and (
            sum(p.stat().st_size for p in contacts) > IN_PROCESS_BYTES
        )
        self._job: ScanJob | None = None
        self._worker: _Worker | None = None

    def start(self, public: PublicFiles, problems: Collector, docs_dir: Path | None = None) -> None:
        """Read the needles and scan the sources and staged pages (in the background
        when the records are large)."""
        spec = {
            "records_dir": str(self.project.records_dir),
            "cache": str(self.project.state_dir / CACHE_NAME),
            "allowed": {
                c.id: [c.email] for c in self.partners if c.email and "email" in c.spotlight.show
            },
            "feeds": self._private_feeds(problems),
            "sources": [(str(p), str(p)) for p in public.files],
            "docs": str(docs_dir) if docs_dir else None,
            "subscribers": str(self.project.subscribers_file),
            "own": self._own_addresses(),
        }
        if self.background:
            self._worker = _Worker(spec)
        else:
            self._job = ScanJob(spec)
            self._job.scan_before_site()

    def finish(self, problems: Collector, site_dir: Path | None = None, name: str = "site"):
        """Scan the built site too, and record an error for each private detail found."""
        if self._worker is not None:
            hits = self._worker.finish(site_dir, name)
            self._worker = None
        else:
            if site_dir is not None:
                self._job.scan_site(site_dir, name)
            hits = self._job.hits
        for hit in _one_per_place(hits):
            where = Path(hit.where) if Path(hit.where).is_absolute() else hit.where
            problems.error(where, hit.line, hit.message, hit.hint)

    def close(self) -> None:
        if self._worker is not None:
            self._worker.close()
            self._worker = None

    def _own_addresses(self) -> list[str]:
        """The addresses written into the site's settings, goodwill's settings (a contact
        address, the digest's sender) and the authors' page details: published on
        purpose, so a page may show them even when their owner subscribes."""
        files = (self.project.mkdocs_yml, self.project.settings_file, authors_file(self.project))
        return sorted({email for path in files for email, _ in emails_in(path)})

    def _private_feeds(self, problems: Collector) -> list[tuple[str, str]]:
        feeds_problems = Collector()
        private = [
            (s.name, s.url) for s in load_sources(self.project, feeds_problems).sources if s.private
        ]
        feeds = self.project.feeds_file
        if feeds_problems.errors and feeds.is_file() and b"private" in feeds.read_bytes():
            problems.extend(feeds_problems.errors)  # the broken feed may be a private one
        return private


class _Worker:
    """The child process of one scan (plain `python -m`, never a fork of the build)."""

    def __init__(self, spec: dict):
        env = child_environment()
        # Files, not pipes, for the answers: a large answer can never block the child.
        self.output = tempfile.TemporaryFile()  # noqa: SIM115 - closed in close()
        self.errors = tempfile.TemporaryFile()  # noqa: SIM115
        # The job goes in a file named on the command line (a pipe would make the build
        # wait while the child starts); stdin only carries the short "site is built" line.
        self.job = tempfile.NamedTemporaryFile(suffix=".json", delete=False)  # noqa: SIM115
        self.job.write(json.dumps(spec).encode("utf-8"))
        self.job.close()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "goodwill.guide.privacy_job", self.job.name],
            stdin=subprocess.PIPE,
            stdout=self.output,
            stderr=self.errors,
            env=env,
        )

    def _send(self, data) -> None:
        try:
            self.process.stdin.write(json.dumps(data).encode("utf-8") + b"\n")
            self.process.stdin.flush()
        except BrokenPipeError:
            pass  # it died: finish() explains from its stderr

    def finish(self, site_dir: Path | None, name: str) -> list[Hit]:
        self._send({"site": str(site_dir), "name": name} if site_dir else None)
        with contextlib.suppress(BrokenPipeError):
            self.process.stdin.close()
        code = self.process.wait()
        self.output.seek(0)
        self.errors.seek(0)
        output = self.output.read().decode("utf-8", "replace")
        errors = self.errors.read().decode("utf-8", "replace")
        self.close()
        try:
            answer = json.loads(output)
        except ValueError:
            last = errors.strip().splitlines()[-1:] or [f"exit code {code}"]
            raise GoodwillError(
                f"the privacy check of the pages failed: {last[0]}",
                hint="nothing was published; run `goodwill check` to look for the cause",
            ) from None
        if "error" in answer:
            error = answer["error"]
            raise GoodwillError(
                error["message"], path=error["path"], line=error["line"], hint=error["hint"]
            )
        return hits_from_json(answer["hits"])

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        if self.process.stdin and not self.process.stdin.closed:
            with contextlib.suppress(BrokenPipeError):
                self.process.stdin.close()
        self.output.close()
        self.errors.close()
        Path(self.job.name).unlink(missing_ok=True)


def _one_per_place(hits: list[Hit]) -> list[Hit]:
    seen, kept = set(), []
    for hit in hits:
        key = (hit.where, hit.line, hit.needle.kind, hit.needle.owner)
        if key not in seen:
            seen.add(key)
            kept.append(hit)
    return kept


def check_page_privacy(project: Project, problems: Collector) -> None:
    """`goodwill check`'s part: the public sources scanned as a build would scan them."""
    partners = consented(find_spotlights(project.records_dir, Collector()), today())
    guard = PrivacyGuard(project, partners, background=False)
    guard.start(public_files(project), problems)
    guard.finish(problems)
