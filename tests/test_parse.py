"""Tests for ``vaultlint.parse.parse_note``: frontmatter, headings, protected regions,
fields, links, tags, block ids, positions and robustness.

Link rules follow /work/shared/docs/obsidian-links.md sections B and C (R9-R28).
"""

from __future__ import annotations

from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vaultlint.model import Link, Note
from vaultlint.parse import parse_note

ANY = object()  # "do not check this column" in parametrize tables


# --------------------------------------------------------------------------- helpers


def parse(text: str, path: str = "Note.md") -> Note:
    return parse_note(path, text)


def heading_texts(note: Note) -> list[str]:
    return [h.text for h in note.headings]


def link_paths(note: Note) -> list[str]:
    return [link.path for link in note.links]


def tag_names(note: Note) -> list[str]:
    return [t.name for t in note.tags]


def one_link(text: str) -> tuple[Note, Link]:
    note = parse(text)
    assert len(note.links) == 1, note.links
    return note, note.links[0]


def fields_from(note: Note, source: str) -> list:
    return [f for f in note.fields if f.source == source]


def lf_to_crlf_offset(lf_text: str, offset: int) -> int:
    """Where an offset into an LF text lands in the same text written with CRLF."""
    return offset + lf_text.count("\n", 0, offset)


def check_invariants(note: Note, text: str) -> None:
    """Structural facts every parse result must satisfy, whatever the input."""
    n = len(text)
    assert note.text == text
    assert note.newline in ("\n", "\r\n", "\r")
    assert note.line_starts and note.line_starts[0] == 0
    assert note.line_starts == sorted(note.line_starts)
    assert all(0 <= s <= n for s in note.line_starts)
    assert 0 <= note.body_start <= n

    def span_ok(start: int, end: int) -> None:
        assert 0 <= start <= end <= n, (start, end, n)

    fm = note.frontmatter
    if fm is not None:
        span_ok(fm.start, fm.end)
        span_ok(fm.raw_start, fm.raw_start + len(fm.raw))
        assert fm.start <= fm.raw_start <= fm.end
    for h in note.headings:
        assert 1 <= h.level <= 6
        assert h.line >= 1
        span_ok(h.start, h.end)
        span_ok(h.text_start, h.text_end)
        assert h.start <= h.text_start <= h.text_end <= h.end
        assert h.end <= h.section_end <= n
    for f in note.fields:
        assert f.line >= 1
        span_ok(f.start, f.end)
        span_ok(f.value_start, f.value_end)
    for link in note.links:
        assert link.line >= 1
        span_ok(link.start, link.end)
        span_ok(link.path_start, link.path_end)
        assert link.start <= link.path_start <= link.path_end <= link.end
        assert text[link.start : link.end][:1] in ("[", "!")
    for tag in note.tags:
        assert tag.line >= 1
        assert not tag.name.startswith("#")
        span_ok(tag.start, tag.end)
    for block in note.block_ids:
        assert block.line >= 1
        span_ok(block.start, block.end)
    for region in note.regions:
        span_ok(region.start, region.end)
    for prev, cur in pairwise(note.regions):
        assert prev.start <= cur.start
        assert prev.end <= cur.start, (prev, cur)


# --------------------------------------------------------------------------- 1. frontmatter


def test_frontmatter_basic_spans_and_data():
    text = "---\ntitle: X\n---\nBody\n"
    note = parse(text)
    fm = note.frontmatter
    assert fm is not None
    assert fm.start == 0
    assert fm.raw_start == 4
    assert fm.raw.rstrip("\r\n") == "title: X"
    assert text[fm.raw_start : fm.raw_start + len(fm.raw)] == fm.raw
    assert fm.end == len("---\ntitle: X\n---\n")
    assert note.body_start == fm.end
    assert fm.closed is True
    assert fm.error is None
    assert fm.data["title"] == "X"


def test_frontmatter_data_is_a_plain_mapping_in_file_order():
    note = parse("---\nb: 2\na: 1\n---\n")
    assert isinstance(note.frontmatter.data, dict)
    assert list(note.frontmatter.data) == ["b", "a"]


def test_frontmatter_tags_never_construct_objects():
    note = parse("---\nx: !!python/object/apply:os.system ['echo hi']\n---\n")
    assert note.frontmatter.data is None and note.frontmatter.error is not None


def test_frontmatter_alias_bomb_is_bounded():
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for n in range(1, 12):
        prev = chr(ord("a") + n - 1)
        lines.append(
            f"{chr(ord('a') + n)}: &{chr(ord('a') + n)} [" + ", ".join([f"*{prev}"] * 10) + "]"
        )
    note = parse("---\n" + "\n".join(lines) + "\nup: '[[Home]]'\n---\n")
    assert [link.path for link in note.links] == ["Home"]


def test_frontmatter_closing_line_may_have_trailing_spaces():
    text = "---\na: 1\n---   \nBody\n"
    note = parse(text)
    fm = note.frontmatter
    assert fm.closed is True
    assert fm.error is None
    assert fm.end == len("---\na: 1\n---   \n")
    assert note.body_start == fm.end


def test_frontmatter_closed_at_end_of_text_without_line_break():
    text = "---\na: 1\n---"
    note = parse(text)
    fm = note.frontmatter
    assert fm.closed is True
    assert fm.error is None
    assert fm.end == len(text)
    assert note.body_start == len(text)


def test_frontmatter_closes_at_first_exact_delimiter_line():
    text = "---\na: 1\n---\nb: 2\n---\n"
    note = parse(text)
    fm = note.frontmatter
    assert fm.raw.rstrip("\n") == "a: 1"
    assert fm.end == len("---\na: 1\n---\n")
    assert dict(fm.data) == {"a": 1}


def test_frontmatter_dashes_with_text_do_not_close():
    text = "---\na: 1\n--- x\nBody\n"
    fm = parse(text).frontmatter
    assert fm is not None
    assert fm.closed is False
    assert fm.error is not None


def test_frontmatter_invalid_yaml_reports_file_line_and_column():
    text = "---\ntitle: X\nkey: value: other\n---\nBody\n"
    note = parse(text)
    fm = note.frontmatter
    assert fm is not None
    assert fm.data is None
    assert fm.error is not None
    assert fm.error.message
    assert fm.error.line == 3  # 2nd YAML line = 3rd file line
    assert fm.error.column == 11  # the second ':' (1-based)
    assert fm.closed is True
    assert note.body_start == fm.end == len("---\ntitle: X\nkey: value: other\n---\n")


def test_frontmatter_invalid_yaml_crlf_reports_file_line():
    text = "---\r\ntitle: X\r\nkey: value: other\r\n---\r\nBody\r\n"
    fm = parse(text).frontmatter
    assert fm.data is None
    assert fm.error is not None
    assert fm.error.line == 3


