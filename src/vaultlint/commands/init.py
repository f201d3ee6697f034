"""``vaultlint init``: write a commented ``.vaultlint.yaml`` and print the pre-commit snippet."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from vaultlint.errors import EXIT_OK, UsageError

# The commit of this release, as `pre-commit autoupdate --freeze` writes it: a tag does not
# travel with every copy of the repository, a commit does.
RELEASE_REV = "507a8d04c9f79b2862368050d01caf1ba498d3bf"
RELEASE_TAG = "v0.2.0"
REPOSITORY = "https://github.com/vaultlint/vaultlint"
PRE_COMMIT_SNIPPET = f"""\
repos:
  - repo: {REPOSITORY}
    rev: {RELEASE_REV}  # frozen: {RELEASE_TAG}
    hooks:
      - id: vaultlint-fix
        types: [file]  # notes, canvases and bases: identify tags only .md as markdown
        files: '(?i)\\.(md|canvas|base)$'
"""


def add_parser(commands: Any) -> None:
    init = commands.add_parser("init", help="write a commented .vaultlint.yaml in the vault")
    init.add_argument(
        "folder", nargs="?", type=Path, default=Path("."), help="the vault (default: .)"
    )
    init.add_argument("--force", action="store_true", help="overwrite existing files")
    init.add_argument(
        "--schemas", action="store_true", help="copy the shipped schemas to .vaultlint/schemas/"
    )
    init.add_argument("-v", "--verbose", action="store_true", help=argparse.SUPPRESS)
    init.set_defaults(func=run)


def run(ns: argparse.Namespace) -> int:
    from importlib import resources

    from vaultlint.config import CONFIG_NAME, init_text
    from vaultlint.rules import ALL_RULES
    from vaultlint.schema import SHIPPED_SCHEMAS

    folder: Path = ns.folder
    if not folder.is_dir():
        raise UsageError(f"{folder}: no such folder")
    target = folder / CONFIG_NAME
    schema_dir = Path(".vaultlint") / "schemas"
    copies = [(schema_dir / f"{name}.yaml", name) for name in SHIPPED_SCHEMAS] if ns.schemas else []
    for path in [target, *(folder / rel for rel, _ in copies)]:
        if path.exists() and not ns.force:
            raise UsageError(f"{path}: already exists (use --force to overwrite it)")
    schemas = [f"{schema_dir.as_posix()}/*.yaml"] if copies else []
    written = []
    try:
        for rel, name in copies:
            text = resources.files("vaultlint.shipped").joinpath(f"{name}.yaml").read_text("utf-8")
            (folder / rel).parent.mkdir(parents=True, exist_ok=True)
            (folder / rel).write_text(text, encoding="utf-8")
            written.append(rel.as_posix())
        target.write_text(init_text(ALL_RULES, schemas), encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"{folder}: cannot write: {exc.strerror or exc}") from None
    print(f"Wrote {CONFIG_NAME}" + "".join(f", {path}" for path in written) + ".")
    print("To run vaultlint before each commit, add to .pre-commit-config.yaml:\n")
    sys.stdout.write(PRE_COMMIT_SNIPPET)
    return EXIT_OK
