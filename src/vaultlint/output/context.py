"""What some output formats need beyond the findings."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

Show = Callable[[str], str]  # a vault path as printed


@dataclass
class OutputContext:
    """What some formats need beyond the findings."""

    root: Path  # the vault root
    checked: Sequence[str] = field(default_factory=list)  # every note checked, vault paths
    strict: bool = False  # warnings fail the run too (JUnit: their notes fail)

    def repo_path(self, path: str) -> str:
        """A vault path as seen from the current folder (the repository root in CI)."""
        full = self.root / path
        try:
            return Path(os.path.relpath(full, Path.cwd())).as_posix()
        except ValueError:  # another drive on Windows
            return full.as_posix()


def repo_paths(root: Path, beside_as_vault: bool = False) -> tuple[str, Show]:
    """``OutputContext.repo_path`` as a mapping computed from the two folders once
    (``os.path.relpath`` per path costs a large vault a tenth of a second), and a key
    naming it ("" where vault paths are shown as they are). ``beside_as_vault``:
    from a folder neither above nor in the vault (or on another drive), vault paths."""
    cwd = os.getcwd()
    base = os.path.abspath(root)
    if cwd == base:
        return "", same
    try:
        root_from_cwd = os.path.relpath(base, cwd)
    except ValueError:  # another drive on Windows
        if beside_as_vault:
            return "", same
        return "", partial(_prefixed, Path(base).as_posix().rstrip("/") + "/")
    cwd_in_vault = os.path.relpath(cwd, base)
    if root_from_cwd.startswith("..") and not cwd_in_vault.startswith(".."):
        parts = tuple(Path(cwd_in_vault).parts)
        return "/".join(parts), partial(from_inside, parts)
    if beside_as_vault and root_from_cwd.startswith(".."):
        return "", same  # beside the vault: vault paths, as from its root
    prefix = Path(root_from_cwd).as_posix() + "/"
    return prefix, partial(_prefixed, prefix)


def same(path: str) -> str:
    return path


def _prefixed(prefix: str, path: str) -> str:
    return prefix + path


def from_inside(parts: tuple[str, ...], path: str) -> str:
    """``path`` from the vault folder ``parts`` (the current folder)."""
    segments = path.split("/")
    common = 0
    while common < len(parts) and common < len(segments) - 1:
        if segments[common] != parts[common]:
            break
        common += 1
    return "/".join([".."] * (len(parts) - common) + segments[common:])
