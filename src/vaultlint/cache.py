"""The results cache: ``.vaultlint_cache/`` at the vault root.

One file per vaultlint version and settings key (the configuration, the
schemas and the rule selection), holding an entry per note:

- the note's content hash, and the ``os.stat`` facts that let a later run
  trust that hash without reading the file (as git and ruff do; a file
  modified less than ``RACY_NS`` before the cache is written is read again);
- its findings, as plain tuples pickled into one ``bytes`` (unpacked only when
  a run needs the findings themselves), their counts, and their text in the
  output format of the run that stored them (a warm run prints that text);
- its headings and block ids (what other notes' ``#subpath`` links need);
- what ``report`` adds up (``facts.NoteFacts``: note types, broken and
  outgoing links, findings per rule): those of every note are packed into one
  ``bytes`` beside the entries, unpacked only by a run that wants them;
- what the findings depend on outside the note: the hash of the vault's file
  names (for notes with links) and the content hashes of the notes whose
  headings or block ids were consulted.

An entry is used only when all of these still hold. The file is pickled but
loaded with no globals allowed, so it can only produce plain data: a cache
committed to a repository by someone else cannot run code. A cache that
cannot be read or has the wrong shape is ignored and rebuilt.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import pickle
import shutil
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vaultlint.errors import VaultlintError
from vaultlint.model import Edit, Finding, Fix, Severity
from vaultlint.version import __version__

CACHE_DIR = ".vaultlint_cache"
RACY_NS = 2_000_000_000
_FORMAT = 6  # 6: control characters escaped; 5: report facts beside the entries
_MARK = "# Created by vaultlint."

StatKey = tuple[int, int, int]  # size, mtime_ns, inode
FindingRow = tuple[Any, ...]
Counts = tuple[int, int, int, int, int]  # findings, safe fixes, unsafe fixes, errors, warnings


def content_hash(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


def names_hash(files: Iterable[str]) -> bytes:
    return hashlib.blake2b("\n".join(files).encode(), digest_size=16).digest()


def settings_key(*parts: object) -> str:
    """The key of a cache file: the version, configuration, schemas and selection."""
    text = repr((_FORMAT, __version__, *parts))
    return hashlib.blake2b(text.encode(), digest_size=12).hexdigest()


def stat_key(path: str) -> StatKey | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns, st.st_ino


@dataclass(slots=True)
class NoteResult:
    """One note's findings, packed to move between processes and into the cache
    cheaply, counted, and rendered in the run's text format (``text_key``)."""

    path: str
    rows: bytes | None  # ``pack_findings``; None until needed (``packed``)
    counts: Counts
    text: bytes | None = None  # UTF-8
    text_key: str | None = None
    live: list[Finding] | None = None  # the findings, when this process made them
    facts: Any = None  # ``facts.NoteFacts`` when the run computes them (checked when used)

    def findings(self) -> list[Finding]:
        if self.live is None:
            assert self.rows is not None
            self.live = unpack_findings(self.path, self.rows)
        return self.live

    def packed(self) -> bytes:
        if self.rows is None:
            self.rows = pack_findings(self.findings())
        return self.rows

    def shipped(self, with_findings: bool) -> NoteResult:
        """This result to send to another process: its findings packed when wanted."""
        rows = self.packed() if with_findings else None
        return NoteResult(self.path, rows, self.counts, self.text, self.text_key, facts=self.facts)


def count(findings: Sequence[Finding]) -> Counts:
    safe = unsafe = errors = warnings = 0
    for f in findings:
        if f.fix is not None:
            if f.fix.safe:
                safe += 1
            else:
                unsafe += 1
        if f.severity is Severity.ERROR:
            errors += 1
        elif f.severity is Severity.WARNING:
            warnings += 1
    return len(findings), safe, unsafe, errors, warnings


@dataclass(slots=True)
class Entry:
    hash: bytes
    stat: StatKey | None
    rows: bytes
    counts: Counts
    text: bytes | None
    text_key: str | None
    targets: bytes | None  # packed ``links.targets_row``; None for a file that is not a note
    names: bytes | None  # the names hash the findings depend on; None when they don't
    deps: tuple[tuple[str, bytes], ...]  # (path, content hash) of notes consulted
    facts: Any = None  # ``facts.NoteFacts`` of an entry stored in this run (``Cache.facts_of``)

    def row(self) -> tuple[Any, ...]:
        return (
            self.hash,
            self.stat,
            self.rows,
            self.counts,
            self.text,
            self.text_key,
            self.targets,
            self.names,
            self.deps,
        )


