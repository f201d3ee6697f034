"""Obsidian-flavoured Markdown -> Note: the only parser, one pass per note.

The parser works on the whole text with compiled regular expressions and
keeps Python-level work to the matches, which is what keeps a 10,000-note
vault fast. Order matters: frontmatter, then block-level code (fences,
indented code) and HTML blocks, then inline protected spans (code spans,
comments, math) between them, and only then headings, fields, links, tags and
block ids, each of which is dropped when it starts inside a protected region
(but see uncertain regions below).

Where docs/obsidian-links.md leaves a case open (OQ1-OQ10) the link is kept
with ``uncertain=True`` so that no rule reports it.

Uncertainty may silence a finding, never create one. A region that may or may
not be code, math, a comment or HTML is kept with ``Region.uncertain``: its
headings are indexed as if it were text (``Note.uncertain_headings``, which
``#heading`` links find but no heading rule checks), so are its block ids, its
links are kept but uncertain, and the text rules report nothing inside it.
The uncertain regions are:

- ``$$`` math that Obsidian may not render as math: a ``$$`` alone on its line
  whose closing ``$$`` lies beyond a blank line or a heading, ``$$`` spanning
  lines inside a paragraph, and runs of three or more ``$`` (price tiers).
  Any other ``$$`` not closed within its paragraph is text (SQL's ``$$``);
- HTML blocks: a line starting with a tag, to its closing tag (OQ4);
- a ``%%`` or ``<!--`` comment never closed, which may run to the end;
- the rest of a fenced or indented code block in which a comment that began
  before it closed.

A comment ends at its closing mark whatever lies between: a code block
inside it (a plugin's settings footer) does not end it.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from itertools import accumulate, chain
from typing import Any
from urllib.parse import unquote

from vaultlint.model import (
    BlockId,
    FieldEntry,
    Frontmatter,
    Heading,
    Link,
    Note,
    Region,
    RegionKind,
    Tag,
    YamlError,
)
from vaultlint.plainyaml import load_plain

# --- frontmatter -------------------------------------------------------------

_FM_OPEN = re.compile(r"---[ \t]*\r?(?:\n|$)")
_FM_CLOSE = re.compile(r"^---[ \t]*\r?$", re.M)
_FM_KEY = re.compile(
    r"""^(?:"([^"\r\n]*)"|'([^'\r\n]*)'|([^\s#:"'\-?][^:\r\n]*?))[ \t]*:(?=[ \t]|\r?$)""", re.M
)
_WHOLE_WIKILINK = re.compile(r"\s*\[\[([^\[\]\r\n]+)\]\]\s*")
_INNER_WIKILINK = re.compile(r"\[\[([^\[\]\r\n]+)\]\]")


def _parse_frontmatter(text: str) -> Frontmatter | None:
    opening = _FM_OPEN.match(text)
    if opening is None:
        return None
    raw_start = opening.end()
    close = _FM_CLOSE.search(text, raw_start)
    if close is None:
        return Frontmatter(
            start=0,
            end=len(text),
            raw=text[raw_start:],
            raw_start=raw_start,
            error=YamlError("frontmatter is not closed by a '---' line", 1, 1),
            closed=False,
        )
    end = close.end()
    if text.startswith("\n", end):
        end += 1
    raw = text[raw_start : close.start()]
    fm = Frontmatter(start=0, end=end, raw=raw, raw_start=raw_start)
    if not raw.strip():
        return fm
    try:
        data = load_plain(raw)
    except Exception as exc:  # ruamel raises many error classes; all mean invalid YAML
        fm.error = _yaml_error(exc)
        return fm
    if data is not None and not isinstance(data, dict):
        fm.error = YamlError(f"frontmatter must be a mapping, not a {type(data).__name__}", 2, 1)
        return fm
    fm.data = data
    return fm


def _yaml_error(exc: Exception) -> YamlError:
    problem_mark = getattr(exc, "problem_mark", None)
    context_mark = getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    context = getattr(exc, "context", None)
    message = str(problem)
    mark = problem_mark or context_mark
    if context and context_mark is not None:
        message += f" ({context} at line {context_mark.line + 2})"
        if "end of stream" in message:
            mark = context_mark  # where the unclosed construct began is what to fix
    if mark is None:
        return YamlError(message, 2, 1)
    # The YAML starts on the file's second line, after the opening '---'.
    return YamlError(message, mark.line + 2, mark.column + 1)


