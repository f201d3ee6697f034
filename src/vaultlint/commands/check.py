"""``vaultlint check``: check notes, fix them (``--fix``) or show the fixes (``--diff``)."""

from __future__ import annotations

import argparse
import contextlib
import os
import shlex
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from vaultlint.commands.common import TerminalListener, check_output, default_format, output_to
from vaultlint.errors import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, UsageError
from vaultlint.printable import printable

if TYPE_CHECKING:
    from vaultlint.model import Finding
    from vaultlint.pipeline import CheckRun
    from vaultlint.watch import WatchRun
    from vaultlint.workspace import TextFormat, Workspace

HELP = "check notes (the default command)"


def add_parser(commands: Any) -> None:
    check = commands.add_parser("check", help=HELP)
    check.add_argument(
        "paths", nargs="*", type=Path, metavar="PATH", help="notes or folders (default: .)"
    )
    check.add_argument(
        "--stdin-filename",
        type=Path,
        metavar="PATH",
        help="with PATH -: the note the text on stdin is checked as (links resolved in its vault)",
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
    add_output_options(check, "the findings")
    check.add_argument(
        "--select",
        type=_rule_list,
        action="extend",
        default=[],
        help="only these rules (names, codes or code prefixes)",
    )
    check.add_argument(
        "--extend-select",
        type=_rule_list,
        action="extend",
        default=[],
        help="these rules in addition",
    )
    check.add_argument(
        "--ignore", type=_rule_list, action="extend", default=[], help="not these rules"
    )
    check.add_argument(
        "--watch",
        action="store_true",
        help="check again as files change, printing what changed (Ctrl-C stops)",
    )
    check.add_argument(
        "--statistics", action="store_true", help="count findings per rule instead of listing them"
    )
    check.add_argument(
        "--strict",
        action="store_true",
        help="warnings fail the run too (default: only errors do; config: strict: true)",
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
    add_cache_options(check)
    check.add_argument("-q", "--quiet", action="store_true", help="print findings only, no summary")
    check.add_argument(
        "-v", "--verbose", action="store_true", help="timings, and tracebacks on internal errors"
    )
    check.add_argument(
        "--staged",
        action="store_true",
        help="also the notes linking to what the staged commit renames or deletes "
        "(on by itself under pre-commit); no PATH: the staged notes",
    )
    check.add_argument(
        "--ignore-suppressions",
        action="store_true",
        help="report what suppression comments silence (for audits)",
    )
    _add_baseline_options(check)
    check.set_defaults(func=run)


def _add_baseline_options(parser: Any) -> None:
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        "--baseline-write",
        dest="baseline",
        action="store_const",
        const="write",
        default="use",
        help="record the findings in .vaultlint-baseline.json; later runs report only new ones",
    )
    group.add_argument(
        "--baseline-prune",
        dest="baseline",
        action="store_const",
        const="prune",
        help="drop from the baseline the findings that no longer occur",
    )
    group.add_argument(
        "--no-baseline",
        dest="baseline",
        action="store_const",
        const="off",
        help="report every finding, those in the baseline too",
    )


def add_output_options(parser: Any, what: str) -> None:
    """``-o`` and ``--force``: shared by check and report."""
    parser.add_argument("-o", "--output-file", type=Path, help=f"write {what} to this file")
    parser.add_argument(
        "--force",
        action="store_true",
        help="let -o replace a file of the vault that vaultlint did not write",
    )


def add_cache_options(parser: Any) -> None:
    """``--no-cache``, ``--cache-dir`` and ``-j``: shared by check and report."""
    parser.add_argument("--no-cache", action="store_true", help="do not read or write the cache")
    parser.add_argument(
        "--cache-dir",
        type=Path,
        help="where the cache is kept (default: .vaultlint_cache at the vault root)",
    )
    parser.add_argument(
        "-j",
        "--jobs",
        type=_jobs,
        default=0,
        help="processes that parse and check notes (default: one per CPU; 1: no workers)",
    )


def _formats() -> tuple[str, ...]:
    from vaultlint.output import FORMATS

    return FORMATS


def _jobs(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"expected a number of processes >= 1, got {value!r}")
    return int(value)


def _rule_list(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


def run(ns: argparse.Namespace) -> int:
    from vaultlint.workspace import CheckOptions, RuleSelection, Workspace

    started = time.perf_counter()
    paths: list[Path] = ns.paths or [Path(".")]
    if Path("-") in paths:
        return _run_stdin(ns)
    workspace = Workspace.open(paths, ns.config)
    for message in workspace.config.warnings:
        print(f"vaultlint: warning: {printable(message)}", file=sys.stderr)
    if ns.watch:
        return _run_watch(ns, workspace, paths)
    check_output(ns.output_file, workspace.root, ns.cache_dir, ns.force)
    staged = ns.staged or os.environ.get("PRE_COMMIT") == "1"
    named = bool(ns.paths) or not staged
    targets = workspace.targets(paths, ns.force_exclude) if named else []
    if staged:
        targets = _with_staged(ns, workspace, targets)
    strict = ns.strict or workspace.config.strict
    options = CheckOptions(
        fix=ns.fix,
        unsafe=ns.unsafe_fixes,
        diff=ns.diff,
        rules=RuleSelection(
            tuple(ns.select), tuple(ns.extend_select), tuple(ns.ignore), ns.ignore_suppressions
        ),
        cache=not ns.no_cache,
        cache_dir=ns.cache_dir,
        jobs=ns.jobs,
        text=None if ns.statistics else _text_format(ns, workspace.root, strict),
        baseline=ns.baseline,
    )
    if ns.diff and ns.baseline in ("write", "prune"):
        raise UsageError(f"--baseline-{ns.baseline} writes the baseline; --diff writes nothing")
    if not targets and named:
        from vaultlint.vault import escaped_path

        where = ", ".join(printable(escaped_path(str(p))) for p in paths)
        print(f"vaultlint: warning: no notes found under {where}", file=sys.stderr)
    from vaultlint.output.text import path_display

    listener = TerminalListener(ns.quiet, path_display(workspace.root)[1])
    from vaultlint.commands.progress import waiting

    if ns.fix or ns.diff:  # the listener shows a bar, note by note
        run = workspace.run_check(targets, options, listener)
    else:
        with waiting(f"Checking {_count(len(targets), 'note')}"):
            run = workspace.run_check(targets, options, listener)
    if ns.verbose:
        elapsed = time.perf_counter() - started
        print(
            f"vaultlint: {_checked(targets)} checked in {elapsed:.2f} s, "
            f"{run.parsed} parsed, {len(targets) - run.parsed} from the cache "
            f"(vault root {workspace.root})",
            file=sys.stderr,
        )
    if strict and not targets and named and not ns.exit_zero:
        _finish(ns, run, strict, workspace.root)
        return EXIT_FINDINGS  # a CI job pointed at the wrong folder must not pass
    return _finish(ns, run, strict, workspace.root)


def _with_staged(ns: argparse.Namespace, workspace: Workspace, targets: list[str]) -> list[str]:
    """``targets`` with the notes linking to what the staged commit renames or deletes
    (and, when no PATH was named, the staged notes); the links to renamed files are
    rewritten first with ``--fix --unsafe-fixes``, or ``--fix`` and
    ``fix-renamed-links: true``."""
    from vaultlint.move import write_rewrites

    found = workspace.staged()
    if found is None:
        return targets
    changes, backlinks = found
    root = workspace.root
    chosen = dict.fromkeys(targets)
    if not ns.paths:
        staged = [root / p for p in changes.changed if (root / p).is_file()]
        if staged:  # none: not the whole vault
            chosen.update(dict.fromkeys(workspace.targets(staged, ns.force_exclude)))
    plan = backlinks.plan
    if plan.rewrites and ns.fix and (ns.unsafe_fixes or workspace.config.fix_renamed_links):
        written = write_rewrites(root, plan)
        workspace.refresh(written)
        _say_rewritten(root, plan.links, written)
    else:
        for rewrite in plan.rewrites:
            print(
                f"vaultlint: warning: {printable(rewrite.path)}: {_count(rewrite.links, 'link')} "
                "to files renamed in this commit; --fix --unsafe-fixes (or fix-renamed-links: "
                "true and --fix) rewrites them",
                file=sys.stderr,
            )
    for message in plan.warnings + [m for ms in backlinks.broken.values() for m in ms]:
        print(f"vaultlint: warning: {printable(message)}", file=sys.stderr)
    excluded = workspace.config.is_excluded
    chosen.update((path, None) for path in backlinks.notes if not excluded(path))
    return list(chosen)


def _say_rewritten(root: Path, links: int, written: list[str]) -> None:
    """Name the notes the hook rewrote: like every pre-commit hook it leaves them
    unstaged (pre-commit fails the run on modified files), to be looked at and added."""
    if not written:
        return
    print(
        f"vaultlint: rewrote {_count(links, 'link')} to files renamed in this commit in "
        f"{_count(len(written), 'note')}, not staged; review them, then stage them:",
        file=sys.stderr,
    )
    shown = [shlex.quote(os.path.relpath(root / path)) for path in written]
    print(printable("  git add -- " + " ".join(shown)), file=sys.stderr)


def _run_watch(ns: argparse.Namespace, workspace: Workspace, paths: list[Path]) -> int:
    """``check --watch``: a first check, then after each change of the vault the
    findings that appeared and those that went away; Ctrl-C exits 0."""
    from vaultlint.errors import UsageError
    from vaultlint.output.text import color_wanted, isatty, text_renderer
    from vaultlint.watch import watch_checks
    from vaultlint.workspace import CheckOptions, RuleSelection

    for flag, used in (
        ("--fix", ns.fix),
        ("--diff", ns.diff),
        ("-o", ns.output_file is not None),
        ("--statistics", ns.statistics),
    ):
        if used:
            raise UsageError(f"--watch: not with {flag}")
    fmt = ns.output_format or default_format()
    render = text_renderer(fmt, fmt == "full" and color_wanted(sys.stdout))
    if render is None:
        raise UsageError(f"--watch: the output format is full or concise, not {fmt}")
    options = CheckOptions(
        rules=RuleSelection(
            tuple(ns.select), tuple(ns.extend_select), tuple(ns.ignore), ns.ignore_suppressions
        ),
        cache=not ns.no_cache,
        cache_dir=ns.cache_dir,
        jobs=ns.jobs,
    )
    clear = isatty(sys.stdout)
    try:
        for done in watch_checks(workspace, paths, options, ns.force_exclude):
            if clear:
                sys.stdout.write("\x1b[2J\x1b[H")
            if done.new:
                sys.stdout.write(render(done.new))
            if not ns.quiet:
                for finding in done.gone:
                    where = printable(f"{finding.path}:{finding.line}:{finding.column}")
                    print(f"gone: {where}: {finding.code} {finding.rule}")
                print(_watch_summary(done))
            sys.stdout.flush()
    except KeyboardInterrupt:
        pass
    return EXIT_OK


def _watch_summary(done: WatchRun) -> str:
    stamp = time.strftime("%H:%M:%S")
    if done.first:
        head = f"[{stamp}] {_count(len(done.checked), 'note')} checked"
    else:
        changed = ", ".join(printable(p) for p in done.changed[:3])
        more = f" and {len(done.changed) - 3} more" if len(done.changed) > 3 else ""
        head = f"[{stamp}] {changed}{more} changed: {_count(len(done.checked), 'note')} checked"
    return (
        f"{head}, {len(done.new)} new, {len(done.gone)} gone; "
        f"{_problems(done.total)} in {_count(done.notes, 'note')}. Watching for changes..."
    )


def _run_stdin(ns: argparse.Namespace) -> int:
    """``check -``: the text on stdin checked as the note ``--stdin-filename``; with
    ``--fix`` the fixed text goes to stdout (the findings left to stderr), with
    ``--diff`` the diff; nothing is written to the vault."""
    from vaultlint.cache import NoteResult, count
    from vaultlint.errors import UsageError
    from vaultlint.fixer import encode, git_diff
    from vaultlint.pipeline import CheckRun
    from vaultlint.workspace import RuleSelection, Workspace

    if ns.paths != [Path("-")]:
        raise UsageError("-: stdin is checked alone, without other paths")
    if ns.watch:
        raise UsageError("--watch: not with -")
    if ns.stdin_filename is None:
        raise UsageError("-: name the note the text is with --stdin-filename PATH")
    if ns.output_file is not None and (ns.fix or ns.diff):
        raise UsageError("-o: with - and --fix or --diff the text goes to stdout")
    named: Path = ns.stdin_filename
    workspace = Workspace(_root_for(named), ns.config)
    path = workspace.vault_path(named)
    if not path or (ns.force_exclude and workspace.config.is_excluded(path)):
        data = sys.stdin.buffer.read()
        if ns.fix:
            sys.stdout.buffer.write(data)
        return EXIT_OK
    rules = RuleSelection(
        tuple(ns.select), tuple(ns.extend_select), tuple(ns.ignore), ns.ignore_suppressions
    )
    workspace.engine(rules)  # an unknown rule is an error before stdin is read
    data = sys.stdin.buffer.read()
    text, bom, findings = workspace.source_findings(path, data)
    run = CheckRun(root=workspace.root, checked=[path])
    output = data
    if text is not None:
        if ns.fix or ns.diff:
            fixed = workspace.fix_text(path, text, unsafe=ns.unsafe_fixes, rules=rules)
            run.found = len(workspace.check_text(path, text, rules))
            run.fixed.update(fixed.fixed)
            findings = fixed.remaining
            if fixed.text != text:
                output = encode(fixed.text, bom)
                run.diffs.append(git_diff(path, text, fixed.text, bom=bom))
                run.written.append(path)
        else:
            findings = workspace.check_text(path, text, rules)
    run.results = [NoteResult(path, None, count(findings), live=findings)]
    if ns.diff:
        return _finish(ns, run, ns.strict or workspace.config.strict, workspace.root)
    if ns.fix:
        sys.stdout.buffer.write(output)
        sys.stdout.flush()
        with contextlib.redirect_stdout(sys.stderr):
            return _finish(ns, run, ns.strict or workspace.config.strict, workspace.root)
    return _finish(ns, run, ns.strict or workspace.config.strict, workspace.root)


def _root_for(named: Path) -> Path:
    """The vault root for a note that may not exist yet: that of its nearest folder."""
    from vaultlint.vault import find_root

    folder = Path(os.path.abspath(named)).parent
    while not folder.is_dir() and folder != folder.parent:
        folder = folder.parent
    return find_root(folder)


def _text_format(ns: argparse.Namespace, root: Path, strict: bool) -> TextFormat | None:
    """How to render one note's findings in the run's format, when it renders notes
    one by one (paths from the current folder)."""
    from vaultlint.output import note_renderer
    from vaultlint.output.text import color_wanted
    from vaultlint.workspace import TextFormat

    fmt = ns.output_format or default_format()
    if fmt == "sarif" and (ns.fix or ns.diff):
        return None  # its fingerprints read the notes as they are on disk, once written
    # concise is never coloured: its cached text serves coloured and plain runs alike
    color = fmt == "full" and color_wanted(sys.stdout if ns.output_file is None else None)
    chosen = note_renderer(fmt, color, root, strict)
    return None if chosen is None else TextFormat(chosen.render, chosen.key, chosen.render_note)


def _finish(ns: argparse.Namespace, run: CheckRun, strict: bool, root: Path) -> int:
    code = _finish_findings(ns, run, strict, root)
    for error in run.errors:
        print(
            f"vaultlint: internal error: {printable(str(error))}; "
            "the note was left unchanged (please report it)",
            file=sys.stderr,
        )
    return EXIT_ERROR if run.errors else code


def _finish_findings(ns: argparse.Namespace, run: CheckRun, strict: bool, root: Path) -> int:
    if ns.diff:
        sys.stdout.write("".join(run.diffs))
        if run.diffs:
            text = f"Would fix {_problems(run.fixed_findings())}." + _hidden_unsafe(run, ns)
            print(text, file=sys.stderr)
        return EXIT_FINDINGS if run.diffs and not ns.exit_zero else EXIT_OK
    _emit(ns, run, root, strict)
    if ns.exit_zero:
        return EXIT_OK
    failing = run.total(3) > 0 or (strict and run.total(4) > 0)
    if failing or (ns.exit_non_zero_on_fix and run.written):
        return EXIT_FINDINGS
    return EXIT_OK


def _emit(ns: argparse.Namespace, run: CheckRun, root: Path, strict: bool) -> None:
    from vaultlint.output import OutputContext, renderer, write_cases, write_notes

    fmt = ns.output_format or default_format()
    with output_to(ns.output_file, root, ns.cache_dir) as out:
        if ns.statistics:
            _statistics(run.findings(), out, as_json=fmt == "json")
        elif run.text_format is not None and fmt == "junit":
            write_cases(_cases(run, root, strict), out)
        elif run.text_format is not None:  # each result holds its text
            write_notes(fmt, (r.text or b"" for r in run.results if r.counts[0]), out)
        else:
            renderer(fmt)(run.findings(), out, OutputContext(run.root, run.checked, strict))
    if not ns.quiet and fmt in ("full", "concise"):
        print(
            _summary(run, ns),
            file=sys.stderr if ns.output_file is None and ns.statistics else sys.stdout,
        )


def _cases(run: CheckRun, root: Path, strict: bool) -> list[tuple[str, str, bytes | None, bool]]:
    """JUnit's test cases: each checked note's, then those of other files with findings
    (attachments), as ``junit.render`` orders them."""
    from vaultlint.output.context import repo_paths
    from vaultlint.output.junit import note_text

    show = repo_paths(root)[1]
    results = {r.path: r for r in run.results}
    order = dict.fromkeys([*run.checked, *(r.path for r in run.results if r.counts[0])])
    cases = []
    for path in order:
        result = results.get(path)
        counts = (0, 0, 0, 0, 0) if result is None else result.counts
        failing = counts[3] > 0 or (strict and counts[4] > 0)
        text = None
        if result is not None and counts[0]:
            text = result.text or note_text(result.findings(), show, strict).encode()
        cases.append((path, show(path), text, failing))
    return cases


def _summary(run: CheckRun, ns: argparse.Namespace) -> str:
    """The last line: true for this run's own notes (pre-commit runs several batches).

    Counts are of findings. "Fixable with --fix" are those with a fix --fix applies,
    and --fix (--diff) counts the findings its fixes removed; the two agree, as a
    fix applies to a fixed point and no fix is offered that the fixer refuses.
    """
    left = run.total(0)
    notes = _checked(run.checked)
    if not run.checked:
        return "No notes checked."
    fixed = run.fixed_findings() if ns.fix else 0
    if not left and not fixed:
        return f"All checks passed!{_baselined(run)} {notes} checked."
    if ns.fix:
        text = f"Found {_problems(left + fixed)} ({fixed} fixed, {left} remaining)."
    else:
        fixable = run.total(1) + (run.total(2) if ns.unsafe_fixes else 0)
        flags = "--fix --unsafe-fixes" if ns.unsafe_fixes else "--fix"
        text = f"Found {_problems(left)}" + (
            f" ({fixable} fixable with {flags})." if fixable else "."
        )
    return f"{text}{_hidden_unsafe(run, ns)}{_baselined(run)} {notes} checked."


def _checked(paths: Sequence[str]) -> str:
    """What was checked, each kind counted: notes, canvas and base files, and folders
    that could not be listed (reported unreadable)."""
    from vaultlint.vault import file_kind

    kinds = Counter(file_kind(path) for path in paths)
    parts = [_count(kinds["note"], "note")]
    if kinds["canvas"] or kinds["base"]:
        parts.append(_count(kinds["canvas"] + kinds["base"], "canvas/base file"))
    if kinds[None]:
        parts.append(_count(kinds[None], "unlistable folder"))
    if len(parts) == 1:
        return parts[0]
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def _baselined(run: CheckRun) -> str:
    text = f" {run.baselined:,} more in the baseline." if run.baselined else ""
    if run.baseline_stale:
        text += (
            f" {_count(run.baseline_stale, 'finding')} of the baseline no longer"
            f" {'occurs' if run.baseline_stale == 1 else 'occur'} (--baseline-prune drops"
            f" {'it' if run.baseline_stale == 1 else 'them'})."
        )
    return text


def _hidden_unsafe(run: CheckRun, ns: argparse.Namespace) -> str:
    hidden = 0 if ns.unsafe_fixes else run.total(2)
    return f" {hidden} more fixable with --fix --unsafe-fixes." if hidden else ""


def _problems(n: int) -> str:
    return f"{n} problem{'' if n == 1 else 's'}"


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def _statistics(findings: Sequence[Finding], out: TextIO, as_json: bool) -> None:
    """One line per rule, most findings first: count, code, a mark, name. The mark
    (ruff's): ``[*]`` some have a fix --fix applies, ``[-]`` only with --unsafe-fixes.
    With ``--output-format json``, a list of objects: code, rule, count, fixable (with
    --fix), unsafe_fixable (only with --unsafe-fixes)."""
    counts = Counter((f.code, f.rule) for f in findings)
    safe = Counter((f.code, f.rule) for f in findings if f.fix is not None and f.fix.safe)
    unsafe = Counter((f.code, f.rule) for f in findings if f.fix is not None and not f.fix.safe)
    rows = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    if as_json:
        import json

        items = [
            {
                "code": code,
                "rule": rule,
                "count": n,
                "fixable": safe[(code, rule)],
                "unsafe_fixable": unsafe[(code, rule)],
            }
            for (code, rule), n in rows
        ]
        out.write(json.dumps(items, indent=2) + "\n")
        return
    for (code, rule), count in rows:
        key = (code, rule)
        mark = "[*]" if safe[key] else "[-]" if unsafe[key] else "   "
        out.write(f"{count:>6}  {code}  {mark} {rule}\n")
