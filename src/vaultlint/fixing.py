"""Fixing many notes: each note checked, fixed to a fixed point and written (or diffed).

Notes are fixed one by one in this process: a fix may change what other notes'
links find (the index is updated after each write), and the fixer is the only
writer (``fixer.write_note``). In a large run worker processes check every note
first (``Checker.check_ahead``); a note whose check read no note fixed before it
takes that check as it is, the others are checked again here.

Writes go to a ``fixer.Writer`` (copies synced side by side, replaced in order).
A note handed to it counts as written at once; a note whose check read one still
waiting waits for it, and is checked again if it was not written after all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from vaultlint import fixer
from vaultlint.cache import NoteResult, content_hash
from vaultlint.fixer import FixError, FixOutcome, Writer, applicable, encode, git_diff, write_note
from vaultlint.listener import Listener
from vaultlint.model import Finding, Note
from vaultlint.parse import note_aliases
from vaultlint.pipeline import Checker, CheckRun
from vaultlint.vault import Source, decode


def fix_targets(
    checker: Checker,
    targets: Sequence[str],
    run: CheckRun,
    *,
    unsafe: bool,
    diff: bool,
    listener: Listener,
) -> None:
    """Fix every note of ``targets`` (with ``diff``, only record what would change)."""
    ahead = checker.check_ahead(targets)
    consulted, checker.consulted = checker.consulted or {}, None
    if diff:
        for done, path in enumerate(targets, 1):
            listener.progress(done, len(targets))
            _fix_path(checker, path, run, ahead, consulted, unsafe=unsafe)
        listener.finished()
        return
    with Writer(checker.index.root) as writer:
        writes = _Writes(checker, run, listener, writer)
        for done, path in enumerate(targets, 1):
            listener.progress(done, len(targets))
            # What its check ahead or its cache entry read must be written first.
            entry = None if checker.cache is None else checker.cache.entries.get(path)
            if path in consulted:
                writes.wait_for(consulted[path][0])
            if entry is not None:
                writes.wait_for(dep for dep, _ in entry.deps)
            _fix_path(checker, path, run, ahead, consulted, unsafe=unsafe, writes=writes)
            writes.take_ready()
        writes.settle()
    listener.finished()


def _fix_path(
    checker: Checker,
    path: str,
    run: CheckRun,
    ahead: dict[str, NoteResult],
    consulted: dict[str, tuple[frozenset[str], bytes]],
    *,
    unsafe: bool,
    writes: _Writes | None = None,
) -> None:
    known = ahead.get(path)
    written = writes.written if writes is not None else ()
    if known is not None and written and not written.isdisjoint(consulted[path][0]):
        known = None  # its links read a note fixed since: checked again
    known_hash = consulted[path][1] if known is not None else None
    while not _fix_one(
        checker, path, run, unsafe=unsafe, writes=writes, known=known, known_hash=known_hash
    ):
        known = None  # a note its check read was not written after all: checked again


class _Writes:
    """The notes ``fix_targets`` has handed to a ``Writer``: each is taken as written
    (the index, the cache and the notes fixed after it see its new text) until the
    writer says it was not, so a note whose check read one is held back until it
    is known (``wait_for``) and checked again if it was not written."""

    def __init__(self, checker: Checker, run: CheckRun, listener: Listener, writer: Writer):
        self.checker, self.run, self.listener, self.writer = checker, run, listener, writer
        self.written: set[str] = set()  # written, or handed to the writer
        self._pending: dict[str, tuple[Source, Note, FixOutcome, NoteResult]] = {}

    def submit(
        self, source: Source, note: Note, outcome: FixOutcome, result: NoteResult, data: bytes
    ) -> None:
        path = source.path
        self._pending[path] = (source, note, outcome, result)
        self.written.add(path)
        self.writer.submit(path, source.data, data)
        if note_aliases(outcome.note) != note_aliases(note):
            self.wait_for((path,))  # broken links name alias holders: no guess there
        elif self.writer.full():
            self._take(self.writer.replaced(wait=1))

    def wait_for(self, paths: Iterable[str]) -> bool:
        """Wait until the notes of ``paths`` handed to the writer are written (or not);
        whether they all were."""
        needed = self._pending.keys() & set(paths)
        if not needed:
            return True
        last = max(n for n, path in enumerate(self.writer.pending()) if path in needed)
        return needed.isdisjoint(self._take(self.writer.replaced(wait=last + 1)))

    def take_ready(self) -> None:
        self._take(self.writer.replaced())

    def settle(self) -> None:
        self._take(self.writer.settle())

    def _take(self, replaced: Iterable[tuple[str, str | None]]) -> set[str]:
        """Record how each note of ``replaced`` went; those not written."""
        run, checker, listener = self.run, self.checker, self.listener
        failed = set()
        for path, problem in replaced:
            source, note, outcome, result = self._pending.pop(path)
            if problem is None:
                run.fixed.update(outcome.fixed)
                run.written.append(path)
                listener.fixing(path)
                continue
            failed.add(path)
            self.written.discard(path)
            run.warnings.append(f"{path}: {problem}")
            listener.warning(run.warnings[-1])
            checker.index.replace(note, source)  # as it is on disk
            findings = checker.engine.check(note)
            again = checker.result(path, findings, note)
            at = next(n for n, r in enumerate(run.results) if r is result)
            run.results[at] = again
            checker.record(source, note, again)
        return failed


def _fix_one(
    checker: Checker,
    path: str,
    run: CheckRun,
    *,
    unsafe: bool,
    writes: _Writes | None,
    known: NoteResult | None = None,
    known_hash: bytes | None = None,
) -> bool:
    """Fix the note at ``path`` (``known``: a check of it already made, of the bytes
    of ``known_hash``; ``writes`` None: a diff); False when a note its check read
    turned out not to be written (nothing was done: it is to be fixed again)."""
    index, engine = checker.index, checker.engine
    cached = known if known is not None else checker.cached(path, with_findings=True)
    if cached is not None and not any(applicable(f, unsafe) for f in cached.findings()):
        run.results.append(cached)
        run.found += cached.counts[0]
        return True
    source = index.source(path)
    resolver = index.resolver
    outer = resolver.consulted
    fresh = not (
        known is not None and source.text is not None and content_hash(source.data) == known_hash
    )
    if not fresh:
        assert known is not None
        note, findings = index.note(path), known.findings()
        resolver.consulted = set()  # what the fixes' checks read, added to the rest after
    else:  # changed on disk since, or no check made yet
        source, note, findings = checker.check_one(path)
        outer = resolver.consulted
    outcome: FixOutcome | None = None
    problem: FixError | None = None
    try:
        if note is not None:
            # Looked up late: tests wrap it.
            outcome = fixer.fix_note(note, engine.check, unsafe=unsafe, findings=findings)
    except FixError as exc:  # a bug in a rule's fix: skip the note, fix the others
        problem = exc
    finally:
        read, resolver.consulted = resolver.consulted, outer
        if read is not outer:
            outer |= read
    if writes is not None and note is not None and not writes.wait_for(read):
        if fresh:
            checker.parsed -= 1  # counted again
        return False
    run.found += len(findings)
    if note is None:
        checker.record(source, None, _add(run, checker.result(path, findings, None)))
        return True
    if outcome is None:
        run.errors.append(str(problem))
        _add(run, checker.result(path, findings, note))
        return True
    if not outcome.changed:
        checker.record(source, note, _add(run, checker.result(path, outcome.findings, note)))
        return True
    if writes is None:
        _add(run, checker.result(path, outcome.findings, outcome.note))
        run.fixed.update(outcome.fixed)
        run.diffs.append(git_diff(path, note.text, outcome.note.text, bom=note.bom))
        return True
    data = encode(outcome.note.text, note.bom)
    result = _add(run, checker.result(path, outcome.findings, outcome.note))
    written = decode(path, data)  # no stat: a file just written is read again next time
    index.replace(outcome.note, written)
    checker.record(written, outcome.note, result)
    writes.submit(source, note, outcome, result, data)
    return True


def _add(run: CheckRun, result: NoteResult) -> NoteResult:
    run.results.append(result)
    return result


def fix_with(
    checker: Checker,
    paths: Sequence[str],
    run: CheckRun,
    check: Callable[[Note], list[Finding]],
    *,
    unsafe: bool,
    diff: bool,
) -> set[str]:
    """Fix ``paths`` again with ``check`` (the engine's rules and a vault-wide rule's
    findings, which ``fix_targets`` did not see), after ``fix_targets`` ran on them:
    their results, diffs and written files are replaced. The paths fixed are returned;
    the cache keeps what the engine alone finds."""
    index = checker.index
    position = {r.path: i for i, r in enumerate(run.results)}
    done = set()
    for path in paths:
        note = index.note(path)  # as written by fix_targets, or (diff) as on disk
        if note is None or path not in position:
            continue
        try:
            outcome = fixer.fix_note(note, check, unsafe=unsafe)
        except FixError as exc:
            run.errors.append(str(exc))
            continue
        if not outcome.changed:
            continue
        if diff:
            header = git_diff(path, "a\n", "b\n").split("\n", 1)[0] + "\n"
            new = git_diff(path, note.text, outcome.note.text, bom=note.bom)
            at = next((i for i, d in enumerate(run.diffs) if d.startswith(header)), None)
            if at is None:
                run.diffs.append(new)
            else:
                run.diffs[at] = new
        else:
            source = index.source(path)
            data = encode(outcome.note.text, note.bom)
            problem = write_note(index.root, path, source.data, data)
            if problem is not None:
                run.warnings.append(f"{path}: {problem}")
                continue
            written = decode(path, data)
            index.replace(outcome.note, written)
            own = checker.engine.check(outcome.note)
            checker.record(written, outcome.note, checker.result(path, own, outcome.note))
            if path not in run.written:
                run.written.append(path)
        run.fixed.update(outcome.fixed)
        run.results[position[path]] = checker.result(path, outcome.findings, outcome.note)
        done.add(path)
    return done
