"""Rules about headings: the noise pasted summaries bring, and heading structure.

Every rule here judges a heading on its *repaired* text: mojibake repaired
(``šŸ“˜`` is 📘, ``Ā`` + NBSP is a NBSP) and unusual spaces at its end set aside,
so that check mode reports what ``--fix`` will find after the text rules have
run. The fixes only touch markup (``#``s, emphasis markers, whole heading
lines); repairing the text itself is left to ``mojibake`` and
``irregular-whitespace``, and the fixer's passes compose them.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import pairwise
from operator import attrgetter

from vaultlint.model import Edit, Finding, Fix, Heading, Note, Severity
from vaultlint.mojibake import find_repairs
from vaultlint.rules.base import Context, Example, Rule

_ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff\u180e")
_EMPHASIS_CHARS = "*_"
# A heading holding these is markup (a link, code, a tag), not decoration.
_MARKUP = frozenset("[]<>`$%#^")
_LIST_NUMBER = re.compile(
    r"(?:\d{1,3}(?:\.\d{1,3})*[.)]|\d{1,3}(?:\.\d{1,3})+"
    r"|(?=[IVX])X{0,3}(?:IX|IV|V?I{0,3})[.)]|(?=[ivx])x{0,3}(?:ix|iv|v?i{0,3})[.)]"
    r"|[A-Za-z][.)])"
)
_BLANK_LINE = re.compile(r"[ \t>]*\r?\n")
_BLANK_TO_END = re.compile(r"[ \t>\r\n]*\Z")
_QUOTE_PREFIX = re.compile(r"[ \t>]*")
_NOT_SEEN = re.compile(r"[*_\s\u200b\u200c\u200d\u2060\ufeff\u180e]+")
_WORD_CHAR = re.compile(r"[^\W_]")


@dataclass(frozen=True, slots=True)
class _View:
    """A heading's text as the rules judge it."""

    text: str  # repaired (mojibake), its trailing spaces (damaged or not) set aside
    core: int  # length of the raw text before those trailing spaces
    bare: str  # ``text`` without emphasis markers and spaces: what a reader sees
    words: bool  # whether ``bare`` holds a letter or a digit


def _blank(text: str) -> bool:
    return bool(text) and all(c.isspace() or c in _ZERO_WIDTH for c in text)


def _core_end(heading: Heading) -> int:
    """Offset in the note where the heading's trailing spaces begin."""
    return heading.text_start + _judge(heading.text).core


@lru_cache(maxsize=16384)
def _judge(raw: str) -> _View:
    """Headings repeat (``**Overview**``), so each text is judged once."""
    if raw.isascii():
        return _viewed(raw, len(raw))
    repairs = find_repairs(raw)
    ends = {r.end: r for r in repairs}
    pos = len(raw)
    while pos > 0:
        r = ends.get(pos)
        if r is not None:
            if not _blank(r.replacement):
                break
            pos = r.start
        elif _blank(raw[pos - 1]):
            pos -= 1
        else:
            break
    parts: list[str] = []
    done = 0
    for r in repairs:
        if r.end > pos:
            break
        parts += [raw[done : r.start], r.replacement]
        done = r.end
    parts.append(raw[done:pos])
    return _viewed("".join(parts), pos)


def _viewed(text: str, core: int) -> _View:
    bare = _NOT_SEEN.sub("", text)
    return _View(text, core, bare, _WORD_CHAR.search(bare) is not None)


@lru_cache(maxsize=16384)
def _unwrap(text: str) -> tuple[str, str] | None:
    """(marker, inner) when emphasis wraps the whole text, as in ``**Overview**``."""
    if len(text) < 3 or text[0] not in _EMPHASIS_CHARS:
        return None
    char = text[0]
    size = len(text) - len(text.lstrip(char))
    if size > 3 or size != len(text) - len(text.rstrip(char)) or 2 * size >= len(text):
        return None
    marker = char * size
    inner = text[size:-size]
    if inner != inner.strip() or inner.endswith("\\"):
        return None  # ``** x **`` is no emphasis; ``\*`` is an escaped star
    if (marker if size == 2 else char) in inner:
        return None  # ``**A** and **B**``: two spans, not one around the whole
    return marker, inner