def test_frontmatter_unclosed_is_an_error():
    text = "---\ntitle: X\nBody text\n"
    note = parse(text)
    fm = note.frontmatter
    assert fm is not None
    assert fm.closed is False
    assert fm.error is not None
    assert "closed" in fm.error.message.lower()  # "not closed" / "unclosed"
    assert fm.end == len(text)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("\n---\na: 1\n---\n", id="blank-first-line"),
        pytest.param("Title\n---\na: 1\n---\n", id="text-first-line"),
        pytest.param(" ---\na: 1\n---\n", id="indented-opening"),
        pytest.param("----\na: 1\n----\n", id="four-dashes"),
        pytest.param("", id="empty"),
        pytest.param("Just a body\n", id="body-only"),
    ],
)
def test_no_frontmatter_unless_first_line_is_dashes(text):
    note = parse(text)
    assert note.frontmatter is None
    assert note.body_start == 0


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("---\n- a\n- b\n---\n", id="list"),
        pytest.param("---\njust a string\n---\n", id="scalar"),
        pytest.param("---\n42\n---\n", id="number"),
    ],
)
def test_frontmatter_that_is_not_a_mapping_is_an_error(text):
    fm = parse(text).frontmatter
    assert fm is not None
    assert fm.error is not None


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("---\n---\n", id="empty"),
        pytest.param("---\n---\nBody\n", id="empty-with-body"),
        pytest.param("---\n# only a comment\n---\n", id="comment-only"),
        pytest.param("---\n\n---\n", id="blank-line"),
    ],
)
def test_empty_frontmatter_is_valid(text):
    note = parse(text)
    fm = note.frontmatter
    assert fm is not None
    assert fm.error is None
    assert fm.closed is True
    assert fm.data is None or len(fm.data) == 0


def test_empty_frontmatter_spans():
    note = parse("---\n---\nBody\n")
    fm = note.frontmatter
    assert fm.raw == ""
    assert fm.raw_start == 4
    assert fm.end == 8
    assert note.body_start == 8


def test_frontmatter_crlf():
    text = "---\r\ntitle: X\r\n---\r\nBody\r\n"
    note = parse(text)
    fm = note.frontmatter
    assert fm.error is None
    assert fm.data["title"] == "X"
    assert fm.raw_start == 5
    assert fm.end == len("---\r\ntitle: X\r\n---\r\n")
    assert note.body_start == fm.end


def test_frontmatter_is_a_protected_region():
    text = "---\na: 1\n---\nBody\n"
    note = parse(text)
    region = note.region_at(text.index("a: 1"))
    assert region is not None
    assert region.kind == "frontmatter"
    assert note.region_at(text.index("Body")) is None


def test_nothing_in_frontmatter_is_a_heading_tag_or_body_link():
    text = "---\n# yaml comment\ntitle: X #notatag\nnote: text [[NotALink]] ^notanid\n---\n"
    note = parse(text)
    assert note.headings == []
    assert note.tags == []
    # A wikilink among other text in a value is no body link, and only uncertain (OQ7).
    assert [(lk.kind, lk.path, lk.uncertain) for lk in note.links] == [
        ("frontmatter", "NotALink", True)
    ]
    assert note.block_ids == []


def test_only_dashes_does_not_raise():
    note = parse("---")
    check_invariants(note, "---")


# --------------------------------------------------------------------------- 2. headings


@pytest.mark.parametrize(
    ("text", "level", "heading"),
    [
        ("# Title", 1, "Title"),
        ("## Title", 2, "Title"),
        ("###### Six", 6, "Six"),
        ("## Foo ##", 2, "Foo"),
        ("## Foo ##   ", 2, "Foo"),
        ("### Foo #####", 3, "Foo"),
        ("#\tTab", 1, "Tab"),
        ("   ### Indented", 3, "Indented"),
        ("#   Spaced   ", 1, "Spaced"),
        ("## ", 2, ""),
        ("##", 2, ""),
        ("#", 1, ""),
        ("## **Overview**", 2, "**Overview**"),
        ("### **📗**", 3, "**📗**"),
        ("# Title\n", 1, "Title"),
        ("### foo ### b", 3, "foo ### b"),
        ("# foo#", 1, "foo#"),
        ("### foo \\###", 3, "foo \\###"),
        ("## foo #\t##  ", 2, "foo #"),
        ("# #foo #", 1, "#foo"),
        ("### ###", 3, ""),
        ("# \t #  ", 1, ""),
        ("## Foo\r\n", 2, "Foo"),
    ],
)
def test_atx_heading(text, level, heading):
    note = parse(text)
    assert len(note.headings) == 1
    h = note.headings[0]
    assert h.level == level
    assert h.text == heading
    assert text[h.text_start : h.text_end] == heading
    assert h.line == 1
    assert h.start == 0
    assert h.end == len(text.rstrip("\r\n"))
    assert h.setext is False
    assert h.quote_depth == 0


@pytest.mark.parametrize(
    ("text", "where"),
    [
        pytest.param("##", 2, id="no-blank"),
        pytest.param("##   ", 5, id="blanks: the line's end"),
        pytest.param("### ###", 3, id="closing run: where it begins"),
        pytest.param("# \t #  ", 1, id="blanks and closing run"),
    ],
)
def test_empty_atx_heading_text_lies_where_it_would_start(text, where):
    [h] = parse(text).headings
    assert (h.text_start, h.text_end) == (where, where)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("#tag", id="tag"),
        pytest.param("#tag and text", id="tag-and-text"),
        pytest.param("####### Seven", id="seven-hashes"),
        pytest.param("    # Four spaces", id="four-spaces"),
        pytest.param("Para\n\n    # Four spaces", id="four-spaces-after-blank"),
        pytest.param("Text # not at start", id="mid-line"),
    ],
)
def test_not_an_atx_heading(text):
    assert parse(text).headings == []


def test_heading_positions():
    text = "Intro\n## Foo ##\nbody\n"
    note = parse(text)
    [h] = note.headings
    assert h.line == 2
    assert h.start == 6
    assert h.end == 6 + len("## Foo ##")
    assert text[h.text_start : h.text_end] == "Foo"
    assert note.position(h.start) == (2, 1)


def test_heading_line_counts_frontmatter_lines():
    text = "---\na: 1\n---\n# H\n"
    [h] = parse(text).headings
    assert h.line == 4
    assert h.start == text.index("# H")


def test_heading_end_excludes_crlf():
    text = "# A\r\nbody\r\n"
    [h] = parse(text).headings
    assert h.end == 3
    assert h.text == "A"


@pytest.mark.parametrize(
    ("text", "level", "heading", "depth"),
    [
        ("> ## Summary", 2, "Summary", 1),
        ("> > ### X", 3, "X", 2),
        (">> ### X", 3, "X", 2),
        ("> [!info]\n> ## Summary\n> text", 2, "Summary", 1),
        ("> [!info] Title\n> # Top", 1, "Top", 1),
    ],
)
def test_heading_in_quote_or_callout(text, level, heading, depth):
    note = parse(text)
    [h] = note.headings
    assert h.level == level
    assert h.text == heading
    assert h.quote_depth == depth
    assert text[h.text_start : h.text_end] == heading
    line_start = text.rfind("\n", 0, h.text_start) + 1
    assert h.start == line_start  # the quote prefix is included


