"""``vaultlint clean``: remove the results cache of a vault."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from vaultlint.errors import EXIT_OK, UsageError


def add_parser(commands: Any) -> None:
    clean = commands.add_parser("clean", help="remove the cache of a vault")
    clean.add_argument(
        "folder", nargs="?", type=Path, default=Path("."), help="a folder in the vault (default: .)"
    )
    clean.add_argument("--cache-dir", type=Path, help="the cache folder, when not the default")
    clean.add_argument("-v", "--verbose", action="store_true", help=argparse.SUPPRESS)
    clean.set_defaults(func=run)


def run(ns: argparse.Namespace) -> int:
    from vaultlint.cache import NotACache, cache_folder, clean
    from vaultlint.vault import find_root

    if not ns.folder.is_dir():
        raise UsageError(f"{ns.folder}: no such folder")
    folder = cache_folder(find_root(ns.folder), ns.cache_dir)
    try:
        removed = clean(folder)
    except NotACache as exc:
        raise UsageError(str(exc)) from None
    except OSError as exc:
        raise UsageError(f"{folder}: cannot remove: {exc.strerror or exc}") from None
    print(f"Removed {folder}" if removed else f"No cache at {folder}")
    return EXIT_OK
