"""The results cache: ``.vaultlint_cache/`` at the vault root.

One file per vaultlint version and settings key (the configuration, the
schemas and the rule selection), holding an entry per note:

- the note's content hash, and the ``os.stat`` facts that let a later run
  trust that hash without reading the file (as git and ruff do; a file
  modified less than ``RACY_NS`` before the cache is written is read again);
- its findings, as plain tuples pickled into one ``bytes`` (unpacked only when
  a run needs the findings themselves), and their counts;
- its headings and block ids (what other notes' ``#subpath`` links need), and its
  aliases (what other notes' broken links may name);
- what ``report`` adds up (``facts.NoteFacts``: note types, broken and
  outgoing links, findings per rule): those of every note are packed into one
  ``bytes`` beside the entries, unpacked only by a run that wants them;
- what the findings depend on outside the note: the hash of the vault's file
  names (for notes with links), the content hashes of the notes whose
  headings or block ids were consulted, and the notes that had each broken
  link's name as an alias.

Beside it, a file per output format (``TEXT_FILES`` of them, the latest used)
holds each note's findings as text in that format, tied to its entry by a
stamp of the findings: a warm run prints that text, reading the file of its
own format alone; a run in a format with no file renders the findings and
writes its file. One more file (``.vault``) holds the vault-wide rules' findings
with a digest of the vault's names and files they came from.

An entry is used only when all of these still hold. The file is pickled but
loaded with no globals allowed, so it can only produce plain data, and it is
signed (HMAC-SHA256) with a key kept outside the vault, in the user's cache
directory (``cache_secret``): a cache committed to a repository by someone
else, or edited, is not trusted, however well formed. Every field of every
entry is checked, and a dependency must be a file of the vault. A cache that
cannot be read, is not signed with this machine's key or has the wrong shape
is ignored and rebuilt.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import io
import json
import os
import pickle
import shutil
import stat
import tempfile
import time
from collections.abc import Callable, Container, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vaultlint.errors import VaultlintError
from vaultlint.model import Edit, Finding, Fix, Severity
from vaultlint.version import __version__

CACHE_DIR = ".vaultlint_cache"
RACY_NS = 2_000_000_000
# The output formats whose texts are kept (one file each): a vault checked in the
# terminal and in CI (JSON, GitHub, SARIF) prints each from its file.
TEXT_FILES = 4
_FORMAT = 12  # 12: texts in their own files; 11: aliases; 10: tags, properties, stubs
# and base properties in the facts; 8: planned links; 7: block ids after embeds;
# 6: control characters escaped; 5: report facts
_MARK = "# Created by vaultlint."

StatKey = tuple[int, int, int, int]  # size, mtime_ns, ctime_ns, inode
FindingRow = tuple[Any, ...]
Counts = tuple[int, int, int, int, int]  # findings, safe fixes, unsafe fixes, errors, warnings


def cache_folder(root: Path, chosen: Path | None = None) -> Path:
    """Where the cache of the vault at ``root`` lives: ``--cache-dir``, or the default."""
    return chosen or root / CACHE_DIR


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
    # ctime too: an in-place edit that puts size and mtime back (rsync -t --inplace,
    # touch -r) cannot put the ctime back.
    return st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino


_KEY_BYTES = 32


def cache_secret(root: Path) -> bytes | None:
    """This user's key for signing caches, made on first use; None when it cannot be
    read or made, or would lie inside the vault (a committed key proves nothing)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    path = Path(base) / "vaultlint" / "cache-key"
    try:
        Path(os.path.abspath(path)).relative_to(os.path.abspath(root))
        return None
    except ValueError:
        pass
    try:
        return _read_key(path)
    except FileNotFoundError:
        pass
    except OSError:
        return None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(os.urandom(_KEY_BYTES))
    except FileExistsError:
        pass  # another run made it first
    except OSError:
        return None
    try:
        return _read_key(path)
    except OSError:
        return None


def _read_key(path: Path) -> bytes | None:
    with open(path, "rb") as handle:
        key = handle.read(_KEY_BYTES + 1)
    return key if len(key) == _KEY_BYTES else None


