"""Text formats show paths from the current folder; JSON and SARIF keep vault paths."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers import write_vault
from vaultlint.cli import main

NOTES = {
    "Inbox/Sub/Deep note.md": "# Deep\n\nSee [[Nowhere]].\n",
    "Inbox/Top.md": "# Top\n\nSee [[Gone]].\n",
    "Other/Café.md": "# Café \n\nUn café près de la gare.\n",
}


@pytest.fixture
def vault(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    return write_vault(tmp_path / "my vault", NOTES)


def _paths(capsys: pytest.CaptureFixture[str], fmt: str, *args: str) -> list[str]:
    main(["check", "--output-format", fmt, "-q", *args])
    out = capsys.readouterr().out
    sep = ": " if fmt == "concise" else "  "
    return [line.split(sep)[0].rsplit(":", 2)[0] for line in out.splitlines() if line]


@pytest.mark.parametrize("fmt", ["concise", "full"])
@pytest.mark.parametrize("cache", [True, False])
def test_paths_are_from_the_current_folder(
    vault: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    fmt: str,
    cache: bool,
) -> None:
    flags = [] if cache else ["--no-cache"]
    monkeypatch.chdir(vault)  # fills the cache with texts of vault paths first
    root = ["Inbox/Sub/Deep note.md", "Inbox/Top.md", "Other/Café.md"]
    assert _paths(capsys, fmt, *flags) == root
    monkeypatch.chdir(vault.parent)
    assert _paths(capsys, fmt, "my vault", *flags) == [f"my vault/{p}" for p in root]
    monkeypatch.chdir(vault / "Inbox" / "Sub")
    assert _paths(capsys, fmt, str(vault), *flags) == [
        "Deep note.md",
        "../Top.md",
        "../../Other/Café.md",
    ]
    monkeypatch.chdir(vault / "Other")
    assert _paths(capsys, fmt, "../Inbox/Top.md", *flags) == ["../Inbox/Top.md"]
    monkeypatch.chdir(vault)  # and back: the texts for the vault root again
    assert _paths(capsys, fmt, *flags) == root


def test_json_and_sarif_keep_vault_paths(
    vault: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(vault / "Inbox")
    main(["check", "--output-format", "json", ".."])
    found = json.loads(capsys.readouterr().out)
    assert [f["path"] for f in found] == ["Inbox/Sub/Deep note.md", "Inbox/Top.md", "Other/Café.md"]
    main(["check", "--output-format", "sarif", ".."])
    (run,) = json.loads(capsys.readouterr().out)["runs"]
    uris = [
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]
    ]
    assert uris[0] == "Sub/Deep%20note.md"  # SARIF: from the folder the upload runs in


def test_fixing_names_notes_from_the_current_folder(
    vault: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(vault.parent)
    main(["check", "--fix", "my vault"])
    assert "Fixing my vault/Other/Café.md\n" in capsys.readouterr().err
