"""The site's XML feeds, checked and repaired after the engine built the site, before it goes live.

goodwill writes the guide's feeds itself, escaped and checked. A feed another plugin still
writes (an older mkdocs.yml may run mkdocs-rss-plugin under other file names) may carry the
site author's name as `managingEditor` and each page's authors as `<author>`, where RSS 2.0
wants an e-mail address ("jane@example.com (Jane Doe)"), and unescaped authors and tags, so
a tag such as "R&D" makes the file unreadable. Names become `dc:creator` (the template
declares the namespace), text is escaped once, characters XML cannot carry are dropped, and
a feed that still does not parse fails the build instead of being published.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from goodwill.core.outdir import write_atomic
from goodwill.core.xmltext import check_well_formed, xml_text

# "jane@example.com" or "jane@example.com (Jane Doe)", as RSS 2.0 (RFC 822) wants it.
RSS_EMAIL = re.compile(r"[^@\s()<>]+@[^@\s()<>]+\.[^@\s()<>]+(?: \([^()]*\))?")
# Fields the plugin's template writes without escaping, and those it escapes.
_RAW_FIELDS = re.compile(r"<(author|category|source)(\s[^<>]*)?>(.*?)</\1>", re.S)
_IMAGE_TITLE = re.compile(r"(<image>(?:(?!</image>).)*?<title>)(.*?)(</title>)", re.S)
_EMAIL_FIELDS = re.compile(r"<(managingEditor|webMaster)>([^<]*)</\1>")


def finish_feeds(site_dir: Path) -> list[Path]:
    """Repair and check every XML file at the top of the built site; return them."""
    feeds = sorted(site_dir.glob("*.xml"))
    for path in feeds:
        text = path.read_text(encoding="utf-8", errors="replace")
        fixed = xml_text(text)
        if re.search(r"<rss[\s>]", fixed[:2000]):
            fixed = _repair_rss(fixed)
        check_well_formed(fixed, path.name)
        if fixed != text:
            write_atomic(path, fixed.encode("utf-8"))
    return feeds


def _repair_rss(text: str) -> str:
    def raw_field(match: re.Match) -> str:
        name, attributes, value = match.group(1), match.group(2) or "", _text(match.group(3))
        if name == "author" and not RSS_EMAIL.fullmatch(value.strip()):
            return f"<dc:creator>{_escape(value)}</dc:creator>"
        return f"<{name}{attributes}>{_escape(value)}</{name}>"

    def email_field(match: re.Match) -> str:
        value = _text(match.group(2)).strip()
        # optional fields, and the plugin only knows the site author's name
        return match.group(0) if RSS_EMAIL.fullmatch(value) else ""

    text = _RAW_FIELDS.sub(raw_field, text)
    text = _IMAGE_TITLE.sub(lambda m: m.group(1) + _escape(_text(m.group(2))) + m.group(3), text)
    return _EMAIL_FIELDS.sub(email_field, text)


def _text(raw: str) -> str:
    return html.unescape(raw)  # the same value, whether the template escaped it or not


def _escape(value: str) -> str:
    return html.escape(value, quote=False)
