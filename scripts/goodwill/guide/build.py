"""Build the guide: validate, stage public Markdown, run MkDocs, swap into place.

A failed build leaves the previous site untouched: MkDocs writes into a fresh
folder beside it, which replaces the old site only when everything succeeded.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import time
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from pathlib import Path

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

from mkdocs import exceptions as mkdocs_errors  # noqa: E402
from mkdocs.commands.build import build as mkdocs_build  # noqa: E402
from mkdocs.config import load_config  # noqa: E402

from goodwill.core.dates import today  # noqa: E402
from goodwill.core.errors import Collector, GoodwillError, Problem  # noqa: E402
from goodwill.core.private_check import check_private_dir  # noqa: E402
from goodwill.core.project import Project  # noqa: E402
from goodwill.core.public_files import PublicFiles, check_public_links, public_files  # noqa: E402
from goodwill.core.siteconfig import (  # noqa: E402
    GUARD_PLUGIN,
    check_site_config,
    plugin_name,
    read_site_config,
    rss_instances,
    site_author,
)
from goodwill.guide.article_feeds import ARTICLE_FEEDS  # noqa: E402
from goodwill.guide.articles import Article, load_articles  # noqa: E402
from goodwill.guide.authors import authors_file, collect_authors, load_authors  # noqa: E402
from goodwill.guide.collections_pause import fewer_collections  # noqa: E402
from goodwill.guide.compiled_templates import keep_compiled_templates  # noqa: E402
from goodwill.guide.feeds import finish_feeds  # noqa: E402
from goodwill.guide.incremental import staging_folder  # noqa: E402
from goodwill.guide.links import check_guide_links  # noqa: E402
from goodwill.guide.listing_splice import SplicedLists  # noqa: E402
from goodwill.guide.listings import warn_old_tags_template  # noqa: E402
from goodwill.guide.nav_check import warn_unlisted_pages  # noqa: E402
from goodwill.guide.privacy_guard import PrivacyGuard  # noqa: E402
from goodwill.guide.search_offload import SearchWorker  # noqa: E402
from goodwill.guide.settings import load_guide_settings  # noqa: E402
from goodwill.guide.staging import stage_guide  # noqa: E402
from goodwill.guide.swap import build_folder, swap_into_place  # noqa: E402
from goodwill.guide.theme_memo import memoize_theme  # noqa: E402
from goodwill.guide.zensical import engine_docs_dir, require_zensical, run_zensical  # noqa: E402
from goodwill.relations.spotlights import consented, find_spotlights  # noqa: E402


@dataclass
class BuildResult:
    site_dir: Path
    published: list[Article]
    drafts_skipped: int = 0
    scheduled: list[Article] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    seconds: float = 0.0
    scan_seconds: float = 0.0  # the privacy scan's own time (waiting for the contacts included)


def load_guide_articles(
    project: Project,
    problems: Collector,
    public: PublicFiles | None = None,
    *,
    pin: bool = False,
    read=None,
) -> list[Article]:
    """The articles under content/articles/ (symbolic links only as public_files allows)."""
    if not project.articles_dir.is_dir():
        problems.warning(
            project.articles_dir,
            None,
            "no articles folder",
            'create one with `goodwill new article "Title"`',
        )
        return []
    public = public or public_files(project)
    articles_dir = project.articles_dir
    return load_articles(articles_dir, problems, public.under(articles_dir), pin=pin, read=read)


def pages_to_build(articles: list[Article], *, drafts: bool, future: bool) -> list[Article]:
    """The articles that get a page: published ones, plus drafts and scheduled ones if asked."""
    on = today()
    return [a for a in articles if (drafts or not a.draft) and (future or a.date <= on)]


def check_guide(project: Project, problems: Collector) -> None:
    """`goodwill check`: the guide's files and links, as a default build sees them."""
    articles = load_guide_articles(project, problems)
    config = check_site_config(project, problems) or {}
    known = load_authors(project, problems)
    load_guide_settings(project, problems)
    pages = pages_to_build(articles, drafts=False, future=False)
    collect_authors(pages, known, site_author(config), problems, path=authors_file(project))
    check_guide_links(project, pages, site_author(config), problems)
    warn_old_tags_template(project, problems)


