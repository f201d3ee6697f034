"""``--output-format json``: a JSON array, one object a finding (a contract)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TextIO

from vaultlint.model import Finding

if TYPE_CHECKING:
    from vaultlint.output.context import OutputContext


def as_dict(finding: Finding) -> dict[str, Any]:
    return {
        "path": finding.path,
        "line": finding.line,
        "column": finding.column,
        "end_line": finding.end_line,
        "end_column": finding.end_column,
        "rule": finding.rule,
        "code": finding.code,
        "severity": finding.severity.value,
        "message": finding.message,
        "fixable": finding.fixable,
    }


def render(findings: Sequence[Finding], out: TextIO, ctx: OutputContext) -> None:
    json.dump([as_dict(f) for f in findings], out, indent=2, ensure_ascii=False)
    out.write("\n")
