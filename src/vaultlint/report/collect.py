"""Walking the vault once and tallying completeness, broken links, orphans and findings."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from vaultlint.schema import NoteTypeState, Schema, states_for

if TYPE_CHECKING:
    from vaultlint.config import Config
    from vaultlint.engine import Engine
    from vaultlint.model import Finding, Link, Note
    from vaultlint.vault import VaultIndex

BROKEN_LINK = "LK01"
NoteTypes = tuple[tuple[str, bool], ...]  # (type name, complete) for each type of a note


@dataclass
class Counts:
    """How many notes of a type have a field (or section) filled, empty or missing."""

    filled: int = 0
    empty: int = 0
    missing: int = 0

    def add(self, state: str) -> None:
        setattr(self, state, getattr(self, state) + 1)


@dataclass
class Incomplete:
    """A note that lacks required fields or sections (by name, in schema order)."""

    path: str
    missing: list[str]
    empty: list[str]

    @property
    def lacking(self) -> int:
        return len(self.missing) + len(self.empty)


@dataclass
class TypeReport:
    name: str
    notes: int = 0
    complete: int = 0
    fields: dict[str, Counts] = field(default_factory=dict)
    sections: dict[str, Counts] = field(default_factory=dict)
    incomplete: list[Incomplete] = field(default_factory=list)  # the least complete first

    @property
    def percent(self) -> float:
        """Complete notes in percent; a type without notes is 100 % complete."""
        return 100.0 if self.notes == 0 else self.complete * 100.0 / self.notes

    @property
    def incomplete_total(self) -> int:
        return self.notes - self.complete


@dataclass
class BrokenTarget:
    """A note that broken links ask for: the most-wanted notes that do not exist yet."""

    target: str  # as the first link to it wrote it
    count: int = 0  # broken links to it
    sources: list[str] = field(default_factory=list)  # the notes holding them, sorted


@dataclass
class LinkReport:
    broken: int = 0
    by_target: list[BrokenTarget] = field(default_factory=list)  # most links first
    orphans: list[str] = field(default_factory=list)  # sorted


@dataclass
class TypeCount:
    notes: int = 0
    complete: int = 0

    @property
    def percent(self) -> float:
        return 100.0 if self.notes == 0 else self.complete * 100.0 / self.notes


@dataclass
class HistoryPoint:
    """Completeness per type at one commit."""

    commit: str
    date: str  # the committer date, YYYY-MM-DD
    subject: str
    types: dict[str, TypeCount]


@dataclass
class Report:
    notes: int  # notes reported on
    types: list[TypeReport]
    links: LinkReport
    rules: dict[str, int]  # code -> findings, most first
    rule_names: dict[str, str]  # code -> name
    history: list[HistoryPoint] | None = None  # oldest first
    note_types: dict[str, NoteTypes] = field(default_factory=dict, repr=False)


@dataclass
class _Tally:
    """The running totals while the notes are walked."""

    types: dict[str, TypeReport]
    rules: Counter[str] = field(default_factory=Counter)
    rule_names: dict[str, str] = field(default_factory=dict)
    broken: dict[str, BrokenTarget] = field(default_factory=dict)
    broken_sources: dict[str, set[str]] = field(default_factory=dict)
    linked: set[str] = field(default_factory=set)
    note_types: dict[str, NoteTypes] = field(default_factory=dict)


def collect(
    index: VaultIndex,
    engine: Engine,
    config: Config,
    targets: Sequence[str],
    top: int,
) -> Report:
    """The report on ``targets`` (vault paths of notes), each note parsed once.

    Every note of the vault is read for its outgoing links, so that a note
    linked only from outside ``targets`` is no orphan; links from notes in
    Obsidian's templates folder do not count.
    """
    schemas = schemas_of(engine)
    tally = _Tally({s.name: _empty_type(s) for s in schemas})
    chosen = set(targets)
    for path in index.notes:
        if path in chosen:
            _check_note(index, engine, path, tally)
        note = index.note(path)
        if note is not None and config.obsidian.templates_folder_for(path) is None:
            tally.linked.update(_linked(index, note))
    for report in tally.types.values():
        report.incomplete.sort(key=lambda i: (-i.lacking, -len(i.missing), i.path))
        del report.incomplete[top:]
    return Report(
        notes=len(targets),
        types=list(tally.types.values()),
        links=_links(tally, targets, config),
        rules=dict(sorted(tally.rules.items(), key=lambda item: (-item[1], item[0]))),
        rule_names=tally.rule_names,
        note_types=tally.note_types,
    )


def schemas_of(engine: Engine) -> list[Schema]:
    """The schemas the engine's rules use (the shipped ones when it was given none)."""
    from vaultlint.schema import shipped_schemas

    return list(engine.ctx.schemas or shipped_schemas())


