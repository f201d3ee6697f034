"""Schema field types for Obsidian's properties (checkbox, datetime, multitext, tags,
aliases) and how a schema's types meet ``.obsidian/types.json``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers import write_vault
from test_schema_rules import schema_findings
from vaultlint.cli import main
from vaultlint.schema import SchemaError, load_schema_text, reconcile_types

# A reading log kept as properties, as a Templater template writes it.
READING = """name: reading
description: A reading log entry (Templates/Reading.md)
match:
  folders: [Reading]
fields:
  read: {type: checkbox}
  started: {type: datetime}
  finished: {type: date}
  tags: {type: tags}
  aliases: {type: aliases}
  cssclasses: {type: multitext}
  rating: {type: number, enum: [1, 2, 3, 4, 5]}
  status: {enum: [reading, done, dropped]}
"""

GOOD = """---
read: true
started: 2026-03-01T21:15
finished: 2026-03-09
tags: [novel, 文学/日本]
aliases: [Norwegian Wood, ノルウェイの森]
cssclasses:
  - wide
rating: 4
status: done
---
Read in the evenings.
"""


def _messages(text: str, path: str = "Reading/ノルウェイの森.md") -> list[tuple[int, str]]:
    schema = load_schema_text(READING, "schemas/reading.yaml")
    found = schema_findings({path: text}, [schema], select=["field-value"])
    return [(line, message) for _, line, _, _, message in found]


def test_a_well_typed_note_passes() -> None:
    assert _messages(GOOD) == []
    crlf = GOOD.replace("\n", "\r\n")
    assert _messages(crlf) == []


@pytest.mark.parametrize(
    ("line", "value", "message"),
    [
        ("read: yes", 2, "'read' is not a checkbox (true or false): 'yes'"),
        ("started: 2026-03-01", 3, "'started' is not a date and time (YYYY-MM-DDTHH:mm[:ss]): "),
        ("started: 2026-02-30T21:15", 3, "'started' is not a date and time"),
        ("tags: [novel, 'two words']", 5, "'tags' is not a tag name (no #, no space): 'two words'"),
        ("tags: novel", 5, "'tags' is not a list: 'novel'"),
        ("aliases: Norwegian Wood", 6, "'aliases' is not a list: 'Norwegian Wood'"),
        ("cssclasses: wide", 7, "'cssclasses' is not a list: 'wide'"),
    ],
)
def test_each_new_type_reports_a_value_that_breaks_it(line: str, value: int, message: str) -> None:
    key = line.split(":", 1)[0]
    lines = GOOD.split("\n")
    start = next(i for i, text in enumerate(lines) if text.startswith(key + ":"))
    end = start + 1
    while lines[end].startswith("  - "):
        end += 1
    text = "\n".join([*lines[:start], line, *lines[end:]])
    found = _messages(text)
    assert len(found) == 1 and found[0][0] == value and found[0][1].startswith(message), found


def test_body_fields_of_a_list_type_are_split_at_commas() -> None:
    text = "`tags:` novel, 文学/日本\n`read:` false\n`started:` 2026-03-01T21:15:07\n"
    assert _messages(text) == []
    assert _messages("`tags:` novel, #literature\n") == [
        (1, "'tags' is not a tag name (no #, no space): '#literature'")
    ]


def test_types_json_wins_over_a_contradicting_schema_with_one_warning() -> None:
    schema = load_schema_text(READING, "schemas/reading.yaml")
    types = {"read": "text", "started": "datetime", "Rating": "number", "finished": "datetime"}
    schemas, warnings = reconcile_types([schema], types, ".obsidian/types.json")
    assert warnings == [
        "schemas/reading.yaml: fields: read: type checkbox contradicts .obsidian/types.json "
        "(text); .obsidian/types.json wins: field-value checks it as text",
        "schemas/reading.yaml: fields: finished: type date contradicts .obsidian/types.json "
        "(datetime); .obsidian/types.json wins: field-value checks it as datetime",
    ]
    by_name = {spec.name: spec.type for spec in schemas[0].fields}
    assert by_name["read"] == "text" and by_name["finished"] == "datetime"
    assert by_name["rating"] == "number" and by_name["started"] == "datetime"


def test_agreeing_types_say_nothing() -> None:
    text = "name: clip\nmatch: {folders: [Clips]}\nfields:\n  source: {type: url}\n"
    text += "  topics: {type: list}\n  tags: {type: list}\n"
    schema = load_schema_text(text, "schemas/clip.yaml")
    types = {"source": "text", "topics": "multitext", "tags": "tags", "other": "number"}
    schemas, warnings = reconcile_types([schema], types, ".obsidian/types.json")
    assert warnings == [] and schemas == [schema]


@pytest.mark.parametrize(
    ("field", "kind", "why"),
    [
        ("  rating: {type: text, enum: [good, bad]}\n", "number", "enum value 'good'"),
        ("  up: {type: text, links: true}\n", "date", "links: true"),
    ],
)
def test_a_contradiction_that_no_value_could_satisfy_is_an_error(
    field: str, kind: str, why: str
) -> None:
    name = field.split(":", 1)[0].strip()
    schema = load_schema_text(
        "name: review\nmatch: {folders: [Reviews]}\nfields:\n" + field, "schemas/review.yaml"
    )
    with pytest.raises(SchemaError) as caught:
        reconcile_types([schema], {name: kind}, ".obsidian/types.json")
    message = str(caught.value)
    assert message.startswith(f"schemas/review.yaml: fields: {name}: type text contradicts")
    assert why in message and "\n" not in message


def test_unknown_types_are_still_refused() -> None:
    with pytest.raises(SchemaError, match=r"unknown type 'bool'.*checkbox"):
        load_schema_text(
            "name: x\nmatch: {folders: [X]}\nfields:\n  done: {type: bool}\n", "schemas/x.yaml"
        )


# --- at load: a vault's schemas meet its types.json ---------------------------------

TYPES_JSON = '{"types": {"read": "text", "finished": "datetime", "rating": "number"}}'


def _vault(tmp_path: Path, schema: str, types: str = TYPES_JSON) -> Path:
    return write_vault(
        tmp_path / "vault",
        {
            ".vaultlint.yaml": "schemas: [schemas/reading.yaml]\n",
            "schemas/reading.yaml": schema,
            ".obsidian/types.json": types,
            "Reading/ノルウェイの森.md": GOOD.replace("2026-03-09", "2026-03-09T22:00"),
        },
    )


def test_a_contradiction_is_one_warning_line_at_load_and_types_json_wins(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _vault(tmp_path, READING)
    select = ["--select", "field-value", "--no-cache"]
    assert main(["check", str(root), *select]) == 0  # finished is checked as a datetime
    err = capsys.readouterr().err.splitlines()
    corrected = [line for line in err if "contradicts" in line]
    assert len(corrected) == 2
    assert all(line.startswith("vaultlint: warning: ") for line in corrected)
    assert "fields: read: type checkbox contradicts" in corrected[0]
    assert "types.json wins: field-value checks it as text" in corrected[0]
    assert "fields: finished: type date" in corrected[1]
    assert main(["report", str(root), "--no-cache", "--format", "json"]) == 0
    captured = capsys.readouterr()
    assert sum("contradicts" in line for line in captured.err.splitlines()) == 2


def test_an_irreconcilable_schema_exits_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _vault(tmp_path, READING, '{"types": {"rating": "date"}}')
    assert main(["check", str(root), "--no-cache"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "schemas/reading.yaml: fields: rating: type number contradicts" in err
    assert "types.json (date), and its enum value '1' cannot be date" in err


def test_the_report_shows_the_declared_types(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _vault(tmp_path, READING)
    assert main(["report", str(root), "--no-cache", "--format", "json"]) == 0
    props = {p["name"]: p for p in json.loads(capsys.readouterr().out)["properties"]["properties"]}
    assert props["read"]["type"] == "text" and props["read"]["declared"] is True
    assert props["finished"]["type"] == "datetime" and props["finished"]["declared"] is True
    assert props["rating"] == {
        "name": "rating",
        "type": "number",
        "declared": True,
        "notes": 1,
        "breaking": 0,
    }
    assert props["status"]["declared"] is False  # not in types.json: inferred


def test_a_changed_types_json_reloads_the_settings(tmp_path: Path) -> None:
    from vaultlint.workspace import Workspace

    root = _vault(tmp_path, READING)
    workspace = Workspace(root)
    assert workspace.config.obsidian.property_types["read"] == "text"
    (root / ".obsidian/types.json").write_text('{"types": {"read": "checkbox"}}')
    assert workspace.refresh([".obsidian/types.json"]) is True
    assert workspace.config.obsidian.property_types["read"] == "checkbox"
    assert not [w for w in workspace.config.warnings if "contradicts" in w]
