"""Near-duplicate tags across the vault: one tag spelled several ways.

``#appliedScience``, ``#applied-science`` and ``#Applied_Science`` are three
tags to Obsidian's tag pane (two of them, as it ignores case), one to their
writer. Tags are grouped by a normalised key (``tag_key``: Unicode NFC, case
folded, ``-`` and ``_`` dropped, at each level of a nested tag), so finding
the groups costs one pass over the vault's tags, never a comparison of pairs.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import ClassVar

from vaultlint.model import Edit, FileKind, Finding, Fix, Note, Severity, Tag
from vaultlint.parse import TAG_NAME
from vaultlint.rules.base import Context, Example, Rule


def tag_key(spelling: str) -> str | None:
    """The key near-duplicate spellings share; None for a name that is no tag, or
    with a level that would be empty (``a//b``, ``a/-``)."""
    if not TAG_NAME.fullmatch(spelling):
        return None
    parts = []
    for part in unicodedata.normalize("NFC", spelling).casefold().split("/"):
        part = part.replace("-", "").replace("_", "")
        if not part:
            return None
        parts.append(part)
    return "/".join(parts)


@dataclass
class TagTable:
    """The vault's tags counted by the notes using each spelling, at every level of
    a nested tag (``a/b`` counts for ``a`` too): the spellings of each key."""

    spellings: dict[str, Counter[str]] = field(default_factory=dict)

    def add_note(self, spellings: Iterable[str]) -> None:
        """Count one note's tags (each spelling once: ``facts.tag_spellings``)."""
        seen: set[str] = set()
        for spelling in spellings:
            key = tag_key(spelling)
            if key is None:
                continue
            keys, names = key.split("/"), spelling.split("/")
            for level in range(1, len(names) + 1):
                name = "/".join(names[:level])
                if name not in seen:
                    seen.add(name)
                    self.spellings.setdefault("/".join(keys[:level]), Counter())[name] += 1

    def majority(self, key: str) -> str | None:
        """The spelling most notes use for ``key``; None on a tie (no majority)."""
        counts = self.spellings.get(key)
        if not counts:
            return None
        (first, n), *rest = counts.most_common(2)
        return None if rest and rest[0][1] == n else first

    def groups(self) -> list[tuple[str, list[tuple[str, int]]]]:
        """Every key spelled more than one way: (key, spellings with their notes, the
        most used first), sorted by key."""
        return [
            (key, sorted(counts.items(), key=lambda item: (-item[1], item[0])))
            for key, counts in sorted(self.spellings.items())
            if len(counts) > 1
        ]

    def canonical(self, spelling: str) -> tuple[str, int] | None:
        """The majority spelling of ``spelling`` level by level, and the first level
        (1-based) where it differs; None when it is the majority's already (or no
        level has a majority)."""
        key = tag_key(spelling)
        if key is None:
            return None
        keys, names = key.split("/"), spelling.split("/")
        out: list[str] = []
        first = 0
        for level, name in enumerate(names, 1):
            best = self.majority("/".join(keys[:level]))
            part = name if best is None else best.rsplit("/", 1)[-1]
            if part != name and not first:
                first = level
            out.append(part)
        return ("/".join(out), first) if first else None


def tag_table(notes: Iterable[Iterable[str]]) -> TagTable:
    table = TagTable()
    for spellings in notes:
        table.add_note(spellings)
    return table


class TagCase(Rule):
    """Report a tag spelled differently from the rest of the vault.

    ``#appliedScience``, ``#applied-science`` and ``#Applied_Science`` are one
    tag written three ways: they are grouped by a key that ignores case, ``-``
    and ``_`` (each level of a nested tag on its own, so ``#A/b`` is compared
    with ``#a/b`` and its parent ``#A`` with ``#a``). The spelling most notes
    use is the majority one; each note holding another spelling gets one
    finding per such spelling, naming the majority one. When two spellings are
    used by as many notes, there is no majority and nothing is reported. Body
    and frontmatter ``tags`` both count.
    This rule needs the whole vault: it runs when a check covers every file of
    the vault, never on a few named notes. The fix (unsafe: the author may
    mean two tags) writes the majority spelling in place of every body tag of
    that spelling in the note; a frontmatter tag is reported, not rewritten.
    Off by default.
    """

    name = "tag-case"
    code = "TG02"
    summary = "A tag spelled differently from the rest of the vault"
    severity = Severity.INFO
    fixable = True
    enabled = False
    kinds: ClassVar[frozenset[FileKind]] = frozenset()  # a vault-wide rule: see note_findings
    examples = (
        Example(
            title="a camel-case spelling where the vault uses kebab case",
            path="Physics.md",
            bad="Notes on optics. #appliedScience\n",
            good="Notes on optics. #applied-science\n",
            fixed="Notes on optics. #applied-science\n",
            unsafe=True,
            files={
                "Chemistry.md": "#applied-science\n",
                "Biology.md": "---\ntags: [applied-science]\n---\nCells.\n",
            },
        ),
        Example(
            title="a nested tag whose parent is spelled otherwise",
            path="Reading/محمد.md",
            bad="کتاب خوانده شد #Books/poetry و #Books/poetry\n",
            good="کتاب خوانده شد #books/poetry و #books/poetry\n",
            fixed="کتاب خوانده شد #books/poetry و #books/poetry\n",
            unsafe=True,
            files={"A.md": "#books/fiction\n", "B.md": "#books/history #books\n"},
        ),
        Example(
            title="a frontmatter tag is reported; when as many notes use each spelling "
            "(the good vault) there is no majority to name",
            bad="---\ntags:\n  - ToDo\n---\nCall the plumber.\n",
            good="---\ntags:\n  - ToDo\n---\nCall the plumber.\n",
            files={"Other.md": "- [ ] #todo\n", "Third.md": "- [x] #todo\n"},
            good_files={"Other.md": "- [ ] #todo\n"},
        ),
    )

    def check(self, note: Note, ctx: Context) -> Iterator[Finding]:
        return iter(())

    def note_findings(self, note: Note, table: TagTable) -> Iterator[Finding]:
        """The findings on ``note`` given the vault's tags (``table``)."""
        by_spelling: dict[str, list[Tag]] = {}
        for tag in note.tags:
            by_spelling.setdefault(tag.name, []).append(tag)
        for spelling, tags in by_spelling.items():
            found = table.canonical(spelling)
            if found is None:
                continue
            canonical, level = found
            yield self._finding(note, spelling, canonical, level, tags, table)

    def _finding(
        self,
        note: Note,
        spelling: str,
        canonical: str,
        level: int,
        tags: list[Tag],
        table: TagTable,
    ) -> Finding:
        key = tag_key(spelling)
        assert key is not None
        names = spelling.split("/")
        level_key = "/".join(key.split("/")[:level])
        counts: Mapping[str, int] = table.spellings[level_key]
        mine, theirs = "/".join(names[:level]), "/".join(canonical.split("/")[:level])
        uses = f"{counts[theirs]} notes against {counts[mine]}"
        if level == len(names):
            message = f"tag '#{spelling}' is spelled '#{canonical}' in most of the vault ({uses})"
        else:
            message = (
                f"tag '#{spelling}': its parent '#{mine}' is spelled '#{theirs}' in most of "
                f"the vault ({uses})"
            )
        body = [t for t in tags if t.end > t.start]
        fix = None
        if body:
            edits = tuple(Edit(t.start + 1, t.end, canonical) for t in body)
            fix = Fix(edits, safe=False)
        first = body[0] if body else tags[0]
        return self.finding(note, first.start, first.end, message, fix)
