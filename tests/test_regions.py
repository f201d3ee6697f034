"""Protected regions met in real notes: ``$``/``$$`` in prose, comments holding code
blocks, HTML blocks, and the principle that uncertainty never creates a finding.

The notes are under tests/fixtures/regions/ (a small vault).
"""

from __future__ import annotations

import json
import shutil
import time
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import check_text
from vaultlint.cli import main
from vaultlint.model import Note, Region
from vaultlint.parse import parse_note
from vaultlint.rules.links import BrokenHeadingLink, BrokenLink
from vaultlint.rules.text import IrregularWhitespace, TrailingWhitespace

FIXTURES = Path(__file__).parent / "fixtures" / "regions"


def fixture(name: str) -> Note:
    return parse_note(name, (FIXTURES / name).read_text(encoding="utf-8"))


def headings(note: Note) -> list[str]:
    return [h.text for h in note.headings]


def link(note: Note, path: str) -> tuple[bool, Region | None]:
    """Whether the link to ``path`` is uncertain, and the region it stands in."""
    found = [lk for lk in note.links if lk.path == path]
    assert len(found) == 1, (path, note.links)
    return found[0].uncertain, note.region_at(found[0].start)


# --- $ and $$ in prose ------------------------------------------------------------


def test_price_tiers_open_no_math_across_headings() -> None:
    note = fixture("Pricing/SaaS pricing.md")
    assert headings(note) == ["SaaS pricing", "Budget tier", "Premium tier", "Decision"]
    assert link(note, "Vendors/Basecamp") == (False, None)
    assert link(note, "Finance approvals") == (False, None)
    # "$$ (20 to 100 USD), $$$" spans two lines and a run of three: maybe math.
    tiers = note.region_at(note.text.index("$$ (20"))
    assert tiers is not None and tiers.kind == "math" and tiers.uncertain
    assert note.text[tiers.end - 4 : tiers.end] == " $$$"


def test_price_tiers_in_table_rows_keep_their_links_silent() -> None:
    note = fixture("Pricing/SaaS pricing.md")
    uncertain, region = link(note, "Vendors/Notion")
    assert uncertain and region is not None and region.uncertain


def test_sql_dollar_quotes_in_prose_are_text() -> None:
    note = fixture("Dev/Postgres functions.md")
    assert headings(note) == [
        "Postgres functions",
        "Tagged dollar quotes",
        "Triggers",
        "See also",
    ]
    assert link(note, "Dollar quoting FAQ") == (False, None)
    assert link(note, "Audit trigger") == (False, None)
    body = note.region_at(note.text.index("$body$") + 1)
    assert body is not None and body.kind == "math" and not body.uncertain
    same_line = note.region_at(note.text.index("$$ and the closing"))
    assert same_line is None  # "opening $$ and the closing one": no second $$


def test_display_math_on_one_line_and_as_a_block_is_certain() -> None:
    text = "Euler: $$e^{i\\pi} + 1 = 0$$ holds.\n\n$$\n\\int_0^1 x\\,dx\n= \\tfrac12\n$$\n# After\n"
    note = parse_note("Math.md", text)
    kinds = [(r.kind, r.uncertain) for r in note.regions]
    assert kinds == [("math", False), ("math", False)]
    assert headings(note) == ["After"]


def test_math_block_across_a_blank_line_indexes_its_headings() -> None:
    text = "$$\na = b\n\n## Inside\n[[Missing]]\n$$\n\nSee [[#Inside]].\n"
    note = parse_note("Math.md", text)
    assert headings(note) == []
    assert [h.text for h in note.uncertain_headings] == ["Inside"]
    assert [(lk.path, lk.uncertain) for lk in note.links] == [("Missing", True), ("", False)]
    assert check_text(BrokenHeadingLink, text, path="Math.md") == []
    assert check_text(BrokenLink, text, path="Math.md") == []


# --- %% comments holding a fenced block ---------------------------------------------


def test_kanban_settings_footer_is_one_comment() -> None:
    note = fixture("Boards/Reading board.md")
    text = note.text
    footer = text.index("%% kanban:settings")
    assert [(r.kind, r.start, r.end) for r in note.regions if r.kind != "frontmatter"] == [
        ("comment", footer, text.rindex("%%") + 2)
    ]
    assert headings(note) == ["To read", "Reading", "Done"]


def test_text_after_a_settings_footer_is_text() -> None:
    note = fixture("Meetings/2026-03-02 Planning.md")
    assert headings(note) == ["Planning, 2 March", "To read", "Decisions", "Follow-up"]
    assert link(note, "Offsite agenda") == (False, None)
    assert link(note, "2026-03-09 Planning") == (False, None)
    assert note.region_at(note.text.index("## Decisions")) is None