_SEVERITIES = {s.value: s for s in Severity}


def finding_row(f: Finding) -> FindingRow:
    fix = None
    if f.fix is not None:
        fix = (f.fix.safe, tuple((e.start, e.end, e.replacement) for e in f.fix.edits))
    return (
        f.line,
        f.column,
        f.end_line,
        f.end_column,
        f.rule,
        f.code,
        f.severity.value,
        f.message,
        fix,
        f.start,
        f.end,
    )


def finding_from_row(path: str, row: FindingRow) -> Finding:
    line, column, end_line, end_column, rule, code, severity, message, fix, start, end = row
    return Finding(
        path,
        line,
        column,
        end_line,
        end_column,
        rule,
        code,
        _SEVERITIES[severity],
        message,
        None if fix is None else Fix(tuple([Edit(*e) for e in fix[1]]), fix[0]),
        start,
        end,
    )


def pack(data: Any) -> bytes:
    return pickle.dumps(data, pickle.HIGHEST_PROTOCOL)


def unpack(packed: bytes) -> Any:
    """Unpickle plain data only (no class can be named, so no code can run)."""
    return _PlainUnpickler(io.BytesIO(packed)).load()


def pack_findings(findings: Sequence[Finding]) -> bytes:
    return pack([finding_row(f) for f in findings])


def unpack_findings(path: str, rows: bytes) -> list[Finding]:
    return [finding_from_row(path, row) for row in unpack(rows)]


class _PlainUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed in a cache")


