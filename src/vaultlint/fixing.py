"""Fixing many notes: each note checked, fixed to a fixed point and written (or diffed).

Notes are written one by one in this process, in order: a fix may change what
other notes' links find (the index is updated after each write), and the fixer is
the only writer (``fixer.write_note``). In a large run worker processes check and
fix every note first (``Checker.check_ahead``), against the vault as it was. A
note whose checks read no note whose headings, block ids or aliases a fix before
it changed (and no note's aliases changed at all) takes that check and that fix
as they are; the others are checked and fixed again here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from vaultlint import fixer
from vaultlint.cache import NoteResult, content_hash
from vaultlint.fixer import FixError, applicable, encode, git_diff, write_note
from vaultlint.links import targets_row
from vaultlint.listener import Listener
from vaultlint.model import Finding, Note
from vaultlint.parse import note_aliases
from vaultlint.pipeline import Checker, CheckRun, FixedAhead
from vaultlint.vault import decode


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
    ahead = checker.check_ahead(targets, unsafe, diff)
    consulted, checker.consulted = checker.consulted or {}, None
    fixed_ahead, checker.fixed_ahead = checker.fixed_ahead, {}
    moved: set[str] = set()  # written notes whose headings, block ids or aliases changed
    aliases_moved = False
    # The temporary files of the notes the workers fixed, made ahead on a thread.
    planned = [path for path in targets if path in fixed_ahead]
    copies = None if diff or not planned else fixer.Copies(checker.index.root, planned)
    try:
        for done, path in enumerate(targets, 1):
            listener.progress(done, len(targets))
            known = ahead.get(path)
            if known is not None and (aliases_moved or not moved.isdisjoint(consulted[path][0])):
                known = None  # its links read a note a fix changed since: checked again
            known_hash = consulted[path][1] if known is not None else None
            change = _fix_one(
                checker,
                path,
                run,
                unsafe=unsafe,
                diff=diff,
                listener=listener,
                known=known,
                known_hash=known_hash,
                known_fix=fixed_ahead.get(path) if known is not None else None,
                copies=copies,
            )
            if change is not None:
                moved.add(path)
                aliases_moved = aliases_moved or change
    finally:
        if copies is not None:
            copies.close()
    listener.finished()


def _fix_one(
    checker: Checker,
    path: str,
    run: CheckRun,
    *,
    unsafe: bool,
    diff: bool,
    listener: Listener,
    known: NoteResult | None = None,
    known_hash: bytes | None = None,
    known_fix: FixedAhead | None = None,
    copies: fixer.Copies | None = None,
) -> bool | None:
    """Fix the note at ``path`` (``known``: a check of it already made, of the bytes
    of ``known_hash``, and ``known_fix`` its fix). When it was written and that
    changed what other notes' links read of it: whether its aliases changed (else
    None)."""
    index, engine = checker.index, checker.engine
    cached = known if known is not None else checker.cached(path, with_findings=True)
    if cached is not None and not any(applicable(f, unsafe) for f in cached.findings()):
        run.results.append(cached)
        run.found += cached.counts[0]
        return None
    source = index.source(path)
    if known is not None and source.text is not None and content_hash(source.data) == known_hash:
        if known_fix is not None:
            return _take_fix(
                checker, path, run, known, known_fix, diff=diff, listener=listener, copies=copies
            )
        note, findings = index.note(path), known.findings()
    else:  # changed on disk since, or no check made yet
        source, note, findings = checker.check_one(path)
    run.found += len(findings)
    if note is None:
        checker.record(source, None, _add(run, checker.result(path, findings, None)))
        return None
    try:
        # Looked up late: tests wrap it.
        outcome = fixer.fix_note(note, engine.check, unsafe=unsafe, findings=findings)
    except FixError as exc:  # a bug in a rule's fix: skip the note, fix the others
        run.errors.append(str(exc))
        _add(run, checker.result(path, findings, note))
        return None
    if not outcome.changed:
        checker.record(source, note, _add(run, checker.result(path, outcome.findings, note)))
        return None
    data = encode(outcome.note.text, note.bom)
    if diff:
        _add(run, checker.result(path, outcome.findings, outcome.note))
        run.fixed.update(outcome.fixed)
        run.diffs.append(git_diff(path, note.text, outcome.note.text, bom=note.bom))
        return None
    problem = write_note(index.root, path, source.data, data, copies)
    if problem is not None:
        run.warnings.append(f"{path}: {problem}")
        listener.warning(run.warnings[-1])
        findings = engine.check(note)
        checker.record(source, note, _add(run, checker.result(path, findings, note)))
        return None
    result = _add(run, checker.result(path, outcome.findings, outcome.note))
    run.fixed.update(outcome.fixed)
    run.written.append(path)
    written = decode(path, data)  # no stat: a file just written is read again next time
    aliases = note_aliases(note)
    index.replace(outcome.note, written)
    checker.record(written, outcome.note, result)
    listener.fixing(path)
    if targets_row(note) == targets_row(outcome.note) and aliases == note_aliases(outcome.note):
        return None
    return aliases != note_aliases(outcome.note)


def _take_fix(
    checker: Checker,
    path: str,
    run: CheckRun,
    known: NoteResult,
    ahead: FixedAhead,
    *,
    diff: bool,
    listener: Listener,
    copies: fixer.Copies | None = None,
) -> bool | None:
    """Write (or diff) the fix a worker made of the note at ``path`` (``_fix_one``)."""
    index = checker.index
    source = index.source(path)
    run.found += known.counts[0]
    if diff:  # diffed by the worker, from the same texts
        _add(run, ahead.result)
        run.fixed.update(ahead.fixed)
        run.diffs.append(ahead.diff)
        return None
    problem = write_note(index.root, path, source.data, ahead.data, copies)
    if problem is not None:
        run.warnings.append(f"{path}: {problem}")
        listener.warning(run.warnings[-1])
        note = index.note(path)
        assert note is not None
        findings = checker.engine.check(note)
        checker.record(source, note, _add(run, checker.result(path, findings, note)))
        return None
    _add(run, ahead.result)
    run.fixed.update(ahead.fixed)
    run.written.append(path)
    written = decode(path, ahead.data)  # no stat, as in ``_fix_one``
    aliases_moved = ahead.aliases != index.aliases_of(path)
    index.replace_packed(written, ahead.targets, ahead.aliases)
    if ahead.entry is not None and checker.cache is not None and checker.storable(written):
        # What its links read is named by the bytes on disk now.
        deps = tuple((p, checker._hash_of(p)) for p, _ in ahead.entry.deps)
        checker.hashes[path] = ahead.entry.hash
        checker.cache.store(path, replace(ahead.entry, deps=deps))
    listener.fixing(path)
    return aliases_moved if ahead.moved else None


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
