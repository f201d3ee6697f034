"""Rules about the characters of a note's text."""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterator
from functools import lru_cache
from itertools import accumulate

from vaultlint.model import Edit, Finding, Fix, Note, Severity
from vaultlint.mojibake import Repair, find_repairs
from vaultlint.parse import end_of_line
from vaultlint.rules.base import Context, Example, Rule

_HEADING_LINE = re.compile(r"[ ]{0,3}(?:>[ \t]?)*[ ]{0,3}#{1,6}(?:[ \t]|$)")


class TrailingWhitespace(Rule):
    """Report spaces and tabs at the end of a line, outside code and math.

    Exactly two spaces at the end of a line that a non-blank line follows are a
    Markdown line break and are kept. The fix removes the rest; inside code
    blocks, code spans, comments and math nothing is touched.
    """

    name = "trailing-whitespace"
    code = "TX03"
    summary = "Trailing spaces or tabs at the end of a line"
    severity = Severity.WARNING
    fixable = True
    examples = (
        Example(
            title="spaces after a heading and a sentence",
            bad="## Overview \nA short summary.\t\n",
            good="## Overview\nA short summary.\n",
            fixed="## Overview\nA short summary.\n",
        ),
        Example(
            title="a two-space line break is kept, a third space is not",
            bad="Roses are red,   \nviolets are blue.\n",
            good="Roses are red,  \nviolets are blue.\n",
            fixed="Roses are red,  \nviolets are blue.\n",
        ),
        Example(
            title="code keeps its spaces",
            bad="Text \n```\ncode   \n```\n",
            good="Text\n```\ncode   \n```\n",
            fixed="Text\n```\ncode   \n```\n",
        ),
    )

    def check(self, note: Note, ctx: Context) -> Iterator[Finding]:
        text = note.lf_text
        for end in _ends_after_blank(note):
            line_start = max(text.rfind("\n", 0, end) + 1, note.body_start)
            start = line_start + len(text[line_start:end].rstrip(" \t"))
            if note.region_at(start) is not None:
                continue
            keep = ""
            run = text[start:end]
            if len(run) >= 2 and run.strip(" ") == "" and _is_line_break(note, start, end):
                if len(run) == 2:
                    continue
                keep = "  "
            yield self.finding(
                note,
                start + len(keep),
                end,
                "trailing whitespace",
                Fix((Edit(start + len(keep), end, ""),)),
            )


def _ends_after_blank(note: Note) -> Iterator[int]:
    """The end (before any ``\r``) of each line of the body that ends in a blank.

    Looking just before each line break is three times quicker than a regex,
    which tries every space of the text.
    """
    text = note.lf_text
    body_start = note.body_start
    line_ends = [start - 1 for start in note.line_starts[1:]]
    line_ends.append(len(text))
    for end in line_ends:
        if end and text[end - 1] == "\r":
            end -= 1
        if end > body_start and text[end - 1] in " \t":
            yield end


def _is_line_break(note: Note, start: int, end: int) -> bool:
    """Whether spaces at ``start..end`` end a paragraph line that continues below."""
    text = note.lf_text
    line_start = text.rfind("\n", 0, start) + 1
    line = text[line_start:start]
    if not line.strip() or _HEADING_LINE.match(line):
        return False
    next_start = text.find("\n", end)
    if next_start == -1:
        return False
    next_end = text.find("\n", next_start + 1)
    following = text[next_start + 1 : next_end if next_end != -1 else len(text)]
    return bool(following.strip())


class Mojibake(Rule):
    """Report text that was UTF-8, read with a legacy code page and saved again.

    Pastes that went through a Western or Baltic code page turn ``é`` into
    ``Ã©``, ``“We”`` into ``ā€œWeā€`` and 📘 into ``šŸ“˜``. Damaged stretches
    are re-encoded with the code page (cp1252/Latin-1, or the Baltic mix of
    cp1252 and ISO-8859-13) and read as UTF-8 again; only a repair that gives
    valid and clearly more plausible text is reported, so correct text in any
    language (``Ādaži``, ``šķūnis``, ``Größe``, ``Café``) is never touched. A
    ``ā€`` whose last byte was lost is read as ``”`` (see ``vaultlint.mojibake``).
    One finding per line; the fix replaces each damaged stretch by its repair.
    Code, math, comments, the frontmatter and link targets (which name files,
    perhaps files named with the same damage) are left alone.
    """

    name = "mojibake"
    code = "TX01"
    summary = "Text damaged by a wrong code page (mojibake)"
    severity = Severity.WARNING
    fixable = True
    examples = (
        Example(
            title="curly quotes and an apostrophe through cp1252",
            bad="It isnâ€™t â€œfixedâ€\u009d yet.\n",
            good="It isn’t “fixed” yet.\n",
            fixed="It isn’t “fixed” yet.\n",
        ),
        Example(
            title="the Baltic mix, with the lost last byte of ”",
            bad="ā€œWeā€ are šŸ“˜ readers.\n",
            good="“We” are 📘 readers.\n",
            fixed="“We” are 📘 readers.\n",
        ),
        Example(
            title="correct text in many languages is left alone; code is not touched",
            bad="Café at Ādaži: Ã©\n",
            good="Café at Ādaži, šķūnis, Größe, Zażółć: `Ã©`\n",
            fixed="Café at Ādaži: é\n",
        ),
    )

    def check(self, note: Note, ctx: Context) -> Iterator[Finding]:
        text = note.text
        if text.isascii():
            return
        targets = [(lk.path_start, lk.path_end) for lk in note.links if lk.kind != "frontmatter"]
        starts = [a for a, _ in targets]
        by_line: dict[int, list[Repair]] = {}
        for r in find_repairs(text, note.body_start):
            if note.region_at(r.start) is not None:
                continue
            i = bisect_right(starts, r.start) - 1
            if i >= 0 and r.start < targets[i][1]:
                continue  # a link's target names a file, maybe one named just so
            by_line.setdefault(note.line_of(r.start), []).append(r)
        for repairs in by_line.values():
            shown = ", ".join(f"{_show(r.original)} → {_show(r.replacement)}" for r in repairs[:3])
            more = f" and {len(repairs) - 3} more" if len(repairs) > 3 else ""
            yield self.finding(
                note,
                repairs[0].start,
                repairs[-1].end,
                f"mojibake ({repairs[0].description}): {shown}{more}",
                Fix(tuple(Edit(r.start, r.end, r.replacement) for r in repairs)),
            )