def test_html_comment_holding_a_fence_ends_at_its_close() -> None:
    text = "<!--\n```\n# Not\n```\n-->\n# Yes\n[[Real]]\n"
    note = parse_note("Note.md", text)
    assert [(r.kind, r.uncertain) for r in note.regions] == [("html-comment", False)]
    assert headings(note) == ["Yes"]
    assert [(lk.path, lk.uncertain) for lk in note.links] == [("Real", False)]


def test_comment_closed_inside_a_fence_leaves_the_rest_uncertain() -> None:
    text = "%% a\n```\n%% b\n## Maybe\n```\nafter\n"
    note = parse_note("Note.md", text)
    assert [(r.kind, r.uncertain) for r in note.regions] == [("comment", False), ("fence", True)]
    assert [h.text for h in note.uncertain_headings] == ["Maybe"]


def test_unclosed_comment_is_uncertain() -> None:
    text = "Save 50%% now\n\n## Offer\n[[Missing]]\n"
    note = parse_note("Note.md", text)
    assert [(r.kind, r.uncertain) for r in note.regions] == [("comment", True)]
    assert [h.text for h in note.uncertain_headings] == ["Offer"]
    assert check_text(BrokenLink, text) == []


# --- HTML blocks ----------------------------------------------------------------------


def test_links_in_multiline_html_blocks_are_uncertain() -> None:
    note = fixture("Guides/Onboarding.md")
    for path in ("IT/Email setup", "IT/VPN", "Handbook", "Onboarding checklist"):
        uncertain, region = link(note, path)
        assert uncertain and region is not None and region.kind == "html", path
    assert link(note, "People/Team lead") == (False, None)
    assert headings(note) == ["Onboarding", "After the first weeks"]
    assert [h.text for h in note.uncertain_headings] == ["First week", "Second week"]


def test_html_block_without_closing_tag_ends_at_a_blank_line() -> None:
    text = '<img src="cover.png">\n[[A]]\n\n[[B]]\n<center>\n[[C]]\n\n[[D]]\n'
    note = parse_note("Note.md", text)
    assert [(lk.path, lk.uncertain) for lk in note.links] == [
        ("A", True),
        ("B", False),
        ("C", True),
        ("D", False),
    ]


def test_autolink_at_line_start_opens_no_html_block() -> None:
    note = parse_note("Note.md", "<https://example.org>\n## Links\n[[Real]]\n")
    assert note.regions == [] and headings(note) == ["Links"]
    assert not note.links[0].uncertain


# --- through the command line -----------------------------------------------------------


def test_fixture_vault_findings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    vault = tmp_path / "vault"
    shutil.copytree(FIXTURES, vault)
    (vault / ".obsidian").mkdir()
    argv = ["check", str(vault), "--output-format", "json", "--no-cache"]
    code = main([*argv, "--extend-select", "broken-heading-link,broken-block-link"])
    found = sorted(
        (f["path"], f["line"], f["rule"])
        for f in json.loads(capsys.readouterr().out)
        if f["rule"].startswith("broken")
    )
    assert code == 1
    assert found == [
        ("Dev/Postgres functions.md", 16, "broken-link"),  # [[Dollar quoting FAQ]]
        ("Dev/Postgres functions.md", 22, "broken-link"),  # [[Audit trigger]]
        ("Guides/Onboarding.md", 30, "broken-link"),  # [[People/Team lead]]
        ("Meetings/2026-03-02 Planning.md", 19, "broken-link"),  # [[Offsite agenda]]
        ("Meetings/2026-03-02 Planning.md", 23, "broken-link"),  # [[2026-03-09 Planning]]
        ("Pricing/SaaS pricing.md", 27, "broken-link"),  # [[Vendors/Basecamp]]
    ]


# --- uncertainty may silence a finding, never create one ---------------------------------

PIECES = [
    "$",
    "$$",
    "$$$",
    "$x$",
    "%%",
    "%% kanban:settings",
    "`",
    "`code`",
    "```",
    "~~~",
    "<div>",
    "</div>",
    "<details>",
    "</details>",
    "<!--",
    "-->",
    "text",
    "[[Missing]]",
    "[[Note#H1]]",
    "^blk",
    "\u200b",
    " ",
]


@st.composite
def notes(draw: st.DrawFn) -> str:
    """Lines mixing the constructs, with numbered ATX headings among them."""
    lines = []
    for i in range(draw(st.integers(1, 14))):
        kind = draw(st.sampled_from(["heading", "blank", "pieces", "pieces"]))
        if kind == "heading":
            lines.append(f"{'#' * draw(st.integers(1, 3))} H{i}")
        elif kind == "blank":
            lines.append("")
        else:
            pieces = draw(st.lists(st.sampled_from(PIECES), min_size=1, max_size=4))
            lines.append(" ".join(pieces))
    return "\n".join(lines) + "\n"


def _certain_region(note: Note, pos: int) -> bool:
    region = note.region_at(pos)
    return region is not None and not region.uncertain


