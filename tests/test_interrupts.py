"""An interrupted ``--fix`` (Ctrl-C, SIGTERM from a CI timeout or ``docker stop``, or
``kill -9``) leaves every note with its old or its new bytes, and no copy of it."""

from __future__ import annotations

import json
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
    # Even a fresh copy is a killed run's when no process holds its lock.
    assert not stale.exists() and not fresh.exists() and kept.exists()
    assert (vault / "Books" / "Dune.md").read_text() == "`Author:` Frank Herbert\n"


@pytest.mark.skipif(sys.platform == "win32", reason="no file locks")
def test_a_copy_a_live_run_holds_is_kept(tmp_path: Path) -> None:
    vault = write_vault(tmp_path / "v", {"Books/Dune.md": "`Author:` Frank Herbert \n"})
    live = vault / "Books" / ".p0w2zz81.vaultlint-tmp"
    live.write_bytes(b"`Author:` Frank Herbert\n")
    old = time.time() - STALE_SECONDS - 60
    os.utime(live, (old, old))  # however old: a run may write one note for long (NFS)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(live)], stdout=subprocess.PIPE, stdin=subprocess.PIPE
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == b"locked\n"
        assert main(["check", "--fix", str(vault)]) == 0
        assert live.exists()
    finally:
        holder.communicate(b"", timeout=30)
    assert main(["check", "--fix", str(vault)]) == 0
    assert not live.exists()
    assert (vault / "Books" / "Dune.md").read_text() == "`Author:` Frank Herbert\n"


HOLD_LOCK = """
import fcntl, sys
handle = open(sys.argv[1], "rb")
fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
print("locked", flush=True)
sys.stdin.read()
"""


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


def _vaultlint(*argv: str) -> subprocess.CompletedProcess[bytes]:
    done = subprocess.run(
        [sys.executable, "-m", "vaultlint", *argv], capture_output=True, timeout=600
    )
    assert done.returncode in (0, 1), done.stderr
    assert b"Traceback" not in done.stderr
    return done


@pytest.fixture(scope="module")
def fix_seconds(generated: Path, tmp_path_factory: pytest.TempPathFactory) -> float:
    """How long a complete ``--fix`` of a copy of the vault takes here, in a subprocess."""
    copy = tmp_path_factory.mktemp("timed") / "vault"
    shutil.copytree(generated, copy)
    started = time.perf_counter()
    _vaultlint("check", "--fix", str(copy), "-q")
    return time.perf_counter() - started


def _findings(vault: Path, *argv: str) -> list[Any]:
    found: list[Any] = json.loads(
        _vaultlint("check", str(vault), "--output-format", "json", "-q", *argv).stdout
    )
    return found


def crash_and_recover(
    generated: Path, fixed: Path, vault: Path, kill: signal.Signals, moment: float
) -> str:
    """Stop a ``--fix`` of a copy of ``generated`` (at ``vault``) with ``kill`` after
    ``moment`` seconds, then check what it left and what the next runs make of it (``fixed``:
    the vault fixed to completion); how far the fix had gone."""
    before, after = _notes(generated), _notes(fixed)
    shutil.copytree(generated, vault)
    process = subprocess.Popen(
        [sys.executable, "-m", "vaultlint", "check", "--fix", str(vault), "-q"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    time.sleep(moment)
    process.send_signal(kill)
    _, err = process.communicate(timeout=600)
    assert b"Traceback" not in err, err
    now = _notes(vault)
    assert set(now) == set(before)
    wrong = [p for p in now if now[p] not in (before[p], after[p])]
    assert wrong == [], f"{kill.name} at {moment:.2f} s: {wrong[:5]}"
    if kill != signal.SIGKILL:
        assert _temporaries(vault) == [], err
        if process.returncode not in (0, 1):  # it may have finished first
            code, word = {
                signal.SIGTERM: (143, b"terminated"),
                signal.SIGINT: (130, b"interrupted"),
            }[kill]
            assert process.returncode == code and word in err, err
    fixable = sum(after[p] != before[p] for p in now)
    done = sum(now[p] == after[p] != before[p] for p in now)
    # The cache it left (whole, partial, none or older) gives what a run without one does.
    assert _findings(vault) == _findings(vault, "--no-cache")
    # The next --fix finishes the work and leaves no copy behind.
    _vaultlint("check", "--fix", str(vault), "-q")
    assert [p for p in vault.rglob("*") if p.name.endswith(".vaultlint-tmp")] == []
    assert _notes(vault) == after
    return f"{kill.name} at {moment:.2f} s: {done} of {fixable} notes fixed"


@pytest.mark.slow
@pytest.mark.parametrize("kill", [signal.SIGKILL, signal.SIGTERM, signal.SIGINT])
def test_a_fix_stopped_at_random_moments_leaves_notes_old_or_new_and_a_usable_cache(
    generated: Path, fixed: Path, fix_seconds: float, tmp_path: Path, kill: signal.Signals
) -> None:
    """``kill -9``, SIGTERM (a CI timeout, ``docker stop``) and Ctrl-C at random moments
    (seeded) from start-up to the cache's save, on 1,500 notes of which more than 500 are
    fixed: every note whole, old or new; no copy left once the next run is done; and the
    cache the stopped run left is one the next run can use."""
    before, after = _notes(generated), _notes(fixed)
    assert sum(before[p] != after[p] for p in before) > 500
    rng = random.Random(int(kill))
    for attempt in range(2):
        moment = rng.uniform(0.3, fix_seconds * 0.9)
        vault = tmp_path / f"vault{attempt}"
        print(crash_and_recover(generated, fixed, vault, kill, moment))
        shutil.rmtree(vault)
