"""One Jinja environment: project templates first, shipped defaults second."""

from __future__ import annotations

import traceback
from functools import lru_cache
from pathlib import Path

import jinja2

from goodwill.core.errors import GoodwillError
from goodwill.core.scaffold_source import default_templates_dir


@lru_cache(maxsize=8)
def environment(templates_dir: Path) -> jinja2.Environment:
    """Templates from `templates_dir`, falling back to goodwill's own; StrictUndefined."""
    search = [str(templates_dir)]
    default = default_templates_dir()
    if default.resolve() != templates_dir.resolve():
        search.append(str(default))
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(search),
        undefined=jinja2.StrictUndefined,
        autoescape=jinja2.select_autoescape(["html", "html.j2", "xml"]),
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env


def render(templates_dir: Path, name: str, context: dict, *, subject: str = "") -> str:
    """Render template `name`; errors name the template file, line, and `subject`."""
    env = environment(templates_dir)
    try:
        template = env.get_template(name)
    except jinja2.TemplateNotFound:
        raise GoodwillError(
            f"template '{name}' not found",
            path=templates_dir / name,
            hint="restore it from a new project (`goodwill init`), or check the name",
        ) from None
    except jinja2.TemplateSyntaxError as exc:
        raise GoodwillError(
            f"template syntax error: {exc.message}", path=exc.filename or name, line=exc.lineno
        ) from None
    try:
        return template.render(context)
    except jinja2.UndefinedError as exc:
        path, line = _template_frame(exc, template.filename)
        about = f" for {subject}" if subject else ""
        raise GoodwillError(
            f"template uses a missing field{about}: {exc.message}",
            path=path,
            line=line,
            hint="add the field to the record, or guard it with {% if ... %} in the template",
        ) from None
    except jinja2.TemplateError as exc:
        path, line = _template_frame(exc, template.filename)
        raise GoodwillError(f"template error: {exc}", path=path, line=line) from None


def _template_frame(exc: BaseException, fallback: str | None) -> tuple[str | None, int | None]:
    """The innermost traceback frame that belongs to a template file."""
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename.endswith((".j2", ".html", ".md", ".txt", ".xml")):
            return frame.filename, frame.lineno
    return fallback, None
