"""Check the links in the guide's pages against the site plan, with their source lines.

The same check runs in `goodwill check` and `goodwill build`: relative links to pages and
assets, `#anchors` against the target page's headings (or the page's own), and absolute
links that start with `site_url` or `/`. Links to other sites are not fetched.
"""

from __future__ import annotations

import bisect
import posixpath
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from goodwill.core.errors import Collector, GoodwillError, did_you_mean
from goodwill.core.frontmatter import split_front_matter
from goodwill.core.project import Project
from goodwill.core.public_files import PublicFiles, public_files
from goodwill.core.siteconfig import read_site_config, site_url
from goodwill.core.textfile import read_text
from goodwill.digest.issues import issue_paths
from goodwill.guide.site_plan import SitePlan, plan_site, without_fenced_code

_INLINE = re.compile(r"!?\[(?:[^\]\\]|\\.)*\]\(\s*<?([^)\s>]+)>?(?:\s+[\"'(][^)]*)?\s*\)")
_REFERENCE = re.compile(r"^[ ]{0,3}\[[^\]\n]+\]:[ \t]*<?(\S+?)>?(?:[ \t]+.*)?$", re.M)
_HTML_ATTR = re.compile(r"""<(?:a|img)\b[^>]*?\b(?:href|src)=["']([^"']+)["']""", re.I)
_AUTOLINK = re.compile(r"<(https?://[^>\s]+)>")
_CODE_SPAN = re.compile(r"`[^`\n]*`")
_NEWLINE = re.compile("\n")
_OTHER_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


@dataclass(frozen=True)
class Source:
    """A page whose links are checked: where it lives in the site and in the project."""

    page: str  # docs-relative, e.g. articles/slug.md
    path: Path  # the user's file, for messages
    body: str
    first_line: int = 1  # of the body in the file


def check_guide_links(
    project: Project,
    articles,
    site_author: str,
    problems: Collector,
    strict: bool = False,
    public: PublicFiles | None = None,
) -> None:
    """Check every page's links: the built articles, the digest issues, the other pages.

    `public`: the project's public files, when the caller has listed them already."""
    sources = [Source(f"articles/{a.slug}.md", a.path, a.body, a.body_line) for a in articles]
    for path in issue_paths(project):
        sources += _source(project, path)
    # Symbolic links only where they may lead.
    public = (public or public_files(project)).files
    for path in public:
        rel = path.relative_to(project.content_dir).as_posix()
        if path.suffix == ".md" and not rel.startswith(("articles/", "digest/")):
            sources += _source(project, path)
    plan = plan_site(project, articles, site_author, public)
    check_links(sources, plan, site_url(read_site_config(project)), problems, strict)


def _source(project: Project, path: Path) -> list[Source]:
    try:
        split = split_front_matter(read_text(path), path)
    except GoodwillError:  # reported by the check that reads it
        return []
    rel = path.relative_to(project.content_dir).as_posix()
    return [Source(rel, path, split.body, split.body_line)]


def check_links(
    sources: list[Source], plan: SitePlan, site_url: str, problems: Collector, strict: bool
) -> None:
    """Report every broken link in `sources`, sorted by file and line."""
    found = Collector()
    report = found.error if strict else found.warning
    base_path = urlsplit(site_url).path if site_url else "/"
    base_path = base_path if base_path.endswith("/") else base_path + "/"
    for source in sources:
        for line_no, target in _links(source):
            message = _problem(source.page, target, plan, site_url, base_path)
            if message:
                text, hint = message
                report(source.path, source.first_line + line_no, text, hint)
    found.problems.sort(key=lambda p: (str(p.path), p.line or 0))
    problems.extend(found.problems)


def _links(source: Source):
    return _link_targets(source.body)


@lru_cache(maxsize=8192)  # previews check the same unchanged pages round after round
def _link_targets(body: str) -> tuple[tuple[int, str], ...]:
    """(line offset, target) of every link in a Markdown text, code left out."""
    return tuple(_scan(body))


def _scan(body: str):
    text = _CODE_SPAN.sub(lambda m: " " * len(m.group(0)), without_fenced_code(body))
    breaks = [m.start() for m in _NEWLINE.finditer(text)]
    found = []
    for pattern in (_INLINE, _HTML_ATTR, _REFERENCE, _AUTOLINK):
        for match in pattern.finditer(text):
            found.append((bisect.bisect_left(breaks, match.start()), match.group(1)))
    return sorted(found)


def _problem(page: str, target: str, plan: SitePlan, site_url: str, base_path: str):
    """(message, hint) when `target` written in `page` leads nowhere; None when fine."""
    raw = target
    if site_url and target.startswith(site_url):
        target = "/" + target[len(site_url) :].lstrip("/")
    elif target.startswith("//") or _OTHER_SCHEME.match(target):
        return None  # another site, mailto:, tel:, ...
    parts = urlsplit(target)
    path, anchor = unquote(parts.path), unquote(parts.fragment)
    if path.startswith("/"):
        if not path.startswith(base_path) and base_path != "/":
            return (f"link to '{raw}' leads outside the guide ({base_path})", "use a relative link")
        path = path[len(base_path) :] if base_path != "/" else path.lstrip("/")
        resolved = _page_for_url(path, plan)
    elif not path:
        resolved = page
    elif path.endswith(".md") or _beside(page, path) in plan.files:
        resolved = _page_for_file(page, path, plan)
    else:  # written as a URL (`../other-article/`): relative to the page's own URL
        resolved = _page_for_url(posixpath.join(_url_dir(page), path), plan)
    if resolved is None:
        return (
            f"link to '{raw}' points at no page of the guide",
            "check the file name in content/ (drafts and future articles are not built)",
        )
    if resolved == "" or not anchor:
        return None  # an asset or feed file, or a page without anchor
    ids = plan.pages.get(resolved)
    if ids is None or anchor in ids:
        return None
    hint = did_you_mean(anchor, sorted(ids)) or (
        "headings: " + ", ".join(sorted(ids)[:8]) if ids else "that page has no headings"
    )
    return (f"link to '{raw}': no heading '#{anchor}' in {resolved}", hint)


def _beside(page: str, path: str) -> str:
    """`path` relative to the folder of the page's file."""
    return _normalize(posixpath.join(posixpath.dirname(page), path))


def _page_for_file(page: str, path: str, plan: SitePlan) -> str | None:
    """A link written as a file (`other.md`, `../assets/x.png`), relative to the page's file."""
    joined = _beside(page, path)
    if joined in plan.pages:
        return joined
    if joined in plan.files:
        return ""
    return None


def _page_for_url(path: str, plan: SitePlan) -> str | None:
    """A site-relative URL path (`articles/slug/`, `archive/index.html`) to its page."""
    path = _normalize(path)
    if path in plan.files:
        return ""
    if path.endswith("index.html"):
        path = path[: -len("index.html")]
    stem = path.rstrip("/")
    candidates = [f"{stem}/index.md", f"{stem}.md"] if stem else ["index.md"]
    if stem.endswith(".md"):
        candidates.insert(0, stem)
    return next((c for c in candidates if c in plan.pages), None)


def _url_dir(page: str) -> str:
    """The folder of a page's URL with directory URLs: articles/a.md is at articles/a/."""
    stem = page[: -len(".md")]
    if stem == "index" or stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


def _normalize(path: str) -> str:
    normal = posixpath.normpath(path) if path else ""
    normal = "" if normal == "." else normal
    return normal.lstrip("/") + ("/" if path.endswith("/") and normal not in ("", ".") else "")
