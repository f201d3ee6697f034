"""Property tests of the parser and the fixer on generated notes (issue #8).

Notes are composed from the constructs the parser knows: frontmatter (valid,
invalid, unclosed), ATX and setext headings with the noise pasted summaries
bring, callouts, lists, tables, fenced/tilde/indented code, inline code,
``%%``/HTML comments, inline and block math, fields, every link form,
suppression comments, emoji, mojibake, unusual spaces and trailing blanks,
with LF, CRLF or mixed line endings and optionally a BOM. Every rule enabled
by default runs (through the engine, shipped schemas included, so a note in
``Books/`` gets the schema rules), with and without ``--unsafe-fixes``.

The examples are derandomized (a fixed seed) so that CI runs the same cases
every time.
"""

from __future__ import annotations

import contextlib
import io
import tempfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from helpers import memory_index, write_vault
from test_parse import check_invariants
from vaultlint.cli import main
from vaultlint.config import Config, default_settings
from vaultlint.engine import Engine
from vaultlint.fixer import FixOutcome, applicable, apply_fixes, fix_note, select_fixes
from vaultlint.model import Edit, Finding, Note
from vaultlint.parse import parse_note
from vaultlint.vault import BOM

PROPERTY_SETTINGS = settings(
    derandomize=True,
    max_examples=800,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# --- the vault around the generated note ------------------------------------------

OTHER_FILES: dict[str, str | bytes] = {
    "Alpha.md": "# Alpha\n\n## Overview\n\nA paragraph ^blk1\n",
    "a b.md": "# A B\n",
    "Folder/Beta.md": "# Beta\n",
    "Books index.md": "# Books\n",
    "img.png": b"\x89PNG\r\n\x1a\n",
}

# --- the constructs -----------------------------------------------------------------

LINKS = [
    "[[Alpha]]",
    "[[Alpha|shown]]",
    "[[Alpha#Overview]]",
    "[[Alpha#Missing]]",
    "[[Alpha#^blk1]]",
    "[[Alpha#^nope]]",
    "[[Alpah]]",
    "[[Alpah#Overview|x]]",
    "[[Nowhere at all]]",
    "[[#Overview]]",
    "[[a b]]",
    "[[Folder/Beta]]",
    "[[Beta]]",
    "[[Alpha|]]",
    "[[]]",
    "\\[[Alpha]]",
    "![[img.png]]",
    "![[imgg.png]]",
    "![[img.png|100]]",
    "![[Alpha#Overview]]",
    "[t](Alpha.md)",
    "[t](Alpah.md)",
    "[t](<a b.md>)",
    "[t](a%20b.md)",
    "[t](Alpha.md#Overview)",
    "![pic](img.png)",
    "[web](https://example.com/#x)",
]

INLINE = [
    "Plain words",
    "Café",
    "Größe Ādaži",
    "📘",
    "🧠 emoji",
    "👩\u200d💻",
    "šŸ“˜",
    "ā€œWeā€ are",
    "Ã©",
    "itâ€™s",
    "Ā\u00a0",
    "« oui\u00a0»",
    "10\u202fkm",
    "zero\u200bwidth",
    "em\u2003space",
    "tab\there",
    "`code  `",
    "`šŸ“˜`",
    "``a ` b``",
    "%%hidden šŸ“˜%%",
    "<!-- html Ã© -->",
    "$x^2 \u00a0$",
    "$5 and $6",
    "\\$",
    "#tag",
    "#book",
    "#123",
    "**bold**",
    "*it*",
    "<span>x</span>",
    "^blk2",
    "`Author:`",
    "::",
    "[key:: value]",
    *LINKS,
]

TRAILING = ["", "", "", " ", "  ", "   ", "\t", "\u00a0", " \u00a0", "Ā\u00a0", "\u200b"]

HEADING_TEXTS = [
    "Title",
    "Overview",
    "📘",
    "**📘**",
    "**šŸ“˜**",
    "**šŸ§\u00a0**Ā\u00a0",
    "✨ ✨",
    "**Title**",
    "_Mind as Flow_",
    "__Under__",
    "**A** and **B**",
    "**1.**",
    "1.",
    "IV.",
    "2)",
    "****",
    "",
    "Café Ã©",
    "[[Alpha]]",
    "`code`",
    "#tag",
    "Closing ##",
    "Key Takeaways",
    "Quotes",
    "Notes",
    "Summary",
]


def _line(parts: list[str], trail: str) -> str:
    return " ".join(parts) + trail


inline_line = st.builds(
    _line, st.lists(st.sampled_from(INLINE), min_size=1, max_size=4), st.sampled_from(TRAILING)
)


@st.composite
def atx_heading(draw: st.DrawFn) -> str:
    hashes = "#" * draw(st.integers(1, 6))
    text = draw(st.sampled_from(HEADING_TEXTS))
    quote = draw(st.sampled_from(["", "", "> "]))
    return f"{quote}{hashes} {text}{draw(st.sampled_from(TRAILING))}".rstrip(" ") + draw(
        st.sampled_from(TRAILING)
    )


@st.composite
def fragment_pair(draw: st.DrawFn) -> str:
    hashes = "#" * draw(st.integers(2, 5))
    number = draw(st.sampled_from(["**1.**", "1.", "**IV.**", "2)", "_a)_"]))
    title = draw(st.sampled_from(["**Title**", "Mind as Flow", "**šŸ“˜ Title**", "_It_"]))
    trail = draw(st.sampled_from(TRAILING))
    return f"{hashes} {number}{trail}\n{hashes} {title}"


BLOCKS_FIXED = [
    "Title\n===",
    "Sub title \n---",
    "---",
    "***",
    "",
    "",
    "```python\ncode   \n# not a heading \nšŸ“˜ \u00a0\n```",
    "~~~\n## 📘\n[[Nowhere at all]] \n~~~",
    "````\n```\ninner\n```\n````",
    "```\nunclosed fence \n",
    "Text before\n\n    indented code   \n    more  ",
    "$$\nx^2 \u00a0\n\\text{šŸ“˜}\n$$",
    "%%\n## 📘\nhidden \n%%",
    "%% unclosed comment \n[[Alpah]]",
    "<!-- multi \nline Ã© -->",
    "| a | b |\n|---|---|\n| [[Alpha\\|x]] | y  |",
    "- [ ] task \n- [x] done\u00a0",
    "%% vaultlint-disable-next-line broken-link %%\n[[Nowhere at all]]",
    "%% vaultlint-disable-next-line mojibake %%",
    "<!-- vaultlint-disable-line --> text",
    "<!-- vaultlint-disable trailing-whitespace -->\nkept \n<!-- vaultlint-enable -->",
    "<!-- vaultlint-enable mojibake -->",
    "%% vaultlint-disable bogus-rule %%",
    "`Author:` Frank Herbert",
    "`Knowledge Base:` [[Books index]]",
    "Concepts:: [[Alpha]]",
    "- `Availability:` Library ",
    "Author::",
    "A paragraph ^blk3",
    "## Notes\n\ncontent",
]


@st.composite
def callout(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["note", "info", "tip|fold", "NOTE"]))
    lines = draw(st.lists(st.one_of(inline_line, atx_heading()), min_size=0, max_size=3))
    return "\n".join(
        [f"> [!{kind}] {draw(st.sampled_from(['', 'Title', '📘']))}"]
        + ["> " + line for line in lines]
    )


