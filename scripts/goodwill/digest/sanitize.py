"""Feed HTML made safe: an nh3 allow-list, absolute links, a cut at a word boundary."""

from __future__ import annotations

import html
import re
from urllib.parse import urljoin

import nh3

from goodwill.core.xmltext import xml_text

SUMMARY_TAGS = frozenset(
    [
        "a",
        "abbr",
        "b",
        "blockquote",
        "br",
        "code",
        "em",
        "i",
        "li",
        "ol",
        "p",
        "q",
        "s",
        "strong",
        "sub",
        "sup",
        "u",
        "ul",
    ]
)
SUMMARY_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
DROP_WITH_CONTENT = frozenset({"script", "style", "iframe", "object", "embed", "template"})
ELLIPSIS = "…"
_SPACE = re.compile(r"\s+")
_TAG = re.compile(r"</?[a-zA-Z][^<>]*>")
_EMPTY = re.compile(r"<([a-z]+)(?: [^<>]*)?>\s*</\1>")
_PIECES = re.compile(r"(<[^<>]*>)")
_VOID = frozenset({"br", "hr", "img", "wbr"})
_TRAILING_TAGS = re.compile(r"(?:\s*</?[a-z][^<>]*>)+\s*$")
# Deeper HTML than this is flattened where it enters goodwill: real posts nest a dozen
# levels, while tens of thousands overflow the stack of native HTML tools (the CSS inliner).
MAX_HTML_DEPTH = 256
_ANY_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]*)[^>]*>")
_VOID_ELEMENTS = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
    ]
)
# End tags HTML lets you leave out: a parser closes these at the next sibling, so they
# do not nest by themselves and are not counted (only dropped where it is already deep).
_OPTIONAL_END = frozenset(
    [
        "p",
        "li",
        "dt",
        "dd",
        "option",
        "optgroup",
        "tr",
        "td",
        "th",
        "thead",
        "tbody",
        "tfoot",
        "colgroup",
        "caption",
        "rp",
        "rt",
    ]
)


_NOT_COUNTED = _VOID_ELEMENTS | _OPTIONAL_END
_TAG_NAME = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]*)")


def _deepest(raw: str) -> int:
    """How deep the counted elements of `raw` nest (as flatten_deep_html counts)."""
    depth = deepest = 0
    for slash, name in _TAG_NAME.findall(raw):
        if name.lower() in _NOT_COUNTED:
            continue
        if slash:
            depth = depth - 1 if depth else 0
        else:
            depth += 1
            deepest = max(deepest, depth)
    return deepest


def flatten_deep_html(raw: str, limit: int = MAX_HTML_DEPTH) -> str:
    """`raw` with every tag deeper than `limit` removed (their text stays); linear time."""
    if raw.count("<") - raw.count("</") <= limit:
        return raw  # fewer start tags than the limit: the common case, found in C
    if _deepest(raw) <= limit:
        return raw
    pieces: list[str] = []
    kept_to = depth = 0
    for match in _ANY_TAG.finditer(raw):
        closing, name = match.group(1), match.group(2).lower()
        if name in _VOID_ELEMENTS or match.group(0).endswith("/>"):
            continue
        if name in _OPTIONAL_END:
            too_deep = depth >= limit
        elif closing:
            too_deep, depth = depth > limit, max(depth - 1, 0)
        else:
            depth += 1
            too_deep = depth > limit
        if too_deep:
            pieces.append(raw[kept_to : match.start()])
            kept_to = match.end()
    pieces.append(raw[kept_to:])
    return "".join(pieces)


_SIMPLE_TAGS = re.compile(r"</?(?:b|i|em|strong|u|s|code|small|mark|sub|sup|span|q|br)\s*/?>", re.I)
# SVG and MathML would be dropped whole by the sanitizer; their text is kept instead.
_FOREIGN = re.compile(r"<(svg|math)\b[^>]*>(.*?)</\1\s*>", re.S | re.I)
_FOREIGN_TAG = re.compile(r"<[^<>]*>")
_IMG_ALT = re.compile(r"<img\b[^>]*?\balt\s*=\s*(?:\"([^\"]*)\"|'([^']*)')[^>]*>", re.I)


