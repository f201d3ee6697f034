"""Zero-width characters that are writing (irregular-whitespace, TX02).

U+200B separates words in Thai, Lao, Myanmar and Khmer; U+200C spells Persian
and Indic words; U+200D joins emoji. File names and headings hold them too, so
links do: the fix must never break such a link.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import check_text, fix_text, write_vault
from vaultlint.cli import main
from vaultlint.parse import parse_note
from vaultlint.rules.text import IrregularWhitespace

ZWSP, ZWNJ, ZWJ = "\u200b", "\u200c", "\u200d"

KHMER_NAME = f"ប្រវត្តិ{ZWSP}សាស្ត្រ"  # "history", two words
PERSIAN_NAME = f"کتاب{ZWNJ}ها"  # "books"
PASTED_NAME = f"Zero{ZWSP}Trust architecture"  # a title pasted from a web page

KHMER_NOTE = f"""# {KHMER_NAME}

ប្រទេស{ZWSP}កម្ពុជា{ZWSP}មាន{ZWSP}ប្រវត្តិ{ZWSP}យូរ{ZWSP}លង់។ អង្គរវត្ត{ZWSP}ត្រូវ{ZWSP}បាន{ZWSP}សាង{ZWSP}សង់
នៅ{ZWSP}សតវត្សរ៍{ZWSP}ទី{ZWSP}១២។ សូម{ZWSP}អាន [[{PERSIAN_NAME}]] ផង។
"""

THAI_NOTE = f"""# บันทึกการอ่าน

