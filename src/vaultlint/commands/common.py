"""What several commands share: the output file, the default format, the progress bar."""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO

from vaultlint.errors import UsageError
from vaultlint.listener import Listener
from vaultlint.printable import printable


def check_output(path: Path | None, root: Path, cache_dir: Path | None, force: bool) -> None:
    """Refuse ``-o PATH`` when it would replace a file of the vault that vaultlint did
    not write (a note, say), unless ``force``: before the run, not after it."""
    if path is None:
        return
    if path.is_dir():
        raise UsageError(f"{path}: is a folder; -o needs a file name")
    rel = _vault_file(path, root)
    if rel is None or force or not path.exists():
        return
    from vaultlint.cache import cache_folder, written_output

    if written_output(cache_folder(root, cache_dir), rel) != _digest(path):
        raise UsageError(
            f"{path}: a file of the vault that vaultlint did not write; "
            "use --force to replace it, or write outside the vault"
        )


@contextmanager
def output_to(path: Path | None, root: Path, cache_dir: Path | None) -> Iterator[TextIO]:
    """Stdout, or ``path`` written through a temporary file and replaced at the end
    (an interrupted run leaves the old file whole); a one-line error if it cannot be."""
    if path is None:
        yield sys.stdout
        return
    if _is_special(path):  # a device or pipe (``-o /dev/stdout``): written in place
        with _special_output(path) as out:
            yield out
        return
    folder = path.parent if str(path.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".vaultlint-output-")
        os.chmod(tmp, _mode_for(path))
        handle = os.fdopen(fd, "w", encoding="utf-8", newline="")
    except OSError as exc:
        raise UsageError(f"{path}: cannot write: {exc.strerror or exc}") from None
    try:
        with handle:
            yield handle
        os.replace(tmp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise UsageError(f"{path}: cannot write: {exc.strerror or exc}") from None
        raise
    rel = _vault_file(path, root)
    digest = None if rel is None else _digest(path)
    if rel is not None and digest is not None:
        from vaultlint.cache import cache_folder, record_output

        record_output(cache_folder(root, cache_dir), rel, digest)


def _is_special(path: Path) -> bool:
    """Whether ``path`` is a symbolic link, a device or a pipe (``-o /dev/stdout``):
    replacing it would put a plain file where the link or the device was."""
    try:
        return not stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


@contextmanager
def _special_output(path: Path) -> Iterator[TextIO]:
    try:
        handle = open(path, "w", encoding="utf-8", newline="")  # noqa: SIM115
    except OSError as exc:
        raise UsageError(f"{path}: cannot write: {exc.strerror or exc}") from None
    try:
        with handle:
            yield handle
    except OSError as exc:
        raise UsageError(f"{path}: cannot write: {exc.strerror or exc}") from None


def _mode_for(path: Path) -> int:
    """The replaced file's mode, or what a new file gets under the umask (mkstemp's
    temporary file is private)."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _vault_file(path: Path, root: Path) -> str | None:
    """``path`` as a vault path when a vault scan would list it, else None."""
    from vaultlint.vault import vault_path

    rel = vault_path(root, path)
    if rel is None or rel == "" or any(part.startswith(".") for part in rel.split("/")):
        return None
    return rel


def _digest(path: Path) -> str | None:
    from vaultlint.cache import content_hash

    try:
        return content_hash(path.read_bytes()).hex()
    except OSError:
        return None


def default_format() -> str:
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "full"


class Progress:
    """A progress bar on stderr, shown only on a terminal once a run takes > 0.5 s."""

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.bar: Any = None
        self.task: Any = None
        from vaultlint.commands.progress import wanted

        self.enabled = wanted()

    def update(self, done: int, total: int) -> None:
        if not self.enabled:
            return
        if self.bar is None and time.perf_counter() - self.started > 0.5:
            from rich.progress import Progress as Bar

            from vaultlint.output.text import make_console

            self.bar = Bar(transient=True, console=make_console(sys.stderr))
            self.bar.start()
            self.task = self.bar.add_task("Checking notes", total=total, completed=done)
        elif self.bar is not None:
            self.bar.update(self.task, completed=done)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()


class TerminalListener(Listener):
    """A run's progress, warnings and written notes, on stderr."""

    def __init__(self, quiet: bool = False, show: Callable[[str], str] = str) -> None:
        self.quiet = quiet
        self.show = show  # a vault path as printed (from the current folder)
        self.bar = Progress()

    def progress(self, done: int, total: int) -> None:
        self.bar.update(done, total)

    def finished(self) -> None:
        self.bar.close()

    def fixing(self, path: str) -> None:
        if not self.quiet:
            print(f"Fixing {printable(self.show(path))}", file=sys.stderr)

    def warning(self, message: str) -> None:
        print(f"vaultlint: warning: {printable(message)}", file=sys.stderr)
