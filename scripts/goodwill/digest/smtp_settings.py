"""`digest: smtp:` in goodwill.yml, and the SMTP password (never from a project file).

The password comes from the environment variable GOODWILL_SMTP_PASSWORD or from the
system keyring (service "goodwill", user "<user>@<host>"), when `keyring` is installed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from urllib.parse import urlsplit

from goodwill.core.errors import Collector, GoodwillError, unknown_key_hint
from goodwill.core.project import Project
from goodwill.core.settings import load_settings
from goodwill.digest.subscribers import address_problem

PASSWORD_VARIABLE = "GOODWILL_SMTP_PASSWORD"
KEYRING_SERVICE = "goodwill"
SECURITY = ("starttls", "ssl", "none")
DEFAULT_PORTS = {"starttls": 587, "ssl": 465, "none": 25}
KNOWN_KEYS = ("host", "port", "security", "user", "from", "rate_per_minute", "unsubscribe_url")
EXAMPLE = (
    "digest:\n  smtp:\n    host: smtp.example.com\n    security: starttls\n"
    "    user: alex@example.com\n    from: Alex Morgan <alex@example.com>"
)


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    sender: str  # the From: address (`from:` in goodwill.yml), "Name <address>" allowed
    port: int = 587
    security: str = "starttls"
    user: str = ""
    rate_per_minute: int = 0  # 0: as fast as the server takes them
    unsubscribe_url: str = ""  # https, with {email} (and optionally {issue}) filled in

    @property
    def sender_address(self) -> str:
        from email.utils import parseaddr

        return parseaddr(self.sender)[1]

    @property
    def interval(self) -> float:
        """Seconds between two messages under the rate limit."""
        return 60.0 / self.rate_per_minute if self.rate_per_minute else 0.0


def load_smtp_settings(project: Project, problems: Collector) -> SmtpSettings | None:
    """The validated `digest.smtp` section, or None when it is absent or wrong."""
    data = load_settings(project, Collector())
    path = project.settings_file
    digest = data.get("digest")
    section = digest.get("smtp") if isinstance(digest, dict) else None
    if section is None:
        return None
    line = digest.line_of("smtp")
    if not isinstance(section, dict):
        problems.error(path, line, "digest.smtp: must be a mapping", EXAMPLE)
        return None
    for key in section:
        if key == "password":
            problems.error(
                path,
                section.line_of(key),
                "digest.smtp.password: passwords never go in goodwill.yml (it may be committed)",
                f"remove it; set {PASSWORD_VARIABLE} or store it in the system keyring",
            )
        elif key not in KNOWN_KEYS:
            hint = unknown_key_hint(key, KNOWN_KEYS)
            problems.error(path, section.line_of(key), f"digest.smtp: unknown option '{key}'", hint)
    before = len(problems.errors)
    values = _checked(section, path, problems)
    if len(problems.errors) > before or any(k == "password" for k in section):
        return None
    return SmtpSettings(**values)


def _checked(section, path, problems: Collector) -> dict:
    def error(key, message, hint=""):
        problems.error(path, section.line_of(key), f"digest.smtp.{key}: {message}", hint)

    values: dict = {}
    host = section.get("host")
    if not isinstance(host, str) or not host.strip() or any(c.isspace() for c in host.strip()):
        error("host", "must be the server's name, e.g. smtp.example.com", EXAMPLE)
    else:
        values["host"] = host.strip()
    security = section.get("security", "starttls")
    if security not in SECURITY:
        error("security", f"must be one of {', '.join(SECURITY)}, got {security!r}")
        security = "starttls"
    values["security"] = security
    port = section.get("port", DEFAULT_PORTS[security])
    if isinstance(port, bool) or not isinstance(port, int) or not 1 <= port <= 65535:
        error("port", f"must be a number from 1 to 65535, got {port!r}", "587 for starttls")
    values["port"] = port
    user = section.get("user", "")
    if not isinstance(user, str):
        error("user", "must be text", "quote it")
    values["user"] = str(user or "").strip()
    sender = section.get("from")
    from email.utils import parseaddr

    if not isinstance(sender, str) or address_problem(parseaddr(sender)[1]):
        error("from", f"must be an e-mail address, got {sender!r}", "e.g. Alex <alex@example.com>")
    else:
        values["sender"] = sender.strip()
    rate = section.get("rate_per_minute", 0)
    if isinstance(rate, bool) or not isinstance(rate, int) or not 0 <= rate <= 100_000:
        error("rate_per_minute", f"must be a whole number (0: no limit), got {rate!r}")
    values["rate_per_minute"] = rate
    url = section.get("unsubscribe_url", "")
    if url:
        problem = _url_problem(url)
        if problem:
            error("unsubscribe_url", problem, "e.g. https://example.com/unsubscribe?email={email}")
        else:
            values["unsubscribe_url"] = url.strip()
    if values["security"] == "none" and values["user"] and not _is_loopback(values.get("host")):
        error(
            "security",
            "none would send the password unencrypted",
            "use starttls or ssl (none is for a server on this machine)",
        )
    return values


def _url_problem(url) -> str:
    if not isinstance(url, str):
        return "must be text"
    try:
        parts = urlsplit(url.strip())
        url.strip().format(email="x", issue="x")
    except (ValueError, KeyError, IndexError):
        return f"not a usable address pattern: {url!r} (only {{email}} and {{issue}})"
    if parts.scheme != "https" or not parts.hostname:
        return f"must be an https address, got {url!r}"
    return ""


def _is_loopback(host: str | None) -> bool:
    return host in ("localhost", "127.0.0.1", "::1")


def smtp_password(settings: SmtpSettings) -> str | None:
    """The password for `settings.user`: the environment, else the keyring; None if none."""
    if not settings.user:
        return None
    password = os.environ.get(PASSWORD_VARIABLE)
    if password:
        return password
    try:
        import keyring  # optional: the system keyring (Secret Service, Keychain...)
    except ImportError:
        keyring = None
    if keyring is not None:
        try:
            password = keyring.get_password(KEYRING_SERVICE, f"{settings.user}@{settings.host}")
        except Exception:  # noqa: BLE001 - no usable keyring backend: same as no password
            password = None
        if password:
            return password
    raise GoodwillError(
        f"no SMTP password for {settings.user}",
        hint=(
            f"set {PASSWORD_VARIABLE}, or store it with "
            f"`keyring set {KEYRING_SERVICE} {settings.user}@{settings.host}`"
        ),
    )
