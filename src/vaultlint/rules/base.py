"""What a rule is: metadata, options, examples and a ``check`` generator."""

from __future__ import annotations

import inspect
from bisect import bisect_right
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from vaultlint.model import FileKind, Finding, Fix, Note, Severity

if TYPE_CHECKING:
    from vaultlint.vault import VaultIndex


@dataclass(frozen=True)
class Example:
    """A note that breaks the rule and one that passes; run as tests, shown as docs.

    ``fixed`` is what ``--fix`` makes of ``bad`` (``--unsafe-fixes`` too when
    ``unsafe``); ``None`` when the rule offers no fix for it. ``files`` are the
    other files of the example vault (path -> content).
    """

    bad: str
    good: str
    fixed: str | None = None
    unsafe: bool = False
    options: Mapping[str, Any] = field(default_factory=dict)
    files: Mapping[str, str] = field(default_factory=dict)
    path: str = "Note.md"
    title: str = ""
    # For rules about names: the good example's path and other files, when not the bad's.
    good_path: str | None = None
    good_files: Mapping[str, str] | None = None


@dataclass
class Context:
    """What a rule may look at beyond the note itself."""

    index: VaultIndex
    schemas: list[Any] | None = None  # None: the shipped ones (rule examples, tests)
    # Obsidian's property types (types.json): lower-cased name -> type name.
    property_types: Mapping[str, str] = field(default_factory=dict)
    # Obsidian's "Use [[Wikilinks]]" off (``useMarkdownLinks``) and "New link format"
    # (``newLinkFormat``), from ``.obsidian/app.json``: how it writes new links.
    markdown_links: bool = False
    link_format: str = "shortest"


class Rule:
    """Base of every rule. Subclasses set the class attributes and ``check``.

    The first paragraph of the subclass docstring is the rule's description.
    """

    name: ClassVar[str]
    code: ClassVar[str]
    summary: ClassVar[str]
    severity: ClassVar[Severity] = Severity.WARNING
    fixable: ClassVar[bool] = False
    enabled: ClassVar[bool] = True
    options: ClassVar[Mapping[str, Any]] = {}
    # The allowed range (lowest, highest) of each whole-number option.
    limits: ClassVar[Mapping[str, tuple[int, int]]] = {}
    # The allowed values of each option that is one of a few words.
    choices: ClassVar[Mapping[str, tuple[str, ...]]] = {}
    examples: ClassVar[tuple[Example, ...]] = ()
    # The kinds of file the rule checks: notes, and canvases and bases for a few.
    kinds: ClassVar[frozenset[FileKind]] = frozenset(("note",))
    # Whether findings depend on the names of other files (the cache must know).
    uses_names: ClassVar[bool] = False
    # Whether no fix may bring a finding of this rule: then the rule has
    # ``risky_fixes``, ``might_bring`` and ``brought`` (``fixer.FixGuard``).
    guards_fixes: ClassVar[bool] = False

    def __init__(self, options: Mapping[str, Any] | None = None) -> None:
        self.opts: dict[str, Any] = {**self.options, **(options or {})}

    @classmethod
    def description(cls) -> str:
        return inspect.cleandoc(cls.__doc__ or cls.summary)

    def check(self, note: Note, ctx: Context) -> Iterator[Finding]:
        raise NotImplementedError

    def finding(
        self,
        note: Note,
        start: int,
        end: int,
        message: str,
        fix: Fix | None = None,
    ) -> Finding:
        starts = note.line_starts
        line = bisect_right(starts, start)
        end_line = line if end == start else bisect_right(starts, end)
        return Finding(  # positional: ~85k of these on a large vault
            note.path,
            line,
            start - starts[line - 1] + 1,
            end_line,
            end - starts[end_line - 1] + 1,
            self.name,
            self.code,
            self.severity,
            message,
            fix,
            start,
            end,
        )

    def file_finding(self, note: Note, message: str) -> Finding:
        """A finding about the whole file: line 1, column 1."""
        return self.finding(note, 0, 0, message)
