"""``-o FILE`` never replaces a note of the vault (nor any vault file vaultlint did not
write) without ``--force``, and writes through a temporary file."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from helpers import SAMPLE, write_vault
from vaultlint.cli import main

USER_REPORT = "# Report\n\nMy own notes on what I read this year: [[Dune]].\n"


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    return write_vault(
        tmp_path / "vault",
        {"Books/Dune.md": SAMPLE, "Report.md": USER_REPORT, "Anarchism.md": "# Anarchism\n"},
    )


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    return code, capsys.readouterr().err


def test_a_note_of_the_vault_is_not_replaced(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = vault / "Report.md"
    code, err = run(capsys, "report", str(vault), "--format", "markdown", "-o", str(report))
    assert code == 2 and err == (
        f"vaultlint: error: {report}: a file of the vault that vaultlint did not write; "
        "use --force to replace it, or write outside the vault\n"
    )
    assert report.read_text(encoding="utf-8") == USER_REPORT
    code, err = run(capsys, "check", str(vault), "--output-format", "json", "-o", str(report))
    assert code == 2 and report.read_text(encoding="utf-8") == USER_REPORT
    code, _ = run(
        capsys, "report", str(vault), "--format", "markdown", "-o", str(report), "--force"
    )
    assert code == 0 and report.read_text(encoding="utf-8").startswith("## vaultlint report")


def test_a_file_vaultlint_wrote_may_be_written_again_until_someone_edits_it(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = vault / "vault-report.html"
    assert run(capsys, "report", str(vault), "--format", "html", "-o", str(target))[0] == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~_umask()
    first = target.read_bytes()
    assert run(capsys, "report", str(vault), "--format", "html", "-o", str(target))[0] == 0
    assert target.read_bytes() == first
    target.write_bytes(first + b"<!-- my edit -->\n")
    code, err = run(capsys, "report", str(vault), "--format", "html", "-o", str(target))
    assert code == 2 and "did not write" in err
    assert target.read_bytes().endswith(b"<!-- my edit -->\n")


def test_outside_the_vault_and_in_hidden_folders_files_are_replaced(
    vault: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outside = tmp_path / "findings.json"
    outside.write_text("old\n", encoding="utf-8")
    assert run(capsys, "check", str(vault), "--output-format", "json", "-o", str(outside))[0] == 1
    assert outside.read_text(encoding="utf-8").startswith("[")
    hidden = vault / ".obsidian" / "findings.json"
    hidden.write_text("old\n", encoding="utf-8")
    assert run(capsys, "check", str(vault), "--output-format", "json", "-o", str(hidden))[0] == 1
    assert hidden.read_text(encoding="utf-8").startswith("[")


def test_an_output_that_cannot_be_written_is_one_line_and_leaves_no_copy(
    vault: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "no such folder" / "report.md"
    code, err = run(capsys, "report", str(vault), "-o", str(missing))
    assert code == 2 and err.startswith(f"vaultlint: error: {missing}: cannot write: ")
    assert err.count("\n") == 1
    code, err = run(capsys, "report", str(vault), "-o", str(vault / "Books"))
    assert code == 2 and "is a folder" in err
    assert not [p for p in tmp_path.rglob(".vaultlint-output-*")]


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