def _frontmatter_text(value: Any, seen: set[int] | None = None) -> str:
    """A frontmatter value as field text; aliases to a list already shown are skipped."""
    if value is None:
        return ""
    if isinstance(value, list):
        seen = set() if seen is None else seen
        if id(value) in seen:
            return ""  # a YAML alias back into itself (or an alias bomb)
        seen.add(id(value))
        return ", ".join(_frontmatter_text(v, seen) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


# --- block structure ---------------------------------------------------------

# Each ">" takes the spaces before it, so a deep prefix matches in one way only
# (an ambiguous pattern backtracks exponentially on "> > > ...").
_QUOTE = r"(?:[ ]{0,3}>)*[ \t]?"
_FENCE = re.compile(
    r"^(?P<prefix>" + _QUOTE + r")[ ]{0,3}(?P<fence>`{3,}|~{3,})(?P<info>[^\r\n]*)", re.M
)
# Patterns that start with a literal ("\n", "```") are searched for by the
# regex engine's fast scan; those starting with "^" are tried at every offset.
_FENCE_HINT = re.compile(r"```|~~~")
_INDENTED = re.compile(r"(?: {4}|\t)[ \t]*\S")
_INDENTED_AFTER_NEWLINE = re.compile(r"\n(?: {4}|\t)[ \t]*\S")
_BLANK = re.compile(r"\n[ \t]*\r?\n")


def _line_patterns(body: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """``body`` (starting with a ``prefix`` group) anchored at a line start: one
    pattern to match at a given line start, one to search for after a newline."""
    return re.compile("^" + body, re.M), re.compile("\n" + body, re.M)


def _line_matches(
    patterns: tuple[re.Pattern[str], re.Pattern[str]], text: str, start: int
) -> Iterator[re.Match[str]]:
    """Every match of ``patterns`` (from ``_line_patterns``) at the line starts
    from ``start`` (itself a line start) on; each begins at ``m.start("prefix")``."""
    at_start, after_newline = patterns
    first = at_start.match(text, start)
    matches = after_newline.finditer(text, start)
    return matches if first is None else chain((first,), matches)


_LIST_ITEM = re.compile(r"[ \t]*(?:[-*+]|\d{1,9}[.)])(?:[ \t]|\r?$)")
# The rest of the line (up to a \r or \n) holds the heading's text, blanks around
# it and maybe a closing run of #s (``_atx_text`` finds the text).
_ATX_LINES = _line_patterns(
    r"(?P<prefix>" + _QUOTE + r")[ ]{0,3}(?P<hashes>#{1,6})(?=[ \t]|\r?(?:\n|\Z))"
    r"[^\r\n]*"
)
_ATX = _ATX_LINES[0]
_SETEXT = re.compile(r"^[ ]{0,3}(?P<bar>=+|-+)[ \t]*\r?$", re.M)
_SETEXT_AFTER_NEWLINE = re.compile(r"\n[ ]{0,3}(?P<bar>=+|-+)[ \t]*\r?$", re.M)
_QUOTE_LINE = re.compile(r"[ ]{0,3}>")
_NOT_QUOTE_LINE = re.compile(r"^(?![ ]{0,3}>)", re.M)
_TABLE_ROW = re.compile(r"[ ]{0,3}\|")
# What ends a paragraph above a setext underline at once (see _paragraph_above).
_NOT_PARAGRAPH_LINE = re.compile(
    "|".join(p.pattern for p in (_LIST_ITEM, _QUOTE_LINE, _TABLE_ROW)) + r"|    |\t"
)


def line_starts(text: str) -> list[int]:
    """The offset of each line's start in ``text`` (its lone CRs read as LF)."""
    starts = list(accumulate([len(line) + 1 for line in text.split("\n")], initial=0))
    starts.pop()  # past the end
    return starts


def end_of_line(text: str, pos: int) -> int:
    """Offset of the end of the line holding ``pos``, before its line break."""
    end = text.find("\n", pos)
    if end == -1:
        end = len(text)
    if end > pos and text[end - 1] == "\r":
        end -= 1
    return end


def _next_line(text: str, pos: int) -> int:
    end = text.find("\n", pos)
    return len(text) if end == -1 else end + 1


def _fences(text: str, start: int, line_starts: list[int]) -> list[Region]:
    ticks, tildes = "```" in text, "~~~" in text
    if not (ticks or tildes):
        return []
    # With one kind of fence only, a plain find is the hint (the regex scans slower).
    mark = None if ticks and tildes else "```" if ticks else "~~~"
    regions: list[Region] = []
    pos = start
    while True:
        m = _next_fence(text, pos, line_starts, mark)
        if m is None:
            return regions
        fence = m.group("fence")
        if fence[0] == "`" and "`" in m.group("info"):
            pos = _next_line(text, m.end())  # not a fence: backticks in the info string
            continue
        depth = m.group("prefix").count(">")
        close = _fence_close(text, _next_line(text, m.end()), fence, depth)
        regions.append(Region(m.start(), close, "fence"))
        if close >= len(text):
            return regions
        pos = close


def _next_fence(
    text: str, pos: int, line_starts: list[int], mark: str | None
) -> re.Match[str] | None:
    """The next fence opening line at or after ``pos`` (a line start); ``mark``: the
    only fence mark the text holds (None: both)."""
    while True:
        if mark is None:
            hint = _FENCE_HINT.search(text, pos)
            if hint is None:
                return None
            at = hint.start()
        else:
            at = text.find(mark, pos)
            if at == -1:
                return None
        line_start = line_starts[bisect_right(line_starts, at) - 1]
        m = _FENCE.match(text, max(line_start, pos))
        if m is not None and m.start("fence") == at:
            return m
        char = text[at]
        pos = at + 3
        if text.startswith(char, pos):  # a longer run of the same character
            pos = _run_end(text, pos, char)


def _run_end(text: str, pos: int, char: str) -> int:
    while pos < len(text) and text[pos] == char:
        pos += 1
    return pos


def _fence_close(text: str, pos: int, fence: str, depth: int) -> int:
    """End offset of a fenced block whose content starts at ``pos``."""
    closer = re.compile(
        r"^(?P<prefix>"
        + _QUOTE
        + r")[ ]{0,3}"
        + re.escape(fence[0])
        + "{"
        + str(len(fence))
        + r",}[ \t]*\r?$",
        re.M,
    )
    while pos < len(text):
        line_end = end_of_line(text, pos)
        line = text[pos:line_end]
        if depth and _quote_depth(line) < depth:
            return pos  # the quote holding the fence ended
        m = closer.match(text, pos)
        if m is not None and m.group("prefix").count(">") == depth:
            return line_end
        pos = _next_line(text, pos)
    return len(text)


def _quote_depth(line: str) -> int:
    depth = 0
    i = 0
    n = len(line)
    while True:
        j = i
        while j < n and j - i < 3 and line[j] == " ":
            j += 1
        if j < n and line[j] == ">":
            depth += 1
            i = j + 1
            if i < n and line[i] in " \t":
                i += 1
        else:
            return depth


def _indented_code(text: str, start: int, fences: list[Region]) -> list[Region]:
    """Indented code blocks: 4+ columns after a blank line, outside lists."""
    if "    " not in text and "\t" not in text:
        return []
    regions: list[Region] = []
    fence_starts = [r.start for r in fences]
    above = _LineAbove(text, start)
    pos = start
    while True:
        line_start = _next_indented(text, pos)
        if line_start is None:
            return regions
        if _inside(fences, fence_starts, line_start) or not _after_blank_outside_list(
            text, line_start, start, above
        ):
            pos = _next_line(text, line_start)
            continue
        end = line_start
        scan = line_start
        while scan < len(text):
            line_end = end_of_line(text, scan)
            line = text[scan:line_end]
            if line.startswith(("    ", "\t")):
                end = line_end
            elif line.strip():
                break
            scan = _next_line(text, scan)
        regions.append(Region(line_start, end, "indented-code"))
        pos = _next_line(text, end)


def _next_indented(text: str, pos: int) -> int | None:
    """The start of the next line at or after ``pos`` (a line start) indented 4+ columns."""
    if _INDENTED.match(text, pos):
        return pos
    m = _INDENTED_AFTER_NEWLINE.search(text, pos)
    return None if m is None else m.start() + 1


def _after_blank_outside_list(
    text: str, line_start: int, body_start: int, above: _LineAbove
) -> bool:
    if line_start <= body_start:
        return True
    prev_end = line_start - 1
    prev_start = text.rfind("\n", 0, prev_end) + 1
    if text[prev_start:prev_end].strip():
        return False  # a paragraph continuation line, not code
    line = above.unindented(prev_start)
    return line is None or (not _LIST_ITEM.match(line) and not _QUOTE_LINE.match(line))


class _LineAbove:
    """The last line above a line start that is neither blank nor indented (two
    spaces or a tab).

    Asked for line starts further and further down (the lines of a nested list
    after blank lines, each asking about the list item above them all), it walks
    back only to the line start asked about before.
    """

    __slots__ = ("_body_start", "_known", "_text")

    def __init__(self, text: str, body_start: int) -> None:
        self._text, self._body_start = text, body_start
        self._known: tuple[int, str | None] = (-1, None)  # a line start and its answer

    def unindented(self, pos: int) -> str | None:
        """That line (without its line break), or None when there is none in the body."""
        text = self._text
        asked = pos
        known_at, known = self._known
        found: str | None = None
        while pos > self._body_start:
            if pos == known_at:
                found = known
                break
            prev_end = pos - 1
            pos = text.rfind("\n", 0, prev_end) + 1
            line = text[pos:prev_end]
            if line.strip() and not line.startswith(("  ", "\t")):
                found = line
                break
        self._known = (asked, found)
        return found


def _inside(regions: list[Region], starts: list[int], pos: int) -> bool:
    i = bisect_right(starts, pos) - 1
    return i >= 0 and pos < regions[i].end


# --- HTML blocks ---------------------------------------------------------------

# A line that starts with an opening or closing tag (not an autolink such as
# ``<https://x.org>``, whose name is followed by ``:``).
_HTML_OPEN_LINES = _line_patterns(
    r"(?P<prefix>(?:[ \t]*>)*[ \t]*)<(?P<close>/?)(?P<name>[A-Za-z][A-Za-z0-9-]*)(?=[\s/>]|\Z)"
)
_VOID_ELEMENTS = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
    ]
)


