"""The digest's RSS 2.0 feed, feed_digest_rss.xml, with each issue's full HTML.

Written by goodwill (not the rss plugin) because the plugin has no content:encoded:
services that turn a feed into e-mail (Mailchimp, Buttondown) send what it carries.
The feed is parsed back before it is written: a broken feed is never published.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from email.utils import format_datetime
from pathlib import Path
from urllib.parse import urljoin

from goodwill.core.project import Project
from goodwill.core.render import render
from goodwill.core.siteconfig import feed_image, site_language
from goodwill.core.xmltext import check_well_formed, xml_text

DIGEST_RSS = "feed_digest_rss.xml"


@dataclass
class RssItem:
    url: str
    title: str
    day: dt.date
    summary: str
    content: str  # HTML: escaped by the XML template

    @property
    def pub_date(self) -> str:
        moment = dt.datetime.combine(self.day, dt.time(0), tzinfo=dt.UTC)
        return format_datetime(moment, usegmt=True)


def write_digest_rss(
    project: Project, config: dict, docs_dir: Path, base_url: str, items: list[RssItem]
) -> Path:
    """Write feed_digest_rss.xml (newest first) into the staged docs folder."""
    items = sorted(items, key=lambda it: (it.day, it.url), reverse=True)
    name = config.get("site_name") or "Goodwill"
    xml = render(
        project.templates_dir,
        "digest/rss.xml",
        {
            "title": f"{name} digest",
            "home": urljoin(base_url, "digest/"),
            "description": f"Every issue of the {name} digest, in full.",
            "self_url": urljoin(base_url, DIGEST_RSS),
            "language": site_language(config),
            "updated": items[0].pub_date if items else format_datetime(_epoch(), usegmt=True),
            "image": feed_image(config),
            "items": items,
        },
        subject=DIGEST_RSS,
    ).lstrip()
    xml = xml_text(xml)  # an issue's text may hold characters XML cannot carry
    check_well_formed(xml, DIGEST_RSS)
    path = docs_dir / DIGEST_RSS
    path.write_text(xml, encoding="utf-8")
    return path


def _epoch() -> dt.datetime:
    return dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
