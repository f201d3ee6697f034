"""The registry of rules: every rule class, looked up by name or code."""

from __future__ import annotations

from vaultlint.rules.base import Context, Example, Rule
from vaultlint.rules.files import FileEncoding
from vaultlint.rules.frontmatter import FrontmatterSyntax
from vaultlint.rules.text import TrailingWhitespace

ALL_RULES: tuple[type[Rule], ...] = (
    FileEncoding,
    FrontmatterSyntax,
    TrailingWhitespace,
)

_BY_KEY: dict[str, type[Rule]] = {}
for _rule in ALL_RULES:
    _BY_KEY[_rule.name] = _rule
    _BY_KEY[_rule.code.lower()] = _rule


def get_rule(key: str) -> type[Rule] | None:
    """The rule named ``key`` (a kebab-case name or a code, any case)."""
    return _BY_KEY.get(key) or _BY_KEY.get(key.lower())


__all__ = ["ALL_RULES", "Context", "Example", "Rule", "get_rule"]
