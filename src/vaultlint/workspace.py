"""A vault opened once: root, configuration, schemas, the index of files and the cache.

Every command and the Python API work through a ``Workspace``: ``run_check``
(check, fix or diff), ``report``, ``note`` and ``refresh``. A run reads and
parses each note at most once, takes unchanged notes from the results cache
and parses the rest in worker processes when there are many; ``report`` adds
up the facts the same pipeline computes, so a warm report costs about a warm
check.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import posixpath
import time
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vaultlint.cache import (
    ALIAS_REWRITE,
    AliasIndex,
    Cache,
    NoteResult,
    cache_folder,
    cache_secret,
    claim,
    settings_key,
)
from vaultlint.config import OBSIDIAN_SETTINGS, Config, load_config
from vaultlint.engine import Engine
from vaultlint.errors import UsageError
from vaultlint.facts import NoteFacts, valid_facts
from vaultlint.listener import Listener
from vaultlint.model import Finding, Note
from vaultlint.pipeline import (
    Checker,
    CheckRun,
    Render,
    RenderNote,
    cache_worth_loading,
    default_jobs,
)
from vaultlint.properties import TYPES_FILE
from vaultlint.schema import Schema, load_schemas, reconcile_types
from vaultlint.vault import CONFIG_NAMES, VaultIndex, find_root, scan, vault_path
from vaultlint.yamlfile import shown

if TYPE_CHECKING:  # loaded by the jobs that need them: a plain check is the common run
    from vaultlint.move import Backlinks, MovePlan, StagedChanges
    from vaultlint.report.collect import FindingGroup, Report


@dataclass(frozen=True)
class RuleSelection:
    """Which rules run, beyond the configuration (``--select`` and friends)."""

    select: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    ignore_suppressions: bool = False


@dataclass(frozen=True)
class TextFormat:
    """The run's text format: ``render`` turns one note's findings into their text,
    ``key`` names it (texts cached under another key are not used); ``render_note``
    gives the same text from the note as checked, when the text reads the note."""

    render: Render
    key: str
    render_note: RenderNote | None = None


@dataclass(frozen=True)
class CheckOptions:
    fix: bool = False  # apply the fixes and write the notes
    unsafe: bool = False  # with fix or diff: the unsafe fixes too
    diff: bool = False  # record each note's fixes as a unified diff; write nothing
    rules: RuleSelection = field(default_factory=RuleSelection)
    cache: bool = True  # read and write the results cache
    cache_dir: Path | None = None  # default: .vaultlint_cache at the vault root
    jobs: int = 0  # processes; 0: one per CPU
    text: TextFormat | None = None  # render each note's findings as it is checked
    # The baseline (``vaultlint.baseline``): "off"; "use" (leave out the findings it
    # has); "write" (record this run's findings in it, then use it); "prune" (drop
    # from it what no longer occurs, then use it). Not with diff.
    baseline: str = "off"


@dataclass
class FixResult:
    """What ``Workspace.fix`` did."""

    fixed: dict[str, int]  # rule name -> fixes applied
    written: list[str]  # the notes rewritten, vault paths
    remaining: list[Finding]  # what is left to report, sorted by path and position
    warnings: list[str]  # notes left unchanged ("path: why")


@dataclass
class TextFix:
    """What ``Workspace.fix_text`` did to a note's text."""

    text: str  # the fixed text (the text given when nothing applied)
    fixed: dict[str, int]  # rule name -> fixes applied
    remaining: list[Finding]  # what is left on the fixed text, by position


class LinkGraph:
    """Which notes link to which file names: what ``Workspace.dependents`` reads.

    A link is keyed by the last segment of its path (case-folded, NFC, without
    ``.md``), a file by its name: a note's link findings can change only when a
    file of a name it links to appears, goes away or changes.
    """

    def __init__(self) -> None:
        self.keys_of: dict[str, frozenset[str]] = {}  # note -> the names it links to
        self.by_key: dict[str, set[str]] = {}  # name -> the notes linking to it

    def put(self, note: str, keys: Iterable[str]) -> None:
        self.discard(note)
        found = frozenset(keys)
        self.keys_of[note] = found
        for key in found:
            self.by_key.setdefault(key, set()).add(note)

    def discard(self, note: str) -> None:
        for key in self.keys_of.pop(note, ()):
            linking = self.by_key.get(key)
            if linking is not None:
                linking.discard(note)
                if not linking:
                    del self.by_key[key]

    def linking(self, path: str) -> set[str]:
        """The notes with a link whose name is that of the file at ``path``."""
        return self.by_key.get(name_key(path), set())