def _html_blocks(text: str, start: int, code: list[Region]) -> list[Region]:
    """HTML blocks (OQ4), always uncertain: from a line that starts with a tag to
    the line with its closing tag, or to the paragraph's end when there is none."""
    if "<" not in text:
        return []
    regions: list[Region] = []
    code_starts = [r.start for r in code]
    closes: _LastClosingTags | None = None
    pos = start
    for m in _line_matches(_HTML_OPEN_LINES, text, start):
        at = m.start("prefix")
        if at < pos or _inside(code, code_starts, m.end("prefix")):
            continue
        closes = closes or _LastClosingTags(text)
        end = _html_block_end(text, m, closes)
        regions.append(Region(at, end, "html", True))
        pos = end
    return regions


class _LastClosingTags:
    """Where the last ``</name`` of each tag name stands in the text (-1: none)."""

    def __init__(self, text: str) -> None:
        self._lowered = text.lower()
        self._last: dict[str, int] = {}

    def __call__(self, name: str) -> int:
        at = self._last.get(name)
        if at is None:
            at = self._last[name] = self._lowered.rfind("</" + name)
        return at


def _html_block_end(text: str, m: re.Match[str], closes: _LastClosingTags) -> int:
    name = m.group("name").lower()
    last_close = closes(name)
    if m.group("close") or name in _VOID_ELEMENTS or last_close < m.start("name"):
        return _paragraph_end(text, m.end())
    depth = 0
    # Not balanced by the last closing tag: up to that tag, so that the next
    # search starts after it (each tag is read once).
    stop = last_close + len(name) + 3  # "</", the name and the character after it
    for tag in _tag_pattern(name).finditer(text, m.start("name") - 1, stop):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            return end_of_line(text, tag.end())
    return end_of_line(text, last_close)


def _tag_pattern(name: str) -> re.Pattern[str]:
    return re.compile(r"<(/?)" + re.escape(name) + r"(?=[\s/>]|\Z)", re.I)


def _paragraph_end(text: str, pos: int) -> int:
    """The end of the line before the next blank line (or of the text)."""
    blank = _BLANK.search(text, pos)
    return len(text) if blank is None else blank.start()


# --- inline protected spans --------------------------------------------------

# "``*", not "`+": a leading repeat hides the first characters from the regex
# engine's fast scan, which made this search six times slower.
_INLINE_OPENER = re.compile(r"\\[\\`$%<]|``*|<!--|%%|\$\$|\$")
_INLINE_MATH = re.compile(r"\$(?:[^\s$\\]|\\.)(?:(?:[^$\r\n\\]|\\.)*?(?:[^\s$\\]|\\.))?\$(?!\d)")
# A paragraph ends before a blank line (in a quote too) or a heading line.
_PARAGRAPH_BREAK = re.compile(
    r"\n(?:(?:[ ]{0,3}>)*[ \t]*\r?(?:\n|\Z)|" + _QUOTE + r"[ ]{0,3}#{1,6}(?:[ \t]|\r?(?:\n|\Z)))"
)


class _Paragraphs:
    """Where the paragraph holding an offset ends, for offsets met in increasing
    order: one search per paragraph, not one per ``$$``."""

    __slots__ = ("_end", "_limit", "_text")

    def __init__(self, text: str, end: int) -> None:
        self._text, self._end, self._limit = text, end, -1

    def end_after(self, pos: int) -> int:
        if pos > self._limit:
            m = _PARAGRAPH_BREAK.search(self._text, pos, self._end)
            self._limit = self._end if m is None else m.start()
        return self._limit


