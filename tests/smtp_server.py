"""A real SMTP server on 127.0.0.1 for the sending tests (aiosmtpd), with knobs for
refusing recipients and dropping connections."""

from __future__ import annotations

import email
import socket
import ssl
import threading
from email import policy

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult


def free_port() -> int:
    """aiosmtpd cannot listen on port 0: find a free port first."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Recorder:
    """Keeps every accepted message; refuses or drops as told."""

    def __init__(self):
        self.messages: list = []
        self.refuse: dict[str, str] = {}  # address -> "550 ..." / "451 ..."
        self.refuse_sender = ""  # e.g. "530 5.7.0 Authentication required"
        self.drop_on: set[int] = set()  # drop the connection at these DATA attempts (1-based)
        self.data_attempts = 0
        self.sessions = 0
        self.on_accept = None  # called with the count after each accepted message
        self.lock = threading.Lock()

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        self.sessions += 1
        session.host_name = hostname
        return responses

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        if self.refuse_sender:
            return self.refuse_sender
        envelope.mail_from = address
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.data_attempts += 1
            attempt = self.data_attempts
        if attempt in self.drop_on:
            server.transport.close()  # the message is lost: the client never sees a 250
            return "421 closing"
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        with self.lock:
            self.messages.append((list(envelope.rcpt_tos), message))
            count = len(self.messages)
        if self.on_accept is not None:
            self.on_accept(count)
        return "250 Message accepted for delivery"

    def recipients(self) -> list[str]:
        return [to for tos, _ in self.messages for to in tos]


def start_server(
    recorder: Recorder,
    *,
    login: tuple[str, str] | None = None,
    tls: tuple[str, str] | None = None,
    implicit_tls: bool = False,
) -> Controller:
    kwargs: dict = {}
    if tls is not None:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(*tls)
        kwargs["ssl_context" if implicit_tls else "tls_context"] = context
    if login is not None:

        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = (auth_data.login.decode(), auth_data.password.decode()) == login
            return AuthResult(success=ok, handled=False)

        kwargs |= {"authenticator": authenticator, "auth_require_tls": False}
    controller = Controller(recorder, hostname="127.0.0.1", port=free_port(), **kwargs)
    controller.start()
    return controller
