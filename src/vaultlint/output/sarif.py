"""``--output-format sarif``: SARIF 2.1.0 for code scanning."""

from __future__ import annotations

import functools
import json
import re
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO
from urllib.parse import quote

from vaultlint.fingerprint import Lines, fingerprint
from vaultlint.model import Finding, Note, Severity
from vaultlint.printable import escape_matches, json_visible
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


def fingerprints(findings: Sequence[Finding], root: Path, note: Note | None = None) -> list[str]:
    """A fingerprint a finding (``vaultlint.fingerprint``): its rule, note and line's
    text, so edits elsewhere keep it; ``note``: the note as checked, whose lines need
    not be read from disk.

    Findings alike in all three are told apart by their order (``:2``, ``:3``).
    """
    lines = Lines(root, note)
    seen: Counter[str] = Counter()
    prints = []
    for f in findings:
        digest = fingerprint(f, lines)
        seen[digest] += 1
        prints.append(f"{digest}:{seen[digest]}")
    return prints


def report(findings: Sequence[Finding], ctx: OutputContext) -> dict[str, Any]:
    """The SARIF log as data (what ``render`` writes)."""
    rules = _rules()
    index = {rule["id"]: n for n, rule in enumerate(rules)}
    from vaultlint.output.context import repo_paths

    uris = _uris(repo_paths(ctx.root)[1])
    prints = fingerprints(findings, ctx.root)
    results = [
        json.loads(_result_text(f, index, uris(f.path), p, ""))
        for f, p in zip(findings, prints, strict=True)
    ]
    return _log(rules, results)


def _log(rules: list[dict[str, Any]], results: list[Any]) -> dict[str, Any]:
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


def _uris(show: Callable[[str], str]) -> Callable[[str], str]:
    """A note's URI (as JSON) from its vault path, worked out once per note; ``show``
    gives the path it is made of."""
    known: dict[str, str] = {}

    def of(path: str) -> str:
        found = known.get(path)
        if found is None:
            found = known[path] = _string(uri(show(path)))
        return found

    return of


_string = json.encoder.encode_basestring  # C when available


def _message(text: str) -> str:
    """A message as a JSON string, as valid UTF-8 that ``cat`` shows, not obeys: the
    only text of a result from the vault (a URI is quoted ASCII)."""
    # isprintable rejects every character the two escape, so most messages return here.
    return _string(text) if text.isprintable() else json_visible(_string(_visible(text)))


def _result_text(f: Finding, index: dict[str, int], uri_text: str, fp: str, pad: str) -> str:
    """A result as ``json.dumps(indent=2)`` writes it, each line after ``pad``."""
    message = _message(f"{f.message} [{f.rule}]")
    return (
        f"{pad}{{\n"
        f'{pad}  "ruleId": {_string(f.code)},\n'
        f'{pad}  "ruleIndex": {index[f.code]:d},\n'
        f'{pad}  "level": "{_LEVEL[f.severity]}",\n'
        f'{pad}  "message": {{\n{pad}    "text": {message}\n{pad}  }},\n'
        f'{pad}  "locations": [\n'
        f"{pad}    {{\n"
        f'{pad}      "physicalLocation": {{\n'
        f'{pad}        "artifactLocation": {{\n'
        f'{pad}          "uri": {uri_text}\n'
        f"{pad}        }},\n"
        f'{pad}        "region": {{\n'
        f'{pad}          "startLine": {f.line:d},\n'
        f'{pad}          "startColumn": {f.column:d},\n'
        f'{pad}          "endLine": {f.end_line:d},\n'
        f'{pad}          "endColumn": {max(f.end_column, f.column):d}\n'
        f"{pad}        }}\n"
        f"{pad}      }}\n"
        f"{pad}    }}\n"
        f"{pad}  ],\n"
        f'{pad}  "partialFingerprints": {{\n'
        f'{pad}    "{FINGERPRINT}": "{fp}"\n'
        f"{pad}  }}\n"
        f"{pad}}}"
    )


_PAD = " " * 8  # the indent of a result in the log


@functools.cache
def _rule_index() -> dict[str, int]:
    from vaultlint.rules import ALL_RULES

    return {rule.code: n for n, rule in enumerate(ALL_RULES)}


def note_text(
    findings: Sequence[Finding], show: Callable[[str], str], root: Path, note: Note | None = None
) -> str:
    """The results of one note's findings as the log lays them out (``layout``),
    separated as in its array; ``show`` gives the path a URI is made of; ``note``: the
    note as checked (else its lines are read from disk)."""
    return _results(findings, fingerprints(findings, root, note), show) if findings else ""


def _results(findings: Sequence[Finding], prints: Sequence[str], show: Callable[[str], str]) -> str:
    index, uris = _rule_index(), _uris(show)
    return ",\n".join(
        _result_text(f, index, uris(f.path), fp, _PAD)
        for f, fp in zip(findings, prints, strict=True)
    )


def layout() -> tuple[str, str, str, str]:
    """What comes before the notes' results, between them and after them, and the log
    of a run without results."""
    empty = json_visible(json.dumps(_log(_rules(), []), indent=2, ensure_ascii=False))
    head, _, tail = empty.rpartition('"results": []')
    return head + '"results": [\n', ",\n", "\n" + " " * 6 + "]" + tail + "\n", empty + "\n"


# Results written at once: the log is streamed, never held whole as text.
_CHUNK = 2000


def render(findings: Sequence[Finding], out: TextIO, ctx: OutputContext) -> None:
    """The log as ``json.dump(report(...), indent=2, ensure_ascii=False)`` writes it,
    with the results laid out from a fixed form (the C string encoder), in chunks."""
    from vaultlint.output.context import repo_paths

    before, between, after, empty = layout()
    if not findings:
        out.write(empty)
        return
    show = repo_paths(ctx.root)[1]
    prints = fingerprints(findings, ctx.root)
    out.write(before)
    for start in range(0, len(findings), _CHUNK):
        end = start + _CHUNK
        text = _results(findings[start:end], prints[start:end], show)
        out.write(text if start == 0 else between + text)
    out.write(after)