def _sign(secret: bytes, payload: bytes) -> bytes:
    return hmac.new(secret, payload, hashlib.sha256).digest()


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
    cached: bool = False  # taken from the cache (whose facts of it are still current)

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
    aliases: tuple[str, ...] = ()  # the note's own aliases (others' broken links name them)
    # (name, the notes that had it as an alias) of each broken link's name looked up
    alias_deps: tuple[tuple[str, tuple[str, ...]], ...] = ()
    stamp: bytes = b""  # of the findings: a kept text with another stamp is not theirs
    facts: Any = None  # ``facts.NoteFacts`` of an entry stored in this run (``Cache.facts_of``)

    def row(self) -> tuple[Any, ...]:
        """What the cache file holds (the text goes to the file of its format)."""
        return (
            self.hash,
            self.stat,
            self.rows,
            self.counts,
            None,
            None,
            self.targets,
            self.names,
            self.deps,
            self.aliases,
            self.alias_deps,
            self.stamp,
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


# What a finding shown but never fixed carries for its fix: whether it is safe.
_SHOWN_FIX = {True: Fix((), True), False: Fix((), False)}


def display_findings(path: str, rows: bytes) -> list[Finding]:
    """The findings of ``rows`` to render only: their fixes hold no edits (quicker to
    unpack; never give them to the fixer)."""
    shown = _SHOWN_FIX
    severities = _SEVERITIES
    return [
        Finding(
            path,
            line,
            column,
            end_line,
            end_column,
            rule,
            code,
            severities[severity],
            message,
            None if fix is None else shown[fix[0]],
            start,
            end,
        )
        for (
            line,
            column,
            end_line,
            end_column,
            rule,
            code,
            severity,
            message,
            fix,
            start,
            end,
        ) in unpack(rows)
    ]


class _PlainUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed in a cache")


class Cache:
    """The entries of one cache file, read at start and written back at the end."""

    def __init__(
        self, folder: Path, key: str, secret: bytes, max_bytes: int = 10 * 1024 * 1024
    ) -> None:
        self.folder = folder
        self.file = folder / __version__ / f"{key}.pickle"
        self.secret = secret
        self.max_bytes = max_bytes  # a file larger than this is never hashed (nor checked)
        self.entries: dict[str, Entry] = {}
        self.dirty = False
        self._hashes: dict[str, bytes | None] = {}
        self._packed_facts = b""  # the facts of the entries read, packed together
        self._facts: dict[str, Any] | None = None  # ... and unpacked, once wanted
        self._stored: set[str] = set()  # paths whose entry (and facts) this run stored
        # Output format key -> path -> (stamp, text): the texts read or rendered
        self._texts: dict[str, dict[str, tuple[bytes, bytes]]] = {}
        self._new_texts: set[str] = set()  # the keys with texts to write back
        # The vault-wide rules' findings of this run and the key of what they came from.
        self._vault: tuple[bytes, list[tuple[str, FindingRow]]] | None = None
        self.wrote_entries = False  # whether ``save`` wrote the entries

    def load(self) -> None:
        try:
            rows, packed_facts = self._read(self.file)
            self.entries = {path: Entry(*row) for path, row in rows.items()}
            for path, entry in self.entries.items():
                _check_entry(path, entry)
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
            digest = _hash_file(full, self.max_bytes)
            if entry is not None and stat is not None and digest == entry.hash:
                # Unchanged but touched (a copy, a checkout): trust the new stat next time.
                entry.stat = stat
                self.dirty = True
        self._hashes[path] = digest
        return digest

    def valid(
        self,
        root: Path,
        path: str,
        names: bytes,
        files: Container[str],
        alias_holders: Callable[[str], tuple[str, ...]] | None = None,
    ) -> Entry | None:
        """The entry for ``path`` if the note and everything its findings depend on are
        unchanged; ``files`` are the vault's (a dependency must be one of them), and
        ``alias_holders`` tells which notes have a name as an alias now."""
        entry = self.entries.get(path)
        if entry is None or self.current_hash(root, path) != entry.hash:
            return None
        if entry.names is not None and entry.names != names:
            return None
        for dep, digest in entry.deps:
            if dep not in files or self.current_hash(root, dep) != digest:
                return None
        for key, holders in entry.alias_deps:
            if alias_holders is None or alias_holders(key) != holders:
                return None
        return entry

    def text_of(self, path: str, entry: Entry, key: str | None) -> bytes | None:
        """The text of ``entry``'s findings in the format ``key`` names, if kept."""
        if key is None:
            return None
        if entry.text_key == key and entry.text is not None:
            return entry.text
        found = self._texts_of(key).get(path)
        return found[1] if found is not None and found[0] == entry.stamp else None

    def keep_text(self, path: str, key: str, text: bytes) -> None:
        """Keep ``text``, the findings of ``path``'s entry in the format ``key`` names."""
        self._texts_of(key)[path] = (self.entries[path].stamp, text)
        self._new_texts.add(key)

    def _text_file(self, key: str) -> Path:
        name = hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()
        return self.file.with_name(f"{self.file.stem}.{name}.texts")

    def _texts_of(self, key: str) -> dict[str, tuple[bytes, bytes]]:
        texts = self._texts.get(key)
        if texts is None:
            texts = self._texts[key] = self._read_texts(self._text_file(key))
        return texts

    def _read_texts(self, file: Path) -> dict[str, tuple[bytes, bytes]]:
        try:
            texts = self._read(file)
            if isinstance(texts, dict) and all(
                isinstance(path, str) and _is_text(text) for path, text in texts.items()
            ):
                return texts
        except Exception:  # missing, unreadable, corrupt or from another format
            pass
        return {}

    def vault_findings(self, key: bytes) -> list[Finding] | None:
        """The vault-wide rules' findings a run stored under ``key`` (``keep_vault_findings``),
        None when the file holds another key's, or none."""
        try:
            stored_key, rows = self._read(self.file.with_suffix(".vault"))
            if stored_key != key or type(rows) is not list:
                return None
            found = [finding_from_row(path, row) for path, row in rows]
            return found if all(type(f.path) is str for f in found) else None
        except Exception:  # missing, unreadable, corrupt or from another format
            return None

    def keep_vault_findings(self, key: bytes, findings: Sequence[Finding]) -> None:
        """Keep the vault-wide rules' ``findings`` of a vault whose every file and name
        ``key`` digests (written by ``save``)."""
        self._vault = (key, [(f.path, finding_row(f)) for f in findings])

    def unchanged_aliases(self, root: Path, path: str) -> tuple[str, ...] | None:
        """The aliases of ``path`` as its entry holds them, when the note is unchanged."""
        entry = self.entries.get(path)
        if entry is None or self.current_hash(root, path) != entry.hash:
            return None
        return entry.aliases

    def store(self, path: str, entry: Entry) -> None:
        entry.stamp = content_hash(entry.hash + entry.rows)
        if entry.text is not None and entry.text_key is not None:
            self._new_texts.add(entry.text_key)
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
        """Write the entries, and the texts of formats with new ones, atomically; a
        cache that cannot be written is skipped."""
        try:
            if self.dirty:
                self._save_entries()
            for key in sorted(self._new_texts):
                self._save_texts(key)
            for key in self._texts.keys() - self._new_texts:
                if self._texts[key]:  # read and used: kept as the latest used
                    os.utime(self._text_file(key))
            if self._new_texts:
                self._forget_text_files()
            if self._vault is not None:
                self._write(self.file.with_suffix(".vault"), pack(self._vault))
        except (OSError, NotACache):
            return

    def _save_entries(self) -> None:
        racy = time.time_ns() - RACY_NS
        rows = {}
        for path, entry in self.entries.items():
            if entry.stat is not None and max(entry.stat[1], entry.stat[2]) > racy:
                entry.stat = None  # changed too recently to trust its stat next time
            rows[path] = entry.row()
        facts = {path: found for path in self.entries if (found := self.facts_of(path))}
        self._write(self.file, pack((rows, pack(facts))))
        self.wrote_entries = True

    def _save_texts(self, key: str) -> None:
        """The file of ``key``'s texts: those kept before (of entries unchanged since)
        and those of this run."""
        every_one_new = len(self._stored) == len(self.entries)
        known = {} if every_one_new and key not in self._texts else self._texts_of(key)
        for path in self._stored:
            entry = self.entries.get(path)
            if entry is not None and entry.text_key == key and entry.text is not None:
                known[path] = (entry.stamp, entry.text)
        entries = self.entries
        texts = {
            path: text
            for path, text in known.items()
            if path in entries and entries[path].stamp == text[0]
        }
        self._write(self._text_file(key), pack(texts))

    def _forget_text_files(self) -> None:
        """Remove the text files of all but the ``TEXT_FILES`` formats used last."""
        files = sorted(
            self.file.parent.glob(f"{self.file.stem}.*.texts"),
            key=lambda file: file.stat().st_mtime_ns,
            reverse=True,
        )
        for file in files[TEXT_FILES:]:
            with contextlib.suppress(OSError):
                file.unlink()

    def _read(self, file: Path) -> Any:
        return _read_signed(file, self.secret)

    def _write(self, file: Path, payload: bytes) -> None:
        _write_signed(self.folder, file, self.secret, payload)

    def alias_rows(self) -> dict[str, AliasRow | None]:
        """Each note's aliases with the stat of the bytes they are of (None: a stat not
        to trust), as the entries hold them: what ``AliasIndex.save`` writes."""
        return {
            path: None if entry.stat is None else (entry.stat, entry.aliases)
            for path, entry in self.entries.items()
            if path.lower().endswith(".md")
        }


def _read_signed(file: Path, secret: bytes) -> Any:
    """What ``_write_signed`` wrote to ``file``; ValueError when this machine's key did
    not sign it."""
    with open(file, "rb") as handle:
        data = handle.read()
    mac, payload = data[:32], data[32:]
    if not hmac.compare_digest(mac, _sign(secret, payload)):
        raise ValueError("not signed with this machine's key")
    return unpack(payload)


def _write_signed(folder: Path, file: Path, secret: bytes, payload: bytes) -> None:
    _make_folder(folder)  # checked again: it may have been filled meanwhile
    file.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(file, _sign(secret, payload), payload)


AliasRow = tuple[StatKey, tuple[str, ...]]  # a note's stat, and its aliases then
ALIAS_FILE = "aliases.index"
# A run without the cache rewrites the alias index when it read at least this many
# notes the index could not answer for (changed since it was written, or new).
ALIAS_REWRITE = 64


class AliasIndex:
    """Every note's aliases, each with the stat facts of the bytes they were read from:
    ``aliases.pickle`` beside the cache files, signed as they are.

    A run that checks a few notes (pre-commit's) does not load the cache, yet a broken
    link in one of them asks which notes have its name as an alias: the index answers
    for each note whose stat is still the one it holds (as ``Cache.current_hash``
    trusts a stat, racy ones left out), and only the others are read. It holds the
    aliases and stats of the cache's entries, written by runs with the cache, and
    those a run without it read (``learn``), when they were many (``ALIAS_REWRITE``).
    """

    def __init__(self, folder: Path, secret: bytes, max_bytes: int) -> None:
        self.folder = folder
        self.file = folder / __version__ / ALIAS_FILE
        self.secret = secret
        self.max_bytes = max_bytes  # a note larger than this has no aliases to read
        self.rows: dict[str, AliasRow] = {}
        self.found = False  # whether a valid index was read
        self.learnt: dict[str, AliasRow] = {}  # notes read in this run

    def load(self) -> None:
        try:
            max_bytes, rows = _read_signed(self.file, self.secret)
            if max_bytes != self.max_bytes or not isinstance(rows, dict):
                raise ValueError("another limit of note size, or the wrong shape")
            for path, row in rows.items():
                if not (isinstance(path, str) and _is_alias_row(row)):
                    raise ValueError("bad alias row")
        except Exception:  # missing, unreadable, corrupt, forged or from another format
            self.rows, self.found = {}, False
            return
        self.rows, self.found = rows, True

    def aliases(self, root: Path, path: str) -> tuple[str, ...] | None:
        """The aliases of the note at ``path`` when its stat is the one held; else None."""
        row = self.rows.get(path)
        if row is None:
            return None
        return row[1] if stat_key(os.path.join(root, path)) == row[0] else None

    def learn(self, path: str, stat: StatKey, aliases: tuple[str, ...]) -> None:
        """Record the aliases of the bytes of ``path`` read after this ``stat``."""
        self.learnt[path] = (stat, aliases)

    def save(
        self, notes: Iterable[str], known: Mapping[str, AliasRow | None] | None = None
    ) -> None:
        """Write the rows of ``notes`` (the vault's): from ``known`` (the cache's; None: a
        stat not to trust), else learnt in this run, else as loaded; only when they
        changed. An index that cannot be written is skipped."""
        known = known or {}
        racy = time.time_ns() - RACY_NS
        rows: dict[str, AliasRow] = {}
        for path in notes:
            row = known[path] if path in known else self.learnt.get(path) or self.rows.get(path)
            if row is not None and max(row[0][1], row[0][2]) <= racy:
                rows[path] = row
        if self.found and rows == self.rows:
            return
        try:
            _write_signed(self.folder, self.file, self.secret, pack((self.max_bytes, rows)))
        except (OSError, NotACache):
            return
        self.rows, self.found = rows, True


_OUTPUTS = "outputs.json"  # the files -o wrote inside the vault, with their hashes


def written_output(folder: Path, path: str) -> str | None:
    """The hash of what ``-o`` last wrote to the vault file ``path``, if it did."""
    found = _outputs(folder).get(path)
    return found if isinstance(found, str) else None


def record_output(folder: Path, path: str, digest: str) -> None:
    """Remember that ``-o`` wrote ``path`` (so that it may write over it again)."""
    try:
        _make_folder(folder)
        known = _outputs(folder)
        known[path] = digest
        write_atomically(folder / _OUTPUTS, json.dumps(known, sort_keys=True).encode())
    except (OSError, NotACache):
        return  # then vaultlint asks for --force next time


def _outputs(folder: Path) -> dict[str, Any]:
    try:
        with open(folder / _OUTPUTS, encoding="utf-8") as handle:
            known = json.load(handle)
    except (OSError, ValueError):
        return {}
    return known if isinstance(known, dict) else {}


def _make_folder(folder: Path) -> None:
    """Make ``folder`` the cache's, with its marker (``claim`` says whether it may be)."""
    claim(folder)
    folder.mkdir(parents=True, exist_ok=True)
    ignore = folder / ".gitignore"
    if not ignore.exists():
        ignore.write_text(_MARK + "\n*\n", encoding="utf-8")


def write_atomically(path: Path, *chunks: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as handle:
            for chunk in chunks:
                handle.write(chunk)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _hash_file(full: str, max_bytes: int) -> bytes | None:
    """The content hash of a regular file of at most ``max_bytes``; None for anything
    else (a FIFO or device named in a forged entry, a note too large to check)."""
    try:
        fd = os.open(full, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > max_bytes:
            return None
        chunks = []
        left = max_bytes + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        if left <= 0:
            return None  # grew past the limit while read
        return content_hash(b"".join(chunks))
    except OSError:
        return None
    finally:
        os.close(fd)


def _check_entry(path: Any, entry: Entry) -> None:
    """Raise on an entry of the wrong shape (its rows are checked when unpacked)."""
    if not (
        isinstance(path, str)
        and _is_bytes(entry.hash, 16)
        and (entry.stat is None or _is_ints(entry.stat, 4))
        and isinstance(entry.rows, bytes)
        and _is_ints(entry.counts, 5)
        and (entry.text is None or isinstance(entry.text, bytes))
        and (entry.text_key is None or isinstance(entry.text_key, str))
        and (entry.targets is None or isinstance(entry.targets, bytes))
        and (entry.names is None or _is_bytes(entry.names, 16))
        and isinstance(entry.deps, tuple)
        and all(map(_is_dep, entry.deps))
        and _is_strs(entry.aliases)
        and isinstance(entry.alias_deps, tuple)
        and all(map(_is_alias_dep, entry.alias_deps))
        and isinstance(entry.stamp, bytes)
        and entry.facts is None
    ):
        raise ValueError("bad cache entry")


def _is_bytes(value: Any, size: int) -> bool:
    return isinstance(value, bytes) and len(value) == size


def _is_ints(value: Any, size: int) -> bool:
    """A tuple of ``size`` non-negative ints (``map`` and ``min``: checked once per
    entry of a warm run, so without a Python-level loop)."""
    return (
        type(value) is tuple
        and len(value) == size
        and _INTS.issuperset(map(type, value))
        and (not value or min(value) >= 0)
    )


_INTS = frozenset((int,))


def _is_strs(value: Any) -> bool:
    return isinstance(value, tuple) and _STRS.issuperset(map(type, value))


_STRS = frozenset((str,))


def _is_alias_dep(dep: Any) -> bool:
    return isinstance(dep, tuple) and len(dep) == 2 and isinstance(dep[0], str) and _is_strs(dep[1])


def _is_alias_row(row: Any) -> bool:
    return isinstance(row, tuple) and len(row) == 2 and _is_ints(row[0], 4) and _is_strs(row[1])


def _is_text(text: Any) -> bool:
    return isinstance(text, tuple) and len(text) == 2 and all(type(t) is bytes for t in text)


def _is_dep(dep: Any) -> bool:
    return (
        isinstance(dep, tuple)
        and len(dep) == 2
        and isinstance(dep[0], str)
        and _is_bytes(dep[1], 16)
    )


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