ภาษาไทย{ZWSP}เขียน{ZWSP}ติดกัน{ZWSP}โดย{ZWSP}ไม่มี{ZWSP}ช่องว่าง{ZWSP}ระหว่าง{ZWSP}คำ
ดู [[{KHMER_NAME}]] และ [[{KHMER_NAME}#{KHMER_NAME}]]
"""

PERSIAN_NOTE = f"""# {PERSIAN_NAME}

## می{ZWNJ}خواهم بخوانم

من می{ZWNJ}خواهم این کتاب{ZWNJ}ها را بخوانم. نوشته{ZWNJ}های [[{PASTED_NAME}]] هم خوب است.
"""

PASTED_NOTE = f"""# {PASTED_NAME}

## Threat{ZWSP}model

Every request is checked, inside the network too. The team 👩{ZWJ}💻 wrote it up.
The neuro{ZWSP}biology analogy in the talk did not help.
"""

READING_LIST = f"""# Reading list

- [[{KHMER_NAME}]]
- [[{PERSIAN_NAME}#می{ZWNJ}خواهم بخوانم]]
- [[{PASTED_NAME}]], and its [[{PASTED_NAME}#Threat{ZWSP}model|threat model]]
- ![[{PASTED_NAME}#Threat{ZWSP}model]]
"""

FILES = {
    f"Khmer/{KHMER_NAME}.md": KHMER_NOTE,
    "Thai/บันทึกการอ่าน.md": THAI_NOTE,
    f"Persian/{PERSIAN_NAME}.md": PERSIAN_NOTE,
    f"Notes/{PASTED_NAME}.md": PASTED_NOTE,
    "Reading list.md": READING_LIST,
}


@pytest.mark.parametrize("path", [f"Khmer/{KHMER_NAME}.md", "Thai/บันทึกการอ่าน.md"])
def test_word_separators_of_scripts_without_spaces_are_writing(path: str) -> None:
    assert check_text(IrregularWhitespace, FILES[path], path=path, files=FILES) == []


def test_joiners_are_writing() -> None:
    path = f"Persian/{PERSIAN_NAME}.md"
    assert check_text(IrregularWhitespace, PERSIAN_NOTE, path=path, files=FILES) == []


def test_links_and_embeds_are_never_touched() -> None:
    findings = check_text(IrregularWhitespace, READING_LIST, path="Reading list.md", files=FILES)
    assert findings == []


def test_zero_width_in_a_heading_is_reported_without_a_fix() -> None:
    path = f"Notes/{PASTED_NAME}.md"
    findings = check_text(IrregularWhitespace, PASTED_NOTE, path=path, files=FILES)
    assert [(f.line, f.fixable) for f in findings] == [(1, False), (3, False), (6, True)]
    fixed = fix_text(IrregularWhitespace, PASTED_NOTE, path=path, files=FILES).note.text
    assert fixed == PASTED_NOTE.replace(f"neuro{ZWSP}biology", "neurobiology")


def test_zero_width_space_in_latin_text_is_still_removed() -> None:
    assert fix_text(IrregularWhitespace, "The neuro\u200bbiology of us.\n").note.text == (
        "The neurobiology of us.\n"
    )


def _findings(vault: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> list[dict]:
    argv = ["check", str(vault), "--output-format", "json", "--no-cache", *extra]
    main([*argv, "--extend-select", "broken-heading-link,broken-block-link"])
    return list(json.loads(capsys.readouterr().out))


def test_fix_keeps_every_link_resolving(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    vault = write_vault(tmp_path / "vault", FILES)
    before = _findings(vault, capsys)
    assert [(f["path"], f["line"], f["rule"], f["fixable"]) for f in before] == [
        (f"Notes/{PASTED_NAME}.md", 1, "irregular-whitespace", False),
        (f"Notes/{PASTED_NAME}.md", 3, "irregular-whitespace", False),
        (f"Notes/{PASTED_NAME}.md", 6, "irregular-whitespace", True),
    ]
    _findings(vault, capsys, "--fix")
    after = _findings(vault, capsys)
    assert [(f["line"], f["fixable"]) for f in after] == [(1, False), (3, False)]
    for name, text in FILES.items():
        written = (vault / name).read_text(encoding="utf-8")
        if name.startswith("Notes/"):
            text = text.replace(f"neuro{ZWSP}biology", "neurobiology")
        assert written == text, name


# --- the safe fix, on random notes ------------------------------------------------------

SCRIPT_PIECES = [
    f"ภาษา{ZWSP}ไทย",
    f"ພາສາ{ZWSP}ລາວ",
    f"မြန်မာ{ZWSP}စာ",
    f"ខ្មែរ{ZWSP}ភាសា",
    f"می{ZWNJ}خواهم",
    f"क्{ZWJ}ष",
    f"👩{ZWJ}💻",
    f"neuro{ZWSP}biology",
    f"[[{PASTED_NAME}]]",
    f"![[{KHMER_NAME}]]",
    "[x](Zero%E2%80%8BTrust.md)",
    f"`a{ZWSP}b`",
    f"$x{ZWSP}y$",
    f"%% c{ZWSP}d %%",
    f"<div>{ZWSP}</div>",
    "## Head\u00a0",
    "\u2003",
    "\u00a0",
    "\ufeff",
    "word",
    "```",
]


def _letters(text: str) -> list[str]:
    return sorted(c for c in text if unicodedata.category(c)[0] in "LMN")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.sampled_from(SCRIPT_PIECES), max_size=4), min_size=1, max_size=8))
def test_safe_fix_keeps_letters_links_and_regions(lines: list[list[str]]) -> None:
    text = "\n".join(" ".join(line) for line in lines) + "\n"
    before = parse_note("Note.md", text)
    fixed = fix_text(IrregularWhitespace, text, files=FILES).note.text
    after = parse_note("Note.md", fixed)
    assert _letters(fixed) == _letters(text)
    assert [(lk.kind, lk.raw) for lk in after.links] == [(lk.kind, lk.raw) for lk in before.links]
    assert [text[r.start : r.end] for r in before.regions] == [
        fixed[r.start : r.end] for r in after.regions
    ]


def test_an_invisible_character_starting_a_line_is_only_an_unsafe_fix() -> None:
    """Without the U+FEFF the line would start an HTML block: the safe fix leaves it."""
    text = "Pasted from the clipper:\n\ufeff<div>Reading queue</div>\n"
    (finding,) = check_text(IrregularWhitespace, text)
    assert finding.fix is not None and not finding.fix.safe
    assert fix_text(IrregularWhitespace, text, files=FILES).note.text == text
    assert fix_text(IrregularWhitespace, text, files=FILES, unsafe=True).note.text == (
        "Pasted from the clipper:\n<div>Reading queue</div>\n"
    )


def test_an_odd_space_after_a_quote_marker_before_a_fence_is_only_an_unsafe_fix() -> None:
    """Made a plain space, the em space would open a fence in the quote (``>   ```),
    turning the rest of the quote, and its link, into code."""
    text = "> Meeting notes\n> \u2003 ``` [[Reading list]] was pasted here\n"
    (finding,) = check_text(IrregularWhitespace, text, files=FILES)
    assert finding.fix is not None and not finding.fix.safe
    assert fix_text(IrregularWhitespace, text, files=FILES).note.text == text
    # Before a word it opens nothing: still a safe fix.
    word = "> \u2003Meeting notes\n"
    assert fix_text(IrregularWhitespace, word, files=FILES).note.text == ">  Meeting notes\n"