def _empty_type(schema: Schema) -> TypeReport:
    return TypeReport(
        name=schema.name,
        fields={spec.name: Counts() for spec in schema.fields},
        sections={spec.name: Counts() for spec in schema.sections},
    )


def _check_note(index: VaultIndex, engine: Engine, path: str, tally: _Tally) -> None:
    source = index.source(path)
    if source.text is None:
        _count(engine.source_findings(source), tally)
        return
    note = index.note(path)
    assert note is not None
    findings = engine.check(note)
    _count(findings, tally)
    _broken_links(note, findings, tally)
    # After ``engine.check`` the schema rules' states of this note are cached: no recount.
    states = states_for(note, engine.ctx)
    tally.note_types[path] = tuple((s.schema.name, s.complete) for s in states)
    for state in states:
        _add_state(tally.types[state.schema.name], path, state)


def _count(findings: Sequence[Finding], tally: _Tally) -> None:
    for finding in findings:
        tally.rules[finding.code] += 1
        tally.rule_names[finding.code] = finding.rule


def _add_state(report: TypeReport, path: str, state: NoteTypeState) -> None:
    report.notes += 1
    missing: list[str] = []
    empty: list[str] = []
    for f in state.fields:
        report.fields[f.spec.name].add(f.state)
        if f.spec.required and f.state != "filled":
            (missing if f.state == "missing" else empty).append(f.spec.name)
    for s in state.sections:
        report.sections[s.spec.name].add(s.state)
        if s.spec.required and s.state != "filled":
            (missing if s.state == "missing" else empty).append(s.spec.name)
    if state.complete:
        report.complete += 1
    else:
        report.incomplete.append(Incomplete(path, missing, empty))


def _broken_links(note: Note, findings: Sequence[Finding], tally: _Tally) -> None:
    """Group the note's broken-link findings (LK01) by the note they ask for."""
    if not any(f.code == BROKEN_LINK for f in findings):
        return
    by_start = {link.start: link for link in note.links}
    for finding in findings:
        link = by_start.get(finding.start) if finding.code == BROKEN_LINK else None
        if link is None:
            continue
        key = _target_key(link)
        target = tally.broken.get(key)
        if target is None:
            target = tally.broken[key] = BrokenTarget(link.path)
            tally.broken_sources[key] = set()
        target.count += 1
        tally.broken_sources[key].add(note.path)


def _target_key(link: Link) -> str:
    """Links to one missing note, however written: case and ``.md`` do not matter."""
    key = link.path.strip().casefold()
    return key[:-3] if key.endswith(".md") else key


def _linked(index: VaultIndex, note: Note) -> set[str]:
    """The other files ``note`` links to (embeds and frontmatter links included)."""
    resolve = index.resolver.resolve
    found: set[str] = set()
    for link in note.links:
        if link.path:
            target = resolve(link.path, note.path)
            if target is not None and target != note.path:
                found.add(target)
    return found


def _links(tally: _Tally, targets: Sequence[str], config: Config) -> LinkReport:
    by_target = sorted(tally.broken.items(), key=lambda item: (-item[1].count, item[0]))
    for key, target in by_target:
        target.sources = sorted(tally.broken_sources[key])
    orphans = [
        path
        for path in targets
        if path not in tally.linked
        and path in tally.note_types
        and config.obsidian.templates_folder_for(path) is None
    ]
    return LinkReport(
        broken=sum(t.count for _, t in by_target),
        by_target=[t for _, t in by_target],
        orphans=sorted(orphans),
    )