@contextlib.contextmanager
def _staging(project: Project, engine: str, work: Path):
    """Where the pages are staged: Zensical needs a folder inside the project (it reads a
    relative docs_dir only); MkDocs takes the fastest place staging_folder finds."""
    if engine != "zensical":
        with staging_folder(work) as docs:
            yield docs
        return
    docs = engine_docs_dir(project, work)
    try:
        yield docs
    finally:
        shutil.rmtree(docs.parent, ignore_errors=True)


def build_guide(
    project: Project,
    *,
    drafts: bool = False,
    future: bool = False,
    strict: bool = False,
    site_dir: Path | None = None,
    problems: Collector | None = None,
    engine: str | None = None,
) -> BuildResult:
    """Validate and build the guide into `site_dir` (default: the project's site/).

    Drafts (`drafts`) and scheduled articles (`future`) get pages, marked; drafts stay out
    of every listing and feed, scheduled articles out of the feeds."""
    started = time.perf_counter()
    problems = problems or Collector()
    site_dir = (site_dir or project.site_dir).resolve()
    _refuse_unsafe_site_dir(project, site_dir)
    settings = load_guide_settings(project, problems)
    engine = engine or settings.engine
    if engine == "zensical":
        require_zensical()
    check_private_dir(project, problems)
    public = check_public_links(project, problems)
    articles = load_guide_articles(project, problems, public, pin=True)
    config = check_site_config(project, problems)
    author = site_author(config or {})
    load_authors(project, problems)
    spotlights = find_spotlights(project.records_dir, problems)
    warn_unlisted_pages(project, public, config or {}, problems)
    pages = pages_to_build(articles, drafts=drafts, future=future)
    check_guide_links(project, pages, author, problems, strict, public)
    problems.sort()
    problems.raise_if_errors(strict)

    on = today()
    result = BuildResult(site_dir, [], warnings=problems.warnings)
    result.drafts_skipped = sum(1 for a in articles if a.draft and not drafts)
    result.scheduled = [a for a in articles if a.is_scheduled(on)]

    site_dir.parent.mkdir(parents=True, exist_ok=True)
    partners = consented(spotlights, on)
    guard = PrivacyGuard(project, partners)
    # The search worker starts while the pages are staged (when there is search to build).
    searched = _lists_search(read_site_config(project))
    search = SearchWorker(len(pages) if searched else 0) if engine == "mkdocs" else None
    lists = SplicedLists() if engine == "mkdocs" else None

    def prepare(config) -> None:
        search.attach(config)
        lists.attach(config)

    try:
        with build_folder(site_dir) as work, _staging(project, engine, work) as docs:
            staged = stage_guide(
                project, pages, docs, author, problems, public, splice=lists, partners=partners
            )
            guard.start(public, problems, docs)  # in the background: many contacts
            if search is not None:
                messages = run_mkdocs(project, docs, work / "site", strict, prepare=prepare)
            else:
                messages = run_zensical(project, docs, work / "site", strict)
            for message in messages:
                problems.warning(None, None, f"{engine}: {message}")
            finish_feeds(work / "site")
            started_scan = time.perf_counter()
            # Before the staged pages go: the scan reads them too.
            guard.finish(problems, work / "site", site_dir.name)
            result.scan_seconds = time.perf_counter() - started_scan
            problems.raise_if_errors(strict)
            swap_into_place(work / "site", site_dir, work)
    finally:
        try:
            guard.close()
        finally:
            if search is not None:
                search.close()
    result.published = [a for a in staged.articles if not a.draft and a.date <= on]
    result.warnings = problems.warnings
    result.seconds = time.perf_counter() - started
    return result


def _refuse_unsafe_site_dir(project: Project, site_dir: Path) -> None:
    root = project.root.resolve()
    protected = [root, project.content_dir.resolve(), project.templates_dir.resolve()]
    if site_dir in protected or any(p in site_dir.parents for p in protected[1:]):
        raise GoodwillError(
            f"refusing to build into {site_dir}: it holds your own files",
            hint="choose an empty folder such as site/",
        )
    # The old site is replaced wholesale: never let that be a folder of other files.
    if site_dir.is_dir() and any(site_dir.iterdir()) and not (site_dir / "index.html").is_file():
        raise GoodwillError(
            f"refusing to replace {site_dir}: it is not empty and holds no built site",
            hint="choose a new folder, or empty this one first",
        )


