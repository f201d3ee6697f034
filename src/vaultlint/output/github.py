"""``--output-format github``: GitHub Actions workflow commands (annotations)."""

from __future__ import annotations

from collections.abc import Sequence
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
    for f in findings:
        properties = ",".join(
            f"{key}={escape_property(printable(str(value)))}"
            for key, value in (
                ("file", ctx.repo_path(f.path)),
                ("line", f.line),
                ("col", f.column),
                ("endLine", f.end_line),
                ("endColumn", f.end_column),
                ("title", f"vaultlint ({f.code})"),
            )
        )
        message = escape_data(printable(f.message))
        out.write(f"::{_COMMAND[f.severity]} {properties}::{message} [{f.rule}]\n")
