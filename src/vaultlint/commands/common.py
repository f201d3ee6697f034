"""What several commands share: the output file, the default format, the progress bar."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any, TextIO

from vaultlint.errors import UsageError
from vaultlint.listener import Listener


def open_output(path: Path | None) -> TextIO:
    """``path`` opened for writing (stdout when None); a one-line error if it cannot be."""
    if path is None:
        return sys.stdout
    try:
        return path.open("w", encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"{path}: cannot write: {exc.strerror or exc}") from None


def close_output(out: TextIO) -> None:
    if out is not sys.stdout:
        out.close()


def default_format() -> str:
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "full"


class Progress:
    """A progress bar on stderr, shown only on a terminal once a run takes > 1 s."""

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.bar: Any = None
        self.task: Any = None
        self.enabled = sys.stderr.isatty() and not os.environ.get("CI")

    def update(self, done: int, total: int) -> None:
        if not self.enabled:
            return
        if self.bar is None and time.perf_counter() - self.started > 1.0:
            from rich.progress import Progress as Bar

            self.bar = Bar(transient=True)
            self.bar.start()
            self.task = self.bar.add_task("Checking notes", total=total, completed=done)
        elif self.bar is not None:
            self.bar.update(self.task, completed=done)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()


class TerminalListener(Listener):
    """A run's progress, warnings and written notes, on stderr."""

    def __init__(self, quiet: bool = False) -> None:
        self.quiet = quiet
        self.bar = Progress()

    def progress(self, done: int, total: int) -> None:
        self.bar.update(done, total)

    def finished(self) -> None:
        self.bar.close()

    def fixing(self, path: str) -> None:
        if not self.quiet:
            print(f"Fixing {path}", file=sys.stderr)

    def warning(self, message: str) -> None:
        print(f"vaultlint: warning: {message}", file=sys.stderr)
