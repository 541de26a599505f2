"""Text from feeds made inert in Markdown: no emphasis, links, HTML or attribute lists."""

from __future__ import annotations

import re
from urllib.parse import quote

_SPECIAL = re.compile(r"([\\`*_\[\]{}()#!|~])")


def md_text(text: str) -> str:
    """`text` as literal Markdown inline content (one line)."""
    text = " ".join(text.split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _SPECIAL.sub(r"\\\1", text)


def md_url(url: str) -> str:
    """An http(s) URL safe inside `[text](...)`: spaces, quotes, brackets percent-encoded."""
    return quote(url, safe=":/?#@!$&'*+,;=%~-._[]").replace("[", "%5B").replace("]", "%5D")
