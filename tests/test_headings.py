"""Heading rules HD01-HD05, and how they compose with the text rules through --fix."""

from __future__ import annotations

import random
import re
from collections import Counter
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import check_text, fix_text, genvault, memory_index, write_vault
from test_mojibake import baltic_mix
from vaultlint.cli import main
from vaultlint.config import Config, default_settings, load_config
from vaultlint.engine import Engine
from vaultlint.fixer import apply_fixes, fix_note, select_fixes
from vaultlint.mojibake import repair
from vaultlint.rules.headings import (
    EmojiHeading,
    EmptyHeading,
    HeadingEmphasis,
    HeadingFragment,
    HeadingIncrement,
)

# The issue's example: a summary pasted from a chat assistant.
EXAMPLE = (
    "## **📘** \n"
    "## **The Neurobiology of Us**\n"
    "### **🧠** \n"
    "### **Overview**\n"
    "#### **1.** \n"
    "#### **Mind as Flow**\n"
)
CLEAN = "## The Neurobiology of Us\n### Overview\n#### 1. Mind as Flow\n"
# Its twin after a Baltic code page: the trailing spaces were no-break spaces.
TWIN = baltic_mix(EXAMPLE.replace("** \n", "**\u00a0\n") + "\n“We” think — it’s 📘.\n")
TWIN_CLEAN = CLEAN + "\n“We” think — it’s 📘.\n"


def test_the_twin_is_the_damage_the_issue_shows() -> None:
    assert TWIN.startswith("## **šŸ“˜**Ā\u00a0\n")
    assert "ā€œWeā€ think" in TWIN


# --- emoji-heading ------------------------------------------------------------------


@pytest.mark.parametrize(
    "heading",
    [
        "## 📘",
        "## **📘**",
        "## __🧠__ ",
        "## *✨ 🎯*",
        "## ✨ — ✨",
        "## ...",
        "## 📘\u00a0",
        "## **šŸ“˜**Ā\u00a0",  # damaged 📘 and NBSP
        "## **🧠**Ā\u00a0",  # its only letter comes from a damaged NBSP
        "> ## 🔑",
        "## 🧠 ##",
    ],
)
def test_headings_without_words_are_reported(heading: str) -> None:
    findings = check_text(EmojiHeading, f"{heading}\n## Title\n")
    assert [f.code for f in findings] == ["HD01"]
    assert findings[0].line == 1


@pytest.mark.parametrize(
    "heading",
    [
        "## 📘 Overview",
        "## 1️⃣ Step",
        "## 2024",
        "## Ā",  # a Latvian letter, not a damaged byte
        "## Ādaži 🏡",
        "## 中文",
        "## [[📘]]",  # a link
        "## `🧠`",  # code
        "## #📘",  # a tag
        "## ****",  # empty: empty-heading's
        "```\n## 📘\n```",
        "<!--\n## 📘\n-->",
    ],
)
def test_headings_with_words_or_markup_are_not_emoji_headings(heading: str) -> None:
    assert check_text(EmojiHeading, f"{heading}\n## Title\n") == []


@pytest.mark.parametrize(
    ("text", "fixed", "safe"),
    [
        ("## 📘\n## Title\nText.\n", "## Title\nText.\n", True),
        ("## 📘\n\n\n## Title\n", "\n\n## Title\n", True),  # blank lines are kept
        ("# A\n## 📘\n### Title\n", "# A\n### Title\n", True),
        ("# A\nText.\n## 📘", "# A\nText.\n", True),  # nothing follows
        ("# A\nText.\n## 📘\n\n", "# A\nText.\n\n", True),
        ("> [!info]\n> ## 📘\n>\n> ## Title\n", "> [!info]\n>\n> ## Title\n", True),
        ("## 📘\nText.\n", "Text.\n", False),
        ("# A\n## 📘\nText.\n", "# A\nText.\n", False),
        ("Intro.\n## 📘\nText.\n", "Intro.\n\nText.\n", False),  # paragraphs stay apart
        ("> Intro.\n> ## 📘\n> Text.\n", "> Intro.\n>\n> Text.\n", False),
        ("📘\n===\n## Title\n", "## Title\n", True),  # setext
        ("## 📘\r\n## Title\r\n", "## Title\r\n", True),
    ],
)
def test_emoji_heading_fix(text: str, fixed: str, safe: bool) -> None:
    [finding] = check_text(EmojiHeading, text)
    assert finding.fix is not None and finding.fix.safe is safe
    assert ("content follows" in finding.message) is not safe
    assert fix_text(EmojiHeading, text, unsafe=True).note.text == fixed
    if not safe:
        assert fix_text(EmojiHeading, text).note.text == text


