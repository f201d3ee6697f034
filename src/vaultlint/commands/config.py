"""``vaultlint config``: the effective configuration for a note or folder."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from vaultlint.errors import EXIT_OK, UsageError


def add_parser(commands: Any) -> None:
    config = commands.add_parser("config", help="print the effective configuration for a path")
    config.add_argument("path", nargs="?", type=Path, default=Path("."), help="a note or folder")
    config.add_argument("--config", type=Path, help="the configuration file")
    config.add_argument("-v", "--verbose", action="store_true", help=argparse.SUPPRESS)
    config.set_defaults(func=run)


def run(ns: argparse.Namespace) -> int:
    from vaultlint.config import load_config, render_config
    from vaultlint.vault import find_root, vault_path

    path: Path = ns.path
    if not path.exists():
        raise UsageError(f"{path}: no such file or folder")
    root = find_root(path)
    config = load_config(root, ns.config)
    rel = vault_path(root, path)
    if rel is None:
        raise UsageError(f"{path}: outside the vault at {root}")
    sys.stdout.write(render_config(config, rel if path.is_file() else None))
    return EXIT_OK
