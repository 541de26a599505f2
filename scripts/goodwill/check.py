"""`goodwill check`: validate everything goodwill knows, without building."""

from __future__ import annotations

from goodwill.errors import Collector, GoodwillError
from goodwill.guide import check_mkdocs_config, load_guide_articles
from goodwill.project import Project
from goodwill.settings import load_settings

# Each takes (project, problems), records what it finds, and may raise for an unreadable file.
CHECKS = [load_guide_articles, check_mkdocs_config, load_settings]


def check_project(project: Project) -> Collector:
    """Collect every problem in the project's files; raise nothing."""
    problems = Collector()
    for check in CHECKS:
        try:
            check(project, problems)
        except GoodwillError as exc:
            problems.extend([exc.problem])
    return problems
