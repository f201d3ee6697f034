"""``--fix`` of a large vault: worker processes check ahead, the fixes stay serial.

A note checked ahead is taken as it is only when none of the notes its links read
was fixed before it; so a parallel run writes and prints exactly what a serial one
does, heading fixes that other notes' links depend on included.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from helpers import genvault
from vaultlint.cli import main
from vaultlint.pipeline import PARALLEL_MIN


def _tree(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".vaultlint_cache" not in p.parts
    }


def _fix(capsys: pytest.CaptureFixture[str], vault: Path, *args: str) -> tuple[int, str, str]:
    code = main(["check", str(vault), "--fix", "--output-format", "json", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_a_parallel_fix_writes_and_prints_what_a_serial_one_does(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = genvault(tmp_path / "vault", PARALLEL_MIN + 200, seed=3)
    # A heading pasted from a chat answer, fixed first; a link to it that does not
    # resolve names the heading it may mean, as written after the fix.
    (vault / "A first.md").write_text(
        "# First\n\n> [!info]\n> ## Summary\n### **Focus**\n- Attention is a muscle.\n---\n",
        encoding="utf-8",
    )
    (vault / "B second.md").write_text("# Second\n\nSee [[A first#Focu]].\n", encoding="utf-8")
    serial, parallel = tmp_path / "serial", tmp_path / "parallel"
    shutil.copytree(vault, serial)
    shutil.copytree(vault, parallel)
    before = _tree(vault)
    one = _fix(capsys, serial, "--no-cache", "-j", "1")
    two = _fix(capsys, parallel, "--no-cache", "-j", "2")
    assert one == two
    assert "did you mean 'Focus'?" in one[1]
    assert _tree(serial) == _tree(parallel) != before
    # And again on the cache the fix left: nothing left to fix, the same findings.
    assert _fix(capsys, serial, "-j", "1")[1] == _fix(capsys, parallel, "-j", "2")[1] == one[1]
