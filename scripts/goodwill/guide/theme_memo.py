"""Render the theme's shared page chrome once per place instead of once per page.

Material renders its navigation, tabs, search box and palette switch into every page. On
a page that is not itself in the navigation (every article: the nav lists no articles)
those parts come out the same for every page whose links to the nav's pages read the same,
so rendering them again for each of 1,000 articles is a tenth of a build spent on
identical text. Only Material's own templates are memoized, and only when everything they
include is Material's too: an override in the project's custom_dir may depend on the page,
so it is always rendered.
"""

from __future__ import annotations

from pathlib import Path

import jinja2
from jinja2 import nodes
from mkdocs.utils import normalize_url

# Partials whose output depends on the page only through its links to the nav's pages.
SHARED_PARTIALS = (
    "partials/nav.html",
    "partials/tabs.html",
    "partials/search.html",
    "partials/palette.html",
)


def memoize_theme(config) -> None:
    """Make every Jinja environment MkDocs creates for this build reuse the shared chrome."""
    theme = config.theme
    make_env = theme.get_env
    stock_dir = _material_templates()
    if stock_dir is None:
        return
    shared: set[str] | None = None  # the same theme folders for every environment

    def get_env() -> jinja2.Environment:
        nonlocal shared
        env = make_env()
        if shared is None:
            shared = {n for n in SHARED_PARTIALS if _stock_only(env, n, stock_dir, set())}
        _install(env, shared)
        return env

    theme.get_env = get_env


def _material_templates() -> Path | None:
    try:
        import material
    except ImportError:  # another theme: nothing known to memoize
        return None
    return (Path(material.__file__).parent / "templates").resolve()


def _install(env: jinja2.Environment, shared: set[str]) -> None:
    if not shared:
        return
    load = env.get_template
    caches: dict[str, dict[tuple, str]] = {name: {} for name in shared}
    keys = _ChromeKeys()

    def get_template(name, parent=None, globals=None):
        template = load(name, parent, globals)
        if name in shared and not getattr(template, "_goodwill_memo", False):
            template.root_render_func = _memoized(template.root_render_func, caches[name], keys)
            template._goodwill_memo = True
        return template

    env.get_template = get_template


def _memoized(render, cache: dict[tuple, str], keys: _ChromeKeys):
    def memo(context):
        key = keys.of(context)
        if key is None:
            yield from render(context)
            return
        text = cache.get(key)
        if text is None:
            text = cache[key] = "".join(render(context))
        yield text

    return memo


class _ChromeKeys:
    """What the shared chrome of a page depends on, worked out once per page rendered."""

    def __init__(self) -> None:
        self._last: tuple = (None, None, None)

    def of(self, context) -> tuple | None:
        """None when the chrome is the page's own: a page in the navigation is marked active
        there (and may carry its table of contents)."""
        page, nav = context.get("page"), context.get("nav")
        if page is None or nav is None:
            return None
        base = context.get("base_url", "")
        last_page, last_base, last_key = self._last
        if last_page is page and last_base == base:
            return last_key
        key = None
        if page not in nav.pages:
            key = base, tuple(normalize_url(p.url, page, base) for p in nav.pages)
        self._last = (page, base, key)
        return key


def _stock_only(env: jinja2.Environment, name: str, stock_dir: Path, seen: set[str]) -> bool:
    """True when `name` and every template it includes, imports or extends are Material's."""
    if name in seen:
        return True
    seen.add(name)
    try:
        source, filename, _ = env.loader.get_source(env, name)
    except jinja2.TemplateNotFound:
        return False
    if filename is None or stock_dir not in Path(filename).resolve().parents:
        return False
    try:
        tree = env.parse(source)
    except jinja2.TemplateSyntaxError:
        return False
    for node in tree.find_all((nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends)):
        target = node.template
        if isinstance(target, nodes.Const) and isinstance(target.value, str):
            if not _stock_only(env, target.value, stock_dir, seen):
                return False
        elif not _is_icon(target):
            return False
    return True


def _is_icon(target: nodes.Expr) -> bool:
    """`".icons/" ~ name ~ ".svg"`: a static SVG file, the same on every page."""
    if not isinstance(target, nodes.Concat) or not target.nodes:
        return False
    first = target.nodes[0]
    return isinstance(first, nodes.Const) and str(first.value).startswith(".icons/")
