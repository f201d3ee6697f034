"""Rules about the YAML frontmatter block."""

from __future__ import annotations

from collections.abc import Iterator

from vaultlint.model import Finding, Note, Severity
from vaultlint.rules.base import Context, Example, Rule


class FrontmatterSyntax(Rule):
    """Report frontmatter that is not valid YAML, is not a mapping, or is not closed.

    Obsidian drops every property of a note whose frontmatter does not parse, so
    a typo silently hides tags, aliases and links. The message names the YAML
    problem and where it is. Never fixed: vaultlint does not guess what YAML was
    meant, and never rewrites a frontmatter block that failed to parse.
    """

    name = "frontmatter-syntax"
    code = "FM01"
    summary = "Frontmatter is not valid YAML or is not closed"
    severity = Severity.ERROR
    examples = (
        Example(
            title="a value with an unbalanced quote",
            bad='---\ntitle: "The Dispossessed\ntags: [book]\n---\nText\n',
            good='---\ntitle: "The Dispossessed"\ntags: [book]\n---\nText\n',
        ),
        Example(
            title="no closing line",
            bad="---\ntitle: The Dispossessed\n\nText\n",
            good="---\ntitle: The Dispossessed\n---\n\nText\n",
        ),
        Example(
            title="a key written twice",
            bad="---\ntags: [book]\ntags: [novel]\n---\n",
            good="---\ntags: [book, novel]\n---\n",
        ),
    )

    def check(self, note: Note, ctx: Context) -> Iterator[Finding]:
        fm = note.frontmatter
        if fm is None or fm.error is None:
            return
        error = fm.error
        line = min(max(error.line, 1), len(note.line_starts))
        start = min(note.line_starts[line - 1] + error.column - 1, len(note.text))
        yield self.finding(note, start, start, f"invalid frontmatter: {error.message}")
