"""Schemas: loading and validating them, note-type matching, completeness states."""

from __future__ import annotations

import time
from importlib import resources
from pathlib import Path

import pytest

from helpers import SAMPLE, memory_index, parsed, write_vault
from vaultlint.config import Config, default_settings
from vaultlint.engine import Engine
from vaultlint.schema import (
    SHIPPED_SCHEMAS,
    NoteTypeState,
    Schema,
    SchemaError,
    is_empty_value,
    load_schema_text,
    load_schemas,
    note_states,
    section_has_content,
    shipped_schemas,
    states_for,
)

PERSON = """name: person
match:
  folders: [People]
fields:
  Born: {required: true, type: date}
sections:
  Bio: {required: true}
"""


def schema(text: str) -> Schema:
    return load_schema_text(text, "test.yaml")


def book() -> Schema:
    return shipped_schemas()[0]


def states(
    text: str, path: str = "Books/Dune.md", schemas: list[Schema] | None = None
) -> list[NoteTypeState]:
    return note_states(parsed(text, path), schemas if schemas is not None else [book()])


def only(
    text: str, path: str = "Books/Dune.md", schemas: list[Schema] | None = None
) -> NoteTypeState:
    found = states(text, path, schemas)
    assert len(found) == 1
    return found[0]


def field_states(state: NoteTypeState) -> dict[str, str]:
    return {f.spec.name: f.state for f in state.fields}


def section_states(state: NoteTypeState) -> dict[str, str]:
    return {s.spec.name: s.state for s in state.sections}


# --- the shipped schema ---------------------------------------------------------------------


def test_shipped_book_schema_is_the_issues() -> None:
    (shipped,) = shipped_schemas()
    assert shipped.name == "book"
    assert shipped.description == "Reading notes made from the book template"
    assert [(f.name, f.required, f.links) for f in shipped.fields] == [
        ("Author", True, False),
        ("Availability", False, False),
        ("Concepts", True, True),
        ("Knowledge Base", True, True),
    ]
    assert [(s.name, s.required) for s in shipped.sections] == [
        ("Summary", False),
        ("Key Takeaways", True),
        ("Quotes", True),
        ("Notes", True),
    ]
    assert shipped.match.folders == (("books",),)
    assert shipped.match.tags == ("book",)
    assert shipped.match.frontmatter == (("type", ("book",)),)
    assert shipped.match.fields == (("knowledge base", "books index"),)


def test_presets_are_not_shipped_schemas() -> None:
    folder = resources.files("vaultlint.shipped")
    for name in SHIPPED_SCHEMAS:
        assert folder.joinpath(f"{name}.yaml").is_file()
    assert "default" not in SHIPPED_SCHEMAS and "strict" not in SHIPPED_SCHEMAS
    with pytest.raises(SchemaError, match="strict: unknown key 'extends'"):
        load_schema_text(folder.joinpath("strict.yaml").read_text(encoding="utf-8"), "strict")


# --- loading the vault's schemas ------------------------------------------------------------


def test_vault_schemas_come_after_the_shipped_ones(tmp_path: Path) -> None:
    write_vault(tmp_path, {"schemas/person.yaml": PERSON})
    loaded = load_schemas(tmp_path, ["schemas/person.yaml"])
    assert [s.name for s in loaded] == ["book", "person"]
    person = loaded[1]
    assert person.source == str(tmp_path / "schemas" / "person.yaml")
    assert person.fields[0].type == "date" and person.sections[0].required


def test_glob_patterns_load_every_match(tmp_path: Path) -> None:
    write_vault(
        tmp_path,
        {
            "schemas/person.yaml": PERSON,
            "schemas/place.yaml": "name: place\nmatch: {folders: [Places]}\n",
        },
    )
    assert [s.name for s in load_schemas(tmp_path, ["schemas/*.yaml"])] == [
        "book",
        "person",
        "place",
    ]
    with pytest.raises(SchemaError, match="matches no file"):
        load_schemas(tmp_path, ["nothing/*.yaml"])


