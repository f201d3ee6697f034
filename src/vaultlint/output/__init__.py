"""Output formats for findings: one module a format, one ``render`` a module.

Every format's text is a sequence of per-note pieces, so each also renders each
note's findings on their own (``note_renderer``): the process that checks a note
renders it, the cache keeps the text, and ``write_notes`` (JUnit: ``write_cases``)
lays the pieces out.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TextIO

from vaultlint.model import Finding, Note
from vaultlint.output.context import OutputContext

__all__ = [
    "FORMATS",
    "NoteRenderer",
    "OutputContext",
    "Renderer",
    "note_renderer",
    "renderer",
    "write_cases",
    "write_notes",
]

FORMATS = ("full", "concise", "json", "github", "sarif", "junit")


Renderer = Callable[[Sequence[Finding], TextIO, OutputContext], None]


def renderer(name: str) -> Renderer:
    """The render function of an output format (imported on demand)."""
    if name == "json":
        from vaultlint.output import json_format

        return json_format.render
    if name == "github":
        from vaultlint.output import github

        return github.render
    if name == "sarif":
        from vaultlint.output import sarif

        return sarif.render
    if name == "junit":
        from vaultlint.output import junit

        return junit.render
    from vaultlint.output import text

    return text.render_concise if name == "concise" else text.render_full


@dataclass(frozen=True)
class NoteRenderer:
    """One note's findings as text in a format: ``key`` names the format and how it
    shows paths (a cached text made under another key is not used); ``render_note``,
    when the text reads the note: the same text from the note as checked."""

    key: str
    render: Callable[[Sequence[Finding]], str]
    render_note: Callable[[Sequence[Finding], Note], str] | None = None


def note_renderer(fmt: str, color: bool, root: Path, strict: bool = False) -> NoteRenderer | None:
    """How a format renders one note's findings. ``color``: the full format's ANSI
    styles; ``strict``: warnings fail a JUnit test case too."""
    if fmt in ("full", "concise"):
        from vaultlint.output.text import path_display, text_renderer

        where, show = path_display(root)
        render = text_renderer(fmt, color, show)
        assert render is not None
        key = f"{fmt}{'+color' if color else ''}" + (f"@{where}" if where else "")
        return NoteRenderer(key, render)
    if fmt == "json":  # vault paths: the same text from any folder
        from vaultlint.output import json_format

        return NoteRenderer("json+visible", json_format.note_text)
    if fmt == "github":
        from vaultlint.output import github
        from vaultlint.output.context import repo_paths

        where, show = repo_paths(root)
        return NoteRenderer(f"github@{where}", partial(github.note_text, show=show))
    if fmt == "sarif":  # fingerprints read the note's lines: a run that writes no note
        from vaultlint.output import sarif
        from vaultlint.output.context import repo_paths

        where, show = repo_paths(root)

        def of_note(findings: Sequence[Finding], note: Note) -> str:
            return sarif.note_text(findings, show, root, note)

        return NoteRenderer(
            f"sarif@{where}", partial(sarif.note_text, show=show, root=root), of_note
        )
    if fmt == "junit":  # notes without findings: their cases are written from their paths
        from vaultlint.output import junit
        from vaultlint.output.context import repo_paths

        where, show = repo_paths(root)
        render = partial(junit.note_text, show=show, strict=strict)
        return NoteRenderer(f"junit{'+strict' if strict else ''}@{where}", render)
    return None


# How the notes' texts are laid out: before, between, after, and for no note at all.
_LAYOUT = {
    "full": (b"", b"\n", b"", b""),
    "json": (b"[\n", b",\n", b"\n]\n", b"[]\n"),
}


def _layout(fmt: str) -> tuple[bytes, bytes, bytes, bytes]:
    if fmt == "sarif":
        from vaultlint.output import sarif

        before, between, after, empty = sarif.layout()
        return before.encode(), between.encode(), after.encode(), empty.encode()
    return _LAYOUT.get(fmt, (b"", b"", b"", b""))


def write_notes(fmt: str, texts: Iterable[bytes], out: TextIO) -> None:
    """Write the texts (UTF-8) of notes with findings, in order, as ``fmt`` lays them
    out.

    One write of the whole: never many small ones, which are each a system call
    where standard output is unbuffered. The bytes go straight to the binary stream
    under ``out`` when it takes UTF-8 as is: a warm run prints its findings' text from
    the cache without decoding it.
    """
    before, between, after, empty = _layout(fmt)
    pieces = [text for text in texts if text]
    _write(before + between.join(pieces) + after if pieces else empty, out)


def write_cases(cases: Sequence[tuple[str, str, bytes | None, bool]], out: TextIO) -> None:
    """Write the JUnit suite of the checked notes: (vault path, path as printed, the
    text of its test case when it has findings, whether it fails) each, in order."""
    from vaultlint.output import junit

    if not cases:
        _write(junit.empty().encode(), out)
        return
    failures = sum(1 for *_, failing in cases if failing)
    before, between, after = (part.encode() for part in junit.layout(len(cases), failures))
    texts = (
        text or junit.case_text(path, shown, (), False).encode() for path, shown, text, _ in cases
    )
    _write(before + between.join(texts) + after, out)


def _write(data: bytes, out: TextIO) -> None:
    buffer = getattr(out, "buffer", None)
    encoding = (getattr(out, "encoding", None) or "").lower().replace("-", "")
    if buffer is None or encoding != "utf8" or os.linesep != "\n":
        out.write(data.decode())
        return
    out.flush()
    buffer.write(data)
