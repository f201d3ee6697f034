"""The straightforward implementations that faster ones replaced, kept as oracles.

Each rescans from every match, so it is quadratic (or worse) on some notes,
but it says plainly what the result must be; the tests compare the code in
``src`` with them on generated input.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence

from vaultlint import parse
from vaultlint.fixer import applicable
from vaultlint.links import LinkTargets
from vaultlint.model import Finding, Fix, Note, Region
from vaultlint.mojibake import find_repairs
from vaultlint.rules import text as text_rules
from vaultlint.rules.text import IrregularWhitespace
from vaultlint.suppress import Directive

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


# --- suppress.Suppressions ----------------------------------------------------------


class Suppressions:
    """Which directives silence a finding, asking every disable about every enable."""

    def __init__(self, directives: list[Directive]) -> None:
        valid = [d for d in directives if d.problem is None]
        self.whole = [d for d in valid if d.kind == "frontmatter"]
        self.lines = [d for d in valid if d.kind in ("disable-line", "disable-next-line")]
        self.blocks = [d for d in valid if d.kind == "disable"]
        self.enables = [d for d in valid if d.kind == "enable"]

    def _closed_between(self, disable: Directive, pos: int, rule: str | None) -> bool:
        return any(
            disable.end <= e.start < pos
            and (e.rules is None or (rule is not None and rule in e.rules))
            for e in self.enables
        )

    def covering(self, finding: Finding) -> list[Directive]:
        rule = finding.rule
        found = [d for d in self.whole if d.matches(rule)]
        found += [d for d in self.lines if d.matches(rule) and _covers_line(d, finding.line)]
        found += [
            d
            for d in self.blocks
            if d.end <= finding.start
            and d.matches(rule)
            and not self._closed_between(d, finding.start, rule)
        ]
        return found

    def enable_used(self, enable: Directive) -> bool:
        for d in self.blocks:
            if d.end > enable.start:
                continue
            candidates: list[str | None]
            if enable.rules is None:
                candidates = [None] if d.rules is None else list(d.rules)
            else:
                candidates = [r for r in sorted(enable.rules) if d.matches(r)]
            if any(not self._closed_between(d, enable.start, r) for r in candidates):
                return True
        return False


def _covers_line(d: Directive, line: int) -> bool:
    if d.kind == "disable-line":
        return d.line <= line <= d.end_line
    return line == d.end_line + 1  # disable-next-line


# --- parse: code spans and where links may start -------------------------------------


def inline_regions(text: str, start: int, end: int) -> list[Region]:
    """``parse._inline_regions`` as it was: the paragraph's end searched again from
    each backtick."""
    regions: list[Region] = []
    pos = start
    paragraphs: parse._Paragraphs | None = None
    while pos < end:
        m = parse._INLINE_OPENER.search(text, pos, end)
        if m is None:
            break
        token = m.group()
        region: Region | None = None
        if token[0] == "\\":
            pos = m.end()
            continue
        if token[0] == "`":
            close = _code_span_close(text, m.end(), end, len(token))
            if close is not None:
                region = Region(m.start(), close, "code-span")
        elif token in ("<!--", "%%"):
            region = parse._comment(text, m.start(), token)
        elif token == "$$":
            paragraphs = paragraphs or parse._Paragraphs(text, end)
            region = parse._display_math(text, m.start(), end, paragraphs)
        else:
            math = parse._INLINE_MATH.match(text, m.start(), end)
            if math is not None:
                region = Region(m.start(), math.end(), "math")
        if region is None:
            pos = m.end()
        else:
            regions.append(region)
            pos = region.end
    return regions


def _code_span_close(text: str, pos: int, end: int, run: int) -> int | None:
    blank = parse._BLANK.search(text, pos, end)
    limit = blank.start() if blank else end
    ticks = "`" * run
    while True:
        i = text.find(ticks, pos, limit)
        if i == -1:
            return None
        j = i + run
        if j < limit and text[j] == "`":
            while j < limit and text[j] == "`":
                j += 1
            pos = j
            continue
        return j


def link_region_uncertain(note: Note, pos: int) -> bool | None:
    region = note.region_at(pos)
    if region is not None:
        if region.uncertain:
            return True
        if region.kind in parse._NO_LINKS_IN:
            return None
        if "\n" in note.text[region.start : region.end] or _starts_line(note.text, region.start):
            return True
    if "<" not in note.text:
        return False
    line_start = note.text.rfind("\n", 0, pos) + 1
    return bool(parse._HTML_LINE.match(note.text, line_start))


def _starts_line(text: str, pos: int) -> bool:
    line_start = text.rfind("\n", 0, pos) + 1
    return not text[line_start:pos].strip(" \t>")


class LinkPlaces:
    """parse._LinkPlaces, asking ``link_region_uncertain`` about every link."""

    def __init__(self, note: Note) -> None:
        self.note = note

    def uncertain(self, pos: int) -> bool | None:
        return link_region_uncertain(self.note, pos)


# --- parse: memory of the last search or walk ---------------------------------------


class SearchEachTime:
    """parse._NextMatch without its memory: a search from every position asked."""

    def __init__(self, pattern: re.Pattern[str], text: str, end: int) -> None:
        self._pattern, self._text, self._end = pattern, text, end

    def search(self, pos: int) -> re.Match[str] | None:
        return self._pattern.search(self._text, pos, self._end)


class WalkEachTime:
    """parse._LineAbove without its memory: a walk back from every line asked."""

    def __init__(self, text: str, body_start: int) -> None:
        self._text, self._body_start = text, body_start

    def unindented(self, pos: int) -> str | None:
        text = self._text
        while pos > self._body_start:
            prev_end = pos - 1
            pos = text.rfind("\n", 0, prev_end) + 1
            line = text[pos:prev_end]
            if not line.strip() or line.startswith(("  ", "\t")):
                continue
            return line
        return None


# --- rules.text.IrregularWhitespace -------------------------------------------------


def irregular_whitespace(rule: IrregularWhitespace, note: Note) -> Iterator[Finding]:
    """The rule's check slicing the line around each match, for each match."""
    text = note.lf_text
    if text.isascii():
        return
    untouchable = text_rules._Spans(note, headings=False)
    headings = text_rules._Spans(note, headings=True)
    for m in text_rules._IRREGULAR.finditer(text, note.body_start):
        start, end = m.span()
        if note.region_at(start) is not None or untouchable.holds(start):
            continue
        line_start = text.rfind("\n", 0, start) + 1
        line_end = parse.end_of_line(text, end)
        at_end = not text[end:line_end].strip()
        at_start = not text[line_start:start].strip()
        if at_start and at_end:
            continue
        edits = text_rules._edits(text, start, end, at_start, at_end)
        if edits and start > 0 and not text[start - 1].isascii():
            damaged = find_repairs(text, line_start, line_end)
            edits = [e for e in edits if not any(r.start <= e.start < r.end for r in damaged)]
        if not edits:
            continue
        names = sorted({unicodedata.name(text[e.start], "space").lower() for e in edits})
        where = " at the end of the line" if at_end else ""
        zero_width = any(text[e.start] in text_rules._ZERO_WIDTH for e in edits)
        in_heading = zero_width and headings.holds(start)
        safe = not (zero_width and at_start and text_rules._may_start_block(text, end, line_end))
        yield rule.finding(
            note,
            edits[0].start,
            edits[-1].end,
            f"{', '.join(names)}{where}" + (" in a heading (not fixed)" if in_heading else ""),
            None if in_heading else Fix(tuple(edits), safe=safe),
        )


# --- links.LinkTargets.has_heading_chain --------------------------------------------


def has_heading_chain(targets: LinkTargets, parts: Sequence[str]) -> bool:
    """The chain looked for among all the note's headings, for each link."""
    if len(parts) == 1:
        return parts[0] in targets.names
    if not all(part in targets.names for part in parts):
        return False
    best = [7] * len(parts)
    for level, name in targets.headings:
        for k in range(len(parts) - 1, -1, -1):
            if name == parts[k] and (k == 0 or best[k - 1] < level):
                best[k] = min(best[k], level)
    return best[-1] < 7
