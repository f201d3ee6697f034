"""The property rules on whole notes: where they report, several fixes in one note
composing over the fixer's passes, --diff showing them, and what is never touched."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers import check_text, genvault, write_vault
from vaultlint.cli import main
from vaultlint.rules.properties import (
    DeprecatedProperty,
    PropertyType,
    TagFormat,
    UnquotedLinkProperty,
)

TYPES = {"types": {"rating": "number", "read": "checkbox", "started": "date", "up": "text"}}
RULES = "unquoted-link-property,property-type,deprecated-property,tag-format"

# A Templater-made reading note with a defect for each rule, CRLF line breaks.
NOTE = (
    "---\r\n"
    "# <% tp.file.creation_date() %>\r\n"
    "title: 'مراجعة: الكتاب'   # Arabic title\r\n"
    'rating: "4"\r\n'
    "up: [[Books index]]\r\n"
    "tag: lectura\r\n"
    'tags: "#novel, 文学/日本"\r\n'
    "read: true\r\n"
    "\r\n"
    "started: 2024-05-01   # Dataview reads it\r\n"
    "---\r\n"
    "Body with `Author:` and [[Books index]] #tag\r\n"
)
FIXED = (
    "---\r\n"
    "# <% tp.file.creation_date() %>\r\n"
    "title: 'مراجعة: الكتاب'   # Arabic title\r\n"
    "rating: 4\r\n"
    'up: "[[Books index]]"\r\n'
    "tags:\r\n"
    '  - "novel"\r\n'  # the quotes the '#' needed are kept: the writer keeps quoting
    "  - 文学/日本\r\n"
    "  - lectura\r\n"
    "read: true\r\n"
    "\r\n"
    "started: 2024-05-01   # Dataview reads it\r\n"
    "---\r\n"
    "Body with `Author:` and [[Books index]] #tag\r\n"
)


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    return write_vault(
        tmp_path / "vault",
        {
            ".obsidian/types.json": json.dumps(TYPES),
            "Reading/مراجعة.md": NOTE,
            "Books index.md": "# Books\n",
        },
    )


def _findings(capsys: pytest.CaptureFixture[str], root: Path) -> list[dict[str, object]]:
    main(["check", str(root), "--no-cache", "--select", RULES, "--output-format", "json", "-q"])
    found: list[dict[str, object]] = json.loads(capsys.readouterr().out)
    return found


def test_each_rule_reports_at_its_key(vault: Path, capsys: pytest.CaptureFixture[str]) -> None:
    found = _findings(capsys, vault)
    lines = sorted((f["rule"], f["line"]) for f in found)  # type: ignore[index]
    assert lines == [
        ("deprecated-property", 6),
        ("property-type", 4),
        ("tag-format", 7),
        ("unquoted-link-property", 5),
    ]


def test_the_fixes_compose_over_the_passes(vault: Path) -> None:
    note = vault / "Reading/مراجعة.md"
    assert main(["check", str(vault), "--no-cache", "--select", RULES, "--fix"]) == 0  # warnings
    # The merge of tag into tags is unsafe: without --unsafe-fixes the rest is fixed.
    after = note.read_bytes().decode("utf-8")
    assert "tag: lectura\r\n" in after and 'up: "[[Books index]]"\r\n' in after
    unsafe = ["check", str(vault), "--no-cache", "--select", RULES, "--fix", "--unsafe-fixes"]
    assert main(unsafe) == 0
    assert note.read_bytes().decode("utf-8") == FIXED


def test_diff_shows_every_fix(vault: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["check", str(vault), "--no-cache", "--select", RULES, "--diff", "--unsafe-fixes"]
    main(argv)
    out = capsys.readouterr().out
    assert '-rating: "4"' in out and "+rating: 4" in out
    assert '+up: "[[Books index]]"' in out and "-tag: lectura" in out
    assert '+  - "novel"' in out and "+  - lectura" in out
    assert "-title" not in out and "-started" not in out and "-# <%" not in out  # kept
    assert (vault / "Reading/مراجعة.md").read_bytes().decode("utf-8") == NOTE  # not written


def test_invalid_yaml_is_reported_by_nothing_here_and_never_edited() -> None:
    bad = '---\ntags: "#open\nup: [[A]]\n---\n'
    for rule in (UnquotedLinkProperty, PropertyType, DeprecatedProperty, TagFormat):
        assert check_text(rule, bad) == []


def test_no_types_json_means_no_type_but_obsidian_s_own() -> None:
    text = "---\nrating: 12 pages\naliases: Le Guin\n---\n"
    found = check_text(PropertyType, text)
    assert [f.message for f in found] == [
        "'aliases' (Obsidian's aliases property): a list property (aliases) holding a single "
        'value ("Le Guin")'
    ]
    assert found[0].fix is not None and found[0].fix.safe


def test_a_mapping_in_a_list_property_has_no_fix() -> None:
    files = {".obsidian/types.json": '{"types": {"topics": "multitext"}}'}
    (found,) = check_text(PropertyType, "---\ntopics: {science: optics}\n---\n", files=files)
    assert found.fix is None and "holding a mapping" in found.message and found.line == 2


def test_deprecated_merge_with_nested_values_is_not_fixed() -> None:
    (found,) = check_text(DeprecatedProperty, "---\ntag: [[a, b]]\ntags: [c]\n---\n")
    assert found.fix is None


def test_deprecated_names_ignore_case_and_merge_into_the_spelling_in_use() -> None:
    (found,) = check_text(DeprecatedProperty, "---\nTag: x\nTags: [y]\n---\n")
    assert "'Tags' too" in found.message and found.fix is not None and not found.fix.safe


@pytest.mark.parametrize(
    ("tags", "message"),
    [
        ('"#marginalia"', "starts with '#'"),
        ("alpha beta", "separated by spaces"),
        ("[a, '#b', A]", "item 3: the tag 'A' is item 1 again"),
        ("[two words]", "holds a space"),
        ("['a, b']", "several tags in one item"),
    ],
)
def test_tag_format_messages(tags: str, message: str) -> None:
    found = check_text(TagFormat, f"---\ntags: {tags}\n---\n")
    assert any(message in f.message for f in found), [f.message for f in found]


def test_clean_properties_say_nothing() -> None:
    text = (
        '---\ntags: [book, 文学/日本]\naliases: [ノルウェイの森]\nup: "[[Books index]]"\n'
        "rating: 4\nread: false\nstarted: 2024-05-01\ncssclasses:\n  - wide\n---\n"
    )
    files = {".obsidian/types.json": json.dumps(TYPES)}
    for rule in (UnquotedLinkProperty, PropertyType, DeprecatedProperty, TagFormat):
        assert check_text(rule, text, files=files) == [], rule.name


# --- the generated vault: findings equal the plants ---------------------------------

PROPERTY_RULES = (*RULES.split(","), "tag-case")


def _property_findings(root: Path) -> dict[str, list[str]]:
    from vaultlint.workspace import CheckOptions, RuleSelection, Workspace

    workspace = Workspace.open([root])
    rules = RuleSelection(extend_select=PROPERTY_RULES)
    run = workspace.run_check(workspace.targets(), CheckOptions(cache=False, rules=rules))
    found: dict[str, list[str]] = {}
    for finding in run.findings():
        if finding.rule in PROPERTY_RULES:
            found.setdefault(finding.rule, []).append(finding.path)
    return found


def test_generated_vault_findings_equal_the_plants(tmp_path: Path) -> None:
    assert _property_findings(genvault(tmp_path / "plain", 300)) == {}
    root = genvault(tmp_path / "planted", 300, properties=True)
    planted = json.loads((root / ".genvault.json").read_text(encoding="utf-8"))["properties"]
    assert set(planted) == set(PROPERTY_RULES)
    found = _property_findings(root)
    assert {rule: sorted(paths) for rule, paths in found.items()} == {
        rule: sorted(paths) for rule, paths in planted.items()
    }
