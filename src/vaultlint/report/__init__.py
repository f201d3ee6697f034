"""``vaultlint report``: the completeness of typed notes and the health of links.

``collect`` adds up the facts the check pipeline computes for each note (its
schema states, broken and outgoing links, findings per rule; from the cache
when it holds), ``history`` reads past commits from git objects, and one
module per format renders the resulting ``Report``.
"""

from __future__ import annotations

import argparse

FORMATS = ("terminal", "markdown", "json", "html")


def percent(value: str) -> float:
    """The ``--fail-under`` value: a number from 0 to 100."""
    try:
        number = float(value)
    except ValueError:
        number = -1.0
    if not 0 <= number <= 100:
        raise argparse.ArgumentTypeError(f"expected a percentage from 0 to 100, got {value!r}")
    return number


def positive(value: str) -> int:
    """A whole number of 1 or more (``--history``, ``--top``)."""
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of 1 or more, got {value!r}")
    return number
