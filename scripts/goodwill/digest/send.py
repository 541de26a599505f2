"""`goodwill digest send`: one issue to every subscriber over SMTP, resumable.

One connection carries all the messages (reopened if the server drops it), paced
by `rate_per_minute`. Each reader is written to the send log only once the
server has accepted their message (sendlog.py), so a run that is killed or loses
the connection is simply run again: those already sent are skipped.
"""

from __future__ import annotations

import contextlib
import smtplib
import socket
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from goodwill.core.errors import Collector, GoodwillError
from goodwill.core.project import Project
from goodwill.digest.export import UNSUBSCRIBE_MARK, EmailContent, find_issue, render_email
from goodwill.digest.issues import IssueFile
from goodwill.digest.mail import compose, new_message_id
from goodwill.digest.sendlog import FINAL, LogEntry, SendLog, load_log
from goodwill.digest.smtp_settings import SmtpSettings, load_smtp_settings
from goodwill.digest.subscribers import Subscriber, address_key, address_problem, load_subscribers

TIMEOUT = 60.0  # seconds for one SMTP exchange
RECONNECTS = 3  # a dropped connection is reopened this many times in a row, then the run stops
RECONNECT_PAUSE = 0.5


@dataclass
class SendPlan:
    issue: IssueFile
    to_send: list[Subscriber]
    already: list[Subscriber] = field(default_factory=list)  # sent before: skipped
    failed_before: list[tuple[Subscriber, LogEntry]] = field(default_factory=list)  # 5xx
    retrying: list[Subscriber] = field(default_factory=list)  # 4xx or interrupted before
    test_send: bool = False  # --to an address that is not a subscriber: not logged
    left_by_limit: int = 0


@dataclass
class SendResult:
    sent: list[Subscriber] = field(default_factory=list)
    deferred: list[tuple[Subscriber, str]] = field(default_factory=list)  # 4xx: next run
    failed: list[tuple[Subscriber, str]] = field(default_factory=list)  # 5xx: not again
    not_reached: list[Subscriber] = field(default_factory=list)  # the run stopped first
    stopped: str = ""  # why the run stopped early
    seconds: float = 0.0


def smtp_settings_for(project: Project) -> SmtpSettings:
    problems = Collector()
    settings = load_smtp_settings(project, problems)
    problems.raise_if_errors()
    if settings is None:
        raise GoodwillError(
            "no SMTP server configured",
            path=project.settings_file,
            hint="add `digest: smtp: {host: ..., from: ...}` (see README, Sending the digest)",
        )
    return settings


def plan_send(
    project: Project, which: str = "latest", *, to: str | None = None, limit: int | None = None
) -> SendPlan:
    """Who gets the issue on this run, and who is skipped and why."""
    issue = find_issue(project, which)
    problems = Collector()
    readers = load_subscribers(project, problems)
    problems.raise_if_errors()
    log = load_log(project.sent_dir, issue.path.stem)
    people = readers.active
    test_send = False
    if to is not None:
        if address_problem(to):
            raise GoodwillError(f"--to: {to!r} is not an e-mail address: {address_problem(to)}")
        key = address_key(to)
        if key in readers.suppressed:
            raise GoodwillError(f"--to: {to} unsubscribed on {readers.suppressed[key]}")
        match = readers.find(to)
        people = [match] if match else [Subscriber(to.strip(), origin="--to")]
        test_send = match is None
    plan = SendPlan(issue, [], test_send=test_send)
    for person in people:
        entry = None if test_send else log.get(person.key)
        if entry is not None and entry.status == "sent":
            plan.already.append(person)
        elif entry is not None and entry.status == "failed":
            plan.failed_before.append((person, entry))
        else:
            if entry is not None:
                plan.retrying.append(person)
            plan.to_send.append(person)
    if limit is not None and len(plan.to_send) > limit:
        plan.left_by_limit = len(plan.to_send) - limit
        plan.to_send = plan.to_send[:limit]
    return plan


def send_plan(
    project: Project,
    plan: SendPlan,
    settings: SmtpSettings,
    password: str | None,
    on_sent: Callable[[Subscriber, str], None] | None = None,
) -> SendResult:
    """Send the planned messages; every outcome is logged as it happens."""
    began = time.monotonic()
    content = render_email(project, plan.issue, UNSUBSCRIBE_MARK)
    result = SendResult()
    if not plan.to_send:
        return result
    with SendLog.open(project.sent_dir, plan.issue.path.stem) as log:
        connection = _Connection(settings, password)
        try:
            _send_all(plan, content, settings, log, connection, result, on_sent)
        finally:
            connection.close()
    result.seconds = time.monotonic() - began
    return result


