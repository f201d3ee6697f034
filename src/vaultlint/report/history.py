"""Completeness per note type at past commits, read from git objects (no checkout).

The notes of each commit are listed with ``git ls-tree``, their blobs' sizes
asked with one ``git cat-file --batch-check`` and those within ``max-bytes``
read, one at a time, from one ``git cat-file --batch``. A blob is parsed once however many commits
hold it, and not at all when it is the note in the working tree (the report
has its states already). The configuration and schemas are the working
tree's, so the numbers show how the notes changed, not the rules.
"""

from __future__ import annotations

import hashlib
import subprocess
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from vaultlint.parse import parse_note
from vaultlint.report.collect import HistoryPoint, NoteTypes, TypeCount
from vaultlint.schema import Schema, note_states
from vaultlint.vault import decode

Selector = Callable[[Sequence[str]], list[str]]
_NOTE_MODES = ("100644", "100755")


class HistoryError(Exception):
    """Git cannot give the history (not a repository, no commits, git missing)."""


@dataclass(frozen=True)
class _Commit:
    sha: str
    date: str
    subject: str
    notes: dict[str, str]  # vault path -> blob id


def history(
    root: Path,
    count: int,
    schemas: Sequence[Schema],
    select: Selector,
    working: Mapping[str, tuple[bytes, NoteTypes]] | None = None,
    max_bytes: int = 10 * 1024 * 1024,
) -> list[HistoryPoint]:
    """Completeness per type at the last ``count`` commits of HEAD, oldest first.

    ``select`` picks the notes to count from a commit's note paths (the paths
    given on the command line, minus excluded notes); ``working`` maps the
    working tree's notes to their bytes and types, reused where a commit holds
    the same blob.
    """
    commits = [_with_notes(root, c) for c in _commits(root, count)]
    states = _unchanged(commits, working or {})
    wanted = {(path, oid) for c in commits for path, oid in c.notes.items()} - states.keys()
    states.update(_read_states(root, wanted, schemas, max_bytes))
    names = [s.name for s in schemas]
    return [_point(c, select, states, names) for c in reversed(commits)]


def _unchanged(
    commits: Sequence[_Commit], working: Mapping[str, tuple[bytes, NoteTypes]]
) -> dict[tuple[str, str], NoteTypes]:
    """The states of the commits' notes that are byte for byte the working tree's."""
    states: dict[tuple[str, str], NoteTypes] = {}
    ids: dict[str, str] = {}
    for commit in commits:
        for path, oid in commit.notes.items():
            if path not in working:
                continue
            data, types = working[path]
            if path not in ids:
                ids[path] = blob_id(data, len(oid))
            if ids[path] == oid:
                states[(path, oid)] = types
    return states


def blob_id(data: bytes, oid_length: int = 40) -> str:
    """The git object id of a blob holding ``data`` (SHA-1, or SHA-256 repositories)."""
    digest = hashlib.sha1 if oid_length == 40 else hashlib.sha256
    return digest(b"blob %d\0" % len(data) + data).hexdigest()


def _git(root: Path, *args: str, stdin: bytes | None = None) -> bytes:
    try:
        done = subprocess.run(
            ["git", "-c", "core.quotePath=false", *args],
            cwd=root,
            input=stdin,
            capture_output=True,
            check=False,
        )
    except OSError as exc:
        raise HistoryError(f"--history: cannot run git: {exc.strerror or exc}") from None
    if done.returncode != 0:
        lines = done.stderr.decode("utf-8", "replace").strip().splitlines()
        reason = lines[-1] if lines else f"git {args[0]} failed"
        raise HistoryError(f"--history: {root}: {reason.removeprefix('fatal: ')}")
    return done.stdout


def head_commit(root: Path) -> str | None:
    """The commit HEAD names in the git work tree holding ``root`` (one ``git rev-parse``);
    None outside a work tree, before the first commit, or without git."""
    try:
        out = _git(root, "rev-parse", "--verify", "--quiet", "HEAD")
    except HistoryError:
        return None
    commit = out.decode("ascii", "replace").strip()
    return commit if commit and all(c in "0123456789abcdef" for c in commit) else None


def _commits(root: Path, count: int) -> list[tuple[str, str, str]]:
    """(sha, date, subject) of the last ``count`` commits of HEAD, newest first."""
    try:
        inside = _git(root, "rev-parse", "--is-inside-work-tree").strip() == b"true"
    except HistoryError as exc:
        if "not a git repository" not in str(exc):
            raise
        inside = False
    if not inside:
        raise HistoryError(f"--history: {root} is not in a git repository")
    try:
        _git(root, "rev-parse", "--verify", "--quiet", "HEAD")
    except HistoryError:
        raise HistoryError(f"--history: {root}: the repository has no commits yet") from None
    out = _git(root, "rev-list", "-n", str(count), "--format=%cs%x1f%s", "HEAD")
    lines = out.decode("utf-8", "replace").splitlines()
    commits = []
    for header, line in zip(lines[::2], lines[1::2], strict=False):
        date, _, subject = line.partition("\x1f")
        commits.append((header.removeprefix("commit ").strip(), date, subject))
    return commits


