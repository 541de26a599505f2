"""Long listings put into their pages after Markdown, not through it.

The archive, tags and author pages list every article as HTML. Python-Markdown passes
such blocks through unchanged, but only after parsing them as HTML: at 1,000 articles the
listings took longer to convert than everything else goodwill adds. So the staged page
holds a short comment in each list's place, and the list goes back into the HTML MkDocs
made of the page; the built page is the same, byte for byte. The comment names the list's
content, so the staged text changes whenever the list does. `goodwill build` splices with
MkDocs; previews, and engines without plugins (Zensical), stage the lists themselves.
"""

from __future__ import annotations

import hashlib
import re

from mkdocs.plugins import BasePlugin, event_priority

# A list goodwill's listing templates write: one block, from its first to its last line.
_LIST = re.compile(r'^<ul class="gw-list">\n.*?^</ul>$', re.S | re.M)
_MARK = re.compile(r"<!-- goodwill-list ([0-9a-f]{24}) -->")


class SplicedLists:
    """The lists cut out of the staged pages, by the name their comment gives."""

    def __init__(self) -> None:
        self.lists: dict[str, str] = {}

    def cut(self, text: str) -> str:
        """The page with each list replaced by its comment."""

        def mark(match: re.Match) -> str:
            block = match.group(0)
            name = hashlib.blake2b(block.encode("utf-8"), digest_size=12).hexdigest()
            self.lists[name] = block
            return f"<!-- goodwill-list {name} -->"

        return _LIST.sub(mark, text)

    def attach(self, config) -> None:
        """Put the lists back in every page MkDocs builds with this configuration."""
        config.plugins["goodwill/lists"] = _PutBack(self.lists)


class _PutBack(BasePlugin):
    def __init__(self, lists: dict[str, str]) -> None:
        super().__init__()
        self.lists = lists

    @event_priority(100)  # before any other plugin reads the page's HTML
    def on_page_content(self, html, *, page, config, files):
        if "<!-- goodwill-list " not in html:
            return html
        return _MARK.sub(lambda m: self.lists.get(m.group(1), m.group(0)), html)
