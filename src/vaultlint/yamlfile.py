"""Reading user YAML files (config, schemas) with one-line errors naming the file."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any


def shown(path: Path) -> str:
    """``path`` as errors name it: from the current folder when it is under it (from
    the vault root, a vault path: ``.vaultlint.yaml``), else in full."""
    full = os.path.abspath(path)
    try:
        rel = os.path.relpath(full)
    except ValueError:  # another drive on Windows
        return full
    return full if rel == ".." or rel.startswith(".." + os.sep) else rel


_DUPLICATE = re.compile(r'found duplicate key (".*?") with value')


def load_yaml(text: str, where: str, error: type[Exception]) -> Any:
    """Safe-load ``text``; a syntax error raises ``error`` naming ``where`` and the spot."""
    from vaultlint.plainyaml import load_plain

    try:
        return load_plain(text)
    except Exception as exc:
        from ruamel.yaml.error import YAMLError  # only now: importing it takes 7 ms

        if not isinstance(exc, YAMLError):
            raise
        mark = getattr(exc, "problem_mark", None)
        at = f" (line {mark.line + 1}, column {mark.column + 1})" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        duplicate = _DUPLICATE.match(problem)
        if duplicate:  # ruamel shows both values as "{}" for mappings
            problem = f"duplicate key {duplicate[1]} (each key may appear once in a mapping)"
        raise error(f"{where}: invalid YAML{at}: {problem}") from None


def read_yaml(path: Path, what: str, error: type[Exception], missing: str = "") -> Any:
    """Load the YAML file ``path`` (a ``what``: "config", "schema")."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise error(f"{shown(path)}: {what} file not found{missing}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise error(f"{shown(path)}: cannot read {what} file: {exc}") from None
    return load_yaml(text, shown(path), error)


def reject_unknown_keys(
    keys: Iterable[Any], allowed: Sequence[str], at: str, error: type[Exception]
) -> None:
    """Raise ``error`` at the first of ``keys`` not ``allowed``, naming those that are."""
    for key in keys:
        if key not in allowed:
            raise error(f"{at}: unknown key {key!r} (allowed: {', '.join(allowed)})")