def test_setext_level_1():
    text = "Title\n===\nbody\n"
    [h] = parse(text).headings
    assert h.level == 1
    assert h.setext is True
    assert h.text == "Title"
    assert text[h.text_start : h.text_end] == "Title"
    assert h.line == 1
    assert h.start == 0
    assert h.end == len("Title\n===")


def test_setext_level_2():
    text = "Title\n---\nbody\n"
    [h] = parse(text).headings
    assert h.level == 2
    assert h.setext is True
    assert h.text == "Title"
    assert text[h.text_start : h.text_end] == "Title"


def test_setext_after_frontmatter():
    text = "---\ntitle: X\n---\nPara\n---\n"
    note = parse(text)
    assert note.frontmatter is not None
    [h] = note.headings
    assert (h.level, h.text, h.setext, h.line) == (2, "Para", True, 4)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("- item\n---\n", id="after-list-item"),
        pytest.param("* item\n---\n", id="after-star-list-item"),
        pytest.param("Para\n\n---\n", id="after-blank-line"),
        pytest.param("---\n", id="alone"),
        pytest.param("\n---\n", id="after-leading-blank"),
        pytest.param("---\na: 1\n---\n", id="frontmatter-closing"),
        pytest.param("---\n---\n", id="empty-frontmatter"),
        pytest.param("---\ntitle: X\n---\nBody\n", id="frontmatter-then-body"),
    ],
)
def test_not_a_setext_heading(text):
    assert parse(text).headings == []


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("```\n# Not\n```\n", id="backtick-fence"),
        pytest.param("~~~\n# Not\n~~~\n", id="tilde-fence"),
        pytest.param("```\nTitle\n===\n```\n", id="setext-in-fence"),
        pytest.param("<!--\n# Not\n-->\n", id="html-comment"),
        pytest.param("%%\n# Not\n%%\n", id="obsidian-comment"),
        pytest.param("$$\n# Not\n$$\n", id="math-block"),
        pytest.param("Para\n\n    # Not\n", id="indented-code"),
        pytest.param("> ```\n> # Not\n> ```\n", id="fence-in-quote"),
        pytest.param("```\n# Not\n", id="unclosed-fence"),
    ],
)
def test_no_heading_inside_protected_regions(text):
    assert parse(text).headings == []


def test_section_end_is_next_heading_of_same_or_higher_level():
    text = "# A\npara\n## B\nx\n### C\ny\n## D\nz\n# E\nend\n"
    note = parse(text)
    by_text = {h.text: h for h in note.headings}
    assert heading_texts(note) == ["A", "B", "C", "D", "E"]
    start_d = text.index("## D")
    start_e = text.index("# E")
    assert by_text["A"].section_end == start_e
    assert by_text["B"].section_end == start_d
    assert by_text["C"].section_end == start_d
    assert by_text["D"].section_end == start_e
    assert by_text["E"].section_end == len(text)


def test_section_end_of_last_heading_is_end_of_text():
    text = "## Only\nbody without newline"
    [h] = parse(text).headings
    assert h.section_end == len(text)


def test_section_end_ignores_headings_in_code():
    text = "## A\n```\n## Not\n```\nmore\n"
    [h] = parse(text).headings
    assert h.section_end == len(text)


def test_section_end_of_quoted_heading_stops_at_end_of_quote():
    text = "> ## Summary\n> text\n\nAfter\n## Next\n"
    note = parse(text)
    summary = next(h for h in note.headings if h.text == "Summary")
    assert summary.section_end == len("> ## Summary\n> text\n")


def test_section_end_in_callout_stops_at_next_quoted_heading_then_quote_end():
    text = "> [!info]\n> ## Summary\n> text\n> ## More\n> x\nAfter\n"
    note = parse(text)
    by_text = {h.text: h for h in note.headings}
    assert by_text["Summary"].section_end == text.index("> ## More")
    assert by_text["More"].section_end == text.index("After")


def test_quoted_deeper_heading_does_not_end_body_section():
    text = "# Top\n> ## Q\n> x\nbody\n"
    note = parse(text)
    top = next(h for h in note.headings if h.text == "Top")
    assert top.section_end == len(text)


def test_heading_with_link_keeps_raw_text():
    text = "## See [[Other]]"
    note = parse(text)
    [h] = note.headings
    assert h.text == "See [[Other]]"
    assert link_paths(note) == ["Other"]


# --------------------------------------------------------------------------- 3. regions


@pytest.mark.parametrize(
    ("text", "needle", "kind"),
    [
        ("a `code` b", "code", "code-span"),
        ("a `code` b", " b", None),
        ("```\ncode\n```\nafter", "code", "fence"),
        ("```\ncode\n```\nafter", "after", None),
        ("~~~\ncode\n~~~\nafter", "code", "fence"),
        ("~~~\ncode\n~~~\nafter", "after", None),
        ("> ```\n> code\n> ```\n", "code", "fence"),
        ("Para\n\n    code\n", "code", "indented-code"),
        ("Para\n\n    code\n", "Para", None),
        ("a <!-- c --> b", " c ", "html-comment"),
        ("a <!-- c --> b", " b", None),
        ("<!--\nc\n-->\nafter", "c\n", "html-comment"),
        ("<!--\nc\n-->\nafter", "after", None),
        ("a $x+1$ b", "x+1", "math"),
        ("a $x+1$ b", " b", None),
        ("$$\nx+1\n$$\nafter", "x+1", "math"),
        ("$$\nx+1\n$$\nafter", "after", None),
        ("a %% c %% b", " c ", "comment"),
        ("a %% c %% b", " b", None),
        ("%%\nc\n%%\nafter", "c\n", "comment"),
        ("%%\nc\n%%\nafter", "after", None),
        ("---\na: 1\n---\nBody", "a: 1", "frontmatter"),
        ("---\na: 1\n---\nBody", "Body", None),
        ("Plain text", "text", None),
    ],
)
def test_region_at(text, needle, kind):
    note = parse(text)
    region = note.region_at(text.index(needle))
    if kind is None:
        assert region is None
    else:
        assert region is not None
        assert region.kind == kind


def test_fence_region_bounds():
    text = "before\n```python\ncode [[X]]\n```\nafter\n"
    note = parse(text)
    fences = [r for r in note.regions if r.kind == "fence"]
    assert len(fences) == 1
    close = text.index("```\nafter")
    assert fences[0].start == text.index("```python")
    assert fences[0].end in (close + 3, close + 4)
    assert note.region_at(0) is None
    assert note.links == []


