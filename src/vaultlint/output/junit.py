"""``--output-format junit``: one test case a checked note, failing when it has findings."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO
from xml.etree import ElementTree as ET

from vaultlint.model import Finding

if TYPE_CHECKING:
    from vaultlint.output.context import OutputContext


def render(findings: Sequence[Finding], out: TextIO, ctx: OutputContext) -> None:
    by_path: dict[str, list[Finding]] = defaultdict(list)
    for f in findings:
        by_path[f.path].append(f)
    paths = list(dict.fromkeys([*ctx.checked, *by_path]))
    failures = sum(1 for p in paths if by_path.get(p))
    suites = ET.Element(
        "testsuites", name="vaultlint", tests=str(len(paths)), failures=str(failures)
    )
    suite = ET.SubElement(
        suites, "testsuite", name="vaultlint", tests=str(len(paths)), failures=str(failures)
    )
    for path in paths:
        case = ET.SubElement(suite, "testcase", name=path, classname="vaultlint", file=path)
        problems = by_path.get(path)
        if problems:
            noun = "problem" if len(problems) == 1 else "problems"
            failure = ET.SubElement(case, "failure", message=f"{len(problems)} {noun}")
            failure.text = "\n".join(
                f"{f.line}:{f.column} {f.code} {f.message} [{f.rule}]" for f in problems
            )
    ET.indent(suites)
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write(ET.tostring(suites, encoding="unicode"))
    out.write("\n")