def test_a_vault_schema_named_book_replaces_the_shipped_one(tmp_path: Path) -> None:
    write_vault(tmp_path, {"book.yaml": "name: Book\nmatch: {folders: [Reading]}\n"})
    loaded = load_schemas(tmp_path, ["book.yaml"])
    assert [(s.name, s.match.folders) for s in loaded] == [("Book", (("reading",),))]


def test_two_vault_schemas_of_one_name_are_an_error(tmp_path: Path) -> None:
    write_vault(tmp_path, {"a.yaml": PERSON, "b.yaml": PERSON})
    with pytest.raises(SchemaError, match=r"b\.yaml: name: schema 'person' is also defined"):
        load_schemas(tmp_path, ["a.yaml", "b.yaml"])


def test_the_same_file_listed_twice_is_loaded_once(tmp_path: Path) -> None:
    write_vault(tmp_path, {"a.yaml": PERSON})
    assert [s.name for s in load_schemas(tmp_path, ["a.yaml", "a.yaml"])] == ["book", "person"]


def test_a_missing_schema_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(SchemaError, match=r"nope\.yaml: schema file not found"):
        load_schemas(tmp_path, ["nope.yaml"])


INVALID = [
    ("name: x\nmatch: [unclosed\n", "invalid YAML (line 3"),
    ("name: x\nname: y\nmatch: {tags: [a]}\n", "invalid YAML (line 2"),
    ("- a list\n", "a schema must be a mapping"),
    ("match: {tags: [a]}\n", "name: required"),
    ("name: ''\nmatch: {tags: [a]}\n", "name: required"),
    ("name: x\n", "match: required"),
    ("name: x\nmatch: {tags: [a]}\ncolour: red\n", "unknown key 'colour'"),
    ("name: x\ndescription: [a]\nmatch: {tags: [a]}\n", "description: expected text"),
    ("name: x\nmatch: {}\n", "match: expected a mapping of selectors"),
    ("name: x\nmatch: {paths: [a]}\n", "match: unknown key 'paths'"),
    ("name: x\nmatch: {folders: 3}\n", "match: folders: expected a list of names"),
    ("name: x\nmatch: {tags: [a, '']}\n", "match: tags: expected a list of names"),
    ("name: x\nmatch: {frontmatter: [type]}\n", "match: frontmatter: expected a mapping"),
    ("name: x\nmatch: {frontmatter: {type: {a: b}}}\n", "match: frontmatter: type:"),
    ("name: x\nmatch: {fields: {KB: 3}}\n", "match: fields: KB: expected a link"),
    ("name: x\nmatch: {fields: [KB]}\n", "match: fields: expected a mapping"),
    ("name: x\nmatch: {tags: [a]}\nfields: [Author]\n", "fields: expected a mapping"),
    ("name: x\nmatch: {tags: [a]}\nfields: {Author: true}\n", "fields: Author: expected a mapping"),
    (
        "name: x\nmatch: {tags: [a]}\nfields: {Author: {required: 'yes'}}\n",
        "fields: Author: required: expected true or false, got str 'yes'",
    ),
    (
        "name: x\nmatch: {tags: [a]}\nfields: {Author: {links: 1}}\n",
        "fields: Author: links: expected true or false",
    ),
    (
        "name: x\nmatch: {tags: [a]}\nfields: {Author: {requird: true}}\n",
        "fields: Author: unknown key 'requird' "
        "(allowed: required, links, pattern, enum, type, location)",
    ),
    (
        "name: x\nmatch: {tags: [a]}\nfields: {Year: {pattern: '(\\d'}}\n",
        "fields: Year: pattern: invalid regular expression",
    ),
    (
        "name: x\nmatch: {tags: [a]}\nfields: {Title: {pattern: '^(?=[A-Z]).+$'}}\n",
        "fields: Title: pattern: invalid regular expression '^(?=[A-Z]).+$': invalid perl operator",
    ),
    (
        "name: x\nmatch: {tags: [a]}\nfields: {Year: {pattern: 4}}\n",
        "fields: Year: pattern: expected a regular expression",
    ),
    (
        "name: x\nmatch: {tags: [a]}\nfields: {Year: {type: integer}}\n",
        "fields: Year: type: unknown type 'integer'",
    ),
    (
        "name: x\nmatch: {tags: [a]}\nfields: {State: {enum: owned}}\n",
        "fields: State: enum: expected a non-empty list",
    ),
    (
        "name: x\nmatch: {tags: [a]}\nfields: {State: {enum: []}}\n",
        "fields: State: enum: expected a non-empty list",
    ),
    (
        "name: x\nmatch: {tags: [a]}\nfields: {Author: {}, author: {}}\n",
        "fields: author: listed twice",
    ),
    (
        "name: x\nmatch: {tags: [a]}\nsections: {Notes: {level: 7}}\n",
        "sections: Notes: level: expected a heading level 1 to 6",
    ),
    (
        "name: x\nmatch: {tags: [a]}\nsections: {Notes: {level: true}}\n",
        "sections: Notes: level: expected a heading level",
    ),
    (
        "name: x\nmatch: {tags: [a]}\nsections: {Notes: {required: true, order: 1}}\n",
        "sections: Notes: unknown key 'order' (allowed: required, level)",
    ),
    (
        "name: x\nmatch: {tags: [a]}\nsections: {'**Notes**': {}, notes: {}}\n",
        "sections: notes: listed twice",
    ),
]