class Workspace:
    """One vault, opened once. Open one with ``open_vault`` (or ``Workspace.open``).

    The files are seen as they were when the workspace was opened: after the
    vault changes on disk, ``refresh`` the paths that changed.
    """

    def __init__(self, root: Path, config_file: Path | None = None) -> None:
        self.root = Path(root).resolve()  # as find_root gives it: paths are taken against it
        self.config_file = config_file
        self.config: Config
        self.schemas: list[Schema]
        self._load_settings()
        self._index: VaultIndex | None = None
        self.temporaries: list[str] = []  # hidden copies of fixes the scan came across
        self.unnamed: list[str] = []  # files and folders skipped: names not UTF-8, escaped
        self._engines: dict[RuleSelection, Engine] = {}
        self._graph: LinkGraph | None = None

    @property
    def has_link_graph(self) -> bool:
        """Whether ``link_graph`` was made (``dependents`` and ``refresh`` keep it)."""
        return self._graph is not None

    @property
    def index(self) -> VaultIndex:
        """The vault's files, scanned on first use; notes are read and parsed on demand."""
        if self._index is None:
            unlisted: dict[str, str] = {}
            files = scan(self.root, self.temporaries, self.unnamed, unlisted)
            self._index = VaultIndex(self.root, files, self.max_bytes, unlisted)
        return self._index

    @classmethod
    def open(cls, paths: Sequence[Path], config_file: Path | None = None) -> Workspace:
        """The vault holding ``paths`` (its root is found from the first)."""
        return cls(find_root(_existing(paths)[0]), config_file)

    def _load_settings(self) -> None:
        self.config = load_config(self.root, self.config_file)
        self.schemas = load_schemas(self.root, self.config.schemas, self.config.shipped_schemas)
        types = self.config.obsidian.property_types
        if types:  # Obsidian's types win over a schema's: one warning per field they correct
            source = shown(self.root / self.config.obsidian.config_folder / TYPES_FILE)
            self.schemas, corrected = reconcile_types(self.schemas, types, source)
            self.config.warnings.extend(corrected)
        self.max_bytes = int(self.config.rules["file-too-large"].options["max-bytes"])

    # --- what to check -----------------------------------------------------------

    def vault_path(self, path: Path) -> str:
        """``path`` as a vault path (``/``, relative to the root); an error outside it."""
        rel = vault_path(self.root, path)
        if rel is None:
            raise UsageError(f"{path}: outside the vault at {self.root}")
        return rel

    def targets(
        self, paths: Sequence[Path] | None = None, force_exclude: bool = False
    ) -> list[str]:
        """The notes, canvases and bases ``paths`` name (folders: theirs less the excluded
        ones), in vault order for folders; the whole vault when None. A folder that
        could not be listed is a target too, reported as unreadable."""
        index = self.index
        checked = index.checked
        if index.unlisted:
            checked = sorted([*checked, *index.unlisted])
        return self.targets_among(checked, paths, force_exclude)

    def targets_among(
        self, notes: Sequence[str], paths: Sequence[Path] | None, force_exclude: bool = False
    ) -> list[str]:
        """``targets`` with ``notes`` as the vault's notes (those of a past commit)."""
        excluded = self.config.is_excluded
        known = set(notes)
        chosen: dict[str, None] = {}
        for path in paths or [self.root]:
            rel = self.vault_path(path)
            if path.is_dir():
                prefix = "" if rel == "" else rel + "/"
                for note in notes:
                    if note.startswith(prefix) and not excluded(note):
                        chosen[note] = None
            elif rel in known and not (force_exclude and excluded(rel)):
                chosen[rel] = None  # hidden and non-note files are not the vault's notes
        return list(chosen)

    def skipped(self) -> list[str]:
        """A line for each file or folder the scan skipped as its name is not UTF-8."""
        _ = self.index  # the scan fills self.unnamed
        return [f"{name}: skipped, the name is not valid UTF-8" for name in self.unnamed]

    def engine(self, rules: RuleSelection | None = None) -> Engine:
        """The rule engine for a selection of rules (made once per selection)."""
        rules = rules or RuleSelection()
        engine = self._engines.get(rules)
        if engine is None:
            engine = self._engines[rules] = Engine(
                self.config,
                self.index,
                select=rules.select,
                extend_select=rules.extend_select,
                ignore=rules.ignore,
                schemas=self.schemas,
                ignore_suppressions=rules.ignore_suppressions,
            )
        return engine

    # --- jobs --------------------------------------------------------------------

    def run_check(
        self,
        targets: Sequence[str],
        options: CheckOptions | None = None,
        listener: Listener | None = None,
    ) -> CheckRun:
        """Check (or fix, or diff) ``targets``: what the ``check`` command runs."""
        options = options or CheckOptions()
        listener = listener or Listener()
        engine = self.engine(options.rules)
        use_cache = options.cache and not options.diff
        cache = self._cache(options.rules, options.cache_dir, len(targets)) if use_cache else None
        aliases = None
        if use_cache and cache is None:  # a few notes: others' aliases from the alias index
            aliases = self.index.alias_index = self._alias_index(options.cache_dir)
        checker = self._checker(engine, cache, options.jobs)
        vault_wide = engine.has_vault_rules() and self._whole_vault(targets)
        if vault_wide:  # each result's links and more, cached, for the vault-wide rules
            checker.facts = True
        if options.text is not None:
            checker.render, checker.text_key = options.text.render, options.text.key
            checker.render_note = options.text.render_note
        use_baseline = options.baseline != "off" and not options.diff
        checker.keeps_findings = use_baseline
        run = CheckRun(root=self.root, checked=list(targets), text_format=checker.text_key)
        for message in self.skipped():
            listener.warning(message)
        if options.fix:
            from vaultlint.fixer import remove_stale_temporaries

            for path in remove_stale_temporaries(self.root, self.temporaries, time.time()):
                listener.warning(f"{path}: removed, a copy an interrupted run left")
        if options.fix or options.diff:
            from vaultlint.fixing import fix_targets

            fix_targets(
                checker, targets, run, unsafe=options.unsafe, diff=options.diff, listener=listener
            )
        else:
            run.results = checker.check(targets)
        if vault_wide:
            self._vault_findings(checker, run, options)
        self._save(cache, aliases)
        run.parsed = checker.parsed
        run.results.sort(key=_result_path)
        if use_baseline:
            self._baseline(run, options, engine)
        return run

    def _baseline(self, run: CheckRun, options: CheckOptions, engine: Engine) -> None:
        """Leave out of ``run`` the findings the baseline has (written or pruned first,
        when the options say so)."""
        from vaultlint import baseline

        entries = baseline.load(self.root)
        present = set(self.index.files).__contains__
        if options.baseline == "write":
            new = baseline.recorded(run.results, self.root)
            entries = baseline.merged(entries or {}, new, run.checked, present, engine.enabled)
            baseline.save(self.root, entries)
        if entries is None:
            return
        render = None if options.text is None else options.text.render
        matched = baseline.apply(entries, run, render)
        if options.baseline == "prune":
            entries = baseline.merged(entries, matched.used, run.checked, present, engine.enabled)
            baseline.save(self.root, entries)
            matched.stale = 0
        run.baselined, run.baseline_stale = matched.baselined, matched.stale

    def check(
        self, paths: Sequence[Path | str] | None = None, *, fix: bool = False, unsafe: bool = False
    ) -> list[Finding]:
        """The findings on the notes ``paths`` name (default: the whole vault), sorted by
        path and position; with ``fix``, the safe fixes (``unsafe``: all) are applied
        and written first, and what is left is returned."""
        run = self.run_check(self.targets(self._paths(paths)), CheckOptions(fix=fix, unsafe=unsafe))
        return run.findings()

    def fix(self, paths: Sequence[Path | str] | None = None, *, unsafe: bool = False) -> FixResult:
        """Apply the safe fixes (``unsafe``: all of them) to the notes ``paths`` name."""
        options = CheckOptions(fix=True, unsafe=unsafe)
        run = self.run_check(self.targets(self._paths(paths)), options)
        return FixResult(dict(run.fixed), run.written, run.findings(), run.warnings)

    def report(
        self,
        paths: Sequence[Path | str] | None = None,
        *,
        top: int = 20,
        cache: bool = True,
        cache_dir: Path | None = None,
        jobs: int = 0,
        details: bool = False,
    ) -> Report:
        """Completeness of typed notes, broken links, orphans and findings per rule and
        per severity, on the notes ``paths`` name (default: the whole vault); lists keep
        ``top`` items. ``details`` adds each note's findings grouped by rule, and keeps
        every incomplete note (as the HTML report lists them)."""
        from vaultlint.report import html_format
        from vaultlint.report.collect import Header, collect
        from vaultlint.report.history import head_commit
        from vaultlint.version import __version__

        targets = self.targets(self._paths(paths))
        store = self._cache(RuleSelection(), cache_dir, len(targets)) if cache else None
        checker = self._checker(self.engine(), store, jobs, report=True)
        if details:  # each note's findings grouped, and as the page lists them, cached
            checker.render = html_format.note_findings_text
            checker.text_key = html_format.NOTE_FINDINGS_KEY
        facts = {}
        total = errors = warnings = 0
        grouped = {}
        lists = {}
        for result in checker.check(targets):
            found = _facts(result.facts)
            shown = details and result.counts[0] > 0
            read = _note_findings(result) if shown else None
            if found is None or (shown and read is None):  # damaged: check the note again
                result = checker._check_serial(result.path)
                found = _facts(result.facts)
                read = _note_findings(result) if shown else None
            assert found is not None and (read is not None or not shown)
            facts[result.path] = found
            total, errors, warnings = (
                total + result.counts[0],
                errors + result.counts[3],
                warnings + result.counts[4],
            )
            if read is not None:
                grouped[result.path], lists[result.path] = read
        self._save(store)
        types = self.config.obsidian.property_types
        report = collect(
            self.index, self.config, self.schemas, facts, targets, top, details, types=types
        )
        report.severities = {
            "error": errors,
            "warning": warnings,
            "info": total - errors - warnings,
        }
        report.findings, report.finding_html = grouped, lists
        date = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
        report.header = Header(self.root.name, date, head_commit(self.root), __version__)
        return report

    def move(
        self,
        sources: Sequence[Path | str],
        destination: Path | str,
        *,
        dry_run: bool = False,
        git: bool = True,
    ) -> MovePlan:
        """Move or rename notes, attachments and folders, rewriting every link whose
        target would change so that it opens the same file as before.

        ``destination`` is a new name, or a folder (an existing one, or one named
        with a trailing ``/``). Inside a git work tree tracked files move with
        ``git mv`` unless ``git`` is false. A refused move (``MoveError``, a
        ``VaultlintError``) moves and writes nothing; ``dry_run`` only plans it.
        """
        from vaultlint.move import carry_out, plan_move

        named = [Path(p) for p in sources]
        plan = plan_move(
            self.root, self.index, named, destination, self.config.obsidian.link_format
        )
        if not dry_run:
            self.refresh(carry_out(self.root, plan, git))
        return plan

    def rename_subpath(
        self, note: Path | str, old: str, new: str, *, dry_run: bool = False
    ) -> MovePlan:
        """Rename the heading ``old`` (``^id``: the block) of ``note`` to ``new``, and
        rewrite every link to it in the vault (``Note#old``, chains too)."""
        from vaultlint.move import MoveError, plan_subpath_rename, write_rewrites

        path = self.vault_path(Path(note))
        if path not in self.index.notes and path + ".md" in self.index.notes:
            path += ".md"
        if path not in self.index.notes:
            raise MoveError(f"{note}: not a note of the vault")
        plan = plan_subpath_rename(self.root, self.index, path, old, new)
        if not dry_run:
            self.refresh(write_rewrites(self.root, plan))
            plan.done = True
        return plan

    def staged(self) -> tuple[StagedChanges, Backlinks] | None:
        """What the staged commit renames, deletes and changes, with the notes that link
        to the renamed or deleted files (and the rewrites keeping the links to renamed
        ones, which ``move.write_rewrites`` writes); None outside a git work tree.
        From then on ``broken-link`` names the deletion in its message."""
        from vaultlint.move import staged_backlinks, staged_changes

        changes = staged_changes(self.root)
        if changes is None:
            return None
        backlinks = staged_backlinks(self.index, changes, self.config.obsidian.link_format)
        self.index.staged_deletions = backlinks.deleted
        return changes, backlinks

    def note(self, path: str) -> Note | None:
        """The parsed note at vault path ``path``; None when it is not a readable note."""
        return self.index.note(path)

    def refresh(self, changed: Iterable[str]) -> bool:
        """Take in that the files at these vault paths changed, appeared or are gone,
        without a new scan; a changed configuration or schema file reloads them
        (and then True is returned: every note's findings may have changed)."""
        changed = list(changed)
        settings = any(self._is_settings_file(path) for path in changed)
        if settings:
            self._load_settings()
            self.index.max_bytes = self.max_bytes
            self._engines.clear()
        present = [p for p in changed if _is_vault_file(self.root, p)]
        self.index.refresh(changed, present)
        graph = self._graph
        if graph is not None:
            notes = set(self.index.notes)
            for path in changed:
                note = self.index.note(path) if path in notes else None
                if note is None:
                    graph.discard(path)
                else:
                    graph.put(path, link_keys(note))
        return settings

    # --- notes in memory (an editor's buffers, stdin) ------------------------------

    def parse_text(self, path: str, text: str) -> Note:
        """``text`` parsed as the note at vault path ``path`` (which need not exist)."""
        from vaultlint.parse import parse_note

        return parse_note(path, text)

    def check_text(self, path: str, text: str, rules: RuleSelection | None = None) -> list[Finding]:
        """The findings on ``text`` as if it were the note at vault path ``path``:
        its links resolved against the vault, the configuration as for that path.
        Nothing is read of the file at ``path`` nor written."""
        note = self.parse_text(path, text)
        self.take_links(note)
        return self.engine(rules).check(note)

    def fix_text(
        self, path: str, text: str, *, unsafe: bool = False, rules: RuleSelection | None = None
    ) -> TextFix:
        """``text`` (as the note at ``path``) with its safe fixes (``unsafe``: all)
        applied to a fixed point; nothing is written."""
        from vaultlint.fixer import fix_note

        note = self.parse_text(path, text)
        self.take_links(note)
        outcome = fix_note(note, self.engine(rules).check, unsafe=unsafe)
        return TextFix(outcome.note.text, dict(outcome.fixed), outcome.findings)

    def source_findings(self, path: str, data: bytes) -> tuple[str | None, bool, list[Finding]]:
        """The bytes of a note (from stdin) decoded as a file of the vault would be:
        (its text, whether it had a BOM, findings); the text is None, with the
        findings saying why, when they are not UTF-8 text."""
        from vaultlint.vault import decode

        source = decode(path, data)
        if source.text is None:
            return None, source.bom, self.engine().source_findings(source)
        return source.text, source.bom, []

    # --- what depends on what --------------------------------------------------------

    def link_graph(self, jobs: int = 0) -> LinkGraph:
        """Which notes link to which names, for every note of the vault: from the
        facts the results cache keeps (a warm start parses nothing), else from a
        check of the stale notes, made once and kept up to date by ``refresh``."""
        if self._graph is None:
            notes = self.index.notes
            store = self._cache(RuleSelection(), None, len(notes))
            checker = self._checker(self.engine(), store, jobs, report=True)
            graph = LinkGraph()
            for result in checker.check(notes):
                found = _facts(result.facts)
                if found is None:
                    found = _facts(checker._check_serial(result.path).facts)
                assert found is not None
                _, broken, linked, codes = found[:4]
                keys = [name_key(p) for p in linked] + [name_key(raw) for _, raw, _ in broken]
                if any(rule == BROKEN_EMBED for _, rule, _ in codes):  # not in the facts
                    note = self.index.note(result.path)
                    keys += link_keys(note) if note is not None else ()
                graph.put(result.path, keys)
            self._save(store)
            self._graph = graph
        return self._graph

    def dependents(self, paths: Iterable[str]) -> list[str]:
        """The other notes whose link findings may change when the files at these
        vault paths change, appear or go away (renamed: both paths), sorted.

        A note depends on a file when it links to the file's name: where such a
        link resolves, and the headings and blocks it finds, can change. Linear
        in the notes found; the graph is made once (``link_graph``).
        """
        graph = self.link_graph()
        given = set(paths)
        found: set[str] = set()
        for path in given:
            found |= graph.linking(path)
        return sorted(found - given)

    def take_links(self, note: Note) -> None:
        """Let ``dependents`` count with the links of ``note`` (from memory, an
        editor's buffer) instead of those of its file, until it is refreshed."""
        if self._graph is not None:
            self._graph.put(note.path, link_keys(note))

    # --- helpers -----------------------------------------------------------------

    def _whole_vault(self, targets: Sequence[str]) -> bool:
        """Whether ``targets`` are every checked file of the vault (what vault-wide
        rules need: a few staged notes say nothing of the rest)."""
        chosen = set(targets)
        excluded = self.config.is_excluded
        return all(p in chosen or excluded(p) for p in self.index.checked)

    def _vault_findings(self, checker: Checker, run: CheckRun, options: CheckOptions) -> None:
        """Add the vault-wide rules' findings to ``run``; with ``--fix --unsafe-fixes``
        move the unused attachments to ``.trash/`` instead (``fixer.trash_file``)."""
        from vaultlint.facts import note_facts

        results = {r.path: r for r in run.results}
        position = {r.path: i for i, r in enumerate(run.results)}
        index = self.index
        ctx = checker.engine.ctx

        def facts_of(path: str) -> NoteFacts | None:
            result = results.get(path)
            facts = None if result is None else _facts(result.facts)
            if facts is None and result is not None and result.cached and checker.cache:
                facts = _facts(checker.cache.facts_of(path))  # unpacked only when wanted
            if facts is not None:
                return facts
            note = index.note(path)  # excluded files and templates: their links and tags count
            return None if note is None else note_facts(note, (), ctx, index.resolver)

        key = self._vault_key(checker, run) if not (options.fix or options.diff) else None
        stored = None if key is None or checker.cache is None else checker.cache.vault_findings(key)
        if stored is not None:
            found = stored
        else:
            found = checker.engine.vault_findings(facts_of)
            if key is not None and checker.cache is not None:
                checker.cache.keep_vault_findings(key, found)
        if options.fix or options.diff:
            found = self._fix_tags(checker, run, found, options)
            results = {r.path: r for r in run.results}
        if options.fix and options.unsafe and not options.diff:
            from vaultlint.fixer import FileMoveError, trash_file

            kept = []
            for finding in found:
                if finding.rule != "unused-attachment":  # the one rule whose fix moves a file
                    kept.append(finding)
                    continue
                try:
                    trash_file(self.root, finding.path)
                except FileMoveError as exc:
                    run.warnings.append(str(exc))
                    kept.append(finding)
                    continue
                run.fixed[finding.rule] += 1
                run.found += 1
            found = kept
        by_path: dict[str, list[Finding]] = {}
        for finding in found:
            by_path.setdefault(finding.path, []).append(finding)
        for path, findings in by_path.items():
            old = results.get(path)
            if old is None:  # an attachment: no result of its own yet
                run.results.append(checker.result(path, findings, None))
                continue
            # A stub: its own findings and the new one, in one result.
            if old.live is None and old.rows is None:  # a worker sent the text alone
                previous = checker.check_one(path)[2]
            else:
                previous = old.findings()
            merged = sorted([*previous, *findings], key=Finding.sort_key)
            new = checker.result(path, merged, index.note(path))
            run.results[position[path]] = new

    def _vault_key(self, checker: Checker, run: CheckRun) -> bytes | None:
        """A digest of what the vault-wide rules' findings depend on: the vault's file
        names and the bytes of every file they read (the settings name the cache file).
        None when there is no cache, or the run sees a staged deletion."""
        cache = checker.cache
        if cache is None or self.index.staged_deletions:
            return None
        digest = hashlib.blake2b(checker.names, digest_size=16)
        known = checker.hashes
        for path in self.index.checked:
            found = known.get(path) or cache.current_hash(self.root, path) or b"-"
            digest.update(path.encode("utf-8", "surrogatepass"))
            digest.update(b"\0" + found)
        return digest.digest()

    def _fix_tags(
        self, checker: Checker, run: CheckRun, found: list[Finding], options: CheckOptions
    ) -> list[Finding]:
        """With ``--fix --unsafe-fixes`` (or ``--diff``), fix the notes tag-case reports
        (``fixing.fix_with``); the findings left to add to the run are returned."""
        from vaultlint.fixer import applicable
        from vaultlint.fixing import fix_with

        table = checker.engine.last_tag_table
        paths = {f.path for f in found if f.rule == "tag-case" and applicable(f, options.unsafe)}
        if table is None or not paths:
            return found

        engine = checker.engine
        fixed = fix_with(
            checker,
            sorted(paths),
            run,
            lambda note: [*engine.check(note), *engine.tag_findings(note, table)],
            unsafe=options.unsafe,
            diff=options.diff,
        )
        done = [f for f in found if f.path in fixed and f.rule == "tag-case"]
        run.found += len(done)
        return [f for f in found if not (f.path in fixed and f.rule == "tag-case")]

    def _paths(self, paths: Sequence[Path | str] | None) -> list[Path] | None:
        return None if paths is None else _existing(paths)

    def _checker(
        self, engine: Engine, cache: Cache | None, jobs: int, report: bool = False
    ) -> Checker:
        """The pipeline of a run: a report needs every note's facts, a check computes
        them for the cache."""
        checker = Checker(engine, self.index, cache, jobs or default_jobs())
        checker.facts = report or cache is not None
        checker.needs_facts = report
        checker.wants_findings = not report
        return checker

    def _cache(self, rules: RuleSelection, cache_dir: Path | None, targets: int) -> Cache | None:
        """The results cache for these settings, when checking ``targets`` notes makes
        loading it worth while."""
        if not cache_worth_loading(targets, len(self.index.notes)):
            return None
        key = settings_key(
            self.config.digest(),
            self.schemas,
            list(rules.select),
            list(rules.extend_select),
            list(rules.ignore),
            rules.ignore_suppressions,
        )
        folder = cache_folder(self.root, cache_dir)
        claim(folder)
        secret = cache_secret(self.root)
        if secret is None:  # no key of this user's to trust a cache with
            return None
        cache = Cache(folder, key, secret, self.max_bytes)
        cache.load()
        return cache

    def _alias_index(self, cache_dir: Path | None) -> AliasIndex | None:
        """The alias index of the vault's cache folder, for a run without the cache."""
        secret = cache_secret(self.root)
        if secret is None:
            return None
        aliases = AliasIndex(cache_folder(self.root, cache_dir), secret, self.max_bytes)
        aliases.load()
        return aliases

    def _save(self, cache: Cache | None, aliases: AliasIndex | None = None) -> None:
        """Write the cache and the alias index (from the cache's entries when they
        changed, or from the notes a run without the cache read, when many)."""
        if cache is not None:
            cache.forget(self.index.files)
            cache.save()
            aliases = AliasIndex(cache.folder, cache.secret, self.max_bytes)
            if cache.wrote_entries or not aliases.file.exists():
                aliases.load()
                aliases.save(self.index.notes, cache.alias_rows())
        elif aliases is not None and len(aliases.learnt) >= ALIAS_REWRITE:
            aliases.save(self.index.notes)

    def followed(self, paths: Iterable[str]) -> list[str]:
        """The vault paths among ``paths`` whose change matters here, sorted: the
        vault's files (no hidden part: not the cache, ``.git`` or ``.obsidian``), the
        configuration, and the YAML files where the ``schemas:`` entries look, hidden
        or not (``.vaultlint/schemas/``, where ``init --schemas`` puts them)."""
        folders = [_schema_folder(pattern) for pattern in self.config.schemas]
        found = set()
        for path in paths:
            if not path:  # the root itself
                continue
            hidden = any(part.startswith(".") for part in path.split("/"))
            schema = path.lower().endswith((".yaml", ".yml")) and any(
                not folder or path.startswith(folder + "/") for folder in folders
            )
            settings = path in CONFIG_NAMES or self._is_config(path) or self._is_obsidian(path)
            if not hidden or schema or settings:
                found.add(path)
        return sorted(found)

    def _is_settings_file(self, path: str) -> bool:
        """The configuration file, or any YAML file (a schema, or a new file a
        schema glob takes in): reloading them costs little."""
        if path.lower().endswith((".yaml", ".yml")):  # .vaultlint.yaml among them
            return True
        return self._is_obsidian(path) or self._is_config(path)

    def _is_obsidian(self, path: str) -> bool:
        """Whether vault path ``path`` is one of the Obsidian settings files read
        (``app.json``, the templates folders, ``types.json``): the rules and schemas
        follow them."""
        folder = self.config.obsidian.config_folder.strip("/")
        return any(path == f"{folder}/{name}" for name in OBSIDIAN_SETTINGS)

    def _is_config(self, path: str) -> bool:
        """Whether vault path ``path`` is the configuration file in use."""
        config = self.config_file
        return config is not None and os.path.abspath(self.root / path) == os.path.abspath(config)


