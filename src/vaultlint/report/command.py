"""``vaultlint report``: collect, render, write, append to the job summary, gate."""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from vaultlint.cli import EXIT_FINDINGS, EXIT_OK, UsageError, open_output
from vaultlint.report.collect import HistoryPoint, Report, collect

if TYPE_CHECKING:
    from vaultlint.config import Config
    from vaultlint.schema import Schema
    from vaultlint.vault import VaultIndex

SUMMARY_LIMIT = 1024 * 1024  # GitHub rejects a step summary over 1 MiB
Selector = Callable[[Sequence[str]], list[str]]


def run(
    ns: argparse.Namespace,
    root: Path,
    config: Config,
    schemas: Sequence[Schema],
    index: VaultIndex,
    select: Selector,
) -> int:
    from vaultlint.engine import Engine

    started = time.perf_counter()
    engine = Engine(config, index, schemas=schemas)
    targets = select(index.notes)
    report = collect(index, engine, config, targets, ns.top)
    if ns.history is not None:
        report.history = _history(ns.history, root, schemas, select, index, report)
    _write(ns, report)
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary:
        append_summary(Path(summary), report, ns.top)
    if ns.verbose:
        elapsed = time.perf_counter() - started
        print(f"vaultlint: report on {len(targets)} notes in {elapsed:.2f} s", file=sys.stderr)
    return _gate(report, ns.fail_under)


def _history(
    count: int,
    root: Path,
    schemas: Sequence[Schema],
    select: Selector,
    index: VaultIndex,
    report: Report,
) -> list[HistoryPoint]:
    from vaultlint.report.history import HistoryError, history

    working = {path: (index.source(path).data, types) for path, types in report.note_types.items()}
    try:
        return history(root, count, schemas, select, working, index.max_bytes)
    except HistoryError as exc:
        raise UsageError(str(exc)) from None


def render_text(report: Report, fmt: str, limit: int) -> str:
    if fmt == "json":
        from vaultlint.report import json_format

        return json_format.render(report, limit)
    if fmt == "html":
        from vaultlint.report import html_format

        return html_format.render(report, limit)
    from vaultlint.report import markdown

    return markdown.render(report, limit)


def _write(ns: argparse.Namespace, report: Report) -> None:
    out = open_output(ns.output_file)
    try:
        if ns.format == "terminal":
            from vaultlint.report import terminal

            terminal.render(report, out, ns.top)
        else:
            out.write(render_text(report, ns.format, ns.top))
    finally:
        if out is not sys.stdout:
            out.close()


def append_summary(path: Path, report: Report, limit: int) -> None:
    """Append the Markdown report to the job summary, keeping the file under the limit."""
    from vaultlint.report.markdown import fit

    try:
        used = path.stat().st_size if path.exists() else 0
        lead = "\n" if used and not _ends_with_newline(path) else ""
        text = fit(report, limit, SUMMARY_LIMIT - used - len(lead))
        if text is None:
            print("vaultlint: warning: the job summary is full; report not added", file=sys.stderr)
            return
        with path.open("a", encoding="utf-8") as handle:
            handle.write(lead + text)
    except OSError as exc:
        print(
            f"vaultlint: warning: {path}: cannot write the job summary: {exc.strerror or exc}",
            file=sys.stderr,
        )


def _ends_with_newline(path: Path) -> bool:
    with path.open("rb") as handle:
        handle.seek(-1, os.SEEK_END)
        return handle.read(1) == b"\n"


def _gate(report: Report, fail_under: float | None) -> int:
    if fail_under is None:
        return EXIT_OK
    failing = [t for t in report.types if t.complete * 100 < fail_under * t.notes]
    for t in failing:
        print(
            f"vaultlint: {t.name} notes are {t.percent:.1f} % complete "
            f"({t.complete} of {t.notes}), under --fail-under {fail_under:g}",
            file=sys.stderr,
        )
    return EXIT_FINDINGS if failing else EXIT_OK
