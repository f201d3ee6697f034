"""Benchmark vaultlint against the floor (``floor.py``) on generated vaults.

    python benchmarks/bench.py                 # 1,000 and 10,000 notes
    python benchmarks/bench.py --notes 100000  # any sizes, comma-separated
    python benchmarks/bench.py --pathological  # only the pathological notes

For each size it generates a vault with ``genvault.py`` in a temporary folder
(deleted afterwards), then times, as separate processes in the same run, each
the median of ``--repeat`` runs, every row against its goal:

- floor: ``floor.py`` (read every note, regex-scan links, headings, fences);
- cold FORMAT pipe / file: ``vaultlint check VAULT --no-cache`` in every output
  format, its output read from a pipe, or written with ``-o FILE`` (goal: 2.5x
  the floor);
- warm FORMAT: the same with the cache a ``full`` run filled, and ``warm full
  after json`` with the cache a ``json`` run filled (goal: 0.3x the floor);
- fix / diff: ``check --fix`` of a fresh copy of the vault (``--no-cache``), and
  ``check --diff --no-cache`` (goal: 2x the cold ``full`` check);
- report cold / warm FORMAT: ``vaultlint report`` in every format, without a
  cache and on the cache the check filled (goals: 1.2x the cold check, 1.5x the
  warm one);
- five: ``vaultlint check`` of five named notes (what pre-commit runs; 0.3x);
- mv: ``vaultlint mv`` of one concept note (linked from many notes) to a new
  name and back, the median of both directions (goal: 2x a warm check);
- version: ``vaultlint --version``; tiny: one note in a one-note vault (0.15 s);
- with two sizes 10x apart, the growth of the cold check and of its memory
  (goal: 11x).

``--quick`` measures only the floor, the cold and warm ``full`` check and the
report rows (the rows earlier runs recorded).

Peak memory is the largest resident set of the vaultlint process
(``wait4``'s rusage) and, because worker processes share pages with it, the
peak of the summed proportional set size (Pss) of the process and its
workers, sampled every 50 ms in one more run (sampling takes CPU, so the timed
runs do not sample). It prints a Markdown table with the ratios to the floor
and the goals of the performance issue. This is not a test: numbers depend on
the machine.

With ``--pathological`` it times instead ``vaultlint check --no-cache`` and
``check --no-cache --fix`` of one-note vaults holding the notes of
``pathological.py`` (in a vault of 300 small notes they link to) at size n and 4n,
each the median of ``--repeat`` runs, and prints their growth with the start-up
time taken off: about 4 for a linear run, 16 for a quadratic one.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
VAULTLINT = [sys.executable, "-m", "vaultlint"]
# Runs as an installed vaultlint runs: from compiled bytecode (pip writes it; an editable
# install under PYTHONDONTWRITEBYTECODE=1 would compile every module in every run).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
FORMATS = ("full", "concise", "json", "github", "sarif", "junit")
REPORT_FORMATS = ("terminal", "markdown", "json", "html")
COLD_TARGET = 2.5  # x the floor, every format, pipe and file
WARM_TARGET = 0.3  # x the floor, every format, whichever format filled the cache
FIVE_TARGET = 0.3  # x the floor
FIX_TARGET = 2.0  # x the cold check: --fix of the whole vault, --diff
REPORT_COLD_TARGET = 1.2  # x the cold check
REPORT_WARM_TARGET = 1.5  # x a warm check
MV_WARM_TARGET = 2.0  # x a warm check: ``vaultlint mv`` of one linked note
SMALL_TARGET = 0.15  # seconds: --version, a one-note vault
SCALE_TARGET = 11.0  # time and memory at 10x the notes


@dataclass
class Run:
    seconds: float
    max_rss_mb: float
    peak_pss_mb: float


def _tree(pid: int) -> list[int]:
    pids, i = [pid], 0
    while i < len(pids):
        try:
            children = Path(f"/proc/{pids[i]}/task/{pids[i]}/children").read_text().split()
        except OSError:
            children = []
        pids.extend(int(c) for c in children)
        i += 1
    return pids


def _pss_mb(pid: int) -> float:
    total = 0
    for p in _tree(pid):
        try:
            for line in Path(f"/proc/{p}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
                    break
        except OSError:
            continue
    return total / 1024


def measure(argv: list[str], sample: bool = False, pipe: bool = False) -> Run:
    """Run ``argv`` once with stdout to /dev/null (``pipe``: to a pipe this process
    reads as fast as it can, as CI's log collector does): wall time and memory.

    With ``sample``, a thread sums the Pss of the process tree every 50 ms; it
    takes CPU from the processes measured (two workers on two cores), so the
    timed runs do not sample and one more run measures Pss alone.
    """
    started = time.perf_counter()
    stdout = subprocess.PIPE if pipe else subprocess.DEVNULL
    process = subprocess.Popen(argv, stdout=stdout, stderr=subprocess.PIPE, env=ENV)
    peak = [0.0]
    done = threading.Event()
    drain = None
    if pipe:
        assert process.stdout is not None
        out = process.stdout
        drain = threading.Thread(target=lambda: _drain(out), daemon=True)
        drain.start()

    def sample_pss() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], _pss_mb(process.pid))
            done.wait(0.05)

    sampler = threading.Thread(target=sample_pss, daemon=True)
    if sample and Path("/proc/self/smaps_rollup").exists():
        sampler.start()
    _, status, usage = os.wait4(process.pid, 0)
    if drain is not None:
        drain.join()
    seconds = time.perf_counter() - started
    done.set()
    process.returncode = os.waitstatus_to_exitcode(status)
    assert process.stderr is not None
    err = process.stderr.read().decode(errors="replace")
    if process.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(argv)} exited {process.returncode}:\n{err}")
    return Run(seconds, usage.ru_maxrss / 1024, peak[0])


def _drain(stream: Any) -> None:
    while stream.read(1 << 16):
        pass


def median(
    argv: list[str], repeat: int, pipe: bool = False, before: Callable[[], None] | None = None
) -> Run:
    """The median of ``repeat`` runs of ``argv`` (``before`` runs before each, untimed)."""
    runs = []
    for _ in range(repeat):
        if before is not None:
            before()
        runs.append(measure(argv, pipe=pipe))
    if before is not None:
        before()
    sampled = measure(argv, sample=True, pipe=pipe)
    return Run(
        statistics.median(r.seconds for r in runs),
        max(r.max_rss_mb for r in [*runs, sampled]),
        sampled.peak_pss_mb,
    )


def generate(genvault: Path, out: Path, notes: int) -> None:
    subprocess.run(
        [sys.executable, str(genvault), str(out), "--notes", str(notes), "--seed", "1"],
        check=True,
        stdout=subprocess.DEVNULL,
    )


def bench_size(
    genvault: Path, notes: int, repeat: int, tmp: Path, quick: bool = False
) -> dict[str, Run]:
    vault = tmp / f"vault-{notes}"
    generate(genvault, vault, notes)
    floor = [sys.executable, str(HERE / "floor.py"), str(vault)]
    check = [*VAULTLINT, "check", str(vault)]
    results = {"floor": median(floor, repeat)}
    formats = ("full",) if quick else FORMATS
    for fmt in formats:
        argv = [*check, "--no-cache", "--output-format", fmt]
        results[f"cold {fmt} pipe"] = median(argv, repeat, pipe=True)
        if not quick:
            results[f"cold {fmt} file"] = median([*argv, "-o", str(tmp / "out")], repeat)
    measure(check)  # fill the cache (full)
    for fmt in formats:
        results[f"warm {fmt}"] = median([*check, "--output-format", fmt], repeat, pipe=True)
    if not quick:
        measure([*check, "--output-format", "json"])  # a cache filled by json
        results["warm full after json"] = median(check, repeat, pipe=True)
        measure(check)
        results["fix"] = fix_runs(vault, tmp / f"fixed-{notes}", repeat)
        results["diff"] = median([*check, "--no-cache", "--diff"], repeat, pipe=True)
    report = [*VAULTLINT, "report", str(vault)]
    for fmt in ("terminal",) if quick else REPORT_FORMATS:
        argv = [*report, "--format", fmt]
        results[f"report cold {fmt}"] = median([*argv, "--no-cache"], repeat, pipe=True)
        results[f"report warm {fmt}"] = median(argv, repeat, pipe=True)
    five = sorted(str(p) for p in (vault / "Books").rglob("*.md"))[:5]
    results["five"] = median([*VAULTLINT, "check", *five], repeat)
    results["mv"] = mv_runs(vault, repeat)
    results["floor"] = min(results["floor"], median(floor, repeat), key=lambda r: r.seconds)
    return results


def fix_runs(vault: Path, copy: Path, repeat: int) -> Run:
    """``check --fix --no-cache`` of a fresh copy of ``vault`` each time."""

    def fresh() -> None:
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(vault, copy, symlinks=True)

    run = median(
        [*VAULTLINT, "check", str(copy), "--fix", "--no-cache", "-q"], repeat, before=fresh
    )
    shutil.rmtree(copy, ignore_errors=True)
    return run


def mv_runs(vault: Path, repeat: int) -> Run:
    """``vaultlint mv`` of the first concept note to a new name and back (``--no-git``),
    the median of the runs of both directions: every link to it is rewritten."""
    note = sorted((vault / "Concepts").glob("*.md"))[0]
    renamed = note.with_name(note.stem + " (renamed).md")
    runs = []
    for _ in range(repeat):
        runs.append(measure([*VAULTLINT, "mv", "-q", "--no-git", str(note), str(renamed)]))
        runs.append(measure([*VAULTLINT, "mv", "-q", "--no-git", str(renamed), str(note)]))
    runs.sort(key=lambda r: r.seconds)
    return runs[len(runs) // 2]


def small_runs(tmp: Path, repeat: int) -> dict[str, Run]:
    tiny = tmp / "tiny"
    tiny.mkdir()
    (tiny / "Note.md").write_text("# Note\n\nSee [[Other]].\n", encoding="utf-8")
    return {
        "version": median([*VAULTLINT, "--version"], repeat),
        "tiny": median([*VAULTLINT, "check", str(tiny / "Note.md")], repeat),
    }


def goal(name: str, run: Run, runs: dict[str, Run]) -> str:
    """The row's goal and whether it is met (empty for the floor)."""
    floor = runs["floor"].seconds
    cold = runs.get("cold full pipe")
    warm = runs.get("warm full")
    if name.startswith(("cold ", "warm ", "five")):
        target = COLD_TARGET if name.startswith("cold ") else WARM_TARGET
        target = FIVE_TARGET if name == "five" else target
        return f"<= {target} x floor" + (" ok" if run.seconds / floor <= target else " MISSED")
    of, base, target = "", None, 0.0
    if name in ("fix", "diff") or name.startswith("report cold"):
        of, base = "cold", cold
        target = FIX_TARGET if name in ("fix", "diff") else REPORT_COLD_TARGET
    elif name.startswith("report warm") or name == "mv":
        of, base = "warm", warm
        target = MV_WARM_TARGET if name == "mv" else REPORT_WARM_TARGET
    if base is None:
        return ""
    ratio = run.seconds / base.seconds
    return f"{ratio:.2f} x {of} (<= {target})" + (" ok" if ratio <= target else " MISSED")


def table(sizes: dict[int, dict[str, Run]], small: dict[str, Run]) -> str:
    lines = [
        f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}, {platform.platform()}.",
        "",
        "| notes | run | seconds | x floor | goal | max RSS MB | peak Pss MB |",
        "|---:|---|---:|---:|---|---:|---:|",
    ]
    for notes, runs in sizes.items():
        floor = runs["floor"].seconds
        for name, run in runs.items():
            lines.append(
                f"| {notes:,} | {name} | {run.seconds:.3f} | {run.seconds / floor:.2f} | "
                f"{goal(name, run, runs)} | {run.max_rss_mb:.0f} | {run.peak_pss_mb:.0f} |"
            )
    for name, run in small.items():
        mark = f"< {SMALL_TARGET} s" + (" ok" if run.seconds < SMALL_TARGET else " MISSED")
        lines.append(
            f"| 1 | {name} | {run.seconds:.3f} |  | {mark} | {run.max_rss_mb:.0f} | "
            f"{run.peak_pss_mb:.0f} |"
        )
    lines += scale_rows(sizes)
    return "\n".join(lines)