@st.composite
def list_block(draw: st.DrawFn) -> str:
    items = draw(st.lists(inline_line, min_size=1, max_size=3))
    markers = draw(st.lists(st.sampled_from(["- ", "* ", "1. ", "  - ", "    - "]), min_size=3))
    return "\n".join(m + item for m, item in zip(markers, items, strict=False))


block = st.one_of(
    inline_line,
    atx_heading(),
    fragment_pair(),
    callout(),
    list_block(),
    st.sampled_from(BLOCKS_FIXED),
)

VALID_FRONTMATTER = [
    "---\nAuthor: Frank Herbert\ntags: [book, reading]\n---",
    "---\ntitle: Café šŸ“˜  \ntags:\n  - a\n  - b\n---",
    '---\nrelated: "[[Alpah]]"\naliases: ["[[Alpha]]"]\n---',
    "---\n---",
    "---\nvaultlint-disable: [mojibake]\n---",
    "---\ntype: book\n---",
    "---\nnbsp: a\u00a0 \n---",
]
INVALID_FRONTMATTER = [
    "---\nkey: [unclosed\n---",
    "---\na: b: c\n---",
    "---\n- a list\n- not a mapping\n---",
    '---\ntitle: "x \n---',
    "---\n\tbad: tab \n---",
    "---\nx: !!python/object/apply:os.system ['true']\n---",
    "---\nAuthor: šŸ“˜ \nkey: [unclosed \u00a0\n---",
]
UNCLOSED_FRONTMATTER = "---\ntitle: x \nno end \u00a0"