def test_unclosed_fence_runs_to_end_of_text():
    text = "Para\n```\n# Not\n[[X]]\n#tag\n"
    note = parse(text)
    fences = [r for r in note.regions if r.kind == "fence"]
    assert len(fences) == 1
    assert fences[0].end == len(text)
    assert note.headings == []
    assert note.links == []
    assert note.tags == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("```\n~~~\n# Not\n~~~\n```\n# Yes\n", ["Yes"], id="tilde-inside-backtick"),
        pytest.param("~~~\n```\n# Not\n```\n~~~\n# Yes\n", ["Yes"], id="backtick-inside-tilde"),
        pytest.param(
            "````\n```\n# Not\n```\n# Not2\n````\n# Yes\n", ["Yes"], id="shorter-inside-longer"
        ),
        pytest.param("```\nx\n`````\n# Yes\n", ["Yes"], id="longer-closing-fence"),
        pytest.param("~~~~\n# Not\n~~~\n# Not2\n", [], id="shorter-does-not-close"),
        pytest.param("```js\n# Not\n```\n# Yes\n", ["Yes"], id="info-string"),
        pytest.param("> ```\n> # Not\n> ```\n> # Yes\n", ["Yes"], id="fence-in-quote"),
    ],
)
def test_fence_closing_rules(text, expected):
    assert heading_texts(parse(text)) == expected


def test_fence_in_callout_hides_links():
    text = "> [!note]\n> ```\n> [[Nope]]\n> ```\n> [[Yes]]\n"
    assert link_paths(parse(text)) == ["Yes"]


def test_indented_code_region_covers_all_its_lines():
    text = "Para\n\n    code line [[X]] #t\n    more\n\nAfter\n"
    note = parse(text)
    assert note.region_at(text.index("code line")).kind == "indented-code"
    assert note.region_at(text.index("more")).kind == "indented-code"
    assert note.links == []
    assert note.tags == []


def test_indented_line_without_blank_line_before_is_not_code():
    text = "Para\n    still para [[X]]\n"
    note = parse(text)
    assert note.region_at(text.index("still")) is None
    assert link_paths(note) == ["X"]


def test_indented_line_in_list_is_not_code():
    text = "- item\n\n    continued [[X]]\n"
    note = parse(text)
    assert note.region_at(text.index("continued")) is None
    assert link_paths(note) == ["X"]


def test_code_span_with_double_backticks_is_one_span():
    text = "x `` a ` b `` y"
    note = parse(text)
    spans = [r for r in note.regions if r.kind == "code-span"]
    assert len(spans) == 1
    assert spans[0].start == 2
    assert spans[0].end == len("x `` a ` b ``")


def test_code_span_backtick_runs_must_match():
    text = "x `` [[A]] ` [[B]] `` [[C]] `c`"
    note = parse(text)
    assert link_paths(note) == ["C"]
    assert len([r for r in note.regions if r.kind == "code-span"]) == 2


def test_unmatched_backtick_is_literal():
    assert link_paths(parse("a ` [[X]]")) == ["X"]


def test_inline_html_comment_hides_links_and_tags():
    text = "a <!-- [[X]] #hidden --> b [[Y]]"
    note = parse(text)
    assert link_paths(note) == ["Y"]
    assert note.tags == []
    region = note.region_at(text.index("<!--"))
    assert region is not None and region.kind == "html-comment"
    end = text.index("-->") + 3
    assert note.region_at(end - 1) is not None
    assert note.region_at(end) is None


def test_multiline_html_comment():
    text = "<!--\n# Not\n[[X]]\n`K:` v\n-->\n# Yes\n"
    note = parse(text)
    assert heading_texts(note) == ["Yes"]
    assert note.links == []
    assert note.fields == []


def test_inline_math_hides_links():
    text = "a $x [[X]]$ b [[Y]]"
    note = parse(text)
    assert link_paths(note) == ["Y"]
    assert note.region_at(text.index("x [[")).kind == "math"


def test_math_block():
    text = "$$\n[[X]]\n\\frac{a}{b}\n$$\n# Yes\n"
    note = parse(text)
    assert heading_texts(note) == ["Yes"]
    assert note.links == []
    assert note.region_at(text.index("[[X")).kind == "math"


def test_math_block_holding_a_heading_line_is_uncertain():
    # A heading line ends a paragraph: whether the $$ block goes on is open (OQ3).
    text = "$$\n[[X]]\n# Not\n$$\n# Yes\n"
    note = parse(text)
    assert heading_texts(note) == ["Yes"]
    assert [h.text for h in note.uncertain_headings] == ["Not"]
    assert [(lk.path, lk.uncertain) for lk in note.links] == [("X", True)]


def test_inline_obsidian_comment_region():
    text = "a %% hidden %% b"
    note = parse(text)
    assert note.region_at(text.index("hidden")).kind == "comment"
    assert note.region_at(text.index(" b") + 1) is None


def test_multiline_obsidian_comment_hides_headings_and_fields():
    text = "%%\n# Not\n`K:` v\nKey:: w\n%%\n# Yes\n"
    note = parse(text)
    assert heading_texts(note) == ["Yes"]
    assert note.fields == []
    assert note.region_at(text.index("# Not")).kind == "comment"


def test_regions_sorted_in_document_order():
    text = "`a` <!-- b --> $c$ %% d %%"
    note = parse(text)
    assert [r.kind for r in note.regions] == ["code-span", "html-comment", "math", "comment"]
    check_invariants(note, text)


# --------------------------------------------------------------------------- 4. fields


def test_inline_code_field():
    text = "`Author:` Ursula K. Le Guin"
    note = parse(text)
    [f] = note.fields
    assert (f.key, f.value, f.source, f.line) == ("Author", "Ursula K. Le Guin", "inline-code", 1)
    assert text[f.value_start : f.value_end] == f.value
    assert f.start == 0
    assert f.end == len(text)


@pytest.mark.parametrize(
    "text",
    ["`Availability:`", "`Availability:`   ", "`Availability:`\nnext line"],
)
def test_inline_code_field_empty_value(text):
    note = parse(text)
    [f] = fields_from(note, "inline-code")
    assert f.key == "Availability"
    assert f.value == ""
    assert text[f.value_start : f.value_end] == ""


@pytest.mark.parametrize(
    "text",
    [
        "- `Author:` Le Guin",
        "> `Author:` Le Guin",
        "> [!info]\n> `Author:` Le Guin",
        "`Author:`    Le Guin   ",
    ],
)
def test_inline_code_field_with_prefix_or_padding(text):
    note = parse(text)
    [f] = fields_from(note, "inline-code")
    assert f.key == "Author"
    assert f.value == "Le Guin"
    assert text[f.value_start : f.value_end] == "Le Guin"


def test_inline_code_field_key_with_space_and_link_value():
    text = "`Concepts:` [[Anarchism]], [[Utopia]]\n`Knowledge Base:` [[Books index]]\n"
    note = parse(text)
    fields = fields_from(note, "inline-code")
    assert [(f.key, f.value, f.line) for f in fields] == [
        ("Concepts", "[[Anarchism]], [[Utopia]]", 1),
        ("Knowledge Base", "[[Books index]]", 2),
    ]
    assert link_paths(note) == ["Anarchism", "Utopia", "Books index"]


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("See `Author:` here", id="not-at-line-start"),
        pytest.param("`Author` Le Guin", id="no-colon"),
        pytest.param("`code` Author: x", id="colon-outside-code"),
        pytest.param("Author: Le Guin", id="plain-colon"),
    ],
)
def test_not_an_inline_code_field(text):
    assert fields_from(parse(text), "inline-code") == []