@lru_cache(maxsize=4096)
def _show(text: str) -> str:
    """Quoted text with invisible characters named, for messages."""
    shown = "".join(
        c if c == " " or unicodedata.category(c)[0] not in "ZC" else f"<U+{ord(c):04X}>"
        for c in text
    )
    return f"'{shown}'"


# Spaces that are never plain typing: replaced by a space inside a line.
_ODD_SPACES = "\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u205f"
# Zero-width characters that carry nothing: removed. The joiners U+200C/U+200D are
# left alone, emoji sequences and several scripts need them.
_ZERO_WIDTH = "\u200b\u2060\ufeff\u180e"
# No-break spaces are typography inside a line (French "« oui »", "10 km").
_NO_BREAK = "\u00a0\u202f"
_IRREGULAR_CLASS = f"[{_ODD_SPACES}{_ZERO_WIDTH}{_NO_BREAK}]"
_IRREGULAR = re.compile(_IRREGULAR_CLASS + _IRREGULAR_CLASS + "*")  # not "[..]+": see RUN
# Scripts written without spaces, whose word separator is U+200B: Thai, Lao,
# Myanmar (and its extensions), Khmer (and Khmer symbols).
# What may stand before a block's first character on its line: indentation and the
# markers of quotes and list items (``> ``, ``- ``, ``1. ``), nested.
_CONTAINER_MARKS = re.compile(r"[ \t]*(?:(?:>|[-*+]|\d{1,9}[.)])[ \t]*)*")
_ZWSP_SCRIPT = re.compile(r"[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u19e0-\u19ff\ua9e0-\uaa7f]")


