"""``vaultlint config``: the effective configuration for a note or folder."""

from __future__ import annotations

import argparse
import os
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
    note = rel if path.is_file() else None
    lines = active_schemas(workspace.root, workspace.schemas)
    if note is not None:
        lines.append(note_types(path, note, workspace.schemas))
    sys.stdout.write(render_config(workspace.config, note, lines))
    for line in replaced_schemas(workspace.schemas):
        sys.stdout.write(f"# {line}\n")
    return EXIT_OK


def active_schemas(root: Path, schemas: Sequence[Schema]) -> list[str]:
    """A line for each schema in effect, saying where it comes from."""
    from vaultlint.printable import printable

    if not schemas:
        return ["schemas in effect: none (`schemas: []` turns the shipped ones off too)"]
    return [f"schema in effect: {printable(s.name)!r}, {_origin(root, s.source)}" for s in schemas]


def _origin(root: Path, source: str) -> str:
    from vaultlint.printable import printable

    if source.startswith("shipped "):
        return f"shipped with vaultlint ({source.removeprefix('shipped ')}; off with `schemas: []`)"
    full = Path(os.path.abspath(source))
    try:
        return f"from {printable(full.relative_to(root).as_posix())}"
    except ValueError:
        return f"from {printable(source)}"


def note_types(path: Path, rel: str | None, schemas: Sequence[Schema]) -> str:
    """The line naming the note types (schemas) the note at ``path`` has."""
    from vaultlint.printable import printable
    from vaultlint.schema import note_states
    from vaultlint.vault import file_kind, read_source

    if rel is None or file_kind(rel) != "note":
        return "note types: none (not a note of the vault)"
    source = read_source(path.parent, path.name)
    if source.text is None:
        return f"note types: unknown ({source.problem})"
    from vaultlint.vault import parse_file

    names = [printable(s.schema.name) for s in note_states(parse_file(rel, source.text), schemas)]
    return f"note types: {', '.join(names) if names else 'none (no schema matches it)'}"


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