def _uncertain_region(note: Note, pos: int) -> bool:
    region = note.region_at(pos)
    return region is not None and region.uncertain


@settings(max_examples=300, deadline=None)
@given(notes())
def test_no_heading_outside_certain_regions_is_lost(text: str) -> None:
    note = parse_note("Note.md", text)
    indexed = {h.start for h in note.headings} | {h.start for h in note.uncertain_headings}
    pos = 0
    for line in text.split("\n"):
        if line.startswith("#") and not _certain_region(note, pos):
            assert pos in indexed, (line, note.regions)
        pos += len(line) + 1
    for h in note.headings:
        assert not _uncertain_region(note, h.start)


@settings(max_examples=300, deadline=None)
@given(notes())
def test_nothing_inside_an_uncertain_region_is_reported(text: str) -> None:
    note = parse_note("Note.md", text)
    regions = note.regions
    assert all(a.end <= b.start for a, b in pairwise(regions))
    for lk in note.links:
        if _uncertain_region(note, lk.start):
            assert lk.uncertain
    files = {"Note.md": text}
    for rule in (BrokenLink, BrokenHeadingLink, TrailingWhitespace, IrregularWhitespace):
        for finding in check_text(rule, text, files=files):
            assert not _uncertain_region(note, finding.start), (rule.name, finding)


# --- no rescanning from every match ---------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Tier $$ and more text " * 20_000, id="unclosed-dollars-one-paragraph"),
        pytest.param("<div>\n" * 20_000, id="unclosed-divs"),
        pytest.param("<div>\n" * 10_000 + "</div>\n", id="one-close-for-many-divs"),
        pytest.param("$$\n\n" * 20_000, id="math-openers-across-blanks"),
    ],
)
def test_pathological_regions_parse_in_linear_time(text: str) -> None:
    started = time.perf_counter()
    parse_note("Note.md", text)
    assert time.perf_counter() - started < 2.0


# --- the parser's shortcuts (a note without one mark skips the scans that need it) ---


def kinds(note: Note) -> list[tuple[str, str, bool]]:
    return [(r.kind, note.text[r.start : r.end], r.uncertain) for r in note.regions]


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_a_fence_inside_a_comment_does_not_end_it_with_backticks_only(newline: str) -> None:
    text = newline.join(
        ["# Kanban", "", "- [ ] Ship", "", "%% kanban:settings", "```", '{"lane": 1}', "```", "%%"]
    )
    note = parse_note("Board.md", text)
    comment = text[text.index("%%") :]
    assert kinds(note) == [("comment", comment, False)]


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_tilde_fences_are_found_without_backtick_fences(newline: str) -> None:
    text = newline.join(["# Poème", "~~~", "# pas un titre", "~~~", "`code` après"])
    note = parse_note("Poème.md", text)
    fence = newline.join(["~~~", "# pas un titre", "~~~"])
    assert kinds(note) == [("fence", fence, False), ("code-span", "`code`", False)]
    assert headings(note) == ["Poème"]


def test_both_fence_marks_in_one_note() -> None:
    text = "~~~\n```\n~~~\n```js\nlet a\n```\n"
    note = parse_note("Code.md", text)
    assert kinds(note) == [("fence", "~~~\n```\n~~~", False), ("fence", "```js\nlet a\n```", False)]


@pytest.mark.parametrize(
    ("text", "spans"),
    [
        ("`Author:` Jane and ``a ` b`` end", ["`Author:`", "``a ` b``"]),
        ("`open\n\nclosed` `x`", ["` `"]),  # a span ends with its paragraph
        ("```inline``` and ``` not closed", ["```inline```"]),
        ("`a`` b ``c`", ["`a`` b ``c`"]),  # a longer run does not close a span
    ],
)
def test_code_spans_in_a_note_with_no_other_inline_mark(text: str, spans: list[str]) -> None:
    note = parse_note("Note.md", "# 書名\n" + text + "\n")
    assert [s for k, s, _ in kinds(note) if k == "code-span"] == spans


def test_an_escaped_backtick_still_counts_with_other_marks() -> None:
    note = parse_note("Note.md", "\\`not code` but `code` and $x$\n")
    assert [s for _, s, _ in kinds(note)] == ["` but `", "$x$"]


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_a_code_field_ends_with_its_line_in_every_line_ending(newline: str) -> None:
    text = newline.join(["`Autor:` José Saramago", "- `Año:` 1995 ^a1", "texto `no:` aquí", ""])
    note = parse_note("Ensayo.md", text)
    assert [(f.key, f.value, note.text[f.start : f.end]) for f in note.fields] == [
        ("Autor", "José Saramago", "`Autor:` José Saramago"),
        ("Año", "1995 ^a1", "- `Año:` 1995 ^a1"),
    ]
    assert [(b.id, b.line) for b in note.block_ids] == [("a1", 2)]
