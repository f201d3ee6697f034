"""What some output formats need beyond the findings."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path


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
