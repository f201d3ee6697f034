"""``--fix`` of a large vault: worker processes check and fix ahead, the writes stay
in order.

A note checked and fixed ahead is taken as it is only when none of the notes its
links (and its fixes' checks) read was fixed before it; so a parallel run writes and prints exactly what a serial one
does, heading fixes that other notes' links depend on included.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from helpers import genvault
from vaultlint import fixer
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


def test_the_workers_fix_their_share_and_a_parallel_diff_prints_what_a_serial_one_does(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    vault = genvault(tmp_path / "vault", PARALLEL_MIN + 200, seed=5)
    before = _tree(vault)
    serial = main(["check", str(vault), "--diff", "-j", "1"]), *capsys.readouterr()
    calls = []
    fix_note = fixer.fix_note

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(os.getpid())  # a worker's calls stay in the worker
        return fix_note(*args, **kwargs)

    monkeypatch.setattr(fixer, "fix_note", counted)
    parallel = main(["check", str(vault), "--diff", "-j", "2"]), *capsys.readouterr()
    assert serial == parallel and serial[1].count("diff --git") > 100
    # This process fixed its own share ahead and took the worker's fixes as they came.
    assert 0 < len(calls) < serial[1].count("diff --git") * 3 // 4
    assert _tree(vault) == before
