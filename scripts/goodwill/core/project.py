"""Where a goodwill project's files are, and which of them are private."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from goodwill.core.errors import GoodwillError
from goodwill.core.yamlload import load_yaml_file

# Never published: relationship records, the feed list and the sample feed files,
# the digest's subscribers and its send log (who was sent which issue).
PRIVATE_DIRS = ("records", "feeds", "sent")
PRIVATE_FILES = ("feeds.yaml", "feeds.yml", "subscribers.yaml", "subscribers.yml")
PRIVATE_DIR_KEY = "private_dir"  # goodwill.yml: where records/, feeds.yaml, subscribers.yaml live
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

    @cached_property
    def private_root(self) -> Path:
        """The folder holding records/, feeds.yaml and subscribers.yaml: content/, or
        goodwill.yml's `private_dir` (relative to the project), e.g. a private repository."""
        configured = configured_private_dir(self.settings_file)
        if configured is None:
            return self.content_dir
        return (self.root / Path(configured).expanduser()).resolve()

    @property
    def records_dir(self) -> Path:
        return self.private_root / "records"

    @property
    def feeds_file(self) -> Path:
        return self.private_root / "feeds.yaml"

    @property
    def subscribers_file(self) -> Path:
        return self.private_root / "subscribers.yaml"

    def private_paths(self) -> list[Path]:
        """What must stay out of a public repository (content/feeds/ holds copies of
        public feeds: it is never published, but sharing it reveals nothing)."""
        return [
            self.records_dir,
            self.feeds_file,
            self.private_root / "feeds.yml",
            self.subscribers_file,
            self.private_root / "subscribers.yml",
            self.sent_dir,
            self.letters_dir,
            self.state_dir,
        ]

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
        return is_private_name(rel.parts) or (
            self.private_root != self.content_dir and self.private_root in path.parents
        )


def is_private_name(parts: tuple[str, ...]) -> bool:
    """A content/-relative path (as its parts) that names a private folder or file."""
    return bool(parts) and (parts[0] in PRIVATE_DIRS or parts[-1] in PRIVATE_FILES)


def configured_private_dir(settings_file: Path) -> str | None:
    """goodwill.yml's `private_dir` as written, or None when it has none.

    An unreadable goodwill.yml or a `private_dir` that is not text raises: guessing
    where the records are could let a build miss them in its privacy scan.
    """
    if not settings_file.is_file():
        return None
    data = load_yaml_file(settings_file)
    if not isinstance(data, dict) or data.get(PRIVATE_DIR_KEY) is None:
        return None
    value = data[PRIVATE_DIR_KEY]
    if not isinstance(value, str) or not value.strip():
        raise GoodwillError(
            "private_dir: expected the path of a folder",
            path=settings_file,
            line=data.line_of(PRIVATE_DIR_KEY),
            hint="e.g. private_dir: ../my-network (relative to the project folder)",
        )
    return value.strip()
