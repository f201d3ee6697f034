"""The baseline: findings a vault had when it adopted vaultlint, reported no more.

``.vaultlint-baseline.json`` at the vault root counts, per note and rule, the
findings of each fingerprint (``vaultlint.fingerprint``: rule, note and the text
of the finding's line), as ESLint's bulk suppressions count them per file and
rule. A run drops from its findings as many of each (note, rule, fingerprint) as
the baseline counts; the rest are new, and reported. Matching is a dictionary
look-up a finding, and only the notes the baseline names are read again for
their lines.

The file is written only when asked: ``write`` records the run's findings,
``prune`` keeps only the entries that still occur. A check never rewrites it on
its own (a pre-commit hook must not change files it was not asked to).
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vaultlint.cache import NoteResult, count, write_atomically
from vaultlint.errors import VaultlintError
from vaultlint.fingerprint import Lines, fingerprint
from vaultlint.model import Finding

if TYPE_CHECKING:
    from vaultlint.pipeline import CheckRun

BASELINE_FILE = ".vaultlint-baseline.json"
VERSION = 1

# note -> rule name -> fingerprint -> how many findings
Entries = dict[str, dict[str, Counter[str]]]


class BaselineError(VaultlintError):
    """The baseline file cannot be read or is not a baseline."""


@dataclass
class Matched:
    """What applying a baseline to a run did."""

    baselined: int = 0  # findings dropped as the baseline has them
    stale: int = 0  # the baseline's findings on the notes checked that no longer occur
    used: Entries = field(default_factory=dict)  # of the notes checked: what matched


def path_of(root: Path) -> Path:
    return root / BASELINE_FILE


def load(root: Path) -> Entries | None:
    """The vault's baseline; None when it has none."""
    path = path_of(root)
    try:
        data = json.loads(path.read_bytes())
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise BaselineError(f"{BASELINE_FILE}: cannot read: {exc.strerror or exc}") from None
    except ValueError as exc:
        raise BaselineError(f"{BASELINE_FILE}: not valid JSON: {exc}") from None
    entries = _entries(data)
    if entries is None:
        raise BaselineError(
            f"{BASELINE_FILE}: not a vaultlint baseline (version {VERSION}); "
            "write a new one with vaultlint check --baseline-write"
        )
    return entries


def _entries(data: Any) -> Entries | None:
    if not isinstance(data, dict) or data.get("version") != VERSION:
        return None
    notes = data.get("notes")
    if not isinstance(notes, dict):
        return None
    entries: Entries = {}
    for path, rules in notes.items():
        if not isinstance(rules, dict):
            return None
        entries[path] = {}
        for rule, prints in rules.items():
            if not isinstance(prints, dict) or not all(
                isinstance(n, int) and not isinstance(n, bool) and n > 0 for n in prints.values()
            ):
                return None
            entries[path][rule] = Counter(prints)
    return entries


def save(root: Path, entries: Entries) -> None:
    """Write the baseline (sorted, one entry a line: merges and diffs stay small)."""
    notes = {
        path: {
            rule: dict(sorted(prints.items())) for rule, prints in sorted(rules.items()) if prints
        }
        for path, rules in sorted(entries.items())
    }
    notes = {path: rules for path, rules in notes.items() if rules}
    text = json.dumps({"version": VERSION, "notes": notes}, indent=1, ensure_ascii=False)
    try:
        write_atomically(path_of(root), text.encode("utf-8", "surrogateescape") + b"\n")
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(path_of(root), 0o666 & ~umask)  # a file to commit, not a private one
    except OSError as exc:
        raise BaselineError(f"{BASELINE_FILE}: cannot write: {exc.strerror or exc}") from None


def apply(
    entries: Entries,
    run: CheckRun,
    render: Callable[[Sequence[Finding]], str] | None,
) -> Matched:
    """Drop from ``run``'s results the findings ``entries`` has (re-rendering the text
    of the notes that lose some); the counts of the run follow."""
    lines = Lines(run.root)
    matched = Matched()
    for n, result in enumerate(run.results):
        known = entries.get(result.path)
        if not known:
            continue
        budget = {rule: Counter(prints) for rule, prints in known.items()}
        used: dict[str, Counter[str]] = {}
        kept: list[Finding] = []
        findings = result.findings() if result.counts[0] else []
        for f in findings:
            prints = budget.get(f.rule)
            if prints:
                digest = fingerprint(f, lines)
                if prints[digest] > 0:
                    prints[digest] -= 1
                    used.setdefault(f.rule, Counter())[digest] += 1
                    continue
            kept.append(f)
        matched.used[result.path] = used
        matched.stale += sum(sum(prints.values()) for prints in budget.values())
        dropped = len(findings) - len(kept)
        if dropped:
            matched.baselined += dropped
            run.results[n] = _filtered(result, kept, render)
    if run.found:  # a fix run: what it found, less what the baseline has
        run.found -= matched.baselined
    return matched


def _filtered(
    result: NoteResult, kept: list[Finding], render: Callable[[Sequence[Finding]], str] | None
) -> NoteResult:
    text = None if render is None else render(kept).encode()
    key = None if text is None else result.text_key
    return NoteResult(result.path, None, count(kept), text, key, live=kept, facts=result.facts)


def recorded(results: Iterable[NoteResult], root: Path) -> Entries:
    """The findings of ``results`` as baseline entries."""
    lines = Lines(root)
    entries: Entries = {}
    for result in results:
        if not result.counts[0]:
            continue
        rules = entries.setdefault(result.path, {})
        for f in result.findings():
            rules.setdefault(f.rule, Counter())[fingerprint(f, lines)] += 1
    return entries


def merged(
    old: Entries,
    new: Entries,
    checked: Iterable[str],
    present: Callable[[str], bool],
    ran: Callable[[str, str], bool],
) -> Entries:
    """``old`` with the entries of the notes ``checked`` replaced by ``new``'s: those of
    rules that did not run on a note (``ran(rule, note)`` false) are kept, and notes
    no longer in the vault (``present`` false) are dropped."""
    result: Entries = {path: rules for path, rules in old.items() if present(path)}
    for path in checked:
        kept = {rule: p for rule, p in result.get(path, {}).items() if not ran(rule, path)}
        kept.update(new.get(path, {}))
        result[path] = kept
    return {path: rules for path, rules in result.items() if rules}