def _with_notes(root: Path, commit: tuple[str, str, str]) -> _Commit:
    """The commit's notes below the vault root (``ls-tree`` lists from the cwd down)."""
    sha, date, subject = commit
    out = _git(root, "ls-tree", "-r", "-z", sha)
    notes: dict[str, str] = {}
    for entry in out.split(b"\0"):
        meta, _, raw = entry.partition(b"\t")
        fields = meta.split()
        if len(fields) != 3 or fields[1] != b"blob" or fields[0].decode() not in _NOTE_MODES:
            continue
        path = raw.decode("utf-8", "surrogateescape")
        if path.lower().endswith(".md") and not _hidden(path):
            notes[path] = fields[2].decode()
    return _Commit(sha, date, subject, notes)


def _hidden(path: str) -> bool:
    """Hidden files and folders are no part of the vault (as in ``vault.scan``)."""
    return any(part.startswith(".") for part in path.split("/"))


def _read_states(
    root: Path, wanted: Iterable[tuple[str, str]], schemas: Sequence[Schema], max_bytes: int
) -> dict[tuple[str, str], NoteTypes]:
    """The types of each (path, blob) wanted. The blobs' sizes are asked first (one
    ``git cat-file --batch-check``): a blob over ``max-bytes`` is never read (it
    counts as unreadable, as the note would in the working tree); the others are
    read one at a time from one ``git cat-file --batch``."""
    paths_of: dict[str, list[str]] = {}
    for path, oid in wanted:
        paths_of.setdefault(oid, []).append(path)
    if not paths_of:
        return {}
    states: dict[tuple[str, str], NoteTypes] = {}
    sizes = _sizes(root, sorted(paths_of))
    small = [oid for oid in sorted(paths_of) if sizes.get(oid, max_bytes + 1) <= max_bytes]
    for oid in paths_of.keys() - set(small):
        for path in paths_of[oid]:
            states[(path, oid)] = ()
    for oid, data in _blobs(root, small):
        for path in paths_of.get(oid, ()):
            states[(path, oid)] = _note_types(path, data, schemas, max_bytes)
    return states


def _sizes(root: Path, oids: Sequence[str]) -> dict[str, int]:
    """The size of each blob of ``oids`` git has (``git cat-file --batch-check``)."""
    out = _git(root, "cat-file", "--batch-check", stdin=_lines(oids))
    sizes: dict[str, int] = {}
    for line in out.splitlines():
        fields = line.split()
        if len(fields) == 3 and fields[1] == b"blob" and fields[2].isdigit():
            sizes[fields[0].decode()] = int(fields[2])
    return sizes


def _lines(oids: Sequence[str]) -> bytes:
    return "".join(f"{oid}\n" for oid in oids).encode()


def _blobs(root: Path, oids: Sequence[str]) -> Iterator[tuple[str, bytes]]:
    """(id, content) of each blob of ``oids``, read from ``git cat-file --batch`` one
    at a time (so no more than one is held at once)."""
    if not oids:
        return
    with tempfile.TemporaryFile() as ids:  # stdin from a file: git's output never waits
        ids.write(_lines(oids))
        ids.seek(0)
        try:
            process = subprocess.Popen(
                ["git", "cat-file", "--batch"],
                cwd=root,
                stdin=ids,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
            )
        except OSError as exc:
            raise HistoryError(f"--history: cannot run git: {exc.strerror or exc}") from None
        assert process.stdout is not None
        with process:
            out = process.stdout
            for header in iter(out.readline, b""):
                fields = header.split()
                if len(fields) != 3 or not fields[2].isdigit():  # "<id> missing"
                    continue
                data = out.read(int(fields[2]))
                out.read(1)  # the newline after the content
                yield fields[0].decode(), data
        if process.returncode != 0:
            raise HistoryError(f"--history: {root}: git cat-file failed")


def _note_types(path: str, data: bytes, schemas: Sequence[Schema], max_bytes: int) -> NoteTypes:
    """The types of the note and whether it is complete in each; () when unreadable."""
    if len(data) > max_bytes:
        return ()
    source = decode(path, data)
    if source.text is None:
        return ()
    note = parse_note(path, source.text)
    return tuple((s.schema.name, s.complete) for s in note_states(note, schemas))


def _point(
    commit: _Commit,
    select: Selector,
    states: Mapping[tuple[str, str], NoteTypes],
    names: Sequence[str],
) -> HistoryPoint:
    counts = {name: TypeCount() for name in names}
    for path in select(sorted(commit.notes)):
        for name, complete in states.get((path, commit.notes[path]), ()):
            counts[name].notes += 1
            counts[name].complete += complete
    return HistoryPoint(commit.sha, commit.date, commit.subject, counts)