class Cache:
    """The entries of one cache file, read at start and written back at the end."""

    def __init__(self, folder: Path, key: str) -> None:
        self.folder = folder
        self.file = folder / __version__ / f"{key}.pickle"
        self.entries: dict[str, Entry] = {}
        self.dirty = False
        self._hashes: dict[str, bytes | None] = {}
        self._packed_facts = b""  # the facts of the entries read, packed together
        self._facts: dict[str, Any] | None = None  # ... and unpacked, once wanted
        self._stored: set[str] = set()  # paths whose entry (and facts) this run stored

    def load(self) -> None:
        try:
            with open(self.file, "rb") as handle:
                rows, packed_facts = unpack(handle.read())
            self.entries = {path: Entry(*row) for path, row in rows.items()}
            for entry in self.entries.values():
                _check_entry(entry)
            if not isinstance(packed_facts, bytes):
                raise ValueError("bad cache facts")
            self._packed_facts = packed_facts
        except Exception:  # missing, unreadable, corrupt or from another format
            self.entries = {}

    def facts_of(self, path: str) -> Any:
        """The report facts of ``path``'s entry, None when it has none (they are
        checked where they are used: ``facts.valid_facts``)."""
        if path in self._stored:
            return self.entries[path].facts
        return self._read_facts().get(path)

    def _read_facts(self) -> dict[str, Any]:
        if self._facts is None:
            try:
                found = unpack(self._packed_facts) if self._packed_facts else {}
            except Exception:
                found = {}
            self._facts = found if isinstance(found, dict) else {}
        return self._facts

    def current_hash(self, root: Path, path: str) -> bytes | None:
        """The content hash of ``path`` now: from the stat facts when they match the
        entry's, else from the file's bytes; None when it cannot be read."""
        if path in self._hashes:
            return self._hashes[path]
        full = os.path.join(root, path)
        stat = stat_key(full)
        entry = self.entries.get(path)
        digest: bytes | None
        if entry is not None and stat is not None and entry.stat == stat:
            digest = entry.hash
        else:
            try:
                with open(full, "rb") as handle:
                    digest = content_hash(handle.read())
            except OSError:
                digest = None
        self._hashes[path] = digest
        return digest

    def valid(self, root: Path, path: str, names: bytes) -> Entry | None:
        """The entry for ``path`` if the note and everything its findings depend on are
        unchanged."""
        entry = self.entries.get(path)
        if entry is None or self.current_hash(root, path) != entry.hash:
            return None
        if entry.names is not None and entry.names != names:
            return None
        for dep, digest in entry.deps:
            if self.current_hash(root, dep) != digest:
                return None
        return entry

    def store(self, path: str, entry: Entry) -> None:
        self.entries[path] = entry
        self._hashes[path] = entry.hash
        self._stored.add(path)
        self.dirty = True

    def forget(self, keep: Sequence[str]) -> None:
        """Drop the entries of files that are gone."""
        kept = set(keep)
        for path in [p for p in self.entries if p not in kept]:
            del self.entries[path]
            self.dirty = True

    def save(self) -> None:
        """Write the entries atomically; a cache that cannot be written is skipped."""
        if not self.dirty:
            return
        racy = time.time_ns() - RACY_NS
        rows = {}
        for path, entry in self.entries.items():
            if entry.stat is not None and entry.stat[1] > racy:
                entry.stat = None  # modified too recently to trust its stat next time
            rows[path] = entry.row()
        facts = {path: self.facts_of(path) for path in self.entries}
        packed_facts = pack({path: value for path, value in facts.items() if value is not None})
        try:
            claim(self.folder)  # it may have been filled since the run began
            self.file.parent.mkdir(parents=True, exist_ok=True)
            ignore = self.folder / ".gitignore"
            if not ignore.exists():
                ignore.write_text(_MARK + "\n*\n", encoding="utf-8")
            fd, tmp = tempfile.mkstemp(dir=self.file.parent, prefix=".tmp-")
            try:
                with os.fdopen(fd, "wb") as handle:
                    pickle.dump((rows, packed_facts), handle, protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(tmp, self.file)
            except BaseException:
                os.unlink(tmp)
                raise
        except (OSError, NotACache):
            return


_OUTPUTS = "outputs.json"  # the files -o wrote inside the vault, with their hashes


def written_output(folder: Path, path: str) -> str | None:
    """The hash of what ``-o`` last wrote to the vault file ``path``, if it did."""
    try:
        with open(folder / _OUTPUTS, encoding="utf-8") as handle:
            found = json.load(handle).get(path)
    except (OSError, ValueError, AttributeError):
        return None
    return found if isinstance(found, str) else None


def record_output(folder: Path, path: str, digest: str) -> None:
    """Remember that ``-o`` wrote ``path`` (so that it may write over it again)."""
    try:
        claim(folder)
        folder.mkdir(parents=True, exist_ok=True)
        ignore = folder / ".gitignore"
        if not ignore.exists():
            ignore.write_text(_MARK + "\n*\n", encoding="utf-8")
        try:
            with open(folder / _OUTPUTS, encoding="utf-8") as handle:
                known = json.load(handle)
        except (OSError, ValueError):
            known = {}
        if not isinstance(known, dict):
            known = {}
        known[path] = digest
        _write_atomically(folder / _OUTPUTS, json.dumps(known, sort_keys=True).encode())
    except (OSError, NotACache):
        return  # then vaultlint asks for --force next time


def _write_atomically(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _check_entry(entry: Entry) -> None:
    """Raise on an entry of the wrong shape (its rows are checked when unpacked)."""
    if not (
        isinstance(entry.hash, bytes)
        and isinstance(entry.rows, bytes)
        and isinstance(entry.counts, tuple)
        and len(entry.counts) == 5
        and all(isinstance(n, int) for n in entry.counts)
        and (entry.text is None or isinstance(entry.text, bytes))
        and (entry.targets is None or isinstance(entry.targets, bytes))
    ):
        raise ValueError("bad cache entry")


class NotACache(VaultlintError):
    """A cache folder (``--cache-dir``, ``vaultlint clean``) that vaultlint did not create."""


def is_ours(folder: Path) -> bool:
    """Whether ``folder`` holds the cache's own ``.gitignore``."""
    marker = folder / ".gitignore"
    return marker.is_file() and marker.read_text("utf-8", "replace").startswith(_MARK)


def claim(folder: Path) -> None:
    """Check that the cache may live in ``folder``: one that does not exist yet, is
    empty, or holds the cache's marker. Marking any other folder would make git
    ignore its files, and ``vaultlint clean`` would then delete it."""
    if folder.exists() and not (folder.is_dir() and (is_ours(folder) or not any(folder.iterdir()))):
        raise NotACache(
            f"{folder}: not a vaultlint cache (it holds other files); "
            "give --cache-dir a new or empty folder"
        )


def clean(folder: Path) -> bool:
    """Remove the cache ``folder``; whether there was one.

    Only a folder holding the cache's own ``.gitignore`` (or nothing) is
    removed, so a mistyped ``--cache-dir`` cannot delete anything else.
    """
    if not folder.is_dir():
        return False
    if not is_ours(folder) and any(folder.iterdir()):
        raise NotACache(f"{folder}: not a vaultlint cache (no .gitignore written by vaultlint)")
    shutil.rmtree(folder)
    return True
