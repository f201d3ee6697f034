"""Fixing many notes: each note checked, fixed to a fixed point and written (or diffed).

Notes are fixed one by one in this process: a fix may change what other notes'
links find (the index is updated after each write), and the fixer is the only
writer (``fixer.write_note``). In a large run worker processes check every note
first (``Checker.check_ahead``); a note whose check read no note fixed before it
takes that check as it is, the others are checked again here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from vaultlint import fixer
from vaultlint.cache import NoteResult, content_hash
from vaultlint.fixer import FixError, applicable, encode, git_diff, write_note
from vaultlint.listener import Listener
from vaultlint.model import Finding, Note
from vaultlint.pipeline import Checker, CheckRun
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
    ahead = checker.check_ahead(targets)
    consulted, checker.consulted = checker.consulted or {}, None
    written: set[str] = set()
    for done, path in enumerate(targets, 1):
        listener.progress(done, len(targets))
        known = ahead.get(path)
        if known is not None and written and not written.isdisjoint(consulted[path][0]):
            known = None  # its links read a note fixed since: checked again
        known_hash = consulted[path][1] if known is not None else None
        if _fix_one(
            checker,
            path,
            run,
            unsafe=unsafe,
            diff=diff,
            listener=listener,
            known=known,
            known_hash=known_hash,
        ):
            written.add(path)
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
) -> bool:
    """Fix the note at ``path`` (``known``: a check of it already made, of the bytes
    of ``known_hash``); whether it was written."""
    index, engine = checker.index, checker.engine
    cached = known if known is not None else checker.cached(path, with_findings=True)
    if cached is not None and not any(applicable(f, unsafe) for f in cached.findings()):
        run.results.append(cached)
        run.found += cached.counts[0]
        return False
    source = index.source(path)
    if known is not None and source.text is not None and content_hash(source.data) == known_hash:
        note, findings = index.note(path), known.findings()
    else:  # changed on disk since, or no check made yet
        source, note, findings = checker.check_one(path)
    run.found += len(findings)
    if note is None:
        checker.record(source, None, _add(run, checker.result(path, findings, None)))
        return False
    try:
        # Looked up late: tests wrap it.
        outcome = fixer.fix_note(note, engine.check, unsafe=unsafe, findings=findings)
    except FixError as exc:  # a bug in a rule's fix: skip the note, fix the others
        run.errors.append(str(exc))
        _add(run, checker.result(path, findings, note))
        return False
    if not outcome.changed:
        checker.record(source, note, _add(run, checker.result(path, outcome.findings, note)))
        return False
    data = encode(outcome.note.text, note.bom)
    if diff:
        _add(run, checker.result(path, outcome.findings, outcome.note))
        run.fixed.update(outcome.fixed)
        run.diffs.append(git_diff(path, note.text, outcome.note.text, bom=note.bom))
        return False
    problem = write_note(index.root, path, source.data, data)
    if problem is not None:
        run.warnings.append(f"{path}: {problem}")
        listener.warning(run.warnings[-1])
        findings = engine.check(note)
        checker.record(source, note, _add(run, checker.result(path, findings, note)))
        return False
    result = _add(run, checker.result(path, outcome.findings, outcome.note))
    run.fixed.update(outcome.fixed)
    run.written.append(path)
    written = decode(path, data)  # no stat: a file just written is read again next time
    index.replace(outcome.note, written)
    checker.record(written, outcome.note, result)
    listener.fixing(path)
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
