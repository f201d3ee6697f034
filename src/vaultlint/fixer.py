"""The only writer: applies fixes to a fixed point, then writes atomically."""

from __future__ import annotations

import contextlib
import difflib
import errno
import os
import re
import signal
import stat
import tempfile
import threading
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

try:
    import fcntl
except ImportError:  # Windows: no file locks; stale copies are told by their age
    fcntl = None  # type: ignore[assignment]

from vaultlint.model import Finding, Fix, Note
from vaultlint.parse import parse_note
from vaultlint.vault import BOM, TEMPORARY_SUFFIX

MAX_PASSES = 10
_CHANGED = "not written: the file changed while vaultlint ran"
_TMP_SUFFIX = TEMPORARY_SUFFIX  # a note's new bytes, before the replace
_OLD_SUFFIX = ".vaultlint-old"  # a second name of the note while it is replaced
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


class FixError(Exception):
    """The fixes did not converge: an internal error, naming the rules."""


@dataclass
class FixOutcome:
    note: Note  # the note after the last pass (the original when nothing applied)
    findings: list[Finding]  # what is left on it
    fixed: Counter[str] = field(default_factory=Counter)  # rule -> fixes applied

    @property
    def changed(self) -> bool:
        return sum(self.fixed.values()) > 0


def applicable(finding: Finding, unsafe: bool) -> bool:
    return finding.fix is not None and (finding.fix.safe or unsafe)


def select_fixes(
    note: Note, findings: Iterable[Finding], unsafe: bool
) -> list[tuple[Finding, Fix]]:
    """Non-overlapping fixes, earliest first; the others wait for the next pass.

    Fixes touching a frontmatter block that failed to parse are never taken;
    text inserted at the end of one that is not closed would join it too.
    """
    locked = locked_span(note)
    candidates = sorted(
        ((f, f.fix) for f in findings if applicable(f, unsafe) and f.fix is not None),
        key=lambda pair: (pair[1].start, pair[1].end),
    )
    chosen: list[tuple[Finding, Fix]] = []
    taken = _Taken(e.start for _, fix in candidates for e in fix.edits)
    for finding, fix in candidates:
        if locked is not None and touches(fix, locked):
            continue
        if any(taken.clashes(e.start, e.end) for e in fix.edits):
            continue
        chosen.append((finding, fix))
        for e in fix.edits:
            taken.add(e.start, e.end)
    return chosen


def locked_span(note: Note) -> tuple[int, int] | None:
    """The frontmatter block that failed to parse, which no fix may touch."""
    fm = note.frontmatter
    if fm is None or fm.error is None:
        return None
    return (fm.start, fm.end if fm.closed else fm.end + 1)


def touches(fix: Fix, span: tuple[int, int]) -> bool:
    return any(e.start < span[1] and e.end >= span[0] for e in fix.edits)


def drop_locked_fixes(note: Note, findings: Iterable[Finding]) -> None:
    """Take away the fixes ``select_fixes`` would never apply (they touch a
    frontmatter block that does not parse): "fixable" is what --fix fixes."""
    locked = locked_span(note)
    if locked is None:
        return
    for finding in findings:
        if finding.fix is not None and touches(finding.fix, locked):
            finding.fix = None


class FixGuard(Protocol):
    """A rule whose findings no fix may bring (empty-note, duplicate-heading)."""

    def risky_fixes(self, note: Note, fixes: Sequence[Fix]) -> list[Fix]:
        """The ``fixes`` that could bring a finding of the rule."""
        ...

    def could_bring(self, note: Note, risky: Sequence[Fix]) -> bool:
        """A first look at every risky fix of the note, applied or not: False when no
        selection of them could bring a finding."""
        ...

    def might_bring(self, note: Note, risky: Sequence[Fix]) -> bool:
        """A quick look: whether applying ``risky`` could (then the fixed text is parsed)."""
        ...

    def brought(self, before: Note, after: Note) -> str | None:
        """Why ``after`` has a finding ``before`` had not (None: it has none new)."""
        ...


