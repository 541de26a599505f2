"""What `goodwill check` validates for the digest: settings (smtp too), feeds.yaml, issues,
subscribers.yaml (contacts are the records check's)."""

from __future__ import annotations

import contextlib

from goodwill.core.errors import Collector, GoodwillError
from goodwill.core.project import Project
from goodwill.digest.issues import load_issues
from goodwill.digest.settings import load_digest_settings
from goodwill.digest.smtp_settings import load_smtp_settings
from goodwill.digest.sources import load_sources
from goodwill.digest.subscribers import load_subscribers


def check_digest(project: Project, problems: Collector) -> None:
    """Collect every problem in the digest's files; raise nothing."""
    with contextlib.suppress(GoodwillError):  # an unreadable goodwill.yml: the settings check's
        load_digest_settings(project, problems)
        load_smtp_settings(project, problems)
    load_sources(project, problems)
    load_issues(project, problems)
    load_subscribers(project, problems, with_contacts=False)