@dataclass
class Generated:
    path: str
    text: str  # as decoded from the file: no BOM, line endings as written
    bom: bool

    def data(self) -> bytes:
        return (BOM if self.bom else b"") + self.text.encode("utf-8")


@st.composite
def notes(draw: st.DrawFn, frontmatter: st.SearchStrategy[str] | None = None) -> Generated:
    if frontmatter is None:
        frontmatter = st.one_of(
            st.just(""),
            st.just(""),
            st.sampled_from(VALID_FRONTMATTER),
            st.sampled_from(VALID_FRONTMATTER),
            st.sampled_from([*INVALID_FRONTMATTER, UNCLOSED_FRONTMATTER]),
        )
    parts = [draw(frontmatter)]
    parts += draw(st.lists(block, max_size=12))
    if not parts[0]:
        del parts[0]  # no frontmatter
    text = "\n".join(parts)
    if draw(st.booleans()):
        text += "\n"
    endings = draw(st.sampled_from(["lf", "lf", "crlf", "crlf", "mixed"]))
    if endings == "crlf":
        text = text.replace("\n", "\r\n")
    elif endings == "mixed":
        lines = text.split("\n")
        flags = draw(st.lists(st.booleans(), min_size=len(lines), max_size=len(lines)))
        text = "".join(
            line + ("" if i == len(lines) - 1 else "\r\n" if crlf else "\n")
            for i, (line, crlf) in enumerate(zip(lines, flags, strict=True))
        )
    path = draw(st.sampled_from(["Note.md", "Note.md", "Books/Note.md"]))
    return Generated(path, text, draw(st.booleans()))


# --- running the engine -------------------------------------------------------------


def _engine_for(gen: Generated) -> tuple[Engine, Note]:
    files = {p: c if isinstance(c, str) else "" for p, c in OTHER_FILES.items()}
    index = memory_index({**files, gen.path: gen.text})
    note = index.note(gen.path)
    assert note is not None
    note.bom = gen.bom
    return Engine(Config(root=index.root, rules=default_settings()), index), note


@dataclass
class Pass:
    before: str
    after: str
    edits: list[Edit]  # sorted, as applied
    newline: str  # the note's line break, which replacements are written with


def replay(note: Note, check: Callable[[Note], list[Finding]], unsafe: bool) -> list[Pass]:
    """The fixer's passes, step by step, recording the edits each pass applied.

    The same calls as ``fix_note``; the test checks that the end text is the
    same as ``fix_note``'s, so the recorded edits are the ones it applied.
    """
    passes: list[Pass] = []
    current = note
    findings = check(current)
    while True:
        chosen = select_fixes(current, findings, unsafe)
        if not chosen:
            return passes
        text = apply_fixes(current.text, (fix for _, fix in chosen), current.newline)
        edits = sorted((e for _, fix in chosen for e in fix.edits), key=lambda e: (e.start, e.end))
        passes.append(Pass(current.text, text, edits, current.newline))
        current = parse_note(note.path, text)
        current.bom = note.bom
        findings = check(current)
        assert len(passes) <= 10