def test_consecutive_emoji_headings_are_all_deleted() -> None:
    text = "## 📘\n### 🧠\n### Title\n"
    assert fix_text(EmojiHeading, text).note.text == "### Title\n"


# --- heading-fragment -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "fixed"),
    [
        ("#### 1.\n#### Mind as Flow\n", "#### 1. Mind as Flow\n"),
        ("#### **1.**\n#### **Mind as Flow**\n", "#### **1. Mind as Flow**\n"),
        ("#### **1.**\n#### Mind as Flow\n", "#### 1. Mind as Flow\n"),
        ("#### 1.\n#### **Mind as Flow**\n", "#### 1. **Mind as Flow**\n"),
        ("#### _1._\n#### _Mind_\n", "#### _1. Mind_\n"),
        ("## 2)\n## Results\n", "## 2) Results\n"),
        ("## IV.\n## Results\n", "## IV. Results\n"),
        ("## iv)\n## Results\n", "## iv) Results\n"),
        ("## B.\n## Results\n", "## B. Results\n"),
        ("## 1.2\n## Results\n", "## 1.2 Results\n"),
        ("## 12.\n\n## Results\n", "## 12. Results\n"),
        ("#### **1.**\u00a0\n#### **Mind as Flow**\n", "#### **1. Mind as Flow**\n"),
        ("#### **1.**Ā\u00a0\n#### **Mind as Flow**\n", "#### **1. Mind as Flow**\n"),
        ("> #### 1.\n> #### Mind\n", "> #### 1. Mind\n"),
        ("## 1.\n## Results ##\n", "## 1. Results ##\n"),
        ("## 1.\r\n## Results\r\n", "## 1. Results\r\n"),
    ],
)
def test_heading_fragments_are_merged(text: str, fixed: str) -> None:
    findings = check_text(HeadingFragment, text)
    assert [f.code for f in findings] == ["HD02"]
    assert fix_text(HeadingFragment, text).note.text == fixed


@pytest.mark.parametrize(
    "text",
    [
        "## 1.\n### Results\n",  # a deeper heading: a real outline level
        "### 1.\n## Results\n",
        "## 1.\nText.\n## Results\n",
        "## 2024\n## January\n",  # a year, not a list number
        "## civil.\n## Results\n",
        "## mix.\n## Results\n",
        "## 1.\n## 2.\n",  # two numbers
        "## 1.\n## 📘\n",
        "> ## 1.\n## Results\n",  # different quote depth
        "1.\n===\n# Results\n",  # setext
        "## 1. Mind as Flow\n## 2. Next\n",
    ],
)
def test_not_heading_fragments(text: str) -> None:
    assert check_text(HeadingFragment, text) == []


def test_fragment_message_names_both_parts() -> None:
    [finding] = check_text(HeadingFragment, "#### **1.**\n#### **Mind as Flow**\n")
    assert finding.message == "heading '1.' is split from its title 'Mind as Flow'"


# --- heading-emphasis -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "fixed"),
    [
        ("## **Overview**\n", "## Overview\n"),
        ("## __Overview__\n", "## Overview\n"),
        ("## *Overview*\n", "## Overview\n"),
        ("## _Overview_\n", "## Overview\n"),
        ("## ***Overview***\n", "## Overview\n"),
        ("## **Don't *panic* now**\n", "## Don't *panic* now\n"),
        ("## **Overview** ##\n", "## Overview ##\n"),
        ("## **Overview**\u00a0\n", "## Overview\u00a0\n"),  # the NBSP is TX02's
        ("## **Overview**Ā\u00a0\n", "## OverviewĀ\u00a0\n"),  # the damage is TX01's
        ("## **Cafés Ādaži**\n", "## Cafés Ādaži\n"),
        ("> [!note]\n> ### **Overview**\n", "> [!note]\n> ### Overview\n"),
        ("**Overview**\n---\n", "Overview\n---\n"),  # setext
        ("## **1.**\n", "## 1.\n"),
    ],
)
def test_wrapped_headings_are_unwrapped(text: str, fixed: str) -> None:
    assert [f.code for f in check_text(HeadingEmphasis, text)] == ["HD03"]
    assert fix_text(HeadingEmphasis, text).note.text == fixed


