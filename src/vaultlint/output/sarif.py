"""``--output-format sarif``: SARIF 2.1.0 for code scanning."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TextIO

from vaultlint.model import Finding, Severity
from vaultlint.version import __version__

if TYPE_CHECKING:
    from vaultlint.output.context import OutputContext

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _rules() -> list[dict[str, Any]]:
    from vaultlint.rules import ALL_RULES

    return [
        {
            "id": rule.code,
            "name": rule.name,
            "shortDescription": {"text": rule.summary[:1024]},
            "fullDescription": {"text": rule.description()[:1024]},
            "help": {"text": f"Run `vaultlint rule {rule.name}` for examples."},
            "defaultConfiguration": {"level": _LEVEL[rule.severity]},
            "properties": {"tags": [rule.code[:2]]},
        }
        for rule in ALL_RULES
    ]


def report(findings: Sequence[Finding], ctx: OutputContext) -> dict[str, Any]:
    rules = _rules()
    index = {rule["id"]: n for n, rule in enumerate(rules)}
    results = [
        {
            "ruleId": f.code,
            "ruleIndex": index[f.code],
            "level": _LEVEL[f.severity],
            "message": {"text": f"{f.message} [{f.rule}]"},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": ctx.repo_path(f.path)},
                        "region": {
                            "startLine": f.line,
                            "startColumn": f.column,
                            "endLine": f.end_line,
                            "endColumn": max(f.end_column, f.column),
                        },
                    }
                }
            ],
        }
        for f in findings
    ]
    driver = {
        "name": "vaultlint",
        "version": __version__,
        "informationUri": "https://github.com/vaultlint/vaultlint",
        "rules": rules,
    }
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{"tool": {"driver": driver}, "results": results}],
    }


def render(findings: Sequence[Finding], out: TextIO, ctx: OutputContext) -> None:
    json.dump(report(findings, ctx), out, indent=2, ensure_ascii=False)
    out.write("\n")
