"""OPML 2.0 import and export of feeds.yaml, the format every feed reader speaks.

Import appends to feeds.yaml as text, so the user's comments and layout stay
exactly as they were. Each outline is checked like a feeds.yaml entry first (only
http(s) addresses: an OPML file from elsewhere must not point goodwill at local
files); the ones that fail are skipped and reported at their line in the OPML
file. The merged text is validated again before it replaces feeds.yaml.
"""

from __future__ import annotations

import json
import os
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field, replace
from email.utils import format_datetime
from pathlib import Path
from xml.parsers import expat

from goodwill.core.errors import Collector, GoodwillError, Problem, ValidationFailed
from goodwill.core.project import Project
from goodwill.core.textfile import read_text
from goodwill.core.xmltext import check_well_formed, xml_text
from goodwill.digest.clock import now_utc
from goodwill.digest.sources import Source, check_url, is_http_url, load_sources, url_key

MAX_OPML_BYTES = 5 * 1024 * 1024


@dataclass
class ImportResult:
    added: list[Source]
    skipped: list[str]  # URLs already in feeds.yaml (or twice in the OPML file)
    rejected: list[Problem] = field(default_factory=list)  # outlines left out, and why


def read_opml(path: Path) -> list[Source]:
    """Every outline with an xmlUrl (its line in `Source.line`); parent outlines and
    `category` become tags."""
    text = read_text(path, MAX_OPML_BYTES)
    if "<!DOCTYPE" in text or "<!ENTITY" in text:
        raise GoodwillError(
            "OPML files with a DOCTYPE or entities are refused",
            path=path,
            hint="export the file again from your feed reader",
        )
    reader = _OutlineReader()
    try:
        reader.read(text)
    except expat.ExpatError as exc:
        raise GoodwillError(f"not valid OPML: {exc}", path=path, line=exc.lineno) from None
    if not reader.has_body:
        raise GoodwillError(
            "not an OPML file (no <opml><body>)",
            path=path,
            hint="export your subscriptions as OPML from your feed reader",
        )
    return reader.found


class _OutlineReader:
    """Walks <opml><body> with expat, which knows each outline's line (ElementTree does not)."""

    def __init__(self) -> None:
        self.found: list[Source] = []
        self.has_body = False
        self._path: list[str] = []  # element names from the root
        self._folders: list[str | None] = []  # per open outline: its folder label, or None
        self._parser = expat.ParserCreate()
        self._parser.StartElementHandler = self._start
        self._parser.EndElementHandler = self._end

    def read(self, text: str) -> None:
        self._parser.Parse(text, True)

    def _start(self, name: str, attrs: dict) -> None:
        self._path.append(name)
        if self._path[:2] == ["opml", "body"] and len(self._path) == 2:
            self.has_body = True
        if name != "outline" or self._path[:2] != ["opml", "body"]:
            return
        url = (attrs.get("xmlUrl") or "").strip()
        raw = attrs.get("title") or attrs.get("text") or ""
        label = " ".join("".join(c if c.isprintable() else " " for c in raw).split())
        if not url:
            self._folders.append(label or None)
            return
        self._folders.append(None)
        tags = [f for f in self._folders if f]
        for category in (attrs.get("category") or "").split(","):
            tag = category.strip().strip("/").split("/")[-1].strip()
            if tag and tag not in tags:
                tags.append(tag)
        line = self._parser.CurrentLineNumber
        self.found.append(Source(label or url, url, tuple(tags), line=line))

    def _end(self, name: str) -> None:
        self._path.pop()
        if name == "outline" and self._folders:
            self._folders.pop()


