"""The build's privacy check: what to look for, where, and how it is reported.

Needles come from every contact (read in a child process while MkDocs builds,
when the files are large), from feeds marked `private: true`, minus what
consented spotlights may show. The public sources are scanned with line numbers;
the staged pages and the built site (HTML, feeds, search index) are scanned too,
for anything a template or plugin added. A hit is an error: the site is not
swapped into place.
"""

from __future__ import annotations

from pathlib import Path

from goodwill.core.dates import today
from goodwill.core.errors import Collector
from goodwill.core.project import Project
from goodwill.core.public_files import PublicFiles, public_files
from goodwill.digest.sources import load_sources
from goodwill.guide.privacy_scan import Hit, Matcher, Needles, scan_files, tree_files
from goodwill.relations.private_fields import (
    ContactSecrets,
    SecretsReader,
    read_contact_secrets,
)
from goodwill.relations.records import Contact, record_files
from goodwill.relations.schema import CONTACT
from goodwill.relations.spotlights import consented, find_spotlights

# Below this many bytes of contacts, reading them here is faster than starting a process.
IN_PROCESS_BYTES = 256 * 1024


class PrivacyGuard:
    def __init__(self, project: Project, consented: list[Contact], background: bool = True):
        self.project = project
        self.allowed = {
            c.id: {c.email} for c in consented if c.email and "email" in c.spotlight.show
        }
        self._matcher: Matcher | None = None
        self._reader: SecretsReader | None = None
        contact_files = [p for p, schema in record_files(project.records_dir) if schema is CONTACT]
        if background and sum(p.stat().st_size for p in contact_files) > IN_PROCESS_BYTES:
            self._reader = SecretsReader(project.records_dir)

    def close(self) -> None:
        if self._reader is not None:
            self._reader.close()

    def matcher(self, problems: Collector) -> Matcher:
        """Every needle, compiled once (waits for the child process, if any)."""
        if self._matcher is None:
            if self._reader is not None:
                contacts = self._reader.result()
                self._reader = None
            else:
                contacts = read_contact_secrets(self.project.records_dir)
            self._matcher = self._compile(contacts, problems)
        return self._matcher

    def _compile(self, contacts: list[ContactSecrets], problems: Collector) -> Matcher:
        needles = Needles()
        for c in contacts:
            needles.add_contact(
                c.id, c.emails, c.phones, c.address_lines, c.notes, self.allowed.get(c.id, ())
            )
        feeds_problems = Collector()
        for source in load_sources(self.project, feeds_problems).sources:
            if source.private:
                needles.add_feed(source.name, source.url)
        feeds = self.project.feeds_file
        if feeds_problems.errors and feeds.is_file() and "private" in feeds.read_text("utf-8"):
            # A feed that did not load may be one marked private: do not guess.
            problems.extend(feeds_problems.errors)
        return needles.compile()

    def scan(
        self,
        public: PublicFiles,
        problems: Collector,
        docs_dir: Path | None = None,
        site_dir: Path | None = None,
        site_name: str = "site",
    ) -> None:
        """Record an error for each private detail found in the public pages."""
        matcher = self.matcher(problems)
        if matcher.empty:
            return
        sources = [(str(p), p) for p in public.files]
        hits = scan_files(matcher, sources, with_lines=True)
        reported = {hit.needle for hit in hits}
        for folder, label in ((docs_dir, "generated page "), (site_dir, f"{site_name}/")):
            if folder is None:
                continue
            shown = [(f"{label}{name[2:]}", p) for name, p in tree_files(folder, ".")]
            for hit in scan_files(matcher, shown, with_lines=False):
                if hit.needle not in reported:  # new: added by a template or a plugin
                    hits.append(hit)
                    reported.add(hit.needle)
        for hit in _one_per_place(hits):
            where = Path(hit.where) if Path(hit.where).is_absolute() else hit.where
            problems.error(where, hit.line, hit.message, hit.hint)


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
    guard.scan(public_files(project), problems)
