"""Fingerprints of findings that survive edits elsewhere in a note.

A finding's fingerprint is a hash of its rule code, its note and the text of its
line (stripped): adding a paragraph above it moves its line number but keeps its
fingerprint. SARIF's ``partialFingerprints`` and the baseline both use it.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from vaultlint.model import Finding, Note

_LINE_BREAK = re.compile(r"\r\n?|\n")


class Lines:
    """The lines of notes as they are on disk, each note read once, when first asked;
    ``note``: a note as checked, whose lines are taken from its text instead."""

    def __init__(self, root: Path, note: Note | None = None) -> None:
        self.root = root
        self.notes: dict[str, list[str]] = {}
        self.note = note

    def line(self, path: str, number: int) -> str:
        note = self.note
        if note is not None and path == note.path:
            return note_line(note, number)
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


def note_line(note: Note, number: int) -> str:
    """Line ``number`` of ``note`` as ``Lines`` reads it from the note's bytes (the BOM
    kept on line 1), with its line break, if any, left on: fingerprints strip it."""
    starts = note.line_starts
    if not 0 < number <= len(starts):
        return ""
    end = starts[number] if number < len(starts) else len(note.text)
    text = note.text[starts[number - 1] : end]
    return "\ufeff" + text if number == 1 and note.bom else text


def fingerprint(finding: Finding, lines: Lines) -> str:
    """The finding's rule code, note and line text, hashed (32 hex digits)."""
    text = lines.line(finding.path, finding.line).strip()
    key = "\0".join((finding.code, finding.path, text))
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:32]