def check_spans(note: Note) -> None:
    """The parser's spans lie in the text and never split a CRLF pair."""
    check_invariants(note, note.text)
    text = note.text
    offsets: list[int] = [note.body_start]
    fm = note.frontmatter
    if fm is not None:
        offsets += [fm.start, fm.end, fm.raw_start, fm.raw_start + len(fm.raw)]
        assert text[fm.raw_start : fm.raw_start + len(fm.raw)] == fm.raw
    for h in note.headings:
        offsets += [h.start, h.end, h.text_start, h.text_end, h.section_end]
        assert text[h.text_start : h.text_end] == h.text
        assert note.line_of(h.start) == h.line
    for f in note.fields:
        offsets += [f.start, f.end, f.value_start, f.value_end]
        assert f.start <= f.end and f.value_start <= f.value_end
    for link in note.links:
        offsets += [link.start, link.end, link.path_start, link.path_end]
        assert note.line_of(link.start) == link.line
    for tag in note.tags:
        offsets += [tag.start, tag.end]
    for block in note.block_ids:
        offsets += [block.start, block.end]
        assert text[block.start] == "^" and text[block.start + 1 : block.end] == block.id
    for region in note.regions:
        offsets += [region.start, region.end]
    for pos in offsets:
        assert 0 <= pos <= len(text)
        assert not (0 < pos < len(text) and text[pos - 1] == "\r" and text[pos] == "\n"), (
            pos,
            text,
        )


def check_findings(note: Note, findings: list[Finding]) -> None:
    """Findings and their fixes point into the text; a fix's edits do not overlap."""
    n = len(note.text)
    for f in findings:
        assert 0 <= f.start <= f.end <= n, f
        assert (f.line, f.column) == note.position(f.start), f
        assert (f.end_line, f.end_column) == note.position(f.end), f
        if f.fix is None:
            continue
        edits = sorted(f.fix.edits, key=lambda e: (e.start, e.end))
        assert edits, f
        for e in edits:
            assert 0 <= e.start <= e.end <= n, f
        for a, b in pairwise(edits):
            assert a.end <= b.start, f


def check_pass_keeps_the_rest(step: Pass) -> None:
    """Every character outside the pass's edits is in the new text, in order.

    Walks the new text alongside the old one: each stretch between edits must
    appear verbatim at its place, and each edit's place must hold its
    replacement, with line breaks written in the note's style.
    """
    old, new = step.before, step.after
    pos_old = pos_new = 0
    for edit in step.edits:
        gap = old[pos_old : edit.start]
        assert new[pos_new : pos_new + len(gap)] == gap, (edit, old, new)
        pos_new += len(gap)
        written = edit.replacement
        if step.newline == "\r\n":
            written = written.replace("\r\n", "\n").replace("\n", "\r\n")
        assert new[pos_new : pos_new + len(written)] == written, (edit, old, new)
        pos_new += len(written)
        pos_old = edit.end
    assert new[pos_new:] == old[pos_old:], (old, new)


# The unsafe fix of a missing field (section) inserts it empty, by design: a value
# (content) is never invented. The missing one becomes an empty one, one problem.
_SAME_PROBLEM = {"SC01": "SC01/SC02", "SC02": "SC01/SC02", "SC03": "SC03/SC04", "SC04": "SC03/SC04"}


def _unsettled(findings: list[Finding], unsafe: bool, before: bool = False) -> Counter[str]:
    """Per problem, the findings the fixer cannot settle (no applicable fix).

    Before fixing, a missing field or section counts even when fixable, since
    its fix leaves an empty one.
    """
    return Counter(
        _SAME_PROBLEM.get(f.code, f.code)
        for f in findings
        if not applicable(f, unsafe) or (before and f.code in ("SC01", "SC03"))
    )


