"""Checking many notes: the results cache, and parallel parsing and checking.

``Checker.check`` takes the notes to check and returns their findings. Notes
whose cache entry still holds are not read beyond a ``stat``; the rest are
parsed and checked, in worker processes when there are enough of them.

The workers are forked with the vault index already built, and each takes a
fixed share of the notes through two steps: it parses its share and sends
back each note's headings and block ids; once every worker has, it receives
the others' (``#subpath`` links in its notes may point at them) and checks its
share. So each note is read and parsed once, by one process. The findings
come back packed (``NoteResult``), already rendered in the run's text format,
and equal the serial path's, which tests compare.

No more processes run than there are CPUs, nor than the notes to check keep busy
(one per ``NOTES_PER_PROCESS``); a worker that cannot be started (a process
limit) leaves its share to this process. A worker never outlives this process
(killed with ``kill -9`` or by the OOM killer): it holds no end of the pipes but
its own, so it reads the end of its pipe, asks to be killed with its parent
(Linux), and checks that its parent is the one that forked it while it waits.
A worker's failure is one line (``WorkerError``); its traceback, its cause.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import traceback
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vaultlint import fixer
from vaultlint.cache import (
    Cache,
    Entry,
    NoteResult,
    content_hash,
    count,
    display_findings,
    names_hash,
    pack,
)
from vaultlint.engine import Engine
from vaultlint.facts import note_facts
from vaultlint.links import targets_row
from vaultlint.model import Finding, Note
from vaultlint.parse import note_aliases
from vaultlint.vault import Source, VaultIndex, decode

# Fewer stale notes than this are checked in this process: forking and sending
# results back cost more than they save (measured in benchmarks/RESULTS.md).
PARALLEL_MIN = 400
# Each process (this one and each worker) gets at least this many of the notes to check.
NOTES_PER_PROCESS = PARALLEL_MIN // 2
# How often (seconds) a waiting worker checks that the process that forked it is alive.
PARENT_CHECK = 1.0
# A run that checks less than 1/SMALL_RUN of the vault's notes (pre-commit's
# staged notes) does not load the cache: checking those few is quicker.
SMALL_RUN = 20


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def processes(jobs: int, stale: int, cpus: int | None = None) -> int:
    """The processes (this one included) that check ``stale`` notes under ``-j jobs``:
    no more than the CPUs, nor than one per ``NOTES_PER_PROCESS`` notes."""
    cpus = default_jobs() if cpus is None else cpus
    return max(1, min(jobs, cpus, stale // max(1, NOTES_PER_PROCESS)))


class WorkerError(RuntimeError):
    """A worker process failed: its exception in one line; its traceback is the cause."""


class _RemoteTraceback(Exception):
    """A worker's traceback, shown (with ``-v``) as the cause of its ``WorkerError``."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text

    def __str__(self) -> str:
        return f"in the worker process:\n{self.text}"


class _Orphaned(Exception):
    """The process that forked this worker is gone: nobody waits for its results."""


def cache_worth_loading(targets: int, notes: int) -> bool:
    return targets * SMALL_RUN >= notes


Render = Callable[[Sequence[Finding]], str]
RenderNote = Callable[[Sequence[Finding], Note], str]  # the same text, from the note checked


@dataclass
class CheckRun:
    """What one check (or fix, or diff) of a workspace found and did."""

    results: list[NoteResult] = field(default_factory=list)  # sorted by path at the end
    fixed: Counter[str] = field(default_factory=Counter)  # rule -> fixes applied
    diffs: list[str] = field(default_factory=list)  # with ``diff``: one unified diff a note
    root: Path = Path(".")
    checked: list[str] = field(default_factory=list)  # the notes checked, vault paths
    errors: list[str] = field(default_factory=list)  # notes left unfixed by an internal error
    warnings: list[str] = field(default_factory=list)  # notes left unfixed by a problem
    written: list[str] = field(default_factory=list)  # notes rewritten with their fixes
    text_format: str | None = None  # the text format each result's text is in, if any
    parsed: int = 0  # notes parsed and checked (not taken from the cache)
    baselined: int = 0  # findings left out as the baseline has them
    baseline_stale: int = 0  # findings of the baseline, on the notes checked, now gone
    found: int = 0  # with fix or diff: the findings before fixing

    def fixed_findings(self) -> int:
        """With fix or diff: the findings the fixes removed (net of any they brought)."""
        return self.found - self.total(0)

    def findings(self) -> list[Finding]:
        return [f for result in self.results for f in result.findings()]

    def total(self, column: int) -> int:
        """A sum over the results' counts (0 findings, 1 safe fixes, 2 unsafe, 3 errors,
        4 warnings)."""
        return sum(result.counts[column] for result in self.results)


