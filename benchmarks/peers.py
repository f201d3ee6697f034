"""vaultlint side by side with other Markdown and vault tools, in one run.

    python benchmarks/peers.py --notes 10000 \
        --markdownlint node_modules/.bin/markdownlint-cli2 \
        --pymarkdown venv/bin/pymarkdown --obsidiantools venv/bin/python

It generates a vault with ``genvault.py`` (and one a tenth of its size for the
two slowest tools, pymarkdownlnt and obsidiantools, whose times are multiplied
by ten), then times each tool
given, the median of ``--repeat`` runs, output to /dev/null:

- vaultlint: ``vaultlint check VAULT --no-cache`` (all default rules);
- markdownlint-cli2 (npm): ``markdownlint-cli2 "VAULT/**/*.md"``;
- pymarkdownlnt (PyPI): ``pymarkdown scan -r VAULT``;
- obsidiantools (PyPI): ``Vault(VAULT).connect().gather()`` with the Python it
  is installed in.

A tool that is not given is left out. The tools do different jobs (the
Markdown linters know nothing of links between notes; obsidiantools only reads
the vault's graph): the table says what a user waits for, not who does more.
This is not a test: numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
OBSIDIANTOOLS = (
    "import sys; from pathlib import Path; import obsidiantools.api as o; "
    "o.Vault(Path(sys.argv[1])).connect().gather()"
)


def seconds(argv: list[str], repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        done = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        runs.append(time.perf_counter() - started)
        if done.returncode not in (0, 1):
            err = done.stderr.decode(errors="replace")[-2000:]
            raise SystemExit(f"{' '.join(argv)} exited {done.returncode}:\n{err}")
    return statistics.median(runs)


def generate(out: Path, notes: int) -> Path:
    genvault = [sys.executable, str(HERE / "genvault.py"), str(out), "--notes", str(notes)]
    subprocess.run([*genvault, "--seed", "1"], check=True, stdout=subprocess.DEVNULL)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--notes", type=int, default=10000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--markdownlint", type=Path, help="the markdownlint-cli2 executable")
    parser.add_argument("--pymarkdown", type=Path, help="the pymarkdown executable")
    parser.add_argument("--obsidiantools", type=Path, help="a Python with obsidiantools")
    args = parser.parse_args(argv)
    rows: list[tuple[str, int, float, str]] = []
    with tempfile.TemporaryDirectory(prefix="vaultlint-peers-") as folder:
        vault = generate(Path(folder) / "vault", args.notes)
        tenth = max(1, args.notes // 10)
        check = [sys.executable, "-m", "vaultlint", "check", str(vault), "--no-cache"]
        rows.append(("vaultlint check (cold)", args.notes, seconds(check, args.repeat), ""))
        if args.markdownlint:
            argv_ = [str(args.markdownlint), f"{vault}/**/*.md"]
            rows.append(("markdownlint-cli2", args.notes, seconds(argv_, args.repeat), ""))
        small = generate(Path(folder) / "small", tenth)
        slow = []
        if args.pymarkdown:
            slow.append(("pymarkdownlnt", [str(args.pymarkdown), "scan", "-r", str(small)]))
        if args.obsidiantools:
            python = str(args.obsidiantools)
            slow.append(("obsidiantools", [python, "-c", OBSIDIANTOOLS, str(small)]))
        for name, argv_ in slow:
            at_tenth = seconds(argv_, args.repeat)
            rows.append((name, args.notes, at_tenth * args.notes / tenth, f"{tenth:,}"))
    ours = rows[0][2]
    print(
        f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}, {platform.platform()}; median of {args.repeat}.\n"
    )
    print("| tool | notes | seconds | x vaultlint | note |")
    print("|---|---:|---:|---:|---|")
    for name, notes, taken, measured_on in rows:
        times = args.notes // tenth
        note = f"measured on {measured_on} notes, times {times}" if measured_on else ""
        print(f"| {name} | {notes:,} | {taken:.2f} | {taken / ours:.1f} | {note} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
