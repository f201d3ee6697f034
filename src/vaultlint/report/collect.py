"""Adding up the checked notes' facts: completeness, broken links, orphans and findings.

The facts come from the check pipeline (``facts.note_facts``, or the cache),
so a report parses and checks only the notes whose cache entries are stale.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

from vaultlint.facts import LINKED, STUB, NoteFacts, Part, TypeFacts, linked

if TYPE_CHECKING:
    from vaultlint.config import Config
    from vaultlint.schema import Schema
    from vaultlint.vault import VaultIndex

EMPTY_NOTE = "HY02"
NoteTypes = tuple[tuple[str, bool], ...]  # (type name, complete) for each type of a note


@dataclass
class Counts:
    """How many notes of a type have a field (or section) filled, empty or missing."""

    filled: int = 0
    empty: int = 0
    missing: int = 0


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
    # The incomplete notes past ``top``, kept only for a report that lists them all (HTML).
    rest: list[Incomplete] = field(default_factory=list)

    @property
    def percent(self) -> float:
        """Complete notes in percent; a type without notes is 100 % complete (no note
        is under ``--fail-under``), but is never shown so: ``share`` says "no notes"."""
        return 100.0 if self.notes == 0 else self.complete * 100.0 / self.notes

    @property
    def incomplete_total(self) -> int:
        return self.notes - self.complete


@dataclass
class BrokenTarget:
    """A note that broken links ask for: the most-wanted notes that do not exist yet."""

    target: str  # as the first link to it wrote it
    count: int = 0  # unresolved links to it, planned ones included
    sources: list[str] = field(default_factory=list)  # the notes holding them, sorted
    planned: int = 0  # of them, links the configuration declares planned (not reported)

    @property
    def label(self) -> str:
        """The target as shown in a report: marked when its links are planned."""
        if not self.planned:
            return self.target
        if self.planned == self.count:
            return f"{self.target} (planned)"
        return f"{self.target} ({self.planned} planned)"


@dataclass
class LinkReport:
    broken: int = 0
    by_target: list[BrokenTarget] = field(default_factory=list)  # most links first
    orphans: list[str] = field(default_factory=list)  # sorted


@dataclass
class Attachment:
    path: str
    size: int  # bytes


@dataclass
class HygieneReport:
    """What a vault owner may tidy: every list complete (the formats cut them)."""

    canvases: int = 0  # canvas files reported on
    bases: int = 0  # base files reported on
    unused: list[Attachment] = field(default_factory=list)  # the largest first
    empty: list[str] = field(default_factory=list)  # notes with an empty-note finding
    stubs: list[str] = field(default_factory=list)  # only a title, no link in or out
    same_names: list[list[str]] = field(default_factory=list)  # each group sorted
    dead_ends: list[str] = field(default_factory=list)  # notes that link to no other file

    @property
    def unused_bytes(self) -> int:
        return sum(a.size for a in self.unused)


@dataclass
class PropertyUse:
    """One property name across the notes (names compared ignoring case)."""

    name: str  # as most notes spell it
    type: str  # Obsidian's (types.json), else inferred: the kind most values have
    declared: bool  # whether the type is types.json's
    notes: int = 0
    breaking: int = 0  # values whose kind is not the type's (empty ones never are)


@dataclass
class TagUse:
    tag: str  # as written, without ``#``
    notes: int


@dataclass
class PropertiesReport:
    """The frontmatter properties in use, and the tags (every list complete)."""

    properties: list[PropertyUse] = field(default_factory=list)  # most notes first
    tags: list[TagUse] = field(default_factory=list)  # most notes first
    # Spellings of one tag (``tag-case``'s groups, nested tags' parents too), most used first.
    near_duplicates: list[list[TagUse]] = field(default_factory=list)


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


class FindingGroup(NamedTuple):
    """The findings of one rule on one note: how many, and the first one's message (a
    tuple: a large vault has tens of thousands of these)."""

    code: str
    rule: str
    severity: str  # the first finding's: error, warning or info
    findings: int  # how many
    message: str  # the first finding's
    lines: tuple[int, ...]  # the lines of the first ``GROUP_LINES`` findings, in order
    messages: int  # different messages among them


GROUP_LINES = 3
SEVERITIES = ("error", "warning", "info")
_RANK = {name: rank for rank, name in enumerate(SEVERITIES)}
# (line, code, rule, severity, message) of one finding, as ``group_findings`` takes it.
FindingKey = tuple[int, str, str, str, str]


def share(complete: int, notes: int, counts: bool = True, unit: str = " %") -> str:
    """How complete a type is, as every report format shows it: ``62.5 % (5/8)``
    (``counts`` false: ``62.5 %``); a type with no notes is "no notes", never 100 %."""
    if notes == 0:
        return "no notes"
    shown = f"{complete * 100.0 / notes:.1f}{unit}"
    return f"{shown} ({complete}/{notes})" if counts else shown


def group_findings(findings: Iterable[FindingKey]) -> tuple[FindingGroup, ...]:
    """One note's findings grouped by rule, the most severe rule first (then by code)."""
    groups: dict[str, list[FindingKey]] = {}
    for finding in findings:
        group = groups.get(finding[1])
        if group is None:
            groups[finding[1]] = [finding]
        else:
            group.append(finding)
    out = []
    for items in groups.values():
        if len(items) == 1:
            line, code, rule, severity, message = items[0]
            out.append(FindingGroup(code, rule, severity, 1, message, (line,), 1))
            continue
        items.sort()
        _, code, rule, severity, message = items[0]
        lines = tuple([item[0] for item in items[:GROUP_LINES]])
        messages = len({item[4] for item in items})
        out.append(FindingGroup(code, rule, severity, len(items), message, lines, messages))
    out.sort(key=lambda g: (_RANK.get(g.severity, len(SEVERITIES)), g.code))
    return tuple(out)


