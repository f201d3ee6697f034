"""Pathological notes: realistic notes that grow one construct without bound.

Each once made a run superlinear (a loop rescanning from each match); the
growth tests (``tests/test_growth.py``) and ``bench.py --pathological`` build
them at size n and 4n. ``CASES`` lists them for the benchmark, each with what
to time and the size to start from.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

QUOTES = [
    "The map is not the territory",
    "We are what we repeatedly do; excellence, then, is not an act but a habit",
    "Whereof one cannot speak, thereof one must be silent",
    "The unexamined life is not worth living",
    "Not all those who wander are lost",
]

# The notes the links of these notes point at.
BOOKS = {f"Book {i}.md": f"# Book {i}\n" for i in range(300)}


def quote(i: int) -> str:
    return QUOTES[i % len(QUOTES)]


def trailing_spaces(n: int) -> str:
    """A reading log pasted from a web page: every line ends in a space."""
    return "# Reading log\n\n" + "".join(f"- {quote(i)} (p. {i + 1}) \n" for i in range(n))


def disabled_blocks(n: int) -> str:
    """Pasted quotes, each between a disable and an enable of the rules they break."""
    return "# Quotes as pasted\n\n" + "".join(
        f"%% vaultlint-disable trailing-whitespace, mojibake %%\n"
        f"> {quote(i)}, as pasted from the web page. \n"
        f"%% vaultlint-enable trailing-whitespace, mojibake %%\n"
        f"A note of my own on quote {i}.\n\n"
        for i in range(n)
    )


def disabled_lines(n: int) -> str:
    return "# Quotes as pasted\n\n" + "".join(
        f"%% vaultlint-disable-next-line trailing-whitespace %%\n- {quote(i)} \n" for i in range(n)
    )


def quoted_list(n: int) -> str:
    """One paragraph: a list of quotes, each with its `page` in a code span."""
    return "# Quotes\n\n" + "".join(
        f"- `p. {i + 1}` {quote(i)}, said `{i % 7}`\n" for i in range(n)
    )


def link_line(n: int) -> str:
    """A map of content: one long line of links (Obsidian wraps it)."""
    links = " · ".join(f"[[Book {i % 300}]]" for i in range(n))
    return f"# Reading list\n\n{links}\n\n<small>updated weekly</small>\n"


def link_index(n: int) -> str:
    """An index a script wrote for a large vault: its links on long lines, a thousand a
    line between HTML line breaks, then the latest notes as a list whose lines end in a
    space (``--fix`` has work). At n = 400,000: 5.1 MB and 404,000 links (the 5.6 MB,
    400,000-link note that took 50 s to check and 105 s to fix)."""
    rows = (
        " ".join(f"[[Book {i % 300}]]" for i in range(start, min(n, start + 1000))) + " <br>\n"
        for start in range(0, n, 1000)
    )
    latest = "".join(f"- [[Book {i % 300}]] \n" for i in range(n // 100))
    return f"# Index\n\n<small>generated</small>\n\n{''.join(rows)}\n## Latest\n\n{latest}"


def commented_links(n: int) -> str:
    """A section of links put aside in a %% comment, and a long line of them in another."""
    inline = " ".join(f"[[Book {i % 300}]]" for i in range(n))
    lines = "".join(f"- [[Book {i % 300}]] {quote(i)}\n" for i in range(n))
    return f"# Draft\n\n%%\n{lines}%%\n\nKept: %% {inline} %%\n"


def callout_summary(n: int) -> str:
    """A book summary pasted into one callout: a heading per chapter, all quoted."""
    return "# Book\n\n> [!summary] Summary\n" + "".join(
        f"> ## Chapter {i + 1}\n> {quote(i)}.\n>\n" for i in range(n)
    )


def outline(n: int) -> str:
    """An outline of one book, items nested with tabs, a blank line between them."""
    return "- Book notes\n" + "".join(f"\t- {quote(i)} (p. {i + 1})\n\n" for i in range(n))


def inline_fences(n: int) -> str:
    """A long line quoting commands written with triple backticks."""
    return "# Snippets\n\n" + " ".join(f"then run ```git log -{i}``` and" for i in range(n)) + "\n"


def french_paragraph(n: int) -> str:
    """A long paragraph (one line) of French quotations: no-break spaces inside
    « », before : and ? and in 10 km, em spaces, and text pasted through cp1252."""
    parts = (
        f"«\u00a0{quote(i)}\u00a0», dit-il\u00a0: pourquoi\u00a0? ({i}\u00a0km,\u2003p.\u00a0{i})"
        f" au café\u2003noir, CafÃ©\u2003crÃ¨me"
        for i in range(n)
    )
    return "# Citations\n\n" + " ".join(parts) + "\u00a0\n"


def table_of_contents(n: int) -> str:
    """Notes on a long book: a contents list linking each chapter by its part
    (``[[#Part 2#Chapter 7]]``), then the parts and chapters."""
    parts = [range(p, n, 20) for p in range(min(n, 20))]
    contents = "".join(
        f"- [[#Part {p + 1}#Chapter {c + 1}]]\n" for p, cs in enumerate(parts) for c in cs
    )
    body = "".join(
        f"## Part {p + 1}\n\n" + "".join(f"### Chapter {c + 1}\n{quote(c)}.\n\n" for c in cs)
        for p, cs in enumerate(parts)
    )
    return f"# Book\n\n## Contents\n\n{contents}\n{body}"


@dataclass(frozen=True)
class Case:
    build: Callable[[int], str]
    n: int  # the smaller size; the benchmark times ``check`` and ``check --fix`` at n and 4n


CASES = {
    "trailing spaces": Case(trailing_spaces, 5_000),
    "disable/enable pairs": Case(disabled_blocks, 4_000),
    "disable-next-line directives": Case(disabled_lines, 10_000),
    "code spans in a list": Case(quoted_list, 20_000),
    "links on one line": Case(link_line, 100_000),
    "a generated index of 400,000 links at 4n": Case(link_index, 100_000),
    "links in comments": Case(commented_links, 20_000),
    "headings in a callout": Case(callout_summary, 20_000),
    "nested list items": Case(outline, 40_000),
    "backtick runs on one line": Case(inline_fences, 40_000),
    "spaces in a French paragraph": Case(french_paragraph, 2_000),
    "heading chains into the note": Case(table_of_contents, 5_000),
}
