"""The `goodwill` MkDocs plugin: a hand-run `mkdocs build` publishes what goodwill would.

`goodwill build` stages the public pages and builds from them; `mkdocs build`,
`mkdocs serve` or `mkdocs gh-deploy` run by hand read content/ directly. `exclude_docs`
in mkdocs.yml keeps the records out of such a build, but it cannot see where a symbolic
link leads. Listed under `plugins:`, this plugin leaves out every file that goodwill's
own build would not publish (private files, links out of content/ or into the records,
names that are not pages or assets), with a warning naming each one, and says that
the privacy scan of the pages runs in `goodwill build` only. goodwill's own builds
leave it out: they read the staged pages, which hold public files only.
"""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.plugins import BasePlugin, event_priority

from goodwill.core.project import Project
from goodwill.core.public_files import public_files
from goodwill.core.siteconfig import GUARD_PLUGIN

log = logging.getLogger(f"mkdocs.plugins.{GUARD_PLUGIN}")


class PlainBuildGuard(BasePlugin):
    @event_priority(100)  # before any other plugin sees the files
    def on_files(self, files, *, config):
        root = Path(config.config_file_path).parent
        project = Project(root)
        docs = Path(config.docs_dir)
        if docs.resolve() != project.content_dir.resolve():
            return files  # not the project's content/ read directly: goodwill's staging
        public = public_files(project)
        why_not = {link: why for link, why in public.skipped}
        for file in list(files):
            if file.src_dir is None or Path(file.src_dir) != docs:
                continue  # the theme's files, or made by a plugin
            source = project.content_dir / file.src_uri
            if public.allows(source):
                continue
            files.remove(file)
            if not file.inclusion.is_excluded():  # exclude_docs already keeps it out
                why = _reason(source, why_not)
                log.warning(f"left out {source.relative_to(root)}: {why}")
        log.info("built by MkDocs alone: the privacy scan of the pages runs in `goodwill build`")
        return files


def _reason(source: Path, why_not: dict[Path, str]) -> str:
    for link, why in why_not.items():
        if source == link or link in source.parents:
            return f"symbolic link not published: {why}"
    return "goodwill does not publish it (a private file, or not a page or an asset)"
