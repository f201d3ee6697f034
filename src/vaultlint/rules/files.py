"""Rules about a note file as a whole, reported before it can be parsed."""

from __future__ import annotations

from collections.abc import Iterator

from vaultlint.model import Finding, Note, Severity
from vaultlint.rules.base import Context, Rule


class FileEncoding(Rule):
    """Report a note that is not UTF-8 text (another encoding, or binary content).

    Obsidian reads notes as UTF-8; a note saved in Latin-1 or UTF-16, or a
    binary file named ``.md``, shows as garbage. vaultlint reports it and never
    writes it. The engine raises this finding when it reads the file.
    """

    name = "file-encoding"
    code = "VL02"
    summary = "A note is not valid UTF-8 text"
    severity = Severity.ERROR

    def check(self, note: Note, ctx: Context) -> Iterator[Finding]:
        return iter(())
