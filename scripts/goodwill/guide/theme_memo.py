"""Render the theme's shared page chrome once per place instead of once per page.

Material renders its navigation, tabs, search box, palette switch and configuration
script into every page. On a page that is not itself in the navigation (every article:
the nav lists no articles) those parts differ from page to page only in their relative
links, and a relative link from a page depends on its folder and depth alone, unless the
link leads into the page's own path. So they are rendered once per folder and reused;
a page whose first path segment some link of the chrome shares is rendered on its own,
as is every page in the navigation. Only Material's own templates are memoized, and only
when everything they include is Material's too: an override in the project's custom_dir
may depend on the page, so it is always rendered.
"""

from __future__ import annotations

import posixpath
from collections.abc import Mapping
from pathlib import Path

import jinja2
from jinja2 import nodes

# Partials whose output depends on the page only through their relative links.
SHARED_PARTIALS = (
    "partials/nav.html",
    "partials/tabs.html",
    "partials/search.html",
    "partials/palette.html",
)
BASE = "base.html"
SHARED_BLOCKS = ("config",)  # base.html's configuration script: base URL, worker URL
THEME_ASSETS = "assets"  # where Material's scripts, styles and images are


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
            # The blocks' own code is base.html's; what it reads (translations, settings)
            # is the same on every page, whoever wrote the partials it imports.
            if _stock_file(env, BASE, stock_dir):
                shared.add(BASE)
        _install(env, shared, _ChromeKeys(config))
        return env

    theme.get_env = get_env


def _material_templates() -> Path | None:
    try:
        import material
    except ImportError:  # another theme: nothing known to memoize
        return None
    return (Path(material.__file__).parent / "templates").resolve()


def _install(env: jinja2.Environment, shared: set[str], keys: _ChromeKeys) -> None:
    if not shared:
        return
    load = env.get_template
    caches: dict[str, dict[tuple, str]] = {}

    def get_template(name, parent=None, globals=None):
        template = load(name, parent, globals)
        if name in shared and not getattr(template, "_goodwill_memo", False):
            if name == BASE:
                for block in SHARED_BLOCKS:
                    if block in template.blocks:
                        cache = caches.setdefault(f"{name}#{block}", {})
                        template.blocks[block] = _memoized(template.blocks[block], cache, keys)
            else:
                cache = caches.setdefault(name, {})
                template.root_render_func = _memoized(template.root_render_func, cache, keys)
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

    def __init__(self, config) -> None:
        self.config = config
        self._last: tuple = (None, None)
        self._firsts: frozenset[str] | None = None

    def of(self, context) -> tuple | None:
        """None when the chrome is the page's own."""
        page, nav = context.get("page"), context.get("nav")
        if page is None or nav is None:
            return None
        last_page, last_key = self._last
        if last_page is page:
            return last_key
        key = None
        # A page in the nav (or placed in it by a plugin) is marked active there, with its toc.
        if page.parent is None and page not in nav.pages:
            parts = _url_parts(page.url)
            own = parts[-1] if parts and parts[0] in self._link_firsts(nav) else None
            key = (context.get("base_url", ""), tuple(parts[:-1]), len(parts), own)
        self._last = (page, key)
        return key

    def _link_firsts(self, nav) -> frozenset[str]:
        """The first path segment of every link the chrome may hold."""
        if self._firsts is None:
            extra = self.config.extra
            links = [_link(item) for item in _nav_items(nav.items)] + [_link(nav.homepage)]
            links += [self.config.theme.get("logo"), self.config.theme.get("favicon")]
            links.append(extra.get("homepage") if isinstance(extra, Mapping) else None)
            firsts = {_url_parts(link)[0] for link in links if link and _url_parts(link)}
            self._firsts = frozenset(firsts | {THEME_ASSETS})
        return self._firsts


def _nav_items(items) -> list:
    """Every page, link and section of the navigation, nested ones included."""
    found = []
    for item in items or []:
        found.append(item)
        found += _nav_items(getattr(item, "children", None))
    return found


def _link(item) -> str | None:
    url = getattr(item, "url", None) if item is not None else None
    return url if isinstance(url, str) and "://" not in url else None


def _url_parts(url: str) -> list[str]:
    """The segments a relative link from `url` is measured from (as MkDocs measures)."""
    url = str(url)
    folder, _, name = url.rpartition("/")
    if "." in name:  # a file: its folder counts
        url = folder
    normal = posixpath.normpath("/" + url)[1:]
    return normal.split("/") if normal else []


def _stock_only(env: jinja2.Environment, name: str, stock_dir: Path, seen: set[str]) -> bool:
    """True when `name` and every template it includes, imports or extends are Material's."""
    if name in seen:
        return True
    seen.add(name)
    source = _stock_file(env, name, stock_dir)
    if source is None:
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


def _stock_file(env: jinja2.Environment, name: str, stock_dir: Path) -> str | None:
    """The template's source when the file is Material's own."""
    try:
        source, filename, _ = env.loader.get_source(env, name)
    except jinja2.TemplateNotFound:
        return None
    if filename is None or stock_dir not in Path(filename).resolve().parents:
        return None
    return source


def _is_icon(target: nodes.Expr) -> bool:
    """`".icons/" ~ name ~ ".svg"`: a static SVG file, the same on every page."""
    if not isinstance(target, nodes.Concat) or not target.nodes:
        return False
    first = target.nodes[0]
    return isinstance(first, nodes.Const) and str(first.value).startswith(".icons/")