GUARD_SEARCH = 64  # more suspect fixes than this in one pass are all refused


def guard_fixes(note: Note, findings: Sequence[Finding], guards: Sequence[FixGuard]) -> None:
    """Take away each fix that would bring a finding of a ``guards`` rule: a fix that
    empties the note, or makes two headings one (the finding's message says why).

    What the fixer's next pass applies (``select_fixes``, with and without
    unsafe fixes) is tried: at once, and, when it brings a finding, the suspect
    fixes one by one on top of the others. Only notes whose fixes could (a
    quick look, ``might_bring``) are parsed again, so a check rarely costs more.
    """
    fixes = [f.fix for f in findings if f.fix is not None]
    if not guards or not fixes:
        return
    guards = [
        g for g in guards if (risky := g.risky_fixes(note, fixes)) and g.could_bring(note, risky)
    ]
    if not guards:
        return  # no selection of these fixes could: most notes stop here
    for unsafe in (False, True):
        if unsafe and not any(f.fix is not None and not f.fix.safe for f in findings):
            return  # the same fixes as without unsafe ones: tried already
        while _guard_pass(note, findings, guards, unsafe):
            pass


def _guard_pass(
    note: Note, findings: Sequence[Finding], guards: Sequence[FixGuard], unsafe: bool
) -> bool:
    """Whether a fix of the pass ``unsafe`` selects had to be taken away."""
    chosen = [fix for _, fix in select_fixes(note, findings, unsafe)]
    if not chosen:
        return False
    active = []
    suspects: dict[int, Fix] = {}
    for guard in guards:
        risky = guard.risky_fixes(note, chosen)
        if risky and guard.might_bring(note, risky):
            active.append(guard)
            suspects.update((id(fix), fix) for fix in risky)
    if not active:
        return False
    whole = _brought(note, chosen, active)
    if whole is None:
        return False
    kept = [fix for fix in chosen if id(fix) not in suspects]
    others = _brought(note, kept, active) if kept else None
    if others is not None:  # not a suspect's doing: the whole pass is refused
        refused = [(fix, others) for fix in chosen]
    elif len(suspects) > GUARD_SEARCH:
        refused = [(fix, whole) for fix in suspects.values()]
    else:
        refused = []
        for fix in suspects.values():
            reason = _brought(note, [*kept, fix], active)
            if reason is None:
                kept.append(fix)
            else:
                refused.append((fix, reason))
    reasons = {id(fix): why for fix, why in refused}
    for finding in findings:
        why = None if finding.fix is None else reasons.get(id(finding.fix))
        if why is not None:
            finding.fix = None
            finding.message += f" (not fixed: {why})"
    return True


def _brought(note: Note, fixes: Sequence[Fix], guards: Sequence[FixGuard]) -> str | None:
    """Why applying ``fixes`` to ``note`` brings a finding of one of ``guards``."""
    fixed = parse_note(note.path, apply_fixes(note.text, fixes, note.newline))
    for guard in guards:
        reason = guard.brought(note, fixed)
        if reason is not None:
            return reason
    return None


class _Taken:
    """The edits taken so far; whether a new edit clashes with one, in O(log n).

    An insertion (``start == end``) clashes with an edit around or at its
    point; two other edits clash when they overlap (touching is fine). Every
    start an added edit may have is given up front.
    """

    def __init__(self, starts: Iterable[int]) -> None:
        self._starts = sorted(set(starts))
        self._insertions = _PrefixMax(len(self._starts))  # at their start: their offset
        self._spans = _PrefixMax(len(self._starts))  # at their start: their end

    def add(self, start: int, end: int) -> None:
        index = bisect_left(self._starts, start)
        (self._insertions if start == end else self._spans).raise_to(index, end)

    def clashes(self, start: int, end: int) -> bool:
        starts = self._starts
        if start == end:  # an edit starting at or before the point and ending at or after it
            upto = bisect_right(starts, start)
            return max(self._spans.max(upto), self._insertions.max(upto)) >= start
        if self._insertions.max(bisect_right(starts, end)) >= start:
            return True  # an insertion within start..end, ends included
        return self._spans.max(bisect_left(starts, end)) > start


