"""``--output-format junit``: one test case a checked note, failing when it has errors.

As the exit code: a note with only warnings and ``info`` findings passes (they are
listed in its ``system-out``), unless the run is strict.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import datetime, timezone
from typing import TYPE_CHECKING, TextIO
from xml.etree import ElementTree as ET

from vaultlint.model import Finding, Severity
from vaultlint.printable import escape_matches, printable

if TYPE_CHECKING:
    from vaultlint.output.context import OutputContext

# What XML 1.0 forbids (controls but TAB, LF and CR; surrogates; U+FFFE, U+FFFF), shown
# escaped; and what it allows but a terminal showing the file would obey (CR, DEL, C1,
# bidi controls, line and paragraph separators).
_FORBIDDEN = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
    "\u2028\u2029\ud800-\udfff\ufffe\uffff]"
)


def visible(text: str) -> str:
    """``text`` with the characters XML 1.0 forbids written as escapes (``\\x1b``).

    A lone surrogate standing for an undecodable byte of a file name shows as
    that byte (``\\xff``).
    """
    return escape_matches(_FORBIDDEN, text)


def _counts(tests: int, failures: int) -> dict[str, str]:
    # The run is not timed case by case; CI servers want the attribute all the same.
    return {
        "tests": str(tests),
        "failures": str(failures),
        "errors": "0",
        "skipped": "0",
        "time": "0.000",
    }


def _lines(problems: Sequence[Finding]) -> str:
    # A message's newline (a YAML error quoting a key) would start a line that a CI log
    # could read as a workflow command: messages are shown as the text formats show them.
    return visible(
        "\n".join(
            f"{f.line}:{f.column} {f.severity.value} {f.code} {printable(f.message)} [{f.rule}]"
            for f in problems
        )
    )


def _failing(problems: Sequence[Finding], strict: bool) -> bool:
    failing = (Severity.ERROR, Severity.WARNING) if strict else (Severity.ERROR,)
    return any(f.severity in failing for f in problems)


def _failure(case: ET.Element, problems: Sequence[Finding]) -> None:
    codes = list(dict.fromkeys(f"{f.code} {f.rule}" for f in problems))
    noun = "problem" if len(problems) == 1 else "problems"
    failure = ET.SubElement(
        case,
        "failure",
        message=visible(f"{len(problems)} {noun}: {', '.join(codes)}"),
        type=" ".join(dict.fromkeys(f.code for f in problems)),
    )
    failure.text = _lines(problems)


def _case(path: str, file: str, problems: Sequence[Finding], strict: bool) -> ET.Element:
    case = ET.Element("testcase", name=visible(path), classname="vaultlint", file=file)
    case.set("time", "0.000")
    if problems and _failing(problems, strict):
        _failure(case, problems)
    elif problems:
        ET.SubElement(case, "system-out").text = _lines(problems)
    return case


def case_text(path: str, file: str, problems: Sequence[Finding], strict: bool) -> str:
    """The test case of the note at ``path`` as ``render`` writes it in the suite."""
    case = _case(path, visible(file), problems, strict)
    ET.indent(case, level=2)
    return ET.tostring(case, encoding="unicode")


def note_text(findings: Sequence[Finding], show: Callable[[str], str], strict: bool) -> str:
    """The test case of one note with findings (``show``: its path as printed)."""
    if not findings:
        return ""
    path = findings[0].path
    return case_text(path, show(path), findings, strict)


def layout(tests: int, failures: int) -> tuple[str, str, str]:
    """What comes before the test cases, between them and after them."""
    suites = _suites(tests, failures)
    ET.SubElement(suites[0], "mark")
    ET.indent(suites)
    head, _, tail = ET.tostring(suites, encoding="unicode").partition("<mark />")
    return _DECLARATION + head, "\n    ", tail + "\n"


_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'


def empty() -> str:
    """The suite of a run that checked no note."""
    suites = _suites(0, 0)
    ET.indent(suites)
    return _DECLARATION + ET.tostring(suites, encoding="unicode") + "\n"


def _suites(tests: int, failures: int) -> ET.Element:
    counts = _counts(tests, failures)
    suites = ET.Element("testsuites", {"name": "vaultlint", **counts})
    # UTC without an offset: the JUnit schema's timestamp takes none.
    timestamp = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")
    ET.SubElement(suites, "testsuite", {"name": "vaultlint", "timestamp": timestamp, **counts})
    return suites


def render(findings: Sequence[Finding], out: TextIO, ctx: OutputContext) -> None:
    by_path: dict[str, list[Finding]] = defaultdict(list)
    for f in findings:
        by_path[f.path].append(f)
    paths = list(dict.fromkeys([*ctx.checked, *by_path]))
    if not paths:
        out.write(empty())
        return
    failing = sum(1 for found in by_path.values() if _failing(found, ctx.strict))
    before, between, after = layout(len(paths), failing)
    cases = (case_text(p, ctx.repo_path(p), by_path.get(p, ()), ctx.strict) for p in paths)
    out.write(before + between.join(cases) + after)
