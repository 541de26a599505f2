"""`goodwill check`: validate everything goodwill knows, without building."""

from __future__ import annotations

from goodwill.core.errors import Collector, GoodwillError
from goodwill.core.private_check import check_privacy
from goodwill.core.project import Project
from goodwill.core.public_files import check_public_links
from goodwill.core.settings import load_settings
from goodwill.digest.validate import check_digest
from goodwill.guide.build import check_guide
from goodwill.guide.nav_check import check_unlisted_pages
from goodwill.guide.privacy_guard import check_page_privacy
from goodwill.letters.compose import check_letters

# Each takes (project, problems), records what it finds, and may raise for an unreadable file.
CHECKS = [
    check_privacy,
    check_public_links,
    check_guide,
    load_settings,
    check_digest,
    check_letters,
    check_page_privacy,
    check_unlisted_pages,
]


def check_project(project: Project) -> Collector:
    """Collect every problem in the project's files; raise nothing."""
    problems = Collector()
    for check in CHECKS:
        try:
            check(project, problems)
        except GoodwillError as exc:
            problems.extend([exc.problem])
    problems.sort()
    return problems