def _inline_regions(text: str, start: int, end: int, regions: list[Region]) -> int:
    """Append the spans of ``text[start:end]`` to ``regions``; return where scanning
    stopped: ``end``, or beyond it when a comment goes on past ``end``."""
    # An escape, math or a comment: all but code spans need one of these.
    others = "\\" in text or "$" in text or "%" in text or "<" in text
    if not others and "`" not in text:
        return max(start, end)
    pos = start
    paragraphs: _Paragraphs | None = None
    blank = _NextMatch(_BLANK, text, end)  # where a code span's paragraph ends
    if not others:
        # Only code spans can open: the runs of backticks found by a plain find.
        while pos < end:
            at = text.find("`", pos, end)
            if at == -1:
                return end
            run_end = at + 1
            while run_end < end and text[run_end] == "`":
                run_end += 1
            span = _code_span(text, at, run_end, end, blank)
            if span is None:
                pos = run_end
            else:
                regions.append(span)
                pos = span.end
        return pos
    while pos < end:
        m = _INLINE_OPENER.search(text, pos, end)
        if m is None:
            return end
        token = m.group()
        region: Region | None = None
        if token[0] == "\\":
            pos = m.end()
            continue
        if token[0] == "`":
            region = _code_span(text, m.start(), m.end(), end, blank)
        elif token == "<!--" or token == "%%":
            region = _comment(text, m.start(), token)
        elif token == "$$":
            paragraphs = paragraphs or _Paragraphs(text, end)
            region = _display_math(text, m.start(), end, paragraphs)
        else:
            math = _INLINE_MATH.match(text, m.start(), end)
            if math is not None:
                region = Region(m.start(), math.end(), "math")
        if region is None:
            pos = m.end()
        else:
            regions.append(region)
            pos = region.end
    return pos


def _code_span(text: str, at: int, run_end: int, end: int, blank: _NextMatch) -> Region | None:
    """The code span opened by the run of backticks ``text[at:run_end]``, if it closes
    before its paragraph's end (or ``end``)."""
    paragraph_end = blank.search(run_end)
    limit = end if paragraph_end is None else paragraph_end.start()
    close = _code_span_close(text, run_end, limit, run_end - at)
    return None if close is None else Region(at, close, "code-span")


def _comment(text: str, at: int, opener: str) -> Region:
    """A comment ends at its closing mark, whatever lies between (a fenced block in
    a plugin's ``%% kanban:settings`` footer); an unclosed one may run to the end."""
    kind: RegionKind = "html-comment" if opener == "<!--" else "comment"
    closer = "-->" if opener == "<!--" else "%%"
    close = text.find(closer, at + len(opener))
    if close == -1:
        return Region(at, len(text), kind, True)
    return Region(at, close + len(closer), kind)


def _display_math(text: str, at: int, end: int, paragraphs: _Paragraphs) -> Region | None:
    """``$$`` math opened at ``at``; None when it is plain text (a price, SQL).

    Certain: ``$$`` and ``$$`` (not longer runs of ``$``) in one paragraph, on one
    line or as a block whose opening ``$$`` starts its line. A ``$$`` alone on its
    line whose ``$$`` lies beyond a blank line or heading is uncertain up to that
    ``$$``; any other ``$$`` closed only beyond its paragraph is text.
    """
    run_end = _run_end(text, at, "$")
    close = text.find("$$", run_end, paragraphs.end_after(at))
    if close != -1:
        stop = _run_end(text, close, "$")
        exact = run_end - at == 2 and stop - close == 2
        one_line = text.find("\n", at, close) == -1
        return Region(at, stop, "math", not (exact and (one_line or _text_starts_line(text, at))))
    if run_end - at != 2 or not _alone_on_line(text, at, run_end):
        return None
    close = text.find("$$", run_end, end)
    if close == -1:
        return None
    return Region(at, _run_end(text, close, "$"), "math", True)


def _alone_on_line(text: str, at: int, end: int) -> bool:
    """Whether ``text[at:end]`` stands alone on its line (quote markers aside)."""
    return _text_starts_line(text, at) and not text[end : end_of_line(text, end)].strip()


class _NextMatch:
    """The first match of ``pattern`` at or after a position, for positions that
    mostly increase: searched again only once a position passes the match found.

    Searching from each of many positions would rescan the same stretch each time.
    """

    __slots__ = ("_end", "_found", "_pattern", "_searched_from", "_text")

    def __init__(self, pattern: re.Pattern[str], text: str, end: int) -> None:
        self._pattern, self._text, self._end = pattern, text, end
        self._searched_from = -1
        self._found: re.Match[str] | None = None

    def search(self, pos: int) -> re.Match[str] | None:
        found = self._found
        if (
            pos < self._searched_from
            or self._searched_from < 0
            or (found is not None and found.start() < pos)
        ):
            found = self._found = self._pattern.search(self._text, pos, self._end)
            self._searched_from = pos
        return found


def _code_span_close(text: str, pos: int, limit: int, run: int) -> int | None:
    """End of the code span opened by ``run`` backticks before ``limit`` (its paragraph's end)."""
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


def _protected_regions(text: str, body_start: int, line_starts: list[int]) -> list[Region]:
    blocks = _fences(text, body_start, line_starts)
    blocks += _indented_code(text, body_start, blocks)
    blocks.sort(key=lambda r: r.start)
    html = _html_blocks(text, body_start, blocks)
    if html:
        blocks += html
        blocks.sort(key=lambda r: r.start)
    regions: list[Region] = []
    pos = body_start
    for block in blocks:
        if block.start > pos:
            pos = _inline_regions(text, pos, block.start, regions)
        if block.end <= pos:
            continue  # inside a comment or an HTML block that began before it
        if block.start < pos:
            # A comment closed inside the block: what is left may or may not be code.
            regions.append(Region(pos, block.end, block.kind, True))
        else:
            regions.append(block)
        pos = block.end
    if pos < len(text):
        _inline_regions(text, pos, len(text), regions)
    return regions


# --- headings ----------------------------------------------------------------

_NO_HEADINGS_IN = frozenset(
    {"fence", "indented-code", "html-comment", "html", "comment", "math", "frontmatter"}
)


