"""The `guide:` section of goodwill.yml: which engine builds the site, the e-mail sign-up."""

from __future__ import annotations

from dataclasses import dataclass

from goodwill.core.errors import Collector, unknown_key_hint
from goodwill.core.project import Project
from goodwill.core.settings import load_settings
from goodwill.guide.subscribe import Signup, check_signup

ENGINES = ("mkdocs", "zensical")
KNOWN_KEYS = ("engine", "signup_url", "signup_label")


@dataclass(frozen=True)
class GuideSettings:
    engine: str = "mkdocs"
    signup: Signup | None = None


def load_guide_settings(project: Project, problems: Collector) -> GuideSettings:
    """The guide's settings (defaults when absent); problems go to the collector."""
    settings = load_settings(project, Collector())  # `check` reports the file's own problems
    section = settings.get("guide")
    path = project.settings_file
    if section is None:
        return GuideSettings()
    if not isinstance(section, dict):
        problems.error(
            path, settings.line_of("guide"), "guide: must be a set of `key: value` lines"
        )
        return GuideSettings()
    problems.check_keys(path, section, KNOWN_KEYS, "guide setting")
    engine = section.get("engine", "mkdocs")
    if engine not in ENGINES:
        problems.error(
            path,
            section.line_of("engine"),
            f"guide: engine: {engine!r} is not one of {', '.join(ENGINES)}",
            unknown_key_hint(engine, ENGINES),
        )
        engine = "mkdocs"
    return GuideSettings(engine, check_signup(section, path, problems))


def check_guide_settings(project: Project, problems: Collector) -> None:
    """For `goodwill check`."""
    load_guide_settings(project, problems)
