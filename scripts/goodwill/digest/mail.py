"""One digest e-mail per reader: multipart/alternative (plain text + inlined HTML),
its own Message-ID, and its own unsubscribe link in the headers and in the text.

The issue is rendered once (export.render_email); each copy only swaps the
unsubscribe mark for the reader's link, so thousands of copies stay cheap.
"""

from __future__ import annotations

import html
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formataddr, formatdate, make_msgid
from urllib.parse import quote

from goodwill.digest.export import UNSUBSCRIBE_MARK, EmailContent
from goodwill.digest.smtp_settings import SmtpSettings
from goodwill.digest.subscribers import Subscriber


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
    """The whole message for one reader, as the bytes sent over SMTP."""
    stem = content.issue.path.stem
    links = unsubscribe_links(settings, reader, stem)
    visible = links[0]
    message = EmailMessage(policy=SMTP)
    message["From"] = settings.sender
    message["To"] = formataddr((reader.name, reader.email)) if reader.name else reader.email
    message["Subject"] = content.issue.title
    message["Date"] = formatdate(usegmt=True)
    message["Message-ID"] = message_id
    message["List-Id"] = f"<digest.{settings.sender_address.rpartition('@')[2]}>"
    message["List-Unsubscribe"] = ", ".join(f"<{link}>" for link in links)
    if settings.unsubscribe_url:
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message["Auto-Submitted"] = "auto-generated"
    message["X-Goodwill-Issue"] = stem
    message.set_content(content.text.replace(UNSUBSCRIBE_MARK, visible))
    message.add_alternative(
        content.html.replace(UNSUBSCRIBE_MARK, html.escape(visible)), subtype="html"
    )
    return message.as_bytes()