def _headings(note: Note) -> tuple[list[Heading], list[Heading]]:
    """The note's headings, and those in uncertain regions (see the module docstring)."""
    text = note.text
    regions, region_starts = note.regions, note._region_starts
    starts = note.line_starts
    found: list[Heading] = []
    uncertain: list[Heading] = []
    # Each heading is made once, its section's end filled in by _end_sections.
    for m in _line_matches(_ATX_LINES, text, note.body_start) if "#" in text else ():
        hashes_at, after_hashes = m.span("hashes")
        into = found
        if regions:
            i = bisect_right(region_starts, hashes_at) - 1
            if i >= 0:
                region = regions[i]
                if hashes_at < region.end and region.kind in _NO_HEADINGS_IN:
                    if not region.uncertain:
                        continue
                    into = uncertain
        prefix_start, prefix_end = m.span("prefix")
        depth = text.count(">", prefix_start, prefix_end) if prefix_end > prefix_start else 0
        end = m.end()  # the line's end
        ts, te = _atx_text(text, after_hashes, end)
        # level, text, line, start, end, text_start, text_end, section_end, depth, setext
        into.append(
            Heading(
                after_hashes - hashes_at,
                text[ts:te],
                bisect_right(starts, prefix_start),
                prefix_start,
                end,
                ts,
                te,
                0,
                depth,
                False,
            )
        )
    setext = _setext_headings(note)
    if setext:
        found += setext
        found.sort(key=_heading_start)
    _end_sections(note, found)
    if uncertain:
        _end_sections(note, uncertain)
    return found, uncertain


def _heading_start(heading: Heading) -> int:
    return heading.start


def _end_sections(note: Note, headings: list[Heading]) -> None:
    """Set each heading's ``section_end``: the start of the next heading of the same
    or a higher level, or of the first line below it out of its quote."""
    text = note.text
    size = len(text)
    stack: list[Heading] = []  # headings still waiting for their end, levels increasing
    for heading in headings:
        level, start = heading.level, heading.start
        while stack and stack[-1].level >= level:
            stack.pop().section_end = start
        stack.append(heading)
    for heading in stack:
        heading.section_end = size
    quote_ends: _NextMatch | None = None
    for heading in headings:
        end = heading.end
        if heading.quote_depth:
            quote_ends = quote_ends or _NextMatch(_NOT_QUOTE_LINE, text, size)
            quote_end = quote_ends.search(_next_line(text, end))
            if quote_end is not None and quote_end.start() < heading.section_end:
                heading.section_end = quote_end.start()
        if heading.section_end < end:
            heading.section_end = end


def _atx_text(text: str, start: int, end: int) -> tuple[int, int]:
    """Where the text of an ATX heading lies in ``text[start:end]``, the line after its
    #s: without the blanks around it and a closing run of #s that follows a blank.
    No text: an empty span where the closing run or the line's end begins."""
    body = text[start:end].rstrip(" \t")
    if body[-1:] == "#":
        before = body.rstrip("#")
        if before[-1:] in (" ", "\t"):  # a closing run
            body = before.rstrip(" \t")
            if not body:
                return start, start
    if not body:
        return end, end
    return start + len(body) - len(body.lstrip(" \t")), start + len(body)


def _setext_headings(note: Note) -> list[Heading]:
    text = note.text
    starts = note.line_starts
    headings: list[Heading] = []
    for m in _SETEXT_AFTER_NEWLINE.finditer(text, note.body_start):
        bar_start = m.start() + 1  # an underline at the body's start underlines nothing
        if bar_start <= note.body_start or note.region_at(bar_start) is not None:
            continue
        # Most candidates ("---", "- ") lie under a line no paragraph can end with.
        above = text[text.rfind("\n", 0, bar_start - 1) + 1 : bar_start - 1]
        if not above.strip() or _NOT_PARAGRAPH_LINE.match(above) or _ATX.match(above):
            continue
        para = _paragraph_above(note, bar_start)
        if para is None:
            continue
        first, last_end = para
        level = 1 if m.group("bar")[0] == "=" else 2
        lead = len(text[first:last_end]) - len(text[first:last_end].lstrip(" \t"))
        ts = first + lead
        te = last_end
        while te > ts and text[te - 1] in " \t":
            te -= 1
        end = end_of_line(text, bar_start)
        headings.append(
            Heading(level, text[ts:te], bisect_right(starts, first), first, end, ts, te, 0, 0, True)
        )
    return headings


def _paragraph_above(note: Note, bar_start: int) -> tuple[int, int] | None:
    """(start, end) of the plain paragraph a setext underline closes, if any."""
    text = note.text
    pos = bar_start
    first = -1
    last_end = -1
    while pos > note.body_start:
        line_end = pos - 1
        if line_end > 0 and text[line_end - 1] == "\r":
            line_end -= 1
        line_start = text.rfind("\n", 0, pos - 1) + 1
        line = text[line_start:line_end]
        if not line.strip():
            break
        region = note.region_at(line_start)
        if region is not None and region.kind in ("fence", "indented-code", "frontmatter"):
            break
        if last_end == -1:
            last_end = line_end
        if (
            _LIST_ITEM.match(line)
            or _QUOTE_LINE.match(line)
            or _TABLE_ROW.match(line)
            or line.startswith(("    ", "\t"))
            or (region is not None and region.kind != "code-span")
        ):
            return None
        if _ATX.match(line) or _SETEXT.match(line):
            break  # the paragraph starts below a heading or an underline
        first = line_start
        pos = line_start
    if first == -1 or first < note.body_start:
        return None
    return first, last_end


# --- fields ------------------------------------------------------------------

_LINE_PREFIX = r"(?P<prefix>(?:[ \t]*>)*[ \t]*(?:[-*+][ \t]+)?)"
_CODE_FIELD = _line_patterns(_LINE_PREFIX + r"`(?P<key>[^`\r\n]+?):`(?P<value>[^\r\n]*)")
_DATAVIEW_LINE = _line_patterns(
    _LINE_PREFIX + r"(?P<key>[^\s:`\[\]()>#*|-][^:`\[\]()\r\n|]*?)::(?P<value>[^\r\n]*)"
)
_DATAVIEW_INLINE = re.compile(
    r"(?<!\[)\[(?P<key>[^\[\]():`\r\n]+?)::(?P<value>[^\]\r\n]*)\](?!\])"
    r"|\((?P<pkey>[^\[\]():`\r\n]+?)::(?P<pvalue>[^)\r\n]*)\)"
)