@pytest.mark.parametrize(
    "text",
    [
        "## The **Neurobiology** of Us\n",
        "## **Mind** as **Flow**\n",
        "## *Mind* and *Flow*\n",
        "## ** Overview **\n",  # not emphasis in Markdown
        "## **Overview\\**\n",
        "## **📘**\n",  # emoji-heading's
        "## ****\n",  # empty-heading's
        "## Overview\n",
        "## snake_case_name\n",
        "```\n## **Overview**\n```\n",
    ],
)
def test_not_wrapped_headings(text: str) -> None:
    assert check_text(HeadingEmphasis, text) == []


# --- empty-heading ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "fixed"),
    [
        ("## A\n#\n## B\n", "## A\n## B\n"),
        ("## A\n## ****\n## B\n", "## A\n## B\n"),
        ("## A\n## __\n", "## A\n"),
        ("## A\n## ** **\n", "## A\n"),
        ("## A\n## \u00a0\n", "## A\n"),
        ("## A\n## Ā\u00a0\n", "## A\n"),  # a damaged NBSP and nothing else
        ("## A\n###### #\n", "## A\n"),  # closing hashes only
        ("Text.\n##\nMore.\n", "Text.\n\nMore.\n"),
    ],
)
def test_empty_headings_are_deleted(text: str, fixed: str) -> None:
    assert [f.code for f in check_text(EmptyHeading, text)] == ["HD04"]
    assert fix_text(EmptyHeading, text).note.text == fixed


@pytest.mark.parametrize("text", ["## A\n", "#tag\n", "## 📘\n", "`##`\n", "```\n##\n```\n"])
def test_not_empty_headings(text: str) -> None:
    assert check_text(EmptyHeading, text) == []


# --- heading-increment ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "lines"),
    [
        ("# A\n### B\n", [2]),
        ("# A\n## B\n#### C\n## D\n#### E\n", [3, 5]),
        ("### A\n", []),  # the first heading may start anywhere
        ("# A\n## B\n### C\n# D\n## E\n", []),
        ("# A\n> ### B\n", [2]),
    ],
)
def test_heading_increment(text: str, lines: list[int]) -> None:
    findings = check_text(HeadingIncrement, text)
    assert [f.line for f in findings] == lines
    assert all(f.fix is None for f in findings)


def test_heading_increment_is_off_by_default_and_on_in_strict(tmp_path: Path) -> None:
    assert HeadingIncrement.enabled is False
    assert default_settings()["heading-increment"].severity is None
    write_vault(tmp_path, {".vaultlint.yaml": "extends: strict\n"})
    strict = load_config(tmp_path)
    for name in ("heading-increment", "emoji-heading", "mojibake", "irregular-whitespace"):
        assert strict.rules[name].severity is not None
        assert strict.rules[name].severity.value == "error"


# --- composition through the fixer -------------------------------------------------


def _engine_check(text: str) -> tuple[Engine, list[str]]:
    index = memory_index({"Note.md": text})
    engine = Engine(Config(root=index.root, rules=default_settings()), index)
    note = index.note("Note.md")
    assert note is not None
    return engine, [f.code for f in engine.check(note)]


def test_check_mode_sees_what_fix_will_fix_on_the_twin() -> None:
    _, found = _engine_check(TWIN)
    assert found.count("HD01") == 2  # judged on the repaired text
    assert found.count("HD02") == 1
    assert found.count("HD03") == 4
    assert "TX01" in found


