"""The vault: its root, its files, reading notes and the index of names.

Every file below the root is part of the vault except hidden entries (a name
starting with ``.``, at any depth). Directory symlinks are never followed:
Obsidian ignores those that point inside the vault, and following those that
leave it would lint (and write) files that are not the vault's.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from vaultlint.bases import fenced_bases, read_base
from vaultlint.canvas import parse_canvas
from vaultlint.errors import VaultlintError
from vaultlint.links import LinkResolver, LinkTargets, target_key
from vaultlint.model import FileKind, Note
from vaultlint.parse import lf_view, line_starts, note_aliases, parse_note, text_aliases

if TYPE_CHECKING:
    from vaultlint.cache import AliasIndex

BOM = b"\xef\xbb\xbf"
MAX_NOTE_BYTES = 10 * 1024 * 1024


class VaultError(VaultlintError):
    """A problem the user can act on (a missing path, an unreadable folder)."""


def find_root(start: Path) -> Path:
    """The vault root for ``start`` (a file or folder that exists).

    The nearest ancestor holding ``.obsidian/`` or ``.vaultlint.yaml`` (``.yml``); else the
    git top level; else the folder given.
    """
    folder = start if start.is_dir() else start.parent
    folder = folder.resolve()
    for candidate in (folder, *folder.parents):
        if (candidate / ".obsidian").is_dir() or any(
            (candidate / name).is_file() for name in CONFIG_NAMES
        ):
            return candidate
    for candidate in (folder, *folder.parents):
        if (candidate / ".git").exists():
            return candidate
    return folder


CONFIG_NAMES = (".vaultlint.yaml", ".vaultlint.yml")  # a vault's configuration: one of them
TEMPORARY_SUFFIX = ".vaultlint-tmp"  # the hidden copy a note's fix is written to first


def scan(
    root: Path,
    temporaries: list[str] | None = None,
    unnamed: list[str] | None = None,
    unlisted: dict[str, str] | None = None,
) -> list[str]:
    """Every non-hidden file below ``root``, as sorted vault paths with ``/``; the
    temporary copies of fixes found on the way go to ``temporaries``, files and
    folders whose names are not UTF-8 (skipped) to ``unnamed``, escaped, and
    folders that cannot be listed to ``unlisted``, with the reason."""
    found: list[str] = []
    stack = [("", str(root))]
    while stack:
        prefix, folder = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError as exc:
            if unlisted is not None and prefix:  # the root itself was listed by the caller
                unlisted[prefix[:-1]] = exc.strerror or str(exc)
            continue
        for entry in entries:
            name = entry.name
            if name.startswith("."):
                if temporaries is not None and name.endswith(TEMPORARY_SUFFIX):
                    temporaries.append(prefix + name)
                continue
            path = prefix + name
            if not _is_utf8(name):
                if unnamed is not None:
                    unnamed.append(escaped_path(path))
                continue
            try:
                if entry.is_dir(follow_symlinks=False):
                    stack.append((path + "/", entry.path))
                elif entry.is_file(follow_symlinks=True):
                    found.append(path)
            except OSError:
                continue
    found.sort()
    return found


def _is_utf8(name: str) -> bool:
    """Whether ``name`` (from the file system, undecodable bytes as surrogate escapes)
    is UTF-8: no other name can be printed, written to JSON or XML, or cached."""
    if name.isascii():
        return True
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def escaped_path(path: str) -> str:
    """``path`` with the bytes that are not UTF-8 shown as escapes (``caf\\xe9.md``)."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


@dataclass
class Source:
    """One file as read from disk: its bytes, and its text when it is UTF-8."""

    path: str
    data: bytes
    text: str | None
    bom: bool
    problem: str | None = None
    rule: str = "file-encoding"  # the rule that reports ``problem``
    # (size, mtime_ns, inode) taken before the bytes were read, for the cache
    stat: tuple[int, int, int, int] | None = None  # size, mtime_ns, ctime_ns, inode


def decode(path: str, data: bytes) -> Source:
    bom = data.startswith(BOM)
    body = data[len(BOM) :] if bom else data
    if b"\x00" in body:
        return Source(path, data, None, bom, "binary content (NUL bytes) in a note")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        return Source(
            path,
            data,
            None,
            bom,
            f"not valid UTF-8 (byte 0x{body[exc.start]:02x} at offset {exc.start})",
        )
    return Source(path, data, text, bom)