def _fields(note: Note) -> tuple[list[FieldEntry], list[FieldEntry]]:
    """The note's fields, and those inside uncertain regions (see the module docstring)."""
    text = note.text
    fields: list[FieldEntry] = []
    uncertain: list[FieldEntry] = []
    fm = note.frontmatter
    if fm is not None and isinstance(fm.data, dict):
        fields.extend(_frontmatter_fields(note, fm))
    for m in _line_matches(_CODE_FIELD, text, note.body_start) if ":`" in text else ():
        tick = m.start("key") - 1
        region = note.region_at(tick)
        if region is not None and not (region.kind == "code-span" and region.start == tick):
            if region.uncertain:
                uncertain.append(
                    _field(note, m, "key", "value", "inline-code", m.start("prefix"), m.end())
                )
            continue
        # A line field ends with its line, as its value does.
        fields.append(_field(note, m, "key", "value", "inline-code", m.start("prefix"), m.end()))
    if "::" in text:
        for m in _line_matches(_DATAVIEW_LINE, text, note.body_start):
            entry = _field(note, m, "key", "value", "dataview", m.start("prefix"), m.end())
            _keep_field(note, m.start("key"), entry, fields, uncertain)
        for m in _DATAVIEW_INLINE.finditer(text, note.body_start):
            key, value = ("key", "value") if m.group("key") is not None else ("pkey", "pvalue")
            entry = _field(note, m, key, value, "dataview", m.start(), m.end())
            _keep_field(note, m.start(), entry, fields, uncertain)
    fields.sort(key=lambda f: f.start)
    uncertain.sort(key=lambda f: f.start)
    return fields, uncertain


def _keep_field(
    note: Note, at: int, entry: FieldEntry, fields: list[FieldEntry], uncertain: list[FieldEntry]
) -> None:
    region = note.region_at(at)
    if region is None:
        fields.append(entry)
    elif region.uncertain:
        uncertain.append(entry)


def _field(
    note: Note, m: re.Match[str], key: str, value: str, source: Any, start: int, end: int = -1
) -> FieldEntry:
    raw = m.group(value)
    lead = len(raw) - len(raw.lstrip())
    vs = m.start(value) + lead
    ve = vs + len(raw.strip())
    # Positional: key, value, source, line, start, end, value_start, value_end.
    return FieldEntry(
        m.group(key).strip(),
        raw.strip(),
        source,
        bisect_right(note.line_starts, start),
        start,
        end_of_line(note.text, start) if end < 0 else end,
        vs,
        ve,
    )


def _frontmatter_fields(note: Note, fm: Frontmatter) -> Iterator[FieldEntry]:
    spans: dict[str, tuple[int, int]] = {}
    for m in _FM_KEY.finditer(fm.raw):
        key = next(g for g in m.groups() if g is not None).strip()
        spans.setdefault(key, (fm.raw_start + m.start(), fm.raw_start + m.end()))
    for key, value in fm.data.items():
        name = str(key).strip()
        start, colon_end = spans.get(name, (fm.raw_start, fm.raw_start))
        end = end_of_line(note.text, start)
        text = _frontmatter_text(value)
        yield FieldEntry(
            key=name,
            value=text.strip(),
            source="frontmatter",
            line=note.line_of(start),
            start=start,
            end=end,
            value_start=min(colon_end + 1, end),
            value_end=end,
        )


# --- links ---------------------------------------------------------------------

# The inner text holds no line break, ``[[`` or ``]]`` (written so that runs of
# other characters are taken at once, not each behind a lookahead).
_WIKILINK = re.compile(r"\[\[(?P<inner>[^\[\]\r\n]*(?:(?:\[(?!\[)|\](?!\]))[^\[\]\r\n]*)*)\]\]")
_MD_LINK = re.compile(
    r"(?<![\\\]])(?P<bang>!?)\[(?P<text>(?:[^\[\]\r\n\\]|\\.|\[[^\[\]\r\n]*\])*)\]"
    r"\([ \t]*(?P<dest><[^<>\r\n]*>|[^\s()<>]*(?:\([^\s()]*\)[^\s()<>]*)*)"
    r"(?:[ \t]+(?:\"[^\"\r\n]*\"|'[^'\r\n]*'|\([^)\r\n]*\)))?[ \t]*\)"
)
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:|//")
_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})|%(?:2[3F5]|3[FA])", re.I)
_HTML_LINE = re.compile(r"(?:[ \t]*>)*[ \t]*<[A-Za-z/]")
_NO_LINKS_IN = frozenset(
    {"fence", "indented-code", "code-span", "html-comment", "math", "frontmatter"}
)


def _links(note: Note) -> list[Link]:
    links: list[Link] = []
    fm = note.frontmatter
    if fm is not None and isinstance(fm.data, dict):
        links.extend(_frontmatter_links(note, fm))
    text = note.text
    places = _LinkPlaces(note)
    wiki_spans: list[tuple[int, int]] = []
    for m in _WIKILINK.finditer(text, note.body_start):
        start = m.start()
        if start > 0 and text[start - 1] == "\\":
            continue  # \[[ is escaped: plain text
        bang = start > 0 and text[start - 1] == "!" and not (start > 1 and text[start - 2] == "\\")
        uncertain = places.uncertain(start)
        if uncertain is None:
            continue
        link = _wikilink(note, m, start - bang, uncertain)
        if link is not None:
            links.append(link)
            wiki_spans.append((link.start, link.end))
    wiki_starts = [s for s, _ in wiki_spans]
    markdown = _MD_LINK.finditer(text, note.body_start) if "](" in text else ()
    for m in markdown:
        i = bisect_right(wiki_starts, m.start()) - 1
        if i >= 0 and m.start() < wiki_spans[i][1]:
            continue  # the brackets belong to a wikilink
        uncertain = places.uncertain(m.start())
        if uncertain is None:
            continue
        link = _markdown_link(note, m, uncertain)
        if link is not None:
            links.append(link)
    links.sort(key=lambda lk: lk.start)
    return links