def foreign_text(raw: str) -> str:
    """`raw` with each <svg> and <math> element replaced by its text (`a + b`)."""
    if "<svg" not in raw.lower() and "<math" not in raw.lower():
        return raw
    return _FOREIGN.sub(lambda m: " ".join(_FOREIGN_TAG.sub(" ", m.group(2)).split()), raw)


def clean_html(raw: str, base_url: str | None = None) -> str:
    """Allow-listed HTML only: no script/style/iframe, no event attributes, http(s) links."""

    def absolute(tag: str, attribute: str, value: str) -> str | None:
        if attribute == "href" and base_url:
            return urljoin(base_url, value.strip())
        return value

    cleaned = nh3.clean(
        foreign_text(flatten_deep_html(raw)),
        tags=set(SUMMARY_TAGS),
        clean_content_tags=set(DROP_WITH_CONTENT),
        attributes={k: set(v) for k, v in SUMMARY_ATTRIBUTES.items()},
        attribute_filter=absolute,
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
    return xml_text(cleaned)  # nh3 decodes references such as &#7;


def plain_text(raw: str) -> str:
    """The text of an HTML fragment, markup removed, whitespace collapsed."""
    text = _strip(flatten_deep_html(xml_text(raw)))
    if _TAG.search(text):  # double-escaped markup, common in RSS titles
        text = _strip(flatten_deep_html(text))
    return xml_text(text)


def _strip(raw: str) -> str:
    if "<" not in raw and "&" not in raw:
        return _SPACE.sub(" ", raw).strip()
    simple = _SIMPLE_TAGS.sub("", raw)
    if "<" not in simple:  # only plain inline tags (<b>, </em>): no parser needed
        return _SPACE.sub(" ", html.unescape(simple)).strip()
    raw = _IMG_ALT.sub(lambda m: f" {m.group(1) or m.group(2) or ''} ", foreign_text(raw))
    text = nh3.clean(raw, tags=set(), clean_content_tags=set(DROP_WITH_CONTENT))
    return _SPACE.sub(" ", html.unescape(text)).strip()


def summarize(raw: str, base_url: str | None, limit: int) -> str:
    """Sanitized HTML cut to about `limit` characters of text, at a word boundary."""
    cleaned = clean_html(_SPACE.sub(" ", raw).strip(), base_url).strip()
    pieces = _PIECES.split(cleaned)  # nh3's output is well formed: text, tag, text, tag...
    if sum(len(html.unescape(text)) for text in pieces[::2]) <= limit:
        return cleaned
    out: list[str] = []
    open_tags: list[str] = []
    count = 0
    for index, piece in enumerate(pieces):
        if index % 2:
            _track(piece, open_tags)
            out.append(piece)
            continue
        text = html.unescape(piece)
        if count + len(text) <= limit:
            out.append(piece)
            count += len(text)
            continue
        out.append(_cut(text, limit - count, first=count == 0))
        break
    cut = "".join(out) + "".join(f"</{tag}>" for tag in reversed(open_tags))
    for _ in range(3):
        cut = _EMPTY.sub("", cut)
    if ELLIPSIS not in cut[-40:]:
        cut = _append_ellipsis(cut)
    return cut.strip()


def _track(tag: str, open_tags: list[str]) -> None:
    name = tag.strip("</>").split(" ", 1)[0]
    if tag.startswith("</"):
        if open_tags and open_tags[-1] == name:
            open_tags.pop()
    elif name not in _VOID and not tag.endswith("/>"):
        open_tags.append(name)


def _cut(text: str, room: int, first: bool) -> str:
    """`text` cut to at most `room` characters at a space, escaped, with an ellipsis."""
    head = text[: max(room, 0) + 1]
    if not head[-1:].isspace():
        head = head.rpartition(" ")[0] if " " in head else (head[:room] if first else "")
    head = head.rstrip()
    return html.escape(head, quote=False) + ELLIPSIS if head else ""


def _append_ellipsis(fragment: str) -> str:
    """Put the ellipsis after the last text, inside the elements that hold it."""
    match = _TRAILING_TAGS.search(fragment)
    if match is None:
        return fragment + ELLIPSIS
    return fragment[: match.start()].rstrip() + ELLIPSIS + match.group(0).strip()
