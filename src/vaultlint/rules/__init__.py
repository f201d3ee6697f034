"""The registry of rules: every rule class, looked up by name or code."""

from __future__ import annotations

from vaultlint.rules.base import Context, Example, Rule
from vaultlint.rules.files import FileEncoding, FileTooLarge, FileUnreadable
from vaultlint.rules.frontmatter import FrontmatterSyntax
from vaultlint.rules.headings import (
    DuplicateHeading,
    EmojiHeading,
    EmptyHeading,
    HeadingEmphasis,
    HeadingFragment,
    HeadingIncrement,
)
from vaultlint.rules.hygiene import (
    DuplicateName,
    EmptyNote,
    FileName,
    FileSyntax,
    UnknownBaseProperty,
    UnusedAttachment,
)
from vaultlint.rules.linkformat import LinkFormat, LinkPath, MdExtension
from vaultlint.rules.links import (
    AmbiguousLink,
    BrokenBlockLink,
    BrokenEmbed,
    BrokenHeadingLink,
    BrokenLink,
)
from vaultlint.rules.properties import (
    DeprecatedProperty,
    PropertyType,
    TagFormat,
    UnquotedLinkProperty,
)
from vaultlint.rules.schema import (
    EmptyField,
    EmptySection,
    FieldValue,
    MissingField,
    MissingSection,
    SectionOrder,
)
from vaultlint.rules.suppressions import UnusedSuppression
from vaultlint.rules.tagcase import TagCase
from vaultlint.rules.text import IrregularWhitespace, Mojibake, TrailingWhitespace

ALL_RULES: tuple[type[Rule], ...] = (
    UnusedSuppression,
    FileEncoding,
    FileTooLarge,
    FileUnreadable,
    FrontmatterSyntax,
    TrailingWhitespace,
    Mojibake,
    IrregularWhitespace,
    EmojiHeading,
    HeadingFragment,
    HeadingEmphasis,
    EmptyHeading,
    HeadingIncrement,
    MissingField,
    EmptyField,
    MissingSection,
    EmptySection,
    FieldValue,
    SectionOrder,
    BrokenLink,
    BrokenEmbed,
    BrokenHeadingLink,
    BrokenBlockLink,
    AmbiguousLink,
    LinkFormat,
    LinkPath,
    MdExtension,
    EmptyNote,
    DuplicateName,
    FileName,
    FileSyntax,
    DuplicateHeading,
    UnusedAttachment,
    TagCase,
    UnknownBaseProperty,
    UnquotedLinkProperty,
    PropertyType,
    DeprecatedProperty,
    TagFormat,
)

_BY_KEY: dict[str, type[Rule]] = {}
for _rule in ALL_RULES:
    _BY_KEY[_rule.name] = _rule
    _BY_KEY[_rule.code.lower()] = _rule


def get_rule(key: str) -> type[Rule] | None:
    """The rule named ``key`` (a kebab-case name or a code, any case)."""
    return _BY_KEY.get(key) or _BY_KEY.get(key.lower())


__all__ = ["ALL_RULES", "Context", "Example", "Rule", "get_rule"]
