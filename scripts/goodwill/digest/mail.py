"""One digest e-mail per reader: multipart/alternative (plain text + inlined HTML),
its own Message-ID, and its own unsubscribe link in the headers and in the text.

The issue is rendered once (export.render_email); each copy only swaps the
unsubscribe mark for the reader's link, so thousands of copies stay cheap.
"""

from __future__ import annotations

import base64
import html
from dataclasses import dataclass
from email.header import Header
from email.utils import formataddr, formatdate, make_msgid, parseaddr
from urllib.parse import quote

from goodwill.digest.export import UNSUBSCRIBE_MARK, EmailContent
from goodwill.digest.smtp_settings import SmtpSettings
from goodwill.digest.subscribers import Subscriber

CRLF = "\r\n"


def unsubscribe_links(settings: SmtpSettings, reader: Subscriber, issue_stem: str) -> list[str]:
    """The reader's unsubscribe addresses: a mailto to the sender, and the https page
    when goodwill.yml configures one (that one first: it is what the visible line uses)."""
    subject = quote(f"unsubscribe {reader.email}")
    links = [f"mailto:{settings.sender_address}?subject={subject}"]
    if settings.unsubscribe_url:
        page = settings.unsubscribe_url.format(
            email=quote(reader.email, safe=""), issue=quote(issue_stem, safe="")
        )
        links.insert(0, page)
    return links


def new_message_id(settings: SmtpSettings) -> str:
    """A unique Message-ID in the sender's domain."""
    domain = settings.sender_address.rpartition("@")[2] or "goodwill.invalid"
    return make_msgid("digest", domain=domain)


def compose(
    content: EmailContent, settings: SmtpSettings, reader: Subscriber, message_id: str
) -> bytes:
    """The whole message for one reader, as the bytes sent over SMTP.

    Written out directly rather than through email.message (which costs ~2 ms a copy):
    the fixed headers are encoded once per issue (_Fixed), each copy only adds its own
    To, Date, Message-ID and unsubscribe links, and base64 bodies."""
    fixed = _fixed(content, settings)
    links = unsubscribe_links(settings, reader, content.issue.path.stem)
    visible = links[0]
    to = formataddr((_one_line(reader.name), reader.email), charset="utf-8")
    headers = [
        fixed.head,
        f"To: {to}",
        f"Date: {formatdate(usegmt=True)}",
        f"Message-ID: {message_id}",
        "List-Unsubscribe: " + ",\r\n ".join(f"<{link}>" for link in links),
    ]
    if settings.unsubscribe_url:
        headers.append("List-Unsubscribe-Post: List-Unsubscribe=One-Click")
    text = content.text.replace(UNSUBSCRIBE_MARK, visible)
    page = content.html.replace(UNSUBSCRIBE_MARK, html.escape(visible))
    boundary = f"==goodwill-{message_id.strip('<>').split('@')[0]}=="
    return "\r\n".join(
        [
            *headers,
            "MIME-Version: 1.0",
            f'Content-Type: multipart/alternative; boundary="{boundary}"',
            "",
            f"--{boundary}",
            _part("text/plain", text),
            f"--{boundary}",
            _part("text/html", page),
            f"--{boundary}--",
            "",
        ]
    ).encode("ascii")


@dataclass(frozen=True)
class _Fixed:
    head: str  # From, Subject and the list headers, encoded and folded


_FIXED: dict[tuple, _Fixed] = {}


def _fixed(content: EmailContent, settings: SmtpSettings) -> _Fixed:
    key = (content.issue.path, content.issue.title, settings.sender)
    if key not in _FIXED:
        _FIXED.clear()  # one issue at a time
        name, address = parseaddr(settings.sender)
        domain = address.rpartition("@")[2]
        subject = Header(_one_line(content.issue.title), "utf-8", header_name="Subject")
        head = [
            f"From: {formataddr((_one_line(name), address), charset='utf-8')}",
            f"Subject: {subject.encode(linesep=CRLF)}",
            f"List-Id: <digest.{domain}>",
            "Auto-Submitted: auto-generated",
            f"X-Goodwill-Issue: {content.issue.path.stem}",
        ]
        _FIXED[key] = _Fixed("\r\n".join(head))
    return _FIXED[key]


def _part(kind: str, body: str) -> str:
    encoded = base64.encodebytes(body.encode("utf-8")).decode("ascii").replace("\n", CRLF)
    return (
        f'Content-Type: {kind}; charset="utf-8"\r\n'
        f"Content-Transfer-Encoding: base64\r\n\r\n{encoded.rstrip()}"
    )


def _one_line(value: str) -> str:
    """Header text on one line: a newline in a name or title must not start a header."""
    return " ".join(value.split())