def _plain(text: str) -> str:
    wrap = _unwrap(text)
    return text if wrap is None else wrap[1]


def _line_after(text: str, end: int) -> int:
    """Offset of the line after the one ending at ``end``."""
    newline = text.find("\n", end)
    return len(text) if newline == -1 else newline + 1


def _next_content(text: str, end: int) -> int:
    """Start of the first non-blank line after the line ending at ``end``.

    Lines holding only quote markers count as blank (inside a callout).
    """
    pos = _line_after(text, end)
    while True:
        m = _BLANK_LINE.match(text, pos)
        if m is None:
            break
        pos = m.end()
    return len(text) if _BLANK_TO_END.match(text, pos) else pos


def _delete_line(note: Note, heading: Heading, starts: set[int]) -> Edit:
    """Delete the heading's line(s); between two paragraph lines leave a blank line.

    Without the blank line the two paragraphs would run together into one.
    """
    text = note.lf_text
    after = _line_after(text, heading.end)
    if heading.start > 0 and after < len(text) and after not in starts:
        prev_start = text.rfind("\n", 0, heading.start - 1) + 1
        prev = text[prev_start : heading.start].strip(" \t>\r\n")
        following = text[after : _line_after(text, after)].strip(" \t>\r\n")
        if prev and following and prev_start not in starts:
            prefix = _QUOTE_PREFIX.match(text, heading.start)
            kept = prefix.group().rstrip() if prefix is not None else ""
            return Edit(heading.start, heading.end, kept)
    return Edit(heading.start, after, "")


class EmojiHeading(Rule):
    """Report a heading with no letters or digits: only emoji, symbols, punctuation.

    Summaries pasted from chat assistants put a decoration heading such as
    ``## **📘**`` before each real one; it adds an empty section to the outline
    and noise to links and search. The heading is judged on its repaired text,
    so ``### **šŸ“˜**Ā`` (a damaged 📘 and NBSP) counts. The fix deletes the
    line; it is safe when the next non-blank line is a heading (or nothing
    follows), and unsafe when content follows, since that content would then
    join the previous section (a blank line is left where two paragraphs would
    otherwise run together). Headings holding a link, code or a tag are left
    alone.
    """

    name = "emoji-heading"
    code = "HD01"
    summary = "Heading with only emoji, symbols or punctuation"
    severity = Severity.WARNING
    fixable = True
    examples = (
        Example(
            title="a decoration heading before the real one",
            bad="## **📘**\n## The Neurobiology of Us\n",
            good="## The Neurobiology of Us\n",
            fixed="## The Neurobiology of Us\n",
        ),
        Example(
            title="judged on the repaired text: a damaged 📘 and no-break space",
            bad="> [!info]\n> ### **šŸ“˜**Ā\u00a0\n> ### Overview\n",
            good="> [!info]\n> ### 📘 Overview\n",
            fixed="> [!info]\n> ### Overview\n",
        ),
        Example(
            title="content follows: deleting the heading needs --unsafe-fixes",
            bad="## Notes\nFirst.\n### ✨\nSecond.\n",
            good="## Notes\nFirst.\n\nSecond.\n",
            fixed="## Notes\nFirst.\n\nSecond.\n",
            unsafe=True,
        ),
    )

    def check(self, note: Note, ctx: Context) -> Iterator[Finding]:
        starts = {h.start for h in note.headings}
        for heading in note.headings:
            view = _judge(heading.text)
            if not view.bare or view.words or _MARKUP.intersection(view.bare):
                continue
            follow = _next_content(note.lf_text, heading.end)
            safe = follow >= len(note.text) or follow in starts
            yield self.finding(
                note,
                heading.start,
                heading.end,
                f"heading without words: '{view.text.strip()}'"
                + ("" if safe else " (content follows it)"),
                Fix((_delete_line(note, heading, starts),), safe=safe),
            )


