"""Schema rules SC01-SC06 on book notes and vault schemas, their fixes, and the CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from helpers import SAMPLE, check_text, fix_text, genvault, memory_index, write_vault
from vaultlint.cli import main
from vaultlint.config import Config, default_settings
from vaultlint.engine import Engine
from vaultlint.fixer import fix_note
from vaultlint.rules.schema import (
    EmptyField,
    EmptySection,
    FieldValue,
    MissingField,
    MissingSection,
    SectionOrder,
)
from vaultlint.schema import Schema, SchemaError, load_schema_text, shipped_schemas

SC_RULES = ["SC01", "SC02", "SC03", "SC04", "SC05", "SC06"]


COMPLETE = """`Author:` Ursula K. Le Guin
`Availability:` Library

## Key Takeaways
- Walls have two sides.

## Quotes
- “You cannot buy the revolution.”

## Notes
Reread in 2026.

`Concepts:` [[Anarchism]], [[Utopia]]
`Knowledge Base:` [[Books index]]
"""

VAULT = {
    "Books index.md": "# Books index\n",
    "Concepts/Anarchism.md": "# Anarchism\n",
    "Concepts/Utopia.md": "# Utopia\n",
}

PERSON = """name: person
description: People I read about
match:
  folders: [People]
fields:
  Born: {required: true, type: date}
sections:
  Bio: {required: true}
