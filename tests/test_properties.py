"""Obsidian's property types: types.json read once a run, values checked against a type."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest

from helpers import write_vault
from vaultlint.cli import main
from vaultlint.config import load_config
from vaultlint.properties import check_value, is_unquoted_link, parse_types, read_types, type_of

TYPES = {
    "types": {
        "tags": "tags",
        "aliases": "aliases",
        "cssclasses": "multitext",
        "Rating": "number",
        "read": "checkbox",
        "started": "date",
        "at": "datetime",
        "title": "text",
        "mood": "a-plugin-type",
    }
}


def test_types_json_is_read_with_the_config(tmp_path: Path) -> None:
    root = write_vault(tmp_path, {".obsidian/types.json": json.dumps(TYPES)})
    types = load_config(root).obsidian.property_types
    assert types["rating"] == "number" and type_of(types, "RATING") == "number"
    assert "mood" not in types  # unknown type names are left out
    assert type_of(types, "pages") is None  # unknown: never "text" by default


def test_the_config_folder_setting_is_honoured(tmp_path: Path) -> None:
    root = write_vault(
        tmp_path,
        {
            ".vaultlint.yaml": "obsidian:\n  config-folder: .obsidian-mobile\n",
            ".obsidian-mobile/types.json": '{"types": {"pages": "number"}}',
            ".obsidian/types.json": '{"types": {"other": "number"}}',
        },
    )
    assert load_config(root).obsidian.property_types == {"pages": "number"}


@pytest.mark.parametrize("text", ["{", "[]", '{"types": []}', '{"types": "number"}', "\ufeff{bad"])
def test_a_malformed_types_json_is_a_warning(text: str) -> None:
    types, warning = parse_types(text, ".obsidian/types.json")
    assert types == {}
    assert warning is not None and warning.startswith(".obsidian/types.json: ")
    assert "\n" not in warning


def test_a_malformed_types_json_warns_once_and_the_run_goes_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_vault(tmp_path, {".obsidian/types.json": "{not json", "A.md": "# A\n"})
    assert main(["check", str(root), "--no-cache"]) == 0
    err = capsys.readouterr().err
    assert err.count("types.json") == 1 and "Traceback" not in err
    assert "property types ignored" in err


def test_unreadable_types_json_is_a_warning(tmp_path: Path) -> None:
    (tmp_path / "types.json").write_bytes(b"\xff\xfe{")
    types, warning = read_types(tmp_path)
    assert types == {} and warning is not None and "types.json" in warning
    assert read_types(tmp_path / "missing") == ({}, None)


def test_types_json_is_part_of_the_cache_key(tmp_path: Path) -> None:
    root = write_vault(tmp_path, {".obsidian/types.json": '{"types": {"pages": "number"}}'})
    before = load_config(root).digest()
    (root / ".obsidian/types.json").write_text('{"types": {"pages": "text"}}')
    assert load_config(root).digest() != before
    (root / ".obsidian/types.json").write_text('{"types": {"pages": "number"}}')
    assert load_config(root).digest() == before


@pytest.mark.parametrize(
    ("kind", "value", "fixed", "safe"),
    [
        ("number", "12 pages", None, False),
        ("number", "3", 3, True),
        ("number", " 2.5 ", 2.5, True),
        ("number", "007", 7, False),
        ("number", "3,5", 3.5, False),
        ("number", True, None, False),
        ("checkbox", "yes", True, False),
        ("checkbox", "off", False, False),
        ("checkbox", "true", True, True),
        ("checkbox", "maybe", None, False),
        ("date", "2024/5/1", datetime.date(2024, 5, 1), False),
        ("date", "01.05.2024", None, False),
        ("date", "2024-02-30", None, False),
        ("date", datetime.datetime(2024, 5, 1, 10, 30), None, False),
        ("datetime", "2024-05-01 10:30", "2024-05-01T10:30", False),
        ("datetime", datetime.date(2024, 5, 1), None, False),
        ("datetime", "2024-05-01T25:00", None, False),
        ("multitext", "one", ["one"], True),
        ("multitext", {"a": 1}, None, False),
        ("multitext", ["a", {"b": 1}], None, False),
        ("multitext", [["A"], "b"], None, False),  # [[A], b]: a nested list
        ("aliases", "Le Guin, Ursula", ["Le Guin, Ursula"], False),
        ("tags", "book", ["book"], True),
        ("text", ["a", "b"], None, False),
        ("text", {"nested": 1}, None, False),
    ],
)
def test_values_that_do_not_fit(kind: str, value: object, fixed: object, safe: bool) -> None:
    problem = check_value(kind, value)
    assert problem is not None
    assert problem.fixable == (fixed is not None)
    assert problem.fixed == fixed and type(problem.fixed) is type(fixed)
    assert problem.safe == safe


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        ("number", 3),
        ("number", -2.5),
        ("checkbox", False),
        ("date", datetime.date(2024, 5, 1)),
        ("date", "2024-05-01"),
        ("datetime", datetime.datetime(2024, 5, 1, 10, 30)),
        ("datetime", "2024-05-01T10:30"),
        ("datetime", "2024-05-01T10:30:59"),
        ("multitext", ["読書", "قراءة"]),
        ("tags", "book, novel"),  # several tags in a string: tag-format's
        ("text", "ភាសាខ្មែរ"),
        ("text", 3),
        ("number", None),
        ("checkbox", None),
        ("text", [["Note"]]),  # an unquoted link: unquoted-link-property's
        ("multitext", [[["A"]], "b"]),  # a list item - [[A]]: unquoted-link-property's
    ],
)
def test_values_that_fit(kind: str, value: object) -> None:
    assert check_value(kind, value) is None


def test_unquoted_link_shape() -> None:
    assert is_unquoted_link([["Note"]]) and is_unquoted_link([["Note|alias"]])
    assert not is_unquoted_link(["Note"]) and not is_unquoted_link([["a", "b"]])