class _PrefixMax:
    """A Fenwick tree: raise the value at an index, read the largest of the first n (-1)."""

    def __init__(self, size: int) -> None:
        self._tree = [-1] * (size + 1)

    def raise_to(self, index: int, value: int) -> None:
        tree = self._tree
        i = index + 1
        while i < len(tree):
            if tree[i] < value:
                tree[i] = value
            i += i & -i

    def max(self, count: int) -> int:
        tree = self._tree
        best = -1
        i = count
        while i > 0:
            if tree[i] > best:
                best = tree[i]
            i -= i & -i
        return best


def apply_fixes(text: str, fixes: Iterable[Fix], newline: str = "\n") -> str:
    edits = sorted((e for fix in fixes for e in fix.edits), key=lambda e: (e.start, e.end))
    parts: list[str] = []
    pos = 0
    for edit in edits:
        if edit.start == edit.end and not edit.replacement:
            continue
        _join(parts, text[pos : edit.start], newline)
        replacement = edit.replacement
        if newline != "\n" and "\n" in replacement:
            replacement = replacement.replace("\r\n", "\n").replace("\n", newline)
        _join(parts, replacement, newline)
        pos = edit.end
    _join(parts, text[pos:], newline)
    return "".join(parts)


def _join(parts: list[str], piece: str, newline: str) -> None:
    """Append ``piece``; where an edit brings a lone CR and an LF together, the LF
    becomes a CR (CRLF in a CRLF note): as one CRLF they would end only one line."""
    if not piece:
        return
    if piece[0] == "\n" and parts and parts[-1][-1] == "\r":
        piece = ("\r\n" if newline == "\r\n" else "\r") + piece[1:]
    parts.append(piece)


def fix_note(
    note: Note,
    check: Callable[[Note], list[Finding]],
    *,
    unsafe: bool = False,
    findings: list[Finding] | None = None,
) -> FixOutcome:
    """Apply fixes and re-check until none applies; at most MAX_PASSES passes.
    ``findings`` are ``check(note)`` when the caller has them already."""
    outcome = FixOutcome(note, check(note) if findings is None else list(findings))
    seen = {note.text}
    for _ in range(MAX_PASSES):
        chosen = select_fixes(outcome.note, outcome.findings, unsafe)
        if not chosen:
            return outcome
        text = apply_fixes(outcome.note.text, (fix for _, fix in chosen), outcome.note.newline)
        rules = sorted({finding.rule for finding, _ in chosen})
        if text in seen:
            raise FixError(f"{note.path}: the fixes of {', '.join(rules)} do not converge")
        seen.add(text)
        new = parse_note(note.path, text)
        new.bom = note.bom
        outcome.fixed.update(finding.rule for finding, _ in chosen)
        outcome.note = new
        outcome.findings = check(new)
    leftover = sorted({f.rule for f in outcome.findings if applicable(f, unsafe)})
    raise FixError(
        f"{note.path}: fixes still pending after {MAX_PASSES} passes ({', '.join(leftover)})"
    )


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")


def split_lines(text: str) -> list[str]:
    """The lines of ``text``, each with its line break: LF, CR or CRLF only.

    ``str.splitlines`` also breaks at U+2028, U+2029, U+0085, VT, FF and the
    file separators, which are text in a note.
    """
    return _LINE.findall(text)


def unified_diff(path: str, old: str, new: str) -> str:
    """A unified diff of a note's text, lines broken where the note breaks them."""
    return _unified(split_lines(old), split_lines(new), (f"a/{path}", f"b/{path}"), "\n\r")


_GIT_LINE = re.compile(r"[^\n]*\n|[^\n]+")


