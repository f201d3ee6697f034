"""Running the enabled rules on a note and collecting their findings."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from operator import attrgetter
from typing import cast

from vaultlint.config import Config
from vaultlint.errors import VaultlintError
from vaultlint.facts import (
    BASE_PROPERTIES,
    LINKED,
    PROPERTIES,
    STUB,
    TAGS,
    BaseProperty,
    NoteFacts,
)
from vaultlint.fixer import FixGuard, drop_locked_fixes, guard_fixes
from vaultlint.model import Finding, Link, Note, Severity
from vaultlint.rules import ALL_RULES, Context, Rule, get_rule
from vaultlint.rules.hygiene import EmptyNote, UnknownBaseProperty, UnusedAttachment
from vaultlint.rules.links import BrokenLink
from vaultlint.rules.suppressions import UnusedSuppression
from vaultlint.rules.tagcase import TagCase, TagTable, tag_table
from vaultlint.suppress import (
    filter_findings,
    find_suppressions,
    silences_unused,
    unused_directives,
)
from vaultlint.vault import Source, VaultIndex

_POSITION = attrgetter("line", "column", "code")
_VAULT_RULES = (UnusedAttachment, EmptyNote, UnknownBaseProperty)
_VAULT_WIDE = (*(rule.name for rule in _VAULT_RULES), TagCase.name)


class SelectionError(VaultlintError):
    """``--select`` or ``--ignore`` named no rule."""


def _matches(rule: type[Rule], keys: Iterable[str]) -> bool:
    for key in keys:
        k = key.strip().lower()
        if k in ("all", rule.name) or rule.code.lower().startswith(k):
            return True
    return False


def _check_keys(keys: Sequence[str], option: str) -> None:
    for key in keys:
        if not any(_matches(rule, [key]) for rule in ALL_RULES):
            raise SelectionError(
                f"{option}: unknown rule or code {key!r} (see `vaultlint rule --all`)"
            )


@dataclass
class _Plan:
    """The rule instances run on notes under one combination of overrides."""

    rules: list[Rule] = field(default_factory=list)
    severity: dict[str, Severity] = field(default_factory=dict)
    guards: list[FixGuard] = field(default_factory=list)  # the rules no fix may bring findings of
    # For each kind of file: its rules with their severities, in ``rules`` order.
    _by_kind: dict[str, list[tuple[Rule, Severity]]] = field(default_factory=dict)

    def for_kind(self, kind: str) -> list[tuple[Rule, Severity]]:
        """The rules that check a file of ``kind``, each with its severity."""
        found = self._by_kind.get(kind)
        if found is None:
            found = [(r, self.severity[r.name]) for r in self.rules if kind in r.kinds]
            self._by_kind[kind] = found
        return found


class Engine:
    def __init__(
        self,
        config: Config,
        index: VaultIndex,
        *,
        select: Sequence[str] = (),
        extend_select: Sequence[str] = (),
        ignore: Sequence[str] = (),
        schemas: Sequence[object] | None = None,
        ignore_suppressions: bool = False,
    ) -> None:
        _check_keys(select, "--select")
        _check_keys(extend_select, "--extend-select")
        _check_keys(ignore, "--ignore")
        self.config = config
        self.select, self.extend_select, self.ignore = select, extend_select, ignore
        self.ignore_suppressions = ignore_suppressions
        self._plans: dict[tuple[int, ...], _Plan] = {}
        base = self._plan(())
        self.severity: dict[str, Severity] = base.severity
        self.rules: list[Rule] = base.rules
        self.ctx = Context(
            index=index,
            schemas=None if schemas is None else list(schemas),
            property_types=config.obsidian.property_types,
            markdown_links=config.obsidian.markdown_links,
            link_format=config.obsidian.link_format,
        )
        self.last_tag_table: TagTable | None = None  # the vault's tags at the last vault check
        # Whether a rule that runs reads other files' names (duplicate-name, file-name):
        # then every result depends on the names, as a note's links make it.
        # (An override may turn one on for some paths: then assume it does.)
        self.uses_names = any(rule.uses_names for rule in base.rules) or bool(config.overrides)

    def _plan(self, matched: tuple[int, ...]) -> _Plan:
        """The rules to run, and their severities, under the overrides ``matched``."""
        plan = self._plans.get(matched)
        if plan is not None:
            return plan
        settings, touched = self.config.settings_for(matched)
        plan = _Plan()
        for rule in ALL_RULES:
            setting = settings[rule.name]
            severity = setting.severity
            # --select may turn on a rule the configuration leaves off, but not
            # one an override turned off for these paths.
            default = severity if rule.name in touched else severity or rule.severity
            if self.select:
                severity = default if _matches(rule, self.select) else None
            if self.extend_select and _matches(rule, self.extend_select):
                severity = default
            if self.ignore and _matches(rule, self.ignore):
                severity = None
            if severity is None:
                continue
            plan.severity[rule.name] = severity
            plan.rules.append(rule(setting.options))
            if rule.guards_fixes:
                plan.guards.append(cast(FixGuard, plan.rules[-1]))
        self._plans[matched] = plan
        return plan

    def plan_for(self, path: str) -> _Plan:
        if not self.config.overrides:
            return self._plan(())
        return self._plan(self.config.overrides_for(path))

    def enabled(self, name: str, path: str | None = None) -> bool:
        plan = self._plan(()) if path is None else self.plan_for(path)
        return name in plan.severity

    def check(self, note: Note) -> list[Finding]:
        """Every finding on ``note``: its rules as configured for its path, minus
        what its suppressions silence, plus the unused suppressions (VL01)."""
        plan = self.plan_for(note.path)
        findings: list[Finding] = []
        kind = note.kind
        ctx = self.ctx
        append = findings.append
        for rule, severity in plan.for_kind(kind):
            for finding in rule.check(note, ctx):
                finding.severity = severity
                append(finding)
        if kind != "note":
            return _placed(note, findings)
        if not self.ignore_suppressions:
            findings = self._suppress(note, plan, findings)
        drop_locked_fixes(note, findings)
        guard_fixes(note, findings, plan.guards)
        findings.sort(key=_POSITION)  # one note: the same order as Finding.sort_key
        return findings

    def planned_links(self, note: Note) -> list[Link]:
        """The unresolved links of ``note`` that ``broken-link``, as configured for
        its path, takes for notes not written yet on purpose (not reported)."""
        rule = next((r for r in self.plan_for(note.path).rules if r.name == BrokenLink.name), None)
        if not isinstance(rule, BrokenLink) or note.kind not in rule.kinds:
            return []
        statuses = self.ctx.index.resolver.statuses(note)
        return [
            s.link
            for s in statuses
            if s.target is None and not s.link.is_embed and rule.planned(s.link, self.ctx)
        ]

    def _suppress(self, note: Note, plan: _Plan, findings: list[Finding]) -> list[Finding]:
        suppressions = find_suppressions(note)
        if not suppressions.directives:
            return findings
        kept = filter_findings(suppressions, findings)
        reporter = next((r for r in plan.rules if r.name == UnusedSuppression.name), None)
        if reporter is None:
            return kept
        # A vault-wide rule's findings come after this check: its directives are not
        # judged here (``tag_findings`` applies them).
        enabled = [name for name in plan.severity if name != TagCase.name]
        for directive, message, fix in unused_directives(note, suppressions, enabled):
            finding = reporter.finding(note, directive.start, directive.end, message, fix)
            if not silences_unused(suppressions, finding):
                finding.severity = plan.severity[reporter.name]
                kept.append(finding)
        return kept

    def has_vault_rules(self) -> bool:
        """Whether a vault-wide rule (unused-attachment, empty-note's stubs,
        unknown-base-property) may run."""
        severity = self._plan(()).severity
        vault_wide = any(name in severity for name in _VAULT_WIDE)
        return vault_wide or bool(self.config.overrides)

    def tag_table(self, tags_of: Callable[[str], Iterable[str]] | None = None) -> TagTable | None:
        """The vault's tags (``tags_of`` a note's vault path: its spellings, as
        ``facts.tag_spellings``; by default read from the notes), when tag-case
        may run; each note asked once."""
        if TagCase.name not in self._plan(()).severity and not self.config.overrides:
            return None
        index = self.ctx.index
        if tags_of is None:
            from vaultlint.facts import tag_spellings

            def tags_of(path: str) -> tuple[str, ...]:
                note = index.note(path)
                return () if note is None else tag_spellings(note)

        return tag_table(map(tags_of, index.notes))

    def tag_findings(self, note: Note, table: TagTable) -> list[Finding]:
        """tag-case's findings on ``note`` given the vault's tags, as configured for its
        path and minus what its suppressions silence."""
        severity = self.plan_for(note.path).severity.get(TagCase.name)
        if severity is None or self.config.is_excluded(note.path):
            return []
        rule = TagCase(self.config.rules[TagCase.name].options)
        found = list(rule.note_findings(note, table))
        for finding in found:
            finding.severity = severity
        if found and not self.ignore_suppressions:
            found = filter_findings(find_suppressions(note), found)
        return found

    def vault_findings(self, facts_of: Callable[[str], NoteFacts | None]) -> list[Finding]:
        """The findings of the vault-wide rules (unused-attachment, empty-note's stubs,
        unknown-base-property, tag-case), given the facts of each note, canvas and base
        (``facts_of`` its vault path; None: not readable): each file of the vault asked
        once, so the cost grows with the vault, and nothing is parsed when the facts
        come from the cache."""
        index = self.ctx.index
        if not self.has_vault_rules():
            return []
        used: set[str] = set()
        stubs: list[str] = []
        properties: set[str] = set()
        bases: list[tuple[str, tuple[BaseProperty, ...]]] = []
        tags: dict[str, tuple[str, ...]] = {}
        for path in index.checked:
            facts = facts_of(path)
            if facts is None:
                continue
            used.update(facts[LINKED])
            tags[path] = facts[TAGS]
            properties.update(name.casefold() for name, _ in facts[PROPERTIES])
            if facts[STUB]:
                stubs.append(path)
            if facts[BASE_PROPERTIES]:
                bases.append((path, facts[BASE_PROPERTIES]))
        is_excluded = self.config.is_excluded
        options = {rule.name: self.config.rules[rule.name].options for rule in _VAULT_RULES}
        unused = UnusedAttachment(options[UnusedAttachment.name])
        empty = EmptyNote(options[EmptyNote.name])
        unknown = UnknownBaseProperty(options[UnknownBaseProperty.name])
        tagged = self._tag_case_findings(lambda path: tags.get(path, ()))
        found = []
        for finding in (
            *unused.check_vault(index.files, used, self.config.obsidian.in_attachment_folder),
            *empty.stubs(stubs, used),
            *unknown.check_vault(bases, properties),
        ):
            severity = self.plan_for(finding.path).severity.get(finding.rule)
            if severity is not None and not is_excluded(finding.path):
                finding.severity = severity
                found.append(finding)
        return found + tagged

    def _tag_case_findings(self, tags_of: Callable[[str], Iterable[str]] | None) -> list[Finding]:
        """tag-case's findings: only the notes holding a spelling to report are read."""
        index = self.ctx.index
        if tags_of is not None:
            spellings = {path: tuple(tags_of(path)) for path in index.notes}
            table = self.tag_table(spellings.__getitem__)
        else:
            table = self.tag_table()
        self.last_tag_table = table
        if table is None:
            return []
        found = []
        for path in index.notes:
            if tags_of is not None and not any(map(table.canonical, spellings[path])):
                continue
            note = index.note(path)
            if note is not None:
                found += self.tag_findings(note, table)
        return found

    def source_findings(self, source: Source) -> list[Finding]:
        """Findings for a file that could not be read as a UTF-8 note."""
        plan = self.plan_for(source.path)
        if source.problem is None or source.rule not in plan.severity:
            return []
        rule = get_rule(source.rule)
        assert rule is not None
        return [
            Finding(
                path=source.path,
                line=1,
                column=1,
                end_line=1,
                end_column=1,
                rule=rule.name,
                code=rule.code,
                severity=plan.severity[rule.name],
                message=source.problem,
            )
        ]


def _placed(note: Note, findings: list[Finding]) -> list[Finding]:
    """A canvas's or base's findings: where each is in the JSON, and no fixes (a
    fix would have to write JSON, which the fixer does not)."""
    for finding in findings:
        finding.fix = None
        place = note.places.get(finding.start)
        if place is not None:
            finding.message += f" (at {place})"
    findings.sort(key=_POSITION)
    return findings
