"""Output formats for findings: one module a format, one ``render`` a module."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from vaultlint.model import Finding

FORMATS = ("full", "concise", "json", "github", "sarif", "junit")


@dataclass
class OutputContext:
    """What some formats need beyond the findings."""

    root: Path  # the vault root
    checked: Sequence[str] = field(default_factory=list)  # every note checked, vault paths

    def repo_path(self, path: str) -> str:
        """A vault path as seen from the current folder (the repository root in CI)."""
        full = self.root / path
        try:
            return Path(os.path.relpath(full, Path.cwd())).as_posix()
        except ValueError:  # another drive on Windows
            return full.as_posix()


Renderer = Callable[[Sequence[Finding], TextIO, OutputContext], None]


def renderer(name: str) -> Renderer:
    """The render function of an output format (imported on demand)."""
    if name == "json":
        from vaultlint.output import json_format

        return json_format.render
    if name == "github":
        from vaultlint.output import github

        return github.render
    if name == "sarif":
        from vaultlint.output import sarif

        return sarif.render
    if name == "junit":
        from vaultlint.output import junit

        return junit.render
    from vaultlint.output import text

    return text.render_concise if name == "concise" else text.render_full
