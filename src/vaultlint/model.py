"""The data every stage shares: the parsed Note and its parts, findings and fixes.

Offsets are character offsets into ``Note.text`` (the decoded file without its
BOM, line endings as in the file). Lines and columns are 1-based; columns count
characters. A line ends at LF, CR or CRLF (CommonMark): code looking for line
breaks reads ``Note.lf_text``, where each lone CR is an LF at the same offset.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Literal

FieldSource = Literal["inline-code", "dataview", "frontmatter"]
FileKind = Literal["note", "canvas", "base"]  # what a checked file is, by its extension
LinkKind = Literal["wikilink", "embed", "markdown", "markdown-embed", "frontmatter"]
RegionKind = Literal[
    "fence",
    "indented-code",
    "code-span",
    "html-comment",
    "html",
    "math",
    "comment",
    "frontmatter",
]


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 3, "warning": 2, "info": 1}[self.value]


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace ``text[start:end]`` by ``replacement``."""

    start: int
    end: int
    replacement: str


@dataclass(frozen=True, slots=True)
class Fix:
    edits: tuple[Edit, ...]
    safe: bool = True

    @property
    def start(self) -> int:
        return min(e.start for e in self.edits)

    @property
    def end(self) -> int:
        return max(e.end for e in self.edits)


@dataclass(slots=True)
class Finding:
    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    rule: str
    code: str
    severity: Severity
    message: str
    fix: Fix | None = None
    start: int = 0  # offsets into the note text, for suppressions and the fixer
    end: int = 0

    @property
    def fixable(self) -> bool:
        return self.fix is not None

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.line, self.column, self.code)


@dataclass(slots=True)
class Region:
    """A protected stretch of text (code, comment, math...).

    ``uncertain``: it may or may not be what ``kind`` says (see ``vaultlint.parse``).
    """

    start: int
    end: int
    kind: RegionKind
    uncertain: bool = False


@dataclass(frozen=True, slots=True)
class YamlError:
    message: str
    line: int  # 1-based line in the file
    column: int


@dataclass(slots=True)
class Frontmatter:
    start: int  # offset of the opening ``---``
    end: int  # offset just after the closing ``---`` line (or end of text when unclosed)
    raw: str  # the YAML between the delimiters
    raw_start: int  # offset of ``raw`` in the text
    data: Any = None  # ruamel.yaml round-trip data (CommentedMap) when valid
    error: YamlError | None = None
    closed: bool = True


@dataclass(slots=True)
class Heading:
    level: int
    text: str  # raw heading text: no #s, no closing #s, no surrounding spaces
    line: int
    start: int  # start of the heading line (its quote prefix included)
    end: int  # end of the heading line, before the line break (setext: of the underline)
    text_start: int
    text_end: int
    section_end: int  # where the section this heading opens ends
    quote_depth: int = 0
    setext: bool = False


@dataclass(slots=True)
class FieldEntry:
    key: str
    value: str
    source: FieldSource
    line: int
    start: int  # the whole field (its line for line fields)
    end: int
    value_start: int
    value_end: int


@dataclass(slots=True)
class Link:
    kind: LinkKind
    raw: str  # the link's target text as written (before the display text)
    path: str  # file part, decoded (Markdown) and unescaped; "" means this note
    subpath: str  # "" or "#Heading", "#H1#H2", "#^block"
    display: str | None
    line: int
    start: int  # the whole link, ``!`` included
    end: int
    path_start: int  # the path part, for fixes that retarget the link
    path_end: int
    uncertain: bool = False  # a case the Obsidian spec leaves open: never report it

    @property
    def is_embed(self) -> bool:
        return self.kind in ("embed", "markdown-embed")


@dataclass(slots=True)
class Tag:
    name: str  # without ``#``
    line: int
    start: int
    end: int


@dataclass(slots=True)
class BlockId:
    id: str
    line: int
    start: int
    end: int


@dataclass(slots=True)
class Note:
    path: str  # vault-relative, with ``/``
    text: str
    bom: bool = False
    newline: str = "\n"  # the line break inserted text is written with: "\n", "\r\n" or "\r"
    line_starts: list[int] = field(default_factory=list)
    frontmatter: Frontmatter | None = None
    body_start: int = 0
    headings: list[Heading] = field(default_factory=list)
    # Headings inside uncertain regions: targets for links, never checked themselves.
    uncertain_headings: list[Heading] = field(default_factory=list)
    fields: list[FieldEntry] = field(default_factory=list)
    # Fields inside uncertain regions: they may satisfy a schema, never type a note
    # nor get a finding of their own.
    uncertain_fields: list[FieldEntry] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    tags: list[Tag] = field(default_factory=list)
    block_ids: list[BlockId] = field(default_factory=list)
    regions: list[Region] = field(default_factory=list)  # sorted, non-overlapping
    _region_starts: list[int] = field(default_factory=list, repr=False)
    lf_text: str = field(default="", repr=False)  # ``text``, lone CRs read as LF (parse_note)
    kind: FileKind = "note"
    # Where a link of a canvas is (its start -> its JSON path, ``nodes[2].file``).
    places: dict[int, str] = field(default_factory=dict)
    # What makes a canvas, a base or a note's ``base`` block invalid: (start, end, message).
    syntax: list[tuple[int, int, str]] = field(default_factory=list)
    # The note properties a base (or a ``base`` block) names: (start, end, name).
    base_properties: list[tuple[int, int, str]] = field(default_factory=list)

    def line_of(self, offset: int) -> int:
        return bisect_right(self.line_starts, offset)

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of an offset."""
        line = bisect_right(self.line_starts, offset)
        return line, offset - self.line_starts[line - 1] + 1

    def line_span(self, line: int) -> tuple[int, int]:
        """(start, end) of a 1-based line, without its line break."""
        start = self.line_starts[line - 1]
        end = self.line_starts[line] if line < len(self.line_starts) else len(self.text)
        text = self.text
        while end > start and text[end - 1] in "\r\n":
            end -= 1
        return start, end

    def region_at(self, offset: int) -> Region | None:
        """The protected region holding ``offset``, if any."""
        i = bisect_right(self._region_starts, offset) - 1
        if i >= 0:
            region = self.regions[i]
            if offset < region.end:
                return region
        return None

    def regions_overlapping(self, start: int, end: int) -> list[Region]:
        i = max(bisect_right(self._region_starts, start) - 1, 0)
        found = []
        for region in self.regions[i:]:
            if region.start >= end:
                break
            if region.end > start:
                found.append(region)
        return found

    @property
    def line_count(self) -> int:
        return len(self.line_starts)
