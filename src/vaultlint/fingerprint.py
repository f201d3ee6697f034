"""Fingerprints of findings that survive edits elsewhere in a note.

A finding's fingerprint is a hash of its rule code, its note and the text of its
line (stripped): adding a paragraph above it moves its line number but keeps its
fingerprint. SARIF's ``partialFingerprints`` and the baseline both use it.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from vaultlint.model import Finding

_LINE_BREAK = re.compile(r"\r\n?|\n")


class Lines:
    """The lines of notes as they are on disk, each note read once, when first asked."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.notes: dict[str, list[str]] = {}

    def line(self, path: str, number: int) -> str:
        lines = self.notes.get(path)
        if lines is None:
            lines = self.notes[path] = self._read(path)
        return lines[number - 1] if 0 < number <= len(lines) else ""

    def _read(self, path: str) -> list[str]:
        try:
            data = (self.root / path).read_bytes()
        except OSError:
            return []
        return _LINE_BREAK.split(data.decode("utf-8", "replace"))


def fingerprint(finding: Finding, lines: Lines) -> str:
    """The finding's rule code, note and line text, hashed (32 hex digits)."""
    text = lines.line(finding.path, finding.line).strip()
    key = "\0".join((finding.code, finding.path, text))
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:32]