@dataclass(slots=True)
class FixedAhead:
    """A note fixed during ``check_ahead``, against the vault as it was then: the bytes
    to write, the fixed note's result and cache entry, the fixes applied, and what
    other notes' links read of the fixed note (its packed headings and block ids, and
    its aliases). ``moved``: those differ from the note's before the fixes. ``diff``:
    for ``--diff``, the note's diff (``fixer.git_diff``), else ""."""

    data: bytes
    result: NoteResult
    entry: Entry | None
    fixed: Counter[str]
    targets: bytes
    aliases: tuple[str, ...]
    moved: bool
    diff: str = ""


@dataclass
class Checker:
    engine: Engine
    index: VaultIndex
    cache: Cache | None = None
    jobs: int = 1
    # The run's text format: ``render`` turns one note's findings into their text,
    # ``text_key`` names the format (texts cached under another key are not used).
    render: Render | None = None
    text_key: str | None = None
    render_note: RenderNote | None = None
    # Compute each note's ``facts.NoteFacts`` (for the cache and ``report``), and
    # whether the run needs them of every note (a cached note without them is stale).
    facts: bool = False
    needs_facts: bool = False
    # Whether this process wants the findings of notes checked by workers (a run
    # that prints text or only reports needs their counts and texts alone).
    wants_findings: bool = True
    # Whether it wants them even when the run prints text (a baseline filters them).
    keeps_findings: bool = False
    # Whether workers send their findings back packed all the same (``check_ahead``).
    ships_rows: bool = False
    hashes: dict[str, bytes] = field(default_factory=dict)  # content hashes known
    parsed: int = 0  # notes parsed and checked (not taken from the cache)
    # When a dict (``check_ahead``): each note checked -> (the files its links
    # consulted, the content hash of the bytes checked).
    consulted: dict[str, tuple[frozenset[str], bytes]] | None = None
    # With ``check_ahead`` for --fix (False) or --fix --unsafe-fixes (True): each note
    # checked is fixed too, and ``fixed_ahead`` holds those that changed.
    fix_unsafe: bool | None = None
    fixed_ahead: dict[str, FixedAhead] = field(default_factory=dict)
    diff_ahead: bool = False  # and each fix made ahead is diffed too (``--diff``)

    def __post_init__(self) -> None:
        self.names = names_hash(self.index.files)
        self.files = frozenset(self.index.files)
        cache, root = self.cache, self.index.root
        self.index.alias_source = (
            None if cache is None else lambda path: cache.unchanged_aliases(root, path)
        )

    # --- the cache -------------------------------------------------------------

    def cached(self, path: str, with_findings: bool = False) -> NoteResult | None:
        """The result for ``path`` from the cache, when its entry still holds.

        Its findings are unpacked (and so checked) only when its cached text is not
        the run's (and the run wants findings), or ``with_findings`` asks for them.
        """
        cache = self.cache
        if cache is None or path in self.index.staged_deletions:
            return None  # a message that names a staged deletion is never cached
        entry = cache.valid(self.index.root, path, self.names, self.files, self.index.alias_holders)
        if entry is None:
            return None
        facts = cache.facts_of(path) if self.needs_facts else None
        if self.needs_facts and facts is None:
            return None
        text = cache.text_of(path, entry, self.text_key)
        key = None if text is None else self.text_key
        result = NoteResult(path, entry.rows, entry.counts, text, key, facts=facts, cached=True)
        text_usable = text is not None
        # Unpacked now (so checked) when the run will want them; a baseline that
        # filters them unpacks them itself, from the rows.
        needs_findings = with_findings or (
            not text_usable and self.wants_findings and self.render is None
        )
        try:
            if needs_findings:
                findings = result.findings()
                if not text_usable:
                    result = self._rendered(result, findings)
            elif not text_usable and self.render is not None:
                # Only the text is wanted: rendered from findings without their edits.
                shown = display_findings(path, entry.rows)
                result.text, result.text_key = self.render(shown).encode(), self.text_key
        except Exception:  # an entry of the right shape but wrong contents
            return None
        if not text_usable and result.text is not None and result.text_key is not None:
            cache.keep_text(path, result.text_key, result.text)
        self.hashes[path] = entry.hash
        if entry.targets is not None:
            self.index.packed_targets[path] = entry.targets
        return result

    def result(self, path: str, findings: list[Finding], note: Note | None) -> NoteResult:
        """The result of checking ``path`` (``note`` None: a file that could not be read)."""
        facts = None
        if self.facts:
            planned = self.engine.planned_links(note) if note is not None else ()
            facts = note_facts(note, findings, self.engine.ctx, self.index.resolver, planned)
        result = NoteResult(path, None, count(findings), facts=facts)
        return self._rendered(result, findings, note)

    def _rendered(
        self, result: NoteResult, findings: list[Finding], note: Note | None = None
    ) -> NoteResult:
        if self.render is None:
            text = None
        elif note is not None and self.render_note is not None:
            text = self.render_note(findings, note).encode()
        else:
            text = self.render(findings).encode()
        result.text, result.text_key = text, None if text is None else self.text_key
        result.live = findings
        return result

    def record(self, source: Source, note: Note | None, result: NoteResult) -> None:
        """Store what checking ``source`` found in the cache (when there is one)."""
        if self.cache is not None and self.storable(source):
            self.cache.store(source.path, self._entry(source, note, result))

    def storable(self, source: Source) -> bool:
        """Whether a result of ``source`` may be cached: all its bytes were read, and
        no message of it names a staged deletion (true of this commit alone)."""
        return _cacheable(source) and source.path not in self.index.staged_deletions

    def _entry(self, source: Source, note: Note | None, result: NoteResult) -> Entry:
        digest = content_hash(source.data)
        self.hashes[source.path] = digest
        deps: tuple[tuple[str, bytes], ...] = ()
        alias_deps: tuple[tuple[str, tuple[str, ...]], ...] = ()
        if note is not None:
            resolver = self.index.resolver
            consulted = resolver.consulted
            deps = tuple(sorted((p, self._hash_of(p)) for p in consulted if p != source.path))
            alias_deps = tuple(sorted(resolver.alias_lookups.items()))
        return Entry(
            hash=digest,
            stat=source.stat,
            rows=result.packed(),
            counts=result.counts,
            text=result.text,
            text_key=result.text_key,
            targets=None if note is None else pack(targets_row(note)),
            names=self.names
            if note is not None and (note.links or self.engine.uses_names)
            else None,
            deps=deps,
            aliases=() if note is None else note_aliases(note),
            alias_deps=alias_deps,
            facts=result.facts,
        )

    def _hash_of(self, path: str) -> bytes:
        digest = self.hashes.get(path)
        if digest is None:
            digest = self.hashes[path] = content_hash(self.index.source(path).data)
        return digest

    # --- checking ----------------------------------------------------------------

    def check_one(self, path: str) -> tuple[Source, Note | None, list[Finding]]:
        """Parse and check one note (or report why it cannot be read)."""
        source = self.index.source(path)
        if source.text is None:
            return source, None, self.engine.source_findings(source)
        note = self.index.note(path)
        assert note is not None
        self.index.resolver.consulted.clear()
        self.index.resolver.alias_lookups.clear()
        self.parsed += 1
        return source, note, self.engine.check(note)

    def check(self, targets: Sequence[str]) -> list[NoteResult]:
        """The result of every note in ``targets``, in no particular order."""
        results: list[NoteResult] = []
        stale: list[str] = []
        self.index.checking = frozenset(targets)
        for path in targets:
            found = self.cached(path)
            if found is None:
                stale.append(path)
            else:
                results.append(found)
        jobs = processes(self.jobs, len(stale))
        if jobs > 1 and len(stale) >= PARALLEL_MIN and _can_fork():
            results += self._check_parallel(stale, jobs)
        else:
            results += [self._check_serial(path) for path in stale]
        return results

    def check_ahead(
        self, targets: Sequence[str], unsafe: bool | None = None, diff: bool = False
    ) -> dict[str, NoteResult]:
        """For ``--fix``: the notes of ``targets`` the cache cannot answer, checked by
        worker processes with their findings and fixes, and in ``consulted`` what
        each one's links read; empty when no worker would start (a small run). With
        ``unsafe`` (whether unsafe fixes apply), each is fixed too (``fixed_ahead``),
        and with ``diff`` each fix is diffed."""
        if len(targets) < PARALLEL_MIN or processes(self.jobs, len(targets)) < 2:
            return {}  # what pre-commit runs: a few notes, no cache lookup spent here
        cache, root = self.cache, self.index.root
        stale = [
            path
            for path in targets
            if cache is None or cache.valid(root, path, self.names, self.files) is None
        ]
        jobs = processes(self.jobs, len(stale))
        if jobs < 2 or len(stale) < PARALLEL_MIN or not _can_fork():
            return {}
        ships_rows, self.ships_rows, self.consulted = self.ships_rows, True, {}
        self.fix_unsafe, self.diff_ahead = unsafe, diff
        try:
            return {result.path: result for result in self._check_parallel(stale, jobs)}
        finally:
            self.ships_rows, self.fix_unsafe, self.diff_ahead = ships_rows, None, False

    def _check_serial(self, path: str) -> NoteResult:
        source, note, findings = self.check_one(path)
        result = self.result(path, findings, note)
        self.record(source, note, result)
        if self.consulted is not None:
            ahead = self._fix_ahead(source, note, findings)
            if ahead is not None:
                self.fixed_ahead[path] = ahead
            self.consulted[path] = self._consulted(source)
        return result

    def _fix_ahead(
        self, source: Source, note: Note | None, findings: list[Finding]
    ) -> FixedAhead | None:
        """The note fixed as ``fixing.fix_targets`` would fix it in a vault that no
        fix has changed yet; None when no fix changes it, or a fix fails (the main
        process fixes it again, and reports the failure). The checks of the fixed
        text add to what the resolver records as consulted."""
        unsafe = self.fix_unsafe
        if unsafe is None or note is None:
            return None
        if not any(fixer.applicable(f, unsafe) for f in findings):
            return None
        try:
            outcome = fixer.fix_note(note, self.engine.check, unsafe=unsafe, findings=findings)
        except fixer.FixError:
            return None
        if not outcome.changed:
            return None
        data = fixer.encode(outcome.note.text, note.bom)
        fixed = outcome.note
        result = self.result(source.path, outcome.findings, fixed)
        entry = None
        written = decode(source.path, data)
        if self.cache is not None and self.storable(written):
            known = self.hashes.get(source.path)
            entry = self._entry(written, fixed, result)
            # Other notes' entries name the bytes on disk until these are written.
            if known is None:
                del self.hashes[source.path]
            else:
                self.hashes[source.path] = known
        before, after = targets_row(note), targets_row(fixed)
        aliases = note_aliases(fixed)
        return FixedAhead(
            data=data,
            result=result,
            entry=entry,
            fixed=outcome.fixed,
            targets=pack(after),
            aliases=aliases,
            moved=before != after or aliases != note_aliases(note),
            diff=fixer.git_diff(source.path, note.text, fixed.text, bom=note.bom)
            if self.diff_ahead
            else "",
        )

    def _consulted(self, source: Source) -> tuple[frozenset[str], bytes]:
        return frozenset(self.index.resolver.consulted), content_hash(source.data)

    def _check_parallel(self, stale: Sequence[str], jobs: int) -> list[NoteResult]:
        shares = _shares(stale, jobs)
        pipes = self._start_workers(shares)
        try:
            own_rows = self._parse_share(shares[0])
            worker_rows = [_receive(conn) for conn, _ in pipes]
            for n, (conn, _) in enumerate(pipes):
                others = [own_rows, *(rows for m, rows in enumerate(worker_rows) if m != n)]
                conn.send(_merged(others))
            self._take_rows(_merged(worker_rows))
            results = [self._check_serial(path) for path in shares[0]]
            for conn, process in pipes:
                result: NoteResult
                entry: Entry | None
                for result, entry, consulted, ahead in _receive(conn):
                    results.append(result)
                    if self.cache is not None and entry is not None:
                        self.cache.store(result.path, entry)
                    if self.consulted is not None and consulted is not None:
                        self.consulted[result.path] = consulted
                    if ahead is not None:
                        self.fixed_ahead[result.path] = ahead
                conn.close()
                process.join()
        except BaseException:
            _stop(pipes)
            raise
        self.parsed += sum(len(share) for share in shares[1:])
        return results

    def _start_workers(self, shares: list[list[str]]) -> list[tuple[Any, Any]]:
        """A worker for each share but the first (this process's), which takes the
        shares of any that cannot be started (a process or file limit)."""
        import multiprocessing  # only a run with workers needs it (4 ms of a start-up)

        context = multiprocessing.get_context("fork")
        pipes: list[tuple[Any, Any]] = []
        for n, share in enumerate(shares[1:], 1):
            try:
                mine, theirs = context.Pipe()
            except OSError:
                shares[0] += [path for rest in shares[n:] for path in rest]
                break
            # The worker closes every end held here: its own and those of the workers
            # before it, else its parent's death would never reach its pipe.
            ends = [mine, *(conn for conn, _ in pipes)]
            process = context.Process(
                target=_work, args=(self, share, theirs, ends, os.getpid()), daemon=True
            )
            try:
                process.start()
            except OSError:  # fork failed: EAGAIN under RLIMIT_NPROC, ENOMEM
                mine.close()
                theirs.close()
                shares[0] += [path for rest in shares[n:] for path in rest]
                break
            theirs.close()
            pipes.append((mine, process))
        del shares[len(pipes) + 1 :]
        return pipes

    def _parse_share(self, share: Sequence[str]) -> dict[str, tuple[bytes, bytes, tuple[str, ...]]]:
        """Read and parse ``share``: the headings and block ids other notes' links need,
        and the aliases their broken links may name."""
        rows = {}
        for path in share:
            note = self.index.note(path)
            if note is not None:
                # The hash is for cache entries that depend on this note's headings.
                data = self.index.source(path).data
                digest = content_hash(data) if self.cache is not None else b""
                rows[path] = (digest, pack(targets_row(note)), note_aliases(note))
        return rows

    def _take_rows(self, rows: dict[str, tuple[bytes, bytes, tuple[str, ...]]]) -> None:
        for path, (digest, targets, aliases) in rows.items():
            self.hashes[path] = digest
            self.index.packed_targets[path] = targets
            self.index.known_aliases[path] = aliases