def open_vault(path: Path | str = ".", config: Path | str | None = None) -> Workspace:
    """The vault holding ``path`` (a note or folder), opened once; ``config`` is the
    configuration file (default: ``.vaultlint.yaml`` at the vault root)."""
    return Workspace.open([Path(path)], None if config is None else Path(config))


BROKEN_EMBED = "broken-embed"  # facts keep broken links, not broken embeds


def name_key(path: str) -> str:
    """The name a link or a file is known by in ``LinkGraph``: the last segment,
    case-folded and NFC, without ``.md``."""
    name = unicodedata.normalize("NFC", path.rpartition("/")[2].strip().casefold())
    return name[:-3] if name.endswith(".md") else name


def link_keys(note: Note) -> set[str]:
    """The names the links of ``note`` point at (its own links to itself left out)."""
    return {name_key(link.path) for link in note.links if link.path}


def _existing(paths: Sequence[Path | str]) -> list[Path]:
    found = [Path(p) for p in paths]
    for path in found:
        if not path.exists():
            raise UsageError(f"{path}: no such file or folder")
    return found


def _result_path(result: NoteResult) -> str:
    return result.path


def _note_findings(result: NoteResult) -> tuple[tuple[FindingGroup, ...], str] | None:
    """A result's findings grouped, and as the HTML page lists them, from its text
    (``html_format.note_findings_text``); None when a damaged entry gave that text."""
    from vaultlint.report.html_format import read_note_findings

    if result.text is None:
        return None
    try:
        return read_note_findings(result.text.decode())
    except Exception:  # an entry of the right shape but wrong contents
        return None


def _facts(data: Any) -> NoteFacts | None:
    """A result's facts, unless a cache entry of the right shape holds wrong ones."""
    return data if valid_facts(data) else None


def _schema_folder(pattern: str) -> str:
    """The folder a ``schemas:`` entry names files in: its parts before the first
    wildcard, less the file name ("" for the root)."""
    parts = posixpath.normpath(pattern).split("/")
    fixed = list(itertools.takewhile(lambda part: not any(c in part for c in "*?["), parts))
    return "/".join(fixed[:-1] if len(fixed) == len(parts) else fixed)


def _is_vault_file(root: Path, path: str) -> bool:
    """Whether ``path`` is now a file the scan would list (no hidden part, a file)."""
    if any(part.startswith(".") for part in path.split("/")):
        return False
    return os.path.isfile(os.path.join(root, path))
