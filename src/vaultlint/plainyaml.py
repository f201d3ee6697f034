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
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

_DECIMAL = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
_NUMBER_1_2 = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
# Tags and directives, where libyaml accepts what ruamel.yaml rejects ("{!,}").
_UNCOMMON = re.compile(r"(?:^|[\s\[{,])[!%]")


def load_plain(raw: str) -> Any:
    """The data of the YAML ``raw``; raises ruamel.yaml's error when it is invalid.

    Nothing but plain data is built: tags that name Python objects are errors.
    """
    fast = _fast_loader()
    if fast is not None and _UNCOMMON.search(raw) is None:
        try:
            return fast(raw)
        except Exception:  # ruamel.yaml below gives the verdict and the message
            pass
    return _ruamel_loader().load(raw)


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