@dataclass(frozen=True)
class Header:
    """What the report is of: the vault's name, when, at which commit, by which version."""

    vault: str
    date: str  # when the report was made, UTC: YYYY-MM-DD HH:MM
    commit: str | None  # the vault's git HEAD, when it is in a work tree with commits
    version: str


@dataclass
class Report:
    notes: int  # notes reported on
    types: list[TypeReport]
    links: LinkReport
    rules: dict[str, int]  # code -> findings, most first
    rule_names: dict[str, str]  # code -> name
    history: list[HistoryPoint] | None = None  # oldest first
    note_types: dict[str, NoteTypes] = field(default_factory=dict, repr=False)
    hygiene: HygieneReport = field(default_factory=HygieneReport)
    header: Header | None = None
    severities: dict[str, int] = field(default_factory=dict)  # error, warning, info -> findings
    # Per note with findings, grouped by rule (``group_findings``): only when asked for.
    findings: dict[str, tuple[FindingGroup, ...]] = field(default_factory=dict, repr=False)
    # Their lists as the HTML page shows them (``html_format._lists``), where already made.
    finding_html: dict[str, str] = field(default_factory=dict, repr=False)
    properties: PropertiesReport = field(default_factory=PropertiesReport)


@dataclass
class _Tally:
    """The running totals while the notes are walked."""

    types: dict[str, TypeReport]
    rules: Counter[str] = field(default_factory=Counter)
    rule_names: dict[str, str] = field(default_factory=dict)
    broken: dict[str, BrokenTarget] = field(default_factory=dict)
    broken_sources: dict[str, set[str]] = field(default_factory=dict)
    linked: set[str] = field(default_factory=set)  # from notes outside the templates
    used: set[str] = field(default_factory=set)  # from every note, canvas and base
    note_types: dict[str, NoteTypes] = field(default_factory=dict)
    empty: list[str] = field(default_factory=list)
    dead_ends: list[str] = field(default_factory=list)
    # property key (case folded) -> spelling -> notes; -> value kind -> values
    property_names: dict[str, Counter[str]] = field(default_factory=dict)
    property_kinds: dict[str, Counter[str]] = field(default_factory=dict)
    tags: list[tuple[str, ...]] = field(default_factory=list)  # each note's spellings
    stubs: set[str] = field(default_factory=set)  # only a title heading, no link


