"""The ``vaultlint`` command: the top-level parser, error reporting and exit codes.

Each command is a module of ``vaultlint.commands``; exit codes are those of
``vaultlint.errors``: 0 nothing left to report, 1 findings left (or, with
``--diff``, something would change), 2 a usage, path or configuration error,
or an internal error, 130 interrupted.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import gc
import os
import signal
import sys
import traceback
from collections.abc import Sequence
from typing import Any

from vaultlint.commands import COMMANDS, MODULES
from vaultlint.errors import (
    EXIT_ERROR,
    EXIT_FINDINGS,
    EXIT_INTERRUPTED,
    EXIT_TERMINATED,
    Terminated,
    UsageError,
    VaultlintError,
)
from vaultlint.printable import printable
from vaultlint.version import __version__


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(message)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="vaultlint", description="A fast, safe linter and fixer for Obsidian vaults."
    )
    parser.add_argument("-V", "--version", action="version", version=f"vaultlint {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in MODULES.values():
        module.add_parser(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    _reopen_closed_streams()
    args = list(sys.argv[1:] if argv is None else argv)
    mistyped = _mistyped_command(args)
    if not args or (args[0] not in COMMANDS and args[0] not in ("-h", "--help", "-V", "--version")):
        args.insert(0, "check")
    verbose = "-v" in args or "--verbose" in args
    # A vault's parsed notes are millions of long-lived objects without cycles: the
    # cyclic collector only walked them again and again (35 % of a 10k-note check
    # with its default thresholds, 7 % of a 30k one with raised ones, more the larger
    # the vault). With it off, peak memory of check, --fix and report is unchanged.
    collecting = gc.isenabled()
    gc.disable()
    previous = _on_sigterm(_terminate)
    try:
        if mistyped:
            raise UsageError(mistyped)
        ns = build_parser().parse_args(args)
        result: int = ns.func(ns)
        sys.stdout.flush()  # a full disk or a device error is reported, not lost
        return result
    except SystemExit as exc:  # --help and --version
        return int(exc.code or 0)
    except KeyboardInterrupt:
        print("vaultlint: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Terminated:
        print("vaultlint: terminated", file=sys.stderr)
        return EXIT_TERMINATED
    except BrokenPipeError:  # the reader went away (``vaultlint | head``)
        _discard_stdout()
        return EXIT_FINDINGS
    except OSError as exc:
        if exc.errno not in _WRITE_ERRORS:
            return _report_error(exc, verbose)
        _discard_stdout()
        print(f"vaultlint: error: cannot write the output: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_ERROR
    except Exception as exc:
        return _report_error(exc, verbose)
    finally:
        _on_sigterm(previous)
        if collecting:
            gc.enable()


# Writing the output failed: notes are written by the fixer, which reports its own.
_WRITE_ERRORS = {errno.ENOSPC, errno.EDQUOT, errno.EIO, errno.EFBIG}


def _reopen_closed_streams() -> None:
    """Put /dev/null on a closed standard descriptor (``vaultlint check >&-``, some
    cron jobs): else the next file opened (a note) would take its number, and what
    is written to standard output, or by a child process, would land in it."""
    for fd, name, mode in ((0, "stdin", "r"), (1, "stdout", "w"), (2, "stderr", "w")):
        try:
            os.fstat(fd)
        except OSError:
            os.open(os.devnull, os.O_RDWR)  # the lowest free number: ``fd``
            setattr(sys, name, open(fd, mode, encoding="utf-8", closefd=False))  # noqa: SIM115


def _discard_stdout() -> None:
    """Drop what could not be written, so that the exit does not try again."""
    with contextlib.suppress(OSError, ValueError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def _terminate(signum: int, frame: object) -> None:
    raise Terminated


def _on_sigterm(handler: Any) -> Any:
    """Set the SIGTERM handler; the previous one (None outside the main thread)."""
    if handler is None:
        return None
    try:
        return signal.signal(signal.SIGTERM, handler)
    except ValueError:  # not the main thread: signals stay as they are
        return None


def _mistyped_command(args: list[str]) -> str | None:
    """``vaultlint reprot``: a word close to a command that names no file is a typo."""
    if not args or args[0] in COMMANDS or not args[0].isalpha() or os.path.exists(args[0]):
        return None
    import difflib

    close = difflib.get_close_matches(args[0], COMMANDS, n=1, cutoff=0.6)
    return f"unknown command {args[0]!r} (did you mean {close[0]!r}?)" if close else None


def entry() -> None:
    """The ``vaultlint`` command: ``main()``, then exit without freeing the heap.

    Tearing down the millions of objects of a parsed vault took 0.3 s of a
    10k-note check; nothing is left to do once the output is flushed.
    """
    code = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:
        code = code or EXIT_FINDINGS
    except OSError:
        code = EXIT_ERROR
    os._exit(code)


def _report_error(exc: Exception, verbose: bool) -> int:
    if isinstance(exc, VaultlintError):
        print(f"vaultlint: error: {printable(str(exc))}", file=sys.stderr)
        return EXIT_ERROR
    if verbose:
        traceback.print_exc()
    print(
        f"vaultlint: internal error: {type(exc).__name__}: {printable(str(exc))} "
        "(run with -v for a traceback, and please report it)",
        file=sys.stderr,
    )
    return EXIT_ERROR


if __name__ == "__main__":
    raise SystemExit(main())