"""


def schema_findings(
    notes: dict[str, str], schemas: list[Schema] | None = None, select: list[str] = SC_RULES
) -> list[tuple[str, int, int, str, str]]:
    """(path, line, column, code, message) of the SC findings on every note."""
    index = memory_index({**VAULT, **notes})
    config = Config(root=index.root, rules=default_settings())
    engine = Engine(config, index, select=select, schemas=schemas or list(shipped_schemas()))
    found = []
    for path in sorted(notes):
        note = index.note(path)
        assert note is not None
        found += [(f.path, f.line, f.column, f.code, f.message) for f in engine.check(note)]
    return found


def codes_at(findings: list[tuple[str, int, int, str, str]]) -> list[tuple[int, str]]:
    return [(line, code) for _, line, _, code, _ in findings]


# --- the "done when" ----------------------------------------------------------------


def test_the_design_sample_gets_its_empty_sections() -> None:
    found = schema_findings({"Books/The Dispossessed.md": SAMPLE})
    assert found == [
        (
            "Books/The Dispossessed.md",
            10,
            1,
            "SC04",
            "section 'Key Takeaways' is empty (required in a book note)",
        ),
        (
            "Books/The Dispossessed.md",
            12,
            1,
            "SC04",
            "section 'Quotes' is empty (required in a book note)",
        ),
        (
            "Books/The Dispossessed.md",
            15,
            1,
            "SC04",
            "section 'Notes' is empty (required in a book note)",
        ),
    ]


def test_an_empty_concepts_line_gets_empty_field_on_that_line() -> None:
    text = COMPLETE.replace("`Concepts:` [[Anarchism]], [[Utopia]]", "`Concepts:`")
    assert schema_findings({"Books/A.md": text}) == [
        ("Books/A.md", 13, 1, "SC02", "'Concepts' is empty (required in a book note)")
    ]


def test_a_note_without_author_gets_missing_field_at_line_one() -> None:
    text = COMPLETE.replace("`Author:` Ursula K. Le Guin\n", "")
    assert schema_findings({"Books/A.md": text}) == [
        ("Books/A.md", 1, 1, "SC01", "book note has no 'Author' field")
    ]


def test_key_takeaways_directly_followed_by_quotes_is_empty() -> None:
    text = COMPLETE.replace("## Key Takeaways\n- Walls have two sides.\n\n", "## Key Takeaways\n")
    assert codes_at(schema_findings({"Books/A.md": text})) == [(4, "SC04")]


def test_quotes_holding_only_a_dash_is_empty() -> None:
    text = COMPLETE.replace("- “You cannot buy the revolution.”", "- ")
    found = schema_findings({"Books/A.md": text})
    assert [(line, message) for _, line, _, _, message in found] == [
        (7, "section 'Quotes' is empty (required in a book note)")
    ]


def test_a_complete_book_note_gets_nothing() -> None:
    assert schema_findings({"Books/A.md": COMPLETE}) == []


@pytest.mark.parametrize(
    "path", ["Daily/2026-11-20.md", "Meetings/Standup.md", "Book reviews/A.md", "A.md"]
)
def test_notes_of_no_type_get_none_of_the_rules(path: str) -> None:
    text = "`Author:`\n`Concepts:` -\n\n## Quotes\n-\n\n## Notes\n\n## Key Takeaways\n"
    assert schema_findings({path: text}) == []


def test_every_style_of_field_satisfies_the_schema() -> None:
    body = COMPLETE.split("\n", 2)[2].replace("`Concepts:`", "Concepts::")
    frontmatter = "---\nauthor: Ursula K. Le Guin\nknowledge base: '[[Books index]]'\n---\n"
    text = frontmatter + body.replace("`Knowledge Base:` [[Books index]]\n", "")
    assert schema_findings({"Books/A.md": text}) == []


def test_book_notes_outside_books_by_tag_frontmatter_or_field() -> None:
    notes = {
        "Inbox/Tagged.md": "#book\n`Author:` Le Guin\n",
        "Inbox/Typed.md": "---\ntype: book\n---\n`Author:` Le Guin\n",
        "Inbox/Linked.md": "`Author:` Le Guin\n`Knowledge Base:` [[Books index]]\n",
    }
    found = Counter((path, code) for path, _, _, code, _ in schema_findings(notes))
    assert found == {
        ("Inbox/Linked.md", "SC01"): 1,  # Concepts
        ("Inbox/Linked.md", "SC03"): 3,
        ("Inbox/Tagged.md", "SC01"): 2,  # Concepts, Knowledge Base
        ("Inbox/Tagged.md", "SC03"): 3,
        ("Inbox/Typed.md", "SC01"): 2,
        ("Inbox/Typed.md", "SC03"): 3,
    }


def test_empty_field_points_at_the_field_in_each_style() -> None:
    text = "---\nauthor:\n---\nConcepts:: -\n> [Knowledge Base:: ]\n"
    found = check_text(EmptyField, text, path="Books/A.md")
    assert [(f.line, f.column, f.end_line, f.end_column) for f in found] == [
        (2, 1, 2, 8),
        (4, 1, 4, 13),
        (5, 3, 5, 22),
    ]


def test_empty_section_inside_a_callout_is_reported_on_its_heading() -> None:
    text = COMPLETE.replace(
        "## Key Takeaways\n- Walls have two sides.\n", "> [!info]\n> ## Key Takeaways\n> -\n"
    )
    (finding,) = check_text(EmptySection, text, path="Books/A.md")
    assert (finding.line, finding.column, finding.end_column) == (5, 1, 19)


def test_multiple_schemas_each_apply() -> None:
    reading = load_schema_text(
        "name: reading\nmatch: {tags: [reading]}\nfields: {Author: {required: true}}\n", "r.yaml"
    )
    text = "#reading\n" + COMPLETE.replace("`Author:` Ursula K. Le Guin\n", "")
    found = schema_findings({"Books/A.md": text}, [*shipped_schemas(), reading])
    assert [message for *_, message in found] == [
        "book note has no 'Author' field",
        "reading note has no 'Author' field",
    ]


# --- field-value and section-order ------------------------------------------------------------


def test_field_value_reports_the_value_span() -> None:
    (finding,) = check_text(FieldValue, "`Concepts:` Anarchism, Utopia\n", path="Books/A.md")
    assert (finding.line, finding.column, finding.end_column) == (1, 13, 30)
    assert finding.message == "'Concepts' holds no link: 'Anarchism, Utopia'"


def test_field_value_options_through_the_engine() -> None:
    person = load_schema_text(
        PERSON.replace(
            "  Born: {required: true, type: date}",
            "  Born: {required: true, type: date}\n  Shelf: {enum: [owned, library]}\n"
            "  Year: {pattern: '^[0-9]{4}$'}\n  Site: {type: url}",
        ),
        "person.yaml",
    )
    text = "Born:: 1815\nShelf:: borrowed\nYear:: 74\nSite:: example.org\n\n## Bio\nText.\n"
    found = schema_findings({"People/Ada.md": text}, [person])
    assert [(line, code, message.split(":")[0]) for _, line, _, code, message in found] == [
        (1, "SC05", "'Born' is not an ISO 8601 date (YYYY-MM-DD)"),
        (2, "SC05", "'Shelf' must be one of owned, library"),
        (3, "SC05", "'Year' does not match the pattern '^[0-9]{4}$'"),
        (4, "SC05", "'Site' is not a URL"),
    ]


def test_section_order_is_off_by_default() -> None:
    assert SectionOrder.enabled is False
    text = "## Notes\nText.\n## Key Takeaways\n- a\n## Quotes\n- b\n" + COMPLETE.split("\n\n")[-1]
    text = "`Author:` A\n" + text
    assert schema_findings({"Books/A.md": text}, select=["SC01", "SC02", "SC03", "SC04"]) == []
    (finding,) = check_text(SectionOrder, text, path="Books/A.md")
    assert finding.line == 2
    assert finding.message == (
        "section 'Notes' is out of book template order (Summary, Key Takeaways, Quotes, Notes)"
    )


# --- fixes ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "fixed"),
    [
        (  # after the previous schema field, in its style
            "`Author:` A\n`Knowledge Base:` [[Books index]]\n",
            "`Author:` A\n`Concepts:`\n`Knowledge Base:` [[Books index]]\n",
        ),
        (  # before the next one when none comes before
            "Concepts:: [[A]]\nKnowledge Base:: [[Books index]]\n",
            "Author::\nConcepts:: [[A]]\nKnowledge Base:: [[Books index]]\n",
        ),
        (  # the callout prefix of the neighbour
            "> [!info]\n> `Author:` A\n> `Knowledge Base:` [[Books index]]\n",
            "> [!info]\n> `Author:` A\n> `Concepts:`\n> `Knowledge Base:` [[Books index]]\n",
        ),
        (  # the list prefix of the neighbour
            "- Author:: A\n- Knowledge Base:: [[Books index]]\n",
            "- Author:: A\n- Concepts::\n- Knowledge Base:: [[Books index]]\n",
        ),
        (  # an optional field present is a neighbour too
            "`Availability:` Library\n",
            "`Author:`\n`Availability:` Library\n`Concepts:`\n`Knowledge Base:`\n",
        ),
        (  # no fields: the template's style, at the top of the body, all in one go
            "---\ntags: [book]\n---\n# Dune\n",
            "---\ntags: [book]\n---\n`Author:`\n`Concepts:`\n`Knowledge Base:`\n# Dune\n",
        ),
        (  # the body's own style when it has other fields
            "Rating:: 5\n",
            "Author::\nConcepts::\nKnowledge Base::\nRating:: 5\n",
        ),
        (
            "---\ntags: [book]\n---",
            "---\ntags: [book]\n---\n`Author:`\n`Concepts:`\n`Knowledge Base:`\n",
        ),
        ("", "`Author:`\n`Concepts:`\n`Knowledge Base:`\n"),
        (
            "`Author:` A\r\n`Knowledge Base:` [[Books index]]\r\n",
            "`Author:` A\r\n`Concepts:`\r\n`Knowledge Base:` [[Books index]]\r\n",
        ),
    ],
)
def test_missing_field_fix(text: str, fixed: str) -> None:
    outcome = fix_text(MissingField, text, path="Books/A.md", unsafe=True)
    assert outcome.note.text == fixed
    assert outcome.findings == []
    assert not fix_text(MissingField, text, path="Books/A.md").changed  # unsafe only


def test_missing_field_inserts_keys_into_the_frontmatter_that_holds_the_fields() -> None:
    text = "---\ntype: book\nauthor: A\n---\nText.\n"
    found = check_text(MissingField, text, path="Inbox/A.md")
    assert [f.message for f in found] == [
        "book note has no 'Concepts' field",
        "book note has no 'Knowledge Base' field",
    ]
    assert all(f.fix is not None and not f.fix.safe for f in found)
    outcome = fix_text(MissingField, text, path="Inbox/A.md", unsafe=True)
    assert (
        outcome.note.text == "---\ntype: book\nauthor: A\nConcepts:\nKnowledge Base:\n---\nText.\n"
    )


def test_many_missing_fields_are_inserted_in_one_pass() -> None:
    names = [f"Field {n}" for n in range(15)]
    wide = load_schema_text(
        "name: wide\nmatch: {folders: [Wide]}\nfields:\n"
        + "".join(f"  {name}: {{required: true}}\n" for name in names),
        "wide.yaml",
    )
    index = memory_index({"Wide/A.md": "Field 7:: x\n"})
    engine = Engine(
        Config(root=index.root, rules=default_settings()),
        index,
        select=["SC01"],
        schemas=[wide],
    )
    note = index.note("Wide/A.md")
    assert note is not None
    outcome = fix_note(note, engine.check, unsafe=True)
    lines = outcome.note.text.splitlines()
    assert lines == [f"{name}::" if name != "Field 7" else "Field 7:: x" for name in names]
    assert outcome.findings == []


@pytest.mark.parametrize(
    ("text", "fixed"),
    [
        (  # all missing: at the end, after a blank line
            "`Author:` A\n",
            "`Author:` A\n\n## Key Takeaways\n\n## Quotes\n\n## Notes\n",
        ),
        ("`Author:` A", "`Author:` A\n\n## Key Takeaways\n\n## Quotes\n\n## Notes\n"),
        (  # before the next section, at its level
            "### Quotes\n- q\n\n### Notes\nn\n",
            "### Key Takeaways\n\n### Quotes\n- q\n\n### Notes\nn\n",
        ),
        (  # before a callout holding the next section, not inside it
            "Intro.\n> [!info]\n> ## Quotes\n> - q\n\n## Notes\nn\n",
            "Intro.\n\n## Key Takeaways\n\n> [!info]\n> ## Quotes\n> - q\n\n## Notes\nn\n",
        ),
        (  # after a section in a callout: after the callout
            "> [!info]\n> ## Key Takeaways\n> - k\n## Notes\nn\n",
            "> [!info]\n> ## Key Takeaways\n> - k\n\n## Quotes\n\n## Notes\nn\n",
        ),
        (  # an optional section present is a neighbour too; the fields footer stays last
            "## Summary\nS.\n\n`Concepts:` [[A]]\n`Knowledge Base:` [[Books index]]\n",
            "## Summary\nS.\n\n## Key Takeaways\n\n## Quotes\n\n## Notes\n\n"
            "`Concepts:` [[A]]\n`Knowledge Base:` [[Books index]]\n",
        ),
    ],
)
def test_missing_section_fix(text: str, fixed: str) -> None:
    outcome = fix_text(MissingSection, text, path="Books/A.md", unsafe=True)
    assert outcome.note.text == fixed
    assert outcome.findings == []
    assert not fix_text(MissingSection, text, path="Books/A.md").changed


def test_missing_section_uses_the_schema_level() -> None:
    leveled = load_schema_text(
        "name: x\nmatch: {folders: [X]}\nsections: {Bio: {required: true, level: 3}}\n", "x.yaml"
    )
    index = memory_index({"X/A.md": "# Ada\n"})
    engine = Engine(
        Config(root=index.root, rules=default_settings()), index, select=["SC03"], schemas=[leveled]
    )
    note = index.note("X/A.md")
    assert note is not None
    assert fix_note(note, engine.check, unsafe=True).note.text == "# Ada\n\n### Bio\n"


def test_empty_fields_and_sections_are_never_filled_in() -> None:
    for rule in (EmptyField, EmptySection):
        assert not rule.fixable
        found = check_text(rule, SAMPLE.replace("[[Anarchism]], [[Utopia]]", ""), path="Books/A.md")
        assert found and all(f.fix is None for f in found)


# --- the CLI --------------------------------------------------------------------------------


def person_vault(tmp_path: Path, schema_text: str = PERSON) -> Path:
    return write_vault(
        tmp_path,
        {
            ".vaultlint.yaml": "schemas: [schemas/person.yaml]\n",
            "schemas/person.yaml": schema_text,
            "People/Ada Lovelace.md": "# Ada Lovelace\n\nMathematician.\n",
            "People/Grace Hopper.md": "Born:: 1906-12-09\n\n## Bio\nAdmiral.\n",
            "People/Alan Turing.md": "Born:: 23 June 1912\n\n## Bio\n- \n",
            "Books/Dune.md": COMPLETE,
            "Books index.md": "# Books index\n",
        },
    )


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[dict[str, object]]]:
    code = main([*argv, "--output-format", "json"])
    out, _ = capsys.readouterr()
    return code, json.loads(out)


def test_a_vault_schema_is_loaded_and_enforced(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = person_vault(tmp_path)
    code, items = run_json(capsys, "check", str(vault), "--select", "SC", "--strict")
    assert code == 1
    assert [(i["path"], i["line"], i["code"], i["message"]) for i in items] == [
        ("People/Ada Lovelace.md", 1, "SC01", "person note has no 'Born' field"),
        ("People/Ada Lovelace.md", 1, "SC03", "person note has no 'Bio' section"),
        (
            "People/Alan Turing.md",
            1,
            "SC05",
            "'Born' is not an ISO 8601 date (YYYY-MM-DD): '23 June 1912'",
        ),
        (
            "People/Alan Turing.md",
            3,
            "SC04",
            "section 'Bio' is empty (required in a person note)",
        ),
    ]


def test_the_unsafe_fixes_through_the_cli(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = person_vault(tmp_path)
    ada = vault / "People" / "Ada Lovelace.md"
    assert main(["check", str(vault), "--select", "SC01,SC03", "--fix", "--strict"]) == 1
    assert ada.read_text() == "# Ada Lovelace\n\nMathematician.\n"
    assert "2 more fixable with --fix --unsafe-fixes" in capsys.readouterr().out
    assert main(["check", str(vault), "--select", "SC01,SC03", "--fix", "--unsafe-fixes"]) == 0
    assert ada.read_text() == "`Born:`\n# Ada Lovelace\n\nMathematician.\n\n## Bio\n"


def test_section_order_can_be_selected(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = COMPLETE.replace("## Quotes\n- “You cannot buy the revolution.”\n\n", "") + (
        "\n## Quotes\n- q\n"
    )
    write_vault(tmp_path, {"Books/A.md": text})
    _, items = run_json(capsys, "check", str(tmp_path))
    assert [i["code"] for i in items if str(i["code"]).startswith("SC")] == []
    _, items = run_json(capsys, "check", str(tmp_path), "--extend-select", "SC06")
    assert [(i["code"], i["line"]) for i in items if str(i["code"]).startswith("SC")] == [
        ("SC06", 13)
    ]


BROKEN = [
    ("name: person\nmatch: {folders: [People]\n", "invalid YAML"),
    ("name: person\nmatch: {folders: [People]}\nfield: {Born: {}}\n", "unknown key 'field'"),
    (
        "name: person\nmatch: {folders: [People]}\nfields: {Born: {required: maybe}}\n",
        "fields: Born: required: expected true or false",
    ),
    (
        "name: person\nmatch: {folders: [People]}\nfields: {Born: {pattern: '[0-9'}}\n",
        "fields: Born: pattern: invalid regular expression",
    ),
    ("name: person\nmatch: {folders: People/}\nsections: [Bio]\n", "sections: expected a mapping"),
]


@pytest.mark.parametrize(("schema_text", "message"), BROKEN)
def test_a_broken_vault_schema_exits_two_naming_file_and_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], schema_text: str, message: str
) -> None:
    vault = person_vault(tmp_path, schema_text)
    code = main(["check", str(vault)])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith(f"vaultlint: error: {vault / 'schemas' / 'person.yaml'}: ")
    assert message in err


def test_a_missing_vault_schema_exits_two(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_vault(tmp_path, {".vaultlint.yaml": "schemas: [people.yaml]\n", "A.md": "a\n"})
    assert main(["check", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "people.yaml: schema file not found" in err


# --- the benchmark vault -----------------------------------------------------------------------


def test_generated_vault_findings_equal_the_planted_ones(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = genvault(tmp_path / "vault", 300)
    planted = Counter(
        p for plants in json.loads((vault / ".genvault.json").read_text()).values() for p in plants
    )
    _, items = run_json(capsys, "check", str(vault), "--select", "SC")
    found = Counter(f"{i['code']}:{i['message']}" for i in items)

    def count(code: str, message: str) -> int:
        return found[f"{code}:{message}"]

    assert (
        count("SC02", "'Author' is empty (required in a book note)")
        == planted["empty-field:Author"]
    )
    assert (
        count("SC02", "'Concepts' is empty (required in a book note)")
        == planted["empty-field:Concepts"]
    )
    assert (
        count("SC04", "section 'Key Takeaways' is empty (required in a book note)")
        == planted["empty-heading:Key Takeaways"]
    )
    assert (
        count("SC04", "section 'Quotes' is empty (required in a book note)")
        == planted["empty-heading:Quotes"]
    )
    assert planted["empty-field:Author"] and planted["empty-heading:Key Takeaways"]
    # Nothing else but empty Notes sections (no sentence, code, comment or embed under them).
    others = (
        {key for key in found if "'Notes'" not in key}
        - {f"SC02:'{n}' is empty (required in a book note)" for n in ("Author", "Concepts")}
        - {
            f"SC04:section '{n}' is empty (required in a book note)"
            for n in ("Key Takeaways", "Quotes")
        }
    )
    assert others == set()
    assert all(isinstance(i["path"], str) and str(i["path"]).startswith("Books/") for i in items)


# --- regression: an insertion point inside code or a comment (issue #8) --------------------


@pytest.mark.parametrize(
    "text",
    [
        "%% open comment\n",
        "```\ncode\n",
        "<!-- open\n",
        "## Key Takeaways\nx %% open\n## Notes\nx\n",
        "`Author:` Frank %% open\n## Key Takeaways\nx\n## Quotes\nx\n## Notes\nx\n",
    ],
    ids=["unclosed-comment", "unclosed-fence", "unclosed-html", "comment-at-end", "field-line"],
)
def test_no_fix_inserts_into_code_or_a_comment(text: str) -> None:
    """Found by the fixer properties: a missing section or field whose place is
    inside an unclosed fence or comment was inserted there, never found again,
    and inserted again until the fixer gave up, which aborted the whole run."""
    index = memory_index({**VAULT, "Books/B.md": text})
    note = index.note("Books/B.md")
    assert note is not None
    engine = Engine(Config(root=index.root, rules=default_settings()), index)
    outcome = fix_note(note, engine.check, unsafe=True)  # no FixError
    assert outcome.note.text.endswith(text)
    assert fix_note(outcome.note, engine.check, unsafe=True).changed is False
    left = [f.code for f in outcome.findings if f.code in ("SC01", "SC03")]
    assert left and all(f.fix is None for f in outcome.findings if f.code in ("SC01", "SC03"))


def test_a_section_still_goes_after_a_closed_fence_at_the_end() -> None:
    text = "## Key Takeaways\n```\ncode\n```"
    outcome = fix_text(MissingSection, text, path="Books/B.md", files=VAULT, unsafe=True)
    assert outcome.note.text == text + "\n\n## Quotes\n\n## Notes\n"


@pytest.mark.parametrize(
    ("text", "fixed_top"),
    [
        ("    code [[Alpha#Missing]]\n#book\n", "`Author:`\n`Concepts:`\n`Knowledge Base:`\n\n"),
        ("---\ntype: book\n---\n---\ntext\n", "`Author:`\n`Concepts:`\n`Knowledge Base:`\n\n"),
        ("---\ntype: book\n---\n===\n", "`Author:`\n`Concepts:`\n`Knowledge Base:`\n\n"),
    ],
    ids=["indented-code", "thematic-break", "equals-line"],
)
def test_inserted_field_lines_never_join_what_follows(text: str, fixed_top: str) -> None:
    """Found by the fixer properties: field lines inserted above indented code
    made it a paragraph (its links came alive), and above a ``---`` or ``===``
    line they became a setext heading. A blank line now keeps them apart."""
    outcome = fix_text(MissingField, text, files=VAULT, unsafe=True)
    body_start = outcome.note.body_start
    assert outcome.note.text[body_start:].startswith(fixed_top)
    head = text[:body_start]
    assert outcome.note.text == head + fixed_top + text[body_start:]
    assert [h.text for h in outcome.note.headings] == []
    regions = [r.kind for r in outcome.note.regions]
    assert regions.count("indented-code") == text.startswith("    ")


def test_no_fix_for_a_book_note_that_is_all_unclosed_frontmatter() -> None:
    text = "---\ntitle: x \nno end \u00a0"
    index = memory_index({**VAULT, "Books/B.md": text})
    note = index.note("Books/B.md")
    assert note is not None
    engine = Engine(Config(root=index.root, rules=default_settings()), index)
    outcome = fix_note(note, engine.check, unsafe=True)  # no FixError
    assert outcome.note.text == text and not outcome.changed
    assert all(f.fix is None for f in outcome.findings)
    assert {"SC01", "SC03", "FM01"} <= {f.code for f in outcome.findings}


def test_a_numbered_heading_is_still_its_section() -> None:
    """Found by the fixer properties: heading-fragment's safe fix merges
    ``## 1.`` + ``## Notes`` into ``## 1. Notes``, which then no longer counted
    as the Notes section (missing-section, and an empty one inserted)."""
    text = (
        "`Author:` A\n`Concepts:` [[Books index]]\n`Knowledge Base:` [[Books index]]\n\n"
        "## **2. Key Takeaways**\n- x\n\n## IV. Quotes\n- y\n\n## 1.\n## Notes\n\ncontent\n"
    )
    index = memory_index({**VAULT, "Books/B.md": text})
    note = index.note("Books/B.md")
    assert note is not None
    engine = Engine(Config(root=index.root, rules=default_settings()), index)
    outcome = fix_note(note, engine.check, unsafe=True)
    fixed = text.replace("## 1.\n## Notes", "## 1. Notes").replace(
        "**2. Key Takeaways**", "2. Key Takeaways"
    )
    assert outcome.note.text == fixed
    assert outcome.findings == []


def test_a_backtracking_pattern_cannot_hang_the_run(tmp_path: Path) -> None:
    # With a backtracking engine this pattern takes hours on a value that almost matches.
    schema = (
        "name: book\nmatch: {folders: [Books]}\nfields:\n  Title: {pattern: '^([A-Za-z]+ ?)+$'}\n"
    )
    title = "The Left Hand of Darkness by Ursula K Le Guin, 1969"
    vault = write_vault(
        tmp_path,
        {
            ".vaultlint.yaml": "schemas: [schemas/book.yaml]\n",
            "schemas/book.yaml": schema,
            "Books/The Left Hand of Darkness.md": f"---\nTitle: {title}\n---\n# Notes\nWinter.\n",
            "Books/Dune.md": "---\nTitle: Dune\n---\n# Notes\nArrakis.\n",
        },
    )
    argv = [sys.executable, "-m", "vaultlint", "check", "--select", "SC05", "--no-cache"]
    proc = subprocess.run(
        [*argv, str(vault)], capture_output=True, text=True, timeout=60, check=False
    )
    assert proc.returncode == 0, proc.stderr  # SC05 is a warning
    assert "Found 1 problem. 2 notes checked." in proc.stdout
    assert f"'Title' does not match the pattern '^([A-Za-z]+ ?)+$': '{title}'" in proc.stdout


# --- missing-field in the frontmatter -----------------------------------------------------

READING_LOG = """name: log
match: {folders: [Log]}
fields:
  Author: {required: true, location: frontmatter}
  Rating: {}
  Started: {required: true, location: frontmatter}
  Review: {required: true, location: body}