@pytest.mark.parametrize(("text", "message"), INVALID)
def test_invalid_schemas_name_the_file_and_key(text: str, message: str) -> None:
    with pytest.raises(SchemaError) as info:
        load_schema_text(text, "vault/person.yaml")
    error = str(info.value)
    assert error.startswith("vault/person.yaml: ")
    assert message in error
    assert "\n" not in error


def test_null_options_mean_defaults() -> None:
    loaded = schema("name: x\nmatch: {tags: a}\nfields:\n  Author:\nsections:\n  Notes:\n")
    assert loaded.fields[0].required is False and loaded.sections[0].level is None
    assert loaded.match.tags == ("a",)


# --- matching -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "text", "matched"),
    [
        ("Books/Dune.md", "", True),
        ("Reading/books/SF/Dune.md", "", True),  # any depth, any case
        ("Booksy/Dune.md", "", False),
        ("Books.md", "", False),  # a note named Books is not in the folder
        ("Inbox/Dune.md", "---\ntags: [book]\n---\n", True),
        ("Inbox/Dune.md", "---\ntags: Book\n---\n", True),
        ("Inbox/Dune.md", "Reading #book/sf today\n", True),  # nested tags count
        ("Inbox/Dune.md", "Reading #bookish today\n", False),
        ("Inbox/Dune.md", "`#book` in code\n", False),
        ("Inbox/Dune.md", "---\ntype: Book\n---\n", True),
        ("Inbox/Dune.md", "---\nType: [novel, book]\n---\n", True),
        ("Inbox/Dune.md", "---\ntype: novel\n---\n", False),
        ("Inbox/Dune.md", "type:: book\n", False),  # the frontmatter selector is frontmatter
        ("Inbox/Dune.md", "`Knowledge Base:` [[Books index]]\n", True),
        ("Inbox/Dune.md", "knowledge base:: [[books index|all books]]\n", True),
        ("Inbox/Dune.md", "`Knowledge Base:` [[Lists/Books index.md#Top]]\n", True),
        ("Inbox/Dune.md", "---\nKnowledge Base: '[[Books index]]'\n---\n", True),
        ("Inbox/Dune.md", "`Knowledge Base:` Books index\n", False),  # not a link
        ("Inbox/Dune.md", "`Knowledge Base:` [[Other index]]\n", False),
        ("Inbox/Dune.md", "`Concepts:` [[Books index]]\n", False),  # another field
        ("Inbox/Dune.md", "See [[Books index]].\n", False),
        ("Daily/2026-01-01.md", "# Day\n\n## Quotes\n\n", False),
    ],
)
def test_book_note_matching(path: str, text: str, matched: bool) -> None:
    assert bool(states(text, path)) is matched


