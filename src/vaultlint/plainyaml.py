"""Loading YAML as plain data: PyYAML's C loader first, ruamel.yaml as the judge.

ruamel.yaml's safe loader decides what a note's frontmatter (or a config or
schema file) holds and words every error vaultlint reports. PyYAML with
libyaml (what python-frontmatter reads with) loads the same plain data five
times faster, so it goes first and ruamel.yaml is asked whenever PyYAML might
disagree with it: on any error, on a duplicate key (which ruamel.yaml rejects
and PyYAML would let pass), on a merge key, on tags and directives, and on
numbers YAML 1.1 reads its own way (``017``, ``1:30``, ``1e3``). PyYAML's YAML
1.1 booleans (``yes``, ``off``) are strings here, as in YAML 1.2. Without
libyaml, ruamel.yaml does it all.

Both loaders build nested collections by recursion (PyYAML's in C, where a
deep enough document overflows the stack), and so does every walk of the data:
text nested deeper than ``MAX_DEPTH`` levels is an error, found by a cheap scan
before any loader sees it and by a walk of the loaded data (aliases can nest
what the text does not).
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

_DECIMAL = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
_NUMBER_1_2 = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
# Tags and directives, where libyaml accepts what ruamel.yaml rejects ("{!,}").
_UNCOMMON = re.compile(r"(?:^|[\s\[{,])[!%]")

MAX_DEPTH = 100
# What the text may hold, by the scan's over-estimate (indentation and "- - -"
# chains plus open brackets): both loaders build 300 levels safely.
_SCAN_LIMIT = 2 * MAX_DEPTH
_HALF_PREFIX = re.compile(rf"^[ \t?-]{{{MAX_DEPTH // 2}}}", re.M)
_BRACKET = re.compile(r"[\[\]{}]")
_DEEP_PREFIX = re.compile(rf"^[ \t?-]{{{_SCAN_LIMIT // 2}}}", re.M)


def load_plain(raw: str) -> Any:
    """The data of the YAML ``raw``; raises ruamel.yaml's error when it is invalid.

    Nothing but plain data is built: tags that name Python objects are errors.
    """
    _check_text_depth(raw)
    data = _load(raw)
    if _may_nest_deep(raw) and _data_depth(data) > MAX_DEPTH:
        raise _too_deep(0, 0)
    return data


def _load(raw: str) -> Any:
    fast = _fast_loader()
    if fast is not None and _UNCOMMON.search(raw) is None:
        try:
            return fast(raw)
        except Exception:  # ruamel.yaml below gives the verdict and the message
            pass
    return _ruamel_loader().load(raw)


def _check_text_depth(raw: str) -> None:
    """Raise when ``raw`` may nest deeper than the loaders can build."""
    prefix = _DEEP_PREFIX.search(raw)
    if prefix is not None:
        raise _too_deep(raw.count("\n", 0, prefix.start()), 0)
    if raw.count("[") + raw.count("{") <= _SCAN_LIMIT // 2:
        return
    depth = 0
    for bracket in _BRACKET.finditer(raw):
        depth = depth + 1 if bracket.group() in "[{" else max(depth - 1, 0)
        if depth > _SCAN_LIMIT // 2:
            line_start = raw.rfind("\n", 0, bracket.start()) + 1
            raise _too_deep(raw.count("\n", 0, line_start), bracket.start() - line_start)


def _may_nest_deep(raw: str) -> bool:
    """Whether the data of ``raw`` may nest deeper than ``MAX_DEPTH``: the
    scan's bound (half in brackets, half in line prefixes) is short of it
    unless an alias may repeat a nested collection."""
    half = MAX_DEPTH // 2
    return "*" in raw or raw.count("[") + raw.count("{") > half or bool(_HALF_PREFIX.search(raw))


def _data_depth(data: Any) -> int:
    """How deep ``data``'s lists and mappings nest, without recursion; each
    container is measured once (aliases stay linear) and a cycle adds nothing."""
    depths: dict[int, int] = {}
    open_ids: set[int] = set()
    stack: list[tuple[Any, bool]] = [(data, False)]
    while stack:
        node, children_done = stack.pop()
        children = _children(node)
        if children_done:
            depths[id(node)] = 1 + max((depths.get(id(c), 0) for c in children), default=0)
            open_ids.discard(id(node))
        elif id(node) not in depths and id(node) not in open_ids:
            open_ids.add(id(node))
            stack.append((node, True))
            stack.extend((c, False) for c in children)
    return depths.get(id(data), 0)


def _children(node: Any) -> list[Any]:
    values = node.values() if isinstance(node, dict) else node if isinstance(node, list) else ()
    return [v for v in values if isinstance(v, (dict, list))]


def _too_deep(line: int, column: int) -> Exception:
    from ruamel.yaml.error import MarkedYAMLError, StreamMark

    return MarkedYAMLError(
        problem=f"nests deeper than {MAX_DEPTH} levels",
        problem_mark=StreamMark("<frontmatter>", 0, line, column),
    )


@cache
def _ruamel_loader() -> Any:
    from ruamel.yaml import YAML

    return YAML(typ="safe")


@cache
def _fast_loader() -> Any:
    """PyYAML's loader as a function, or None without libyaml."""
    try:
        import yaml
    except ImportError:
        return None
    if not getattr(yaml, "__with_libyaml__", False):
        return None

    class Unsure(Exception):
        """A mapping PyYAML may read differently from ruamel.yaml."""

    class Loader(yaml.CSafeLoader):
        def construct_mapping(self, node: Any, deep: bool = False) -> Any:
            if any(key.tag == "tag:yaml.org,2002:merge" for key, _ in node.value):
                raise Unsure
            mapping = super().construct_mapping(node, deep)
            if len(mapping) != len(node.value):
                raise Unsure  # a duplicate key
            return mapping

        def construct_yaml_int(self, node: Any) -> Any:
            if not _DECIMAL.fullmatch(node.value):
                raise Unsure  # YAML 1.1's octal 017, 1_000 and sexagesimal 1:30
            return int(node.value)

        def construct_yaml_float(self, node: Any) -> Any:
            if "_" in node.value or ":" in node.value:
                raise Unsure
            return super().construct_yaml_float(node)

        def construct_yaml_str(self, node: Any) -> Any:
            if not node.style and _NUMBER_1_2.fullmatch(node.value):  # a plain scalar
                raise Unsure  # 1e3: a string to YAML 1.1, a number to YAML 1.2
            return super().construct_yaml_str(node)

    Loader.add_constructor("tag:yaml.org,2002:str", Loader.construct_yaml_str)
    Loader.add_constructor("tag:yaml.org,2002:int", Loader.construct_yaml_int)
    Loader.add_constructor("tag:yaml.org,2002:float", Loader.construct_yaml_float)
    bool_tag = "tag:yaml.org,2002:bool"
    Loader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != bool_tag]
        for first, resolvers in yaml.CSafeLoader.yaml_implicit_resolvers.items()
    }
    Loader.add_implicit_resolver(
        bool_tag, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
    )

    def load(raw: str) -> Any:
        return yaml.load(raw, Loader=Loader)  # a safe loader (CSafeLoader)

    return load
