"""Text output: ``full`` (grouped by file, coloured on a terminal) and ``concise``."""

from __future__ import annotations

import os
from collections.abc import Sequence
from itertools import groupby
from typing import TYPE_CHECKING, TextIO

from vaultlint.model import Finding, Severity

# ANSI styles of the full format: bold, then per severity, dim, and (dim) green.
_BOLD, _DIM, _RESET = "\x1b[1m", "\x1b[2m", "\x1b[0m"
_SEVERITY = {Severity.ERROR: "\x1b[1;31m", Severity.WARNING: "\x1b[33m", Severity.INFO: "\x1b[36m"}
_SAFE, _UNSAFE = "\x1b[32m", "\x1b[2;32m"
# Control characters a note's text could carry into a message, shown escaped.
_CONTROL = {c: f"\\x{c:02x}" for c in (7, 8, 11, 12, 13, 27)}

if TYPE_CHECKING:
    from vaultlint.output import OutputContext


def render_concise(findings: Sequence[Finding], out: TextIO, ctx: OutputContext) -> None:
    for f in findings:
        out.write(f"{f.path}:{f.line}:{f.column}: {f.code} {f.message} [{f.rule}]\n")


def render_full(findings: Sequence[Finding], out: TextIO, ctx: OutputContext) -> None:
    """One line a finding, grouped by file, coloured on a terminal.

    Written directly rather than through rich, which took about 75 µs a line.
    """
    color = _wants_color(out)
    lines: list[str] = []
    add = lines.append
    first = True
    for _path, group in groupby(findings, key=lambda f: f.path):
        if not first:
            add("\n")
        first = False
        for f in group:
            where = _printable(f"{f.path}:{f.line}:{f.column}")
            message = _printable(f.message)
            mark = "" if f.fix is None else "  [*]"
            if color:
                style = _SAFE if f.fix is not None and f.fix.safe else _UNSAFE
                add(
                    f"{_BOLD}{where}{_RESET}  {_SEVERITY[f.severity]}{f.code}{_RESET}  "
                    f"{message}  {_DIM}[{f.rule}]{_RESET}"
                    + (f"{style}{mark}{_RESET}" if mark else "")
                    + "\n"
                )
            else:
                add(f"{where}  {f.code}  {message}  [{f.rule}]{mark}\n")
        if len(lines) > 4096:
            out.write("".join(lines))
            lines.clear()
    out.write("".join(lines))


def _printable(text: str) -> str:
    return text if text.isprintable() else text.translate(_CONTROL)


def _wants_color(out: TextIO) -> bool:
    """Colour as rich would decide it (a terminal, NO_COLOR, FORCE_COLOR, TERM=dumb)."""
    if not (out.isatty() or os.environ.get("FORCE_COLOR")):
        return False
    return make_console(out).color_system is not None


def make_console(out: TextIO):  # type: ignore[no-untyped-def]
    """A rich console on ``out``: colour only on a terminal, NO_COLOR respected."""
    from rich.console import Console

    return Console(file=out, highlight=False, soft_wrap=True)
