"""Where a goodwill project's files are, and which of them are private."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from goodwill.core.errors import GoodwillError

# Never published: relationship records, the feed list and the sample feed files,
# the digest's subscribers and its send log (who was sent which issue).
PRIVATE_DIRS = ("records", "feeds", "sent")
PRIVATE_FILES = ("feeds.yaml", "feeds.yml", "subscribers.yaml", "subscribers.yml")
# What the guide may publish besides Markdown: assets only, never data files.
ASSET_SUFFIXES = frozenset(
    [
        ".png",
        ".jpg",
        ".jpeg",
        ".gif",
        ".svg",
        ".webp",
        ".avif",
        ".ico",
        ".css",
        ".js",
        ".pdf",
        ".woff",
        ".woff2",
        ".mp3",
        ".mp4",
    ]
)


@dataclass(frozen=True)
class Project:
    root: Path

    @classmethod
    def find(cls, start: Path | None = None) -> Project:
        """The nearest folder at or above `start` holding mkdocs.yml."""
        here = (start or Path.cwd()).resolve()
        for folder in (here, *here.parents):
            if (folder / "mkdocs.yml").is_file():
                return cls(folder)
        raise GoodwillError(
            f"no mkdocs.yml in {here} or any folder above it",
            hint="run this inside a goodwill project, or create one with `goodwill init DIR`",
        )

    @property
    def mkdocs_yml(self) -> Path:
        return self.root / "mkdocs.yml"

    @property
    def settings_file(self) -> Path:
        return self.root / "goodwill.yml"

    @property
    def content_dir(self) -> Path:
        return self.root / "content"

    @property
    def articles_dir(self) -> Path:
        return self.content_dir / "articles"

    @property
    def digest_dir(self) -> Path:
        return self.content_dir / "digest"

    @property
    def records_dir(self) -> Path:
        return self.content_dir / "records"

    @property
    def feeds_file(self) -> Path:
        return self.content_dir / "feeds.yaml"

    @property
    def subscribers_file(self) -> Path:
        return self.content_dir / "subscribers.yaml"

    @property
    def sent_dir(self) -> Path:
        """The digest's send log: one file per issue, the memory of who was sent it.
        It holds addresses, so it lives beside subscribers.yaml."""
        return self.subscribers_file.parent / "sent"

    @property
    def templates_dir(self) -> Path:
        return self.root / "templates"

    @property
    def site_dir(self) -> Path:
        return self.root / "site"

    @property
    def letters_dir(self) -> Path:
        return self.root / "letters"

    @property
    def state_dir(self) -> Path:
        """Disposable working state (caches, build staging), git-ignored."""
        return self.root / ".goodwill"

    def is_private(self, path: Path) -> bool:
        """True for anything under content/ that must never reach the site."""
        rel = path.relative_to(self.content_dir)
        return rel.parts[0] in PRIVATE_DIRS or rel.name in PRIVATE_FILES

    def publishable_files(self):
        """Markdown pages and assets under content/, private paths left out."""
        for path in sorted(self.content_dir.rglob("*")):
            if not path.is_file() or self.is_private(path):
                continue
            if path.suffix == ".md" or path.suffix.lower() in ASSET_SUFFIXES:
                yield path