def import_opml(project: Project, opml_path: Path, dry_run: bool = False) -> ImportResult:
    """Append the OPML file's feeds that feeds.yaml does not have yet.

    `dry_run`: work out what would be added, skipped and rejected; write nothing."""
    problems = Collector()
    current = load_sources(project, problems)
    problems.raise_if_errors()
    known = {url_key(s.url) for s in current.sources}
    added: list[Source] = []
    skipped: list[str] = []
    rejected = Collector()
    for source in read_opml(opml_path):
        label = f"outline '{source.name}'"
        checked = Collector()
        usable = check_url(source.url, label, opml_path, source.line, project.root, checked)
        if usable and not is_http_url(source.url):
            checked.error(
                opml_path,
                source.line,
                f"{label}: xmlUrl {source.url!r} is not an http(s) address",
                "only http(s) feeds are imported; add local feed files to feeds.yaml by hand",
            )
        if checked.errors:
            rejected.extend(
                replace(p, severity="warning", message=f"{p.message}; skipped")
                for p in checked.errors
            )
            continue
        key = url_key(source.url)
        if key in known:
            skipped.append(source.url)
            continue
        known.add(key)
        added.append(source)
    if added and not dry_run:
        _append_sources(project, added, opml_path)
    return ImportResult(added, skipped, rejected.problems)


def _append_sources(project: Project, added: list[Source], opml_path: Path) -> None:
    path = project.feeds_file
    old = read_text(path) if path.is_file() else ""
    if old.strip() and not any(line.startswith("-") for line in old.splitlines()):
        if old.strip() not in ("[]",) and _has_data(old):
            raise GoodwillError(
                "feeds.yaml is not written as a block list ('- name: ...')",
                path=path,
                hint="rewrite it with one '- name:' item per feed",
            )
        old = "" if old.strip() == "[]" else old
    separator = "" if not old or old.endswith("\n\n") else ("\n" if old.endswith("\n") else "\n\n")
    lines = [f"# Imported from {opml_path.name} on {now_utc().date().isoformat()}"]
    first_line = (old + separator).count("\n") + 1  # of the comment above
    origins: dict[int, Source] = {}  # line in feeds.yaml -> the outline it came from
    for source in added:
        start = first_line + len(lines)
        lines.append(f"- name: {json.dumps(source.name, ensure_ascii=False)}")
        lines.append(f"  url: {json.dumps(source.url, ensure_ascii=False)}")
        if source.tags:
            tags = ", ".join(json.dumps(t, ensure_ascii=False) for t in source.tags)
            lines.append(f"  tags: [{tags}]")
        origins.update({line: source for line in range(start, first_line + len(lines))})
    _replace_checked(project, old + separator + "\n".join(lines) + "\n", origins, opml_path)


def _has_data(text: str) -> bool:
    return any(ln.strip() and not ln.lstrip().startswith("#") for ln in text.splitlines())


def _replace_checked(
    project: Project, text: str, origins: dict[int, Source], opml_path: Path
) -> None:
    """Write feeds.yaml atomically, only if the new text still validates. Problems are
    reported against feeds.yaml (never the temporary file) and the outline behind them."""
    path = project.feeds_file
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".feeds-", suffix=".yaml", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        problems = Collector()
        load_sources(project, problems, Path(tmp))
        if problems.errors:
            raise ValidationFailed(
                [_from_outline(p, path, origins, opml_path) for p in problems.errors]
            )
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _from_outline(problem: Problem, path: Path, origins: dict, opml_path: Path) -> Problem:
    source = origins.get(problem.line)
    hint = problem.hint
    if source is not None:
        origin = f"added from {opml_path}:{source.line}; nothing was changed"
        hint = f"{hint}; {origin}" if hint else origin
    return replace(problem, path=path, hint=hint)


def export_opml(sources: list[Source], title: str) -> tuple[str, int]:
    """OPML 2.0 text of the http(s) feeds, and how many local-file feeds were left out."""
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = title
    ET.SubElement(head, "dateCreated").text = format_datetime(now_utc(), usegmt=True)
    body = ET.SubElement(root, "body")
    local = 0
    for source in sources:
        if not source.is_remote:
            local += 1
            continue
        name = xml_text(source.name)  # feeds.yaml may spell a control character as "\a"
        attrs = {"type": "rss", "text": name, "title": name, "xmlUrl": xml_text(source.url)}
        if source.tags:
            attrs["category"] = xml_text(",".join(source.tags))
        ET.SubElement(body, "outline", attrs)
    ET.indent(root)
    xml = '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
    check_well_formed(xml, "OPML export", what="OPML file")
    return xml, local