def _plugins_goodwill_runs(project: Project) -> dict:
    """mkdocs.yml's plugins as goodwill builds with them: without the guard meant for
    hand-run MkDocs (goodwill builds from staged public pages), and without the rss
    plugin an older mkdocs.yml may still list when it is not installed."""
    raw = read_site_config(project)
    plugins = raw.get("plugins")
    if not isinstance(plugins, list):
        return {}
    missing_rss = any(True for _ in rss_instances(raw)) and not entry_points(
        group="mkdocs.plugins", name="rss"
    )
    kept = [
        p for p in plugins if plugin_name(p) != GUARD_PLUGIN and not (missing_rss and _is_rss(p))
    ]
    return {"plugins": kept} if len(kept) != len(plugins) else {}


def _lists_search(raw: dict) -> bool:
    """MkDocs runs its search plugin unless `plugins:` is given without it."""
    plugins = raw.get("plugins")
    if not isinstance(plugins, list):
        return True
    return any(plugin_name(p) in ("search", "material/search") for p in plugins)


def _is_rss(plugin) -> bool:
    return plugin_name(plugin) == "rss"


def _writes_article_feeds(plugin) -> bool:
    names = getattr(plugin.config, "feeds_filenames", None)
    written = {getattr(names, key, None) for key in _PLUGIN_FEED_KEYS}
    return bool(written & set(ARTICLE_FEEDS))


_PLUGIN_FEED_KEYS = ("rss_created", "rss_updated", "json_created", "json_updated")


class _MkdocsLog(logging.Handler):
    """Collect MkDocs warnings so they can be shown as goodwill problems."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def run_mkdocs(
    project: Project,
    docs_dir: Path,
    site_dir: Path,
    strict: bool,
    *,
    dirty: bool = False,
    prepare=None,
) -> list[str]:
    """Build with MkDocs in this process; returns its warnings.

    `dirty` (previews): rebuild only pages whose staged file is newer than its output.
    An rss plugin still listed by an older project is turned off where it would overwrite
    the feeds goodwill staged (and in previews, where it would list only rebuilt pages).
    `prepare(config)` may adjust the loaded configuration first."""
    log = logging.getLogger("mkdocs")
    handler = _MkdocsLog()
    previous_level, previous_propagate = log.level, log.propagate
    log.addHandler(handler)
    log.setLevel(logging.WARNING)
    log.propagate = False
    try:
        config = load_config(
            config_file=str(project.mkdocs_yml),
            docs_dir=str(docs_dir),
            site_dir=str(site_dir),
            strict=strict,
            **_plugins_goodwill_runs(project),
        )
        config.plugins.on_startup(command="serve" if dirty else "build", dirty=dirty)
        for name, plugin in config.plugins.items():
            if name.split(" ")[0] == "rss" and (dirty or _writes_article_feeds(plugin)):
                plugin.config.enabled = False  # goodwill wrote these feeds while staging
        memoize_theme(config)
        keep_compiled_templates(config, project.state_dir)
        if prepare is not None:
            prepare(config)
        try:
            with fewer_collections():
                mkdocs_build(config, dirty=dirty)
        finally:
            config.plugins.on_shutdown()
    except mkdocs_errors.ConfigurationError as exc:
        raise GoodwillError(
            f"mkdocs.yml: {exc}",
            path=project.mkdocs_yml,
            hint="see https://www.mkdocs.org/user-guide/configuration/",
        ) from None
    except (mkdocs_errors.Abort, mkdocs_errors.BuildError) as exc:
        details = "; ".join(handler.messages[-5:])
        raise GoodwillError(
            f"MkDocs build failed: {exc} {details}".strip(), path=project.mkdocs_yml
        ) from None
    finally:
        log.removeHandler(handler)
        log.setLevel(previous_level)
        log.propagate = previous_propagate
    return handler.messages
