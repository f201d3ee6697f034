"""Unresolved on purpose: ``broken-link``'s ``allow`` patterns, vault-wide and per note.

A template vault copied by many (a "life OS") links to notes not written yet on
purpose; the graph shows them. Declared planned, they are not reported, and
``report``'s most-wanted list still counts them.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers import write_vault
from vaultlint.cli import main

CONFIG = """\
rules:
  broken-link: {allow: ["Someday*", "People/*"]}
overrides:
  - paths: ["Journal/**"]
    rules: {broken-link: {allow: ["Someday*", "People/*", "Rêves/*"]}}
"""

HOME = """---
up: "[[Someday — maybe list]]"
tags: [home]
---
# 🏠 Home

- Inbox: [[Inbox]]
- Ask [[People/Jane Roe|Jane]] and [[people/Somchai Sukjai.md]] about the trip.
- [[Someday: learn Khmer]] · [[Projects/Roadmap 2025]]
- Dream: [[Rêves/Voler]]
"""

JOURNAL = """---
created: 2025-03-01
---
# วันนี้

ฝัน: [[Rêves/Voler]] — คุยกับ [[People/Jane Roe]]
"""

FILES = {
    ".vaultlint.yaml": CONFIG,
    "Home.md": HOME,
    "Inbox.md": "# Inbox\n\n[[Home]]\n",
    "Journal/2025-03-01.md": JOURNAL,
}


def check_json(capsys: pytest.CaptureFixture[str], vault: Path) -> list[dict[str, object]]:
    main(["check", str(vault), "--no-cache", "--output-format", "json"])
    found: list[dict[str, object]] = json.loads(capsys.readouterr().out)
    return [f for f in found if f["code"] == "LK01"]


def test_allowed_targets_are_not_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = write_vault(tmp_path / "vault", FILES)
    found = check_json(capsys, vault)
    # Case and .md do not matter; a folder pattern matches that folder's notes only.
    assert [(f["path"], f["message"].split(":")[0]) for f in found] == [  # type: ignore[union-attr]
        ("Home.md", "broken link [[Projects/Roadmap 2025]]"),
        ("Home.md", "broken link [[Rêves/Voler]]"),
    ]


def test_without_the_patterns_every_unresolved_link_is_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = write_vault(tmp_path / "vault", {**FILES, ".vaultlint.yaml": ""})
    assert len(check_json(capsys, vault)) == 8


def test_the_most_wanted_list_counts_planned_links(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = write_vault(tmp_path / "vault", FILES)
    assert main(["report", str(vault), "--no-cache", "--format", "json"]) == 0
    links = json.loads(capsys.readouterr().out)["links"]
    wanted = {b["target"]: (b["count"], b["planned"]) for b in links["by_target"]}
    assert wanted == {
        "People/Jane Roe": (2, 2),
        "Rêves/Voler": (2, 1),  # planned in the journal only
        "Someday — maybe list": (1, 1),
        "people/Somchai Sukjai.md": (1, 1),
        "Someday: learn Khmer": (1, 1),
        "Projects/Roadmap 2025": (1, 0),
    }
    assert links["broken"] == 2  # only the links reported
    assert main(["report", str(vault), "--no-cache", "--format", "markdown"]) == 0
    out = capsys.readouterr().out
    assert "| People/Jane Roe (planned) |" in out
    assert "| Rêves/Voler (1 planned) |" in out


def test_config_shows_the_options_and_the_override(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = write_vault(tmp_path / "vault", FILES)
    assert main(["config", str(vault / "Journal" / "2025-03-01.md")]) == 0
    out = capsys.readouterr().out
    assert (
        '  broken-link: {severity: error, allow: ["Someday*", "People/*", "Rêves/*"]}'
        "  # set by an override\n"
    ) in out


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        (
            '{allow: "Someday*"}',
            "rules: broken-link: allow: expected a list, got str 'Someday*'",
        ),
        ("{allow: [Someday, 3]}", "rules: broken-link: allow: expected a list of strings"),
        (
            "{alow: [Someday]}",
            "rules: broken-link: unknown option 'alow' (allowed: severity, allow)",
        ),
    ],
)
def test_bad_options_are_one_line_errors_naming_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], setting: str, message: str
) -> None:
    vault = write_vault(
        tmp_path / "vault", {".vaultlint.yaml": f"rules:\n  broken-link: {setting}\n"}
    )
    assert main(["check", str(vault)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert ".vaultlint.yaml: " + message in err