def test_dataview_line_field():
    text = "Author:: Le Guin"
    [f] = parse(text).fields
    assert (f.key, f.value, f.source, f.line) == ("Author", "Le Guin", "dataview", 1)
    assert text[f.value_start : f.value_end] == "Le Guin"
    assert f.start == 0
    assert f.end == len(text)


def test_dataview_line_field_value_is_stripped():
    text = "Author::   Le Guin   \n"
    [f] = parse(text).fields
    assert f.value == "Le Guin"
    assert text[f.value_start : f.value_end] == "Le Guin"


@pytest.mark.parametrize(
    "text",
    ["Great book [Rating:: 5] indeed", "Great book (Rating:: 5) indeed", "[Rating:: 5]"],
)
def test_dataview_inline_bracketed_field(text):
    note = parse(text)
    [f] = fields_from(note, "dataview")
    assert (f.key, f.value) == ("Rating", "5")
    assert text[f.value_start : f.value_end] == "5"
    assert "Rating:: 5" in text[f.start : f.end]
    assert note.links == []


def test_several_dataview_inline_fields_on_one_line():
    text = "x [a:: 1] and (b:: 2)"
    fields = fields_from(parse(text), "dataview")
    assert [(f.key, f.value) for f in fields] == [("a", "1"), ("b", "2")]
    for f in fields:
        assert text[f.value_start : f.value_end] == f.value


def test_field_lines():
    text = "# Book\n`A:` 1\nB:: 2\nx [C:: 3]\n"
    fields = parse(text).fields
    assert sorted((f.key, f.line) for f in fields) == [("A", 2), ("B", 3), ("C", 4)]


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("```\n`Author:` X\nKey:: v\n[R:: 1]\n```\n", id="fence"),
        pytest.param("~~~\n`Author:` X\n~~~\n", id="tilde-fence"),
        pytest.param("<!--\n`Author:` X\nKey:: v\n-->\n", id="html-comment"),
        pytest.param("%%\n`Author:` X\nKey:: v\n%%\n", id="obsidian-comment"),
        pytest.param("$$\nKey:: v\n$$\n", id="math"),
        pytest.param("Para\n\n    Key:: v\n", id="indented-code"),
        pytest.param("`Key:: v`", id="code-span"),
    ],
)
def test_no_fields_inside_protected_regions(text):
    assert [f for f in parse(text).fields if f.source != "frontmatter"] == []


def test_frontmatter_fields():
    text = "---\ntitle: Dune\nauthors:\n  - Frank\n  - Brian\nrating: 5\nempty:\n---\nBody\n"
    note = parse(text)
    fields = {f.key: f for f in fields_from(note, "frontmatter")}
    assert set(fields) == {"title", "authors", "rating", "empty"}
    assert (fields["title"].value, fields["title"].line) == ("Dune", 2)
    assert (fields["authors"].value, fields["authors"].line) == ("Frank, Brian", 3)
    assert (fields["rating"].value, fields["rating"].line) == ("5", 6)
    assert (fields["empty"].value, fields["empty"].line) == ("", 7)


def test_frontmatter_flow_list_field():
    note = parse("---\ntags: [a, b]\n---\n")
    [f] = fields_from(note, "frontmatter")
    assert (f.key, f.value, f.line) == ("tags", "a, b", 2)


def test_invalid_frontmatter_still_parses_body_fields():
    note = parse("---\ntitle: X\nkey: value: other\n---\n`A:` 1\n")
    assert [f.key for f in fields_from(note, "inline-code")] == ["A"]


# --------------------------------------------------------------------------- 5. links


@pytest.mark.parametrize(
    ("text", "kind", "path", "subpath", "display"),
    [
        ("[[Note]]", "wikilink", "Note", "", None),
        ("[[Folder/Note]]", "wikilink", "Folder/Note", "", None),
        ("[[Note.md]]", "wikilink", "Note.md", "", None),
        ("[[Note|Alias]]", "wikilink", "Note", "", "Alias"),
        ("[[Note#Heading]]", "wikilink", "Note", "#Heading", None),
        ("[[Note#H1#H2]]", "wikilink", "Note", "#H1#H2", None),
        ("[[Note#^block-id]]", "wikilink", "Note", "#^block-id", None),
        ("[[Note#Heading|Alias]]", "wikilink", "Note", "#Heading", "Alias"),
        ("[[#Heading]]", "wikilink", "", "#Heading", None),
        ("[[#^blk]]", "wikilink", "", "#^blk", None),
        ("[[## team]]", "wikilink", "", "## team", None),
        ("[[A#h1#h2||x]]", "wikilink", "A", "#h1#h2", "|x"),
        ("[[pa#th/x]]", "wikilink", "pa", "#th/x", None),
        ("[[Sq]uare]]", "wikilink", "Sq]uare", "", None),
        ("[[|]]", "wikilink", "|", "", ANY),
        ("[[|alias]]", "wikilink", "|alias", "", ANY),
        ("[[|#x]]", "wikilink", "|", "#x", ANY),
        ("[[https://x.org]]", "wikilink", "https://x.org", "", None),
        ("![[pic.png]]", "embed", "pic.png", "", None),
        ("![[pic.png|100]]", "embed", "pic.png", "", "100"),
        ("![[pic.png|640x480]]", "embed", "pic.png", "", "640x480"),
        ("![[Note#Heading]]", "embed", "Note", "#Heading", None),
        ("![[missing.png]]", "embed", "missing.png", "", None),
        ("[t](Note.md)", "markdown", "Note.md", "", ANY),
        ("[t](Note)", "markdown", "Note", "", ANY),
        ("[t](../Folder/Note.md)", "markdown", "../Folder/Note.md", "", ANY),
        ("[t](#Heading)", "markdown", "", "#Heading", ANY),
        ("[t](Note.md#Some%20Heading)", "markdown", "Note.md", "#Some Heading", ANY),
        ("[x](My%20Note.md)", "markdown", "My Note.md", "", ANY),
        ("[x](<My Note.md>)", "markdown", "My Note.md", "", ANY),
        ("![a](pic.png)", "markdown-embed", "pic.png", "", ANY),
        ("![a](My%20pic.png)", "markdown-embed", "My pic.png", "", ANY),
    ],
)
def test_link_parts(text, kind, path, subpath, display):
    _, link = one_link(text)
    assert link.kind == kind
    assert link.path == path
    assert link.subpath == subpath
    if display is not ANY:
        assert link.display == display
    assert link.line == 1
    assert text[link.start : link.end] == text  # the whole link, "!" included
    assert link.is_embed == (kind in ("embed", "markdown-embed"))
    if kind in ("wikilink", "embed"):
        assert text[link.path_start : link.path_end] == path


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("[[]]", id="empty-wikilink"),
        pytest.param("![[]]", id="empty-embed"),
        pytest.param("\\[\\[Note\\]\\]", id="escaped"),
        pytest.param("[[Note\n]]", id="line-break-before-close"),
        pytest.param("[[Note\r\n]]", id="crlf-before-close"),
        pytest.param("[[Note", id="unclosed"),
        pytest.param("Note]]", id="lone-close"),
        pytest.param("`[[Nope]]`", id="code-span"),
        pytest.param("``[[Nope]]``", id="double-code-span"),
        pytest.param("```\n[[Nope]]\n```", id="fence"),
        pytest.param("~~~\n![[Nope.png]]\n~~~", id="tilde-fence"),
        pytest.param("<!-- [[Nope]] -->", id="html-comment"),
        pytest.param("<!--\n[[Nope]]\n-->", id="multiline-html-comment"),
        pytest.param("$[[Nope]]$", id="inline-math"),
        pytest.param("$$\n[[Nope]]\n$$", id="math-block"),
        pytest.param("`[t](Note.md)`", id="markdown-in-code"),
        pytest.param("[x](My Note.md)", id="markdown-raw-spaces"),
        pytest.param("[x](https://example.org)", id="https"),
        pytest.param("[m](mailto:a@b.c)", id="mailto"),
        pytest.param("[o](obsidian://open?vault=v)", id="obsidian-uri"),
        pytest.param("![i](https://x.org/a.png)", id="external-image"),
        pytest.param("<https://x.org>", id="autolink"),
        pytest.param("https://x.org/page", id="bare-url"),
        pytest.param("Footnote[^1] here", id="footnote-ref"),
        pytest.param("[^1]: The footnote text.", id="footnote-def"),
        pytest.param("Inline ^[footnote text] here", id="inline-footnote"),
        pytest.param("- [ ] task", id="open-task"),
        pytest.param("- [x] done", id="done-task"),
        pytest.param("> [!info] Title", id="callout"),
        pytest.param("> [!info]- Foldable", id="foldable-callout"),
        pytest.param("[just brackets]", id="brackets"),
        pytest.param("[[[[[[", id="many-open"),
    ],
)
def test_not_a_link(text):
    assert parse(text).links == []


