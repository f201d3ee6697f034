"""The straightforward implementations that faster ones replaced, kept as oracles.

Each rescans from every match, so it is quadratic (or worse) on some notes,
but it says plainly what the result must be; the tests compare the code in
``src`` with them on generated input.
"""

from __future__ import annotations

from collections.abc import Iterable

from vaultlint.fixer import applicable
from vaultlint.model import Finding, Fix, Note

# --- fixer.select_fixes -------------------------------------------------------------


def select_fixes(
    note: Note, findings: Iterable[Finding], unsafe: bool
) -> list[tuple[Finding, Fix]]:
    locked = None
    fm = note.frontmatter
    if fm is not None and fm.error is not None:
        locked = (fm.start, fm.end if fm.closed else fm.end + 1)
    candidates = sorted(
        ((f, f.fix) for f in findings if applicable(f, unsafe) and f.fix is not None),
        key=lambda pair: (pair[1].start, pair[1].end),
    )
    chosen: list[tuple[Finding, Fix]] = []
    taken: list[tuple[int, int]] = []
    for finding, fix in candidates:
        if locked is not None and any(
            e.start < locked[1] and e.end >= locked[0] for e in fix.edits
        ):
            continue
        if any(_overlaps(e.start, e.end, s, t) for e in fix.edits for s, t in taken):
            continue
        chosen.append((finding, fix))
        taken.extend((e.start, e.end) for e in fix.edits)
    return chosen


def _overlaps(a: int, b: int, c: int, d: int) -> bool:
    if a == b:  # an insertion clashes with an edit around or at its point
        return c <= a <= d
    if c == d:
        return a <= c <= b
    return a < d and c < b
