"""``--output-format sarif``: SARIF 2.1.0 for code scanning."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO
from urllib.parse import quote

from vaultlint.fingerprint import Lines, fingerprint
from vaultlint.model import Finding, Severity
from vaultlint.printable import escape_matches
from vaultlint.version import __version__

if TYPE_CHECKING:
    from vaultlint.output.context import OutputContext
    from vaultlint.rules import Rule

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
# The key of the fingerprint in partialFingerprints; a new version if its recipe changes.
FINGERPRINT = "vaultlint/v1"
# Characters a path segment keeps as they are: RFC 3986 unreserved and sub-delims ("@" too).
# ":" is encoded, so that a first segment such as "C:" cannot read as a scheme.
_PATH_SAFE = "/!$&'()*+,;=@"
_SURROGATE = re.compile("[\ud800-\udfff]")


def _rules() -> list[dict[str, Any]]:
    from vaultlint.rules import ALL_RULES

    return [_rule(rule) for rule in ALL_RULES]


def _rule(rule: type[Rule]) -> dict[str, Any]:
    from vaultlint.rules.docs import explain, plain_text

    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary[:1024]},
        "fullDescription": {"text": _shorten(plain_text(rule.description()), 1024)},
        "help": {"text": explain(rule, plain=True)},
        "defaultConfiguration": {"level": _LEVEL[rule.severity]},
        "properties": {"tags": [rule.code[:2]]},
    }


def _shorten(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters at a paragraph or word end, with "…"."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    end = cut.rfind("\n\n")
    if end < limit // 2:
        end = cut.rfind(" ")
    return cut[:end].rstrip() + "…"


def uri(path: str) -> str:
    """A path (as ``OutputContext.repo_path`` writes it) as an RFC 3986 URI reference.

    Lone surrogates, which stand for the undecodable bytes of a file name, are
    encoded as those bytes.
    """
    try:
        data = path.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a surrogate that no byte stands for
        data = path.encode("utf-8", "backslashreplace")
    if path.startswith("/") or re.match(r"[A-Za-z]:/", path):
        return "file:///" + quote(data.lstrip(b"/"), safe=_PATH_SAFE + ":")
    return quote(data, safe=_PATH_SAFE)


def _visible(text: str) -> str:
    """``text`` with lone surrogates written as escapes, so the JSON is valid UTF-8."""
    return escape_matches(_SURROGATE, text)


def fingerprints(findings: Sequence[Finding], root: Path) -> list[str]:
    """A fingerprint a finding (``vaultlint.fingerprint``): its rule, note and line's
    text, so edits elsewhere keep it.

    Findings alike in all three are told apart by their order (``:2``, ``:3``).
    """
    lines = Lines(root)
    seen: Counter[str] = Counter()
    prints = []
    for f in findings:
        digest = fingerprint(f, lines)
        seen[digest] += 1
        prints.append(f"{digest}:{seen[digest]}")
    return prints


def _result(f: Finding, index: dict[str, int], ctx: OutputContext, fingerprint: str) -> Any:
    return {
        "ruleId": f.code,
        "ruleIndex": index[f.code],
        "level": _LEVEL[f.severity],
        "message": {"text": _visible(f"{f.message} [{f.rule}]")},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": uri(ctx.repo_path(f.path))},
                    "region": {
                        "startLine": f.line,
                        "startColumn": f.column,
                        "endLine": f.end_line,
                        "endColumn": max(f.end_column, f.column),
                    },
                }
            }
        ],
        "partialFingerprints": {FINGERPRINT: fingerprint},
    }


def report(findings: Sequence[Finding], ctx: OutputContext) -> dict[str, Any]:
    rules = _rules()
    index = {rule["id"]: n for n, rule in enumerate(rules)}
    prints = fingerprints(findings, ctx.root)
    results = [_result(f, index, ctx, p) for f, p in zip(findings, prints, strict=True)]
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