def test_folder_paths_match_consecutive_folders() -> None:
    deep = schema("name: x\nmatch: {folders: [Reading/Books]}\n")
    assert states("", "Vault/Reading/Books/A.md", [deep])
    assert not states("", "Reading/Other/Books/A.md", [deep])
    assert not states("", "Books/Reading/A.md", [deep])


def test_a_field_selector_with_a_path_compares_the_path() -> None:
    pathed = schema("name: x\nmatch: {fields: {KB: '[[Lists/Books index]]'}}\n")
    assert states("KB:: [[Lists/Books index]]\n", "A.md", [pathed])
    assert not states("KB:: [[Books index]]\n", "A.md", [pathed])


def test_every_matching_schema_applies() -> None:
    person = schema(PERSON)
    reader = schema("name: reader\nmatch: {tags: [reader]}\nfields: {Born: {}}\n")
    found = states("#reader\n", "People/Ada.md", [book(), person, reader])
    assert [s.schema.name for s in found] == ["person", "reader"]


# --- completeness ---------------------------------------------------------------------------


def test_the_design_sample() -> None:
    state = only(SAMPLE)
    assert field_states(state) == {
        "Author": "filled",
        "Availability": "empty",
        "Concepts": "filled",
        "Knowledge Base": "filled",
    }
    # Summary is inside the callout, which ends on its own line.
    assert section_states(state) == {
        "Summary": "empty",
        "Key Takeaways": "empty",
        "Quotes": "empty",
        "Notes": "empty",
    }
    assert not state.complete and state.problems == () and state.misordered == ()
    author = state.fields[0].entry
    assert author is not None and author.line == 1 and author.value == "Ursula K. Le Guin"


def test_a_complete_book_note() -> None:
    text = SAMPLE.replace("## Key Takeaways\n", "## Key Takeaways\n- Walls.\n")
    text = text.replace("## Quotes\n-\n", "## Quotes\n- “You cannot buy the revolution.”\n")
    text = text.replace("## Notes\n", "## Notes\nReread in 2026.\n")
    state = only(text)
    assert state.complete
    assert section_states(state)["Notes"] == "filled"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("`Author:` Le Guin\n", "filled"),
        ("Author:: Le Guin\n", "filled"),
        ("---\nauthor: Le Guin\n---\n", "filled"),
        ("---\n AUTHOR : Le Guin\n---\n", "filled"),
        ("- [Author:: Le Guin]\n", "filled"),
        ("> `Author:` Le Guin\n", "filled"),
        ("`Author:`\n", "empty"),
        ("`Author:`   \n", "empty"),
        ("`Author:` -\n", "empty"),
        ("Author:: -\n", "empty"),
        ("---\nauthor:\n---\n", "empty"),
        ("---\nauthor: []\n---\n", "empty"),
        ("---\nauthor: '-'\n---\n", "empty"),
        ("`Author:` \n`Author:` Le Guin\n", "filled"),  # one filled occurrence is enough
        ("---\nauthor: ''\n---\n`Author:` Le Guin\n", "filled"),
        ("`Authors:` Le Guin\n", "missing"),
        ("```\n`Author:` Le Guin\n```\n", "missing"),  # code is not a field
        ("", "missing"),
    ],
)
def test_field_states_in_every_style(text: str, expected: str) -> None:
    assert field_states(only(text))["Author"] == expected


@pytest.mark.parametrize(
    ("value", "empty"), [("", True), ("  ", True), ("-", True), (" - ", True), ("--", False)]
)
def test_empty_values(value: str, empty: bool) -> None:
    assert is_empty_value(value) is empty