def collect(
    index: VaultIndex,
    config: Config,
    schemas: Sequence[Schema],
    facts: dict[str, NoteFacts],
    targets: Sequence[str],
    top: int,
    keep_all: bool = False,
    types: Mapping[str, str] | None = None,
) -> Report:
    """The report on ``targets`` (vault paths of notes) from their ``facts``;
    ``types`` are Obsidian's property types (``.obsidian/types.json``).

    The links of every note of the vault count, so that a note linked only
    from outside ``targets`` is no orphan: the other notes are parsed for their
    links alone. Links from notes in Obsidian's templates folder do not count.
    """
    tally = _Tally({s.name: _empty_type(s) for s in schemas})
    for path in index.checked:
        found = facts.get(path)
        if found is not None:
            _add_facts(path, found, tally)
            links = found[LINKED]
            if found[STUB]:
                tally.stubs.add(path)
        else:
            note = index.note(path)
            links = () if note is None else linked(note, index.resolver)
        tally.used.update(links)
        if config.obsidian.templates_folder_for(path) is None:
            tally.linked.update(links)
            if found is not None and not links and found[0] is not None and _is_note(path):
                tally.dead_ends.append(path)
    for report in tally.types.values():
        report.incomplete.sort(key=lambda i: (-i.lacking, -len(i.missing), i.path))
        if keep_all:
            report.rest = report.incomplete[top:]
        del report.incomplete[top:]
    return Report(
        notes=sum(map(_is_note, targets)),
        types=list(tally.types.values()),
        links=_links(tally, targets, config),
        rules=dict(sorted(tally.rules.items(), key=lambda item: (-item[1], item[0]))),
        rule_names=tally.rule_names,
        note_types=tally.note_types,
        hygiene=_hygiene(index, config, tally, targets),
        properties=_properties(tally, types or {}),
    )


# Obsidian's types by the value kinds (``facts.value_shape``) they hold; text holds
# any single value. An empty value fits every type (a checkbox's is indeterminate).
_FITS = {
    "text": frozenset(("text", "number", "checkbox", "date", "datetime")),
    "multitext": frozenset(("list",)),
    "tags": frozenset(("list",)),
    "aliases": frozenset(("list",)),
    "number": frozenset(("number",)),
    "checkbox": frozenset(("checkbox",)),
    "date": frozenset(("date",)),
    "datetime": frozenset(("datetime",)),
}
# The type a kind of value suggests, for a name types.json does not list.
_INFERRED = {"list": "multitext"}
# Obsidian's default properties, typed even without a types.json.
DEFAULT_TYPES = {"tags": "tags", "aliases": "aliases", "cssclasses": "multitext"}


def _properties(tally: _Tally, types: Mapping[str, str]) -> PropertiesReport:
    from vaultlint.rules.tagcase import tag_table

    declared = {**DEFAULT_TYPES, **{str(k).casefold(): v for k, v in types.items()}}
    report = PropertiesReport()
    for key, names in tally.property_names.items():
        kinds = tally.property_kinds[key]
        kind = declared.get(key)
        if kind is None:
            filled = [(n, k) for k, n in kinds.items() if k != "empty"]
            best = max(filled, default=(0, "empty"), key=lambda item: (item[0], item[1]))[1]
            inferred = _INFERRED.get(best, best)
        fits = _FITS.get(kind if kind is not None else inferred)
        breaking = 0
        if fits is not None:
            breaking = sum(n for k, n in kinds.items() if k != "empty" and k not in fits)
        report.properties.append(
            PropertyUse(
                name=max(names.items(), key=lambda item: (item[1], item[0]))[0],
                type=kind if kind is not None else inferred,
                declared=kind is not None,
                notes=sum(names.values()),
                breaking=breaking,
            )
        )
    report.properties.sort(key=lambda p: (-p.notes, p.name.casefold(), p.name))
    used: Counter[str] = Counter()
    for spellings in tally.tags:
        used.update(spellings)
    report.tags = [TagUse(t, n) for t, n in sorted(used.items(), key=lambda i: (-i[1], i[0]))]
    report.near_duplicates = [
        [TagUse(t, n) for t, n in spellings] for _, spellings in tag_table(tally.tags).groups()
    ]
    return report


