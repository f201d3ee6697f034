"""``--output-format github``: GitHub Actions workflow commands (annotations)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, TextIO

from vaultlint.model import Finding, Severity
from vaultlint.printable import printable

if TYPE_CHECKING:
    from vaultlint.output.context import OutputContext

_COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(findings: Sequence[Finding], out: TextIO, ctx: OutputContext) -> None:
    out.write(note_text(findings, ctx.repo_path))


def note_text(findings: Sequence[Finding], show: Callable[[str], str]) -> str:
    """The workflow commands of findings, paths as ``show`` (from the repository root)
    shows them; ``show`` is asked once per note, not per finding."""
    lines = []
    path, file = None, ""
    for f in findings:
        if f.path != path:
            path, file = f.path, escape_property(printable(show(f.path)))
        properties = (
            f"file={file},line={f.line:d},col={f.column:d},endLine={f.end_line:d},"
            f"endColumn={f.end_column:d},title={escape_property(f'vaultlint ({f.code})')}"
        )
        message = escape_data(printable(f.message))
        lines.append(f"::{_COMMAND[f.severity]} {properties}::{message} [{f.rule}]\n")
    return "".join(lines)
