"""The ``vaultlint`` command: argument parsing, commands and exit codes.

Exit codes: 0 nothing left to report, 1 findings left (or, with ``--diff``,
something would change), 2 a usage, path or configuration error, or an
internal error.
"""

from __future__ import annotations

import argparse
import difflib
import gc
import os
import sys
import time
import traceback
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from vaultlint import __version__

if TYPE_CHECKING:
    from vaultlint.cache import NoteResult
    from vaultlint.model import Finding

COMMANDS = ("check", "rule", "init", "config", "clean", "report")
EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


class UsageError(Exception):
    """A problem with the command line or its paths: exit 2, one line."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(message)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="vaultlint", description="A fast, safe linter and fixer for Obsidian vaults."
    )
    parser.add_argument("--version", action="version", version=f"vaultlint {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    check = commands.add_parser("check", help="check notes (the default command)")
    check.add_argument(
        "paths", nargs="*", type=Path, metavar="PATH", help="notes or folders (default: .)"
    )
    check.add_argument("--fix", action="store_true", help="apply safe fixes")
    check.add_argument(
        "--unsafe-fixes", action="store_true", help="also apply unsafe fixes (with --fix or --diff)"
    )
    check.add_argument(
        "--diff", action="store_true", help="print the fixes as a diff; write nothing"
    )
    check.add_argument(
        "--output-format",
        choices=_formats(),
        default=None,
        help="how findings are printed (default: full)",
    )
    check.add_argument("-o", "--output-file", type=Path, help="write the findings to this file")
    check.add_argument(
        "--select",
        type=_rule_list,
        default=[],
        help="only these rules (names, codes or code prefixes)",
    )
    check.add_argument(
        "--extend-select", type=_rule_list, default=[], help="these rules in addition"
    )
    check.add_argument("--ignore", type=_rule_list, default=[], help="not these rules")
    check.add_argument(
        "--statistics", action="store_true", help="count findings per rule instead of listing them"
    )
    check.add_argument(
        "--exit-zero", action="store_true", help="exit 0 even when findings are left"
    )
    check.add_argument(
        "--exit-non-zero-on-fix", action="store_true", help="exit 1 when anything was fixed"
    )
    check.add_argument(
        "--config",
        type=Path,
        help="the configuration file (default: .vaultlint.yaml at the vault root)",
    )
    check.add_argument(
        "--force-exclude",
        action="store_true",
        help="apply excludes to paths named on the command line",
    )
    check.add_argument("--no-cache", action="store_true", help="do not read or write the cache")
    check.add_argument(
        "--cache-dir",
        type=Path,
        help="where the cache is kept (default: .vaultlint_cache at the vault root)",
    )
    check.add_argument(
        "-j",
        "--jobs",
        type=_jobs,
        default=0,
        help="processes that parse and check notes (default: one per CPU; 1: no workers)",
    )
    check.add_argument("-q", "--quiet", action="store_true", help="print findings only, no summary")
    check.add_argument(
        "-v", "--verbose", action="store_true", help="timings, and tracebacks on internal errors"
    )
    check.add_argument(
        "--ignore-suppressions",
        action="store_true",
        help="report what suppression comments silence (for audits)",
    )
    check.set_defaults(func=run_check)

    rule = commands.add_parser("rule", help="explain a rule, or list them all")
    rule.add_argument("name", nargs="?", help="a rule name or code")
    rule.add_argument("--all", action="store_true", help="list every rule")
    rule.add_argument("-v", "--verbose", action="store_true", help=argparse.SUPPRESS)
    rule.set_defaults(func=run_rule)

    init = commands.add_parser("init", help="write a commented .vaultlint.yaml in the vault")
    init.add_argument(
        "folder", nargs="?", type=Path, default=Path("."), help="the vault (default: .)"
    )
    init.add_argument("--force", action="store_true", help="overwrite existing files")
    init.add_argument(
        "--schemas", action="store_true", help="copy the shipped schemas to .vaultlint/schemas/"
    )
    init.add_argument("-v", "--verbose", action="store_true", help=argparse.SUPPRESS)
    init.set_defaults(func=run_init)

    clean = commands.add_parser("clean", help="remove the cache of a vault")
    clean.add_argument(
        "folder", nargs="?", type=Path, default=Path("."), help="a folder in the vault (default: .)"
    )
    clean.add_argument("--cache-dir", type=Path, help="the cache folder, when not the default")
    clean.add_argument("-v", "--verbose", action="store_true", help=argparse.SUPPRESS)
    clean.set_defaults(func=run_clean)

    _add_report_parser(commands)

    config = commands.add_parser("config", help="print the effective configuration for a path")
    config.add_argument("path", nargs="?", type=Path, default=Path("."), help="a note or folder")
    config.add_argument("--config", type=Path, help="the configuration file")
    config.add_argument("-v", "--verbose", action="store_true", help=argparse.SUPPRESS)
    config.set_defaults(func=run_config)
    return parser


def _add_report_parser(commands: Any) -> None:
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
    report.add_argument("-o", "--output-file", type=Path, help="write the report to this file")
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
    report.add_argument("-v", "--verbose", action="store_true", help="timings, tracebacks")
    report.set_defaults(func=run_report)


def _formats() -> tuple[str, ...]:
    from vaultlint.output import FORMATS

    return FORMATS


def _jobs(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"expected a number of processes >= 1, got {value!r}")
    return int(value)


def _rule_list(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or (args[0] not in COMMANDS and args[0] not in ("-h", "--help", "--version")):
        args.insert(0, "check")
    verbose = "-v" in args or "--verbose" in args
    # A vault's parsed notes are millions of long-lived objects without cycles: the
    # cyclic collector only walked them again and again (35 % of a 10k-note check
    # with its default thresholds, 7 % of a 30k one with raised ones, more the larger
    # the vault). With it off, peak memory of check, --fix and report is unchanged.
    collecting = gc.isenabled()
    gc.disable()
    try:
        ns = build_parser().parse_args(args)
        result: int = ns.func(ns)
        return result
    except SystemExit as exc:  # --help and --version
        return int(exc.code or 0)
    except KeyboardInterrupt:
        print("vaultlint: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader went away (``vaultlint | head``)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_FINDINGS
    except Exception as exc:
        return _report_error(exc, verbose)
    finally:
        if collecting:
            gc.enable()


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
    os._exit(code)


def _report_error(exc: Exception, verbose: bool) -> int:
    from vaultlint.config import ConfigError
    from vaultlint.engine import SelectionError
    from vaultlint.schema import SchemaError
    from vaultlint.vault import VaultError

    if isinstance(exc, (UsageError, ConfigError, SchemaError, SelectionError, VaultError)):
        print(f"vaultlint: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    if verbose:
        traceback.print_exc()
    print(
        f"vaultlint: internal error: {type(exc).__name__}: {exc} "
        "(run with -v for a traceback, and please report it)",
        file=sys.stderr,
    )
    return EXIT_ERROR


# --- check -----------------------------------------------------------------------


@dataclass
class CheckRun:
    results: list[NoteResult] = field(default_factory=list)  # sorted by path at the end
    fixed: Counter[str] = field(default_factory=Counter)
    diffs: list[str] = field(default_factory=list)
    root: Path = Path(".")
    checked: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # notes left unfixed by an internal error
    text_format: str | None = None  # the text format each result's text is in, if any

    def findings(self) -> list[Finding]:
        return [f for result in self.results for f in result.findings()]

    def total(self, column: int) -> int:
        """A sum over the results' counts (0 findings, 1 safe fixes, 2 unsafe, 3 failing)."""
        return sum(result.counts[column] for result in self.results)


