"""The guide's Partners pages, from contacts' consented spotlights.

The one door from private records to public pages. A template only ever sees a
partner made of the fields the spotlight lists in `show` (and its blurb, which
is written for the page), so no template can print anything else about them.
Without a consent date (or before it) there is no page; the page of a contact
whose consent is removed is gone from the next build, because every build
starts from an empty folder.
"""

from __future__ import annotations

import json

from slugify import slugify

from goodwill.core.project import Project
from goodwill.core.render import render
from goodwill.digest.markdown_text import md_text, md_url
from goodwill.guide.incremental import StagedFiles
from goodwill.relations.records import Contact

PARTNERS_DIR = "partners"


def partner_fields(contact: Contact) -> dict:
    """Exactly what the spotlight allows to be shown (Markdown-safe)."""
    spotlight = contact.spotlight
    values = {
        "name": contact.name,
        "company": contact.company,
        "role": contact.role,
        "website": spotlight.website,
        "email": contact.email,
    }
    shown = {key: values[key] for key in spotlight.show if values.get(key)}
    fields = {key: md_text(value) for key, value in shown.items() if key != "website"}
    if "website" in shown:
        fields["website"] = md_url(shown["website"])
    fields["blurb"] = md_text(spotlight.blurb)
    return fields


def stage_partners(project: Project, files: StagedFiles, contacts: list[Contact]) -> list[str]:
    """Write partners/index.md and one page per consented contact; returns their names."""
    partners, used = [], set()
    for number, contact in enumerate(contacts, start=1):
        fields = partner_fields(contact)
        title = (contact.name if "name" in fields else None) or (
            contact.company if "company" in fields else None
        )
        slug = slugify(title) if title else f"partner-{number}"  # never the record's id
        while slug in used or slug == "index":
            slug += "-2"
        used.add(slug)
        title = title or "Partner"
        partners.append(
            {
                **fields,
                "file": f"{slug}.md",
                "title_md": md_text(title),
                "title_json": json.dumps(title, ensure_ascii=False),
            }
        )
    partners.sort(key=lambda p: p["title_md"].casefold())
    for partner in partners:
        page = render(
            project.templates_dir,
            "guide/partner.md.j2",
            {"partner": partner},
            subject=f"partner page {partner['file']}",
        )
        files.write(f"{PARTNERS_DIR}/{partner['file']}", page)
    index = render(project.templates_dir, "guide/partners.md.j2", {"partners": partners})
    files.write(f"{PARTNERS_DIR}/index.md", index)
    return [p["file"] for p in partners]
