"""``--fix`` writes many notes side by side (``fixer.Writer``): temporary copies are
written and synced by threads, replaced one by one in order by the main thread. Each
note is old or new whatever stops the run, no copy is left, and a note whose write
fails is seen as it is on disk by every note fixed after it."""

from __future__ import annotations

import signal
import threading
from pathlib import Path
from typing import Any

import pytest

from helpers import write_vault
from vaultlint import fixer
from vaultlint.cli import main

# Realistic notes with a trailing space each (a safe fix), in several scripts.
NOTES = {
    "Books/Dune.md": "# Dune \n`Author:` Frank Herbert\n",
    "Books/ខ្មែរ រឿងព្រេង.md": "# រឿងព្រេងខ្មែរ \nអានរួចហើយ។\n",
    "Daily/2024-05-01.md": "# ۱ اردیبهشت \r\nیادداشت روزانه\r\n",
    "Daily/2024-05-02.md": "# 五月二日 \n今日は雨でした。\n",
    "Quotes #1.md": "## Quotes \n> สวัสดีครับ \n",
}


def _notes(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*.md")}


def _copies(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if ".vaultlint-" in p.name]


def test_copies_are_synced_by_threads_and_replaced_in_order_by_the_main_thread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = write_vault(tmp_path / "v", NOTES)
    synced_in, replaced = [], []
    fsync, replace = fixer.os.fsync, fixer.os.replace

    def watched_fsync(fd: int) -> None:
        synced_in.append(threading.current_thread() is threading.main_thread())
        fsync(fd)

    def watched_replace(src: Any, dst: Any) -> None:
        assert threading.current_thread() is threading.main_thread()
        replaced.append(Path(dst).relative_to(vault).as_posix())
        replace(src, dst)

    monkeypatch.setattr(fixer.os, "fsync", watched_fsync)
    monkeypatch.setattr(fixer.os, "replace", watched_replace)
    assert main(["check", "--fix", str(vault), "--no-cache"]) == 0
    err = capsys.readouterr().err
    assert synced_in and not any(synced_in)  # every fsync in a writer thread
    assert replaced == sorted(NOTES)  # in the order the run takes them
    assert err.splitlines() == [f"Fixing {path}" for path in sorted(NOTES)]
    assert all(b" \n" not in data and b" \r\n" not in data for data in _notes(vault).values())
    assert _copies(vault) == []


@pytest.mark.parametrize("at", [0, 2, 3])
def test_ctrl_c_while_copies_wait_for_their_replace_leaves_notes_old_or_new_and_no_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], at: int
) -> None:
    vault = write_vault(tmp_path / "v", NOTES)
    before = _notes(vault)
    commit = fixer._commit
    calls = []

    def interrupted(copy: Any, dispose: Any = None) -> str | None:
        calls.append(copy)
        if len(calls) == at + 1:  # Ctrl-C while this note is replaced: it waits till then
            signal.raise_signal(signal.SIGINT)
        return commit(copy, dispose)

    monkeypatch.setattr(fixer, "_commit", interrupted)
    assert main(["check", "--fix", str(vault), "--no-cache"]) == 130
    assert "vaultlint: interrupted" in capsys.readouterr().err
    now = _notes(vault)
    assert sum(now[p] != before[p] for p in now) == at + 1  # the ones replaced till then
    assert _copies(vault) == []
    monkeypatch.undo()
    assert main(["check", "--fix", str(vault), "--no-cache", "-q"]) == 0
    assert all(b" \n" not in data and b" \r\n" not in data for data in _notes(vault).values())


def test_a_note_whose_write_fails_is_read_as_on_disk_by_the_notes_fixed_after_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # A heading pasted from a chat answer (fixed: its bold goes) and a link that names it.
    vault = write_vault(
        tmp_path / "v",
        {
            "A first.md": "# First\n\n### **Focus**\n- Attention is a muscle.\n",
            "B second.md": "# Second \n\nSee [[A first#Focu]].\n",
        },
    )
    prepare = fixer._prepare

    def refused(root: Path, path: str, original: bytes, data: bytes) -> Any:
        if path == "A first.md":
            return "not written: the file changed while vaultlint ran"
        return prepare(root, path, original, data)

    monkeypatch.setattr(fixer, "_prepare", refused)
    main(["check", "--fix", str(vault), "--no-cache", "--output-format", "concise"])
    out, err = capsys.readouterr()
    assert "A first.md: not written: the file changed while vaultlint ran" in err
    assert "Fixing B second.md" in err
    assert (vault / "A first.md").read_text(encoding="utf-8").startswith("# First\n\n### **Focus**")
    # B's link is reported against A as it is on disk, not as the failed fix would make it.
    monkeypatch.undo()
    main(["check", str(vault), "--no-cache", "--output-format", "concise"])
    lines = capsys.readouterr().out.splitlines()
    assert "did you mean '**Focus**'?" in out
    assert lines[:-1] == out.splitlines()[:-1]  # the summary aside