def test_one_pass_takes_non_overlapping_fixes_and_loses_nothing() -> None:
    engine, _ = _engine_check(EXAMPLE)
    index = memory_index({"Note.md": EXAMPLE})
    note = index.note("Note.md")
    assert note is not None
    chosen = select_fixes(note, engine.check(note), unsafe=False)
    spans = sorted((e.start, e.end) for _, fix in chosen for e in fix.edits)
    assert all(a[1] <= b[0] for a, b in pairwise(spans))
    rules = Counter(f.rule for f, _ in chosen)
    assert rules["emoji-heading"] == 2 and rules["heading-emphasis"] == 4
    once = apply_fixes(note.text, [fix for _, fix in chosen])
    for word in ("The", "Neurobiology", "of", "Us", "Overview", "1", "Mind", "as", "Flow"):
        assert re.search(rf"\b{word}\b", once)
    assert fix_note(note, engine.check).note.text == CLEAN


@pytest.mark.parametrize(("text", "clean"), [(EXAMPLE, CLEAN), (TWIN, TWIN_CLEAN)])
def test_one_fix_run_cleans_the_pasted_summary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, clean: str
) -> None:
    vault = write_vault(tmp_path, {"Notes/Summary.md": text})
    path = vault / "Notes" / "Summary.md"
    assert main(["--fix", str(path)]) == 0
    assert path.read_text(encoding="utf-8") == clean
    assert "Fixing Notes/Summary.md" in capsys.readouterr().err
    assert main(["--fix", str(path)]) == 0
    assert path.read_text(encoding="utf-8") == clean
    assert "Fixing" not in capsys.readouterr().err
    assert main(["check", str(path)]) == 0


def test_check_mode_reports_the_twin_through_the_cli(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = write_vault(tmp_path, {"Summary.md": TWIN})
    assert (
        main(
            ["check", "--strict", "--select", "HD01,TX01", "--output-format", "concise", str(vault)]
        )
        == 1
    )
    out = capsys.readouterr().out
    assert "Summary.md:1:1: warning HD01 heading without words: '**📘**'" in out
    assert "Summary.md:3:1: warning HD01 heading without words: '**🧠**'" in out
    assert out.count("HD01") == 2


# --- a generated vault ---------------------------------------------------------------

EMOJI = ["📘", "🧠", "🔑", "🧬", "📜", "🪶", "💡", "📌", "✨", "🎯"]
WORDS = ["mind", "brain", "relation", "attention", "memory", "habit", "focus", "story"]


def _book_note(rng: random.Random) -> str:
    """A book note the way genvault.py (../shared/bench) writes them, plus fragments."""
    lines = ["`Author:` Ursula Le Guin", "", "> [!info]", "> ## Summary"]
    for k in range(rng.randint(2, 5)):
        emoji = rng.choice(EMOJI)
        if rng.random() < 0.6:
            damaged = rng.random() < 0.5
            lines.append(f"### **{baltic_mix(emoji) if damaged else emoji}**\u00a0")
        if rng.random() < 0.3:
            lines += [f"### **{k + 1}.**\u00a0", f"### **{rng.choice(WORDS).capitalize()}**"]
        else:
            lines.append(f"### **{rng.choice(WORDS).capitalize()} {rng.choice(WORDS)}**")
        words = " ".join(rng.choice(WORDS) for _ in range(8))
        lines.append(f"- {words.capitalize()} **{rng.choice(WORDS)}** end.")
        lines.append("---")
    lines.append(baltic_mix("The “relational” mind — it’s between us."))
    lines += ["", "## Notes", "```", "x = 'itâ€™s'  # code is never touched", "```", ""]
    lines.append("Inline `ā€œcodeā€` and $x\u2003y$ stay.")
    return "\n".join(lines) + "\n"


def _words(text: str) -> Counter[str]:
    """The words of a text; zero-width spaces (removed by the fix) do not split words."""
    return Counter(re.findall(r"[^\W_]+", re.sub("[\u200b\u2060\ufeff]", "", text)))


def _fix_and_verify(vault: Path, capsys: pytest.CaptureFixture[str]) -> None:
    notes = sorted(vault.rglob("*.md"))
    before = {p: p.read_text(encoding="utf-8") for p in notes}
    assert main(["--fix", "-q", str(vault)]) in (0, 1)
    after = {p: p.read_text(encoding="utf-8") for p in notes}
    for path in notes:
        # Every word kept (after repairing mojibake; code is compared as it was).
        assert _words(repair(before[path])) == _words(repair(after[path])), path
    capsys.readouterr()
    assert main(["check", "--select", "TX01,HD01,HD02,HD03,HD04", "-q", str(vault)]) == 0
    assert main(["--fix", "-q", str(vault)]) in (0, 1)
    assert {p: p.read_text(encoding="utf-8") for p in notes} == after, "second run changed"


def test_a_generated_vault_is_cleaned_in_one_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rng = random.Random(5)
    files = {f"Books/Book {i}.md": _book_note(rng) for i in range(40)}
    vault = write_vault(tmp_path, files)
    _fix_and_verify(vault, capsys)
    sample = (vault / "Books" / "Book 0.md").read_text(encoding="utf-8")
    assert "x = 'itâ€™s'" in sample and "`ā€œcodeā€`" in sample and "\u2003" in sample
    assert "The “relational” mind — it’s between us." in sample
    assert "**" not in "".join(line for line in sample.splitlines() if line.startswith("###"))


def test_the_benchmark_vault_is_cleaned_in_one_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _fix_and_verify(genvault(tmp_path / "vault", 80), capsys)


LINES = [
    "## **📘**\u00a0",
    "### **šŸ§\u00a0**Ā\u00a0",
    "## **The Neurobiology of Us**",
    "### Overview ",
    "#### **1.**Ā\u00a0",
    "#### **2)**",
    "#### _Mind as Flow_",
    "#",
    "## ****",
    "> ## ✨",
    "> ### **Callout title**",
    "> text in a callout\u00a0",
    "",
    "Plain text, it’s fine.",
    "ā€œDamagedā€ text — itā€™s here.",
    "Zero\u200bwidth and em\u2003space.",
    "```",
    "code **kept** `as is`",
    "- item **bold** 🧠",
    "Title",
    "===",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(LINES), max_size=14))
