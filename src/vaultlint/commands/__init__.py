"""The commands of ``vaultlint``: one module each, with ``add_parser`` and ``run``.

``add_parser(subparsers)`` declares the command's options (and sets
``func=run``); ``run(ns) -> int`` does the work through a ``Workspace`` and
returns the exit code (``vaultlint.errors``). A module imports what only its
command needs inside ``run``, so that ``vaultlint --version`` stays fast.
"""

from __future__ import annotations

from types import ModuleType

from vaultlint.commands import check, clean, config, init, mv, report, rule, server

MODULES: dict[str, ModuleType] = {  # in the order of ``vaultlint --help``
    "check": check,
    "rule": rule,
    "init": init,
    "clean": clean,
    "report": report,
    "config": config,
    "mv": mv,
    "server": server,
}
COMMANDS = tuple(MODULES)
