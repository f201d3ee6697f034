"""Rules about a note file as a whole, reported before it can be parsed."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, ClassVar

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


class FileTooLarge(Rule):
    """Report a note larger than ``max-bytes`` (10 MB by default); it is not checked.

    A note that size is almost always an export or a paste gone wrong; reading
    it would make every commit wait. vaultlint skips it and says so.
    """

    name = "file-too-large"
    code = "VL03"
    summary = "A note is too large to check"
    severity = Severity.WARNING
    options: ClassVar[Mapping[str, Any]] = {"max-bytes": 10 * 1024 * 1024}
    limits: ClassVar[Mapping[str, tuple[int, int]]] = {"max-bytes": (1, 2**40)}

    def check(self, note: Note, ctx: Context) -> Iterator[Finding]:
        return iter(())


class FileUnreadable(Rule):
    """Report a note that cannot be read (permissions, a broken link, an I/O error).

    The engine raises this finding when reading fails; nothing is written.
    """

    name = "file-unreadable"
    code = "VL04"
    summary = "A note cannot be read"
    severity = Severity.ERROR

    def check(self, note: Note, ctx: Context) -> Iterator[Finding]:
        return iter(())
