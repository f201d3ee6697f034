"""What a long run shows while it works: a line on stderr, only on a terminal, once
the run has taken half a second. Off a terminal it costs one ``isatty``."""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

DELAY = 0.5  # seconds before anything is shown: quick runs stay quiet


def wanted() -> bool:
    """Progress goes to stderr when it is a terminal (not ``TERM=dumb``)."""
    try:
        tty = sys.stderr.isatty()
    except (AttributeError, ValueError):  # replaced or closed
        return False
    return tty and os.environ.get("TERM", "").lower() != "dumb"


@contextmanager
def waiting(text: str) -> Iterator[None]:
    """Show ``text`` with a spinner on stderr while the block runs, from ``DELAY`` on;
    it is erased at the end, so nothing of it is left in the terminal."""
    if not wanted():
        yield
        return
    shown: list[Any] = []

    def show() -> None:
        from vaultlint.output.text import make_console

        status = make_console(sys.stderr).status(text)
        status.start()
        shown.append(status)

    timer = threading.Timer(DELAY, show)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()
        if timer.is_alive():
            timer.join()  # ``show`` is running: let it finish, then stop what it started
        for status in shown:
            status.stop()