class HeadingFragment(Rule):
    """Report a heading holding only a list number, followed by a heading of its level.

    A pasted numbered outline often splits ``1. Mind as Flow`` into two
    headings, ``#### **1.**`` and ``#### **Mind as Flow**``. The fix merges
    them into one heading (``#### 1. Mind as Flow``); when both were wrapped in
    the same emphasis the merged heading keeps it (``heading-emphasis`` then
    unwraps it), so the result is the same whichever rule fixes first.
    """

    name = "heading-fragment"
    code = "HD02"
    summary = "Heading holding only a list number, split from its title"
    severity = Severity.WARNING
    fixable = True
    examples = (
        Example(
            title="a number split from its title",
            bad="#### 1.\n#### Mind as Flow\n",
            good="#### 1. Mind as Flow\n",
            fixed="#### 1. Mind as Flow\n",
        ),
        Example(
            title="bold fragments keep their bold when merged",
            bad="#### **IV.**\u00a0\n#### **Mind as Flow**\n",
            good="#### **IV. Mind as Flow**\n",
            fixed="#### **IV. Mind as Flow**\n",
        ),
        Example(
            title="a closing parenthesis too; above a deeper heading it is an outline level",
            bad="## 2)\n## Results\n",
            good="## 2)\n### Results\n",
            fixed="## 2) Results\n",
        ),
    )

    def check(self, note: Note, ctx: Context) -> Iterator[Finding]:
        for first, second in pairwise(note.headings):
            if first.setext or second.setext or first.level != second.level:
                continue
            if first.quote_depth != second.quote_depth:
                continue
            number = _judge(first.text).bare
            if len(number) > 9 or not _LIST_NUMBER.fullmatch(number):
                continue
            title_view = _judge(second.text)
            if _LIST_NUMBER.fullmatch(title_view.bare) or not title_view.words:
                continue
            if _next_content(note.lf_text, first.end) != second.start:
                continue
            text = note.text
            number_wrap = _unwrap(text[first.text_start : _core_end(first)])
            title_end = _core_end(second)
            title = text[second.text_start : title_end]
            title_wrap = _unwrap(title)
            if number_wrap and title_wrap and number_wrap[0] == title_wrap[0]:
                marker = number_wrap[0]
                merged = f"{marker}{number} {title_wrap[1]}{marker}"
            else:
                merged = f"{number} {title}"
            yield self.finding(
                note,
                first.start,
                second.end,
                f"heading '{number}' is split from its title '{_plain(title_view.text)}'",
                Fix((Edit(first.text_start, title_end, merged),)),
            )


class HeadingEmphasis(Rule):
    """Report a heading whose whole text is wrapped in emphasis (``**…**``, ``_…_``).

    A heading is already bold; wrapping it in ``**`` (as pasted summaries do)
    adds nothing but noise in the outline, in links to the heading and in
    search. Emphasis on part of a heading is fine. The fix removes the markers.
    Headings without words are ``emoji-heading``'s and ``empty-heading``'s.
    """

    name = "heading-emphasis"
    code = "HD03"
    summary = "Heading text wrapped in bold or italic markers"
    severity = Severity.WARNING
    fixable = True
    examples = (
        Example(
            title="a bold-wrapped heading",
            bad="### **Overview**\n",
            good="### Overview\n",
            fixed="### Overview\n",
        ),
        Example(
            title="italic, in a callout",
            bad="> [!note]\n> ## _The Neurobiology of Us_\n",
            good="> [!note]\n> ## The Neurobiology of *Us*\n",
            fixed="> [!note]\n> ## The Neurobiology of Us\n",
        ),
        Example(
            title="underscores too; two bold spans are partial emphasis, which is fine",
            bad="## __Mind as Flow__\n",
            good="## **Mind** as **Flow**\n",
            fixed="## Mind as Flow\n",
        ),
    )

    def check(self, note: Note, ctx: Context) -> Iterator[Finding]:
        for heading in note.headings:
            view = _judge(heading.text)
            if not view.words:
                continue
            core_end = heading.text_start + view.core  # ``_core_end``
            wrap = _unwrap(note.text[heading.text_start : core_end])
            if wrap is None:
                continue
            size = len(wrap[0])
            yield self.finding(
                note,
                heading.text_start,
                core_end,
                f"heading wrapped in {wrap[0]}…{wrap[0]}",
                Fix(
                    (
                        Edit(heading.text_start, heading.text_start + size, ""),
                        Edit(core_end - size, core_end, ""),
                    )
                ),
            )