def _send_all(plan, content: EmailContent, settings, log, connection, result, on_sent) -> None:
    pace = _Pace(settings.interval)
    queue = list(plan.to_send)
    for index, reader in enumerate(queue):
        previous = None if plan.test_send else log.status(reader.email)
        if previous is not None and previous.status in FINAL:
            continue  # another run logged them meanwhile
        message_id = (
            previous.message_id
            if previous and previous.status == "attempt" and previous.message_id
            else new_message_id(settings)
        )
        data = compose(content, settings, reader, message_id)
        pace.wait()
        if not plan.test_send:
            log.record(reader.email, "attempt", message_id=message_id)
        try:
            outcome = connection.deliver(settings.sender_address, reader.email, data)
        except _Stopped as stop:
            result.stopped = str(stop)
            result.not_reached.extend(queue[index:])
            return
        code, detail = outcome
        if code < 400:
            if not plan.test_send:
                log.record(reader.email, "sent", message_id=message_id)
            result.sent.append(reader)
            if on_sent is not None:
                on_sent(reader, "sent")
            continue
        status = "deferred" if code < 500 else "failed"
        if not plan.test_send:
            log.record(reader.email, status, message_id=message_id, code=code, detail=detail)
        (result.deferred if status == "deferred" else result.failed).append(
            (reader, f"{code} {detail}")
        )
        if on_sent is not None:
            on_sent(reader, status)


class _Stopped(Exception):
    """The server cannot be reached any more: the rest waits for the next run."""


class _Pace:
    """At most one message per `interval` seconds."""

    def __init__(self, interval: float):
        self.interval = interval
        self.next = 0.0

    def wait(self) -> None:
        if self.interval <= 0:
            return
        now = time.monotonic()
        if now < self.next:
            time.sleep(self.next - now)
        self.next = max(now, self.next) + self.interval


class _Connection:
    """One SMTP session, opened on first use and reopened when the server drops it."""

    def __init__(self, settings: SmtpSettings, password: str | None):
        self.settings = settings
        self.password = password
        self.smtp: smtplib.SMTP | None = None

    def _open(self) -> smtplib.SMTP:
        s = self.settings
        context = ssl.create_default_context()
        if s.security == "ssl":
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(s.host, s.port, timeout=TIMEOUT, context=context)
        else:
            smtp = smtplib.SMTP(s.host, s.port, timeout=TIMEOUT)
        try:
            smtp.ehlo()
            if s.security == "starttls":
                smtp.starttls(context=context)
                smtp.ehlo()
            if s.user:
                smtp.login(s.user, self.password or "")
        except BaseException:
            _quietly_close(smtp)
            raise
        return smtp

    def deliver(self, sender: str, recipient: str, data: bytes) -> tuple[int, str]:
        """(code, text) of the server's answer for this recipient; _Stopped when the
        server cannot be reached after RECONNECTS tries."""
        problem = ""
        for attempt in range(RECONNECTS + 1):
            try:
                if self.smtp is None:
                    self.smtp = self._open()
                self.smtp.sendmail(sender, [recipient], data)
                return 250, "accepted"
            except smtplib.SMTPRecipientsRefused as exc:
                code, text = exc.recipients.get(recipient, (550, b"refused"))
                return code, _text(text)
            except smtplib.SMTPSenderRefused as exc:  # about us, not this reader: stop
                raise _Stopped(
                    f"the server refused the sender {sender}: "
                    f"{exc.smtp_code} {_text(exc.smtp_error)} (check `from:` and `user:`)"
                ) from None
            except smtplib.SMTPDataError as exc:
                if exc.smtp_code == 421:  # the server is closing the connection
                    problem = f"421 {_text(exc.smtp_error)}"
                    self.close()
                else:
                    return exc.smtp_code, _text(exc.smtp_error)
            except smtplib.SMTPAuthenticationError as exc:
                self.close()
                raise _Stopped(
                    f"the server refused the login: {exc.smtp_code} {_text(exc.smtp_error)}"
                ) from None
            except ssl.SSLError as exc:  # a certificate that does not verify: retrying cannot help
                self.close()
                raise _Stopped(f"{self.settings.host}: {_describe(exc)}") from None
            except (smtplib.SMTPException, OSError) as exc:
                problem = _describe(exc)
                self.close()
            if attempt < RECONNECTS:
                time.sleep(RECONNECT_PAUSE * (attempt + 1))
        raise _Stopped(f"lost the connection to {self.settings.host}: {problem}")

    def close(self) -> None:
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except (smtplib.SMTPException, OSError):
                _quietly_close(self.smtp)
            self.smtp = None


def _quietly_close(smtp: smtplib.SMTP) -> None:
    with contextlib.suppress(OSError):
        smtp.close()


def _text(value) -> str:
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    return " ".join(str(value).split())[:200]


def _describe(exc: BaseException) -> str:
    if isinstance(exc, socket.gaierror):
        return f"host not found ({exc.strerror or exc})"
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return "the server closed the connection"
    if isinstance(exc, (socket.timeout, TimeoutError)):
        return f"no answer within {TIMEOUT:g} s"
    if isinstance(exc, ssl.SSLCertVerificationError):
        return f"TLS error: the server's certificate is not trusted ({exc.verify_message})"
    if isinstance(exc, ssl.SSLError):
        return f"TLS error: {exc.reason or exc}"
    return f"{type(exc).__name__}: {exc}".rstrip(": ")