"""


def _fixed(text: str, schema: str = READING_LOG, path: str = "Log/読書.md") -> str:
    loaded = load_schema_text(schema, "log.yaml")
    index = memory_index({path: text})
    engine = Engine(
        Config(root=index.root, rules=default_settings()), index, select=["SC01"], schemas=[loaded]
    )
    note = index.note(path)
    assert note is not None
    outcome = fix_note(note, engine.check, unsafe=True)
    assert outcome.findings == []
    assert fix_note(outcome.note, engine.check, unsafe=True).changed is False
    return outcome.note.text


def test_missing_fields_go_into_the_frontmatter_in_template_order() -> None:
    text = "---\r\ntitle: 'ノルウェイの森'  # 題名\r\nrating: 4\r\n---\r\n`Review:` 良い\r\n"
    assert _fixed(text) == (
        "---\r\ntitle: 'ノルウェイの森'  # 題名\r\nAuthor:\r\nrating: 4\r\nStarted:\r\n---\r\n"
        "`Review:` 良い\r\n"
    )


def test_a_note_without_frontmatter_gets_a_block_and_body_fields_stay_in_the_body() -> None:
    assert _fixed("ملاحظات\n") == "---\nAuthor:\nStarted:\n---\n`Review:`\nملاحظات\n"


def test_a_note_that_keeps_its_fields_in_the_frontmatter_gets_the_key_there() -> None:
    book = "name: b\nmatch: {folders: [B]}\nfields:\n  Author: {required: true}\n"
    book += "  Concepts: {required: true}\n  Year: {}\n"
    text = "---\nconcepts: '[[Desert]]'\nyear: 1965\n---\nSpice.\n"
    assert _fixed(text, book, "B/Dune.md") == (
        "---\nAuthor:\nconcepts: '[[Desert]]'\nyear: 1965\n---\nSpice.\n"
    )
    body = "`Author:` Frank Herbert\n\nSpice.\n"  # fields in the body: the line goes there
    assert _fixed(body, book, "B/Dune.md") == "`Author:` Frank Herbert\n`Concepts:`\n\nSpice.\n"


def test_invalid_frontmatter_is_never_edited_for_a_missing_field() -> None:
    loaded = load_schema_text(READING_LOG, "log.yaml")
    text = '---\ntitle: "open\n---\n`Review:` x\n'
    index = memory_index({"Log/A.md": text})
    engine = Engine(
        Config(root=index.root, rules=default_settings()), index, select=["SC01"], schemas=[loaded]
    )
    note = index.note("Log/A.md")
    assert note is not None
    found = engine.check(note)
    assert len(found) == 2 and all(f.fix is None for f in found)


def test_location_must_be_frontmatter_or_body() -> None:
    with pytest.raises(
        SchemaError, match=r"fields: Author: location: expected frontmatter or body"
    ):
        load_schema_text(
            "name: x\nmatch: {folders: [X]}\nfields:\n  Author: {location: top}\n", "x.yaml"
        )
