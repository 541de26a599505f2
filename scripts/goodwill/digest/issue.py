"""`goodwill digest new`: write the next issue from entries no earlier issue contains.

What was already sent is read from the committed issues' front matter, never
from the cache, so a deleted cache cannot bring old entries back. An issue is
written once, with "x" mode: it is the user's file from then on.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from goodwill.articles import Article
from goodwill.dates import parse_date, today
from goodwill.digest.cache import Cache, CachedEntry
from goodwill.digest.fetch import cache_path
from goodwill.digest.issues import IssueFile, load_issues
from goodwill.digest.markdown_text import md_text, md_url
from goodwill.digest.settings import DigestSettings, load_digest_settings
from goodwill.digest.sources import Source, load_sources
from goodwill.errors import Collector, GoodwillError
from goodwill.project import Project
from goodwill.render import render

TEMPLATE = "digest/issue.md.j2"
UNTAGGED = "More good reading"


@dataclass
class IssueEntry:
    id: str
    title: str
    link: str | None
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


@dataclass
class IssuePlan:
    number: int
    date: dt.date
    title: str
    path: Path
    articles: list[Article]
    groups: list[Group]
    previous: IssueFile | None
    markdown: str = ""

    @property
    def entries(self) -> list[IssueEntry]:
        return [e for g in self.groups for e in g.entries]

    @property
    def is_empty(self) -> bool:
        return not self.articles and not self.entries


def plan_issue(
    project: Project, *, since: str | None = None, title: str | None = None
) -> IssuePlan:
    """Everything the next issue would contain (maybe nothing: see `is_empty`)."""
    problems = Collector()
    settings = load_digest_settings(project, problems)
    sources = load_sources(project, problems)
    issues = load_issues(project, problems)
    from goodwill.guide import load_guide_articles  # the guide imports staging, which imports us

    articles = load_guide_articles(project, Collector())
    problems.raise_if_errors()
    since_date = _since(since, issues)
    previous = issues[-1] if issues else None
    sent_entries = {i for issue in issues for i in issue.entries}
    sent_articles = {s for issue in issues for s in issue.articles}
    on = today()
    new_articles = sorted(
        (
            a
            for a in articles
            if a.is_published(on)
            and a.slug not in sent_articles
            and (since_date is None or a.date >= since_date)
        ),
        key=lambda a: (a.date, a.slug),
        reverse=True,
    )
    entries = _new_entries(project, sources.enabled, settings, sent_entries, since_date)
    number = max((i.number for i in issues), default=0) + 1
    heading = title or settings.title.format(number=number, date=on.isoformat())
    path = project.digest_dir / f"{on.isoformat()}-{number}.md"
    plan = IssuePlan(
        number,
        on,
        heading.strip(),
        path,
        new_articles,
        _group(entries, sources.enabled, settings),
        previous,
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


def _since(since: str | None, issues: list[IssueFile]) -> dt.date | None:
    if since is not None:
        try:
            return parse_date(since)
        except ValueError as exc:
            raise GoodwillError(f"--since: {exc}") from None
    return issues[-1].date if issues else None


def _new_entries(
    project: Project,
    sources: list[Source],
    settings: DigestSettings,
    sent: set[str],
    since: dt.date | None,
) -> list[tuple[Source, CachedEntry]]:
    if not cache_path(project).is_file():
        return []
    by_url = {s.url: s for s in sources}
    with Cache(cache_path(project)) as cache:
        cached = cache.entries(list(by_url))
    taken: dict[str, int] = {}
    chosen = []
    for entry in cached:  # newest first
        if entry.id in sent or (entry.link and entry.link in sent):
            continue
        if since is not None and entry.published.date() < since:
            continue
        source = by_url[entry.feed_url]
        limit = source.max_items or settings.max_items
        if taken.get(source.url, 0) >= limit:
            continue
        taken[source.url] = taken.get(source.url, 0) + 1
        chosen.append((source, entry))
    return chosen


def _group(chosen, sources: list[Source], settings: DigestSettings) -> list[Group]:
    groups: dict[str, Group] = {}
    for source, entry in chosen:
        if settings.group_by == "source":
            name = source.name
        else:
            name = _tag_title(source.tags[0]) if source.tags else UNTAGGED
        group = groups.setdefault(name, Group(name))
        group.entries.append(
            IssueEntry(
                entry.id, entry.title, entry.link, source.name, entry.published, entry.summary, name
            )
        )
    if settings.group_by == "source":
        order = {s.name: index for index, s in enumerate(sources)}
        return sorted(groups.values(), key=lambda g: order.get(g.name, len(order)))
    return sorted(groups.values(), key=lambda g: (g.name == UNTAGGED, g.name.casefold()))


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
        "articles": [a.slug for a in plan.articles],
        "entries": [e.id for e in entries],
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
        "sources": sources,
    }
    return render(project.templates_dir, TEMPLATE, context, subject=f"issue #{plan.number}")
