"""HTML to plain text for the e-mail alternative part: headings, lists, links as <url>."""

from __future__ import annotations

import re
import textwrap
from html.parser import HTMLParser

WIDTH = 72
_BLOCKS = {"p", "div", "li", "h1", "h2", "h3", "h4", "blockquote", "ul", "ol", "hr", "table", "tr"}
_SPACE = re.compile(r"[ \t\r\n\f\v]+")
_BREAK = "\x00"  # a <br> inside a block


def html_to_text(html: str, width: int = WIDTH) -> str:
    """Readable plain text of an HTML fragment, wrapped at `width` columns."""
    parser = _TextParser()
    parser.feed(html)
    parser.close()
    parser.flush()
    out: list[tuple[str, str]] = []
    for kind, text in parser.blocks:
        out.append((kind, _format(kind, text, width)))
    joined = ""
    for index, (kind, block) in enumerate(out):
        if index:
            joined += "\n" if kind == "li" and out[index - 1][0] == "li" else "\n\n"
        joined += block
    return joined + "\n"


def _format(kind: str, text: str, width: int) -> str:
    first, *more = text.split(_BREAK)
    lines = [_format_line(kind, first, width)]
    indent = "  " if kind == "li" else ("> " if kind == "blockquote" else "")
    lines += [_format_line("p", line, width, indent) for line in more if line]
    return "\n".join(lines)


def _format_line(kind: str, text: str, width: int, indent: str = "") -> str:
    fill = {
        "break_long_words": False,
        "break_on_hyphens": False,
        "initial_indent": indent,
        "subsequent_indent": indent,
    }
    if kind in ("h1", "h2"):
        return f"{text}\n{'=' * min(len(text), width)}"
    if kind in ("h3", "h4"):
        return f"{text}\n{'-' * min(len(text), width)}"
    if kind == "li":
        fill.update(initial_indent="- ", subsequent_indent="  ")
        return textwrap.fill(text, width, **fill)
    if kind == "blockquote":
        fill.update(initial_indent="> ", subsequent_indent="> ")
        return textwrap.fill(text, width, **fill)
    if kind == "hr":
        return "-" * 20
    return textwrap.fill(text, width, **fill)


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[str, str]] = []
        self.kinds: list[str] = ["p"]
        self.parts: list[str] = []
        self.links: list[tuple[str | None, int]] = []

    def flush(self) -> None:
        text = _BREAK.join(
            _SPACE.sub(" ", line).strip() for line in "".join(self.parts).split(_BREAK)
        ).strip(_BREAK + " ")
        if text:
            self.blocks.append((self.kinds[-1], text))
        self.parts = []

    def handle_starttag(self, tag, attrs):
        if tag in _BLOCKS:
            self.flush()
            self.kinds.append(
                tag if tag not in ("ul", "ol", "div", "table", "tr") else self.kinds[-1]
            )
            if tag == "hr":
                self.blocks.append(("hr", "-"))
        elif tag == "br":
            self.parts.append(_BREAK)
        elif tag == "a":
            self.links.append((dict(attrs).get("href"), len("".join(self.parts))))

    def handle_endtag(self, tag):
        if tag in _BLOCKS and tag != "hr":
            self.flush()
            if len(self.kinds) > 1:
                self.kinds.pop()
        elif tag == "a" and self.links:
            href, start = self.links.pop()
            label = "".join(self.parts)[start:].strip()
            if href and href.startswith(("http://", "https://", "mailto:")) and href != label:
                self.parts.append(f" <{href}>")

    def handle_data(self, data):
        self.parts.append(data)
