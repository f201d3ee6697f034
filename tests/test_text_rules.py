"""The text rules: mojibake (TX01), irregular-whitespace (TX02), trailing-whitespace (TX03)."""

from __future__ import annotations

import time

import pytest

from helpers import check_text, fix_text, memory_index
from test_mojibake import CORRECT, baltic_mix
from vaultlint.config import Config, default_settings
from vaultlint.engine import Engine
from vaultlint.fixer import fix_note
from vaultlint.rules.text import IrregularWhitespace, Mojibake, TrailingWhitespace

# --- mojibake -------------------------------------------------------------------

DAMAGED_PARAGRAPH = baltic_mix("The “relational” mind — it’s between us.")


def test_mojibake_is_reported_once_per_line_and_fixed() -> None:
    text = f"# Note\n\n{DAMAGED_PARAGRAPH}\nPlain line.\nCafÃ© and crÃ¨me.\n"
    findings = check_text(Mojibake, text)
    assert [(f.line, f.code) for f in findings] == [(3, "TX01"), (5, "TX01")]
    first = findings[0]
    assert first.column == 5  # the first damaged stretch, not the line start
    assert "cp1252/ISO-8859-13" in first.message
    assert "'ā€œ' → '“'" in first.message and "and 1 more" in first.message
    assert first.fix is not None and len(first.fix.edits) == 4
    assert "UTF-8 read as cp1252" in findings[1].message
    fixed = fix_text(Mojibake, text).note.text
    assert fixed == (
        "# Note\n\nThe “relational” mind — it’s between us.\nPlain line.\nCafé and crème.\n"
    )


def test_invisible_characters_are_named_in_the_message() -> None:
    [finding] = check_text(Mojibake, "### **šŸ“˜**Ā\u00a0\n")
    assert "'Ā<U+00A0>' → '<U+00A0>'" in finding.message


@pytest.mark.parametrize(
    "text",
    [
        "```\nitâ€™s\n```\n",
        "    itâ€™s (indented code)\n",
        "Code `itâ€™s` span.\n",
        "Math $itâ€™s$ and $$â€œx$$.\n",
        "A %% itâ€™s %% comment.\n",
        "An <!-- itâ€™s --> HTML comment.\n",
        "---\ntitle: itâ€™s\n---\nBody.\n",
    ],
    ids=["fence", "indented", "code-span", "math", "comment", "html-comment", "frontmatter"],
)
def test_mojibake_in_protected_text_is_never_touched(text: str) -> None:
    assert check_text(Mojibake, text) == []
    assert fix_text(Mojibake, text).note.text == text


def test_mojibake_next_to_code_is_fixed_and_the_code_is_kept() -> None:
    text = "itâ€™s `itâ€™s` itâ€™s\n"
    assert fix_text(Mojibake, text).note.text == "it’s `itâ€™s` it’s\n"


@pytest.mark.parametrize("text", CORRECT)
def test_correct_text_in_many_languages_has_no_findings(text: str) -> None:
    note = f"# {text}\n\n{text}\n- {text}\n> {text}\n"
    assert check_text(Mojibake, note) == []
    assert check_text(IrregularWhitespace, note) == []


def test_crlf_notes_keep_their_line_breaks() -> None:
    text = "itâ€™s\r\nCafÃ©\r\n"
    findings = check_text(Mojibake, text)
    assert [f.line for f in findings] == [1, 2]
    assert fix_text(Mojibake, text).note.text == "it’s\r\nCafé\r\n"


# --- irregular-whitespace ---------------------------------------------------------