def git_diff(
    path: str, old: str, new: str, *, bom: bool = False, old_path: str | None = None
) -> str:
    """``--diff``'s text for one note, which ``git apply`` and GNU patch apply.

    A ``diff --git`` header, names quoted as git quotes them, the BOM (which the
    note's text leaves out) on the first line where the file has it, and lines
    broken at LF only, as git reads them (a CR-only note is one line to git).
    With ``old_path``, the note was renamed from there (``rename from``/``to``).
    """
    if old == new:
        return ""
    if bom:
        old, new = "\ufeff" + old, "\ufeff" + new
    source = path if old_path is None else old_path
    a, b = git_quote(f"a/{source}"), git_quote(f"b/{path}")
    renamed = ""
    if old_path is not None:
        renamed = f"rename from {git_quote(old_path)}\nrename to {git_quote(path)}\n"
    tab_a = "\t" if " " in source else ""  # as git: the name's end, for GNU patch
    tab_b = "\t" if " " in path else ""
    lines = _GIT_LINE.findall(old), _GIT_LINE.findall(new)
    return f"diff --git {a} {b}\n{renamed}" + _unified(*lines, (a + tab_a, b + tab_b), "\n")


def _unified(old: list[str], new: list[str], names: tuple[str, str], breaks: str) -> str:
    """The diff's lines, each keeping its line break (a line in ``breaks``)."""
    lines = difflib.unified_diff(old, new, *names)
    return "".join(
        line if line[-1] in breaks else line + "\n\\ No newline at end of file\n" for line in lines
    )


_C_ESCAPES = {7: "a", 8: "b", 9: "t", 10: "n", 11: "v", 12: "f", 13: "r", 34: '"', 92: "\\"}


def git_quote(name: str) -> str:
    """``name`` as git prints it (``core.quotePath``): in double quotes, C style, when
    it holds a control character, a quote, a backslash or a non-ASCII byte."""
    data = name.encode("utf-8", "surrogateescape")
    if not any(c < 32 or c >= 127 or c in (34, 92) for c in data):
        return name
    return '"' + "".join(_c_char(c) for c in data) + '"'


def _c_char(byte: int) -> str:
    if byte in _C_ESCAPES:
        return "\\" + _C_ESCAPES[byte]
    return chr(byte) if 32 <= byte < 127 else f"\\{byte:03o}"


def encode(text: str, bom: bool) -> bytes:
    return (BOM if bom else b"") + text.encode("utf-8")


def write_note(
    root: Path, path: str, original: bytes, data: bytes, copies: Copies | None = None
) -> str | None:
    """Replace the file's bytes atomically; a message when it was not written.

    Ctrl-C and SIGTERM wait until the note is replaced or left as it was (a
    millisecond): between the two, the note's temporary copy could be left.
    ``copies``: where a temporary file made ahead for the note may wait. Beyond
    that, see ``_write_note``.
    """
    with _signals_held():
        return _write_note(root, path, original, data, copies)


def _new_copy(folder: str) -> tuple[int, str]:
    """A new temporary file in ``folder``, open and locked (see ``_write_note``)."""
    # Not named after the note: a 255-byte name leaves no room for more.
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".", suffix=_TMP_SUFFIX)
    try:
        _lock(fd, wait=True)
    except BaseException:
        os.close(fd)
        _remove(tmp)
        raise
    return fd, tmp


