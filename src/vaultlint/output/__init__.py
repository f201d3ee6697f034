"""Output formats for findings: one module a format, one ``render`` a module."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TextIO

from vaultlint.model import Finding

Renderer = Callable[[Sequence[Finding], TextIO], None]

FORMATS = ("full", "concise", "json")


def renderer(name: str) -> Renderer:
    """The render function of an output format (imported on demand)."""
    if name == "json":
        from vaultlint.output import json_format

        return json_format.render
    if name == "concise":
        from vaultlint.output import text

        return text.render_concise
    from vaultlint.output import text

    return text.render_full