class EmptyHeading(Rule):
    """Report a heading with no text at all, or only empty emphasis such as ``****``.

    An empty heading opens a section nobody can link to or find in the
    outline. The fix deletes the line.
    """

    name = "empty-heading"
    code = "HD04"
    summary = "Heading without text"
    severity = Severity.WARNING
    fixable = True
    examples = (
        Example(
            title="hashes alone, and empty bold",
            bad="## Notes\n###\nFirst.\n### ****\n",
            good="## Notes\nFirst.\n",
            fixed="## Notes\nFirst.\n",
        ),
    )

    def check(self, note: Note, ctx: Context) -> Iterator[Finding]:
        starts = {h.start for h in note.headings}
        for heading in note.headings:
            if heading.setext or _judge(heading.text).bare:
                continue
            yield self.finding(
                note,
                heading.start,
                heading.end,
                "heading without text",
                Fix((_delete_line(note, heading, starts),)),
            )


class HeadingIncrement(Rule):
    """Report a heading more than one level deeper than the heading before it.

    ``#`` followed by ``###`` skips a level: the outline shows a gap, and
    screen readers announce a structure that is not there. Off by default
    (pasted summaries often start at ``###``); the strict preset turns it on.
    No fix: which level was meant is the author's call.
    """

    name = "heading-increment"
    code = "HD05"
    summary = "Heading level skipped"
    severity = Severity.WARNING
    enabled = False
    examples = (
        Example(
            title="from h1 straight to h3",
            bad="# Book\n### Overview\n",
            good="# Book\n## Overview\n### Details\n# Next\n",
        ),
    )

    def check(self, note: Note, ctx: Context) -> Iterator[Finding]:
        previous: Heading | None = None
        for heading in note.headings:
            if previous is not None and heading.level > previous.level + 1:
                yield self.finding(
                    note,
                    heading.start,
                    heading.end,
                    f"heading level {heading.level} after level {previous.level}"
                    f" (expected at most {previous.level + 1})",
                )
            previous = heading


