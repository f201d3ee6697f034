"""How a long run tells its caller what it is doing (kept light: the CLI imports it first)."""

from __future__ import annotations


class Listener:
    """What a run tells its caller while it goes on; the CLI prints it, the API's
    default says nothing (warnings are kept in ``CheckRun.warnings`` too)."""

    def progress(self, done: int, total: int) -> None:
        """``done`` of ``total`` notes handled (called for each note a fix run takes)."""

    def finished(self) -> None:
        """The run has handled every note."""

    def fixing(self, path: str) -> None:
        """``path`` was rewritten with its fixes."""

    def warning(self, message: str) -> None:
        """A problem that left one note unchanged (``path: what``)."""
