"""No note makes a run superlinear.

Each pathological note is built at size n and 4n and timed (the best of a few
runs, garbage collection off): a linear algorithm takes about 4 times as long
at 4n, a quadratic one about 16 times. The tests ask for less than 8. The
faster algorithms are compared with the plain ones they replaced
(``oracles``) on generated input.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from unittest import mock

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pathological import (
    BOOKS,
    callout_summary,
    commented_links,
    disabled_blocks,
    disabled_lines,
    french_paragraph,
    inline_fences,
    link_index,
    link_line,
    outline,
    quoted_list,
    table_of_contents,
    trailing_spaces,
)

import oracles
import vaultlint.parse
from helpers import memory_index
from test_fixer_properties import Generated, _engine_for, notes
from vaultlint.config import Config, default_settings
from vaultlint.engine import Engine
from vaultlint.fixer import FixOutcome, fix_note, select_fixes
from vaultlint.links import LinkTargets
from vaultlint.model import Edit, Finding, Fix, Note, Region, Severity
from vaultlint.parse import _inline_regions, _LinkPlaces, parse_note
from vaultlint.rules import Context
from vaultlint.rules.text import IrregularWhitespace
from vaultlint.suppress import KINDS, Directive, Suppressions, find_suppressions

MAX_RATIO = 8
ORACLE_SETTINGS = settings(
    derandomize=True,
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


# --- timing -------------------------------------------------------------------------


def _best(run: Callable[[], object], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - started)
    return best


def growth(build: Callable[[int], str], run: Callable[[str], object], n: int) -> float:
    """How many times longer ``run`` takes on ``build(4 * n)`` than on ``build(n)``."""
    small, large = build(n), build(4 * n)
    gc.collect()
    gc.disable()
    try:
        run(small)  # warm up: imports, caches, regex compilation
        return _best(lambda: run(large), 2) / _best(lambda: run(small), 3)
    finally:
        gc.enable()


def assert_linear(build: Callable[[int], str], run: Callable[[str], object], n: int) -> None:
    """The growth is under MAX_RATIO; measured up to three times, as the machine may be busy."""
    ratios = []
    for _ in range(3):
        ratios.append(growth(build, run, n))
        if ratios[-1] < MAX_RATIO:
            return
    raise AssertionError(f"time at 4n / time at n: {', '.join(f'{r:.1f}' for r in ratios)}")


def parse(text: str) -> Note:
    return parse_note("Note.md", text)


def engine_for(text: str) -> Engine:
    index = memory_index({"Note.md": text})
    return Engine(Config(root=index.root, rules=default_settings()), index)


def check(text: str) -> list[Finding]:
    return engine_for(text).check(parse_note("Note.md", text))


def fix(text: str) -> FixOutcome:
    return fix_note(parse_note("Note.md", text), engine_for(text).check)


# --- the fixer ----------------------------------------------------------------------


def test_fix_is_linear_in_the_fixes_of_a_note() -> None:
    assert_linear(trailing_spaces, fix, 2_000)


def test_many_fixes_in_one_note_are_all_applied() -> None:
    outcome = fix(trailing_spaces(500))
    assert outcome.fixed["trailing-whitespace"] == 500
    assert " \n" not in outcome.note.text


@st.composite
def fixes(draw: st.DrawFn) -> Fix:
    edits = []
    for _ in range(draw(st.integers(1, 3))):
        start = draw(st.integers(0, 40))
        end = start + draw(st.sampled_from([0, 0, 1, 2, 5]))
        edits.append(Edit(start, end, draw(st.sampled_from(["", "x"]))))
    return Fix(tuple(edits), safe=draw(st.booleans()))


def _finding(fix: Fix, n: int) -> Finding:
    return Finding("Note.md", 1, 1, 1, 1, "rule", f"R{n:02}", Severity.WARNING, "m", fix)


@ORACLE_SETTINGS
@given(
    st.lists(fixes(), max_size=25),
    st.sampled_from(["", "---\nkey: [unclosed\n---\n", "---\nkey: x\n"]),
    st.booleans(),
)
def test_select_fixes_takes_what_the_pairwise_comparison_takes(
    chosen: list[Fix], frontmatter: str, unsafe: bool
) -> None:
    note = parse_note("Note.md", frontmatter + "x" * 50)
    findings = [_finding(f, i) for i, f in enumerate(chosen)]
    assert select_fixes(note, findings, unsafe) == oracles.select_fixes(note, findings, unsafe)


@ORACLE_SETTINGS
@given(notes(), st.booleans())
def test_select_fixes_agrees_with_the_oracle_on_generated_notes(
    gen: Generated, unsafe: bool
) -> None:
    engine, note = _engine_for(gen)
    findings = engine.check(note)
    assert select_fixes(note, findings, unsafe) == oracles.select_fixes(note, findings, unsafe)


# --- suppressions -------------------------------------------------------------------


def test_check_is_linear_in_disable_enable_pairs() -> None:
    assert_linear(disabled_blocks, check, 400)


def test_check_is_linear_in_disable_next_line_directives() -> None:
    assert_linear(disabled_lines, check, 1_000)


def test_the_pairs_silence_what_they_enclose() -> None:
    findings = check(disabled_blocks(50))
    # Each enable names mojibake, which found nothing: the enable of it ends no disable.
    assert {f.rule for f in findings} == {"unused-suppression"}


RULES = ["trailing-whitespace", "mojibake", "broken-link"]
rule_sets = st.one_of(st.none(), st.sets(st.sampled_from(RULES), min_size=1).map(frozenset))


@st.composite
def directive_lists(draw: st.DrawFn) -> list[Directive]:
    directives = []
    pos = line = 0
    for _ in range(draw(st.integers(0, 14))):
        pos += draw(st.integers(0, 3))
        line += draw(st.integers(0, 2))
        kind = draw(st.sampled_from([*KINDS, "disable", "enable", "frontmatter"]))
        size, lines = draw(st.integers(1, 4)), draw(st.integers(0, 1))
        directive = Directive(kind, draw(rule_sets), pos, pos + size, line, line + lines, kind)
        directives.append(directive)
        pos, line = pos + size, line + lines
    return directives


def _probe(rule: str, start: int, line: int) -> Finding:
    return Finding("Note.md", line, 1, line, 1, rule, "X", Severity.WARNING, "m", None, start)


@ORACLE_SETTINGS
@given(directive_lists(), st.lists(st.tuples(st.sampled_from(RULES), st.integers(0, 60))))
def test_suppressions_agree_with_every_pair_compared(
    directives: list[Directive], probes: list[tuple[str, int]]
) -> None:
    fast, plain = Suppressions(directives), oracles.Suppressions(directives)
    for rule, at in probes:
        for line in (at // 3, at // 3 + 1):
            finding = _probe(rule, at, line)
            assert fast.covering(finding) == plain.covering(finding)
    for enable in (d for d in directives if d.kind == "enable"):
        assert fast.enable_used(enable) == plain.enable_used(enable)


@ORACLE_SETTINGS
@given(notes())
def test_suppressions_agree_with_the_oracle_on_generated_notes(gen: Generated) -> None:
    index = memory_index({gen.path: gen.text})
    note = index.note(gen.path)
    assert note is not None
    unfiltered = Engine(
        Config(root=index.root, rules=default_settings()), index, ignore_suppressions=True
    )
    directives = find_suppressions(note).directives
    fast, plain = Suppressions(directives), oracles.Suppressions(directives)
    for finding in unfiltered.check(note):
        assert fast.covering(finding) == plain.covering(finding)
    for enable in fast.enables:
        assert fast.enable_used(enable) == plain.enable_used(enable)


# --- parsing: code spans and links --------------------------------------------------


def test_parsing_is_linear_in_code_spans_of_a_paragraph() -> None:
    assert_linear(quoted_list, parse, 4_000)


def test_parsing_is_linear_in_links_of_a_line() -> None:
    assert_linear(link_line, parse, 5_000)


def test_checking_is_linear_in_the_links_of_a_generated_index() -> None:
    """At 4n = 400,000 links, the 5 MB index that took 50 s to check and 105 s to fix."""
    assert_linear(link_index, check, 5_000)


def test_fixing_is_linear_in_the_links_of_a_generated_index() -> None:
    assert_linear(link_index, fix, 5_000)


def test_the_links_of_a_generated_index_resolve_and_its_spaces_are_fixed() -> None:
    text = link_index(3_000)
    index = memory_index({"Note.md": text, **BOOKS})
    engine = Engine(Config(root=index.root, rules=default_settings()), index)
    note = parse_note("Note.md", text)
    assert len(note.links) == 3_030
    assert [f.rule for f in engine.check(note)] == ["trailing-whitespace"] * 30
    outcome = fix_note(note, engine.check)
    assert outcome.fixed["trailing-whitespace"] == 30 and " \n" not in outcome.note.text


def test_parsing_is_linear_in_links_of_a_comment() -> None:
    assert_linear(commented_links, parse, 2_000)


def test_code_spans_of_a_long_list_are_all_found() -> None:
    note = parse_note("Note.md", quoted_list(300))
    assert sum(r.kind == "code-span" for r in note.regions) == 600


inline_texts = st.lists(
    st.sampled_from(["`", "``", "```", "a", " ", "\n", "\n\n", "\n \t\n", "$", "$$", "%%", "<!--"])
    | st.sampled_from(["-->", "\\`", "x y", "\r\n"]),
    max_size=30,
).map("".join)


@ORACLE_SETTINGS
@given(inline_texts, st.integers(0, 5), st.integers(0, 5))
def test_inline_regions_agree_with_searching_from_each_backtick(
    text: str, cut_start: int, cut_end: int
) -> None:
    start, end = min(cut_start, len(text)), max(len(text) - cut_end, 0)
    found: list[Region] = []
    _inline_regions(text, start, end, found)
    assert found == oracles.inline_regions(text, start, end)


@ORACLE_SETTINGS
@given(notes())
def test_link_places_agree_with_the_oracle_on_generated_notes(gen: Generated) -> None:
    note = parse_note(gen.path, gen.text)
    places = _LinkPlaces(note)
    for pos in range(len(note.text) + 1):
        assert places.uncertain(pos) == oracles.link_region_uncertain(note, pos)
    inline: list[Region] = []
    _inline_regions(note.lf_text, note.body_start, len(note.text), inline)
    assert inline == oracles.inline_regions(note.lf_text, note.body_start, len(note.text))


# --- parsing: block structure -------------------------------------------------------


def test_parsing_is_linear_in_headings_of_a_callout() -> None:
    assert_linear(callout_summary, parse, 3_000)


def test_parsing_is_linear_in_items_of_an_outline() -> None:
    assert_linear(outline, parse, 4_000)


def test_parsing_is_linear_in_backtick_runs_of_a_line() -> None:
    assert_linear(inline_fences, parse, 4_000)


def test_quoted_sections_end_with_the_callout() -> None:
    note = parse_note("Note.md", callout_summary(3) + "\nAfter the callout.\n")
    quoted = [h for h in note.headings if h.quote_depth]
    assert len(quoted) == 3
    assert quoted[-1].section_end == note.text.index("\n\nAfter") + 1  # the blank line


LINES = [
    "",
    "text",
    "> ## Heading",
    "> text",
    ">",
    "> > deeper",
    "- item",
    "  - sub",
    "    - nested",
    "\t- tabbed",
    "    code",
    "1. one",
    "```",
    "~~~",
    "a ```b``` c",
    "`a` and ``b`` and `",
    "---",
    "===",
    "# Top",
    "### Deep",
    "%%",
    "%% [[Alpha]] %%",
    "<div>[[Alpha]]</div>",
    "[[Alpha]] [t](Alpha.md)",
]
line_soups = st.lists(st.sampled_from(LINES), max_size=25).map("\n".join)


def parsed_with_oracles(path: str, text: str) -> Note:
    with (
        mock.patch.object(vaultlint.parse, "_NextMatch", oracles.SearchEachTime),
        mock.patch.object(vaultlint.parse, "_LineAbove", oracles.WalkEachTime),
        mock.patch.object(vaultlint.parse, "_LinkPlaces", oracles.LinkPlaces),
    ):
        return parse_note(path, text)


@ORACLE_SETTINGS
@given(line_soups | notes().map(lambda gen: gen.text))
def test_parsing_agrees_with_searching_and_walking_from_each_place(text: str) -> None:
    assert parse_note("Note.md", text) == parsed_with_oracles("Note.md", text)


# --- rules --------------------------------------------------------------------------


def test_irregular_whitespace_is_linear_in_the_spaces_of_a_line() -> None:
    assert_linear(french_paragraph, check, 500)


IRREGULAR_PIECES = [" ", "a", "é", "Ā", "\u00a0", "\u2003", "\u200b", "\u202f", "Ã©", "\n", "\r\n"]


@ORACLE_SETTINGS
@given(
    st.lists(st.sampled_from(IRREGULAR_PIECES), max_size=30).map("".join)
    | notes().map(lambda gen: gen.text)
)
def test_irregular_whitespace_agrees_with_slicing_each_line_again(text: str) -> None:
    rule = IrregularWhitespace({})
    note = parse_note("Note.md", text)
    context = Context(index=memory_index({"Note.md": text}), schemas=[])
    assert list(rule.check(note, context)) == list(oracles.irregular_whitespace(rule, note))


def test_checking_is_linear_in_heading_chains_into_a_long_note() -> None:
    assert_linear(table_of_contents, check, 1_000)


def test_the_chains_of_a_table_of_contents_all_resolve() -> None:
    findings = check(table_of_contents(100) + "- [[#Part 2#Chapter 1]]\n")
    assert [f.code for f in findings] == ["LK03"]  # chapter 1 comes before part 2


heading_names = st.sampled_from(["a", "b", "c", "d"])


@ORACLE_SETTINGS
@given(
    st.lists(st.tuples(st.integers(1, 6), heading_names), max_size=12),
    st.lists(heading_names, min_size=1, max_size=4),
)
def test_heading_chains_agree_with_walking_every_heading(
    headings: list[tuple[int, str]], parts: list[str]
) -> None:
    targets = LinkTargets.build([lv for lv, _ in headings], [t for _, t in headings], [])
    assert targets.has_heading_chain(parts) == oracles.has_heading_chain(targets, parts)
    assert targets.has_heading_chain(parts) == oracles.has_heading_chain(targets, parts)