class _LinkPlaces:
    """Where in a note links may start, and where the spec leaves them open.

    What is known of a comment or a line is worked out once, not for each of
    its links (a note may hold 400,000 links, some lines thousands).
    """

    __slots__ = ("_comments", "_html", "_lines", "note")

    def __init__(self, note: Note) -> None:
        self.note = note
        self._html = "<" in note.text
        self._comments: dict[int, bool] = {}  # by start: whether its links are open
        self._lines: dict[int, bool] = {}  # by start: whether the line is HTML

    def uncertain(self, pos: int) -> bool | None:
        """None when no link can start at ``pos``; else whether the spec leaves it open."""
        note = self.note
        region = note.region_at(pos)
        if region is not None:
            if region.uncertain:
                return True
            if region.kind in _NO_LINKS_IN:
                return None
            if self._comment_is_open(region):
                return True
        if not self._html:
            return False
        line_start = _line_start(note, pos)
        html = self._lines.get(line_start)
        if html is None:
            html = self._lines[line_start] = bool(_HTML_LINE.match(note.text, line_start))
        return html  # OQ4: HTML

    def _comment_is_open(self, region: Region) -> bool:
        # Inline %% comments hold real links (R15); multi-line ones are OQ2, and
        # so is one standing alone on its line, which Obsidian reads as a block.
        known = self._comments.get(region.start)
        if known is None:
            text = self.note.text
            known = "\n" in text[region.start : region.end] or _starts_line(self.note, region.start)
            self._comments[region.start] = known
        return known


def _line_start(note: Note, pos: int) -> int:
    """The start of the line holding ``pos``, from the line-start table (``rfind``
    would walk back along the line, once per link on a long one)."""
    return note.line_starts[bisect_right(note.line_starts, pos) - 1]


def _text_starts_line(text: str, pos: int) -> bool:
    """``_starts_line`` without the line-start table (once per ``$$``, not per link)."""
    line_start = text.rfind("\n", 0, pos) + 1
    return not text[line_start:pos].strip(" \t>")


def _starts_line(note: Note, pos: int) -> bool:
    """Whether only blanks and quote markers stand before ``pos`` on its line."""
    return not note.text[_line_start(note, pos) : pos].strip(" \t>")


def _wikilink(note: Note, m: re.Match[str], start: int, uncertain: bool) -> Link | None:
    inner = m.group("inner")
    if not inner:
        return None
    inner_start = m.start("inner")
    display: str | None = None
    escaped_pipe = inner.find("\\|")
    if escaped_pipe > 0:
        if _TABLE_ROW.match(note.text, _line_start(note, start)):
            target, display = inner[:escaped_pipe], inner[escaped_pipe + 2 :]
        else:
            uncertain = True  # OQ5
            target, display = _split_pipe(inner)
    else:
        target, display = _split_pipe(inner)
    hash_at = target.find("#")
    path, subpath = (target, "") if hash_at == -1 else (target[:hash_at], target[hash_at:])
    if path != path.strip() or (display is not None and target != target.rstrip()):
        uncertain = True  # OQ1: spaces around the target
    # Positional (kind, raw, path, subpath, display, line, start, end, path_start,
    # path_end, uncertain): about 40,000 of these in a large vault.
    return Link(
        "embed" if start < m.start() else "wikilink",
        target,
        path,
        subpath,
        display,
        bisect_right(note.line_starts, start),
        start,
        m.end(),
        inner_start,
        inner_start + len(path),
        uncertain,
    )


def _split_pipe(inner: str) -> tuple[str, str | None]:
    # R11: a pipe with nothing before it is part of the target.
    pipe = inner.find("|", 1)
    if pipe == -1:
        return inner, None
    return inner[:pipe], inner[pipe + 1 :]


def _markdown_link(note: Note, m: re.Match[str], uncertain: bool) -> Link | None:
    dest = m.group("dest")
    dest_start = m.start("dest")
    if dest.startswith("<"):
        dest = dest[1:-1]
        dest_start += 1
    if not dest or _SCHEME.match(dest):
        return None
    hash_at = dest.find("#")
    raw_path, raw_sub = (dest, "") if hash_at == -1 else (dest[:hash_at], dest[hash_at:])
    if "%" in dest:
        if _PERCENT.search(dest):
            uncertain = True  # OQ8: reserved or malformed escapes
        path, subpath = unquote(raw_path), unquote(raw_sub)
    else:
        path, subpath = raw_path, raw_sub
    return Link(
        kind="markdown-embed" if m.group("bang") else "markdown",
        raw=dest,
        path=path,
        subpath=subpath,
        display=m.group("text"),
        line=note.line_of(m.start()),
        start=m.start(),
        end=m.end(),
        path_start=dest_start,
        path_end=dest_start + len(raw_path),
        uncertain=uncertain,
    )


def _frontmatter_links(note: Note, fm: Frontmatter) -> Iterator[Link]:
    """The frontmatter's links: a string value that is one quoted wikilink (R21),
    and, uncertain, wikilinks among other text in a value (``"see [[A]] too"``,
    OQ7): never reported, but a note they may point to is no orphan."""
    cursor = 0
    for key, value in _string_values(fm.data, None):
        whole = _WHOLE_WIKILINK.fullmatch(value)
        if whole is not None:
            inners = [whole.group(1)]
        elif "[[" in value:
            inners = [m.group(1) for m in _INNER_WIKILINK.finditer(value)]
        else:
            continue
        for inner in inners:
            written = "[[" + inner + "]]"
            at = fm.raw.find(written, cursor)
            if at == -1:
                at = fm.raw.find(written)
            if at == -1:
                continue  # written with YAML escapes: no exact span to point at
            cursor = at + len(written)
            start = fm.raw_start + at
            target, display = _split_pipe(inner)
            hash_at = target.find("#")
            path, subpath = (target, "") if hash_at == -1 else (target[:hash_at], target[hash_at:])
            yield Link(
                kind="frontmatter",
                raw=target,
                path=path,
                subpath=subpath,
                display=display,
                line=note.line_of(start),
                start=start,
                end=start + len(written),
                path_start=start + 2,
                path_end=start + 2 + len(path),
                # OQ7: links in aliases and tags, and among other text, are unverified.
                uncertain=whole is None
                or str(key).lower() in ("aliases", "tags", "alias", "tag")
                or path != path.strip(),
            )


def note_aliases(note: Note) -> tuple[str, ...]:
    """The note's aliases as Obsidian reads them (R46): the ``aliases`` property in any
    case (and the deprecated ``alias``), a list or a single string (a comma does not
    split it), strings only, trimmed; each once, in order."""
    fm = note.frontmatter
    return () if fm is None else _aliases_of(fm)