def scale_rows(sizes: dict[int, dict[str, Run]]) -> list[str]:
    """The growth of the cold check (time, memory) between sizes 10x apart."""
    lines = []
    for small, large in zip(sorted(sizes), sorted(sizes)[1:], strict=False):
        if large != 10 * small:
            continue
        a, b = sizes[small]["cold full pipe"], sizes[large]["cold full pipe"]
        for what, x, y in (("time", a.seconds, b.seconds), ("memory", a.max_rss_mb, b.max_rss_mb)):
            growth = y / x
            ok = " ok" if growth <= SCALE_TARGET else " MISSED"
            lines.append(
                f"| {small:,} to {large:,} | cold check {what} | | {growth:.1f} x | "
                f"<= {SCALE_TARGET}{ok} | | |"
            )
    return lines


Row = tuple[str, int, float, float, float, float]  # case, n, check at n and 4n, fix at n and 4n


def pathological_runs(tmp: Path, repeat: int) -> list[Row]:
    """(case, n, then seconds of ``check`` at n and 4n and of ``check --fix`` at n and 4n)
    for each pathological note; the first row, "start-up", times a note of one heading."""
    sys.path.insert(0, str(HERE))
    from pathological import BOOKS, CASES, Case

    rows: list[Row] = []
    cases = {"start-up": Case(lambda n: "# Note\n", 1), **CASES}
    for number, (name, case) in enumerate(cases.items()):
        vault = tmp / f"pathological-{number}"
        (vault / ".obsidian").mkdir(parents=True)
        for book, text in BOOKS.items():
            (vault / book).write_text(text, encoding="utf-8")
        seconds = []
        for fix in ([], ["--fix"]):
            argv = [*VAULTLINT, "check", str(vault), "--no-cache", *fix]
            for n in (case.n, 4 * case.n):
                note = case.build(n)
                runs = []
                for _ in range(repeat):
                    (vault / "Note.md").write_text(note, encoding="utf-8")  # --fix changed it
                    runs.append(measure(argv).seconds)
                seconds.append(statistics.median(runs))
        check_n, check_4n, fix_n, fix_4n = seconds
        rows.append((name, case.n, check_n, check_4n, fix_n, fix_4n))
        print(f"{name} done", file=sys.stderr)
    return rows


