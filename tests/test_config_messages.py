"""Configuration errors say exactly what is wrong, naming files as the user sees them."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import write_vault
from vaultlint.cli import main


def _error(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(["check", "--no-cache", *args]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    return err.strip()


def test_a_duplicate_key_is_named_without_ruamel_values(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    text = "rules:\n  broken-link: {}\n  broken-link: {}\n"
    root = write_vault(tmp_path / "v", {"a.md": "# A\n", ".vaultlint.yaml": text})
    monkeypatch.chdir(root)
    assert _error(capsys) == (
        "vaultlint: error: .vaultlint.yaml: invalid YAML (line 3, column 3): "
        'duplicate key "broken-link" (each key may appear once in a mapping)'
    )


def test_paths_in_errors_are_from_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    files = {
        "Books/a.md": "# A\n",
        ".vaultlint.yaml": "schemas: [schemas/x.yaml]\n",
        "schemas/x.yaml": "name: paper\nmatch: {}\n",
    }
    root = write_vault(tmp_path / "my vault", files)
    expected = (
        "match: expected a mapping of selectors (folders, tags, frontmatter, fields), "
        "got an empty mapping"
    )
    monkeypatch.chdir(root)
    assert _error(capsys) == f"vaultlint: error: schemas/x.yaml: {expected}"
    monkeypatch.chdir(tmp_path)
    assert _error(capsys, "my vault") == f"vaultlint: error: my vault/schemas/x.yaml: {expected}"
    monkeypatch.chdir(root / "Books")  # above the current folder: the full path
    assert _error(capsys) == f"vaultlint: error: {root}/schemas/x.yaml: {expected}"


def test_config_says_which_shipped_schema_a_vault_schema_replaces(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    files = {
        "Books/a.md": "# A\n",
        ".vaultlint.yaml": "schemas: [schemas/*.yaml]\n",
        "schemas/book.yaml": "name: Book\nmatch: {folders: [Reading]}\n",
        "schemas/paper.yaml": "name: paper\nmatch: {folders: [Papers]}\n",
    }
    monkeypatch.chdir(write_vault(tmp_path / "v", files))
    assert main(["config"]) == 0
    out = capsys.readouterr().out
    assert out.endswith("# schema 'Book' of schemas/book.yaml replaces the shipped schema 'book'\n")
    assert "paper" not in out.split("\n# ")[-1]
    # and it does replace it: a note under Books/ is no longer a book note
    assert main(["check", "--no-cache", "-q", "--output-format", "concise"]) == 0
