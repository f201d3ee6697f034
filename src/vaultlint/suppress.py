"""Suppressions: directives in a note that silence findings, and which of them were unused.

Inline directives live in Obsidian comments or HTML comments, alone in the comment::

    %% vaultlint-disable-next-line broken-link %%
    %% vaultlint-disable-line emoji-heading, HD02 -- a reason may follow two dashes %%
    <!-- vaultlint-disable mojibake --> ... <!-- vaultlint-enable mojibake -->

Without rule names a directive applies to every rule; a ``disable`` without a
matching ``enable`` runs to the end of the note. The frontmatter key
``vaultlint-disable`` (``all``, or a list of rule names or codes) covers the
whole note. Directives are found only in the parser's comment regions, so one
inside code (a fence, a code span) never counts.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

from vaultlint.model import Edit, Finding, Fix, Note
from vaultlint.rules import get_rule

MARK = "vaultlint-"
KINDS = ("disable", "disable-line", "disable-next-line", "enable")
FRONTMATTER_KEY = "vaultlint-disable"
UNUSED = "unused-suppression"

_DIRECTIVE = re.compile(r"vaultlint-([A-Za-z-]*)(.*)\Z", re.DOTALL)
_SEPARATORS = re.compile(r"[\s,]+")
_COMMENT_KINDS = frozenset({"comment", "html-comment"})


@dataclass
class Directive:
    kind: str  # one of KINDS, "frontmatter", or what was written when unknown
    rules: frozenset[str] | None  # canonical rule names; None: every rule
    start: int  # the comment (or the frontmatter key's line)
    end: int
    line: int  # first and last line of the comment
    end_line: int
    text: str  # the directive as written, for messages
    unknown: tuple[str, ...] = ()  # names that are no rule
    problem: str | None = None  # set when the directive is malformed: it never applies
    inline: bool = True
    used: set[str] = field(default_factory=set)  # rule names it silenced

    def matches(self, rule: str) -> bool:
        return self.rules is None or rule in self.rules


@dataclass
class _Timeline:
    """Disables (sorted by their end) and the starts of the enables that may end them."""

    blocks: list[Directive]
    ends: list[int]
    enable_starts: list[int]

    def _in_force(self, pos: int) -> tuple[int, int]:
        """Where in ``blocks`` lie the disables ending at or before ``pos`` with no
        enable from their end to ``pos``: those ending after the last enable that
        starts before ``pos``."""
        k = bisect_left(self.enable_starts, pos)
        after = self.enable_starts[k - 1] if k else -1
        return bisect_right(self.ends, after), bisect_right(self.ends, pos)

    def in_force(self, pos: int) -> list[Directive]:
        first, stop = self._in_force(pos)
        return self.blocks[first:stop]

    def any_in_force(self, pos: int) -> bool:
        first, stop = self._in_force(pos)
        return first < stop


@dataclass
class Suppressions:
    directives: list[Directive] = field(default_factory=list)

    def __post_init__(self) -> None:
        valid = [d for d in self.directives if d.problem is None]
        self.whole = [d for d in valid if d.kind == "frontmatter"]
        self.lines = [d for d in valid if d.kind in ("disable-line", "disable-next-line")]
        self.blocks = [d for d in valid if d.kind == "disable"]
        self.enables = [d for d in valid if d.kind == "enable"]
        self._by_line: dict[int, list[Directive]] | None = None
        self._timelines: dict[tuple[str | None, bool], _Timeline] = {}
        self._named = sorted({r for d in self.blocks if d.rules is not None for r in d.rules})

    def _line_directives(self, line: int) -> list[Directive]:
        """The disable-line and disable-next-line directives that cover ``line``."""
        if self._by_line is None:
            self._by_line = {}
            for d in self.lines:
                if d.kind == "disable-line":
                    covered: Iterable[int] = range(d.line, d.end_line + 1)
                else:
                    covered = (d.end_line + 1,)
                for line_number in covered:
                    self._by_line.setdefault(line_number, []).append(d)
        return self._by_line.get(line, [])

    def _timeline(self, rule: str | None, naming: bool = False) -> _Timeline:
        """The disables that silence ``rule`` (with ``naming``, only those naming it)
        and the enables that end them: of every rule or of ``rule``. ``rule`` None:
        the disables and enables of every rule."""
        timeline = self._timelines.get((rule, naming))
        if timeline is None:
            if rule is None:
                blocks = [d for d in self.blocks if d.rules is None]
                enables = [e for e in self.enables if e.rules is None]
            else:
                blocks = [
                    d
                    for d in self.blocks
                    if (d.rules is None and not naming) or (d.rules is not None and rule in d.rules)
                ]
                enables = [e for e in self.enables if e.rules is None or rule in e.rules]
            blocks.sort(key=lambda d: d.end)
            ends = [d.end for d in blocks]
            timeline = _Timeline(blocks, ends, sorted(e.start for e in enables))
            self._timelines[(rule, naming)] = timeline
        return timeline

    def covering(self, finding: Finding) -> list[Directive]:
        """The directives that silence ``finding``."""
        rule = finding.rule
        found = [d for d in self.whole if d.matches(rule)]
        found += [d for d in self._line_directives(finding.line) if d.matches(rule)]
        if self.blocks:
            found += self._timeline(rule).in_force(finding.start)
        return found

    def enable_used(self, enable: Directive) -> bool:
        """Whether ``enable`` ends a disable that was still in force."""
        pos = enable.start
        if enable.rules is not None:
            return any(self._timeline(r).any_in_force(pos) for r in sorted(enable.rules))
        # An enable of every rule ends a disable of every rule, and each rule a disable names.
        if self._timeline(None).any_in_force(pos):
            return True
        return any(self._timeline(r, naming=True).any_in_force(pos) for r in self._named)


def find_suppressions(note: Note) -> Suppressions:
    """Every directive in the note: comment regions and the frontmatter key."""
    if MARK not in note.text:
        return Suppressions()
    text = note.lf_text
    directives = []
    fm = note.frontmatter
    if (
        fm is not None
        and fm.error is None
        and isinstance(fm.data, dict)
        and FRONTMATTER_KEY in fm.data
    ):
        directives.append(_frontmatter_directive(note, fm.data[FRONTMATTER_KEY]))
    for region in note.regions:
        if region.kind not in _COMMENT_KINDS:
            continue
        raw = text[region.start : region.end]
        if MARK not in raw:
            continue
        if region.kind == "comment":
            if len(raw) < 4 or not raw.endswith("%%"):
                continue  # an unclosed comment runs to the end of the note: no directive
            inner = raw[2:-2]
        else:
            if not raw.endswith("-->"):
                continue
            inner = raw[4:-3]
        directive = _parse_directive(inner.strip())
        if directive is None:
            continue
        directive.start, directive.end = region.start, region.end
        directive.line = note.line_of(region.start)
        directive.end_line = note.line_of(region.end - 1)
        directives.append(directive)
    return Suppressions(directives)


def _rules(names: Iterable[str]) -> tuple[frozenset[str], tuple[str, ...]]:
    known: set[str] = set()
    unknown: list[str] = []
    for name in names:
        rule = get_rule(name)
        if rule is None:
            unknown.append(name)
        else:
            known.add(rule.name)
    return frozenset(known), tuple(unknown)


def _parse_directive(inner: str) -> Directive | None:
    m = _DIRECTIVE.match(inner)
    if m is None:
        return None  # a comment that merely mentions vaultlint
    kind = m.group(1).lower()
    rest = m.group(2)
    directive = Directive(kind, None, 0, 0, 0, 0, " ".join(inner.split()))
    if kind not in KINDS or (rest and not rest[0].isspace()):
        written = inner.split()[0]
        directive.problem = (
            f"unknown suppression `{written}` "
            "(use vaultlint-disable, -disable-line, -disable-next-line or -enable)"
        )
        return directive
    names = [n for n in _SEPARATORS.split(rest.split("--", 1)[0]) if n]
    if names:
        directive.rules, directive.unknown = _rules(names)
    return directive


def _frontmatter_directive(note: Note, value: object) -> Directive:
    fm = note.frontmatter
    assert fm is not None
    start, end = fm.start, fm.start
    for entry in note.fields:
        if entry.source == "frontmatter" and entry.key == FRONTMATTER_KEY:
            start, end = entry.start, entry.end
            break
    line = note.line_of(start)
    directive = Directive(
        "frontmatter", None, start, end, line, line, f"{FRONTMATTER_KEY}: {value}", inline=False
    )
    if isinstance(value, str) and value.strip().lower() == "all":
        return directive
    if isinstance(value, str):
        names = [n for n in _SEPARATORS.split(value) if n]
    elif isinstance(value, list) and all(isinstance(v, str) for v in value):
        names = [v.strip() for v in value if v.strip()]
    else:
        directive.problem = (
            f"{FRONTMATTER_KEY}: expected `all` or a list of rule names or codes, got {value!r}"
        )
        return directive
    directive.rules, directive.unknown = _rules(names)
    return directive


def filter_findings(suppressions: Suppressions, findings: list[Finding]) -> list[Finding]:
    """The findings no directive silences; the directives record what they silenced."""
    if not suppressions.directives:
        return findings
    kept = []
    for finding in findings:
        covering = suppressions.covering(finding)
        for d in covering:
            d.used.add(finding.rule)
        if not covering:
            kept.append(finding)
    return kept


def unused_directives(
    note: Note, suppressions: Suppressions, enabled: Collection[str]
) -> list[tuple[Directive, str, Fix | None]]:
    """The directives that silenced nothing (after ``filter_findings``), with a message
    and a fix. ``enabled`` holds the rules run on the note: a directive naming only
    rules that did not run is not unused, as it may matter under another configuration.
    """
    return list(_unused(note, suppressions, enabled))


def silences_unused(suppressions: Suppressions, finding: Finding) -> bool:
    """Whether a directive naming unused-suppression itself silences this VL01 finding.

    Directives for every rule do not: they would hide their own reports.
    """
    return any(d.rules is not None for d in suppressions.covering(finding))


def _unused(
    note: Note, suppressions: Suppressions, enabled: Collection[str]
) -> Iterable[tuple[Directive, str, Fix | None]]:
    for d in suppressions.directives:
        quoted = f"`{d.text}`"
        if d.problem is not None:
            yield d, d.problem, None
            continue
        if d.unknown:
            names = ", ".join(repr(n) for n in d.unknown)
            plural = "s" if len(d.unknown) > 1 else ""
            yield d, f"unknown rule{plural} {names} in {quoted} (see `vaultlint rule --all`)", None
        if d.kind == "enable":
            if not suppressions.enable_used(d):
                yield (
                    d,
                    f"{quoted} re-enables nothing: no disable before it is in force",
                    _remove(note, d),
                )
            continue
        if d.rules is None:
            if not d.used:
                yield d, f"unused suppression {quoted}: it silenced nothing", _remove(note, d)
            continue
        relevant = {r for r in d.rules if r in enabled and r != UNUSED}
        unused = relevant - d.used
        if not unused:
            continue
        if unused == relevant and not d.used:
            fix = None if d.unknown else _remove(note, d)
            yield d, f"unused suppression {quoted}: it silenced nothing", fix
        else:
            names = ", ".join(sorted(unused))
            yield d, f"unused suppression of {names} in {quoted}: it silenced nothing", None


def _remove(note: Note, d: Directive) -> Fix | None:
    """Delete an inline directive, with its line when nothing else is on it (unsafe)."""
    if not d.inline:
        return None
    text = note.text
    line_start = note.line_starts[d.line - 1]
    _, line_end = note.line_span(d.end_line)
    if not text[line_start : d.start].strip() and not text[d.end : line_end].strip():
        next_start = note.line_starts[d.end_line] if d.end_line < note.line_count else len(text)
        prev = text[note.line_starts[d.line - 2] : line_start] if d.line > 1 else ""
        following = (
            text[next_start : note.line_span(d.end_line + 1)[1]]
            if d.end_line < note.line_count
            else ""
        )
        if prev.strip(" \t>\r\n") and following.strip(" \t>\r\n"):
            # Between two lines of text: a blank line keeps them apart, or they
            # would run together (and ``Title`` over ``===`` take the text above).
            return Fix((Edit(line_start, line_end, ""),), safe=False)
        return Fix((Edit(line_start, next_start, ""),), safe=False)
    start = d.start
    while start > line_start and text[start - 1] in " \t":
        start -= 1
    if start == line_start:  # keep the indentation; eat the spaces after instead
        start = d.start
        end = d.end
        while end < line_end and text[end] in " \t":
            end += 1
        return Fix((Edit(start, end, ""),), safe=False)
    return Fix((Edit(start, d.end, ""),), safe=False)