SECTIONS = [
    ("## Quotes\n", False),
    ("## Quotes\n\n\n", False),
    ("## Quotes\n-\n", False),
    ("## Quotes\n- \n* \n+\n1.\n2)\n", False),
    ("## Quotes\n- [ ]\n- [x] \n", False),
    ("## Quotes\n---\n", False),
    ("## Quotes\n%% a quote goes here %%\n", False),
    ("## Quotes\n%%\nmulti-line\ncomment\n%%\n", False),
    ("## Quotes\n<!-- template hint -->\n", False),
    ("## Quotes\n`Concepts:` [[Anarchism]]\nConcepts:: [[Utopia]]\n", False),
    ("## Quotes\n### Chapter 1\n\n### Chapter 2\n-\n", False),  # empty subsections
    ("## Quotes\n^block\n", False),
    ("## Quotes\r\n- \r\n\r\n", False),
    ("## Quotes\n## Notes\nText.\n", False),  # the next section's text is not Quotes'
    ("## Quotes\n- A quote.\n", True),
    ("## Quotes\nA quote.\n", True),
    ("## Quotes\n1. A quote.\n", True),
    ("## Quotes\n- [ ] Find a quote\n", True),
    ("## Quotes\n### Chapter 1\n- A quote.\n", True),  # subsections count
    ("## Quotes\n```\ncode\n```\n", True),  # code blocks are content
    ("## Quotes\n$$x^2$$\n", True),
    ("## Quotes\n![[cover.png]]\n", True),
    ("## Quotes\nSee [Author:: Le Guin] here.\n", True),  # text around an inline field
    ("## Quotes\n> A quote.\n", True),
    ("## Quotes\n> [!quote] Le Guin\n", True),  # a callout with a title
    ("## Quotes\n> [!quote]\n>\n> -\n", False),
    ("## Quotes\nA quote. %% comment %%\n", True),
    ("Quotes\n---\nA quote.\n", True),  # a setext heading
    ("Quotes\n---\n\n", False),
]


@pytest.mark.parametrize(("text", "content"), SECTIONS)
def test_section_content(text: str, content: bool) -> None:
    note = parsed(text)
    heading = next(h for h in note.headings if h.text == "Quotes")
    assert section_has_content(note, heading) is content


@pytest.mark.parametrize(
    ("text", "content"),
    [
        ("> [!info]\n> ## Quotes\n> A quote.\n", True),
        ("> [!info]\n> ## Quotes\n>\n> - \n", False),
        ("> [!info]\n> ## Quotes\n### Overview\nText outside the callout.\n", False),
        ("> [!info]\n> ## Quotes\nText outside the callout.\n", False),
        ("> [!info]\n> ## Quotes\n> > nested\n", True),
        ("> ## Quotes\n> `Concepts:` [[A]]\n", False),
    ],
)
def test_sections_inside_callouts_end_with_the_callout(text: str, content: bool) -> None:
    note = parsed(text)
    assert section_has_content(note, note.headings[0]) is content


@pytest.mark.parametrize(
    "heading",
    ["## Quotes", "## quotes", "##   **Quotes**  ", "### __Quotes__", "# *QUOTES*", "> ## Quotes"],
)
def test_headings_match_section_names_loosely(heading: str) -> None:
    body = "> A quote.\n" if heading.startswith(">") else "A quote.\n"
    assert section_states(only(heading + "\n" + body))["Quotes"] == "filled"


def test_level_restricts_the_headings_that_count() -> None:
    leveled = schema("name: x\nmatch: {folders: [Books]}\nsections: {Notes: {level: 2}}\n")
    assert section_states(only("### Notes\nText.\n", schemas=[leveled]))["Notes"] == "missing"
    assert section_states(only("## Notes\nText.\n", schemas=[leveled]))["Notes"] == "filled"


