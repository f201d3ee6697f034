"""``--fix`` of a large vault: worker processes check ahead, the fixes stay serial.

A note checked ahead is taken as it is only when none of the notes its links read
was fixed before it; so a parallel run writes and prints exactly what a serial one
does, heading fixes that other notes' links depend on included.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

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


def _vault_with_moved_heading(tmp_path: Path) -> Path:
    vault = genvault(tmp_path / "vault", PARALLEL_MIN + 200, seed=5)
    (vault / "A first.md").write_text(
        "# First\n\n### **Focus**\n- Attention is a muscle.\n", encoding="utf-8"
    )
    (vault / "B second.md").write_text(
        "# Second\r\n\r\nSee [[A first#Focu]] and [[A first#First]].\r\n", encoding="utf-8"
    )
    (vault / "C bom.md").write_bytes(b"\xef\xbb\xbf# Bom \r\n\r\nText.  \r\n## **Quotes**\r\n")
    (vault / "D cr.md").write_bytes(b"# Cr \r\rText.  \r")
    return vault


def test_a_parallel_diff_prints_what_a_serial_one_does(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = _vault_with_moved_heading(tmp_path)
    before = _tree(vault)
    runs = []
    for jobs in ("1", "2"):
        code = main(["check", str(vault), "--diff", "--no-cache", "-j", jobs])
        runs.append((code, *capsys.readouterr()))
    assert runs[0] == runs[1]
    assert runs[0][0] == 1 and "+++ b/" in runs[0][1]
    assert "\n+++ b/C bom.md\t\n@@ -1,4 +1,4 @@\n-\ufeff# Bom \r\n+\ufeff# Bom\r\n" in runs[0][1]
    assert _tree(vault) == before  # --diff writes nothing


def test_a_parallel_fix_with_the_cache_leaves_entries_a_fresh_check_agrees_with(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = _vault_with_moved_heading(tmp_path)
    serial, parallel = tmp_path / "serial", tmp_path / "parallel"
    shutil.copytree(vault, serial)
    shutil.copytree(vault, parallel)
    assert _fix(capsys, serial, "-j", "1") == _fix(capsys, parallel, "-j", "2")
    assert _tree(serial) == _tree(parallel)
    fresh = main(["check", str(parallel), "--no-cache", "--output-format", "json"])
    fresh_out = capsys.readouterr().out
    warm = main(["check", str(parallel), "--output-format", "json", "-j", "2"])
    assert (warm, capsys.readouterr().out) == (fresh, fresh_out)


def test_the_temporary_files_made_ahead_are_used_and_none_is_left(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    vault = _vault_with_moved_heading(tmp_path)
    serial = tmp_path / "serial"
    shutil.copytree(vault, serial)
    taken: list[str] = []
    take = fixer.Copies.take

    def counted(self: fixer.Copies, path: str, folder: str) -> tuple[int, str] | None:
        made = take(self, path, folder)
        if made is not None:
            taken.append(path)
        return made

    monkeypatch.setattr(fixer.Copies, "take", counted)
    before = _tree(vault)
    assert _fix(capsys, serial, "--no-cache", "-j", "1") == _fix(
        capsys, vault, "--no-cache", "-j", "2"
    )
    after = _tree(vault)
    written = {p for p, data in after.items() if before[p] != data}
    assert len(taken) > 100 and set(taken) <= written
    assert _tree(vault) == _tree(serial)
    assert not [
        p for p in vault.rglob("*") if p.name.endswith((".vaultlint-tmp", ".vaultlint-old"))
    ]


def test_copies_not_taken_are_removed_and_are_locked_until_then(tmp_path: Path) -> None:
    root = tmp_path / "vault"
    (root / "Books").mkdir(parents=True)
    paths = [f"Books/n{n}.md" for n in range(5)] + ["top.md"]
    for path in paths:
        (root / path).write_text("x\n", encoding="utf-8")
    copies = fixer.Copies(root, paths)
    copies._thread.join(timeout=10)  # all made: fewer than AHEAD
    made = sorted(p.name for p in root.rglob("*.vaultlint-tmp"))
    assert len(made) == len(paths)
    hidden = [str(p.relative_to(root)) for p in root.rglob("*.vaultlint-tmp")]
    assert fixer.remove_stale_temporaries(root, hidden, time.time() + 3600) == []  # locked
    books = str((root / "Books").resolve())
    assert copies.take("Books/n0.md", str(root.resolve())) is None  # another folder
    fd_name = copies.take("Books/n1.md", books)
    assert fd_name is not None and os.path.dirname(fd_name[1]) == books
    os.close(fd_name[0])
    os.unlink(fd_name[1])
    assert copies.take("Books/n1.md", books) is None  # taken once
    copies.close()
    assert not list(root.rglob("*.vaultlint-tmp"))
    assert sorted(p.name for p in root.rglob("*.md")) == sorted(p.rsplit("/", 1)[-1] for p in paths)