class Copies:
    """The temporary files of the notes a run is about to write, made ahead by a thread.

    Creating a file is the slowest step of a write (about 0.3 ms, in the kernel, on
    the ext4 of the benchmark machine): the thread makes them while the run checks
    and fixes, a few notes ahead of it. Each is made, locked and named as
    ``_write_note`` makes its own, so what happens to the note is the same; a note
    whose copy is not ready (or whose folder is not the one it was made in) gets its
    own, and ``close`` removes those not used.
    """

    AHEAD = 32  # copies made before the run takes them

    def __init__(self, root: Path, paths: Sequence[str]) -> None:
        self.root = root
        self.paths = list(paths)
        self._position = {path: n for n, path in enumerate(self.paths)}
        self._made: dict[str, tuple[int, str, str]] = {}  # path -> fd, name, folder
        self._taken = 0  # how many of ``paths`` the run has come to
        self._closed = False
        self._ready = threading.Condition()
        self._thread = threading.Thread(target=self._make, name="vaultlint-copies", daemon=True)
        self._thread.start()

    def _make(self) -> None:
        for n, path in enumerate(self.paths):
            with self._ready:
                while not self._closed and n - self._taken >= self.AHEAD:
                    self._ready.wait()
                if self._closed:
                    return
                if n < self._taken:
                    continue  # the run has passed it
            try:
                folder = os.path.dirname(os.path.realpath(self.root / path))
                fd, tmp = _new_copy(folder)
            except OSError:
                continue  # the run meets the same error when it makes its own
            with self._ready:
                if self._closed or n < self._taken:
                    _discard(fd, tmp)
                else:
                    self._made[path] = (fd, tmp, folder)

    def take(self, path: str, folder: str) -> tuple[int, str] | None:
        """The copy made for ``path`` in ``folder``, if it is ready; later notes next."""
        with self._ready:
            n = self._position.get(path)
            if n is not None and n >= self._taken:
                self._taken = n + 1
                self._ready.notify()
            made = self._made.pop(path, None)
        if made is None:
            return None
        fd, tmp, made_in = made
        if made_in != folder:
            _discard(fd, tmp)
            return None
        return fd, tmp

    def close(self) -> None:
        """Stop making copies and remove those not taken."""
        with self._ready:
            self._closed = True
            self._ready.notify()
        self._thread.join()
        for fd, tmp, _ in self._made.values():
            _discard(fd, tmp)
        self._made.clear()


def _discard(fd: int, tmp: str) -> None:
    _remove(tmp)  # unlinked while still locked, as ``remove_stale_temporaries`` does
    os.close(fd)


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    if not hasattr(signal, "pthread_sigmask"):  # not POSIX
        yield
        return
    held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


def _write_note(
    root: Path, path: str, original: bytes, data: bytes, copies: Copies | None = None
) -> str | None:
    """Replace the file's bytes atomically; a message when it was not written.

    The file is written only if it still holds ``original`` (Obsidian may have
    saved it meanwhile), is not read-only, is not a symlink leading out of the
    vault and has no other name (a hard link would keep the old bytes); a save
    that lands while it is being replaced is put back (see
    ``_replace_unless_changed``). The temporary file is hidden (dot name) in
    the same folder, so the replace is atomic and never seen by a vault scan;
    its name is short, so that it fits wherever the note's name does. It gets
    the note's owner, group, mode and extended attributes, or the note is not
    written.
    """
    target = root / path
    real = Path(os.path.realpath(target))
    try:
        real.relative_to(os.path.realpath(root))
    except ValueError:
        return "not written: it is a symlink to a file outside the vault"
    try:
        info = os.stat(real)
        if not stat.S_ISREG(info.st_mode):
            return "not written: not a regular file"
        if not info.st_mode & 0o222:
            return "not written: the file is read-only"
        if info.st_nlink > 1:
            return _other_names(real, info)
        if real.read_bytes() != original:
            return "not written: the file changed while vaultlint ran"
        folder = str(real.parent)
        made = None if copies is None else copies.take(path, folder)
        fd, tmp = made if made is not None else _new_copy(folder)
    except OSError as exc:
        return f"not written: {exc.strerror or exc}"
    try:
        # Open (and locked) until the replace: the lock tells the next run that a live
        # process owns the copy; one nobody holds is a killed run's (``kill -9``).
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
            problem = _keep_metadata(real, tmp, info)
            if problem is not None:
                os.unlink(tmp)
                return problem
            return _replace_unless_changed(real, tmp, original)
    except OSError as exc:
        _remove(tmp)
        return f"not written: {exc.strerror or exc}"
    except BaseException:  # interrupted (Ctrl-C, SIGTERM): no copy may be left behind
        _remove(tmp)
        raise


