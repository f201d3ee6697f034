"""Vault hygiene: empty notes, files that share a name, names that break links or
sync, and canvas and base files that Obsidian cannot read."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, ClassVar

from vaultlint.model import FileKind, Finding, Fix, Note, Severity
from vaultlint.rules.base import Context, Example, Rule

_ALL_KINDS: frozenset[FileKind] = frozenset(("note", "canvas", "base"))
_LINK_BREAKERS = "#^[]|"
_SYNC_BREAKERS = '\\:*"<>?'


def _taken(text: str, fix: Fix, start: int) -> int:
    """How many characters other than whitespace ``fix`` removes from ``text[start:]``
    (net of those it writes); an edit across ``start`` counts whole."""
    taken = 0
    for edit in fix.edits:
        if edit.end > start:
            removed = text[edit.start : edit.end]
            taken += len("".join(removed.split())) - len("".join(edit.replacement.split()))
    return taken


def _holds_more(text: str, start: int, count: int) -> bool:
    """Whether ``text[start:]`` holds more than ``count`` characters other than
    whitespace: read a piece at a time, so a long note is seldom read to its end."""
    size = max(1024, 2 * count)
    seen = 0
    while start < len(text):
        seen += len("".join(text[start : start + size].split()))
        if seen > count:
            return True
        start += size
        size *= 2
    return False


def is_stub(note: Note) -> bool:
    """Whether ``note`` holds one heading and nothing else (frontmatter aside), no link."""
    if note.links or len(note.headings) != 1 or note.uncertain_headings:
        return False
    heading = note.headings[0]
    text = note.text
    return not (text[note.body_start : heading.start] + text[heading.end :]).strip()


class EmptyNote(Rule):
    """Report a note with no content: 0 bytes, only whitespace, or only frontmatter;
    and a stub (only a title heading) that nothing links to and that links nowhere.

    An empty note is most often a link clicked by mistake (Obsidian creates the
    note) or a note whose content moved away. A note of properties alone is
    reported too unless ``frontmatter-only`` is false (vaults that keep records
    as properties, read by Bases or Dataview, turn it off). A stub that a link
    asks for is a note to write, so it is reported only when no link of the
    vault (templates and excluded files included) reaches it; that needs the
    whole vault, so stubs are found only when a check covers every file.
    Nothing is fixed: deleting a note is the owner's decision.
    """

    name = "empty-note"
    code = "HY02"
    guards_fixes = True
    summary = "A note with no content"
    severity = Severity.WARNING
    options: ClassVar[Mapping[str, Any]] = {"frontmatter-only": True}
    examples = (
        Example(title="a note of blank lines", bad="\n  \n\n", good="Some text.\n"),
        Example(
            title="a note with properties and nothing else",
            bad="---\ntags: [idea]\n---\n\n",
            good="---\ntags: [idea]\n---\nThe idea itself.\n",
        ),
        Example(
            title="a stub nothing links to (a whole-vault check)",
            bad="# Ideas for the garden\n",
            good="# Ideas for the garden\n",
            files={"Home.md": "Plans to write.\n"},
            good_files={"Home.md": "Plans: [[Note]]\n"},
        ),
        Example(
            title="frontmatter-only: false keeps notes of properties alone",
            bad="",
            good="---\nborn: 1970-01-01\n---\n",
            options={"frontmatter-only": False},
        ),
    )

    def check(self, note: Note, ctx: Context) -> Iterator[Finding]:
        what = self._emptiness(note)
        if what is not None:
            yield self.file_finding(note, f"empty note: {what}")

    def _emptiness(self, note: Note) -> str | None:
        """What makes ``note`` empty; None when it is not."""
        text = note.text
        fm = note.frontmatter
        if not text.strip():
            return "the file is empty" if not text else "it holds only whitespace"
        if (
            fm is not None
            and fm.closed
            and fm.error is None
            and not text[note.body_start :].strip()
            and self.opts["frontmatter-only"]
        ):
            return "it holds only frontmatter (properties)"
        return None

    # --- guarding fixes: none may empty a note (see ``fixer.guard_fixes``) -----------

    def _counted(self, note: Note) -> int:
        """Where the text that keeps a note from being empty starts."""
        fm = note.frontmatter
        whole = fm is None or not fm.closed or fm.error is not None
        return 0 if whole or not self.opts["frontmatter-only"] else note.body_start

    def risky_fixes(self, note: Note, fixes: Sequence[Fix]) -> list[Fix]:
        """The ``fixes`` that take away more than whitespace from the counted text."""
        start = self._counted(note)
        text = note.text
        removed = 0  # the characters of the counted text they replace, at most
        for fix in fixes:
            for edit in fix.edits:
                if edit.end > start:
                    removed += edit.end - (edit.start if edit.start > start else start)
        if _holds_more(text, start, removed):
            return []  # all of them together could not take away all that is left
        return [fix for fix in fixes if _taken(text, fix, start) > 0]

    def could_bring(self, note: Note, risky: Sequence[Fix]) -> bool:
        """A first look at all the ``risky`` fixes of a note (what fewer of them take
        away, they take away too)."""
        return self.might_bring(note, risky)

    def might_bring(self, note: Note, risky: Sequence[Fix]) -> bool:
        """Whether the ``risky`` fixes together take away all that is not whitespace."""
        start = self._counted(note)
        text = note.text
        left = len("".join(text[start:].split()))
        return 0 < left <= sum(_taken(text, fix, start) for fix in risky)

    def brought(self, before: Note, after: Note) -> str | None:
        """Why ``after`` (the note fixed) is empty when ``before`` was not."""
        if self._emptiness(after) is None or self._emptiness(before) is not None:
            return None
        return "it would leave the note empty"

    def stubs(self, paths: Iterable[str], used: set[str]) -> Iterator[Finding]:
        """The stubs among ``paths`` (notes whose facts say so) that no file links to
        (``used``: every link target)."""
        for path in paths:
            if path not in used:
                yield _file_finding(
                    self,
                    path,
                    "stub note: only a title heading; no note links to it, it links nowhere",
                )


def _file_finding(rule: Rule, path: str, message: str) -> Finding:
    """A finding on a whole file, made without its text (from the facts)."""
    return Finding(path, 1, 1, 1, 1, rule.name, rule.code, rule.severity, message)


class DuplicateName(Rule):
    """Report files that share a name (without case) in different folders, once per group.

    A bare link ``[[Meeting]]`` to a name several files have opens one of them
    (``ambiguous-link`` reports each such link; this rule the files
    themselves). The finding is on the first of the group's notes, canvases
    and bases by path, and lists every file of the group. Off by default.
    """

    name = "duplicate-name"
    code = "HY03"
    summary = "Files with the same name in different folders"
    severity = Severity.INFO
    enabled = False
    kinds = _ALL_KINDS
    uses_names = True
    examples = (
        Example(
            title="two notes named Meeting (reported once, on the first by path)",
            path="Home/Meeting.md",
            bad="Agenda\n",
            good="Agenda\n",
            files={"Work/Meeting.md": "", "Work/Meeting.pdf": ""},
            good_files={"Work/Meeting notes.md": "", "Work/Meeting.pdf": ""},
        ),
    )

    def check(self, note: Note, ctx: Context) -> Iterator[Finding]:
        name = note.path.rsplit("/", 1)[-1]
        group = ctx.index.by_name.get(name.lower(), [])
        if len(group) < 2:
            return
        if next((p for p in sorted(group) if _checked(p)), None) != note.path:
            return  # the group is reported once, on its first checked file
        ordered = sorted(group)
        listed = ", ".join(ordered[:6]) + (
            f" and {len(ordered) - 6} more" if len(ordered) > 6 else ""
        )
        yield self.file_finding(
            note, f"{len(ordered)} files are named '{name}' in different folders: {listed}"
        )


def _checked(path: str) -> bool:
    return path.lower().endswith((".md", ".canvas", ".base"))


class FileName(Rule):
    """Report file names that break links or syncing.

    ``# ^ [ ] |`` in a name cannot be linked to (``[[C# notes]]`` looks for a
    heading); ``\\ : * " < > ?`` and a trailing dot or space make a file that
    Windows and Android cannot hold, so sync fails there; two names in one
    folder that differ only by case are one file on macOS and Windows; a name
    not in Unicode NFC (as macOS writes accents) does not match the same name
    typed elsewhere. Off by default.
    """

    name = "file-name"
    code = "HY04"
    summary = "A file name that breaks links or sync"
    severity = Severity.WARNING
    enabled = False
    kinds = _ALL_KINDS
    uses_names = True
    examples = (
        Example(
            title="a '#' in a note name",
            path="C# notes.md",
            good_path="C-sharp notes.md",
            bad="x\n",
            good="x\n",
        ),
        Example(
            title="a colon breaks sync to Windows",
            path="Meeting 10:30.md",
            good_path="Meeting 10.30.md",
            bad="x\n",
            good="x\n",
        ),
        Example(
            title="two names that differ by case in one folder",
            path="Ideas/plan.md",
            bad="x\n",
            good="x\n",
            files={"Ideas/Plan.md": "", "Other/plan.md": ""},
            good_files={"Ideas/Plan 2.md": "", "Other/plan.md": ""},
        ),
        Example(
            title="an accent written as two characters (macOS's NFD)",
            path="Cafe\u0301.md",
            good_path="Caf\u00e9.md",
            bad="x\n",
            good="x\n",
        ),
    )

    def check(self, note: Note, ctx: Context) -> Iterator[Finding]:
        folder, _, name = note.path.rpartition("/")
        stem = name.rsplit(".", 1)[0]
        problems = []
        breakers = sorted({c for c in name if c in _LINK_BREAKERS})
        if breakers:
            problems.append(f"{' '.join(breakers)} in a name break links to it")
        unsafe = sorted({c for c in name if c in _SYNC_BREAKERS})
        if unsafe:
            problems.append(f"{' '.join(unsafe)} cannot be in a file name on Windows and Android")
        if stem.endswith((" ", ".")):
            problems.append("a name ending in a space or dot cannot sync to Windows")
        if unicodedata.normalize("NFC", name) != name:
            problems.append("the name is not in Unicode NFC form (links typed elsewhere miss it)")
        same = [
            p
            for p in ctx.index.case_twins.get(note.path.lower(), [])
            if p != note.path and p.rpartition("/")[0] == folder
        ]
        if same:
            problems.append(
                f"differs only by case from {', '.join(sorted(same))}: one file on macOS "
                "and Windows"
            )
        for problem in problems:
            yield self.file_finding(note, f"file name '{name}': {problem}")


class FileSyntax(Rule):
    """Report canvas and base files that Obsidian cannot read.

    A ``.canvas`` file must be JSON Canvas: a JSON object whose ``nodes`` is a
    list. A ``.base`` file, and a ``base`` code block in a note, must be valid
    YAML with only the sections ``filters``, ``formulas``, ``properties``,
    ``summaries`` and ``views``; each filter is an expression or one key of
    ``and``, ``or``, ``not`` holding a list; every ``formula.X`` names a formula
    defined under ``formulas``. Off by default.
    """

    name = "file-syntax"
    code = "HY05"
    summary = "A canvas or base file that is not valid"
    severity = Severity.ERROR
    enabled = False
    kinds = _ALL_KINDS
    examples = (
        Example(
            title="a canvas cut short",
            path="Board.canvas",
            bad='{"nodes":[{"id":"a","type":"text","text":"Hi","x":0,"y":0,',
            good='{"nodes":[{"id":"a","type":"text","text":"Hi","x":0,"y":0,'
            '"width":250,"height":60}],"edges":[]}',
        ),
        Example(
            title="a base using a formula it does not define",
            path="Books.base",
            bad="formulas:\n  ppu: 'price / pages'\nviews:\n  - type: table\n"
            "    order: [file.name, formula.price_per_page]\n",
            good="formulas:\n  ppu: 'price / pages'\nviews:\n  - type: table\n"
            "    order: [file.name, formula.ppu]\n",
        ),
        Example(
            title="a filter level with two keys, in a base code block",
            bad='```base\nfilters:\n  and: [\'status == "done"\']\n  or: [file.hasTag("x")]\n```\n',
            good="```base\nfilters:\n  and:\n    - 'status == \"done\"'\n    - or: "
            '[file.hasTag("x")]\n```\n',
        ),
    )

    def check(self, note: Note, ctx: Context) -> Iterator[Finding]:
        for start, end, message in note.syntax:
            yield self.finding(note, start, end, message)


# The file types Obsidian opens (its "accepted file formats"), and Excalidraw drawings.
ATTACHMENT_TYPES = frozenset(
    {
        *("avif", "bmp", "gif", "jpeg", "jpg", "png", "svg", "webp"),  # images
        *("flac", "m4a", "mp3", "ogg", "wav", "webm", "3gp"),  # audio
        *("mkv", "mov", "mp4", "ogv", "pdf", "canvas", "base", "excalidraw"),
    }
)


def is_attachment(path: str) -> bool:
    name = path.rpartition("/")[2].lower()
    return name.rpartition(".")[2] in ATTACHMENT_TYPES and "." in name


class UnusedAttachment(Rule):
    """Report an attachment that no note, canvas or base links to or embeds.

    An attachment is a file of a type Obsidian opens (images, audio, video,
    PDF, canvases, bases, Excalidraw drawings) in the folder Obsidian keeps
    attachments in (``attachmentFolderPath`` in ``.obsidian/app.json``: a
    folder, ``./`` beside the note, ``./sub`` a subfolder of it; anywhere when
    unset). Every link counts as a use: from excluded files and templates too,
    in frontmatter, and any file named by an HTML ``src``, ``href`` or ``data``;
    a name in code is no link, as in Obsidian.
    This rule needs the whole vault: it runs when a check covers every file
    of the vault (``vaultlint check`` of the vault's root), never on a few
    named notes. Excluded attachments are not reported. With ``--fix
    --unsafe-fixes`` the file is moved to the vault's ``.trash/`` folder (as
    Obsidian's "move to Obsidian trash" does), keeping its folders; nothing
    is deleted. Off by default.
    """

    name = "unused-attachment"
    code = "HY01"
    summary = "An attachment nothing links to or embeds"
    severity = Severity.INFO
    enabled = False  # its "fix" moves a file, not text: see the description
    kinds: ClassVar[frozenset[FileKind]] = frozenset()  # a vault-wide rule: see check_vault
    examples = (
        Example(
            title="an image no note embeds any more",
            bad="A sketch of the plan.\n",
            good="A sketch of the plan: ![[sketch.png]]\n",
            files={"Attachments/sketch.png": ""},
        ),
    )

    def check(self, note: Note, ctx: Context) -> Iterator[Finding]:
        return iter(())

    def check_vault(
        self, files: Iterable[str], used: set[str], expected: Callable[[str], bool]
    ) -> Iterator[Finding]:
        """The unused attachments among ``files`` (vault paths), given the files
        linked from anywhere (``used``) and where attachments are ``expected``."""
        for path in files:
            if path not in used and is_attachment(path) and expected(path):
                yield _file_finding(
                    self,
                    path,
                    "unused attachment: no note, canvas or base links to or embeds it "
                    "(--fix --unsafe-fixes moves it to .trash/)",
                )


class UnknownBaseProperty(Rule):
    """Report a note property a base names (``note.X``) that no note of the vault has.

    A base (a ``.base`` file or a ``base`` code block) that filters, sorts,
    groups or computes on ``note.status`` when no note has a ``status``
    property shows empty columns or no notes at all: most often the property
    was renamed, or misspelt. Properties are compared without case, as
    Obsidian's property names are. Only the explicit ``note.X`` and
    ``note["X"]`` forms count (a bare name may be a file property or a
    function); ``file.X`` and ``formula.X`` are not note properties. This
    rule needs the whole vault: it runs when a check covers every file, and
    the vault's property names come from each note's cached facts. Off by
    default, as the other base checks.
    """

    name = "unknown-base-property"
    code = "HY06"
    summary = "A base names a note property no note has"
    severity = Severity.WARNING
    enabled = False
    kinds: ClassVar[frozenset[FileKind]] = frozenset()  # a vault-wide rule: see check_vault
    examples = (
        Example(
            title="a property renamed in the notes but not in the base",
            path="Reading.base",
            bad='filters:\n  and:\n    - file.hasTag("book")\n    - \'note.state != "read"\'\n'
            "views:\n  - type: table\n    order: [file.name, note.author, note.state]\n",
            good='filters:\n  and:\n    - file.hasTag("book")\n    - \'note.status != "read"\'\n'
            "views:\n  - type: table\n    order: [file.name, note.author, note.status]\n",
            files={"Dune.md": "---\nauthor: Frank Herbert\nstatus: reading\ntags: [book]\n---\n"},
        ),
        Example(
            title="in a base code block, a name with a space in brackets (case aside)",
            bad="```base\nviews:\n  - type: cards\n    order:\n"
            "      - 'note[\"Date finished\"]'\n```\n",
            good="```base\nviews:\n  - type: cards\n    order:\n"
            "      - 'note[\"Date read\"]'\n```\n",
            files={"Dune.md": "---\ndate read: 2024-05-01\n---\nRead in May.\n"},
        ),
    )

    def check(self, note: Note, ctx: Context) -> Iterator[Finding]:
        return iter(())

    def check_vault(
        self, bases: Iterable[tuple[str, Iterable[tuple[int, int, int, int, str]]]], known: set[str]
    ) -> Iterator[Finding]:
        """The properties each base of ``bases`` (path, the note properties it names,
        placed) names that are not in ``known`` (the vault's, case-folded)."""
        for path, names in bases:
            for line, column, end_line, end_column, name in names:
                if name.casefold() not in known:
                    yield Finding(
                        path,
                        line,
                        column,
                        end_line,
                        end_column,
                        self.name,
                        self.code,
                        self.severity,
                        f"note.{name}: no note of the vault has the property '{name}'",
                    )
