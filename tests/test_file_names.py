"""File and folder names that are not UTF-8 (unpacked from a Windows zip in Latin-1):
each is skipped with a one-line warning showing its bytes as escapes, the rest of the vault
is checked, fixed and reported, and every output stays valid UTF-8."""

from __future__ import annotations

import json
import os
from pathlib import Path
from xml.etree import ElementTree

import pytest

from helpers import write_vault
from vaultlint.cli import main

WARNINGS = [
    "vaultlint: warning: Caf\\xe9 de Flore.md: skipped, the name is not valid UTF-8",
    "vaultlint: warning: Voyages \\xe0 Paris: skipped, the name is not valid UTF-8",
]


def write_raw(path: bytes, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    try:
        os.write(fd, data)
    finally:
        os.close(fd)


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    root = write_vault(
        tmp_path / "vault",
        {
            "Paris.md": "# Paris \n\nCafés: [[Café de Flore]], [[Les Deux Magots]].\n",
            "Les Deux Magots.md": "# Les Deux Magots\n\nSee [[Paris]].\n",
        },
    )
    raw = os.fsencode(root)
    write_raw(raw + b"/Caf\xe9 de Flore.md", "# Café de Flore\n\nSee [[Paris]].\n".encode())
    os.mkdir(raw + b"/Voyages \xe0 Paris")
    write_raw(raw + b"/Voyages \xe0 Paris/Jour 1.md", b"# Jour 1 \n")
    return root


def run(capsysbinary: pytest.CaptureFixture[bytes], *argv: str) -> tuple[int, str, list[str]]:
    code = main(list(argv))
    out, err = capsysbinary.readouterr()
    return code, out.decode("utf-8"), err.decode("utf-8").splitlines()


@pytest.mark.parametrize("fmt", ["full", "concise", "json", "github", "sarif", "junit"])
def test_every_format_checks_the_rest(
    vault: Path, capsysbinary: pytest.CaptureFixture[bytes], fmt: str
) -> None:
    code, out, err = run(capsysbinary, "check", "--no-cache", "--output-format", fmt, str(vault))
    assert code == 1
    assert err == WARNINGS
    assert "Paris.md" in out and "Jour 1" not in out
    if fmt == "json":
        assert {f["code"] for f in json.loads(out)} == {"LK01", "TX03"}
    elif fmt == "sarif":
        assert len(json.loads(out)["runs"][0]["results"]) == 2
    elif fmt == "junit":
        ElementTree.fromstring(out)


def test_fix_and_the_warm_cache_skip_the_file(
    vault: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    code, out, err = run(capsysbinary, "check", "--fix", str(vault))
    assert code == 1
    assert err == [*WARNINGS, "Fixing Paris.md"]
    assert (vault / "Paris.md").read_text().startswith("# Paris\n")
    assert os.path.exists(os.fsencode(vault) + b"/Voyages \xe0 Paris/Jour 1.md")
    code, out, err = run(capsysbinary, "check", str(vault))
    assert code == 1 and err == WARNINGS
    assert "Found 1 problem." in out  # [[Café de Flore]]: its file cannot be named


def test_report_in_every_format(
    vault: Path, tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    code, out, err = run(capsysbinary, "report", "--format", "json", str(vault))
    assert code == 0 and err == WARNINGS
    assert json.loads(out)["links"]["broken"] == 1
    target = tmp_path / "report.md"
    code, out, err = run(
        capsysbinary, "report", "--format", "markdown", "-o", str(target), str(vault)
    )
    assert code == 0 and err == WARNINGS
    assert "Café de Flore" in target.read_text(encoding="utf-8")  # the broken link