WHITESPACE_CASES = [
    # (text, fixed) -- fixed None: nothing reported
    ("End\u00a0\n", "End\n"),
    ("End\u00a0\u00a0\n", "End\n"),
    ("End\u202f\n", "End\n"),
    ("End\u00a0 \n", "End \n"),  # the plain space is trailing-whitespace's
    ("End \u00a0\n", "End \n"),
    ("### Overview\u00a0\n", "### Overview\n"),
    ("### **📘**\u00a0\n", "### **📘**\n"),
    ("> [!info]\n> Quoted\u00a0\n", "> [!info]\n> Quoted\n"),
    ("neuro\u200bbiology\n", "neurobiology\n"),
    ("\u200bStart\n", "Start\n"),
    ("word\u2060joiner\n", "wordjoiner\n"),
    ("a\ufeffb\n", "ab\n"),
    ("Mind\u2003as\u2002flow\n", "Mind as flow\n"),
    ("Mind\u2003\u200bas\n", "Mind as\n"),
    ("End\u2003\n", "End\n"),
    ("End\u00a0\r\nNext\r\n", "End\r\nNext\r\n"),
    ("End\u00a0", "End"),
    ("« Oui\u00a0», 10\u00a0km\n", None),  # typography inside a line
    ("\u00a0\n", None),  # a spacer line
    ("\u2003\u2003\n", None),
    ("\u2003Indented on purpose\n", None),
    ("👩\u200d💻 and ‌ZWNJ: می\u200cخواهم\n", None),  # joiners are needed
    ("`code\u00a0`\n", None),
    ("```\ncode\u00a0\nx\u200by\n```\n", None),
    ("$x\u2003y$\n", None),
    ("%% c\u200bc %%\n", None),
    ("---\ntitle: x\u200by\n---\n", None),
    ("Plain ASCII \n", None),
]


@pytest.mark.parametrize(("text", "fixed"), WHITESPACE_CASES)
def test_irregular_whitespace(text: str, fixed: str | None) -> None:
    findings = check_text(IrregularWhitespace, text)
    if fixed is None:
        assert findings == []
        return
    assert findings
    assert fix_text(IrregularWhitespace, text).note.text == fixed


def test_irregular_whitespace_messages_name_the_character() -> None:
    [end] = check_text(IrregularWhitespace, "End\u00a0\n")
    assert end.message == "no-break space at the end of the line"
    assert (end.line, end.column) == (1, 4)
    [zero] = check_text(IrregularWhitespace, "a\u200bb\n")
    assert zero.message == "zero width space"


def test_a_damaged_no_break_space_is_left_to_mojibake() -> None:
    """``Ā`` + NBSP is one damaged NBSP: removing the NBSP would strand the ``Ā``."""
    text = "### **šŸ“˜**Ā\u00a0\nThe endĀ\u00a0\n"
    assert check_text(IrregularWhitespace, text) == []
    assert check_text(IrregularWhitespace, "Āžuolas\u00a0\n") != []  # correct text


def test_mojibake_then_irregular_whitespace_compose() -> None:
    text = "Heading endĀ\u00a0\nText itâ€™s\u200b fine\n"
    index = memory_index({"Note.md": text})
    note = index.note("Note.md")
    assert note is not None
    engine = Engine(
        Config(root=index.root, rules=default_settings()), index, select=["TX01", "TX02"]
    )
    outcome = fix_note(note, engine.check)
    assert outcome.note.text == "Heading end\nText it’s fine\n"
    assert outcome.findings == []


# --- trailing-whitespace (kept alongside) -------------------------------------------


def test_trailing_whitespace_leaves_no_break_spaces_to_tx02() -> None:
    assert check_text(TrailingWhitespace, "End\u00a0\n") == []
    assert len(check_text(TrailingWhitespace, "End \n")) == 1


def test_trailing_whitespace_is_linear_in_deep_indentation() -> None:
    """A regex that backtracks over indentation took minutes on this note."""
    text = "".join("  " * i + "- item\n" for i in range(2000)) + "end   \n"
    started = time.perf_counter()
    findings = check_text(TrailingWhitespace, text)
    assert time.perf_counter() - started < 2
    assert [(f.line, f.column) for f in findings] == [(2001, 4)]


def test_link_targets_are_left_alone_but_their_text_is_repaired() -> None:
    text = "See [[CafÃ©|CafÃ©]] and ![[šŸ“˜.png]] and [CafÃ©](CafÃ©.md).\n"
    fixed = fix_text(Mojibake, text).note.text
    assert fixed == "See [[CafÃ©|Café]] and ![[šŸ“˜.png]] and [Café](CafÃ©.md).\n"