def text_aliases(text: str) -> tuple[str, ...]:
    """``note_aliases`` of a note's text without parsing the note: its frontmatter is
    loaded only when it names an alias at all (a quick test on its text)."""
    opening = _FM_OPEN.match(text)
    if opening is None:
        return ()
    close = _FM_CLOSE.search(text, opening.end())
    raw = text[opening.end() : len(text) if close is None else close.start()]
    if "alias" not in raw.lower():
        return ()
    fm = _parse_frontmatter(text)
    return () if fm is None else _aliases_of(fm)


def _aliases_of(fm: Frontmatter) -> tuple[str, ...]:
    if not isinstance(fm.data, dict):
        return ()
    found: dict[str, None] = {}
    for key, value in fm.data.items():
        if str(key).lower() not in ("aliases", "alias"):
            continue
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, str) and item.strip():
                found[item.strip()] = None
    return tuple(found)


def _string_values(data: Any, key: Any, seen: set[int] | None = None) -> Iterator[tuple[Any, str]]:
    """Every string in the frontmatter with its top-level key; each container once.

    Visiting a container once keeps YAML aliases (and alias bombs) linear.
    """
    if isinstance(data, str):
        yield key, data
        return
    if not isinstance(data, (dict, list)):
        return
    seen = set() if seen is None else seen
    if id(data) in seen:
        return
    seen.add(id(data))
    if isinstance(data, dict):
        for k, v in data.items():
            yield from _string_values(v, k if key is None else key, seen)
    else:
        for v in data:
            yield from _string_values(v, key, seen)


# --- tags and block ids --------------------------------------------------------

_TAG_CHAR = r"(?:[\w\-/]|[^\x00-\x7f\s\u00a0-\u00bf\u2000-\u206f\u3000-\u303f\ufeff])"
_TAG = re.compile(r"#(?P<name>" + _TAG_CHAR + r"+)")
# A whole tag name (without ``#``), as a body tag is read.
TAG_NAME = re.compile(_TAG_CHAR + r"+")
_NOT_BEFORE_TAG = re.compile(r"[\w#&/\\]")
_BLOCK_ID = re.compile(r"\^(?P<id>[A-Za-z0-9-]+)[ \t]*\r?$", re.M)
_NO_TAGS_IN = frozenset(
    {"fence", "indented-code", "code-span", "html-comment", "html", "math", "frontmatter"}
)


def _tags(note: Note) -> list[Tag]:
    tags: list[Tag] = []
    fm = note.frontmatter
    if fm is not None and isinstance(fm.data, dict):
        for key, value in fm.data.items():
            if str(key).lower() != "tags":
                continue
            items = value if isinstance(value, list) else [value]
            start = fm.raw_start
            for item in items:
                if isinstance(item, str) and item.strip():
                    tags.append(Tag(item.strip().lstrip("#"), note.line_of(start), start, start))
    link_spans = [(lk.start, lk.end) for lk in note.links if lk.kind != "frontmatter"]
    link_starts = [s for s, _ in link_spans]
    text = note.text
    for m in _TAG.finditer(text, note.body_start):
        if m.start() > 0 and _NOT_BEFORE_TAG.match(text, m.start() - 1):
            continue
        name = m.group("name").rstrip("/")
        if not name or name.isdigit() or all(c.isdigit() or c in "-_/" for c in name):
            continue
        region = note.region_at(m.start())
        if region is not None and region.kind in _NO_TAGS_IN:
            continue
        i = bisect_right(link_starts, m.start()) - 1
        if i >= 0 and m.start() < link_spans[i][1]:
            continue
        tags.append(Tag(name, note.line_of(m.start()), m.start(), m.start() + 1 + len(name)))
    return tags


def _block_ids(note: Note) -> list[BlockId]:
    ids: list[BlockId] = []
    text = note.text
    if "^" not in text:
        return ids
    # ``![[image.png]]^id``: Obsidian's own help uses it as a block id although R43
    # asks for a space before the caret; uncertain, so a link to it is not reported.
    embed_ends = {link.end for link in note.links if link.kind == "embed"}
    for m in _BLOCK_ID.finditer(text, note.body_start):
        caret = m.start()
        if caret > 0 and text[caret - 1] not in " \t\n" and caret not in embed_ends:
            continue  # a caret inside a word is not a block id
        region = note.region_at(caret)
        if region is not None and not region.uncertain:
            continue
        ids.append(BlockId(m.group("id"), note.line_of(caret), caret, m.end("id")))
    return ids


# --- the entry point -------------------------------------------------------------


_LONE_CR = re.compile(r"\r(?!\n)")
_LINE_BREAK = re.compile(r"\r\n?|\n")


def lf_view(text: str) -> str:
    """``text`` with every lone CR (a line break of its own) read as LF.

    The length and every offset are unchanged, so a scan for "\n" (or "\r?\n")
    finds all three CommonMark line endings: LF, CR and CRLF.
    """
    return _LONE_CR.sub("\n", text) if "\r" in text else text


def _newline_style(text: str) -> str:
    """The line break a note is written with: that of its first line."""
    m = _LINE_BREAK.search(text)
    return "\n" if m is None else m.group()


def parse_note(path: str, text: str) -> Note:
    """Parse ``text`` (decoded, without BOM) into a Note."""
    original = text
    text = lf_view(text)  # the parser reads this view; the note keeps the text as it is
    note = Note(
        path=path,
        text=text,
        newline=_newline_style(original),
        line_starts=line_starts(text),
    )
    fm = _parse_frontmatter(text)
    note.frontmatter = fm
    note.body_start = fm.end if fm is not None else 0
    regions = [Region(0, fm.end, "frontmatter")] if fm is not None and fm.end > 0 else []
    regions += _protected_regions(text, note.body_start, note.line_starts)
    note.regions = regions
    note._region_starts = [r.start for r in regions]
    note.headings, note.uncertain_headings = _headings(note)
    note.fields, note.uncertain_fields = _fields(note)
    note.links = _links(note)
    note.tags = _tags(note)
    note.block_ids = _block_ids(note)
    note.lf_text = text
    note.text = original
    return note
