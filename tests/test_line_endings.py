"""LF, CR and CRLF each end a line (CommonMark): in every construct, rule, fix and diff."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from helpers import write_vault
from test_fixer_properties import Generated, _engine_for, notes
from vaultlint.cli import main
from vaultlint.fixer import apply_fixes, fix_note, split_lines, unified_diff
from vaultlint.model import Edit, Finding, Fix, Note
from vaultlint.parse import parse_note

# A book note with a summary pasted from a chat assistant: decoration headings
# (``### **📗**``) and a bold one, which --fix deletes and unwraps.
BOOK = """`Author:` Ursula K. Le Guin
`Availability:` Library
`Concepts:` [[Anarchism]], [[Utopia]]

# The Dispossessed

## Summary
### **📗**
### **Overview**
A summary pasted from a chat assistant… #books/fiction
### **🧭**

## Quotes
> "You cannot buy the revolution. You can only be the revolution." ^rev

## Notes
See [[Anarres#Abbenay]] and [the map](Maps/Anarres.md).
"""
BOOK_FIXED = BOOK.replace("### **📗**\n### **Overview**\n", "### Overview\n").replace(
    "### **🧭**\n", ""
)
OTHERS = {
    "Anarres.md": "# Anarres\n## Abbenay\n",
    "Maps/Anarres.md": "# Map\n",
    "Anarchism.md": "# Anarchism\n",
    "Utopia.md": "# Utopia\n",
}
FOUND = [  # (line, column, code) of BOOK's findings
    (8, 1, "HD01"),
    (9, 5, "HD03"),
    (11, 1, "HD01"),
]


def _vault(tmp_path: Path, book: str) -> Path:
    return write_vault(tmp_path / "vault", {**OTHERS, "Book.md": book.encode()})


def _findings(vault: Path, capsys: pytest.CaptureFixture[str]) -> list[tuple[int, int, str]]:
    code = main(["check", str(vault), "--no-cache", "--output-format", "json", "--strict"])
    out = capsys.readouterr().out
    assert code == 1
    return [(f["line"], f["column"], f["code"]) for f in json.loads(out) if f["path"] == "Book.md"]


def _fix(vault: Path, capsys: pytest.CaptureFixture[str]) -> bytes:
    main(["check", "--fix", str(vault), "--no-cache", "-q"])
    capsys.readouterr()
    return (vault / "Book.md").read_bytes()


@pytest.mark.parametrize("newline", ["\r", "\r\n"], ids=["cr", "crlf"])
def test_book_note_with_cr_or_crlf_endings_is_checked_and_fixed_like_lf(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], newline: str
) -> None:
    vault = _vault(tmp_path, BOOK.replace("\n", newline))
    assert _findings(vault, capsys) == FOUND
    assert _fix(vault, capsys) == BOOK_FIXED.replace("\n", newline).encode()
    for name, text in OTHERS.items():
        assert (vault / name).read_bytes() == text.encode()


def test_lf_note_with_stray_crs_loses_only_the_fixed_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A stray CR ends the decoration heading's line, another the Quotes heading's.
    stray = BOOK.replace("### **📗**\n", "### **📗**\r").replace("## Quotes\n", "## Quotes\r")
    vault = _vault(tmp_path, stray)
    assert _findings(vault, capsys) == FOUND
    fixed = _fix(vault, capsys)
    assert fixed == BOOK_FIXED.replace("## Quotes\n", "## Quotes\r").encode()


def test_cr_only_chat_summary_keeps_everything_but_its_decoration_heading(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Read to the next LF, the heading's line was the whole note, and deleted.
    text = "## **📗**\r## Overview\rA long summary.\r## Quotes\r> A quote.\r"
    vault = write_vault(tmp_path / "vault", {"Chat.md": text})
    main(["check", "--fix", str(vault), "--no-cache", "-q"])
    capsys.readouterr()
    assert (vault / "Chat.md").read_bytes() == text.removeprefix("## **📗**\r").encode()


def test_cr_only_note_fixed_by_an_insertion_is_written_with_cr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Deleting a heading between two paragraph lines leaves a blank line: a line
    # break the fix writes, which must be the note's own.
    text = "# Log\rMonday was long.\r### ✨\rTuesday was short.\r"
    vault = write_vault(tmp_path / "vault", {"Log.md": text})
    main(["check", "--fix", "--unsafe-fixes", str(vault), "--no-cache", "-q"])
    capsys.readouterr()
    assert (vault / "Log.md").read_bytes() == b"# Log\rMonday was long.\r\rTuesday was short.\r"


@pytest.mark.parametrize(
    ("text", "edit", "newline", "expected"),
    [
        # An LF note whose last line ends with a stray CR gets a section appended.
        ("# A\n- #book\r", Edit(13, 13, "\n## Notes\n"), "\n", "# A\n- #book\r\r## Notes\n"),
        # A heading deleted between a CR-ended line and an LF-ended one.
        ("One.\r### ✨\nTwo.\n", Edit(5, 10, ""), "\n", "One.\r\rTwo.\n"),
        ("One.\r### ✨\nTwo.\r\n", Edit(5, 10, ""), "\r\n", "One.\r\r\nTwo.\r\n"),
    ],
)
def test_an_edit_never_joins_a_lone_cr_and_an_lf_into_one_line_break(
    text: str, edit: Edit, newline: str, expected: str
) -> None:
    fixed = apply_fixes(text, [Fix((edit,))], newline)
    assert fixed == expected
    assert parse_note("a.md", fixed).line_count == parse_note("a.md", expected).line_count


def test_an_edit_keeps_a_crlf_it_does_not_touch() -> None:
    assert apply_fixes("a\r\nb", [Fix((Edit(1, 1, ""),))], "\r\n") == "a\r\nb"


def test_each_construct_ends_at_a_lone_cr() -> None:
    text = (
        "---\rtags: [book]\rup: '[[Home]]'\r---\r"
        "# Title\r## **📗**\rAuthor:: Le Guin\r`Rating:` 5\r"
        "[[Dune]] #scifi ^b1\r```\r# not a heading\r```\rText\r===\r"
    )
    note = parse_note("a.md", text)
    assert note.newline == "\r"
    assert note.frontmatter is not None and note.frontmatter.data == {
        "tags": ["book"],
        "up": "[[Home]]",
    }
    assert [(h.text, h.line, h.setext) for h in note.headings] == [
        ("Title", 5, False),
        ("**📗**", 6, False),
        ("Text", 13, True),
    ]
    assert [(f.key, f.value, f.line) for f in note.fields if f.source != "frontmatter"] == [
        ("Author", "Le Guin", 7),
        ("Rating", "5", 8),
    ]
    assert [(lk.path, lk.line) for lk in note.links] == [("Home", 3), ("Dune", 9)]
    assert [t.name for t in note.tags] == ["book", "scifi"]
    assert [(b.id, b.line) for b in note.block_ids] == [("b1", 9)]
    heading = note.headings[1]
    assert text[heading.start : heading.end] == "## **📗**"
    assert note.headings[0].section_end == text.index("Text\r===")  # the next H1's line
    assert note.region_at(text.index("# not")).kind == "fence"


# --- the property: any mix of endings parses as the same text with LF ----------

LINES = [
    "",
    "---",
    "title: Dune",
    "tags: [book, scifi]",
    "# The Dispossessed",
    "## **📗**",
    "### **Overview** ###",
    "> [!info]",
    "> ## Summary",
    "> See [[Anarres#Abbenay|the city]] and ![[map.png|100]]",
    "Text with [a link](Other%20Note.md#Sec) and #tag ^block-1",
    "`Author:` Ursula K. Le Guin",
    "Rating:: 5",
    "A [key:: value] inline",
    "```",
    "~~~",
    "    indented code [[NotALink]]",
    "- item [[List Link]]",
    "Title",
    "===",
    "---",
    "%% comment [[Hidden]] %%",
    "<!-- html -->",
    "$$",
    "`code [[x]]`",
    "\u2028 line separator is text \u000c",
]
ENDINGS = st.sampled_from(["\n", "\r", "\r\n"])


@st.composite
def mixed_endings(draw: st.DrawFn) -> str:
    lines = draw(st.lists(st.sampled_from(LINES), max_size=30))
    return "".join(line + draw(ENDINGS) for line in lines)


def _lf(text: str) -> str:
    return re.sub(r"\r\n?", "\n", text)


def _parsed(note: Note) -> dict[str, object]:
    """What a note's parse says, without offsets (a setext heading's text may span lines)."""
    fm = note.frontmatter
    return {
        "frontmatter": None if fm is None else (fm.data, fm.error, fm.closed),
        "headings": [
            (h.level, _lf(h.text), h.line, h.setext, h.quote_depth) for h in note.headings
        ],
        "sections": [note.line_of(h.section_end) for h in note.headings],
        "fields": [(f.key, f.value, f.source, f.line) for f in note.fields],
        "links": [(lk.kind, lk.raw, lk.path, lk.subpath, lk.display, lk.line) for lk in note.links],
        "tags": [(t.name, t.line) for t in note.tags],
        "block_ids": [(b.id, b.line) for b in note.block_ids],
        "regions": [(r.kind, note.line_of(r.start)) for r in note.regions],
        "lines": note.line_count,
    }


@settings(max_examples=300, deadline=None)
@given(mixed_endings())
def test_property_any_line_endings_parse_like_lf(text: str) -> None:
    assert _parsed(parse_note("a.md", text)) == _parsed(parse_note("a.md", _lf(text)))


def _mix_endings(text: str, rnd: random.Random) -> str:
    """``text`` with each LF made LF, CR or CRLF at random; never a CR before an
    empty line's LF, which would read as one CRLF."""
    lines = text.split("\n")
    out: list[str] = []
    for line in lines[:-1]:
        after_cr = bool(out) and out[-1] == "\r" and not line
        out += [line, rnd.choice(["\r", "\r\n"] if after_cr else ["\n", "\r", "\r\n"])]
    return "".join(out) + lines[-1]


def _where(findings: list[Finding]) -> list[tuple[str, int, int, int, int]]:
    return sorted((f.code, f.line, f.column, f.end_line, f.end_column) for f in findings)


@settings(
    derandomize=True,
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(notes(), st.booleans(), st.randoms(use_true_random=False))
def test_property_cr_notes_are_checked_and_fixed_like_lf(
    gen: Generated, unsafe: bool, rnd: random.Random
) -> None:
    """Every rule: the same findings at the same lines and columns, whatever the
    endings; a CR-only note gets the LF note's fixes, written with CR."""
    lf = Generated(gen.path, gen.text.replace("\r\n", "\n"), gen.bom)
    assume("\n" in lf.text)
    cr = Generated(gen.path, lf.text.replace("\n", "\r"), gen.bom)
    mixed = Generated(gen.path, _mix_endings(lf.text, rnd), gen.bom)
    outcomes = []
    for twin in (lf, cr, mixed):
        engine, note = _engine_for(twin)
        outcomes.append((engine.check(note), fix_note(note, engine.check, unsafe=unsafe)))
    assert _where(outcomes[1][0]) == _where(outcomes[0][0])
    assert _where(outcomes[2][0]) == _where(outcomes[0][0])
    assert outcomes[1][1].note.text == outcomes[0][1].note.text.replace("\n", "\r")
    assert _lf(outcomes[2][1].note.text) == outcomes[0][1].note.text


# --- unified_diff ---------------------------------------------------------------


def _apply(old: str, diff: str) -> str:
    """Apply a unified diff of one file to ``old``, reading both as ``--diff`` writes them."""
    old_lines = split_lines(old)
    out: list[str] = []
    pos = 0
    lines = split_lines(diff)[2:]  # past the --- and +++ lines
    i = 0
    while i < len(lines):
        hunk = re.match(r"@@ -(\d+)(?:,(\d+))? ", lines[i])
        assert hunk is not None, lines[i]
        start = int(hunk.group(1)) - (hunk.group(2) != "0")  # ",0": insert after that line
        out += old_lines[pos:start]
        pos = start
        i += 1
        while i < len(lines) and not lines[i].startswith("@@"):
            line = lines[i]
            if i + 1 < len(lines) and lines[i + 1] == "\\ No newline at end of file\n":
                line = line[:-1]  # the diff's own line break, not the note's
                i += 1
            if line[0] in " -":
                pos += 1
            if line[0] in " +":
                out.append(line[1:])
            i += 1
    return "".join(out + old_lines[pos:])


def test_unified_diff_of_an_lf_note_is_the_usual_one() -> None:
    old = "# Title \nLine one\nLine two \n"
    new = "# Title\nLine one\nLine two\n"
    assert unified_diff("Notes/A.md", old, new) == (
        "--- a/Notes/A.md\n+++ b/Notes/A.md\n@@ -1,3 +1,3 @@\n"
        "-# Title \n+# Title\n Line one\n-Line two \n+Line two\n"
    )


def test_unified_diff_marks_a_missing_final_newline() -> None:
    assert unified_diff("a.md", "x \ny", "x\ny") == (
        "--- a/a.md\n+++ b/a.md\n@@ -1,2 +1,2 @@\n-x \n+x\n y\n\\ No newline at end of file\n"
    )
    assert unified_diff("a.md", "x ", "x") == (
        "--- a/a.md\n+++ b/a.md\n@@ -1 +1 @@\n-x \n\\ No newline at end of file\n"
        "+x\n\\ No newline at end of file\n"
    )


def test_unified_diff_breaks_lines_at_line_endings_only() -> None:
    # U+2028, U+2029, U+0085, VT and FF are text in a note, not line breaks.
    old = "# Quotes \nA line\u2028with separators\u2029\u0085\x0b\x0c here \nEnd\n"
    new = "# Quotes\nA line\u2028with separators\u2029\u0085\x0b\x0c here\nEnd\n"
    diff = unified_diff("a.md", old, new)
    assert "@@ -1,3 +1,3 @@" in diff
    assert "-A line\u2028with separators\u2029\u0085\x0b\x0c here \n" in diff
    assert _apply(old, diff) == new


@pytest.mark.parametrize("newline", ["\n", "\r", "\r\n"], ids=["lf", "cr", "crlf"])
def test_unified_diff_of_the_book_note_applies(newline: str) -> None:
    old, new = BOOK.replace("\n", newline), BOOK_FIXED.replace("\n", newline)
    diff = unified_diff("Book.md", old, new)
    assert f"-### **📗**{newline}" in diff
    assert _apply(old, diff) == new


@settings(max_examples=200, deadline=None)
@given(mixed_endings(), mixed_endings(), st.booleans())
def test_property_unified_diff_applies(old: str, new: str, cut: bool) -> None:
    if cut:  # no line break at the end
        old, new = old.rstrip("\r\n"), new.rstrip("\r\n")
    diff = unified_diff("a.md", old, new)
    assert (diff == "") == (old == new)
    assert _apply(old, diff) == new
