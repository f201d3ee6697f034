"""--fix replaces a note's bytes and nothing else: its other names, owner, group,
mode and extended attributes stay, and any name the file system allows can be written."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from helpers import write_vault
from vaultlint.cli import main

NOTE = b"# Reading list \n`Author:` Ursula K. Le Guin\n\n## Quotes\n> Nothing is yours. \n"
FIXED = b"# Reading list\n`Author:` Ursula K. Le Guin\n\n## Quotes\n> Nothing is yours.\n"


def _fix(vault: Path, capsys: pytest.CaptureFixture[str]) -> str:
    main(["check", "--fix", str(vault), "--no-cache"])
    return capsys.readouterr().err


def _leftovers(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if ".vaultlint-" in p.name]


def test_a_note_with_a_255_byte_name_is_fixed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    name = "é" * 126 + ".md"  # 255 bytes, the longest name most file systems allow
    assert len(os.fsencode(name)) == 255
    vault = write_vault(tmp_path / "vault", {f"Books/{name}": NOTE})
    assert f"Fixing Books/{name}" in _fix(vault, capsys)
    assert (vault / "Books" / name).read_bytes() == FIXED
    assert _leftovers(vault / "Books") == []