def _growth(small: float, large: float, start_up: float) -> str:
    return f"{(large - start_up) / (small - start_up):.1f}" if small > start_up else ""


def pathological_report(rows: list[Row]) -> str:
    lines = [
        f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}, {platform.platform()}.",
        "",
        "Growth: (seconds at 4n - start-up) / (seconds at n - start-up); about 4 is linear,",
        "16 quadratic.",
        "",
        "| pathological note | n | check at n | at 4n | growth | --fix at n | at 4n | growth |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for number, (name, n, check_n, check_4n, fix_n, fix_4n) in enumerate(rows):
        # Start-up is taken off each later row; its own row has no growth.
        check_start = min(rows[0][2:4]) if number else float("inf")
        fix_start = min(rows[0][4:6]) if number else float("inf")
        lines.append(
            f"| {name} | {n:,} | {check_n:.3f} | {check_4n:.3f} | "
            f"{_growth(check_n, check_4n, check_start)} | {fix_n:.3f} | {fix_4n:.3f} | "
            f"{_growth(fix_n, fix_4n, fix_start)} |"
        )
    return "\n".join(lines)


def compile_vaultlint() -> None:
    """Write the bytecode of vaultlint's modules, as installing it does."""
    import vaultlint

    folder = str(Path(vaultlint.__file__).parent)
    subprocess.run([sys.executable, "-m", "compileall", "-q", folder], check=True, env=ENV)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--notes", default="1000,10000", help="vault sizes, comma-separated")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement")
    parser.add_argument(
        "--genvault",
        type=Path,
        default=HERE / "genvault.py",
        help="the vault generator (default: the copy beside this script)",
    )
    parser.add_argument(
        "--pathological",
        action="store_true",
        help="time only the pathological notes (pathological.py) at n and 4n",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="only the floor, the cold and warm full check and the terminal report",
    )
    args = parser.parse_args(argv)
    compile_vaultlint()
    if args.pathological:
        with tempfile.TemporaryDirectory(prefix="vaultlint-bench-") as folder:
            print(pathological_report(pathological_runs(Path(folder), args.repeat)))
        return 0
    sizes: dict[int, dict[str, Run]] = {}
    with tempfile.TemporaryDirectory(prefix="vaultlint-bench-") as folder:
        tmp = Path(folder)
        for notes in (int(n) for n in args.notes.split(",")):
            sizes[notes] = bench_size(args.genvault, notes, args.repeat, tmp, args.quick)
            print(f"{notes:,} notes done", file=sys.stderr)
        small = small_runs(tmp, args.repeat)
    print(table(sizes, small))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
