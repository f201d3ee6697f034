"""A rule's documentation as text: the page of ``vaultlint rule NAME``, and plain prose."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from vaultlint.printable import printable

if TYPE_CHECKING:
    from collections.abc import Mapping

    from vaultlint.rules.base import Example, Rule

# A reST literal: ``x``, or `` `x` `` padded with spaces when it holds backticks itself.
_LITERAL = re.compile(r"``(.+?)``", re.DOTALL)


def plain_text(text: str) -> str:
    """A docstring's reST literals written as plain text (``x`` as x)."""
    return _LITERAL.sub(_unquote, text)


def _unquote(match: re.Match[str]) -> str:
    literal = match.group(1)
    padded = len(literal) > 2 and literal[0] == literal[-1] == " "
    return literal[1:-1] if padded else literal


def explain(rule: type[Rule], plain: bool = False) -> str:
    """A rule's documentation: what ``vaultlint rule NAME`` prints.

    ``plain`` writes the description's reST literals as plain text; the
    examples are Markdown and stay as they are.
    """
    description = plain_text(rule.description()) if plain else rule.description()
    lines = [
        f"{rule.name} ({rule.code})",
        "",
        rule.summary,
        "",
        description,
        "",
        f"Severity: {rule.severity.value}. Enabled by default: {'yes' if rule.enabled else 'no'}. "
        f"Fix: {'yes' if rule.fixable else 'no'}.",
    ]
    if rule.options:
        lines += ["", "Options (with defaults):"]
        lines += [f"  {key}: {value!r}" for key, value in rule.options.items()]
    for n, example in enumerate(rule.examples, 1):
        lines += _example_lines(n, example.title, example.bad, example.good)
        if example.good_path is not None or example.good_files is not None:
            lines[-len(example.good.splitlines()) - 1 :] = []
            lines += _names_lines(example)
        if example.fixed is not None:
            how = "--fix --unsafe-fixes" if example.unsafe else "--fix"
            lines += [f"  After {how}:"]
            lines += _indented(example.fixed)
    return "\n".join(lines) + "\n"


def _names_lines(example: Example) -> list[str]:
    """An example about names: the files of the bad and the good vault."""
    good_files = example.files if example.good_files is None else example.good_files
    return [
        f"    (the file {example.path}, beside {_listed(example.files)})",
        "  Good:",
        f"    (the file {example.good_path or example.path}, beside {_listed(good_files)})",
    ]


def _listed(files: Mapping[str, str]) -> str:
    return ", ".join(files) if files else "no other file"


def _example_lines(n: int, title: str, bad: str, good: str) -> list[str]:
    heading = f" - {title}" if title else ""
    lines = ["", f"Example {n}{heading}", "", "  Bad:"]
    lines += _indented(bad)
    lines += ["  Good:"]
    lines += _indented(good)
    return lines


def _indented(text: str) -> list[str]:
    """An example's lines, indented, their control characters shown as escapes (the
    mojibake of a closing quote holds U+009D, a terminal's OSC)."""
    return [f"    {printable(line)}" for line in text.splitlines()]