def run_check(ns: argparse.Namespace) -> int:
    from vaultlint.engine import Engine
    from vaultlint.pipeline import Checker, cache_worth_loading, default_jobs

    started = time.perf_counter()
    paths: list[Path] = ns.paths or [Path(".")]
    root, config, schemas, index = open_vault(paths, ns.config)
    targets = _targets(root, paths, index.notes, config.is_excluded, ns.force_exclude)
    engine = Engine(
        config,
        index,
        select=ns.select,
        extend_select=ns.extend_select,
        ignore=ns.ignore,
        schemas=schemas,
        ignore_suppressions=ns.ignore_suppressions,
    )
    cache = None
    if not ns.no_cache and not ns.diff and cache_worth_loading(len(targets), len(index.notes)):
        cache = _open_cache(ns, root, config, schemas)
    checker = Checker(engine, index, cache, ns.jobs or default_jobs())
    if not ns.statistics:
        checker.render, checker.text_key = _text_format(ns)
    run = _check_targets(ns, root, checker, targets)
    run.text_format = checker.text_key
    if cache is not None:
        cache.forget(index.files)
        cache.save()
    run.root, run.checked = root, targets
    run.results.sort(key=_result_path)
    if ns.verbose:
        elapsed = time.perf_counter() - started
        print(
            f"vaultlint: {len(targets)} notes checked in {elapsed:.2f} s, "
            f"{checker.parsed} parsed, {len(targets) - checker.parsed} from the cache "
            f"(vault root {root})",
            file=sys.stderr,
        )
    return _finish(ns, run)


