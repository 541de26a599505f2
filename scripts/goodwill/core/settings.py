"""goodwill.yml: the project's own settings (sender for letters, digest options, the guide).

Each feature validates its own section; this module only loads the file and
warns about sections nobody reads.
"""

from __future__ import annotations

from goodwill.core.errors import Collector, unknown_key_hint
from goodwill.core.project import Project
from goodwill.core.yamlload import LineDict, load_yaml_file

SECTIONS = ("sender", "letters", "digest", "guide", "private_dir")


def load_settings(project: Project, problems: Collector) -> LineDict:
    """The parsed goodwill.yml (empty if absent); unknown sections are warnings."""
    path = project.settings_file
    empty = LineDict.empty()
    if not path.is_file():
        return empty
    data = load_yaml_file(path)
    if data is None:
        return empty
    if not isinstance(data, dict):
        problems.error(
            path,
            1,
            "goodwill.yml must be a mapping of sections",
            "start with e.g. `sender:` on its own line",
        )
        return empty
    for key in data:
        if key not in SECTIONS:
            hint = unknown_key_hint(key, SECTIONS)
            problems.warning(path, data.line_of(key), f"unknown section '{key}'", hint)
    return data