def test_a_section_written_twice_is_filled_if_either_is() -> None:
    state = only("## Notes\n\n## Quotes\n- q\n## Notes\nText.\n")
    notes = state.sections[3]
    assert notes.state == "filled" and len(notes.headings) == 2
    assert notes.filled == (False, True) and notes.heading is notes.headings[1]


def test_headings_in_code_are_not_sections() -> None:
    assert section_states(only("```\n## Notes\ntext\n```\n"))["Notes"] == "missing"


@pytest.mark.parametrize(
    ("order", "misordered"),
    [
        (["Summary", "Key Takeaways", "Quotes", "Notes"], []),
        (["Key Takeaways", "Notes"], []),
        (["Notes", "Summary", "Key Takeaways", "Quotes"], ["Notes"]),
        (["Summary", "Quotes", "Key Takeaways", "Notes"], ["Key Takeaways"]),
        (["Summary", "Key Takeaways", "Notes", "Quotes"], ["Quotes"]),
        (["Notes", "Quotes", "Key Takeaways", "Summary"], ["Quotes", "Key Takeaways", "Summary"]),
    ],
)
def test_misordered_sections(order: list[str], misordered: list[str]) -> None:
    text = "".join(f"## {name}\nText.\n" for name in order)
    assert [s.spec.name for s in only(text).misordered] == misordered


# --- field values ---------------------------------------------------------------------------

VALUES = """name: x
match: {folders: [X]}
fields:
  Concepts: {links: true}
  Year: {type: number, pattern: '^\\d{4}$'}
  Born: {type: date}
  Site: {type: url}
  Shelf: {enum: [Owned, Library]}
  Genres: {type: list, enum: [sf, fantasy]}
  Note: {type: text}
"""


def problems(text: str) -> list[tuple[str, str, str]]:
    state = only(text, "X/A.md", [schema(VALUES)])
    return [(p.entry.key, p.check, p.message) for p in state.problems]


@pytest.mark.parametrize(
    "text",
    [
        "`Concepts:` [[Anarchism]], plain\n",
        "Concepts:: [Anarchism](Anarchism.md)\n",
        "---\nconcepts:\n  - '[[Anarchism]]'\n  - '[[Utopia]]'\n---\n",
        "`Year:` 1974\n",
        "---\nyear: 1974\n---\n",
        "`Born:` 1929-10-21\n",
        "Born:: 2018-01-22T10:30\n",
        "Born:: 2018-01-22 10:30:15+02:00\n",
        "---\nborn: 1929-10-21\n---\n",
        "`Site:` https://www.ursulakleguin.com/\n",
        "`Site:` <https://example.org/ab>\n",
        "`Site:` [home](https://example.org)\n",
        "`Shelf:` owned\n",
        "`Shelf:` LIBRARY\n",
        "`Genres:` sf, fantasy\n",
        "---\ngenres: [sf, Fantasy]\n---\n",
        "`Note:` anything at all\n",
        "`Year:`\n`Born:` -\n",  # empty values are empty-field's business
    ],
)
def test_valid_values(text: str) -> None:
    assert problems(text) == []


@pytest.mark.parametrize(
    ("text", "check", "message"),
    [
        ("`Concepts:` Anarchism\n", "links", "'Concepts' holds no link: 'Anarchism'"),
        ("Concepts:: `[[Anarchism]]`\n", "links", "'Concepts' holds no link"),
        ("---\nconcepts: Anarchism\n---\n", "links", "'Concepts' holds no link"),
        ("`Year:` 74\n", "pattern", "'Year' does not match the pattern '^\\\\d{4}$': '74'"),
        ("`Year:` 1974.5\n", "pattern", "'Year' does not match the pattern"),
        ("---\nyear: 1974.5\n---\n", "pattern", "'Year' does not match the pattern"),
        ("`Born:` 21 October 1929\n", "type", "'Born' is not an ISO 8601 date"),
        ("`Born:` 1929-02-30\n", "type", "'Born' is not an ISO 8601 date (YYYY-MM-DD): "),
        ("`Born:` 1929-10-21T25:00\n", "type", "'Born' is not an ISO 8601 date"),
        ("`Site:` www.example.org\n", "type", "'Site' is not a URL: 'www.example.org'"),
        ("`Shelf:` borrowed\n", "enum", "'Shelf' must be one of Owned, Library: 'borrowed'"),
        ("`Genres:` sf, romance\n", "enum", "'Genres' must be one of sf, fantasy: 'romance'"),
        ("`Genres:` sf, , fantasy\n", "type", "'Genres' is a list with an empty item"),
        ("---\ngenres: sf\n---\n", "type", "'Genres' is not a list: 'sf'"),
        ("---\ngenres: [sf, western]\n---\n", "enum", "'Genres' must be one of sf, fantasy"),
    ],
)
def test_invalid_values(text: str, check: str, message: str) -> None:
    found = problems(text)
    assert len(found) == 1, found
    assert found[0][1] == check and message in found[0][2]