def _result_path(result: NoteResult) -> str:
    return result.path


def _text_format(ns: argparse.Namespace) -> tuple[Any, str | None]:
    """How to render one note's findings in the run's text format, and its key:
    (None, None) for the other formats."""
    from vaultlint.output.text import text_renderer, wants_color

    fmt = ns.output_format or _default_format()
    color = wants_color(sys.stdout if ns.output_file is None else None)
    render = text_renderer(fmt, color)
    return render, None if render is None else f"{fmt}{'+color' if color else ''}"


def open_vault(paths: Sequence[Path], config_file: Path | None) -> tuple[Path, Any, Any, Any]:
    """The vault holding ``paths``: its root, configuration, schemas and index of files."""
    from vaultlint.config import load_config
    from vaultlint.schema import load_schemas
    from vaultlint.vault import VaultIndex, find_root, scan

    for path in paths:
        if not path.exists():
            raise UsageError(f"{path}: no such file or folder")
    root = find_root(paths[0])
    config = load_config(root, config_file)
    schemas = load_schemas(root, config.schemas)
    max_bytes = int(config.rules["file-too-large"].options["max-bytes"])
    return root, config, schemas, VaultIndex(root, scan(root), max_bytes)


def _targets(
    root: Path, paths: Sequence[Path], notes: Sequence[str], excluded: Any, force_exclude: bool
) -> list[str]:
    from vaultlint.vault import vault_path

    known = set(notes)
    chosen: dict[str, None] = {}
    for path in paths:
        rel = vault_path(root, path)
        if rel is None:
            raise UsageError(f"{path}: outside the vault at {root}")
        if path.is_dir():
            prefix = "" if rel == "" else rel + "/"
            for note in notes:
                if note.startswith(prefix) and not excluded(note):
                    chosen[note] = None
        elif rel in known and not (force_exclude and excluded(rel)):
            chosen[rel] = None  # hidden and non-note files are not the vault's notes
    return list(chosen)


def _open_cache(ns: argparse.Namespace, root: Path, config: Any, schemas: Any) -> Any:
    from vaultlint.cache import CACHE_DIR, Cache, settings_key

    key = settings_key(
        config.digest(),
        schemas,
        ns.select,
        ns.extend_select,
        ns.ignore,
        ns.ignore_suppressions,
    )
    cache = Cache(ns.cache_dir or root / CACHE_DIR, key)
    cache.load()
    return cache


def _check_targets(
    ns: argparse.Namespace, root: Path, checker: Any, targets: list[str]
) -> CheckRun:
    run = CheckRun()
    if ns.fix or ns.diff:
        _fix_targets(ns, root, checker, targets, run)
    else:
        run.results = checker.check(targets)
    return run


