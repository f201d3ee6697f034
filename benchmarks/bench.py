"""Benchmark vaultlint against the floor (``floor.py``) on generated vaults.

    python benchmarks/bench.py                 # 1,000 and 10,000 notes
    python benchmarks/bench.py --notes 100000  # any sizes, comma-separated
    python benchmarks/bench.py --pathological  # only the pathological notes

For each size it generates a vault with ``genvault.py`` in a temporary folder
(deleted afterwards), then times, as separate processes in the same run, each
the median of ``--repeat`` runs:

- floor: ``floor.py`` (read every note, regex-scan links, headings, fences);
- cold: ``vaultlint check VAULT --no-cache`` (all default rules, findings
  printed in the default format to /dev/null);
- warm: the same with the cache, after a run that filled it;
- five: ``vaultlint check`` of five named notes (what pre-commit runs);
- report cold: ``vaultlint report VAULT --no-cache``; report warm: ``vaultlint
  report VAULT`` on the cache the check filled (target: within 1.5x of warm);
- mv: ``vaultlint mv`` of one concept note (linked from many notes) to a new
  name and back, the median of both directions (target: within 2x of warm);
- version: ``vaultlint --version``; tiny: one note in a one-note vault.

Peak memory is the largest resident set of the vaultlint process
(``wait4``'s rusage) and, because worker processes share pages with it, the
peak of the summed proportional set size (Pss) of the process and its
workers, sampled every 50 ms in one more run (sampling takes CPU, so the timed
runs do not sample). It prints a Markdown table with the ratios to
the floor and the targets of issue #7. This is not a test: numbers depend on
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
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
VAULTLINT = [sys.executable, "-m", "vaultlint"]
TARGETS = {"cold": 3.0, "warm": 0.6, "five": 0.6}
REPORT_WARM_TARGET = 1.5  # x a warm check
MV_WARM_TARGET = 2.0  # x a warm check: ``vaultlint mv`` of one linked note


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


def measure(argv: list[str], sample: bool = False) -> Run:
    """Run ``argv`` once with stdout to /dev/null: wall time and memory.

    With ``sample``, a thread sums the Pss of the process tree every 50 ms; it
    takes CPU from the processes measured (two workers on two cores), so the
    timed runs do not sample and one more run measures Pss alone.
    """
    started = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = [0.0]
    done = threading.Event()

    def sample_pss() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], _pss_mb(process.pid))
            done.wait(0.05)

    sampler = threading.Thread(target=sample_pss, daemon=True)
    if sample and Path("/proc/self/smaps_rollup").exists():
        sampler.start()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    done.set()
    process.returncode = os.waitstatus_to_exitcode(status)
    assert process.stderr is not None
    err = process.stderr.read().decode(errors="replace")
    if process.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(argv)} exited {process.returncode}:\n{err}")
    return Run(seconds, usage.ru_maxrss / 1024, peak[0])


def median(argv: list[str], repeat: int) -> Run:
    runs = [measure(argv) for _ in range(repeat)]
    sampled = measure(argv, sample=True)
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


def bench_size(genvault: Path, notes: int, repeat: int, tmp: Path) -> dict[str, Run]:
    vault = tmp / f"vault-{notes}"
    generate(genvault, vault, notes)
    check = [*VAULTLINT, "check", str(vault)]
    results = {"floor": median([sys.executable, str(HERE / "floor.py"), str(vault)], repeat)}
    results["cold"] = median([*check, "--no-cache"], repeat)
    measure(check)  # fill the cache
    results["warm"] = median(check, repeat)
    report = [*VAULTLINT, "report", str(vault)]
    results["report cold"] = median([*report, "--no-cache"], repeat)
    results["report warm"] = median(report, repeat)
    five = sorted(str(p) for p in (vault / "Books").rglob("*.md"))[:5]
    results["five"] = median([*VAULTLINT, "check", *five], repeat)
    results["mv"] = mv_runs(vault, repeat)
    results["floor"] = min(
        results["floor"],
        median([sys.executable, str(HERE / "floor.py"), str(vault)], repeat),
        key=lambda r: r.seconds,
    )
    return results


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


def table(sizes: dict[int, dict[str, Run]], small: dict[str, Run]) -> str:
    lines = [
        f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}, {platform.platform()}.",
        "",
        "| notes | run | seconds | x floor | target | max RSS MB | peak Pss MB |",
        "|---:|---|---:|---:|---:|---:|---:|",
    ]
    for notes, runs in sizes.items():
        floor = runs["floor"].seconds
        for name, run in runs.items():
            ratio = run.seconds / floor
            target = TARGETS.get(name)
            mark = (
                "" if target is None else f"<= {target}" + (" ok" if ratio <= target else " MISSED")
            )
            if name == "report warm":
                of_warm = run.seconds / runs["warm"].seconds
                ok = " ok" if of_warm <= REPORT_WARM_TARGET else " MISSED"
                mark = f"{of_warm:.2f} x warm (<= {REPORT_WARM_TARGET}){ok}"
            if name == "mv":
                of_warm = run.seconds / runs["warm"].seconds
                ok = " ok" if of_warm <= MV_WARM_TARGET else " MISSED"
                mark = f"{of_warm:.2f} x warm (<= {MV_WARM_TARGET}){ok}"
            lines.append(
                f"| {notes:,} | {name} | {run.seconds:.3f} | {ratio:.2f} | {mark} | "
                f"{run.max_rss_mb:.0f} | {run.peak_pss_mb:.0f} |"
            )
    for name, run in small.items():
        mark = "< 0.25 s" + (" ok" if run.seconds < 0.25 else " MISSED")
        lines.append(
            f"| 1 | {name} | {run.seconds:.3f} |  | {mark} | {run.max_rss_mb:.0f} | "
            f"{run.peak_pss_mb:.0f} |"
        )
    return "\n".join(lines)


Row = tuple[str, int, float, float, float, float]  # case, n, check at n and 4n, fix at n and 4n


def pathological_runs(tmp: Path, repeat: int) -> list[Row]:
    """(case, n, then seconds of ``check`` at n and 4n and of ``check --fix`` at n and 4n)
    for each pathological note; the first row, "start-up", times a note of one heading."""
    sys.path.insert(0, str(HERE))
    from pathological import BOOKS, CASES, Case

    rows = []
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
        rows.append((name, case.n, *seconds))
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
    args = parser.parse_args(argv)
    if args.pathological:
        with tempfile.TemporaryDirectory(prefix="vaultlint-bench-") as folder:
            print(pathological_report(pathological_runs(Path(folder), args.repeat)))
        return 0
    sizes: dict[int, dict[str, Run]] = {}
    with tempfile.TemporaryDirectory(prefix="vaultlint-bench-") as folder:
        tmp = Path(folder)
        for notes in (int(n) for n in args.notes.split(",")):
            sizes[notes] = bench_size(args.genvault, notes, args.repeat, tmp)
            print(f"{notes:,} notes done", file=sys.stderr)
        small = small_runs(tmp, args.repeat)
    print(table(sizes, small))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