def _remove(path: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)


STALE_SECONDS = 600  # without file locks, a temporary file this old belongs to no live run


def _lock(fd: int, wait: bool) -> bool:
    """Take the exclusive lock of the open file ``fd``; False if another process holds
    it (``wait=False``). Where there are no file locks (Windows), always True."""
    if fcntl is None:
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
    except BlockingIOError:
        return False
    return True


def remove_stale_temporaries(root: Path, paths: Iterable[str], now: float) -> list[str]:
    """Remove the temporary copies an interrupted run left (``kill -9``, a power cut).

    A copy is a live run's while that run holds its lock (see ``_write_note``); without
    file locks, one written in the last ``STALE_SECONDS`` may be another run's and is kept.
    The hidden links (``.vaultlint-old``) may hold a save and are never removed."""
    removed = []
    for path in paths:
        full = root / path
        try:
            fd = os.open(full, os.O_RDONLY | _NOFOLLOW | getattr(os, "O_NONBLOCK", 0))
        except OSError:
            continue
        try:
            info = os.fstat(fd)
            old = fcntl is not None or now - info.st_mtime > STALE_SECONDS
            # Still the file locked when unlinked: a live run may have replaced the name.
            unused = stat.S_ISREG(info.st_mode) and old and _lock(fd, wait=False)
            if unused and os.path.samestat(info, os.lstat(full)):
                full.unlink()
                removed.append(path)
        except OSError:
            continue
        finally:
            os.close(fd)
    return removed


def _other_names(real: Path, info: os.stat_result) -> str:
    """Why a file with more than one name is not written.

    A replace would leave the old text under the other names. A name that is
    another run's hidden link (see ``_replace_unless_changed``) means that run
    is replacing the file right now.
    """
    with os.scandir(real.parent) as entries:
        ours = sum(
            1
            for entry in entries
            if entry.name.endswith(_OLD_SUFFIX) and entry.inode() == info.st_ino
        )
    if ours == info.st_nlink - 1 or os.stat(real).st_nlink < info.st_nlink:
        return _CHANGED  # (a link that is gone now was another run's too)
    return (
        f"not written: the file has {info.st_nlink} names (hard links); "
        "replacing it would leave the old text under the others"
    )


def _keep_metadata(real: Path, tmp: str, info: os.stat_result) -> str | None:
    """Give ``tmp`` the owner, group, mode and extended attributes of ``real``
    (``info``); a message when they cannot all be kept."""
    made = os.stat(tmp)
    if (made.st_uid, made.st_gid) != (info.st_uid, info.st_gid):
        try:
            os.chown(tmp, info.st_uid, info.st_gid)
        except OSError as exc:
            return (
                f"not written: its owner and group ({info.st_uid}:{info.st_gid}) "
                f"cannot be kept ({exc.strerror or exc})"
            )
    # After chown, which clears the set-user-ID and set-group-ID bits.
    os.chmod(tmp, stat.S_IMODE(info.st_mode))
    return _keep_xattrs(real, tmp)


_NO_XATTRS = frozenset({errno.ENOTSUP, errno.EOPNOTSUPP})


def _keep_xattrs(real: Path, tmp: str) -> str | None:
    """Copy the extended attributes (``user.*``, ACLs...) of ``real`` to ``tmp``.

    Those the new file already has with the same value (an SELinux label set
    by the system) are left; one that cannot be set stops the write.
    """
    if not hasattr(os, "listxattr"):
        return None  # no extended attributes API on this platform (macOS, Windows)
    try:
        names = os.listxattr(real)
    except OSError as exc:
        if exc.errno in _NO_XATTRS:
            return None  # the file system has none
        return f"not written: its extended attributes cannot be read ({exc.strerror or exc})"
    for name in names:
        try:
            value = os.getxattr(real, name)
            if _xattr(tmp, name) != value:
                os.setxattr(tmp, name, value)
        except OSError as exc:
            return (
                f"not written: its extended attribute {name} cannot be kept ({exc.strerror or exc})"
            )
    return None


