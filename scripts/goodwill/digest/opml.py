"""OPML 2.0 import and export of feeds.yaml, the format every feed reader speaks.

Import appends to feeds.yaml as text, so the user's comments and layout stay
exactly as they were; the result is re-read and validated before it replaces
the file.
"""

from __future__ import annotations

import json
import os
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from email.utils import format_datetime
from pathlib import Path

from goodwill.digest.clock import now_utc
from goodwill.digest.sources import Source, load_sources, url_key
from goodwill.errors import Collector, GoodwillError
from goodwill.project import Project
from goodwill.textfile import read_text

MAX_OPML_BYTES = 5 * 1024 * 1024


@dataclass
class ImportResult:
    added: list[Source]
    skipped: list[str]  # URLs already in feeds.yaml (or twice in the OPML file)


def read_opml(path: Path) -> list[Source]:
    """Every outline with an xmlUrl; parent outlines and `category` become tags."""
    text = read_text(path, MAX_OPML_BYTES)
    if "<!DOCTYPE" in text or "<!ENTITY" in text:
        raise GoodwillError(
            "OPML files with a DOCTYPE or entities are refused",
            path=path,
            hint="export the file again from your feed reader",
        )
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        line = exc.position[0] if exc.position else None
        raise GoodwillError(f"not valid OPML: {exc}", path=path, line=line) from None
    body = root.find("body")
    if root.tag != "opml" or body is None:
        raise GoodwillError(
            "not an OPML file (no <opml><body>)",
            path=path,
            hint="export your subscriptions as OPML from your feed reader",
        )
    found: list[Source] = []
    _walk(body, [], found)
    return found


def _walk(element, folders: list[str], found: list[Source]) -> None:
    for outline in element.findall("outline"):
        url = (outline.get("xmlUrl") or "").strip()
        label = (outline.get("title") or outline.get("text") or "").strip()
        if url:
            tags = list(folders)
            for category in (outline.get("category") or "").split(","):
                tag = category.strip().strip("/").split("/")[-1].strip()
                if tag and tag not in tags:
                    tags.append(tag)
            found.append(Source(label or url, url, tuple(tags)))
        else:
            _walk(outline, folders + ([label] if label else []), found)


def import_opml(project: Project, opml_path: Path) -> ImportResult:
    """Append the OPML file's feeds that feeds.yaml does not have yet."""
    problems = Collector()
    current = load_sources(project, problems)
    problems.raise_if_errors()
    known = {url_key(s.url) for s in current.sources}
    added: list[Source] = []
    skipped: list[str] = []
    for source in read_opml(opml_path):
        key = url_key(source.url)
        if key in known:
            skipped.append(source.url)
            continue
        known.add(key)
        added.append(source)
    if added:
        _append_sources(project, added, opml_path.name)
    return ImportResult(added, skipped)


def _append_sources(project: Project, added: list[Source], origin: str) -> None:
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
    lines = [f"# Imported from {origin} on {now_utc().date().isoformat()}"]
    for source in added:
        lines.append(f"- name: {json.dumps(source.name, ensure_ascii=False)}")
        lines.append(f"  url: {json.dumps(source.url, ensure_ascii=False)}")
        if source.tags:
            tags = ", ".join(json.dumps(t, ensure_ascii=False) for t in source.tags)
            lines.append(f"  tags: [{tags}]")
    separator = "" if not old or old.endswith("\n\n") else ("\n" if old.endswith("\n") else "\n\n")
    new_text = old + separator + "\n".join(lines) + "\n"
    _replace_checked(project, new_text)


def _has_data(text: str) -> bool:
    return any(ln.strip() and not ln.lstrip().startswith("#") for ln in text.splitlines())


def _replace_checked(project: Project, text: str) -> None:
    """Write feeds.yaml atomically, only if the new text still validates."""
    path = project.feeds_file
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".feeds-", suffix=".yaml", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        problems = Collector()
        load_sources(project, problems, Path(tmp))
        if problems.errors:
            raise GoodwillError(
                "the merged feeds.yaml would not validate; nothing was changed",
                path=path,
                hint=problems.errors[0].format(),
            )
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


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
        attrs = {"type": "rss", "text": source.name, "title": source.name, "xmlUrl": source.url}
        if source.tags:
            attrs["category"] = ",".join(source.tags)
        ET.SubElement(body, "outline", attrs)
    ET.indent(root)
    xml = ET.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + xml + "\n", local