def read_source(root: Path, path: str, max_bytes: int = MAX_NOTE_BYTES) -> Source:
    try:
        fd = os.open(os.path.join(root, path), _READ_FLAGS)
    except OSError as exc:
        return _unreadable(path, exc)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):  # replaced by a pipe or a device since the scan
            return _not_a_file(path)
        # Asking for the size (plus one, to see growth) avoids allocating max_bytes.
        data = os.read(fd, min(st.st_size, max_bytes) + 1)
        while len(data) <= max_bytes:  # short reads; growth since fstat
            more = os.read(fd, max_bytes + 1 - len(data))
            if not more:
                break
            data += more
    except OSError as exc:
        return _unreadable(path, exc)
    finally:
        os.close(fd)
    if len(data) > max_bytes:
        problem = f"larger than {max_bytes:,} bytes: not checked"
        return Source(path, b"", None, False, problem, "file-too-large")
    source = decode(path, data)
    source.stat = (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
    return source


# Non-blocking, so that opening a FIFO put where a note was does not wait for a writer.
_READ_FLAGS = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0)


def unlisted_problem(reason: str) -> str:
    return (
        f"folder cannot be listed: {reason}; its notes are not checked, and links "
        "that do not resolve are not reported (they may point into it)"
    )


def _not_a_file(path: str) -> Source:
    return Source(path, b"", None, False, "cannot be read: not a regular file", "file-unreadable")


def _unreadable(path: str, exc: OSError) -> Source:
    problem = f"cannot be read: {exc.strerror or exc}"
    return Source(path, b"", None, False, problem, "file-unreadable")


def note_from_source(source: Source) -> Note:
    assert source.text is not None
    note = parse_file(source.path, source.text)
    note.bom = source.bom
    return note


def parse_file(path: str, text: str) -> Note:
    """A note, canvas or base file's ``text`` (decoded, without BOM), parsed once."""
    kind = file_kind(path)
    if kind == "canvas":
        return parse_canvas(path, text)
    if kind == "base":
        return parse_base(path, text)
    note = parse_note(path, text)
    if "base" in text:
        _read_fenced_bases(note)
    return note


def file_kind(path: str) -> FileKind | None:
    """What kind of checked file ``path`` is: a note, a canvas, a base; None: none."""
    lower = path.lower()
    if lower.endswith(".md"):
        return "note"
    if lower.endswith(".canvas"):
        return "canvas"
    if lower.endswith(".base"):
        return "base"
    return None


def parse_base(path: str, text: str) -> Note:
    """A ``.base`` file as a note of kind ``base``: no links, its problems in ``syntax``."""
    lf = lf_view(text)
    note = Note(path=path, text=text, kind="base", line_starts=line_starts(lf), lf_text=lf)
    note.syntax, note.base_properties = read_base(lf)
    return note


def _read_fenced_bases(note: Note) -> None:
    """The problems and note properties of the note's ``base`` code blocks."""
    fences = [(r.start, r.end) for r in note.regions if r.kind == "fence"]
    for offset, body in fenced_bases(note.lf_text, fences):
        problems, properties = read_base(body)
        note.syntax += [(offset + a, offset + b, m) for a, b, m in problems]
        note.base_properties += [(offset + a, offset + b, m) for a, b, m in properties]


def name_tables(
    files: Iterable[str],
) -> tuple[dict[str, list[str]], dict[str, str], dict[str, list[str]]]:
    """What link resolution looks names up in: lower-cased file name -> paths,
    lower-cased path -> path, and paths that differ only by case (``Note.md`` and
    ``note.md`` in one folder, as Linux allows) -> all of them, for an exact match
    to win."""
    by_name: dict[str, list[str]] = {}
    by_lower_path: dict[str, str] = {}
    case_twins: dict[str, list[str]] = {}
    for path in files:
        lower = path.lower()
        first = by_lower_path.setdefault(lower, path)
        if first is not path:
            case_twins.setdefault(lower, [first]).append(path)
        by_name.setdefault(lower.rsplit("/", 1)[-1], []).append(path)
    return by_name, by_lower_path, case_twins


