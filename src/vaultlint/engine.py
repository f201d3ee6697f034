"""Running the enabled rules on a note and collecting their findings."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from vaultlint.config import Config
from vaultlint.model import Finding, Note, Severity
from vaultlint.rules import ALL_RULES, Context, Rule
from vaultlint.rules.files import FileEncoding
from vaultlint.vault import Source, VaultIndex


class SelectionError(Exception):
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
            raise SelectionError(f"{option}: unknown rule or code {key!r} (see `vaultlint rule --all`)")


class Engine:
    def __init__(
        self,
        config: Config,
        index: VaultIndex,
        *,
        select: Sequence[str] = (),
        extend_select: Sequence[str] = (),
        ignore: Sequence[str] = (),
        schemas: Sequence[object] = (),
    ) -> None:
        _check_keys(select, "--select")
        _check_keys(extend_select, "--extend-select")
        _check_keys(ignore, "--ignore")
        self.severity: dict[str, Severity] = {}
        self.rules: list[Rule] = []
        for rule in ALL_RULES:
            setting = config.rules[rule.name]
            severity = setting.severity
            if select:
                severity = (severity or rule.severity) if _matches(rule, select) else None
            if extend_select and _matches(rule, extend_select):
                severity = severity or rule.severity
            if ignore and _matches(rule, ignore):
                severity = None
            if severity is None:
                continue
            self.severity[rule.name] = severity
            self.rules.append(rule(setting.options))
        self.ctx = Context(index=index, schemas=list(schemas))

    def enabled(self, name: str) -> bool:
        return name in self.severity

    def check(self, note: Note) -> list[Finding]:
        findings: list[Finding] = []
        for rule in self.rules:
            severity = self.severity[rule.name]
            for finding in rule.check(note, self.ctx):
                finding.severity = severity
                findings.append(finding)
        findings.sort(key=Finding.sort_key)
        return findings

    def source_findings(self, source: Source) -> list[Finding]:
        """Findings for a file that could not be read as a UTF-8 note."""
        if source.problem is None or not self.enabled(FileEncoding.name):
            return []
        return [
            Finding(
                path=source.path,
                line=1,
                column=1,
                end_line=1,
                end_column=1,
                rule=FileEncoding.name,
                code=FileEncoding.code,
                severity=self.severity[FileEncoding.name],
                message=source.problem,
            )
        ]
