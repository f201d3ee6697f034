"""``vaultlint config``: the effective configuration for a note or folder."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from vaultlint.errors import EXIT_OK


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
    return EXIT_OK
