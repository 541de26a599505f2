"""`goodwill digest new`: write the next issue from entries no earlier issue contains.

What was already sent is read from the committed issues' front matter (the ids
of their entries and the canonical links), never from the cache, so a deleted
cache cannot bring old entries back. An issue is written once, with "x" mode:
it is the user's file from then on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Protocol

import yaml

from goodwill.core.dates import DATE_HINT, parse_date, today
from goodwill.core.errors import Collector, GoodwillError
from goodwill.core.project import Project
from goodwill.core.render import render
from goodwill.digest.cache import Cache, CachedEntry, cache_path, iso
from goodwill.digest.clock import now_utc
from goodwill.digest.issues import IssueFile, load_issues
from goodwill.digest.markdown_text import md_text, md_url
from goodwill.digest.network import NETWORK_GROUP, network_sources
from goodwill.digest.sanitize import summarize
from goodwill.digest.settings import DigestSettings, load_digest_settings
from goodwill.digest.sources import Source, load_sources

TEMPLATE = "digest/issue.md.j2"
UNTAGGED = "More good reading"


@dataclass
class IssueEntry:
    id: str
    title: str
    link: str | None
    canonical: str | None
    source: str
    date: dt.datetime
    summary_html: str
    group: str

    @property
    def title_md(self) -> str:
        return md_text(self.title)

    @property
    def source_md(self) -> str:
        return md_text(self.source)

    @property
    def link_md(self) -> str:
        return md_url(self.link) if self.link else ""


@dataclass
class Group:
    name: str
    entries: list[IssueEntry] = field(default_factory=list)

    @property
    def name_md(self) -> str:
        return md_text(self.name)


class GuideArticle(Protocol):
    """What an issue needs of a guide article."""

    slug: str
    date: dt.date
    title: str
    summary: str

    def is_published(self, on: dt.date) -> bool: ...


@dataclass
class IssuePlan:
    number: int
    date: dt.date
    title: str
    path: Path
    articles: list[GuideArticle]
    groups: list[Group]
    previous: IssueFile | None
    created: dt.datetime
    markdown: str = ""
    warnings: list[str] = field(default_factory=list)

    @property
    def entries(self) -> list[IssueEntry]:
        return [e for g in self.groups for e in g.entries]

    @property
    def is_empty(self) -> bool:
        return not self.articles and not self.entries


def plan_issue(
    project: Project,
    articles: Sequence[GuideArticle],
    *,
    since: str | None = None,
    title: str | None = None,
) -> IssuePlan:
    """Everything the next issue would contain (maybe nothing: see `is_empty`).

    `articles` are the guide's articles; the caller loads them, so the digest
    never imports the guide (the guide stages the digest's pages).
    """
    if title is not None and not title.strip():
        raise GoodwillError(
            "--title: the title is blank",
            hint="give a title, or leave --title out for digest.title in goodwill.yml",
        )
    since_date = _since(since)
    problems = Collector()
    settings = load_digest_settings(project, problems)
    sources = load_sources(project, problems)
    issues = load_issues(project, problems)
    problems.raise_if_errors()
    previous = issues[-1] if issues else None
    window = _Window(since_date, previous)
    sent_articles = {s for issue in issues for s in issue.articles}
    on = today()
    after = since_date or (previous.date if previous else None)
    new_articles = sorted(
        (
            a
            for a in articles
            if a.is_published(on)
            and a.slug not in sent_articles
            and (after is None or a.date >= after)
        ),
        key=lambda a: (a.date, a.slug),
        reverse=True,
    )
    # contacts' feeds too; problems of the records are the records check's to report
    enabled = sources.enabled + network_sources(project, Collector(), sources.sources)
    entries, last_fetch = _new_entries(project, enabled, settings, issues, window)
    number = max((i.number for i in issues), default=0) + 1
    heading = title or settings.title.format(number=number, date=on.isoformat())
    path = project.digest_dir / f"{on.isoformat()}-{number}.md"
    plan = IssuePlan(
        number,
        on,
        heading.strip(),
        path,
        new_articles,
        _group(entries, enabled, settings),
        previous,
        now_utc(),
    )
    stale = previous is not None and (last_fetch is None or last_fetch < previous.written_at)
    if since_date is None and enabled and stale:
        plan.warnings.append(
            f"no fetch since issue #{previous.number} was written "
            f"({iso(previous.written_at)}): entries published since then may be missing "
            "(run `goodwill digest fetch` first)"
        )
    if not plan.is_empty:
        plan.markdown = _render(project, plan)
    return plan


def write_issue(plan: IssuePlan) -> Path:
    """Write the planned issue; refuse to touch an existing file."""
    if plan.is_empty:
        raise GoodwillError("nothing new to put in an issue")
    plan.path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with plan.path.open("x", encoding="utf-8") as handle:
            handle.write(plan.markdown)
    except FileExistsError:
        raise GoodwillError(
            "an issue with this name already exists; it was left untouched",
            path=plan.path,
            hint="edit it, or rename it and run again",
        ) from None
    return plan.path


def _since(since: str | None) -> dt.date | None:
    if since is None:
        return None
    try:
        return parse_date(since)
    except ValueError as exc:
        raise GoodwillError(f"--since: {exc}", hint=DATE_HINT) from None


@dataclass
class _Window:
    """Which entries are recent enough for the next issue."""

    since: dt.date | None  # --since: published on or after it
    previous: IssueFile | None  # else: relative to the last issue

    def admits(self, entry: CachedEntry) -> bool:
        if self.since is not None:
            return entry.published.date() >= self.since
        if self.previous is None or entry.published.date() >= self.previous.date:
            return True
        # Dated before the last issue but first seen after it was written (a back-dated
        # post, a feed that was down): never sent, so new to the readers. A feed's first
        # fetch (a new subscription's archive, a deleted cache) says nothing by its
        # first-seen time: those entries count by their date only.
        return not entry.baseline and entry.first_seen > self.previous.written_at


def _new_entries(
    project: Project,
    sources: list[Source],
    settings: DigestSettings,
    issues: list[IssueFile],
    window: _Window,
) -> tuple[list[tuple[Source, CachedEntry]], dt.datetime | None]:
    """The entries for the next issue, and when the feeds were last fetched.

    An entry is left out when an earlier issue has its id or its canonical link. An entry
    that several feeds carry goes to the first of them in feeds.yaml, so the choice never
    depends on which download finished first.
    """
    if not cache_path(project).is_file():
        return [], None
    by_url = {s.url: s for s in sources}
    rank = {s.url: index for index, s in enumerate(sources)}
    with Cache(cache_path(project)) as cache:
        cached = cache.entries(list(by_url))
        last_fetch = cache.last_checked(list(by_url))
        titles = cache.feed_names([s.url for s in sources if s.contact])
    for url, title in titles.items():  # a contact's feed is shown by its own title
        by_url[url] = replace(by_url[url], name=title)
    sent_ids = {i for issue in issues for i in issue.entries}
    sent_links = {link for issue in issues for link in issue.links}
    candidates = [
        e
        for e in cached
        if e.id not in sent_ids and e.canonical not in sent_links and window.admits(e)
    ]
    candidates.sort(key=lambda e: (rank[e.feed_url], -e.published.timestamp(), e.id))
    ids: set[str] = set()
    links: set[str] = set()
    taken: dict[str, int] = {}
    chosen = []
    for entry in candidates:
        if entry.id in ids or (entry.canonical and entry.canonical in links):
            continue
        ids.add(entry.id)
        if entry.canonical:
            links.add(entry.canonical)
        source = by_url[entry.feed_url]
        if taken.get(source.url, 0) >= (source.max_items or settings.max_items):
            continue
        taken[source.url] = taken.get(source.url, 0) + 1
        chosen.append((source, entry))
    chosen.sort(key=lambda pair: (-pair[1].published.timestamp(), rank[pair[0].url], pair[1].id))
    return chosen, last_fetch


def _group(chosen, sources: list[Source], settings: DigestSettings) -> list[Group]:
    groups: dict[str, Group] = {}
    for source, entry in chosen:
        if source.contact:
            name = NETWORK_GROUP
        elif settings.group_by == "source":
            name = source.name
        else:
            name = _tag_title(source.tags[0]) if source.tags else UNTAGGED
        group = groups.setdefault(name, Group(name))
        summary = summarize(entry.body, entry.base_url, settings.summary_chars)
        group.entries.append(
            IssueEntry(
                entry.id,
                entry.title,
                entry.link,
                entry.canonical,
                source.name,
                entry.published,
                summary if entry.body else "",
                name,
            )
        )
    if settings.group_by == "source":
        order = {s.name: index for index, s in enumerate(sources)}
        order[NETWORK_GROUP] = -1
        return sorted(groups.values(), key=lambda g: order.get(g.name, len(order)))
    return sorted(
        groups.values(),
        key=lambda g: (g.name != NETWORK_GROUP, g.name == UNTAGGED, g.name.casefold()),
    )


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _tag_title(tag: str) -> str:
    return tag[:1].upper() + tag[1:].replace("-", " ")


def _render(project: Project, plan: IssuePlan) -> str:
    entries = plan.entries
    sources = sorted({e.source for e in entries})
    parts = []
    if plan.articles:
        parts.append(f"{_count(len(plan.articles), 'new article')} from the guide")
    if entries:
        parts.append(f"{_count(len(entries), 'link')} from {_count(len(sources), 'source')}")
    meta = {
        "number": plan.number,
        "date": plan.date,
        "title": plan.title,
        "description": "; ".join(parts) + ".",
        "created": iso(plan.created),
        "articles": [a.slug for a in plan.articles],
        "entries": [e.id for e in entries],
        "links": [e.canonical for e in entries if e.canonical],
    }
    context = {
        "issue": plan,
        "front_matter": yaml.safe_dump(
            meta, allow_unicode=True, sort_keys=False, width=1000
        ).strip(),
        "articles": [
            {
                "slug": a.slug,
                "date": a.date,
                "title_md": md_text(a.title),
                "description_md": md_text(a.summary),
            }
            for a in plan.articles
        ],
        "groups": plan.groups,
    }
    return render(project.templates_dir, TEMPLATE, context, subject=f"issue #{plan.number}")
