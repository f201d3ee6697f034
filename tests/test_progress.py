"""Progress on stderr: seen on a real terminal once a run takes half a second, never
in a pipe."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import genvault


@pytest.fixture(scope="module")
def slow_vault(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Enough notes that a cold run in one process takes well over half a second."""
    return genvault(tmp_path_factory.mktemp("progress") / "vault", 3000, seed=3)


def _run(vault: Path, args: list[str], stderr_on_tty: bool) -> tuple[int, bytes, bytes]:
    env = {**os.environ, "TERM": "xterm", "COLUMNS": "80"}
    for name in ("NO_COLOR", "FORCE_COLOR", "GITHUB_ACTIONS", "CI"):
        env.pop(name, None)
    command = [sys.executable, "-m", "vaultlint", *args]
    if not stderr_on_tty:
        done = subprocess.run(command, cwd=vault, env=env, capture_output=True, timeout=600)
        return done.returncode, done.stdout, done.stderr
    main, child = pty.openpty()
    stdout = (vault.parent / "stdout").open("w+b")  # a file: a full pipe would block the run
    process = subprocess.Popen(
        command, cwd=vault, env=env, stdout=stdout, stderr=child, stdin=subprocess.DEVNULL
    )
    os.close(child)
    seen = b""
    while True:
        ready, _, _ = select.select([main], [], [], 600)
        if not ready:
            break
        try:
            chunk = os.read(main, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        seen += chunk
    code = process.wait(timeout=600)
    os.close(main)
    stdout.seek(0)
    out = stdout.read()
    stdout.close()
    return code, out, seen


@pytest.mark.parametrize(
    ("args", "text"),
    [
        (["check", "--no-cache", "-j", "1", "-q"], b"Checking 3,0"),
        (["report", "--no-cache", "-j", "1", "--format", "json"], b"Reading the vault"),
        (["check", "--fix", "--no-cache", "-j", "1", "-q"], b"Checking notes"),
    ],
)
def test_a_terminal_sees_progress_and_a_pipe_never(
    slow_vault: Path, tmp_path: Path, args: list[str], text: bytes
) -> None:
    vault = tmp_path / "vault"
    subprocess.run(["cp", "-r", str(slow_vault), str(vault)], check=True)
    code, out, err = _run(vault, args, stderr_on_tty=False)
    assert text not in err and b"\x1b" not in err
    assert text not in out
    subprocess.run(["rm", "-rf", str(vault)], check=True)
    subprocess.run(["cp", "-r", str(slow_vault), str(vault)], check=True)
    code_tty, out_tty, err_tty = _run(vault, args, stderr_on_tty=True)
    assert text in err_tty, err_tty[-500:]
    assert text not in out_tty  # stdout (findings, the report) carries none of it
    assert code_tty == code
