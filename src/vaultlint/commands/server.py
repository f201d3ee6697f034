"""``vaultlint server``: the language server, over stdio (see ``vaultlint.server``)."""

from __future__ import annotations

import argparse
import builtins
import contextlib
from collections.abc import Iterator
from types import CodeType
from typing import Any

HELP = "run the language server (LSP over stdio) for editors"


def add_parser(commands: Any) -> None:
    server = commands.add_parser("server", help=HELP, description=HELP)
    server.set_defaults(func=run)


def run(ns: argparse.Namespace) -> int:
    with compiled_once():  # most of the start-up: lsprotocol's hundreds of attrs classes
        from vaultlint.server import serve

    return serve()


@contextlib.contextmanager
def compiled_once() -> Iterator[None]:
    """While importing: attrs compiles each distinct method source it generates
    once, not once a class (lsprotocol's classes share most of theirs: 554
    compilations, 284 distinct). Each class still gets its own code objects,
    under its own file name; without attrs' module-level ``compile``, nothing
    changes."""
    try:
        import attr._make as attrs_make
    except ImportError:  # pragma: no cover - attrs comes with lsprotocol
        yield
        return
    if getattr(attrs_make, "compile", builtins.compile) is not builtins.compile:
        yield  # already replaced (nested use)
        return
    compiled: dict[tuple[str, str], CodeType] = {}

    def compile_once(source: Any, filename: Any, mode: str, *args: Any, **kwargs: Any) -> Any:
        if args or kwargs or not isinstance(source, str) or not isinstance(filename, str):
            return builtins.compile(source, filename, mode, *args, **kwargs)
        code = compiled.get((source, mode))
        if code is None:
            code = compiled[(source, mode)] = builtins.compile(source, filename, mode)
        return _renamed(code, filename)

    attrs_make.compile = compile_once  # type: ignore[attr-defined]
    try:
        yield
    finally:
        del attrs_make.compile  # type: ignore[attr-defined]


def _renamed(code: CodeType, filename: str) -> CodeType:
    """``code`` (and the functions it defines) as compiled under ``filename``."""
    if code.co_filename == filename:
        return code
    consts = tuple(_renamed(c, filename) if isinstance(c, CodeType) else c for c in code.co_consts)
    return code.replace(co_filename=filename, co_consts=consts)
