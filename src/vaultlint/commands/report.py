"""``vaultlint report``: the report, written, added to the job summary, and its gate."""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vaultlint.commands.check import add_cache_options, add_output_options
from vaultlint.commands.common import check_output, output_to
from vaultlint.errors import EXIT_FINDINGS, EXIT_OK, UsageError
from vaultlint.printable import printable

if TYPE_CHECKING:
    from vaultlint.report.collect import HistoryPoint, Report
    from vaultlint.workspace import Workspace

SUMMARY_LIMIT = 1024 * 1024  # GitHub rejects a step summary over 1 MiB


def add_parser(commands: Any) -> None:
    from vaultlint.report import FORMATS, percent, positive

    report = commands.add_parser(
        "report", help="completeness of typed notes and the health of links"
    )
    report.add_argument(
        "paths", nargs="*", type=Path, metavar="PATH", help="notes or folders (default: .)"
    )
    report.add_argument(
        "--format", choices=FORMATS, default="terminal", help="how the report is written"
    )
    add_output_options(report, "the report")
    report.add_argument(
        "--top", type=positive, default=20, metavar="N", help="list lengths (default: 20)"
    )
    report.add_argument(
        "--fail-under",
        type=percent,
        metavar="PCT",
        help="exit 1 when any note type is less than PCT %% complete",
    )
    report.add_argument(
        "--history",
        type=positive,
        metavar="N",
        help="completeness per type at each of the last N git commits",
    )
    report.add_argument("--config", type=Path, help="the configuration file")
    add_cache_options(report)
    report.add_argument("-v", "--verbose", action="store_true", help="timings, tracebacks")
    report.set_defaults(func=run)


def run(ns: argparse.Namespace) -> int:
    from vaultlint.workspace import Workspace

    started = time.perf_counter()
    paths: list[Path] = ns.paths or [Path(".")]
    workspace = Workspace.open(paths, ns.config)
    for message in workspace.config.warnings:
        print(f"vaultlint: warning: {printable(message)}", file=sys.stderr)
    check_output(ns.output_file, workspace.root, ns.cache_dir, ns.force)
    from vaultlint.commands.progress import waiting

    with waiting("Reading the vault for the report"):
        report = workspace.report(
            paths,
            top=ns.top,
            cache=not ns.no_cache,
            cache_dir=ns.cache_dir,
            jobs=ns.jobs,
            details=ns.format == "html",
        )
    for message in workspace.skipped():
        print(f"vaultlint: warning: {printable(message)}", file=sys.stderr)
    if ns.history is not None:
        with waiting(f"Reading the last {ns.history} commits"):
            report.history = _history(ns.history, workspace, paths, report)
    _write(ns, report, workspace.root)
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary:
        append_summary(Path(summary), report, ns.top)
    if ns.verbose:
        elapsed = time.perf_counter() - started
        print(f"vaultlint: report on {report.notes} notes in {elapsed:.2f} s", file=sys.stderr)
    return _gate(report, ns.fail_under)


def _history(
    count: int, workspace: Workspace, paths: Sequence[Path], report: Report
) -> list[HistoryPoint]:
    from vaultlint.report.history import HistoryError, history

    def select(notes: Sequence[str]) -> list[str]:
        return workspace.targets_among(notes, paths)

    index = workspace.index
    working = {path: (index.source(path).data, types) for path, types in report.note_types.items()}
    try:
        return history(workspace.root, count, workspace.schemas, select, working, index.max_bytes)
    except HistoryError as exc:
        raise UsageError(str(exc)) from None


def render_text(report: Report, fmt: str, limit: int, base: str = "") -> str:
    """The report in ``fmt``; ``base``: the vault root's URL from where an HTML report is."""
    if fmt == "json":
        from vaultlint.report import json_format

        return json_format.render(report, limit)
    if fmt == "html":
        from vaultlint.report import html_format

        return html_format.render(report, limit, base)
    from vaultlint.report import markdown

    return markdown.render(report, limit)


def _write(ns: argparse.Namespace, report: Report, root: Path) -> None:
    with output_to(ns.output_file, root, ns.cache_dir) as out:
        if ns.format == "terminal":
            from vaultlint.report import terminal

            terminal.render(report, out, ns.top)
        else:
            base = vault_url(root, ns.output_file)
            out.write(render_text(report, ns.format, ns.top, base))


def vault_url(root: Path, output: Path | None) -> str:
    """The vault root as a URL relative to the folder of ``output`` (the current folder
    for standard output), ending in ``/``; empty when it is that folder; a ``file:``
    URL when no relative path leads there (another drive)."""
    from urllib.parse import quote

    folder = Path.cwd() if output is None else output.absolute().parent
    try:
        rel = os.path.relpath(root.absolute(), folder)
    except ValueError:
        return root.absolute().as_uri() + "/"
    if rel == ".":
        return ""
    return quote(Path(rel).as_posix().encode("utf-8", "surrogateescape"), safe="/") + "/"


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
            f"vaultlint: warning: {printable(str(path))}: "
            f"cannot write the job summary: {exc.strerror or exc}",
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
            f"vaultlint: {printable(t.name)} notes are {t.percent:.1f} % complete "
            f"({t.complete} of {t.notes}), under --fail-under {fail_under:g}",
            file=sys.stderr,
        )
    return EXIT_FINDINGS if failing else EXIT_OK