def _fix_targets(
    ns: argparse.Namespace, root: Path, checker: Any, targets: list[str], run: CheckRun
) -> None:
    from vaultlint.fixer import FixError, applicable, encode, fix_note, write_note
    from vaultlint.vault import decode

    index, engine = checker.index, checker.engine
    progress = _Progress(len(targets))
    for path in targets:
        progress.advance()
        cached = checker.cached(path, with_findings=True)
        if cached is not None and not any(
            applicable(f, ns.unsafe_fixes) for f in cached.findings()
        ):
            run.results.append(cached)
            continue
        source, note, findings = checker.check_one(path)
        if note is None:
            checker.record(source, None, _add(run, checker.result(path, findings)))
            continue
        try:
            outcome = fix_note(note, engine.check, unsafe=ns.unsafe_fixes)
        except FixError as exc:  # a bug in a rule's fix: skip the note, fix the others
            run.errors.append(str(exc))
            _add(run, checker.result(path, findings))
            continue
        if not outcome.changed:
            checker.record(source, note, _add(run, checker.result(path, outcome.findings)))
            continue
        data = encode(outcome.note.text, note.bom)
        if ns.diff:
            _add(run, checker.result(path, outcome.findings))
            run.fixed.update(outcome.fixed)
            run.diffs.append(_unified_diff(path, note.text, outcome.note.text))
            continue
        problem = write_note(root, path, source.data, data)
        if problem is not None:
            print(f"vaultlint: warning: {path}: {problem}", file=sys.stderr)
            findings = engine.check(note)
            checker.record(source, note, _add(run, checker.result(path, findings)))
            continue
        result = _add(run, checker.result(path, outcome.findings))
        run.fixed.update(outcome.fixed)
        written = decode(path, data)  # no stat: a file just written is read again next time
        index.replace(outcome.note, written)
        checker.record(written, outcome.note, result)
        if not ns.quiet:
            print(f"Fixing {path}", file=sys.stderr)
    progress.close()


def _add(run: CheckRun, result: NoteResult) -> NoteResult:
    run.results.append(result)
    return result


def _unified_diff(path: str, old: str, new: str) -> str:
    lines = difflib.unified_diff(
        old.splitlines(keepends=True), new.splitlines(keepends=True), f"a/{path}", f"b/{path}"
    )
    return "".join(
        line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines
    )


def _finish(ns: argparse.Namespace, run: CheckRun) -> int:
    code = _finish_findings(ns, run)
    for error in run.errors:
        print(
            f"vaultlint: internal error: {error}; the note was left unchanged (please report it)",
            file=sys.stderr,
        )
    return EXIT_ERROR if run.errors else code


def _finish_findings(ns: argparse.Namespace, run: CheckRun) -> int:
    fixed = sum(run.fixed.values())
    if ns.diff:
        sys.stdout.write("".join(run.diffs))
        if fixed:
            print(f"Would fix {fixed} problem{'s' if fixed != 1 else ''}.", file=sys.stderr)
        return EXIT_FINDINGS if run.diffs and not ns.exit_zero else EXIT_OK
    _emit(ns, run)
    if ns.exit_zero:
        return EXIT_OK
    failing = run.total(3) > 0
    if failing or (ns.exit_non_zero_on_fix and fixed):
        return EXIT_FINDINGS
    return EXIT_OK


def open_output(path: Path | None) -> TextIO:
    """``path`` opened for writing (stdout when None); a one-line error if it cannot be."""
    if path is None:
        return sys.stdout
    try:
        return path.open("w", encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"{path}: cannot write: {exc.strerror or exc}") from None


def _emit(ns: argparse.Namespace, run: CheckRun) -> None:
    from vaultlint.output import OutputContext, renderer
    from vaultlint.output.text import write_texts

    fmt = ns.output_format or _default_format()
    out = open_output(ns.output_file)
    try:
        if ns.statistics:
            _statistics(run.findings(), out)
        elif run.text_format is not None:  # each result holds its text (Checker.render)
            write_texts(fmt, (r.text or b"" for r in run.results if r.counts[0]), out)
        else:
            renderer(fmt)(run.findings(), out, OutputContext(run.root, run.checked))
    finally:
        if out is not sys.stdout:
            out.close()
    if not ns.quiet and fmt in ("full", "concise"):
        print(
            _summary(run, ns),
            file=sys.stderr if ns.output_file is None and ns.statistics else sys.stdout,
        )