class VaultIndex:
    """Names of every file in the vault, and notes parsed on demand, once each."""

    def __init__(
        self,
        root: Path,
        files: Iterable[str],
        max_bytes: int = MAX_NOTE_BYTES,
        unlisted: dict[str, str] | None = None,
    ) -> None:
        self.root = root
        self.max_bytes = max_bytes
        self._index_names(list(files))
        # Folders the scan could not list: their files are unknown, so no link that
        # does not resolve can be called broken (it may point into one of them).
        self.unlisted: dict[str, str] = dict(unlisted or {})
        self._sources: dict[str, Source] = {
            path: Source(path, b"", None, False, unlisted_problem(reason), "file-unreadable")
            for path, reason in self.unlisted.items()
        }
        self._notes: dict[str, Note | None] = {}
        self._resolver: LinkResolver | None = None
        # Headings and block ids of notes not parsed in this process (cache, workers).
        self.known_targets: dict[str, LinkTargets] = {}
        # ... and the same packed (``cache.pack`` of ``links.targets_row``), unpacked on demand.
        self.packed_targets: dict[str, bytes] = {}
        # The links (note -> (line, path as written) -> the file) that opened a file
        # the staged commit deletes: ``broken-link`` names the deletion (``Workspace.staged``).
        self.staged_deletions: dict[str, dict[tuple[int, str], str]] = {}
        # The aliases of notes not parsed in this process (workers), and where those of
        # notes unchanged since the cache was written are found (``pipeline.Checker``).
        self.known_aliases: dict[str, tuple[str, ...]] = {}
        self.alias_source: Callable[[str], tuple[str, ...] | None] | None = None
        # Where a run without the cache finds the aliases of notes unchanged since.
        self.alias_index: AliasIndex | None = None
        self._alias_map: dict[str, tuple[str, ...]] | None = None
        self.checking: frozenset[str] = frozenset()  # the notes the run checks

    def _index_names(self, files: list[str]) -> None:
        self.files = files
        self.notes: list[str] = [f for f in files if f.lower().endswith(".md")]
        # What a check reads: notes, canvases and bases, in vault order.
        self.checked: list[str] = [f for f in files if file_kind(f) is not None]
        self.by_name, self.by_lower_path, self.case_twins = name_tables(files)

    @property
    def resolver(self) -> LinkResolver:
        """Link resolution over this index, with its per-note caches (``vaultlint.links``)."""
        if self._resolver is None:
            self._resolver = LinkResolver(self)
        return self._resolver

    def source(self, path: str) -> Source:
        source = self._sources.get(path)
        if source is None:
            source = read_source(self.root, path, self.max_bytes)
            self._sources[path] = source
        return source

    def note(self, path: str) -> Note | None:
        """The parsed note at ``path``; None when it is not a readable UTF-8 note."""
        if path in self._notes:
            return self._notes[path]
        source = self.source(path)
        note = note_from_source(source) if source.text is not None else None
        self._notes[path] = note
        return note

    def smaller(self, path: str, size: int) -> bool:
        """Whether the file at ``path`` holds fewer than ``size`` bytes (a stat, unless
        it was read)."""
        source = self._sources.get(path)
        if source is not None:
            return len(source.data) < size
        note = self._notes.get(path)
        if note is not None:
            return len(note.text.encode("utf-8")) < size
        try:
            return os.stat(os.path.join(self.root, path)).st_size < size
        except OSError:
            return False

    def replace(self, note: Note, source: Source) -> None:
        """Record a note's new state after the fixer rewrote it."""
        aliases = note_aliases(note)
        if self._alias_map is not None and aliases != self._aliases_known(note.path):
            self._alias_map = None  # a fix changed the note's aliases
        self._sources[note.path] = source
        self._notes[note.path] = note
        self.known_targets.pop(note.path, None)
        self.packed_targets.pop(note.path, None)
        self.known_aliases[note.path] = aliases

    def replace_packed(self, source: Source, targets: bytes, aliases: tuple[str, ...]) -> None:
        """Record a note's new state after the fixer rewrote it, from what another
        process found of it: its packed headings and block ids (``targets_row``) and
        its aliases. It is parsed again only when asked for."""
        path = source.path
        if self._alias_map is not None and aliases != self._aliases_known(path):
            self._alias_map = None
        self._sources[path] = source
        self._notes.pop(path, None)
        self.known_targets.pop(path, None)
        self.packed_targets[path] = targets
        self.known_aliases[path] = aliases

    def aliases_of(self, path: str) -> tuple[str, ...]:
        """The aliases of the note at ``path`` (R46): as supplied from outside this
        process when they were, else from the note if it was parsed, else from its
        frontmatter alone (the file read is kept only for a note the run checks: a
        run that checks a few notes does not hold the vault's text)."""
        known = self._aliases_known(path)
        if known is not None:
            return known
        stored = self.alias_index
        if path in self.checking:
            source = self.source(path)  # kept: checking it reads it no more
        else:
            if stored is not None and path not in self._sources:
                found = stored.aliases(self.root, path)
                if found is not None:
                    return found
            source = self._sources.get(path) or read_source(self.root, path, self.max_bytes)
        aliases = () if source.text is None else text_aliases(source.text)
        if stored is not None and source.stat is not None:
            stored.learn(path, source.stat, aliases)
        return aliases

    def _aliases_known(self, path: str) -> tuple[str, ...] | None:
        known = self.known_aliases.get(path)
        if known is None and path not in self._notes and self.alias_source is not None:
            known = self.alias_source(path)
        if known is None and path in self._notes:
            note = self._notes[path]
            known = () if note is None else note_aliases(note)
        return known

    def alias_holders(self, key: str) -> tuple[str, ...]:
        """The notes that have ``key`` (``links.target_key`` of a name) as an alias.

        The map of every note's aliases is made once, when a broken link first asks:
        from the cache for notes unchanged since, else from the notes, parsed once
        (they are kept, so checking them parses them no more)."""
        if self._alias_map is None:
            holders: dict[str, list[str]] = {}
            for path in self.notes:
                for alias in self.aliases_of(path):
                    paths = holders.setdefault(target_key(alias), [])
                    if path not in paths:
                        paths.append(path)
            self._alias_map = {k: tuple(v) for k, v in holders.items()}
        return self._alias_map.get(key, ())

    def stored_targets(self, path: str) -> LinkTargets | None:
        """The headings and block ids of ``path`` supplied from outside this process."""
        known = self.known_targets.get(path)
        if known is None:
            packed = self.packed_targets.pop(path, None)
            if packed is None:
                return None
            from vaultlint.cache import unpack

            try:
                known = LinkTargets.build(*unpack(packed))
            except Exception:  # a cache entry of the right shape but wrong contents
                return None
            self.known_targets[path] = known
        return known

    def refresh(self, changed: Iterable[str], present: Iterable[str]) -> None:
        """Forget what was read of the ``changed`` vault paths; those ``present`` are
        files of the vault now, the others are gone. The name tables are rebuilt
        only when a file appeared or went away."""
        changed = set(changed)
        files = set(self.files)
        now = (files - changed) | set(present)
        for path in changed:
            self._sources.pop(path, None)
            self._notes.pop(path, None)
            self.known_targets.pop(path, None)
            self.packed_targets.pop(path, None)
            self.known_aliases.pop(path, None)
        self._alias_map = None
        if now != files:
            self._index_names(sorted(now))
        self._resolver = None  # its per-note caches may hold what changed

    def add_note(self, note: Note) -> None:
        """Put an in-memory note in the index (rule examples and tests)."""
        self._notes[note.path] = note


def vault_path(root: Path, path: Path) -> str | None:
    """``path`` relative to the vault root with ``/``, or None when outside it.

    Only the folders are resolved: a symlinked note keeps its own name.
    """
    absolute = Path(os.path.abspath(path))
    if absolute.name:
        absolute = absolute.parent.resolve() / absolute.name
    try:
        rel = absolute.relative_to(root)
    except ValueError:
        try:
            rel = absolute.resolve().relative_to(root)
        except ValueError:
            return None
    text = PurePosixPath(rel).as_posix()
    return "" if text == "." else text
