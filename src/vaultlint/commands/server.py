"""``vaultlint server``: the language server, over stdio (see ``vaultlint.server``)."""

from __future__ import annotations

import argparse
from typing import Any

HELP = "run the language server (LSP over stdio) for editors"


def add_parser(commands: Any) -> None:
    server = commands.add_parser("server", help=HELP, description=HELP)
    server.set_defaults(func=run)


def run(ns: argparse.Namespace) -> int:
    from vaultlint.server import serve

    return serve()