class DuplicateHeading(Rule):
    """Report a heading whose text and level repeat a sibling's, under one parent.

    ``[[Note#Tasks]]`` (and ``[[Note#Week 1#Tasks]]``) opens the first of two
    ``## Tasks`` under one parent heading, so the second can never be linked
    to. Headings match as links match them (case and punctuation aside); the
    same heading under different parents is fine, as a chain
    (``#Week 2#Tasks``) tells them apart. The message says which one Obsidian
    opens. Nothing is fixed: which heading to rename is the writer's choice.
    A heading without words (``## **📘**``) is left to ``emoji-heading``,
    whose fix deletes it. No fix of another rule may make two headings one:
    one that would (deleting ``## **📘**`` between two ``### Balance`` makes
    them siblings) is not offered, and its finding says why.
    """

    name = "duplicate-heading"
    code = "HD06"
    guards_fixes = True
    summary = "The same heading twice under one parent: links reach only the first"
    severity = Severity.WARNING
    examples = (
        Example(
            title="two Tasks sections in one week",
            bad="# Week 1\n## Tasks\n- a\n## Notes\n## Tasks\n- b\n",
            good="# Week 1\n## Tasks\n- a\n## Notes\n# Week 2\n## Tasks\n- b\n",
        ),
        Example(
            title="headings match as links do: case and punctuation aside",
            bad="## Q&A\ntext\n## q a\n",
            good="## Q&A\ntext\n### Q&A\n",
        ),
        Example(
            title="a pasted chat answer: bold makes no difference",
            bad="## Habits\n### **Balance**\nWork and rest.\n### **📘**\n### Balance\nSleep.\n",
            good="## Habits\n### **Balance**\nWork and rest.\n### **📘**\n### Balance at night\n"
            "Sleep.\n",
        ),
    )

    def check(self, note: Note, ctx: Context) -> Iterator[Finding]:
        from vaultlint.links import normalize_heading

        for heading, first in duplicates(note.headings, _worded(normalize_heading)):
            yield self.finding(
                note,
                heading.text_start,
                heading.text_end,
                f"duplicate heading '{heading.text}': the same as line {first.line} under "
                f"one parent; a link to it opens the first, at line {first.line}",
            )

    # --- guarding fixes: none may make two headings one (see ``fixer.guard_fixes``) ---

    # The risk of each fix last judged, and the note it is on: ``could_bring`` asks
    # again about the fixes ``risky_fixes`` judged (a fix and a note never change).
    _judged: tuple[Note, dict[int, tuple[Fix, int]]] | None = None

    def risky_fixes(self, note: Note, fixes: Sequence[Fix]) -> list[Fix]:
        """The ``fixes`` that remove a heading, change what one is known by, or touch a
        line that could become one."""
        starts = [h.start for h in note.headings]
        judged: dict[int, tuple[Fix, int]] = {}
        risky = []
        for fix in fixes:
            risk = _risk(note, fix, starts)
            if risk:
                judged[id(fix)] = (fix, risk)
                risky.append(fix)
        self._judged = (note, judged)
        return risky

    def could_bring(self, note: Note, risky: Sequence[Fix]) -> bool:
        """A first look at all the ``risky`` fixes of a note: whether one renames a
        heading, or one removes a heading while two of a level look alike."""
        seen: set[tuple[int, str]] = set()
        for heading in note.headings:
            key = (heading.level, _loose_key(heading.text))
            if key[1] and key in seen:
                return True
            seen.add(key)
        judged = self._judged[1] if self._judged is not None and self._judged[0] is note else {}
        starts: list[int] | None = None
        for fix in risky:
            known = judged.get(id(fix))
            if known is not None and known[0] is fix:
                risk = known[1]
            else:
                if starts is None:
                    starts = [h.start for h in note.headings]
                risk = _risk(note, fix, starts)
            if risk == _RENAMES:
                return True
        return False

    def might_bring(self, note: Note, risky: Sequence[Fix]) -> bool:
        """Whether the ``risky`` fixes could make a duplicate (then the fixer parses the
        fixed text to see). Headings they remove, and heading texts they edit, are
        worked out on the heading list; a fix that merges headings or edits a line
        starting with ``#`` that is no heading can only be told by parsing."""
        headings = note.headings
        starts = [h.start for h in headings]
        removed: set[int] = set()
        edits: dict[int, list[Edit]] = {}
        for fix in risky:
            for edit in fix.edits:
                near = _headings_near(note, edit, starts)
                if not near:
                    line = note.text[note.text.rfind("\n", 0, edit.start) + 1 : edit.start]
                    if _HEADING_LIKE.match(line):
                        return True
                for heading in near:
                    i = bisect_right(starts, heading.start) - 1
                    if edit.start <= heading.start < edit.end and edit.end >= heading.text_end:
                        removed.add(i)
                    elif not (edit.start >= heading.text_end or edit.end < heading.text_start):
                        edits.setdefault(i, []).append(edit)
        after = []
        for i, heading in enumerate(headings):
            if i in removed:
                continue
            if i in edits:
                text = _edited_by(note.text, heading, edits[i])
                if text is None:
                    return True  # a merge, or an edit across the heading's text
                heading = replace(heading, text=text)
            after.append(heading)
        old = Counter(_duplicate_keys(note))
        keyed = duplicates(after, _worded(_repaired_key))
        new = Counter((h.level, _repaired_key(h.text)) for h, _ in keyed)
        return bool(new - old)

    def brought(self, before: Note, after: Note) -> str | None:
        """Why ``after`` (the note fixed) has a duplicate heading ``before`` had not."""
        old = Counter(_duplicate_keys(before))
        for key, heading in _duplicate_keys_with(after):
            if old[key] > 0:
                old[key] -= 1
                continue
            return f"two headings '{heading.text}' would then share a parent"
        return None


def duplicates(
    headings: Sequence[Heading], key_of: Callable[[str], str]
) -> Iterator[tuple[Heading, Heading]]:
    """Each heading with the same level and key (``key_of`` its text) as an earlier
    sibling under one parent, with that first one."""
    # One scope per open heading (and the note's top): its children by (level, key).
    top: dict[tuple[int, str], Heading] = {}
    stack: list[tuple[int, dict[tuple[int, str], Heading]]] = []
    for heading in headings:
        while stack and stack[-1][0] >= heading.level:
            stack.pop()
        scope = stack[-1][1] if stack else top
        key = (heading.level, key_of(heading.text))
        stack.append((heading.level, {}))
        if not key[1]:
            continue
        first = scope.setdefault(key, heading)
        if first is not heading:
            yield heading, first


