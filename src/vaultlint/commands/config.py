"""``vaultlint config``: the effective configuration for a note or folder."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vaultlint.errors import EXIT_OK

if TYPE_CHECKING:
    from vaultlint.schema import Schema


def add_parser(commands: Any) -> None:
    config = commands.add_parser("config", help="print the effective configuration for a path")
    config.add_argument("path", nargs="?", type=Path, default=Path("."), help="a note or folder")
    config.add_argument("--config", type=Path, help="the configuration file")
    config.add_argument("-v", "--verbose", action="store_true", help=argparse.SUPPRESS)
    config.set_defaults(func=run)


def run(ns: argparse.Namespace) -> int:
    from vaultlint.config import render_config
    from vaultlint.workspace import Workspace

    path: Path = ns.path
    workspace = Workspace.open([path], ns.config)  # reads the settings; no scan
    rel = workspace.vault_path(path)
    sys.stdout.write(render_config(workspace.config, rel if path.is_file() else None))
    for line in replaced_schemas(workspace.schemas):
        sys.stdout.write(f"# {line}\n")
    return EXIT_OK


def replaced_schemas(schemas: Sequence[Schema]) -> list[str]:
    """A line for each vault schema that replaces a shipped one of the same name
    (names ignore case): on purpose, to change a shipped type, but never silently."""
    from vaultlint.printable import printable
    from vaultlint.schema import shipped_schemas

    shipped = {s.name.casefold(): s for s in shipped_schemas()}
    return [
        f"schema {printable(s.name)!r} of {printable(s.source)} replaces the shipped "
        f"schema {shipped[s.name.casefold()].name!r}"
        for s in schemas
        if s.name.casefold() in shipped and s is not shipped[s.name.casefold()]
    ]