def test_fixes_converge_and_keep_every_word(lines: list[str]) -> None:
    text = "\n".join(lines) + "\n"
    index = memory_index({"Note.md": text})
    note = index.note("Note.md")
    assert note is not None
    engine = Engine(Config(root=index.root, rules=default_settings()), index, select=["TX", "HD"])
    outcome = fix_note(note, engine.check)
    assert _words(repair(text)) == _words(repair(outcome.note.text))
    again = fix_note(outcome.note, engine.check)
    assert not again.changed
    left = [f.code for f in again.findings if f.fix is not None and f.fix.safe]
    assert left == []


# --- no fix makes two headings one, nor empties a note (the fixer's guard) ----------

# A chat answer pasted twice into one note, as people do when they ask again: each
# answer opens with a decoration heading, and both have a "Balance" section.
PASTED_TWICE = (
    "# Sleep and work\n"
    "## **📘** \n"
    "### **Balance**\n"
    "Work and rest in turn.\n"
    "### **Habits**\n"
    "- a fixed bedtime\n"
    "## **📘**\n"
    "### **Balance**\n"
    "Rest is work too.\n"
)


def _default_fix(text: str, unsafe: bool, path: str = "Note.md") -> tuple[str, list[str]]:
    index = memory_index({path: text})
    note = index.note(path)
    assert note is not None
    engine = Engine(Config(root=index.root, rules=default_settings()), index)
    outcome = fix_note(note, engine.check, unsafe=unsafe)
    return outcome.note.text, [f"{f.code} {f.message}" for f in outcome.findings]


@pytest.mark.parametrize("unsafe", [False, True])
def test_no_fix_makes_two_headings_siblings(unsafe: bool) -> None:
    fixed, left = _default_fix(PASTED_TWICE, unsafe)
    # The first decoration goes (its Balance joins the top: no sibling is called so);
    # the second would make the two Balance sections siblings: it stays, and says why.
    assert fixed == (
        "# Sleep and work\n### Balance\nWork and rest in turn.\n### Habits\n- a fixed bedtime\n"
        "## **📘**\n### Balance\nRest is work too.\n"
    )
    assert left == [
        "HD01 heading without words: '**📘**' (not fixed: two headings 'Balance' would "
        "then share a parent)"
    ]
    again, _ = _default_fix(fixed, unsafe)
    assert again == fixed