def _default_format() -> str:
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "full"


def _summary(run: CheckRun, ns: argparse.Namespace) -> str:
    left = run.total(0)
    fixed = sum(run.fixed.values())
    if not left and not fixed:
        return "All checks passed!"
    noun = "problem" if left + fixed == 1 else "problems"
    if ns.fix:
        text = f"Found {left + fixed} {noun} ({fixed} fixed, {left} remaining)."
    else:
        fixable = run.total(1)
        text = f"Found {left} {noun}" + (f" ({fixable} fixable with --fix)." if fixable else ".")
    hidden_unsafe = run.total(2)
    if hidden_unsafe and not ns.unsafe_fixes:
        text += f" {hidden_unsafe} more fixable with --fix --unsafe-fixes."
    return text


def _statistics(findings: Sequence[Finding], out: TextIO) -> None:
    counts = Counter((f.code, f.rule) for f in findings)
    fixable = Counter((f.code, f.rule) for f in findings if f.fixable)
    for (code, rule), count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        mark = "[*]" if fixable[(code, rule)] else "   "
        out.write(f"{count:>6}  {code}  {mark} {rule}\n")


class _Progress:
    """A progress bar on stderr, shown only on a terminal once a run takes > 1 s."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.done = 0
        self.started = time.perf_counter()
        self.bar: Any = None
        self.task: Any = None
        self.enabled = sys.stderr.isatty() and not os.environ.get("CI")

    def advance(self) -> None:
        self.done += 1
        if not self.enabled:
            return
        if self.bar is None and time.perf_counter() - self.started > 1.0:
            from rich.progress import Progress

            self.bar = Progress(transient=True)
            self.bar.start()
            self.task = self.bar.add_task("Checking notes", total=self.total, completed=self.done)
        elif self.bar is not None:
            self.bar.update(self.task, completed=self.done)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()


# --- report ----------------------------------------------------------------------------


def run_report(ns: argparse.Namespace) -> int:
    from vaultlint.report.command import run

    paths: list[Path] = ns.paths or [Path(".")]
    root, config, schemas, index = open_vault(paths, ns.config)

    def select(notes: Sequence[str]) -> list[str]:
        return _targets(root, paths, notes, config.is_excluded, False)

    return run(ns, root, config, schemas, index, select)


# --- rule ------------------------------------------------------------------------------


def run_rule(ns: argparse.Namespace) -> int:
    from vaultlint.rules import ALL_RULES, get_rule

    if ns.all:
        _rule_table(ALL_RULES, sys.stdout)
        return EXIT_OK
    if not ns.name:
        raise UsageError("rule: give a rule name or code, or --all")
    rule = get_rule(ns.name)
    if rule is None:
        raise UsageError(f"rule: unknown rule {ns.name!r} (see `vaultlint rule --all`)")
    sys.stdout.write(explain(rule))
    return EXIT_OK


def _rule_table(rules: Sequence[Any], out: TextIO) -> None:
    from rich.table import Table

    from vaultlint.output.text import make_console

    table = Table(box=None, pad_edge=False)
    for column in ("code", "name", "severity", "fix", "default", "summary"):
        table.add_column(column)
    for rule in rules:
        table.add_row(
            rule.code,
            rule.name,
            rule.severity.value,
            "yes" if rule.fixable else "",
            "on" if rule.enabled else "off",
            rule.summary,
        )
    make_console(out).print(table)


def explain(rule: Any) -> str:
    """A rule's documentation: what ``vaultlint rule NAME`` prints."""
    lines = [
        f"{rule.name} ({rule.code})",
        "",
        rule.summary,
        "",
        rule.description(),
        "",
        f"Severity: {rule.severity.value}. Enabled by default: {'yes' if rule.enabled else 'no'}. "
        f"Fix: {'yes' if rule.fixable else 'no'}.",
    ]
    if rule.options:
        lines += ["", "Options (with defaults):"]
        lines += [f"  {key}: {value!r}" for key, value in rule.options.items()]
    for n, example in enumerate(rule.examples, 1):
        title = f" - {example.title}" if example.title else ""
        lines += ["", f"Example {n}{title}", "", "  Bad:"]
        lines += [f"    {line}" for line in example.bad.splitlines()]
        lines += ["  Good:"]
        lines += [f"    {line}" for line in example.good.splitlines()]
        if example.fixed is not None:
            how = "--fix --unsafe-fixes" if example.unsafe else "--fix"
            lines += [f"  After {how}:"]
            lines += [f"    {line}" for line in example.fixed.splitlines()]
    return "\n".join(lines) + "\n"


