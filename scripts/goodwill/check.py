"""`goodwill check`: validate everything goodwill knows, without building."""

from __future__ import annotations

from goodwill.errors import Collector
from goodwill.guide import check_mkdocs_config, load_guide_articles
from goodwill.project import Project


def check_project(project: Project) -> Collector:
    """Collect every problem in the project's files; raise nothing."""
    problems = Collector()
    load_guide_articles(project, problems)
    check_mkdocs_config(project, problems)
    return problems
