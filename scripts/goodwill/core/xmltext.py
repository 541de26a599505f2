"""Text that XML can carry, and XML files that parse: for every feed the site publishes.

XML 1.0 forbids most control characters, even as `&#7;` references; one of them in a
feed makes the whole file unreadable to strict readers. C1 controls (U+0080-U+009F)
are allowed by the letter of XML 1.0 but never meant as text (they are mis-decoded
Windows-1252), so they go too.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from goodwill.core.errors import GoodwillError

NOT_XML_TEXT = re.compile("[^\t\n\r\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    """`text` without the characters XML 1.0 forbids and without C1 controls."""
    return NOT_XML_TEXT.sub("", text) if text else text


def check_well_formed(data: bytes | str, path: Path | str, what: str = "feed") -> None:
    """Raise a located GoodwillError unless `data` is a well-formed XML document."""
    try:
        ET.fromstring(data.encode("utf-8") if isinstance(data, str) else data)
    except ET.ParseError as exc:
        line = exc.position[0] if exc.position else None
        raise GoodwillError(
            f"the {what} would not be well-formed XML ({exc}); it was not published",
            path=path,
            line=line,
            hint="a page's title, author or tag likely holds a character XML cannot carry",
        ) from None
