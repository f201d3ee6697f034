"""``vaultlint rule``: a rule's documentation and examples, or the table of every rule."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TextIO

from vaultlint.errors import EXIT_OK, UsageError

if TYPE_CHECKING:
    from vaultlint.rules import Rule


def add_parser(commands: Any) -> None:
    rule = commands.add_parser("rule", help="explain a rule, or list them all")
    rule.add_argument("name", nargs="?", help="a rule name or code")
    rule.add_argument("--all", action="store_true", help="list every rule")
    rule.add_argument(
        "--markdown",
        action="store_true",
        help="with --all: every rule's documentation as Markdown (docs/rules.md)",
    )
    rule.add_argument("-v", "--verbose", action="store_true", help=argparse.SUPPRESS)
    rule.set_defaults(func=run)


def run(ns: argparse.Namespace) -> int:
    from vaultlint.rules import ALL_RULES, get_rule
    from vaultlint.rules.docs import explain

    if ns.all and ns.markdown:
        sys.stdout.write(markdown_docs(ALL_RULES))
        return EXIT_OK
    if ns.all:
        _rule_table(ALL_RULES, sys.stdout)
        return EXIT_OK
    if ns.markdown:
        raise UsageError("rule: --markdown goes with --all")
    if not ns.name:
        raise UsageError("rule: give a rule name or code, or --all")
    rule = get_rule(ns.name)
    if rule is None:
        raise UsageError(f"rule: unknown rule {ns.name!r} (see `vaultlint rule --all`)")
    sys.stdout.write(explain(rule))
    return EXIT_OK


def markdown_docs(rules: Sequence[type[Rule]]) -> str:
    """Every rule's documentation, a section each headed by its name (so that
    ``docs/rules.md#NAME`` is the rule's page, as the language server links it)."""
    from vaultlint.rules.docs import explain

    lines = [
        "# Rules",
        "",
        "Each rule's documentation, as `vaultlint rule NAME` prints it. This file is made by",
        "`vaultlint rule --all --markdown > docs/rules.md`; a test checks it is up to date.",
        "",
        "| code | rule | severity | fix | default | summary |",
        "|---|---|---|---|---|---|",
    ]
    for rule in rules:
        fix = "yes" if rule.fixable else ""
        default = "on" if rule.enabled else "off"
        lines.append(
            f"| {rule.code} | [{rule.name}](#{rule.name}) | {rule.severity.value} | {fix} | "
            f"{default} | {rule.summary.replace('|', '&#124;')} |"
        )
    for rule in rules:
        text = explain(rule)
        fence = "````" if "```" in text else "```"
        lines += ["", f"## {rule.name}", "", f"{fence}text", text.rstrip("\n"), fence]
    return "\n".join(lines) + "\n"


def _rule_table(rules: Sequence[type[Rule]], out: TextIO) -> None:
    from rich.table import Table

    from vaultlint.output.text import make_console

    table = Table(box=None, pad_edge=False)
    for column in ("code", "name", "severity", "fix", "default", "summary"):
        table.add_column(column)
    for rule in rules:
        table.add_row(
            rule.code,
            rule.name,
            rule.severity.value,
            "yes" if rule.fixable else "",
            "on" if rule.enabled else "off",
            rule.summary,
        )
    make_console(out).print(table)