class IrregularWhitespace(Rule):
    """Report no-break, zero-width and other unusual spaces outside code.

    Pasted text carries them invisibly: a no-break space at the end of a line
    or heading, a zero-width space inside a word (which then breaks search and
    links), an em space between words. Reported: zero-width spaces, word
    joiners and stray BOMs anywhere; no-break spaces at the end of a line
    (inside a line they are typography, as in French ``« oui »``); other
    unusual spaces anywhere but at the start of a line, where they indent on
    purpose. Lines holding nothing but such spaces are spacers and are kept.
    The fix removes them at line ends and zero-width ones anywhere, and turns
    the others into a plain space. Code, math and comments are left alone.

    Zero-width characters that are writing are not reported: U+200B next to
    Thai, Lao, Myanmar or Khmer text (their word separator), and the joiners
    U+200C and U+200D (Persian, Indic scripts, emoji). Links, embeds and tags
    are never touched (a file name may hold the character), and a zero-width
    character in a heading is reported without a fix: a link elsewhere may
    spell the heading with it.
    """

    name = "irregular-whitespace"
    code = "TX02"
    summary = "No-break, zero-width or other unusual spaces"
    severity = Severity.WARNING
    fixable = True
    examples = (
        Example(
            title="a no-break space ending a heading, a zero-width space in a word",
            bad="### Overview\u00a0\nThe neuro\u200bbiology of us.\n",
            good="### Overview\nThe neurobiology of us.\n",
            fixed="### Overview\nThe neurobiology of us.\n",
        ),
        Example(
            title="an em space between words",
            bad="Mind\u2003as flow.\n",
            good="Mind as flow.\n",
            fixed="Mind as flow.\n",
        ),
        Example(
            title="typographic no-break spaces inside a line are fine",
            bad="« Oui\u00a0», dit-il\u00a0\n",
            good="« Oui\u00a0», dit-il\u00a0: 10\u00a0km, `code\u00a0`\n",
            fixed="« Oui\u00a0», dit-il\n",
        ),
    )

    def check(self, note: Note, ctx: Context) -> Iterator[Finding]:
        text = note.lf_text
        if text.isascii():
            return
        untouchable: _Spans | None = None
        headings: _Spans | None = None
        lines: dict[int, _Line] = {}
        for m in _IRREGULAR.finditer(text, note.body_start):
            start, end = m.span()
            if note.region_at(start) is not None:
                continue
            untouchable = untouchable or _Spans(note, headings=False)
            if untouchable.holds(start):
                continue
            line_start = note.line_starts[bisect_right(note.line_starts, start) - 1]
            line = lines.get(line_start)
            if line is None:
                line = lines[line_start] = _Line(text, line_start)
            at_end = end >= line.content_end
            at_start = start <= line.content_start
            if at_start and at_end:
                continue  # a spacer line
            edits = _edits(text, start, end, at_start, at_end)
            if edits and start > 0 and not text[start - 1].isascii():
                edits = [e for e in edits if not line.in_mojibake(e.start)]
            if not edits:
                continue
            names = sorted({unicodedata.name(text[e.start], "space").lower() for e in edits})
            where = " at the end of the line" if at_end else ""
            zero_width = any(text[e.start] in _ZERO_WIDTH for e in edits)
            in_heading = False
            if zero_width:
                headings = headings or _Spans(note, headings=True)
                in_heading = headings.holds(start)
            # Removed (or made a plain space) before the first character of a line or of
            # a quote or list item on it, an invisible one may turn the rest into a block
            # (an HTML tag, a list item, a fence: ``> \u2003 ```` would open one): not safe.
            at_block = at_start or _CONTAINER_MARKS.fullmatch(text, line_start, start) is not None
            safe = not (at_block and _may_start_block(text, end, line.line_end))
            yield self.finding(
                note,
                edits[0].start,
                edits[-1].end,
                f"{', '.join(names)}{where}" + (" in a heading (not fixed)" if in_heading else ""),
                None if in_heading else Fix(tuple(edits), safe=safe),
            )


def _may_start_block(text: str, pos: int, line_end: int) -> bool:
    """Whether the line from ``pos`` may open a block once what precedes it is gone: it
    does unless it goes on with a letter (blanks make indented code, punctuation and
    digits ``<div>``, ``- item``, ``1.``, ``#``, ``>``)."""
    return pos < line_end and not text[pos].isalpha()


def _edits(text: str, start: int, end: int, at_start: bool, at_end: bool) -> list[Edit]:
    """The edits for the run ``text[start:end]``; none for zero-width spaces that
    separate words of a script written without spaces."""
    writing = _ZWSP_SCRIPT.match(text, start - 1) is not None if start else False
    writing = writing or _ZWSP_SCRIPT.match(text, end) is not None
    edits = []
    for i in range(start, end):
        char = text[i]
        if char == "\u200b" and writing:
            continue
        if char in _ZERO_WIDTH or (at_end and not at_start):
            edits.append(Edit(i, i + 1, ""))
        elif char in _ODD_SPACES and not at_start:
            edits.append(Edit(i, i + 1, " "))
    return edits


class _Spans:
    """Sorted, non-overlapping spans of a note: its links and tags, or the texts
    of its headings."""

    def __init__(self, note: Note, *, headings: bool) -> None:
        if headings:
            spans = [(h.text_start, h.text_end) for h in note.headings]
        else:
            spans = [(lk.start, lk.end) for lk in note.links if lk.kind != "frontmatter"]
            spans += [(t.start, t.end) for t in note.tags]
            spans.sort()
        self._starts = [a for a, _ in spans]
        self._spans = spans

    def holds(self, pos: int) -> bool:
        i = bisect_right(self._starts, pos) - 1
        return i >= 0 and pos < self._spans[i][1]


class _Line:
    """What irregular-whitespace asks about a line, worked out once for all its
    matches: slicing the line again for each would be quadratic in a long line."""

    __slots__ = ("_damage", "_line_start", "_text", "content_end", "content_start", "line_end")

    def __init__(self, text: str, line_start: int) -> None:
        self._text, self._line_start = text, line_start
        self.line_end = end_of_line(text, line_start)
        line = text[line_start : self.line_end]
        # Only blanks (str.isspace) stand before content_start and after content_end.
        self.content_start = line_start + len(line) - len(line.lstrip())
        self.content_end = line_start + len(line.rstrip())
        self._damage: tuple[list[int], list[int]] | None = None

    def in_mojibake(self, pos: int) -> bool:
        """Whether ``pos`` lies in a damaged stretch (``Ā`` + NBSP is one damaged
        NBSP: TX01's)."""
        if self._damage is None:
            spans = sorted(
                (r.start, r.end) for r in find_repairs(self._text, self._line_start, self.line_end)
            )
            self._damage = ([a for a, _ in spans], list(accumulate((b for _, b in spans), max)))
        starts, reach = self._damage  # reach: the furthest end of the stretches so far
        i = bisect_right(starts, pos) - 1
        return i >= 0 and pos < reach[i]
