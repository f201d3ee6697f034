"""Suppressions: every inline form in both comment syntaxes, the frontmatter key,
directives in code that must not count, unused-suppression (VL01), --ignore-suppressions."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import memory_index, write_vault
from vaultlint.cli import main
from vaultlint.config import Config, default_settings
from vaultlint.engine import Engine
from vaultlint.fixer import fix_note
from vaultlint.model import Finding, Severity
from vaultlint.suppress import find_suppressions

TAB = "Tabbed.\t\n"  # trailing-whitespace, TX03
LINK = "See [[Missing]].\n"  # broken-link, LK01


def engine_for(text: str, path: str = "Note.md", **kwargs: object) -> tuple[Engine, object]:
    index = memory_index({path: text})
    config = Config(root=index.root, rules=default_settings())
    return Engine(config, index, **kwargs), index.note(path)  # type: ignore[arg-type]


def check(text: str, **kwargs: object) -> list[Finding]:
    engine, note = engine_for(text, **kwargs)
    return engine.check(note)  # type: ignore[arg-type]


def found(text: str, **kwargs: object) -> list[tuple[int, str]]:
    """(line, code) of every finding."""
    return [(f.line, f.code) for f in check(text, **kwargs)]


def comment(directive: str, style: str) -> str:
    return f"%% {directive} %%" if style == "obsidian" else f"<!-- {directive} -->"


STYLES = ["obsidian", "html"]


# --- inline forms ------------------------------------------------------------------------


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("names", ["trailing-whitespace", "TX03", "tx03", ""])
def test_disable_next_line(style: str, names: str) -> None:
    d = comment(f"vaultlint-disable-next-line {names}".strip(), style)
    text = f"{d}\n{TAB}{TAB}"
    assert found(text) == [(3, "TX03")]  # only the next line


@pytest.mark.parametrize("style", STYLES)
def test_disable_line_on_the_same_line(style: str) -> None:
    text = f"See [[Missing]] {comment('vaultlint-disable-line broken-link', style)}\n{LINK}"
    assert found(text) == [(2, "LK01")]


@pytest.mark.parametrize("style", STYLES)
def test_disable_line_covers_a_finding_after_the_comment(style: str) -> None:
    text = f"{comment('vaultlint-disable-line', style)} Tabbed.\t\n"
    assert found(text) == []


@pytest.mark.parametrize("style", STYLES)
def test_disable_enable_block(style: str) -> None:
    text = (
        f"{TAB}{comment('vaultlint-disable TX03', style)}\n{TAB}{LINK}{TAB}"
        f"{comment('vaultlint-enable TX03', style)}\n{TAB}"
    )
    assert found(text) == [(1, "TX03"), (4, "LK01"), (7, "TX03")]


@pytest.mark.parametrize("style", STYLES)
def test_disable_without_enable_runs_to_the_end(style: str) -> None:
    text = f"{LINK}{comment('vaultlint-disable', style)}\n{TAB}{LINK}\n\n{TAB}"
    assert found(text) == [(1, "LK01")]


def test_several_rules_with_commas_or_spaces_and_a_reason() -> None:
    for names in ("broken-link, TX03", "LK01 trailing-whitespace", "LK01,TX03 -- pasted text"):
        text = f"%% vaultlint-disable-next-line {names} %%\nSee [[Missing]].\t\n"
        assert found(text) == [], names


def test_naming_one_rule_leaves_the_others() -> None:
    text = "%% vaultlint-disable-next-line broken-link %%\nSee [[Missing]].\t\n"
    assert found(text) == [(2, "TX03")]


def test_enable_some_rules_of_a_disable() -> None:
    text = f"%% vaultlint-disable LK01 TX03 %%\n{TAB}{LINK}%% vaultlint-enable TX03 %%\n{TAB}{LINK}"
    assert found(text) == [(5, "TX03")]


def test_enable_one_rule_of_a_disable_all() -> None:
    text = f"%% vaultlint-disable %%\n{TAB}%% vaultlint-enable broken-link %%\n{TAB}{LINK}"
    assert found(text) == [(5, "LK01")]


def test_enable_all_ends_every_disable() -> None:
    text = (
        f"%% vaultlint-disable LK01 %%\n%% vaultlint-disable TX03 %%\n{LINK}{TAB}"
        f"%% vaultlint-enable %%\n{LINK}{TAB}"
    )
    assert found(text) == [(6, "LK01"), (7, "TX03")]


def test_a_multi_line_comment_directive() -> None:
    text = f"%%\nvaultlint-disable-next-line\n%%\n{TAB}{TAB}"
    assert found(text) == [(5, "TX03")]


def test_block_directive_in_a_quote_and_a_list() -> None:
    text = f"> %% vaultlint-disable-next-line %%\n> See [[Missing]].\n- {LINK}"
    assert found(text) == [(3, "LK01")]


# --- directives that do not count --------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        f"```\n%% vaultlint-disable %%\n```\n{TAB}",
        f"```markdown\n<!-- vaultlint-disable-next-line -->\n{TAB}```\n{TAB}",
        f"    %% vaultlint-disable %%\n\n{TAB}",
        f"`%% vaultlint-disable %%`\n{TAB}",
        f"$$\n%% vaultlint-disable %%\n$$\n{TAB}",
    ],
    ids=["fence", "fence-next-line", "indented-code", "code-span", "math"],
)
def test_a_directive_in_code_does_not_count(text: str) -> None:
    findings = check(text)
    assert [f.code for f in findings] == ["TX03"]  # not silenced, and no VL01 either
    assert find_suppressions(memory_index({"a.md": text}).note("a.md")).directives == []  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "text",
    [
        f"%% note: vaultlint-disable %%\n{TAB}",  # not at the start of the comment
        f"{TAB}%% vaultlint-disable\n",  # unclosed: the comment runs to the end
        f"{TAB}<!-- vaultlint-disable\n",
        f"Plain vaultlint-disable text\n{TAB}",
    ],
)
def test_text_that_is_not_a_directive(text: str) -> None:
    assert [f.code for f in check(text)] == ["TX03"]


# --- the whole note: frontmatter ---------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "left"),
    [
        ("all", []),
        ("ALL", []),
        ("[broken-link]", ["TX03"]),
        ("[LK01, TX03]", []),
        ("broken-link", ["TX03"]),
        ("[]", ["LK01", "TX03"]),
    ],
)
def test_frontmatter_disable(value: str, left: list[str]) -> None:
    text = f"---\nvaultlint-disable: {value}\n---\n{LINK}{TAB}"
    assert sorted(f.code for f in check(text)) == left


def test_frontmatter_disable_in_invalid_yaml_does_nothing() -> None:
    text = f"---\nvaultlint-disable: [all\n---\n{TAB}"
    assert sorted(f.code for f in check(text)) == ["FM01", "TX03"]


# --- unused-suppression (VL01) -----------------------------------------------------------


def vl01(text: str, **kwargs: object) -> list[tuple[int, str]]:
    return [(f.line, f.message) for f in check(text, **kwargs) if f.code == "VL01"]


@pytest.mark.parametrize("style", STYLES)
def test_unused_directive_is_reported(style: str) -> None:
    d = comment("vaultlint-disable-next-line broken-link", style)
    findings = [f for f in check(f"Intro.\n{d}\nClean line.\n") if f.code == "VL01"]
    assert len(findings) == 1
    f = findings[0]
    assert f.line == 2 and f.column == 1 and f.severity is Severity.WARNING
    assert f.message == (
        "unused suppression `vaultlint-disable-next-line broken-link`: it silenced nothing"
    )


def test_used_directives_are_not_reported() -> None:
    text = (
        "---\nvaultlint-disable: [TX03]\n---\n"
        f"%% vaultlint-disable-next-line %%\n{LINK}"
        f"{LINK[:-1]} %% vaultlint-disable-line LK01 %%\n"
        f"%% vaultlint-disable LK01 %%\n{LINK}%% vaultlint-enable LK01 %%\n{TAB}"
    )
    assert found(text) == []


def test_partly_unused_directive() -> None:
    text = "%% vaultlint-disable-next-line LK01 TX03 emoji-heading %%\nSee [[Missing]].\n"
    assert vl01(text) == [
        (
            1,
            "unused suppression of emoji-heading, trailing-whitespace in "
            "`vaultlint-disable-next-line LK01 TX03 emoji-heading`: it silenced nothing",
        )
    ]


def test_unknown_rule_name() -> None:
    text = f"%% vaultlint-disable-next-line brokn-link, TX03 %%\n{TAB}"
    assert vl01(text) == [
        (
            1,
            "unknown rule 'brokn-link' in `vaultlint-disable-next-line brokn-link, TX03` "
            "(see `vaultlint rule --all`)",
        )
    ]


def test_only_unknown_names_silence_nothing() -> None:
    text = f"%% vaultlint-disable-next-line nope %%\n{TAB}"
    assert sorted(code for _, code in found(text)) == ["TX03", "VL01"]


@pytest.mark.parametrize("directive", ["vaultlint-disable-nextline", "vaultlint-disable2 LK01"])
def test_unknown_directive(directive: str) -> None:
    text = f"%% {directive} %%\n{LINK}"
    messages = vl01(text)
    assert len(messages) == 1 and messages[0][1].startswith(
        f"unknown suppression `{directive.split()[0]}`"
    )
    assert (2, "LK01") in found(text)  # a malformed directive silences nothing


def test_enable_without_disable() -> None:
    assert vl01(f"{TAB[:-2]}\n%% vaultlint-enable TX03 %%\n") == [
        (2, "`vaultlint-enable TX03` re-enables nothing: no disable before it is in force")
    ]


def test_enable_after_a_closed_disable() -> None:
    text = "%% vaultlint-disable %%\n{TAB}%% vaultlint-enable %%\n%% vaultlint-enable %%\n"
    assert [line for line, _ in vl01(text.format(TAB=TAB))] == [4]


def test_frontmatter_unused_and_malformed() -> None:
    assert vl01("---\ntitle: x\nvaultlint-disable: [LK01]\n---\nClean.\n") == [
        (3, "unused suppression `vaultlint-disable: ['LK01']`: it silenced nothing")
    ]
    assert vl01("---\nvaultlint-disable: 3\n---\nClean.\n") == [
        (2, "vaultlint-disable: expected `all` or a list of rule names or codes, got 3")
    ]


def test_directives_for_rules_not_run_are_not_unused() -> None:
    text = "%% vaultlint-disable-next-line heading-increment %%\n# A\n"  # off by default
    assert vl01(text) == []
    text = "%% vaultlint-disable-next-line LK01 %%\nClean.\n"
    assert vl01(text, select=["VL01", "TX03"]) == []
    assert vl01(text, select=["VL01", "LK01"]) != []


def test_vl01_off_reports_nothing_but_still_silences() -> None:
    text = f"%% vaultlint-disable-next-line LK01 %%\n{TAB}%% vaultlint-disable-line %%\n"
    assert found(text, ignore=["VL01"]) == [(2, "TX03")]


def test_vl01_can_be_silenced_by_name_only() -> None:
    text = "---\nvaultlint-disable: [unused-suppression]\n---\n%% vaultlint-disable-line %%\n"
    assert found(text) == []
    text = "%% vaultlint-disable %%\n%% vaultlint-disable-next-line LK01 %%\nClean.\n"
    assert [line for line, _ in vl01(text)] == [1, 2]  # a disable of all rules does not


def test_vl01_unsafe_fix_removes_the_directive() -> None:
    text = (
        "Intro.\n"
        "%% vaultlint-disable-next-line %%\n"
        "Clean. <!-- vaultlint-disable-line LK01 -->\n"
        "  %% vaultlint-enable %% trailing words\n"
    )
    engine, note = engine_for(text)
    safe = fix_note(note, engine.check)  # type: ignore[arg-type]
    assert not safe.changed
    outcome = fix_note(note, engine.check, unsafe=True)  # type: ignore[arg-type]
    # The directive's line sat between two lines of text: a blank line is left
    # so that they do not run together (see the regression test below).
    assert outcome.note.text == "Intro.\n\nClean.\n  trailing words\n"
    assert outcome.findings == []


@pytest.mark.parametrize(
    ("text", "fixed"),
    [
        (
            "content\n%% vaultlint-disable-next-line mojibake %%\nTitle\n===\n",
            "content\n\nTitle\n===\n",
        ),
        ("a\n<!-- vaultlint-disable-next-line TX01 -->\nb\n", "a\n\nb\n"),
        ("a\n\n%% vaultlint-disable-next-line TX01 %%\nb\n", "a\n\nb\n"),
        ("# H\n%% vaultlint-disable-next-line TX01 %%\n", "# H\n"),
        ("# H\n%% vaultlint-disable-next-line TX01 %%", "# H\n"),
        ("%% vaultlint-disable-next-line TX01 %%\nb\n", "b\n"),
    ],
    ids=["setext", "html", "blank-above", "last-line", "no-final-newline", "first-line"],
)
def test_vl01_fix_never_runs_two_lines_of_text_together(text: str, fixed: str) -> None:
    """Found by the fixer properties: deleting a directive's line between
    ``content`` and ``Title``/``===`` made ``content`` part of the heading."""
    engine, note = engine_for(text)
    outcome = fix_note(note, engine.check, unsafe=True)  # type: ignore[arg-type]
    assert outcome.note.text == fixed
    if "===" in text:
        assert [h.text for h in outcome.note.headings] == ["Title"]  # not "content\nTitle"


def test_partly_unused_and_frontmatter_directives_have_no_fix() -> None:
    texts = [
        "%% vaultlint-disable-next-line LK01 TX03 %%\nSee [[Missing]].\n",
        "---\nvaultlint-disable: all\n---\nClean.\n",
        "%% vaultlint-disable-line brokn-link %%\n",
    ]
    for text in texts:
        assert [f.fix for f in check(text) if f.code == "VL01"] == [None], text


# --- fixing respects suppressions; --ignore-suppressions ---------------------------------


def test_fix_leaves_a_silenced_finding_alone() -> None:
    text = f"%% vaultlint-disable-next-line TX03 %%\n{TAB}{TAB}"
    engine, note = engine_for(text)
    outcome = fix_note(note, engine.check)  # type: ignore[arg-type]
    assert outcome.note.text == f"%% vaultlint-disable-next-line TX03 %%\n{TAB}Tabbed.\n"


def test_ignore_suppressions_in_the_engine() -> None:
    text = f"%% vaultlint-disable %%\n{TAB}%% vaultlint-enable LK01 %%\n"
    assert found(text, ignore_suppressions=True) == [(2, "TX03")]


def test_ignore_suppressions_on_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_vault(
        tmp_path,
        {
            "A.md": f"---\nvaultlint-disable: all\n---\n{LINK}",
            "B.md": f"%% vaultlint-disable-line %% {TAB}%% vaultlint-enable %%\n",
        },
    )
    assert main(["check", str(tmp_path), "--output-format", "concise", "--strict"]) == 1
    out = capsys.readouterr().out
    assert "B.md:2:1: warning VL01" in out and "LK01" not in out and "TX03" not in out
    argv = ["check", str(tmp_path), "--ignore-suppressions", "--output-format", "concise"]
    assert main(argv) == 1
    out = capsys.readouterr().out
    assert "A.md:4:5: error LK01" in out and "B.md:1:" in out and "TX03" in out
    assert "VL01" not in out


def test_suppressions_and_overrides_together(tmp_path: Path) -> None:
    """A directive naming a rule an override turns off for its folder is not unused."""
    from vaultlint.config import load_config

    write_vault(
        tmp_path,
        {".vaultlint.yaml": "overrides:\n  - paths: [Daily/]\n    rules: {TX03: off}\n"},
    )
    config = load_config(tmp_path)
    text = "%% vaultlint-disable-next-line TX03 %%\nClean.\n"
    index = memory_index({"Daily/a.md": text, "b.md": text})
    engine = Engine(config, index)
    assert engine.check(index.note("Daily/a.md")) == []  # type: ignore[arg-type]
    assert [f.code for f in engine.check(index.note("b.md"))] == ["VL01"]  # type: ignore[arg-type]


def test_speed_of_a_note_without_directives() -> None:
    """Notes that never mention vaultlint pay one substring search."""
    note = memory_index({"a.md": "x\n" * 1000}).note("a.md")
    assert note is not None
    assert find_suppressions(note).directives == []


def test_good_examples_of_vl01_are_clean_under_every_rule() -> None:
    from vaultlint.rules.suppressions import UnusedSuppression

    for example in UnusedSuppression.examples:
        assert found(example.good) == [], example.title
        assert found(example.bad) != [], example.title