def test_the_check_says_a_fix_is_not_offered_and_the_counts_agree() -> None:
    index = memory_index({"Note.md": PASTED_TWICE})
    note = index.note("Note.md")
    assert note is not None
    findings = Engine(Config(root=index.root, rules=default_settings()), index).check(note)
    refused = [f for f in findings if "(not fixed: " in f.message]
    # In check mode both decorations look deletable, but not both together.
    assert [(f.code, f.line, f.fix) for f in refused] == [("HD01", 7, None)]
    assert all(f.fix is not None for f in findings if f.code in ("HD01", "HD03") and f.line != 7)


def test_bold_stripped_from_headings_that_are_already_duplicates_is_fixed() -> None:
    # ``### **Balance**`` and ``### Balance`` are one heading to a link already:
    # removing the bold changes nothing there, so it stays a safe fix.
    text = "## Habits\n### **Balance**\nWork.\n### Balance\nRest.\n"
    fixed, left = _default_fix(text, unsafe=False)
    assert fixed == "## Habits\n### Balance\nWork.\n### Balance\nRest.\n"
    assert [line.split(" ", 1)[0] for line in left] == ["HD06"]


def test_a_duplicate_that_damage_hid_is_one_already() -> None:
    # Mojibake is repaired (the heading rules judge the repaired text): the two
    # headings were one to a reader, and duplicate-heading says so once repaired.
    text = "## CafÃ© notes\nFirst.\n## Café notes\nFinal.\n"
    fixed, left = _default_fix(text, unsafe=False)
    assert fixed == "## Café notes\nFirst.\n## Café notes\nFinal.\n"
    assert [line[:30] for line in left] == ["HD06 duplicate heading 'Café n"]


def test_merging_fragments_into_a_heading_the_note_has_is_not_offered() -> None:
    text = "## 1. Mind as Flow\nAn essay.\n## **1.**\n## **Mind as Flow**\nAgain.\n"
    fixed, left = _default_fix(text, unsafe=True)
    assert "## 1. Mind as Flow\nAn essay.\n" in fixed
    assert fixed.count("Mind as Flow") == 2
    assert any(line.startswith("HD02 ") and "(not fixed: two headings" in line for line in left)


@pytest.mark.parametrize(
    "text",
    [
        "# 📘\n",
        "### **✨**\r\n\r\n",
        "---\ntags: [idea]\n---\n## 🧠\n",
        "# 📘\n## ****\n",
        "%% vaultlint-disable-next-line broken-link %%\n",
    ],
)
def test_no_fix_empties_a_note(text: str) -> None:
    for unsafe in (False, True):
        fixed, left = _default_fix(text, unsafe)
        assert fixed.strip() and fixed.strip() != "---\ntags: [idea]\n---", fixed
        assert any("(not fixed: it would leave the note empty)" in line for line in left), left
        assert not any(line.startswith("HY02") for line in left)


def test_guard_judges_each_fix_on_its_own_note() -> None:
    """duplicate-heading's guard remembers the risk of the fixes it last judged: asked
    about the same fix on another note, it judges it there (one offset: a heading's
    letter in one note, a plain word's in the other)."""
    from vaultlint.model import Edit, Fix
    from vaultlint.parse import parse_note
    from vaultlint.rules.headings import DuplicateHeading

    guard = DuplicateHeading()
    renames = parse_note("Tea.md", "# Tea\r\nméthé au lait\r\n")
    plain = parse_note("Plain.md", "plain text, ชา\n# Tea\n")
    fix = Fix((Edit(2, 3, "S"),))  # "# Tea" -> "# Sea"; "plain" -> "plSin"
    assert guard.risky_fixes(renames, [fix]) == [fix]
    assert not guard.could_bring(plain, [fix])
    assert guard.risky_fixes(plain, [fix]) == []
    assert guard.could_bring(renames, [fix])
    # A new note of the same text is judged anew, not taken for the old one.
    again = parse_note("Tea.md", "# Tea\r\nméthé au lait\r\n")
    guard.risky_fixes(plain, [fix])
    assert guard.could_bring(again, [fix])
