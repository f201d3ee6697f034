"""Output formats for findings: one module a format, one ``render`` a module."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TextIO

from vaultlint.model import Finding
from vaultlint.output.context import OutputContext

__all__ = ["FORMATS", "OutputContext", "Renderer", "renderer"]

FORMATS = ("full", "concise", "json", "github", "sarif", "junit")


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