_HEADING_LIKE = re.compile(r"[ \t>]*#")
_START = attrgetter("start")


def _worded(key_of: Callable[[str], str]) -> Callable[[str], str]:
    """``key_of``, but no key (not compared) for a heading without words: that is
    ``emoji-heading``'s or ``empty-heading``'s, whose fixes delete it."""

    def key(text: str) -> str:
        return key_of(text) if _judge(text).words else ""

    return key


@lru_cache(maxsize=16384)
def _repaired_key(text: str) -> str:
    """What links know a heading by, on its repaired text (mojibake repaired): a
    duplicate that damage hides is one already, not one a repair makes."""
    from vaultlint.links import normalize_heading

    return normalize_heading(_judge(text).text)


@lru_cache(maxsize=16384)
def _loose_key(text: str) -> str:
    """A coarser key: headings that a fix could make equal share it ("" for a
    heading without words, which no duplicate counts)."""
    from vaultlint.links import normalize_heading

    view = _judge(text)
    return normalize_heading(view.bare).replace(" ", "") if view.words else ""


def _duplicate_keys_with(note: Note) -> Iterator[tuple[tuple[int, str], Heading]]:
    for heading, _ in duplicates(note.headings, _worded(_repaired_key)):
        yield (heading.level, _repaired_key(heading.text)), heading


def _duplicate_keys(note: Note) -> Iterator[tuple[int, str]]:
    return (key for key, _ in _duplicate_keys_with(note))


_REMOVES, _RENAMES = 1, 2


def _risk(note: Note, fix: Fix, starts: list[int]) -> int:
    """0: ``fix`` leaves headings as they are; _REMOVES: it only removes heading lines;
    _RENAMES: it changes a heading's key, merges two, or edits a line starting with
    ``#`` that is no heading (it could become one)."""
    text = note.text
    headings = note.headings
    risk = 0
    judged: Heading | None = None  # the heading whose key this fix was seen to keep
    for edit in fix.edits:
        start, end = edit.start, edit.end
        # The headings whose lines the edit touches (``_headings_near``), last first.
        i = bisect_right(starts, end) - 1
        if i < 0 or headings[i].end < start:
            if _HEADING_LIKE.match(text, text.rfind("\n", 0, start) + 1, start):
                return _RENAMES
            continue
        while i >= 0 and (heading := headings[i]).end >= start:
            i -= 1
            if start <= heading.start < end and end >= heading.text_end:
                risk = _REMOVES
            elif start >= heading.text_end or end < heading.text_start or heading is judged:
                continue  # its trailing spaces, its markers or quote prefix; or judged
            else:
                after = _edited(text, heading, fix)
                if after is None or _repaired_key(heading.text) != _repaired_key(after):
                    return _RENAMES
                judged = heading  # the fix's other edits on it leave the same text
    return risk


def _headings_near(note: Note, edit: Edit, starts: list[int]) -> list[Heading]:
    """The headings whose lines an edit touches, found by bisection."""
    found = []
    i = bisect_right(starts, edit.end) - 1
    while i >= 0 and note.headings[i].end >= edit.start:
        found.append(note.headings[i])
        i -= 1
    return found


def _edited(text: str, heading: Heading, fix: Fix) -> str | None:
    """The heading's text once ``fix`` is applied, when all its edits on the heading
    lie inside that text; None otherwise."""
    return _edited_by(text, heading, fix.edits)


def _edited_by(text: str, heading: Heading, edits: Sequence[Edit]) -> str | None:
    """The heading's text once ``edits`` (not overlapping) are applied, when all of
    them on the heading lie inside that text; None otherwise."""
    parts = []
    pos = heading.text_start
    for edit in sorted(edits, key=_START) if len(edits) > 1 else edits:
        if edit.end < heading.text_start or edit.start > heading.text_end:
            continue
        if edit.start < heading.text_start or edit.end > heading.text_end:
            return None
        parts += [text[pos : edit.start], edit.replacement]
        pos = edit.end
    parts.append(text[pos : heading.text_end])
    return "".join(parts)
