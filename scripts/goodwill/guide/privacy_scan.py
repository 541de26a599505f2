"""Find contacts' private details and private feed addresses in public pages.

Every needle (e-mail, street line, note sentence, private feed address) goes into
one Aho-Corasick automaton, and every phone number (as digits, in a few national
and international forms) into a second one, so a page is read once whatever the
number of contacts. Pages are compared after the same normalisation as the
needles: ASCII lower case, common HTML/JSON escapes undone, runs of white space
made one space; phone numbers after dropping spaces, dots, dashes, slashes and
brackets, so "0117 496-0123" and "+44 (117) 4960123" are the same number.

Short fragments are left out on purpose (street lines under 8 characters, note
sentences under 4 words, phone numbers under 7 digits): "Unit 3" or "Loves it."
would stop builds over ordinary words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import ahocorasick_rs

MIN_ADDRESS_CHARS = 8
MIN_SENTENCE_WORDS = 4
MIN_SENTENCE_CHARS = 20
MIN_PHONE_DIGITS = 7
MIN_VARIANT_DIGITS = 8  # a number without its country code is kept from this length
TEXT_SUFFIXES = frozenset(
    [".md", ".html", ".htm", ".xml", ".json", ".txt", ".js", ".css", ".svg", ".xsl", ".map"]
)

_ESCAPES = (
    (b"\xc2\xa0", b" "),
    (b"&nbsp;", b" "),
    (b"&#64;", b"@"),
    (b"&#x40;", b"@"),
    (b"&#39;", b"'"),
    (b"&#x27;", b"'"),
    (b"&quot;", b'"'),
    (b'\\"', b'"'),
    (b"\\/", b"/"),
    (b"\\n", b" "),
    (b"&lt;", b"<"),
    (b"&gt;", b">"),
    (b"&amp;", b"&"),  # last: `&amp;#64;` is the text "&#64;", not an @
)
_PHONE_SEPARATORS = b" ().-/+"
# Lower case and line breaks as spaces in one pass over a generated page.
_BUILT_FORM = bytes.maketrans(
    bytes(range(ord("A"), ord("Z") + 1)) + b"\n\r\t\f\v",
    bytes(range(ord("a"), ord("z") + 1)) + b"     ",
)
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+|\n")
_WORD = frozenset(b"abcdefghijklmnopqrstuvwxyz0123456789")
_DIGITS = frozenset(b"0123456789")


@dataclass(frozen=True)
class Needle:
    kind: str  # "e-mail", "phone number", "street address", "notes", "private feed",
    # or "subscriber's e-mail"
    owner: str  # contact id, feed name, or where the subscriber is listed
    allowed_by_spotlight: bool = False  # the hint: could a spotlight show it?


SUBSCRIBER = "subscriber's e-mail"


@dataclass(frozen=True)
class Hit:
    where: str  # the file as the user knows it
    line: int | None
    needle: Needle

    @property
    def message(self) -> str:
        if self.needle.kind == "private feed":
            return f"contains the address of private feed '{self.needle.owner}'"
        if self.needle.kind == SUBSCRIBER:
            return f"contains the e-mail of a subscriber ({self.needle.owner})"
        return f"contains the {self.needle.kind} of contact '{self.needle.owner}'"

    @property
    def hint(self) -> str:
        if self.needle.kind == "private feed":
            return "remove it, or drop `private: true` from that feed in feeds.yaml"
        if self.needle.kind == SUBSCRIBER:
            return "remove it: the addresses of the digest's readers are private"
        if self.needle.allowed_by_spotlight:
            return "remove it, or list it under that contact's spotlight"
        return "remove it: a spotlight never shows it"


def normalize(data: bytes) -> bytes:
    """What a source page or a needle is compared as (see the module docstring)."""
    data = data.lower()
    if b"&" in data or b"\\" in data or b"\xc2\xa0" in data:  # most pages have none
        for escaped, plain in _ESCAPES:
            if escaped in data:
                data = data.replace(escaped, plain)
    return b" ".join(data.split())


def normalize_built(data: bytes) -> bytes:
    """The cheaper form for generated pages (tens of MB per build): lower case and line
    breaks as spaces. Escapes stay: the needles carry their escaped spellings instead."""
    return data.translate(_BUILT_FORM)


def _escaped_spellings(key: bytes) -> set[bytes]:
    """How HTML and JSON writers may spell a normalised needle."""
    spellings = {key}
    if key.translate(None, b"&<>\"'/") == key:
        return spellings  # nothing a writer would escape (the usual case)
    if key.translate(None, b"&<>\"'") != key:
        html = key.replace(b"&", b"&amp;").replace(b"<", b"&lt;").replace(b">", b"&gt;")
        spellings |= {html.replace(b'"', b"&quot;"), html.replace(b'"', b"&#34;")}
        spellings |= {s.replace(b"'", b"&#39;") for s in list(spellings)}
        spellings |= {s.replace(b"'", b"&#x27;") for s in list(spellings)}
    if b'"' in key or b"/" in key:
        spellings.add(key.replace(b'"', b'\\"').replace(b"/", b"\\/"))
    return spellings


def phone_digits(data: bytes) -> bytes:
    return data.translate(None, _PHONE_SEPARATORS)


class Needles:
    """Everything to look for, added one contact (or feed) at a time, then compiled."""

    def __init__(self) -> None:
        self.text: dict[bytes, Needle] = {}  # normalised as sources are
        self.digits: dict[bytes, Needle] = {}

    def add_contact(
        self, cid: str, emails=(), phones=(), address_lines=(), notes=(), allowed=()
    ) -> None:
        email_needle = Needle("e-mail", cid, True)
        for email in emails:
            if "@" in email and email.strip() not in allowed:
                self._text(email, email_needle, 6)
        if phones:
            phone_needle = Needle("phone number", cid)
            for phone in phones:
                for digits in _phone_forms(phone):
                    self.digits.setdefault(digits, phone_needle)
        if address_lines:
            address_needle = Needle("street address", cid)
            for line in address_lines:
                if any(c.isalpha() for c in line):
                    self._text(line, address_needle, MIN_ADDRESS_CHARS)
        if notes:
            notes_needle = Needle("notes", cid)
            for note in notes:
                self._text(note, notes_needle, MIN_SENTENCE_CHARS)
                for sentence in _SENTENCE_END.split(note):
                    sentence = sentence.strip().rstrip(".!?;,")  # a quote may end otherwise
                    if len(sentence.split()) >= MIN_SENTENCE_WORDS:
                        self._text(sentence, notes_needle, MIN_SENTENCE_CHARS)

    def to_json(self) -> dict:
        """The needles as JSON (keys as latin-1 text), for the cache in .goodwill/: flat
        lists, and owners by identity (a contact's needles are shared objects), as the
        cache is written after every edit of the records and read on every build."""
        index: dict[int, int] = {}
        owners: list[Needle] = []

        def owner(needle: Needle) -> int:
            found = index.get(id(needle))
            if found is None:
                found = index[id(needle)] = len(owners)
                owners.append(needle)
            return found

        text_owners = [owner(n) for n in self.text.values()]
        digit_owners = [owner(n) for n in self.digits.values()]
        return {
            "owners": [
                [n.kind, n.owner, n.allowed_by_spotlight, isinstance(n, _Unbounded)] for n in owners
            ],
            "text": [k.decode("latin-1") for k in self.text],
            "text_owners": text_owners,
            "digits": [k.decode("latin-1") for k in self.digits],
            "digit_owners": digit_owners,
        }

    @classmethod
    def from_json(cls, data: dict) -> Needles:
        owners = [
            (_Unbounded if unbounded else Needle)(kind, owner, allowed)
            for kind, owner, allowed, unbounded in data["owners"]
        ]
        needles = cls()
        for keys, indexes, into in (
            (data["text"], data["text_owners"], needles.text),
            (data["digits"], data["digit_owners"], needles.digits),
        ):
            # strict: lists of different lengths are a damaged cache (ValueError)
            into.update(
                zip([k.encode("latin-1") for k in keys], [owners[i] for i in indexes], strict=True)
            )
        return needles

    def add_subscriber(self, email: str, where: str) -> None:
        self._text(email, Needle(SUBSCRIBER, where), 6)

    def add_feed(self, name: str, url: str) -> None:
        address = re.sub(r"^[a-z][a-z0-9+.-]*://", "", url.strip(), flags=re.I).rstrip("/")
        self._text(address, Needle("private feed", name), 4, boundaries=False)

    def _text(self, value: str, needle: Needle, minimum: int, boundaries: bool = True) -> None:
        key = b" ".join(value.encode("utf-8").lower().split())  # as normalize(), escapes aside
        if len(key) >= minimum and key not in self.text:
            self.text[key] = needle if boundaries else _Unbounded(needle.kind, needle.owner)

    def compile(self) -> Matcher:
        return Matcher(self)


class _Unbounded(Needle):
    """A needle that counts inside longer words too (a feed address inside a URL)."""


def _phone_forms(phone: str) -> list[bytes]:
    """The digits of a phone number, also without its country code (and with a 0)."""
    raw = phone.strip().encode("utf-8")
    digits = bytes(b for b in raw if b in _DIGITS)
    if len(digits) < MIN_PHONE_DIGITS:
        return []
    forms = [digits]
    if raw.startswith((b"+", b"00")):
        international = digits[2:] if raw.startswith(b"00") else digits
        for code in (1, 2, 3):  # country codes have 1 to 3 digits
            national = international[code:]
            if len(national) >= MIN_VARIANT_DIGITS:
                forms += [national, b"0" + national]
    return forms


def _automaton(keys: list[bytes]):
    if not keys:
        return None
    # A contiguous NFA: built several times faster than a DFA, and searches about as fast
    # on pages where matches are rare.
    return ahocorasick_rs.BytesAhoCorasick(
        keys,
        matchkind=ahocorasick_rs.MATCHKIND_LEFTMOST_LONGEST,
        implementation=ahocorasick_rs.Implementation.ContiguousNFA,
    )


class Matcher:
    def __init__(self, needles: Needles):
        # Plain and escaped spellings in one automaton: a source page (escapes undone)
        # matches the plain ones, a generated page the spelling its writer used.
        spelled = {s: k for k in needles.text for s in _escaped_spellings(k)}
        self._spellings = list(spelled)
        self._text_keys = [spelled[s] for s in self._spellings]  # the plain key of each
        self._text_needles = [needles.text[k] for k in self._text_keys]
        self._digit_keys = list(needles.digits)
        self._digit_needles = [needles.digits[k] for k in self._digit_keys]
        self._text = _automaton(self._spellings)
        self._digits = _automaton(self._digit_keys)

    @property
    def empty(self) -> bool:
        return self._text is None and self._digits is None

    def find(self, data: bytes, built: bool = False) -> list[tuple[Needle, bytes]]:
        """(needle, its normalised text) for each distinct needle found in `data`;
        `built`: a generated page, compared in the cheaper form (normalize_built)."""
        found: dict[int, tuple[Needle, bytes]] = {}
        text = normalize_built(data) if built else normalize(data)
        if self._text is not None:
            for index, start, end in self._text.find_matches_as_indexes(text):
                needle = self._text_needles[index]
                if isinstance(needle, _Unbounded) or _bounded(text, start, end, _WORD):
                    found.setdefault(index, (needle, self._text_keys[index]))
        if self._digits is not None:
            digits = phone_digits(text)
            for index, start, end in self._digits.find_matches_as_indexes(digits):
                if _bounded(digits, start, end, _DIGITS):
                    key = -1 - index
                    found.setdefault(key, (self._digit_needles[index], self._digit_keys[index]))
        return list(found.values())


def _bounded(text: bytes, start: int, end: int, inside: frozenset) -> bool:
    """The match is not part of a longer word (or a longer number)."""
    return (start == 0 or text[start - 1] not in inside) and (
        end == len(text) or text[end] not in inside
    )


def line_of(data: bytes, key: bytes, is_phone: bool) -> int | None:
    """The line of `data` where the normalised `key` starts (for messages), if found."""
    lines = data.split(b"\n")
    seen = b""
    for number, line in enumerate(lines, start=1):
        seen = normalize(seen + b"\n" + line) if seen else normalize(line)
        haystack = phone_digits(seen) if is_phone else seen
        if key in haystack:
            # The key ends on this line: walk back to where it starts (it may be wrapped).
            for back in range(number, 0, -1):
                tail = normalize(b"\n".join(lines[back - 1 : number]))
                if key in (phone_digits(tail) if is_phone else tail):
                    return back
            return number
    return None


def scan_files(matcher: Matcher, files: list[tuple[str, Path]], with_lines: bool) -> list[Hit]:
    """Hits in each (shown name, path) whose suffix is a text format."""
    hits: list[Hit] = []
    for shown, path in files:
        if path.suffix.lower() not in TEXT_SUFFIXES:
            continue
        try:
            data = path.read_bytes()
        except OSError:
            continue
        for needle, key in matcher.find(data, built=not with_lines):
            line = line_of(data, key, needle.kind == "phone number") if with_lines else None
            hits.append(Hit(shown, line, needle))
    return hits


def tree_files(folder: Path, shown_prefix: str) -> list[tuple[str, Path]]:
    """Every file under `folder`, shown as `shown_prefix/relative path`."""
    return [
        (f"{shown_prefix}/{p.relative_to(folder).as_posix()}", p)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    ]
