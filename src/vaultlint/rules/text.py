"""Rules about the characters of a note's text."""

from __future__ import annotations

import re
from collections.abc import Iterator

from vaultlint.model import Edit, Finding, Fix, Note, Severity
from vaultlint.rules.base import Context, Example, Rule

_TRAILING = re.compile(r"[ \t]+(?=\r?$)", re.M)
_HEADING_LINE = re.compile(r"[ ]{0,3}(?:>[ \t]?)*[ ]{0,3}#{1,6}(?:[ \t]|$)")


class TrailingWhitespace(Rule):
    """Report spaces and tabs at the end of a line, outside code and math.

    Exactly two spaces at the end of a line that a non-blank line follows are a
    Markdown line break and are kept. The fix removes the rest; inside code
    blocks, code spans, comments and math nothing is touched.
    """

    name = "trailing-whitespace"
    code = "TX03"
    summary = "Trailing spaces or tabs at the end of a line"
    severity = Severity.WARNING
    fixable = True
    examples = (
        Example(
            title="spaces after a heading and a sentence",
            bad="## Overview \nA short summary.\t\n",
            good="## Overview\nA short summary.\n",
            fixed="## Overview\nA short summary.\n",
        ),
        Example(
            title="a two-space line break is kept, a third space is not",
            bad="Roses are red,   \nviolets are blue.\n",
            good="Roses are red,  \nviolets are blue.\n",
            fixed="Roses are red,  \nviolets are blue.\n",
        ),
        Example(
            title="code keeps its spaces",
            bad="Text \n```\ncode   \n```\n",
            good="Text\n```\ncode   \n```\n",
            fixed="Text\n```\ncode   \n```\n",
        ),
    )

    def check(self, note: Note, ctx: Context) -> Iterator[Finding]:
        text = note.text
        for m in _TRAILING.finditer(text, note.body_start):
            start, end = m.start(), m.end()
            if note.region_at(start) is not None:
                continue
            keep = ""
            run = m.group()
            if len(run) >= 2 and run.strip(" ") == "" and _is_line_break(note, start, end):
                if len(run) == 2:
                    continue
                keep = "  "
            yield self.finding(
                note,
                start + len(keep),
                end,
                "trailing whitespace",
                Fix((Edit(start + len(keep), end, ""),)),
            )


def _is_line_break(note: Note, start: int, end: int) -> bool:
    """Whether spaces at ``start..end`` end a paragraph line that continues below."""
    text = note.text
    line_start = text.rfind("\n", 0, start) + 1
    line = text[line_start:start]
    if not line.strip() or _HEADING_LINE.match(line):
        return False
    next_start = text.find("\n", end)
    if next_start == -1:
        return False
    next_end = text.find("\n", next_start + 1)
    following = text[next_start + 1 : next_end if next_end != -1 else len(text)]
    return bool(following.strip())
