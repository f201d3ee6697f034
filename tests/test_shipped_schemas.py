"""The shipped schemas in a real vault's first minutes: on by default, listed by
``vaultlint config`` with where each comes from, off with ``schemas: []``; a note's
type named; a type without notes never reported as 100 % complete."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from helpers import write_vault
from vaultlint.cli import main

SAPIENS = (
    '---\nAuthor: "[[Yuval Noah Harari]]"\nGenre: history\n---\n# Sapiens\n\n'
    "## Summary\nA brief history of humankind, from the cognitive revolution on.\n"
)
PAPER_SCHEMA = "name: paper\nmatch:\n  folders: [Papers]\nsections:\n  Abstract: {required: true}\n"
# A reading vault in French: book notes under « Livres/Books », a paper schema of its own.
VAULT = {
    "Livres/Books/Sapiens.md": SAPIENS,
    "Papers/Attention is all you need.md": (
        "# Attention is all you need\n\n## Abstract\nWe propose the Transformer.\n"
    ),
    "Journal/2024-05-01.md": "# Mercredi\n\nLu [[Sapiens]] ce matin. Très bien écrit.\n",
    "schemas/paper.yaml": PAPER_SCHEMA,
}


def _config(capsys: pytest.CaptureFixture[str], *args: str) -> list[str]:
    assert main(["config", *args]) == 0
    return capsys.readouterr().out.splitlines()


def _comments(lines: list[str]) -> list[str]:
    start = next(i for i, line in enumerate(lines) if "schemas:" in line)
    end = next(i for i, line in enumerate(lines) if line == "obsidian:")
    return lines[start:end]


def test_config_lists_the_schemas_in_effect_and_where_each_comes_from(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_vault(tmp_path / "v", VAULT)
    # Nothing configured: the shipped book schema applies, and `schemas:` is not shown as [].
    assert _comments(_config(capsys, str(root))) == [
        "# schemas: []  # unset: the shipped schemas apply; [] turns them off",
        "# schema in effect: 'book', shipped with vaultlint (book.yaml; off with `schemas: []`)",
    ]
    write_vault(root, {".vaultlint.yaml": "schemas: [schemas/paper.yaml]\n"})
    assert _comments(_config(capsys, str(root))) == [
        'schemas: ["schemas/paper.yaml"]',
        "# schema in effect: 'book', shipped with vaultlint (book.yaml; off with `schemas: []`)",
        "# schema in effect: 'paper', from schemas/paper.yaml",
    ]


def test_config_of_a_note_names_its_types(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_vault(tmp_path / "v", VAULT)
    write_vault(root, {".vaultlint.yaml": "schemas: [schemas/paper.yaml]\n"})
    assert "# note types: book" in _config(capsys, str(root / "Livres/Books/Sapiens.md"))
    paper = _config(capsys, str(root / "Papers/Attention is all you need.md"))
    assert "# note types: paper" in paper
    journal = _config(capsys, str(root / "Journal/2024-05-01.md"))
    assert "# note types: none (no schema matches it)" in journal


def test_schemas_empty_turns_the_shipped_ones_off(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_vault(tmp_path / "v", VAULT)
    on = ["check", str(root), "--no-cache", "--output-format", "json", "-q"]
    main(on)
    codes = {f["code"] for f in json.loads(capsys.readouterr().out)}
    assert any(code.startswith("SC") for code in codes)  # the book schema's findings
    write_vault(root, {".vaultlint.yaml": "schemas: []\n"})
    main(on)
    assert not any(f["code"].startswith("SC") for f in json.loads(capsys.readouterr().out))
    lines = _config(capsys, str(root / "Livres/Books/Sapiens.md"))
    assert _comments(lines) == [
        "schemas: []",
        "# schemas in effect: none (`schemas: []` turns the shipped ones off too)",
        "# note types: none (no schema matches it)",
    ]
    main(["report", str(root), "--no-cache", "--format", "json"])
    assert json.loads(capsys.readouterr().out)["types"] == []


@pytest.mark.parametrize("fmt", ["terminal", "markdown", "json", "html"])
def test_a_type_with_no_notes_is_not_shown_as_complete(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    files = {k: v for k, v in VAULT.items() if not k.startswith("Livres/")}
    root = write_vault(tmp_path / "v", files)
    main(["report", str(root), "--no-cache", "--format", fmt])
    out = capsys.readouterr().out
    assert "book" in out
    if fmt == "json":
        book = next(t for t in json.loads(out)["types"] if t["name"] == "book")
        assert (book["notes"], book["complete"]) == (0, 0)
        return
    shown = re.sub(r'style="[^"]*"', "", out)  # bar widths are no completeness
    assert "100.0" not in shown
    assert "no notes" in out