def _is_note(path: str) -> bool:
    return path.lower().endswith(".md")


def _hygiene(
    index: VaultIndex, config: Config, tally: _Tally, targets: Sequence[str]
) -> HygieneReport:
    from vaultlint.rules.hygiene import is_attachment

    report = HygieneReport(empty=sorted(tally.empty), dead_ends=sorted(tally.dead_ends))
    for path in targets:
        lower = path.lower()
        report.canvases += lower.endswith(".canvas")
        report.bases += lower.endswith(".base")
        if path in tally.stubs and path not in tally.used:
            report.stubs.append(path)
    for path in index.files:
        if (
            path not in tally.used
            and is_attachment(path)
            and config.obsidian.in_attachment_folder(path)
            and not config.is_excluded(path)
        ):
            try:
                size = os.stat(index.root / path).st_size
            except OSError:
                continue  # gone since the scan
            report.unused.append(Attachment(path, size))
    report.unused.sort(key=lambda a: (-a.size, a.path))
    groups = [sorted(group) for group in index.by_name.values() if len(group) > 1]
    report.same_names = sorted(groups)
    return report


def _empty_type(schema: Schema) -> TypeReport:
    return TypeReport(
        name=schema.name,
        fields={spec.name: Counts() for spec in schema.fields},
        sections={spec.name: Counts() for spec in schema.sections},
    )


def _add_facts(path: str, facts: NoteFacts, tally: _Tally) -> None:
    types, broken, _, codes, tags, props = facts[:6]
    if tags:
        tally.tags.append(tags)
    for name, kind in props:
        key = name.casefold()
        names = tally.property_names.get(key)
        if names is None:
            names = tally.property_names[key] = Counter()
            tally.property_kinds[key] = Counter()
        names[name] += 1
        tally.property_kinds[key][kind] += 1
    for code, rule, n in codes:
        tally.rules[code] += n
        tally.rule_names[code] = rule
        if code == EMPTY_NOTE:
            tally.empty.append(path)
    for key, written, planned in broken:
        target = tally.broken.get(key)
        if target is None:
            target = tally.broken[key] = BrokenTarget(written)
            tally.broken_sources[key] = set()
        target.count += 1
        target.planned += planned
        tally.broken_sources[key].add(path)
    if types is None:  # not readable as a note
        return
    tally.note_types[path] = tuple((name, complete) for name, complete, _, _ in types)
    for state in types:
        report = tally.types.get(state[0])
        if report is not None:
            _add_state(report, path, state)


def _add_state(report: TypeReport, path: str, state: TypeFacts) -> None:
    _, complete, fields, sections = state
    report.notes += 1
    missing: list[str] = []
    empty: list[str] = []
    _add_parts(report.fields, fields, missing, empty)
    _add_parts(report.sections, sections, missing, empty)
    if complete:
        report.complete += 1
    else:
        report.incomplete.append(Incomplete(path, missing, empty))


def _add_parts(
    counts: dict[str, Counts], parts: Sequence[Part], missing: list[str], empty: list[str]
) -> None:
    for name, state, required in parts:  # inline: 50,000 parts in a 10k-note vault
        found = counts.get(name)
        if state == "filled":
            if found is not None:
                found.filled += 1
            continue
        if found is not None:
            if state == "empty":
                found.empty += 1
            else:
                found.missing += 1
        if required:
            (missing if state == "missing" else empty).append(name)


def _links(tally: _Tally, targets: Sequence[str], config: Config) -> LinkReport:
    by_target = sorted(tally.broken.items(), key=lambda item: (-item[1].count, item[0]))
    for key, target in by_target:
        target.sources = sorted(tally.broken_sources[key])
    orphans = [
        path
        for path in targets
        if path not in tally.linked
        and path in tally.note_types
        and _is_note(path)
        and config.obsidian.templates_folder_for(path) is None
    ]
    return LinkReport(
        broken=sum(t.count - t.planned for _, t in by_target),
        by_target=[t for _, t in by_target],
        orphans=sorted(orphans),
    )