def test_basic_wikilink_is_certain():
    _, link = one_link("[[Note]]")
    assert link.uncertain is False
    assert link.raw == "Note"


def test_nested_wikilink_yields_only_inner():
    text = "[[Nested [[Inner]] x]]"
    _, link = one_link(text)
    assert link.path == "Inner"
    assert text[link.start : link.end] == "[[Inner]]"


def test_link_spans_in_context():
    text = "See ![[pic.png|100]] here"
    _, link = one_link(text)
    assert text[link.start : link.end] == "![[pic.png|100]]"
    assert text[link.path_start : link.path_end] == "pic.png"


def test_wikilink_raw_is_target_before_display():
    text = "x [[Note#H|A]] y"
    _, link = one_link(text)
    assert link.raw == "Note#H"
    assert text[link.path_start : link.path_end] == "Note"
    assert link.display == "A"


def test_empty_path_has_empty_path_span():
    text = "[[#Heading]]"
    _, link = one_link(text)
    assert link.path_start == link.path_end
    assert text[link.path_start : link.path_end] == ""


def test_markdown_link_spans():
    text = "a [t](Note.md) b"
    _, link = one_link(text)
    assert text[link.start : link.end] == "[t](Note.md)"
    assert text[link.path_start : link.path_end] == "Note.md"
    assert link.raw == "Note.md"


def test_markdown_link_path_span_is_as_written():
    text = "[x](My%20Note.md)"
    _, link = one_link(text)
    assert link.path == "My Note.md"
    assert text[link.path_start : link.path_end] == "My%20Note.md"
    assert link.raw == "My%20Note.md"


def test_markdown_link_angle_brackets_path_span():
    text = "[x](<My Note.md>)"
    _, link = one_link(text)
    assert text[link.path_start : link.path_end] == "My Note.md"


def test_markdown_link_with_subpath_path_span():
    text = "[t](Note.md#Some%20Heading)"
    _, link = one_link(text)
    assert text[link.path_start : link.path_end] == "Note.md"


def test_markdown_image_span_includes_bang():
    text = "x ![a](pic.png) y"
    _, link = one_link(text)
    assert text[link.start : link.end] == "![a](pic.png)"
    assert link.kind == "markdown-embed"


def test_link_lines():
    text = "x\n\n[[A]]\nfoo [[B]] and [t](C.md)\n"
    note = parse(text)
    assert [(lk.path, lk.line) for lk in note.links] == [("A", 3), ("B", 4), ("C.md", 4)]


def test_links_in_document_order():
    text = "[[B]] [[A]]\n[[C]]"
    assert link_paths(parse(text)) == ["B", "A", "C"]


def test_link_in_table_with_escaped_pipe():
    text = "| A | B |\n| --- | --- |\n| [[Folder/Tags\\|Tags]] | x |\n"
    _, link = one_link(text)
    assert link.path == "Folder/Tags"
    assert link.display == "Tags"
    assert text[link.path_start : link.path_end] == "Folder/Tags"
    assert link.line == 3


def test_links_everywhere_markdown_is_parsed():
    text = (
        "- [[A]]\n"
        "- [ ] [[B]]\n"
        "> [[C]]\n"
        "> [!note] [[D]]\n"
        "> body [[E]]\n"
        "\n"
        "**[[F]]** ==[[G]]== ~~[[H]]~~ *[[I]]*\n"
    )
    assert link_paths(parse(text)) == ["A", "B", "C", "D", "E", "F", "G", "H", "I"]


def test_inline_obsidian_comment_contains_real_links():
    text = "task %% [[Other]] %% text"
    _, link = one_link(text)
    assert link.path == "Other"
    assert link.uncertain is False
    assert text[link.start : link.end] == "[[Other]]"


def test_multiline_obsidian_comment_links_are_uncertain_or_absent():
    text = "Before\n%%\n[[Other]]\n%%\nAfter [[Real]]\n"
    note = parse(text)
    certain = [lk.path for lk in note.links if not lk.uncertain]
    assert certain == ["Real"]
    assert all(lk.path == "Other" for lk in note.links if lk.uncertain)


def test_frontmatter_links():
    text = (
        "---\n"
        'up: "[[Home]]"\n'
        "related:\n"
        '  - "[[A#Sec]]"\n'
        "  - '[[B|b]]'\n"
        "plain: [[NotALink]]\n"
        "---\n"
        "Body\n"
    )
    note = parse(text)
    links = sorted(note.links, key=lambda lk: lk.start)
    assert [lk.kind for lk in links] == ["frontmatter"] * 3
    assert [(lk.path, lk.subpath, lk.line) for lk in links] == [
        ("Home", "", 2),
        ("A", "#Sec", 4),
        ("B", "", 5),
    ]
    assert links[2].display == "b"
    assert text[links[0].start : links[0].end] == "[[Home]]"
    for lk in links:
        assert text[lk.path_start : lk.path_end] == lk.path
        assert lk.is_embed is False


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("---\nup: [[Home]]\n---\n", id="unquoted-is-nested-list"),
        pytest.param('---\nup: "[t](Note.md)"\n---\n', id="quoted-markdown-link"),
        pytest.param("---\nup: Home\n---\n", id="plain-string"),
    ],
)
def test_not_a_frontmatter_link(text):
    assert parse(text).links == []


