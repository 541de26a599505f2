"""Feeds of the people you know: contacts with `feed: URL`.

They are fetched with feeds.yaml's feeds and grouped in an issue under "From our
network". An issue shows only what the feed itself publishes (its title, its posts'
titles and links): never the contact's name or any other field of their record.
`recent_posts` tells the agenda who posted what, so you can congratulate, share or
reply.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlsplit

from goodwill.core.errors import Collector
from goodwill.core.project import Project
from goodwill.digest.cache import Cache, cache_path
from goodwill.digest.clock import now_utc
from goodwill.digest.sources import Source, load_sources, url_key
from goodwill.relations.records import load_records

NETWORK_GROUP = "From our network"
RECENT_DAYS = 14
NETWORK_KIND = "network-post"  # the agenda's kind for a contact's new post


@dataclass(frozen=True)
class NetworkPost:
    """A recent post by a contact, for the agenda."""

    contact_id: str
    title: str
    link: str | None
    published: dt.datetime  # UTC

    def reason(self, today: dt.date) -> str:
        """The agenda's line after the contact's name: "posted 'X' 2 days ago: ..."."""
        days = (today - self.published.date()).days
        when = {0: "today", 1: "yesterday"}.get(days, f"{days} days ago")
        return f"posted '{self.title}' {when}: congratulate, share, reply"


def network_sources(
    project: Project, problems: Collector, listed: list[Source], records=None
) -> list[Source]:
    """One Source per contact feed not already in feeds.yaml (`listed`). Its name is the
    feed's host until a fetch learns the feed's own title. `records`: already loaded ones."""
    if records is None:
        records = load_records(project.records_dir, problems)
    taken = {url_key(s.url) for s in listed}
    found = []
    for contact in records.contacts.values():
        if not contact.feed or url_key(contact.feed) in taken:
            continue
        taken.add(url_key(contact.feed))
        host = urlsplit(contact.feed).hostname or contact.feed
        found.append(
            Source(host, contact.feed, (NETWORK_GROUP,), None, True, 0, contact=contact.id)
        )
    return found


def recent_posts(
    project: Project, *, days: int = RECENT_DAYS, now: dt.datetime | None = None, records=None
) -> list[NetworkPost]:
    """Posts from contacts' feeds published in the last `days` days, newest first,
    from the cache (nothing is fetched). Empty when there is no cache yet."""
    if not cache_path(project).is_file():
        return []
    listed = load_sources(project, Collector()).sources
    sources = network_sources(project, Collector(), listed, records)
    if not sources:
        return []
    now = now or now_utc()
    since = now - dt.timedelta(days=days)
    owner = {s.url: s.contact for s in sources}
    with Cache(cache_path(project)) as cache:
        entries = cache.entries(list(owner))
    posts = [
        NetworkPost(owner[e.feed_url], e.title, e.link, e.published)
        for e in entries
        if e.published >= since
    ]
    return sorted(posts, key=lambda p: (-p.published.timestamp(), p.contact_id, p.title))


def network_agenda_items(project: Project, records, today: dt.date, days: int = RECENT_DAYS):
    """Contacts' recent posts as agenda items: a reason to get in touch, due today (a post
    is an opportunity, never overdue), aged from the day it was published."""
    from goodwill.relations.agenda import AgendaItem

    now = dt.datetime.combine(today, dt.time(23, 59), tzinfo=dt.UTC)
    items = []
    for post in recent_posts(project, days=days, now=now, records=records):
        contact = records.contacts.get(post.contact_id)
        if contact is None:
            continue
        items.append(
            AgendaItem(
                due=today,
                kind=NETWORK_KIND,
                contact_id=contact.id,
                contact_name=contact.name,
                reason=post.reason(today),
                since=post.published.date(),
                subject=post.link or post.title,
                action="congratulate",
            )
        )
    return items
