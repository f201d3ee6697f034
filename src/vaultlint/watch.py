"""``check --watch``: the notes re-checked as files change, and what changed in their findings.

The vault is watched with ``watchfiles``; each batch of changes is taken in by
``Workspace.refresh`` and re-checks the changed notes and their dependents
(``Workspace.dependents``), or every target when the configuration or a schema
changed. Nothing is printed here: ``commands/check`` prints each ``WatchRun``.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from vaultlint.model import Finding
from vaultlint.vault import vault_path
from vaultlint.workspace import CheckOptions, Workspace

Key = tuple[str, int, int, str, str]  # path, line, column, rule, message


@dataclass
class WatchRun:
    """One round: the first check of the targets, or a re-check after changes."""

    first: bool
    checked: list[str]  # the notes (re-)checked, vault paths
    changed: list[str]  # the vault paths whose change caused it (none the first time)
    new: list[Finding] = field(default_factory=list)  # findings not there the last time
    gone: list[Finding] = field(default_factory=list)  # findings of the last time, now gone
    total: int = 0  # findings on all targets now
    notes: int = 0  # targets now


def watch_checks(
    workspace: Workspace,
    paths: Sequence[Path],
    options: CheckOptions,
    force_exclude: bool = False,
    timeout_ms: int = 500,
) -> Iterator[WatchRun]:
    """The first check of the notes ``paths`` name, then a round each time files
    change; runs until the caller stops (Ctrl-C)."""
    from watchfiles import watch

    last: dict[str, dict[Key, Finding]] = {}
    first = True
    # The first check runs once the watcher runs (its first yield): a change made
    # after the first round is printed is never missed.
    for changes in watch(
        workspace.root, yield_on_timeout=True, rust_timeout=timeout_ms, debounce=50, step=20
    ):
        if first:
            targets = workspace.targets(paths, force_exclude)
            round_ = _round(workspace, targets, targets, [], options, last, True)
            workspace.link_graph()  # warm: the check just filled the cache
            # It runs until stopped: the cyclic collector (off for one CLI run) on
            # again, what the first round loaded frozen out of its walks.
            gc.freeze()
            gc.enable()
            first = False
            yield round_
            continue
        found = [vault_path(workspace.root, Path(file)) for _, file in changes]
        changed = workspace.followed(p for p in found if p is not None)
        if not changed:
            continue
        settings = workspace.refresh(changed)
        targets = workspace.targets(paths, force_exclude)
        if settings:
            stale = targets
        else:
            wanted = set(changed) | set(workspace.dependents(changed))
            stale = [t for t in targets if t in wanted]
        yield _round(workspace, targets, stale, changed, options, last, False)


def _round(
    workspace: Workspace,
    targets: list[str],
    stale: list[str],
    changed: list[str],
    options: CheckOptions,
    last: dict[str, dict[Key, Finding]],
    first: bool,
) -> WatchRun:
    round_ = WatchRun(first, stale, changed)
    now = set(targets)
    for path in [p for p in last if p not in now]:  # gone, or no longer a target
        round_.gone += last.pop(path).values()
    run = workspace.run_check(stale, options)
    for result in run.results:
        found = {_key(f): f for f in result.findings()}
        before = last.get(result.path, {})
        round_.new += [f for k, f in found.items() if k not in before]
        round_.gone += [f for k, f in before.items() if k not in found]
        last[result.path] = found
    round_.new.sort(key=Finding.sort_key)
    round_.gone.sort(key=Finding.sort_key)
    round_.total = sum(len(found) for found in last.values())
    round_.notes = len(targets)
    return round_


def _key(finding: Finding) -> Key:
    return (finding.path, finding.line, finding.column, finding.rule, finding.message)
