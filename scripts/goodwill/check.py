"""`goodwill check`: validate everything goodwill knows, without building."""

from __future__ import annotations

from goodwill.core.errors import Collector, GoodwillError
from goodwill.core.project import Project
from goodwill.core.settings import load_settings
from goodwill.digest.validate import check_digest
from goodwill.guide.build import check_guide
from goodwill.letters.compose import check_letters

# Each takes (project, problems), records what it finds, and may raise for an unreadable file.
CHECKS = [check_guide, load_settings, check_digest, check_letters]


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
