"""The floor vaultlint is measured against: read every note and scan it with
regular expressions for links, headings and code fences, in plain Python.

    python benchmarks/floor.py VAULT

No parsing beyond that and no checks: what any Python linter of a vault must
at least do. It prints how many matches it found, so the work is not skipped.
"""

from __future__ import annotations

import os
import re
import sys

LINK = re.compile(r"!?\[\[([^\]\n]+)\]\]|\]\(([^)\n]+)\)")
HEADING = re.compile(r"^#{1,6}[ \t]+(.*)$", re.M)
FENCE = re.compile(r"^[ \t]*(```|~~~)", re.M)


def main(root: str) -> int:
    found = 0
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            if name.endswith(".md"):
                with open(os.path.join(folder, name), encoding="utf-8", errors="replace") as f:
                    text = f.read()
                found += len(LINK.findall(text)) + len(HEADING.findall(text))
                found += len(FENCE.findall(text))
    print(f"{found} matches")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1]))