@pytest.mark.parametrize(
    ("text", "shown"),
    [("`Year:` MCMLXXIV\n", "'MCMLXXIV'"), ("---\nyear: true\n---\n", "'true'")],
)
def test_each_failing_check_is_one_problem(text: str, shown: str) -> None:
    found = problems(text)
    assert [check for _, check, _ in found] == ["type", "pattern"]
    assert found[0][2] == f"'Year' is not a number: {shown}"


def test_long_values_are_shortened_in_messages() -> None:
    (found,) = problems("`Concepts:` " + "word " * 40 + "\n")
    assert found[2].endswith("...'") and len(found[2]) < 100


# --- one computation per note ---------------------------------------------------------------


def test_states_for_computes_once_per_note() -> None:
    index = memory_index({"Books/A.md": SAMPLE, "Books/B.md": SAMPLE})
    engine = Engine(Config(root=index.root, rules=default_settings()), index)
    a, b = index.note("Books/A.md"), index.note("Books/B.md")
    assert a is not None and b is not None
    first = states_for(a, engine.ctx)
    assert states_for(a, engine.ctx) is first
    other = states_for(b, engine.ctx)
    assert other is not first and other == note_states(b, shipped_schemas())


def test_states_for_uses_the_contexts_schemas() -> None:
    index = memory_index({"People/Ada.md": "Born:: 1815-12-10\n"})
    note = index.note("People/Ada.md")
    assert note is not None
    config = Config(root=index.root, rules=default_settings())
    assert states_for(note, Engine(config, index).ctx) == []  # the shipped book schema only
    with_person = Engine(config, index, schemas=[*shipped_schemas(), schema(PERSON)])
    (state,) = states_for(note, with_person.ctx)
    assert state.schema.name == "person" and field_states(state) == {"Born": "filled"}


@pytest.mark.parametrize(
    "line",
    [
        " \t" * 20_000 + "x",
        "- " + " \t" * 20_000 + "x",
        "> " * 5_000 + "- " * 5_000 + "x",
        "- - " + " " * 20_000 + "x",
        "- [ ]" + " " * 20_000 + "x",
        "[!a]" + " " * 20_000 + "x",
    ],
    ids=["blanks", "marker-blanks", "quotes-markers", "break-blanks", "task-blanks", "callout"],
)
def test_hostile_lines_take_linear_time(line: str) -> None:
    note = parsed(f"## Notes\n{line}\n")
    started = time.perf_counter()
    assert section_has_content(note, note.headings[0])
    assert time.perf_counter() - started < 0.5


def test_hostile_values_take_linear_time() -> None:
    typed = schema("name: x\nmatch: {folders: [X]}\nfields: {S: {type: url}, N: {type: number}}\n")
    long = "http://" + "a" * 50_000 + " b"
    started = time.perf_counter()
    state = only(f"S:: {long}\nN:: {'1' * 50_000}x\n", "X/A.md", [typed])
    assert [p.check for p in state.problems] == ["type", "type"]
    assert time.perf_counter() - started < 0.5