def test_frontmatter_link_with_empty_path():
    text = '---\nup: "[[#H]]"\n---\n'
    _, link = one_link(text)
    assert (link.kind, link.path, link.subpath) == ("frontmatter", "", "#H")


# --------------------------------------------------------------------------- 6. tags


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("#book", ["book"]),
        ("Read #book today", ["book"]),
        ("#nested/tag", ["nested/tag"]),
        ("#with-dash_underscore", ["with-dash_underscore"]),
        ("#café", ["café"]),
        ("#y1984", ["y1984"]),
        ("#1984a", ["1984a"]),
        ("#book, #other.", ["book", "other"]),
        ("- item #todo", ["todo"]),
        ("> quote #q", ["q"]),
        ("a #one\nb #two", ["one", "two"]),
    ],
)
def test_tags(text, names):
    note = parse(text)
    assert tag_names(note) == names
    for tag in note.tags:
        assert text[tag.start : tag.end].lstrip("#") == tag.name


def test_tag_position():
    text = "line one\nsome #tag here"
    [tag] = parse(text).tags
    assert tag.line == 2
    assert text.index("#tag") <= tag.start < text.index("#tag") + 2


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("#1984", id="all-digits"),
        pytest.param("# Heading", id="heading"),
        pytest.param("## Heading", id="heading-2"),
        pytest.param("[[Note#Heading]]", id="wikilink-subpath"),
        pytest.param("[[#Heading]]", id="self-link"),
        pytest.param("![[Note#Heading]]", id="embed-subpath"),
        pytest.param("[t](Note.md#Heading)", id="markdown-subpath"),
        pytest.param("https://x.org/#frag", id="url-fragment"),
        pytest.param("`#code`", id="code-span"),
        pytest.param("```\n#code\n```", id="fence"),
        pytest.param("Para\n\n    #code\n", id="indented-code"),
        pytest.param("<!-- #hidden -->", id="html-comment"),
        pytest.param("$#x$", id="math"),
        pytest.param("#", id="lone-hash"),
    ],
)
def test_not_a_tag(text):
    assert parse(text).tags == []


# --------------------------------------------------------------------------- 7. block ids


@pytest.mark.parametrize(
    ("text", "block_id", "line"),
    [
        ("Some paragraph ^abc-123", "abc-123", 1),
        ("^quote-1", "quote-1", 1),
        ("> Quote\n\n^quote-1\n", "quote-1", 3),
        ("- item ^li-1", "li-1", 1),
        ("Para ^ABC9", "ABC9", 1),
        ("Line one\nLine two ^x1\n", "x1", 2),
    ],
)
def test_block_id(text, block_id, line):
    note = parse(text)
    [block] = note.block_ids
    assert block.id == block_id
    assert block.line == line
    assert text[block.start : block.end].lstrip("^") == block_id


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("word^abc", id="inside-word"),
        pytest.param("Para ^abc_def", id="underscore"),
        pytest.param("Para ^café", id="non-latin"),
        pytest.param("Para ^abc def", id="not-at-end"),
        pytest.param("Para ^abc.", id="trailing-dot"),
        pytest.param("Para ^", id="empty"),
        pytest.param("`Para ^abc`", id="code-span"),
        pytest.param("```\nPara ^abc\n```", id="fence"),
        pytest.param("<!--\nPara ^abc\n-->", id="html-comment"),
        pytest.param("%%\nPara ^abc\n%%", id="obsidian-comment"),
        pytest.param("$$\nx ^abc\n$$", id="math"),
        pytest.param("Para\n\n    code ^abc\n", id="indented-code"),
        pytest.param("Text[^1]", id="footnote-ref"),
        pytest.param("Inline ^[note]", id="inline-footnote"),
    ],
)
def test_not_a_block_id(text):
    assert parse(text).block_ids == []


# --------------------------------------------------------------------------- 8. positions


@pytest.mark.parametrize(
    ("text", "offset", "expected"),
    [
        ("ab\ncd", 0, (1, 1)),
        ("ab\ncd", 1, (1, 2)),
        ("ab\ncd", 3, (2, 1)),
        ("ab\ncd", 4, (2, 2)),
        ("ab\ncd", 5, (2, 3)),
        ("ab\r\ncd", 4, (2, 1)),
        ("ab\r\ncd", 5, (2, 2)),
        ("a\n\nb", 3, (3, 1)),
    ],
)
def test_position(text, offset, expected):
    assert parse(text).position(offset) == expected


@pytest.mark.parametrize(
    ("text", "starts"),
    [
        ("ab\ncd", [0, 3]),
        ("ab\r\ncd", [0, 4]),
        ("a\n\nb", [0, 2, 3]),
        ("one line", [0]),
    ],
)
def test_line_starts(text, starts):
    assert parse(text).line_starts == starts


def test_line_starts_of_empty_text():
    assert parse("").line_starts[0] == 0


@pytest.mark.parametrize(
    ("text", "newline"),
    [
        ("a\nb", "\n"),
        ("a\r\nb", "\r\n"),
        ("a\r\nb\nc", "\r\n"),
        ("a\nb\r\nc", "\n"),
        ("no break", "\n"),
        ("", "\n"),
    ],
)
def test_newline_detection(text, newline):
    assert parse(text).newline == newline


CRLF_SAMPLE = (
    "---\n"
    "title: Dune\n"
    'up: "[[Home]]"\n'
    "---\n"
    "# Dune\n"
    "`Author:` Frank Herbert\n"
    "Rating:: 5\n"
    "Some text [[Arrakis|the planet]] and #scifi [x:: 1] ^para-1\n"
    "\n"
    "## Notes ##\n"
    "> [!info]\n"
    "> ## Summary\n"
    "> See ![[map.png|100]] and [t](Other%20Note.md#Sec)\n"
    "\n"
    "```python\n"
    "code [[NotALink]]\n"
    "```\n"
    "Title\n"
    "===\n"
    "\n"
    "^quote-1\n"
)


