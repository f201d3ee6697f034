"""Every rule's examples are its tests: bad is reported, good is not, fixed is what --fix makes."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import check_text, fix_text
from vaultlint.rules import ALL_RULES, Example, Rule
from vaultlint.rules.docs import explain

# Rules reported by the engine before a note can be parsed have no note examples.
ENGINE_RULES = {"file-encoding", "file-too-large", "file-unreadable"}

CASES = [
    pytest.param(rule, example, id=f"{rule.name}-{n}")
    for rule in ALL_RULES
    for n, example in enumerate(rule.examples, 1)
]


@pytest.mark.parametrize(("rule", "example"), CASES)
def test_bad_example_is_reported(rule: type[Rule], example: Example) -> None:
    findings = check_text(
        rule, example.bad, path=example.path, files=example.files, options=example.options
    )
    assert any(f.rule == rule.name for f in findings), f"{rule.name} missed its bad example"


@pytest.mark.parametrize(("rule", "example"), CASES)
def test_good_example_passes(rule: type[Rule], example: Example) -> None:
    findings = check_text(
        rule,
        example.good,
        path=example.good_path or example.path,
        files=example.files if example.good_files is None else example.good_files,
        options=example.options,
    )
    assert [f for f in findings if f.rule == rule.name] == []


@pytest.mark.parametrize(("rule", "example"), [c for c in CASES if c.values[1].fixed is not None])
def test_fixed_example(rule: type[Rule], example: Example) -> None:
    outcome = fix_text(
        rule,
        example.bad,
        path=example.path,
        files=example.files,
        options=example.options,
        unsafe=example.unsafe,
    )
    assert outcome.note.text == example.fixed
    again = fix_text(
        rule,
        outcome.note.text,
        path=example.path,
        files=example.files,
        options=example.options,
        unsafe=example.unsafe,
    )
    assert not again.changed, "fixing the fixed text changed it again"
    if example.unsafe:
        safe_only = fix_text(
            rule, example.bad, path=example.path, files=example.files, options=example.options
        )
        assert safe_only.note.text != example.fixed, (
            "an unsafe fix was applied without --unsafe-fixes"
        )


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: r.name)
def test_rule_is_documented(rule: type[Rule]) -> None:
    assert rule.__doc__, f"{rule.name} has no docstring"
    assert rule.summary and not rule.summary.endswith(".")
    assert len(rule.code) == 4 and rule.code[:2].isupper() and rule.code[2:].isdigit()
    assert rule.name == rule.name.lower() and " " not in rule.name
    if rule.name not in ENGINE_RULES:
        assert rule.examples, f"{rule.name} has no examples"
    if rule.fixable and rule.name not in ENGINE_RULES:
        assert any(e.fixed is not None for e in rule.examples), f"{rule.name} shows no fix"
    text = explain(rule)
    assert rule.name in text and rule.code in text


def test_names_and_codes_are_unique() -> None:
    assert len({r.name for r in ALL_RULES}) == len(ALL_RULES)
    assert len({r.code for r in ALL_RULES}) == len(ALL_RULES)


def test_docs_rules_md_is_up_to_date() -> None:
    """docs/rules.md, which the language server's diagnostics link to (a section a
    rule, headed by its name), is what ``vaultlint rule --all --markdown`` prints."""
    from vaultlint.commands.rule import markdown_docs
    from vaultlint.rules import ALL_RULES

    docs = Path(__file__).resolve().parents[1] / "docs" / "rules.md"
    expected = markdown_docs(ALL_RULES)
    assert docs.read_text(encoding="utf-8") == expected, (
        "docs/rules.md is stale: run `vaultlint rule --all --markdown > docs/rules.md`"
    )
    for rule in ALL_RULES:
        assert f"\n## {rule.name}\n" in expected
