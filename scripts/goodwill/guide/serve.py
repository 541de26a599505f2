"""`goodwill serve`: build into a temporary folder and serve it with live reload."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.livereload import LiveReloadServer

from goodwill.core.errors import GoodwillError
from goodwill.core.project import Project
from goodwill.core.siteconfig import read_site_config
from goodwill.guide.build import build_guide

HOST = "127.0.0.1"


def serve_preview(project: Project, *, port: int, drafts: bool, echo) -> None:
    """Serve the guide on 127.0.0.1:port until interrupted, rebuilding on changes."""
    workdir = Path(tempfile.mkdtemp(prefix="goodwill-serve-"))
    site_dir = workdir / "site"

    def rebuild() -> None:
        try:
            result = build_guide(project, drafts=drafts, site_dir=site_dir)
        except GoodwillError as exc:  # keep serving the last good build
            echo(f"build failed, still serving the previous version:\n{exc.format(project.root)}")
            return
        echo(f"rebuilt: {len(result.published)} article(s) in {result.seconds:.1f} s")

    try:
        result = build_guide(project, drafts=drafts, site_dir=site_dir)
        echo(f"built {len(result.published)} article(s) in {result.seconds:.1f} s")
        server = LiveReloadServer(
            builder=rebuild,
            host=HOST,
            port=port,
            root=str(site_dir),
            mount_path=_mount_path(project),
        )
        for path in (project.content_dir, project.templates_dir, project.mkdocs_yml):
            if path.exists():
                server.watch(str(path))
        echo(f"Serving on http://{HOST}:{port}{_mount_path(project)} (Ctrl+C to stop)")
        try:
            server.serve()
        except KeyboardInterrupt:
            echo("stopped")
        finally:
            server.shutdown()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _mount_path(project: Project) -> str:
    raw = read_site_config(project)
    path = urlsplit(raw.get("site_url") or "/").path or "/"
    return path if path.endswith("/") else path + "/"