def test_crlf_twin_parses_the_same():
    lf = parse(CRLF_SAMPLE)
    crlf_text = CRLF_SAMPLE.replace("\n", "\r\n")
    crlf = parse(crlf_text)
    assert lf.newline == "\n"
    assert crlf.newline == "\r\n"

    def shift(offset: int) -> int:
        return lf_to_crlf_offset(CRLF_SAMPLE, offset)

    assert crlf.frontmatter.data["title"] == "Dune"
    assert crlf.frontmatter.error is None
    assert crlf.frontmatter.end == shift(lf.frontmatter.end)
    assert crlf.body_start == shift(lf.body_start)

    def heading_key(h):
        return (h.level, h.text, h.line, h.setext, h.quote_depth)

    assert [heading_key(h) for h in crlf.headings] == [heading_key(h) for h in lf.headings]
    assert [h.text for h in lf.headings] == ["Dune", "Notes", "Summary", "Title"]
    for a, b in zip(lf.headings, crlf.headings, strict=True):
        assert crlf_text[b.text_start : b.text_end] == b.text
        assert (b.start, b.end, b.text_start, b.text_end, b.section_end) == tuple(
            shift(o) for o in (a.start, a.end, a.text_start, a.text_end, a.section_end)
        )

    def field_key(f):
        return (f.key, f.value, f.source, f.line)

    assert sorted(field_key(f) for f in crlf.fields) == sorted(field_key(f) for f in lf.fields)
    assert {f.key for f in lf.fields} >= {"title", "up", "Author", "Rating", "x"}
    for f in crlf.fields:
        if f.source != "frontmatter":
            assert crlf_text[f.value_start : f.value_end] == f.value
            assert not f.value.endswith("\r")

    def link_key(lk):
        return (lk.kind, lk.path, lk.subpath, lk.display, lk.line)

    assert [link_key(lk) for lk in crlf.links] == [link_key(lk) for lk in lf.links]
    assert {lk.path for lk in lf.links} == {"Home", "Arrakis", "map.png", "Other Note.md"}
    for a, b in zip(lf.links, crlf.links, strict=True):
        assert (b.start, b.end) == (shift(a.start), shift(a.end))
        assert crlf_text[b.start : b.end] == CRLF_SAMPLE[a.start : a.end]

    assert [(t.name, t.line) for t in crlf.tags] == [(t.name, t.line) for t in lf.tags]
    assert [t.name for t in lf.tags] == ["scifi"]
    for a, b in zip(lf.tags, crlf.tags, strict=True):
        assert b.start == shift(a.start)

    assert [(b.id, b.line) for b in crlf.block_ids] == [(b.id, b.line) for b in lf.block_ids]
    assert [b.id for b in lf.block_ids] == ["para-1", "quote-1"]

    assert [r.kind for r in crlf.regions] == [r.kind for r in lf.regions]
    assert crlf.region_at(crlf_text.index("NotALink")).kind == "fence"


# --------------------------------------------------------------------------- 9. robustness


ROBUSTNESS_CASES = [
    pytest.param("", id="empty"),
    pytest.param("   ", id="spaces"),
    pytest.param(" \t \n\n  \n", id="whitespace-lines"),
    pytest.param("\n", id="newline"),
    pytest.param("\r\n", id="crlf"),
    pytest.param("a\rb", id="lone-cr"),
    pytest.param("---", id="only-dashes"),
    pytest.param("---\n", id="only-dashes-newline"),
    pytest.param("---\n---", id="empty-frontmatter-no-newline"),
    pytest.param("```", id="fence-open"),
    pytest.param("```\n# x\n[[y]]", id="unclosed-fence"),
    pytest.param("~~~~\n", id="unclosed-tilde"),
    pytest.param("%%", id="lone-percent"),
    pytest.param("%% x\n# y\n[[z]]", id="unclosed-comment"),
    pytest.param("<!--", id="lone-html-open"),
    pytest.param("<!-- x\n# y\n[[z]]", id="unclosed-html-comment"),
    pytest.param("-->", id="lone-html-close"),
    pytest.param("$$", id="lone-math"),
    pytest.param("$$\n# x\n[[y]]", id="unclosed-math"),
    pytest.param("$", id="lone-dollar"),
    pytest.param("`", id="lone-backtick"),
    pytest.param("a" * 100_000, id="100k-line"),
    pytest.param(("[[a]] #t `c` $m$ [x:: 1] " * 5_000)[:100_000], id="100k-mixed-line"),
    pytest.param(">" * 2_000 + " x", id="2000-quote-markers"),
    pytest.param("> " * 2_000 + "## h", id="2000-quote-markers-heading"),
    pytest.param("> " * 2_000 + "```\n" + "> " * 2_000 + "x", id="2000-quote-markers-fence"),
    pytest.param("[[", id="lone-open"),
    pytest.param("]]", id="lone-close"),
    pytest.param("[[[[[[", id="many-open"),
    pytest.param("]]]]]]", id="many-close"),
    pytest.param("![[", id="lone-embed-open"),
    pytest.param("[[|", id="open-pipe"),
    pytest.param("[](", id="empty-markdown-open"),
    pytest.param("![]()", id="empty-markdown-image"),
    pytest.param("[x]()", id="empty-destination"),
    pytest.param("[x](<>)", id="empty-angle-destination"),
    pytest.param("[x](%)", id="bad-percent"),
    pytest.param("[x](%E0%A4%A)", id="bad-percent-sequence"),
    pytest.param("`:`", id="colon-code"),
    pytest.param("``:`` x", id="double-colon-code"),
    pytest.param("::", id="double-colon"),
    pytest.param("[::]", id="bracket-double-colon"),
    pytest.param("^", id="caret"),
    pytest.param("#", id="hash"),
    pytest.param("=\n=", id="equals"),
    pytest.param("---\n: :\n---\n", id="bad-yaml"),
    pytest.param("---\n\t\n---\n", id="tab-yaml"),
    pytest.param("---\n'[[\n---\n", id="unclosed-quote-yaml"),
    pytest.param('---\nup: "[["\n---\n', id="half-link-yaml"),
    pytest.param("---\n? [a]\n: b\n---\n", id="complex-key-yaml"),
    pytest.param("---\na: &x [*x]\n---\n", id="alias-yaml"),
    pytest.param("📗" * 1_000, id="emoji"),
    pytest.param("\x00\x01\u2028\u2029\ufeff", id="control-chars"),
]


@pytest.mark.parametrize("text", ROBUSTNESS_CASES)
def test_never_raises(text):
    note = parse(text)
    check_invariants(note, text)


SNIPPETS = [
    "#",
    "## ",
    "[",
    "]",
    "[[",
    "]]",
    "|",
    "\\|",
    "\\",
    "`",
    "```",
    "```\n",
    "~",
    "~~~\n",
    "%",
    "%%",
    "$",
    "$$",
    "<!--",
    "-->",
    ">",
    "> ",
    "> [!info]\n",
    "-",
    "- ",
    "---",
    "---\n",
    "===",
    ":",
    "::",
    "`Key:` ",
    "Key:: ",
    "[k:: v]",
    "\n",
    "\r\n",
    " ",
    "    ",
    "\t",
    "a",
    "Note",
    "^",
    "^id",
    "!",
    "(",
    ")",
    "(Note.md)",
    "[t](",
    "[[Note]]",
    "![[pic.png|100]]",
    "[[A#h|x]]",
    "#tag",
    "#1984",
    "https://x.org/#f",
    "📗",
    "é",
    '"',
    "'",
]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(SNIPPETS), max_size=60).map("".join))
def test_property_parse_never_raises_and_spans_are_sane(text):
    note = parse(text)
    check_invariants(note, text)
