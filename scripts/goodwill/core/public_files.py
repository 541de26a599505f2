"""Which files under content/ may be published, symbolic links included.

A symbolic link is followed only when the link and what it resolves to are both
inside content/, neither is private, and the target is itself a page, an asset or
a folder of them. Everything else reached through a link (records, the feed list,
subscribers, files elsewhere on the disk) is skipped with a reason, so the build
and `goodwill check` can name each skipped link.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from goodwill.core.errors import Collector
from goodwill.core.project import ASSET_SUFFIXES, Project, is_private_name


@dataclass
class PublicFiles:
    files: list[Path] = field(default_factory=list)  # as found under content/ (not resolved)
    skipped: list[tuple[Path, str]] = field(default_factory=list)  # (link, why)

    def __post_init__(self) -> None:
        self._allowed = set(self.files)

    def allows(self, path: Path) -> bool:
        return path in self._allowed

    def under(self, folder: Path, suffix: str = ".md") -> list[Path]:
        """The public files with `suffix` anywhere below `folder`."""
        return [p for p in self.files if p.suffix == suffix and folder in p.parents]

    def report(self, problems: Collector) -> None:
        for link, why in self.skipped:
            problems.warning(
                link,
                None,
                f"symbolic link not published: {why}",
                "copy the file into content/ instead, or remove the link",
            )


def is_publishable_name(path: Path) -> bool:
    return path.suffix == ".md" or path.suffix.lower() in ASSET_SUFFIXES


def public_files(project: Project) -> PublicFiles:
    """Every publishable file under content/, and every symbolic link refused."""
    found = PublicFiles()
    content = project.content_dir
    if not content.is_dir():
        return PublicFiles()
    walker = _Walker(project, content.resolve(), found)
    walker.walk(content, linked=False)
    found.files.sort()
    return PublicFiles(found.files, found.skipped)


class _Walker:
    def __init__(self, project: Project, real_content: Path, found: PublicFiles):
        self.project = project
        self.real_content = real_content
        self.private_root = project.private_root.resolve()
        self.found = found
        self.entered: set[Path] = set()

    def walk(self, folder: Path, linked: bool) -> None:
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            return
        for entry in entries:
            path = Path(entry.path)
            if is_private_name(path.relative_to(self.project.content_dir).parts):
                continue  # never published, link or not: nothing to report
            is_link = entry.is_symlink()
            if is_link or linked:
                why = self._refusal(path, is_link)
                if why:
                    if is_link:
                        self.found.skipped.append((path, why))
                    continue
            if entry.is_dir():  # follows the link: its target was checked above
                real = path.resolve()
                if real in self.entered or real == self.private_root:
                    continue  # a loop of links (the folders being walked right now)
                self.entered.add(real)
                self.walk(path, linked or is_link)
                self.entered.discard(real)
            elif entry.is_file() and is_publishable_name(path):
                self.found.files.append(path)

    def _refusal(self, path: Path, is_link: bool) -> str:
        """Why `path` (a link, or a file inside a linked folder) must not be published."""
        try:
            real = path.resolve(strict=True)
        except (OSError, RuntimeError):
            return "it points at nothing (or loops)"
        if real != self.real_content and self.real_content not in real.parents:
            return f"it points outside content/ (to {real})"
        outside = self.private_root != self.real_content
        if outside and (real == self.private_root or self.private_root in real.parents):
            return "it points at private records"
        rel = real.relative_to(self.real_content).parts
        real_parent = path.parent.resolve()
        if not rel or real == real_parent or real in real_parent.parents:
            return "it points at a folder that contains it"
        if is_private_name(rel):
            return "it points at a private file or folder"
        if real.is_file() and not is_publishable_name(real):
            return f"it points at '{real.name}', which is not a page or an asset"
        if real.is_file() and not is_publishable_name(path):
            return f"the link '{path.name}' is not named as a page or an asset"
        return ""


def check_public_links(project: Project, problems: Collector) -> PublicFiles:
    """`goodwill check`'s part: every symbolic link under content/ that is not published."""
    found = public_files(project)
    found.report(problems)
    return found
