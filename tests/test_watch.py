"""``vaultlint check --watch``: a real process watching a real vault, read line by line."""

from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from helpers import write_vault
from vaultlint.cli import main

TIMEOUT = 60.0

FILES = {
    "Novels/Dune.md": "# Dune\n\nBy [[Herbert]].\n",
    "People/Herbert.md": "# Frank Herbert\n\n[[Dune]]\n",
    "Notes/ملاحظة.md": "# ملاحظة\n\n[[Chapterhouse]]\n",
}


class Watcher:
    def __init__(self, vault: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "vaultlint", "check", "--watch", str(vault)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            env={**os.environ, "NO_COLOR": "1"},
        )
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line)

    def until(self, text: str) -> list[str]:
        """The lines printed up to and including the first one holding ``text``."""
        seen = []
        while True:
            try:
                line = self.lines.get(timeout=TIMEOUT)
            except queue.Empty:
                raise AssertionError(f"no line with {text!r} after {seen}") from None
            seen.append(line)
            if text in line:
                return seen


def test_watch_prints_what_changed(tmp_path: Path) -> None:
    vault = write_vault(tmp_path / "vault", FILES)
    watcher = Watcher(vault)
    try:
        first = "".join(watcher.until("Watching for changes"))
        assert "Chapterhouse" in first and "3 notes checked, 1 new, 0 gone" in first
        # a new note: the broken link in its dependent goes away
        (vault / "Chapterhouse.md").write_text("# Chapterhouse\n\n[[Missing]]\n")
        lines = watcher.until("Watching for changes")
        # exactly what changed: the new note's own finding, the one gone, the summary;
        # what did not change is not printed again
        assert [re.sub(r"^\[[0-9:]{8}\] ", "[T] ", line) for line in lines] == [
            "Chapterhouse.md:3:1  error  LK01  broken link [[Missing]]: no note or file"
            " named 'Missing' in the vault  [broken-link]\n",
            "gone: Notes/ملاحظة.md:3:1: LK01 broken-link\n",
            "[T] Chapterhouse.md changed: 2 notes checked, 1 new, 1 gone;"
            " 1 problem in 4 notes. Watching for changes...\n",
        ]
        # an edit that breaks a link: the note and the one linking to it re-checked
        (vault / "People/Herbert.md").write_text("# Frank Herbert\n\n[[Dune Messiah]]\n")
        text = "".join(watcher.until("Watching for changes"))
        assert "People/Herbert.md changed: 2 notes checked, 1 new, 0 gone" in text
        assert "Dune Messiah" in text
    finally:
        watcher.process.send_signal(signal.SIGINT)
        code = watcher.process.wait(timeout=TIMEOUT)
    assert code == 0
    assert watcher.process.stderr is not None
    assert "Traceback" not in watcher.process.stderr.read()


@pytest.mark.skipif(sys.platform == "win32", reason="a pseudo-terminal")
def test_watch_on_a_terminal_clears_the_screen_and_ctrl_c_exits_0(tmp_path: Path) -> None:
    import pty

    vault = write_vault(tmp_path / "vault", FILES)
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "vaultlint", "check", "--watch", str(vault)],
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env={**os.environ, "NO_COLOR": "1"},
    )
    os.close(follower)
    screens: queue.Queue[str] = queue.Queue()

    def read() -> None:  # what the terminal shows, one screen (a clear) at a time
        data = b""
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # the process is gone
                chunk = b""
            data += chunk
            *done, data = data.split(b"Watching for changes...")
            for screen in done:
                screens.put(screen.decode("utf-8"))
            if not chunk:
                return

    threading.Thread(target=read, daemon=True).start()
    try:
        first = screens.get(timeout=TIMEOUT)
        assert first.startswith("\x1b[2J\x1b[H") and "Chapterhouse" in first
        (vault / "Notes/ملاحظة.md").write_text("# ملاحظة\n\n[[Dune]] \n", encoding="utf-8")
        second = screens.get(timeout=TIMEOUT)
        assert second.startswith("\r\n\x1b[2J\x1b[H")  # cleared: only the change shown
        assert "trailing-whitespace" in second and "gone: Notes/ملاحظة.md:3:1" in second
        assert "Herbert" not in second
        process.send_signal(signal.SIGINT)  # what Ctrl-C sends
        assert process.wait(timeout=TIMEOUT) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        os.close(leader)


def test_watch_reloads_a_schema_in_a_hidden_folder(tmp_path: Path) -> None:
    # `vaultlint init --schemas` puts the schemas in .vaultlint/schemas/: followed too
    vault = write_vault(
        tmp_path / "vault",
        {
            **FILES,
            ".vaultlint.yaml": "schemas: ['.vaultlint/schemas/*.yaml']\n",
            ".vaultlint/schemas/person.yaml": "name: person\nmatch:\n  folders: [People]\n",
        },
    )
    watcher = Watcher(vault)
    try:
        first = "".join(watcher.until("Watching for changes"))
        assert "missing-field" not in first
        (vault / ".vaultlint/schemas/person.yaml").write_text(
            "name: person\nmatch:\n  folders: [People]\nfields:\n  Né à: {required: true}\n",
            encoding="utf-8",
        )
        text = "".join(watcher.until("Watching for changes"))
        assert ".vaultlint/schemas/person.yaml changed: 3 notes checked, 1 new, 0 gone" in text
        assert "People/Herbert.md:1:1  warning  SC01  person note has no 'Né à' field" in text
        assert "ملاحظة" not in text  # its finding did not change: not printed again
    finally:
        watcher.process.send_signal(signal.SIGINT)
        code = watcher.process.wait(timeout=TIMEOUT)
    assert code == 0


@pytest.mark.parametrize(
    ("flag", "message"),
    [("--fix", "not with --fix"), ("--statistics", "not with --statistics")],
)
def test_watch_refuses(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], flag: str, message: str
) -> None:
    vault = write_vault(tmp_path / "vault", FILES)
    assert main(["check", "--watch", flag, str(vault)]) == 2
    assert message in capsys.readouterr().err


def test_watch_refuses_a_format_it_cannot_print_in_parts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = write_vault(tmp_path / "vault", FILES)
    assert main(["check", "--watch", "--output-format", "json", str(vault)]) == 2
    assert "full or concise" in capsys.readouterr().err


def test_watch_runs_with_the_cyclic_collector_on(tmp_path: Path) -> None:
    import gc

    import vaultlint
    from vaultlint.watch import watch_checks
    from vaultlint.workspace import CheckOptions

    vault = write_vault(tmp_path / "vault", FILES)
    collecting = gc.isenabled()
    gc.disable()  # as the CLI runs a command
    rounds = watch_checks(vaultlint.open_vault(vault), [vault], CheckOptions(), timeout_ms=50)
    try:
        first = next(rounds)
        assert first.first and first.notes == 3
        assert gc.isenabled() and gc.get_freeze_count() > 0
    finally:
        rounds.close()
        gc.unfreeze()
        if not collecting:
            gc.disable()