def _silenced(engine: Engine, note: Note) -> bool:
    """Whether the note's suppressions silence any finding."""
    audit = Engine(engine.config, engine.ctx.index, ignore_suppressions=True)
    shown = [f for f in engine.check(note) if f.code != "VL01"]
    return len(audit.check(note)) > len(shown)


def _repaired(engine: Engine, note: Note, unsafe: bool) -> Note:
    """The note with only its characters repaired (mojibake, unusual spaces, trailing blanks)."""
    text_rules = Engine(engine.config, engine.ctx.index, select=["TX01", "TX02", "TX03"])
    return fix_note(note, text_rules.check, unsafe=unsafe).note


# --- the properties -----------------------------------------------------------------


@PROPERTY_SETTINGS
@given(notes())
def test_parser_never_raises_and_every_span_lies_in_the_text(gen: Generated) -> None:
    engine, note = _engine_for(gen)
    check_spans(note)
    check_findings(note, engine.check(note))


def _fix_properties(gen: Generated, unsafe: bool) -> FixOutcome:
    """Every property of issue #8 on one note; returns the outcome for more checks.

    - idempotent: fixing the fixed text changes nothing;
    - every character outside the edits of the applied fixes is kept, in order
      (checked pass by pass, on the passes replayed with the fixer's functions);
    - the fixer settles what it can: no finding with an applicable fix is left;
    - no fix creates a finding the fixer cannot settle: per rule code, the
      findings left after ``--fix`` are at most the findings that had no
      applicable fix before it (a *new* finding is one more of a code than the
      original note had unfixable ones; a finding that moved is not new; a
      missing field or section that the unsafe fix inserted empty and that is
      then reported empty is the same problem, not a new one; and an unused
      suppression (VL01) is not new when the note's suppressions silenced
      something before: a fix removed what it silenced, and VL01 says so; nor
      is a finding that the note has once only its characters are repaired,
      which the damage hid rather than a fix created: ``#bookĀ\xa0`` is the
      tag ``#book``, which makes the note a book, and ``Author:`` followed by
      a damaged no-break space is an empty field; nor is a finding whose fix
      was refused as it would empty the note or make two headings one, when the
      note had findings of that rule: it is one of them, left unfixed);
    - a frontmatter that failed to parse (or is not closed) is kept as it was;
    - line endings: an LF note gets no CR, a CRLF note no bare LF.
    """
    engine, note = _engine_for(gen)
    before = engine.check(note)
    outcome = fix_note(note, engine.check, unsafe=unsafe)
    passes = replay(note, engine.check, unsafe)
    final = passes[-1].after if passes else note.text
    assert final == outcome.note.text
    for step in passes:
        check_pass_keeps_the_rest(step)
        check_spans(parse_note(gen.path, step.after))
    check_findings(outcome.note, outcome.findings)
    assert outcome.note.bom == gen.bom

    again = fix_note(outcome.note, engine.check, unsafe=unsafe)
    assert not again.changed and again.note.text == outcome.note.text, again.fixed

    assert [f for f in outcome.findings if applicable(f, unsafe)] == []
    unsettled = _unsettled(before, unsafe, before=True)
    unsettled |= _unsettled(engine.check(_repaired(engine, note, unsafe)), unsafe, before=True)
    new = _unsettled(outcome.findings, unsafe) - unsettled
    if new["VL01"] and _silenced(engine, note):
        del new["VL01"]  # a fix removed what a suppression silenced: it is unused now
    # A fix the guard refused (it would empty the note or make two headings one) leaves
    # a problem the note had, which says why: not a new one.
    refused = Counter(f.code for f in outcome.findings if "(not fixed: " in f.message)
    new -= Counter(
        {code: min(n, Counter(f.code for f in before)[code]) for code, n in refused.items()}
    )
    assert not new, (new, [f.message for f in outcome.findings if f.code in new])

    fm = note.frontmatter
    if fm is not None and fm.error is not None:
        assert outcome.note.text[: fm.end] == note.text[: fm.end]
        assert outcome.note.frontmatter is not None
        assert outcome.note.frontmatter.raw == fm.raw

    text, fixed = note.text, outcome.note.text
    if "\r" not in text:
        assert "\r" not in fixed
    if "\r\n" in text and text.count("\n") == text.count("\r\n"):
        assert fixed.count("\n") == fixed.count("\r\n")
    return outcome