def _xattr(path: str, name: str) -> bytes | None:
    try:
        return os.getxattr(path, name)
    except OSError as exc:
        if exc.errno == errno.ENODATA:
            return None
        raise


def _replace_unless_changed(real: Path, tmp: str, original: bytes) -> str | None:
    """Rename ``tmp`` over ``real`` if ``real`` still holds ``original``.

    A save that opens the file after the check but before the rename writes
    into the file being replaced, and would be lost with it. So the file is
    first given a second, hidden name (a hard link), checked, renamed over,
    and checked again through that name: if a save went into it, it is put
    back.
    Where hard links are not supported (FAT, some network drives) the file is
    checked and renamed over, which leaves that window of a few microseconds;
    so does a save that renames a new file over the note (as some editors and
    sync tools do) in the microseconds before the rename.
    """
    kept = tmp.removesuffix(_TMP_SUFFIX) + _OLD_SUFFIX
    try:
        os.link(real, kept)
    except OSError:
        if real.read_bytes() != original:
            os.unlink(tmp)
            return _CHANGED
        os.replace(tmp, real)
        return None
    keep = False
    try:
        # Through the path: a save that renamed a new file over it is seen too.
        if real.read_bytes() != original or not os.path.samefile(real, kept):
            os.unlink(tmp)
            return _CHANGED
        os.replace(tmp, real)
        if Path(kept).read_bytes() != original:
            keep = True  # a save went into it: it is the user's version, never deleted
            try:
                os.replace(kept, real)
            except OSError as exc:
                return (
                    f"written while it was saved; the save could not be put back "
                    f"({exc.strerror or exc}) and is in {Path(kept).name}"
                )
            return _CHANGED
        return None
    finally:
        if not keep:
            with contextlib.suppress(OSError):
                os.unlink(kept)


class FileMoveError(Exception):
    """A file was not moved to the trash (the message names it and why)."""


TRASH_FOLDER = ".trash"  # Obsidian's own trash, a hidden folder of the vault


def trash_file(root: Path, path: str) -> str:
    """Move the vault file ``path`` to ``.trash/`` (its folders kept), the one way
    vaultlint moves a file; the vault path it now has.

    The file gets its new name as a hard link before the old name goes, so at
    every moment it has at least one name, and an existing file in the trash is
    never replaced (a taken name gets `` 2``, `` 3``...). A symlink, a file with
    other names, or a file system without hard links is left where it is.
    """
    source = os.path.join(root, path)
    try:
        info = os.lstat(source)
    except OSError as exc:
        raise FileMoveError(f"{path}: not moved to {TRASH_FOLDER}/: {exc.strerror}") from None
    if not stat.S_ISREG(info.st_mode) or info.st_nlink > 1:
        raise FileMoveError(
            f"{path}: not moved to {TRASH_FOLDER}/: a symlink or a file with other names"
        )
    folder, _, name = path.rpartition("/")
    stem, dot, ext = name.rpartition(".") if "." in name[1:] else (name, "", "")
    with _signals_held():
        for n in range(1, 1000):
            new_name = name if n == 1 else f"{stem} {n}{dot}{ext}"
            target = "/".join(p for p in (TRASH_FOLDER, folder, new_name) if p)
            destination = os.path.join(root, target)
            try:
                os.makedirs(os.path.dirname(destination), exist_ok=True)
                os.link(source, destination, follow_symlinks=False)
            except FileExistsError:
                continue
            except OSError as exc:
                raise FileMoveError(
                    f"{path}: not moved to {TRASH_FOLDER}/: {exc.strerror}"
                ) from None
            try:
                os.unlink(source)
            except OSError as exc:
                os.unlink(destination)  # the file keeps its one name, where it was
                raise FileMoveError(
                    f"{path}: not moved to {TRASH_FOLDER}/: {exc.strerror}"
                ) from None
            return target
    raise FileMoveError(f"{path}: not moved to {TRASH_FOLDER}/: no free name there")
