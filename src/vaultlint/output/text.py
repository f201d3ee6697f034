"""Text output: ``full`` (grouped by file, coloured on a terminal) and ``concise``.

Both name each finding's severity in words, so it reads without colour too.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from functools import partial
from itertools import groupby
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from vaultlint.model import Finding, Severity
from vaultlint.output.context import OutputContext, Show, repo_paths
from vaultlint.output.context import same as _same
from vaultlint.printable import printable, printable_path

# ANSI styles of the full format: bold, then per severity, dim, and (dim) green.
_BOLD, _DIM, _RESET = "\x1b[1m", "\x1b[2m", "\x1b[0m"
_SEVERITY = {Severity.ERROR: "\x1b[1;31m", Severity.WARNING: "\x1b[33m", Severity.INFO: "\x1b[36m"}
_SAFE, _UNSAFE = "\x1b[32m", "\x1b[2;32m"

if TYPE_CHECKING:
    from rich.console import Console


def path_display(root: Path) -> tuple[str, Show]:
    """How the text formats show a vault path: from the current folder, as the shell
    and an editor's terminal links open it. Returns a key naming the mapping ("" at
    the vault root, where paths are shown as they are) and the mapping. From a folder
    neither above nor in the vault, vault paths are shown.

    Computed from the two folders once, not per path (``repo_paths``).
    """
    return repo_paths(root, beside_as_vault=True)


def render_concise(findings: Sequence[Finding], out: TextIO, ctx: OutputContext) -> None:
    out.write(concise_text(findings, path_display(ctx.root)[1]))


def concise_text(findings: Sequence[Finding], show: Show = _same) -> str:
    return "".join(
        f"{printable_path(show(f.path))}:{f.line}:{f.column}: "
        f"{f.severity.value} {f.code} {printable(f.message)} [{f.rule}]\n"
        for f in findings
    )


def render_full(findings: Sequence[Finding], out: TextIO, ctx: OutputContext) -> None:
    """One line a finding, grouped by file, coloured on a terminal."""
    color = color_wanted(out)
    show = path_display(ctx.root)[1]
    groups = (full_text(list(group), color, show) for _path, group in groupby(findings, key=_path))
    out.write(FULL_SEPARATOR.join(groups))


# What separates the findings of two files in the full format.
FULL_SEPARATOR = "\n"


def full_text(findings: Sequence[Finding], color: bool, show: Show = _same) -> str:
    """The full format of one file's findings.

    Written directly rather than through rich, which took about 75 µs a line.
    """
    lines: list[str] = []
    add = lines.append
    path = printable_path(show(findings[0].path)) if findings else ""
    for f in findings:
        where = f"{path}:{f.line}:{f.column}"
        message = printable(f.message)
        severity = f.severity.value
        mark = "" if f.fix is None else "  [*]"
        if color:
            level = _SEVERITY[f.severity]
            style = _SAFE if f.fix is not None and f.fix.safe else _UNSAFE
            add(
                f"{_BOLD}{where}{_RESET}  {level}{severity}{_RESET}  {level}{f.code}{_RESET}  "
                f"{message}  {_DIM}[{f.rule}]{_RESET}"
                + (f"{style}{mark}{_RESET}" if mark else "")
                + "\n"
            )
        else:
            add(f"{where}  {severity}  {f.code}  {message}  [{f.rule}]{mark}\n")
    return "".join(lines)


def _path(finding: Finding) -> str:
    return finding.path


def text_renderer(
    fmt: str, color: bool, show: Show = _same
) -> Callable[[Sequence[Finding]], str] | None:
    """One file's findings as text in ``fmt``, paths as ``show`` shows them; None for
    the formats that are not text."""
    if fmt == "full":
        return partial(full_text, color=color, show=show)
    if fmt == "concise":
        return partial(concise_text, show=show)
    return None


def color_wanted(out: TextIO | None) -> bool:
    """Whether to colour what is written to ``out`` (None: a file of ``--output-file``).

    ``NO_COLOR`` (any non-empty value) turns colour off; else ``FORCE_COLOR`` (any
    non-empty value) turns it on, even into a pipe or a file; else only a terminal
    whose ``TERM`` is not ``dumb`` gets colour. Every coloured output asks here.
    """
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    if os.environ.get("TERM", "").lower() == "dumb":
        return False
    return out is not None and isatty(out)


def isatty(out: TextIO) -> bool:
    try:
        return out.isatty()
    except ValueError:  # closed
        return False


def make_console(out: TextIO) -> Console:
    """A rich console on ``out``, coloured (and styled) only as ``color_wanted`` says."""
    from rich.console import Console

    # rich would style bold text under NO_COLOR and drop colour under FORCE_COLOR
    # with TERM=dumb, so the colour system is set here rather than detected.
    return Console(
        file=out,
        highlight=False,
        soft_wrap=True,
        color_system="standard" if color_wanted(out) else None,
    )