@PROPERTY_SETTINGS
@given(notes())
def test_safe_fixes_keep_everything_else_and_settle(gen: Generated) -> None:
    _fix_properties(gen, unsafe=False)


@PROPERTY_SETTINGS
@given(notes())
def test_unsafe_fixes_keep_everything_else_and_settle(gen: Generated) -> None:
    _fix_properties(gen, unsafe=True)


@PROPERTY_SETTINGS
@given(notes(frontmatter=st.sampled_from([*INVALID_FRONTMATTER, UNCLOSED_FRONTMATTER])))
def test_a_frontmatter_that_fails_to_parse_is_kept_byte_for_byte(gen: Generated) -> None:
    engine, note = _engine_for(gen)
    fm = note.frontmatter
    assert fm is not None and fm.error is not None
    head = gen.data()[: len(BOM) * gen.bom + len(note.text[: fm.end].encode())]
    outcome = fix_note(note, engine.check, unsafe=True)
    data = (BOM if outcome.note.bom else b"") + outcome.note.text.encode("utf-8")
    assert data.startswith(head)
    assert any(f.rule == "frontmatter-syntax" for f in outcome.findings)


@PROPERTY_SETTINGS
@given(notes(), st.booleans())
def test_crlf_notes_are_fixed_like_lf_notes(gen: Generated, unsafe: bool) -> None:
    """The same note with CRLF line endings gets the same fixes, in CRLF."""
    lf = Generated(gen.path, gen.text.replace("\r\n", "\n"), gen.bom)
    assume("\n" in lf.text)  # a note without line breaks has no style to keep
    crlf = Generated(gen.path, lf.text.replace("\n", "\r\n"), gen.bom)
    fixed = [
        fix_note(note, engine.check, unsafe=unsafe).note.text
        for engine, note in map(_engine_for, (lf, crlf))
    ]
    assert fixed[1] == fixed[0].replace("\n", "\r\n")


# --- through the real write path ----------------------------------------------------


@settings(PROPERTY_SETTINGS, max_examples=80)
@given(notes())
def test_fix_through_the_cli_writes_what_the_fixer_computed(gen: Generated) -> None:
    """``check --fix --unsafe-fixes`` on a vault on disk: the bytes written are
    the in-memory fix of the note, with its BOM and line endings."""
    engine, note = _engine_for(gen)
    expected = fix_note(note, engine.check, unsafe=True).note.text
    with tempfile.TemporaryDirectory() as tmp:
        vault = write_vault(Path(tmp), {**OTHER_FILES, gen.path: gen.data()})
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["check", "--fix", "--unsafe-fixes", str(vault)])
        assert code in (0, 1), err.getvalue()
        assert "Traceback" not in err.getvalue() and "error" not in err.getvalue()
        data = (vault / gen.path).read_bytes()
        assert data.startswith(BOM) == gen.bom
        assert data == (BOM if gen.bom else b"") + expected.encode("utf-8")
        for path, content in OTHER_FILES.items():
            if path != gen.path:
                raw = content if isinstance(content, bytes) else content.encode()
                assert (vault / path).read_bytes() == raw, path
        leftovers = [p.name for p in vault.rglob("*") if p.name.endswith(".vaultlint-tmp")]
        assert leftovers == []
