"""An interrupted ``--fix`` (Ctrl-C, SIGTERM from a CI timeout or ``docker stop``, or
``kill -9``) leaves every note with its old or its new bytes, and no copy of it."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from helpers import genvault, write_vault
from vaultlint import fixer
from vaultlint.cli import main
from vaultlint.fixer import STALE_SECONDS


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return genvault(tmp_path_factory.mktemp("gen") / "vault", 1500, seed=3)


@pytest.fixture(scope="module")
def fixed(generated: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("fixed") / "vault"
    shutil.copytree(generated, target)
    assert main(["check", "--fix", str(target), "--no-cache", "-q"]) in (0, 1)
    return target


def _notes(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*.md")}


def _temporaries(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.name.endswith((".vaultlint-tmp", ".vaultlint-old"))]


@pytest.mark.parametrize("kill", [signal.SIGTERM, signal.SIGINT, signal.SIGKILL])
def test_a_fix_stopped_at_random_moments_loses_nothing(
    generated: Path, fixed: Path, tmp_path: Path, kill: signal.Signals
) -> None:
    before, after = _notes(generated), _notes(fixed)
    assert sum(before[p] != after[p] for p in before) > 500
    rng = random.Random(int(kill))
    for attempt in range(3):
        vault = tmp_path / f"vault{attempt}"
        shutil.copytree(generated, vault)
        process = subprocess.Popen(
            [sys.executable, "-m", "vaultlint", "check", "--fix", str(vault), "-q"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        time.sleep(rng.uniform(0.6, 2.0))  # past start-up, into the writes
        process.send_signal(kill)
        _, err = process.communicate(timeout=120)
        now = _notes(vault)
        assert set(now) == set(before)
        assert all(now[p] in (before[p], after[p]) for p in now)
        if kill == signal.SIGKILL:
            continue  # nothing could clean up: the next --fix does (below)
        assert _temporaries(vault) == [], err
        expected = {signal.SIGTERM: (143, b"terminated"), signal.SIGINT: (130, b"interrupted")}
        if process.returncode not in (0, 1):  # it may have finished first
            code, word = expected[kill]
            assert process.returncode == code and word in err, err


def test_the_next_fix_removes_what_a_killed_run_left(tmp_path: Path) -> None:
    vault = write_vault(tmp_path / "v", {"Books/Dune.md": "`Author:` Frank Herbert \n"})
    stale = vault / "Books" / ".k3j9x0qa.vaultlint-tmp"
    fresh = vault / "Books" / ".p0w2zz81.vaultlint-tmp"
    kept = vault / "Books" / ".k3j9x0qa.vaultlint-old"
    for path in (stale, fresh, kept):
        path.write_bytes(b"`Author:` Frank Herbert\n")
    old = time.time() - STALE_SECONDS - 60
    os.utime(stale, (old, old))
    os.utime(kept, (old, old))
    assert main(["check", str(vault)]) == 0
    assert stale.exists()  # only --fix writes
    assert main(["check", "--fix", str(vault)]) == 0
    assert not stale.exists() and fresh.exists() and kept.exists()
    assert (vault / "Books" / "Dune.md").read_text() == "`Author:` Frank Herbert\n"


def test_ctrl_c_while_a_note_is_written_leaves_no_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = write_vault(tmp_path / "v", {"Quotes.md": '## Quotes \n- "Fear is the mind-killer."\n'})

    def interrupted(fd: Any) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(fixer.os, "fsync", interrupted)
    assert main(["check", "--fix", str(vault)]) == 130
    assert "vaultlint: interrupted" in capsys.readouterr().err
    assert _temporaries(vault) == []
    assert (vault / "Quotes.md").read_text() == '## Quotes \n- "Fear is the mind-killer."\n'