def _shares(stale: Sequence[str], jobs: int) -> list[list[str]]:
    """``stale`` split evenly for ``jobs`` processes, this one's share first."""
    return [list(stale[i::jobs]) for i in range(jobs)]


def _merged(parts: Sequence[dict[str, Any]]) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for part in parts:
        merged.update(part)
    return merged


def _receive(conn: Any) -> Any:
    message = conn.recv()
    if isinstance(message, tuple) and message and message[0] == "error":
        raise WorkerError(f"a worker process failed: {message[1]}") from _RemoteTraceback(
            message[2]
        )
    return message


def _stop(pipes: Sequence[tuple[Any, Any]]) -> None:
    """End the workers of a run that failed or was interrupted."""
    for conn, process in pipes:
        with contextlib.suppress(OSError):
            conn.close()
        if process.is_alive():
            process.kill()
        process.join(5)


def _work(
    checker: Checker, share: Sequence[str], conn: Any, ends: Sequence[Any], parent: int
) -> None:
    """A worker process: parse ``share``, swap headings with the others, check it."""
    try:
        for end in ends:
            end.close()
        _die_with_parent(parent)
        conn.send(checker._parse_share(share))
        checker._take_rows(_await(conn, parent))
        results = []
        for path in share:
            source, note, findings = checker.check_one(path)
            result = checker.result(path, findings, note)
            entry = None
            if checker.cache is not None and checker.storable(source):
                entry = checker._entry(source, note, result)
            # Without a text to print, the main process may want the findings themselves.
            wanted = checker.ships_rows or (
                checker.wants_findings and (checker.render is None or checker.keeps_findings)
            )
            ahead = None
            if checker.consulted is not None:
                ahead = checker._fix_ahead(source, note, findings)
                if ahead is not None:
                    ahead.result = ahead.result.shipped(with_findings=True)
            consulted = None if checker.consulted is None else checker._consulted(source)
            results.append((result.shipped(with_findings=wanted), entry, consulted, ahead))
        conn.send(results)
    except (_Orphaned, EOFError, BrokenPipeError):
        pass  # the main process is gone: nobody to tell
    except BaseException as exc:
        summary = traceback.format_exception_only(type(exc), exc)[-1].strip()
        with contextlib.suppress(OSError):
            conn.send(("error", summary, traceback.format_exc()))
    finally:
        conn.close()


def _die_with_parent(parent: int) -> None:
    """Ask to be killed when the process that forked this one dies (Linux), then
    check it has not already."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(Exception):  # no libc to load: the checks remain
            import ctypes

            pr_set_pdeathsig = 1
            ctypes.CDLL(None).prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:
        raise _Orphaned


def _await(conn: Any, parent: int) -> Any:
    """The next message from the main process; ``_Orphaned`` if it dies meanwhile."""
    while not conn.poll(PARENT_CHECK):
        if os.getppid() != parent:
            raise _Orphaned
    return _receive(conn)


def _cacheable(source: Source) -> bool:
    """Not a file too large or unreadable: its bytes were not all read."""
    return source.problem is None or source.rule == "file-encoding"


def _can_fork() -> bool:
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()
