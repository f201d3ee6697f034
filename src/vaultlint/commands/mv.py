"""``vaultlint mv``: move or rename notes, attachments and folders, links kept."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from vaultlint.errors import EXIT_OK
from vaultlint.printable import printable

HELP = "move or rename notes, attachments and folders, rewriting the links to them"


def add_parser(commands: Any) -> None:
    mv = commands.add_parser(
        "mv",
        help=HELP,
        usage=(
            "vaultlint mv [options] SRC DST\n"
            "       vaultlint mv [options] SRC... FOLDER/\n"
            '       vaultlint mv [options] "NOTE#Heading" "New heading"'
        ),
        description=(
            "Move SRC to DST (a new name), or several SRCs into the folder DST, and "
            "rewrite every link whose target would change so that it opens the same "
            "file. Refused, with nothing changed, when DST exists, leaves the vault, or "
            "a link cannot be kept."
        ),
    )
    mv.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help="what to move, then where to (a new name, or a folder); or NOTE#Heading and "
        "its new name (NOTE#^id and ^new-id for a block)",
    )
    mv.add_argument(
        "-n", "--dry-run", action="store_true", help="say what would be done; change nothing"
    )
    mv.add_argument(
        "--diff", action="store_true", help="print the move as a patch (git apply); change nothing"
    )
    mv.add_argument(
        "--no-git", action="store_true", help="move with the file system even in a git work tree"
    )
    mv.add_argument("--config", type=Path, help="the configuration file")
    mv.add_argument("-q", "--quiet", action="store_true", help="no summary line")
    mv.add_argument("-v", "--verbose", action="store_true", help="tracebacks on internal errors")
    mv.set_defaults(func=run)


def _subpath(source: str) -> tuple[Path, str] | None:
    """``Note#Heading`` as (the note's file, the heading) when no file has that whole
    name; the note is the first part before a ``#`` that names a file."""
    if "#" not in source or os.path.lexists(source):
        return None
    at = source.find("#")
    while at != -1:
        name, rest = source[:at], source[at + 1 :]
        for candidate in (name, name + ".md"):
            if name and os.path.isfile(candidate):
                return Path(candidate), rest
        at = source.find("#", at + 1)
    return None


def run(ns: Any) -> int:
    from vaultlint.errors import UsageError
    from vaultlint.workspace import Workspace

    if len(ns.paths) < 2:
        raise UsageError("mv needs a source and a destination")
    *sources, destination = ns.paths
    dry = ns.dry_run or ns.diff
    subpath = _subpath(sources[0]) if len(sources) == 1 else None
    if subpath is not None:  # "Note#Old heading" "New heading", "Note#^id" "new-id"
        note, old = subpath
        workspace = Workspace.open([note], ns.config)
        new = destination.removeprefix(f"{sources[0].partition('#')[0]}#").removeprefix("#")
        plan = workspace.rename_subpath(note, old, new, dry_run=dry)
    else:
        # DST stays a string: a trailing "/" names a folder to move into.
        workspace = Workspace.open([Path(sources[0])], ns.config)
        plan = workspace.move(sources, destination, dry_run=dry, git=not ns.no_git)
    for message in plan.warnings:
        print(f"vaultlint: warning: {printable(message)}", file=sys.stderr)
    if ns.diff:
        sys.stdout.write(plan.diff())
    elif ns.dry_run:
        for old, new in plan.moves:
            print(f"{printable(old)} -> {printable(new)}")
        if subpath is not None:
            print(f"{printable(sources[0])} -> {printable(destination)}")
        for rewrite in plan.rewrites:
            if not rewrite.links:
                continue
            links = "link" if rewrite.links == 1 else "links"
            print(f"{printable(rewrite.path)}: {rewrite.links} {links}")
    if not ns.quiet:
        print(plan.summary(), file=sys.stderr if ns.diff else sys.stdout)
    return EXIT_OK
