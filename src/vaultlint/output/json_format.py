"""``--output-format json``: a JSON array, one object a finding (a contract).

The text is what ``json.dump(..., indent=2, ensure_ascii=False)`` writes, built
from a fixed layout with the C string encoder: ``json.dump`` with an indent
never uses the C encoder and writes dozens of small pieces per finding (each a
system call where standard output is unbuffered). Each note's objects are
rendered on their own (``note_text``), by the process that checked the note,
and cached like the text formats; ``join`` lays them out as the array.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, TextIO

from vaultlint.model import Finding

if TYPE_CHECKING:
    from vaultlint.output.context import OutputContext

_string = json.encoder.encode_basestring  # C when available


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


def note_text(findings: Sequence[Finding]) -> str:
    """The array items of one note's findings, separated as in the array."""
    if not findings:
        return ""
    path = _string(findings[0].path)
    return ",\n".join(
        f'  {{\n    "path": {path if f.path == findings[0].path else _string(f.path)},\n'
        f'    "line": {f.line:d},\n'
        f'    "column": {f.column:d},\n'
        f'    "end_line": {f.end_line:d},\n'
        f'    "end_column": {f.end_column:d},\n'
        f'    "rule": {_string(f.rule)},\n'
        f'    "code": {_string(f.code)},\n'
        f'    "severity": {_string(f.severity.value)},\n'
        f'    "message": {_string(f.message)},\n'
        f'    "fixable": {"true" if f.fixable else "false"}\n  }}'
        for f in findings
    )


def join(texts: Iterable[str]) -> str:
    """The whole array from the notes' ``note_text``s (empty ones left out)."""
    items = ",\n".join(text for text in texts if text)
    return f"[\n{items}\n]\n" if items else "[]\n"


def render(findings: Sequence[Finding], out: TextIO, ctx: OutputContext) -> None:
    out.write(join([note_text(findings)]))
