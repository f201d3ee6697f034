"""Text output: ``full`` (rich, grouped by file) and ``concise`` (one plain line)."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import groupby
from typing import TYPE_CHECKING, TextIO

from vaultlint.model import Finding, Severity

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}

if TYPE_CHECKING:
    from vaultlint.output import OutputContext


def render_concise(findings: Sequence[Finding], out: TextIO, ctx: OutputContext) -> None:
    for f in findings:
        out.write(f"{f.path}:{f.line}:{f.column}: {f.code} {f.message} [{f.rule}]\n")


def render_full(findings: Sequence[Finding], out: TextIO, ctx: OutputContext) -> None:
    from rich.text import Text

    console = make_console(out)
    first = True
    for _path, group in groupby(findings, key=lambda f: f.path):
        if not first:
            console.print()
        first = False
        for f in group:
            line = Text.assemble(
                (f"{f.path}:{f.line}:{f.column}", "bold"),
                "  ",
                (f.code, _STYLE[f.severity]),
                "  ",
                f.message,
                "  ",
                (f"[{f.rule}]", "dim"),
            )
            if f.fixable:
                line.append("  [*]", "green" if f.fix and f.fix.safe else "dim green")
            console.print(line, soft_wrap=True, highlight=False)


def make_console(out: TextIO):  # type: ignore[no-untyped-def]
    """A rich console on ``out``: colour only on a terminal, NO_COLOR respected."""
    from rich.console import Console

    return Console(file=out, highlight=False, soft_wrap=True)
