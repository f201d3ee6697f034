"""Rules about how links are written (not where they lead): off by default.

Their fixes rewrite only a link's path part, and only when the new path opens
the same file from the same note; a link the new form would make open another
file (or none) is left alone. The fixes are unsafe: the text changes.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, ClassVar

from vaultlint.links import show_link
from vaultlint.model import Edit, Finding, Fix, Note, Severity
from vaultlint.rules.base import Context, Example, Rule

_MARKDOWN = ("markdown", "markdown-embed")


class MdExtension(Rule):
    """Report Markdown links to notes written without ``.md`` (or, with the option
    ``with-extension: false``, with it).

    Obsidian opens ``[x](Note)`` and ``[x](Note.md)`` alike, but writes the
    extension, and other Markdown tools (a static site, GitHub) need it. The
    unsafe fix adds (or removes) ``.md`` when the link then still opens the
    same note; the heading, block and display parts stay as written. Links to
    other files, and wikilinks, are not concerned. Off by default.
    """

    name = "md-extension"
    code = "LK08"
    summary = "Markdown link to a note with or without .md, against the vault's style"
    severity = Severity.INFO
    fixable = True
    enabled = False
    options: ClassVar[Mapping[str, Any]] = {"with-extension": True}
    examples = (
        Example(
            title="the extension left out",
            bad="See [the plan](Projects/My%20Plan#Goals).\n",
            good="See [the plan](Projects/My%20Plan.md#Goals) and [[My Plan]].\n",
            fixed="See [the plan](Projects/My%20Plan.md#Goals).\n",
            unsafe=True,
            files={"Projects/My Plan.md": "## Goals\n"},
        ),
        Example(
            title="with-extension: false",
            bad="See [the plan](<Projects/My Plan.md>).\n",
            good="See [the plan](<Projects/My Plan>).\n",
            fixed="See [the plan](<Projects/My Plan>).\n",
            unsafe=True,
            options={"with-extension": False},
            files={"Projects/My Plan.md": ""},
        ),
    )

    def check(self, note: Note, ctx: Context) -> Iterator[Finding]:
        resolver = ctx.index.resolver
        wanted = bool(self.opts["with-extension"])
        for status in resolver.statuses(note):
            link, target = status.link, status.target
            if link.kind not in _MARKDOWN or not link.path or target is None:
                continue
            if not target.lower().endswith(".md"):
                continue
            has = link.path.lower().endswith(".md")
            if has == wanted:
                continue
            new_path = link.path + ".md" if wanted else link.path[:-3]
            if not new_path or resolver.resolve(new_path, note.path) != target:
                continue  # the other form would open another file: left alone
            if wanted:
                edit = Edit(link.path_end, link.path_end, ".md")
            else:
                edit = Edit(link.path_end - 3, link.path_end, "")
            what = "without" if not has else "with"
            yield self.finding(
                note,
                link.start,
                link.end,
                f"Markdown link {show_link(link)} to a note {what} .md",
                Fix((edit,), safe=False),
            )
