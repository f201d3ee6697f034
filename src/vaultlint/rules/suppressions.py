"""Rules about suppression directives (see ``vaultlint.suppress``)."""

from __future__ import annotations

from collections.abc import Iterator

from vaultlint.model import Finding, Note, Severity
from vaultlint.rules.base import Context, Example, Rule


class UnusedSuppression(Rule):
    """Report a suppression directive that silenced nothing.

    A ``%% vaultlint-disable… %%`` (or ``<!-- vaultlint-… -->``) comment, or a
    frontmatter ``vaultlint-disable``, outlives the problem it was written for:
    once the link is fixed the directive only hides the next real problem.
    Reported too: a rule name that is no rule, an unknown directive such as
    ``vaultlint-disable-nextline``, and a ``vaultlint-enable`` that ends no
    disable. A directive naming only rules that are not run on the note (turned
    off, or left out by ``--select``) is not reported. The engine, which sees
    every rule's findings, reports this rule; with ``--ignore-suppressions``
    nothing is silenced and nothing is reported. The unsafe fix deletes a wholly
    unused inline directive (and its line when nothing else is on it).
    """

    name = "unused-suppression"
    code = "VL01"
    summary = "A suppression comment that silenced nothing"
    severity = Severity.WARNING
    fixable = True
    examples = (
        Example(
            title="a directive for every rule over a clean line",
            bad="%% vaultlint-disable-next-line %%\nA clean line.\n",
            good="%% vaultlint-disable-next-line broken-link %%\nSee [[Missing note]].\n",
            fixed="A clean line.\n",
            unsafe=True,
        ),
        Example(
            title="a misspelt rule name",
            bad="See [[Draft]] <!-- vaultlint-disable-line brokn-link -->\n",
            good="See [[Draft]] <!-- vaultlint-disable-line broken-link -->\n",
        ),
        Example(
            title="an enable that ends no disable",
            bad="Some text.\n%% vaultlint-enable mojibake %%\n",
            good=(
                "%% vaultlint-disable mojibake %%\nQuoted as pasted: CafÃ© crÃ¨me.\n"
                "%% vaultlint-enable mojibake %%\n"
            ),
            fixed="Some text.\n",
            unsafe=True,
        ),
    )

    def check(self, note: Note, ctx: Context) -> Iterator[Finding]:
        return iter(())  # the engine reports it: it needs every other rule's findings