# --- init and config -----------------------------------------------------------------

PRE_COMMIT_SNIPPET = """\
repos:
  - repo: https://github.com/vaultlint/vaultlint
    rev: v0.1.0
    hooks:
      - id: vaultlint-fix
"""


def run_init(ns: argparse.Namespace) -> int:
    from importlib import resources

    from vaultlint.config import CONFIG_NAME, init_text
    from vaultlint.rules import ALL_RULES
    from vaultlint.schema import SHIPPED_SCHEMAS

    folder: Path = ns.folder
    if not folder.is_dir():
        raise UsageError(f"{folder}: no such folder")
    target = folder / CONFIG_NAME
    schema_dir = Path(".vaultlint") / "schemas"
    copies = [(schema_dir / f"{name}.yaml", name) for name in SHIPPED_SCHEMAS] if ns.schemas else []
    for path in [target, *(folder / rel for rel, _ in copies)]:
        if path.exists() and not ns.force:
            raise UsageError(f"{path}: already exists (use --force to overwrite it)")
    schemas = [f"{schema_dir.as_posix()}/*.yaml"] if copies else []
    written = []
    try:
        for rel, name in copies:
            text = resources.files("vaultlint.shipped").joinpath(f"{name}.yaml").read_text("utf-8")
            (folder / rel).parent.mkdir(parents=True, exist_ok=True)
            (folder / rel).write_text(text, encoding="utf-8")
            written.append(rel.as_posix())
        target.write_text(init_text(ALL_RULES, schemas), encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"{folder}: cannot write: {exc.strerror or exc}") from None
    print(f"Wrote {CONFIG_NAME}" + "".join(f", {path}" for path in written) + ".")
    print("To run vaultlint before each commit, add to .pre-commit-config.yaml:\n")
    sys.stdout.write(PRE_COMMIT_SNIPPET)
    return EXIT_OK


def run_config(ns: argparse.Namespace) -> int:
    from vaultlint.config import load_config, render_config
    from vaultlint.vault import find_root, vault_path

    path: Path = ns.path
    if not path.exists():
        raise UsageError(f"{path}: no such file or folder")
    root = find_root(path)
    config = load_config(root, ns.config)
    rel = vault_path(root, path)
    if rel is None:
        raise UsageError(f"{path}: outside the vault at {root}")
    sys.stdout.write(render_config(config, rel if path.is_file() else None))
    return EXIT_OK


def run_clean(ns: argparse.Namespace) -> int:
    from vaultlint.cache import CACHE_DIR, NotACache, clean
    from vaultlint.vault import find_root

    if not ns.folder.is_dir():
        raise UsageError(f"{ns.folder}: no such folder")
    folder = ns.cache_dir or find_root(ns.folder) / CACHE_DIR
    try:
        removed = clean(folder)
    except NotACache as exc:
        raise UsageError(str(exc)) from None
    except OSError as exc:
        raise UsageError(f"{folder}: cannot remove: {exc.strerror or exc}") from None
    print(f"Removed {folder}" if removed else f"No cache at {folder}")
    return EXIT_OK


if __name__ == "__main__":
    raise SystemExit(main())
