"""Safe YAML loading that remembers where each mapping and key came from.

Only safe_load semantics (no Python objects). Dates stay as text so that our
validators can report an impossible date with its field and line instead of
PyYAML's bare ValueError. Aliases that would expand into a huge tree (an
"alias bomb") are refused before anything walks them.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Hashable
from pathlib import Path

import yaml
from yaml.nodes import ScalarNode, SequenceNode

from goodwill.core.errors import GoodwillError
from goodwill.core.textfile import DEFAULT_MAX_BYTES, read_text

MAX_EXPANDED_NODES = 1_000_000
ANCHOR = re.compile(r"(?:^|[\s:,\[\{-])&[^\s&]")
# libyaml composes nested collections recursively in C: thousands of levels crash the
# process instead of raising. Real files nest a handful of levels.
MAX_NESTING = 1000
_BRACKET = re.compile(r"[\[\]{}]")
_DEEP_BLOCK = re.compile(rf"(?:[-?][ \t]+){{{MAX_NESTING}}}")
_DEEP_INDENT = re.compile(rf"^[ \t]{{{2 * MAX_NESTING}}}", re.M)

# Python refuses to turn longer digit strings into an int (a denial-of-service guard).
MAX_INT_DIGITS = getattr(sys, "get_int_max_str_digits", lambda: 4300)() or 4300
_NOT_DIGITS = re.compile(r"[^0-9]")

SafeBase = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class LineDict(dict):
    """A mapping that knows its own line and the line of each key (1-based)."""

    line: int = 0
    key_lines: dict
    duplicate_keys: list

    @classmethod
    def empty(cls, line: int = 1) -> LineDict:
        data = cls()
        data.line, data.key_lines, data.duplicate_keys = line, {}, []
        return data

    def line_of(self, key) -> int:
        return self.key_lines.get(key, self.line)


class LineList(list):
    """A sequence that knows its own line and the line of each item (1-based)."""

    line: int = 0
    item_lines: list


_STR = "tag:yaml.org,2002:str"
_MERGE = "tag:yaml.org,2002:merge"


class _Loader(SafeBase):
    first_line = 1  # line number of the document's first line in its file
    path: Path | str = ""
    yaml_implicit_resolvers = {
        first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in SafeBase.yaml_implicit_resolvers.items()
    }

    def resolve(self, kind, value, implicit):
        # Same answer as Resolver.resolve for plain scalars, without its per-call list
        # building: it runs once per scalar and shows up in the time of large record files.
        if kind is ScalarNode and implicit[0] and not self.yaml_path_resolvers:
            for tag, regexp in _RESOLVERS.get(value[:1], ()):
                if regexp.match(value):
                    return tag
            return self.DEFAULT_SCALAR_TAG
        return super().resolve(kind, value, implicit)


assert None not in _Loader.yaml_implicit_resolvers  # no wildcard resolvers to honour
_RESOLVERS = {first: tuple(rs) for first, rs in _Loader.yaml_implicit_resolvers.items()}


def _construct_map(loader, node):
    data = LineDict()
    data.line = node.start_mark.line + loader.first_line
    data.key_lines = key_lines = {}
    data.duplicate_keys = []
    yield data
    if any(key_node.tag == _MERGE for key_node, _ in node.value):
        data.update(loader.construct_mapping(node))
    else:
        # construct_mapping minus its per-scalar call overhead: plain text is taken as is.
        for key_node, value_node in node.value:
            if key_node.tag == _STR and type(key_node) is ScalarNode:
                key = key_node.value
            else:
                key = loader.construct_object(key_node, deep=False)
                if not isinstance(key, Hashable):
                    raise yaml.constructor.ConstructorError(
                        "while constructing a mapping",
                        node.start_mark,
                        "found unhashable key",
                        key_node.start_mark,
                    )
            if value_node.tag == _STR and type(value_node) is ScalarNode:
                data[key] = value_node.value
            else:
                data[key] = loader.construct_object(value_node, deep=False)
    for key_node, _ in node.value:
        if isinstance(key_node, ScalarNode):
            line = key_node.start_mark.line + loader.first_line
            if key_node.value in key_lines:
                data.duplicate_keys.append((key_node.value, line))
            key_lines[key_node.value] = line


def _construct_seq(loader, node):
    data = LineList()
    data.line = node.start_mark.line + loader.first_line
    data.item_lines = [item.start_mark.line + loader.first_line for item in node.value]
    yield data
    data.extend(loader.construct_sequence(node))


def _construct_int(loader, node):
    digits = len(_NOT_DIGITS.sub("", node.value))
    if digits > MAX_INT_DIGITS and ":" not in node.value:  # base 60 is summed, never parsed
        raise GoodwillError(
            f"a number of {digits:,} digits is too long to read",
            path=loader.path,
            line=node.start_mark.line + loader.first_line,
            hint="put it in quotes to keep it as text",
        )
    return loader.construct_yaml_int(node)


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_map)
_Loader.add_constructor("tag:yaml.org,2002:seq", _construct_seq)
_Loader.add_constructor("tag:yaml.org,2002:int", _construct_int)


class MkdocsLoader(_Loader):
    """mkdocs.yml: MkDocs's own tags (`!ENV`, `!relative`) are read as their plain value;
    a `!!python/...` tag is refused at its line, since MkDocs would run it."""


def _refuse_python(loader, suffix, node):
    raise GoodwillError(
        f"a !!python/{suffix} tag: MkDocs would run it as code",
        path=loader.path,
        line=node.start_mark.line + loader.first_line,
        hint="remove the tag; goodwill does not build a guide whose settings run code",
    )


def _plain_value(loader, node):
    if isinstance(node, ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, SequenceNode):
        return _construct_seq(loader, node)
    return _construct_map(loader, node)


def _tagged(loader, suffix, node):
    return _plain_value(loader, node)


MkdocsLoader.add_multi_constructor("tag:yaml.org,2002:python/", _refuse_python)
MkdocsLoader.add_multi_constructor("!", _tagged)


def _expanded_size(root) -> int:
    """Count nodes as if every alias were copied out, in linear time.

    A recursive alias (`&a [*a]`) counts as unbounded.
    """
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()
    stack = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if isinstance(node, ScalarNode):
            sizes[key] = 1
            continue
        children = (
            node.value
            if isinstance(node, SequenceNode)
            else [n for pair in node.value for n in pair]
        )
        if children_done:
            open_nodes.discard(key)
            sizes[key] = 1 + sum(sizes[id(c)] for c in children)
            if sizes[key] > MAX_EXPANDED_NODES:
                return sizes[key]
            continue
        if key in sizes:
            continue
        if key in open_nodes:
            return MAX_EXPANDED_NODES + 1
        open_nodes.add(key)
        stack.append((node, True))
        stack.extend((c, False) for c in children if id(c) not in sizes)
    return sizes[id(root)]


def too_deep_at(text: str) -> int | None:
    """The 0-based offset where nesting passes MAX_NESTING, or None; linear time."""
    if text.count("[") + text.count("{") > MAX_NESTING:
        depth = 0
        for match in _BRACKET.finditer(text):
            depth = depth + 1 if match.group() in "[{" else max(depth - 1, 0)
            if depth > MAX_NESTING:
                return match.start()
    if max(map(len, text.split("\n"))) < 2 * MAX_NESTING:
        return None  # both patterns need a line that long: a quick no for large files
    match = _DEEP_BLOCK.search(text) or _DEEP_INDENT.search(text)
    return match.start() if match else None


def parse_yaml(text: str, path: Path | str, first_line: int = 1, loader_class=_Loader):
    """Parse one YAML document; errors carry the file and line.

    `loader_class` may be a subclass of this module's loader (mkdocs.yml has its own tags)."""
    deep = too_deep_at(text)
    if deep is not None:
        raise GoodwillError(
            f"YAML nested more than {MAX_NESTING} levels deep",
            path=path,
            line=text.count("\n", 0, deep) + first_line,
            hint="records nest a few levels at most; this file looks damaged or hostile",
        )
    loader = loader_class(text)
    loader.first_line, loader.path = first_line, path
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        if ANCHOR.search(text) and _expanded_size(node) > MAX_EXPANDED_NODES:
            raise GoodwillError(
                f"YAML aliases expand to more than {MAX_EXPANDED_NODES:,} values",
                path=path,
                hint="remove the repeated '*alias' references; this looks like an alias bomb",
            )
        return loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + first_line if mark else None
        problem = exc.problem or exc.context or "invalid syntax"
        raise GoodwillError(
            f"not valid YAML: {problem}",
            path=path,
            line=line,
            hint="check indentation, colons and quotes on that line",
        ) from None
    except yaml.reader.ReaderError as exc:  # a character YAML forbids, such as NUL
        raise GoodwillError(
            f"not valid YAML: character {_codepoint(exc.character)} is not allowed",
            path=path,
            line=text.count("\n", 0, exc.position) + first_line,
            hint="remove it: the file may be damaged, or binary",
        ) from None
    except yaml.YAMLError as exc:
        raise GoodwillError(f"not valid YAML: {exc}", path=path) from None
    finally:
        loader.dispose()


def _codepoint(character) -> str:
    code = character if isinstance(character, int) else ord(character)
    return f"U+{code:04X}"


def load_yaml_file(path: Path, max_bytes: int = DEFAULT_MAX_BYTES):
    """Read and parse a YAML file with the size cap and UTF-8 check."""
    return parse_yaml(read_text(path, max_bytes), path)
