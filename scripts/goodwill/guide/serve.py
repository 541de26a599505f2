"""`goodwill serve`: a live preview on 127.0.0.1 that shows an edit within about a second.

The staged pages live as long as the preview: an edit rewrites only the staged files
whose text changed, and MkDocs' dirty mode rebuilds only those pages. Listings (home,
archive, tags, author pages) are regenerated on every round, so they stay right. A change
to mkdocs.yml or the templates rebuilds everything. Every round ends by checking that
the files did not change while it ran, so the preview always ends on their final text
(an editor that truncates and then writes is rebuilt after the write, too).
"""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.livereload import LiveReloadServer

from goodwill.core.dates import today
from goodwill.core.errors import Collector, GoodwillError
from goodwill.core.project import Project
from goodwill.core.siteconfig import check_site_config, read_site_config, site_author
from goodwill.guide.authors import load_authors
from goodwill.guide.build import load_guide_articles, pages_to_build, run_mkdocs
from goodwill.guide.dirty import SearchIndex, ThemeCache, remove_output
from goodwill.guide.incremental import CachedReader, StagedFiles, fingerprint
from goodwill.guide.links import check_guide_links
from goodwill.guide.search_offload import SearchWorker
from goodwill.guide.settings import load_guide_settings
from goodwill.guide.staging import stage_guide
from goodwill.relations.spotlights import consented, find_spotlights

HOST = "127.0.0.1"
POLL_SECONDS = 0.2  # how often the server looks for changed files
MAX_ROUNDS = 5  # rebuilds in a row while files keep changing


class Preview:
    """One serve session: its staging folder, its site folder, what it read last time."""

    def __init__(self, project: Project, workdir: Path, drafts: bool) -> None:
        self.project = project
        self.drafts = drafts
        self.docs_dir = workdir / "docs"
        self.site_dir = workdir / "site"
        self.files = StagedFiles(self.docs_dir)
        self.reader = CachedReader()
        self.themes = ThemeCache()
        self.search = SearchIndex(self.site_dir)
        self._layout: tuple | None = None  # mkdocs.yml and templates, as of the last build

    def watched(self) -> list[Path]:
        project = self.project
        paths = [project.content_dir, project.templates_dir, project.mkdocs_yml]
        return [p for p in [*paths, project.settings_file] if p.exists()]

    def rebuild(self) -> tuple[int, float, list[str]]:
        """Build until the inputs stay still; (articles, seconds, messages of failed rounds)."""
        started = time.perf_counter()
        failures: list[str] = []
        count = 0
        for _ in range(MAX_ROUNDS):
            before = fingerprint(self.watched())
            try:
                count = self._build_once()
                failures = []
            except GoodwillError as exc:
                failures = [exc.format(self.project.root)]
            if fingerprint(self.watched()) == before:
                break
        return count, time.perf_counter() - started, failures

    def _build_once(self) -> int:
        project = self.project
        problems = Collector()
        articles = load_guide_articles(project, problems, pin=True, read=self.reader)
        config = check_site_config(project, problems)
        author = site_author(config or {})
        load_authors(project, problems)
        load_guide_settings(project, problems)
        pages = pages_to_build(articles, drafts=self.drafts, future=True)
        check_guide_links(project, pages, author, problems)
        problems.sort()
        problems.raise_if_errors()
        layout = fingerprint([project.mkdocs_yml, project.templates_dir, project.settings_file])
        dirty = layout == self._layout
        if not dirty:  # first round, or mkdocs.yml or templates changed: render everything
            self.files = StagedFiles(self.docs_dir)
            self.themes = ThemeCache()
            shutil.rmtree(self.docs_dir, ignore_errors=True)
        # Consented spotlights: a preview shows the Partners pages the build publishes.
        partners = consented(find_spotlights(project.records_dir, problems), today())
        # A full round indexes in a worker, as a build does; a dirty one has few pages.
        worker = SearchWorker(0 if dirty else len(pages))
        try:
            stage_guide(
                project,
                pages,
                self.docs_dir,
                author,
                problems,
                files=self.files,
                list_drafts=True,
                partners=partners,
            )
            for rel in self.files.removed:
                remove_output(self.site_dir, rel)

            def prepare(config) -> None:
                self.themes.reuse(config)
                self.search.prepare(config)
                worker.attach(config)

            run_mkdocs(project, self.docs_dir, self.site_dir, False, dirty=dirty, prepare=prepare)
        finally:
            worker.close()
        self.search.merge(dirty, self.files.removed)
        self._layout = layout
        return len(pages)


def serve_preview(project: Project, *, port: int, drafts: bool, echo) -> None:
    """Serve the guide on 127.0.0.1:port until interrupted, rebuilding on changes."""
    workdir = Path(tempfile.mkdtemp(prefix="goodwill-serve-"))
    preview = Preview(project, workdir, drafts)

    def rebuild() -> None:
        count, seconds, failures = preview.rebuild()
        if failures:  # keep serving the last good build
            echo("build failed, still serving the previous version:\n" + "\n".join(failures))
        else:
            echo(f"rebuilt: {count} article(s) in {seconds:.1f} s")

    try:
        count, seconds, failures = preview.rebuild()
        if failures:
            raise GoodwillError("\n".join(failures))
        echo(f"built {count} article(s) in {seconds:.1f} s")
        server = LiveReloadServer(
            builder=rebuild,
            host=HOST,
            port=port,
            root=str(preview.site_dir),
            mount_path=_mount_path(project),
            polling_interval=POLL_SECONDS,
        )
        for path in preview.watched():
            server.watch(str(path))
        echo(f"Serving on http://{HOST}:{port}{_mount_path(project)} (Ctrl+C to stop)")
        try:
            server.serve()
        except KeyboardInterrupt:
            echo("stopped")
        finally:
            server.shutdown()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _mount_path(project: Project) -> str:
    raw = read_site_config(project)
    path = urlsplit(raw.get("site_url") or "/").path or "/"
    return path if path.endswith("/") else path + "/"
