"""Rules about links: broken links and embeds, missing headings and blocks, ambiguity.

A link is broken only when Obsidian itself leaves it unresolved
(``docs/obsidian-links.md``; the resolver is ``vaultlint.links``). Links in
code, HTML comments and math are no links; cases the spec leaves open are
never reported.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Mapping
from fnmatch import fnmatchcase
from typing import Any, ClassVar

from vaultlint.links import (
    LinkStatus,
    Suggestion,
    encode_destination,
    normalize_heading,
    show_link,
    target_key,
)
from vaultlint.model import FileKind, Finding, Fix, Link, Note, Severity
from vaultlint.rules.base import Context, Example, Rule

_EMBEDS = ("embed", "markdown-embed")
_MARKDOWN = ("markdown", "markdown-embed")


_NOTES_AND_CANVASES: frozenset[FileKind] = frozenset(("note", "canvas"))


class _FileRule(Rule):
    """Shared by broken-link and broken-embed: unresolved links of some kinds."""

    kinds = _NOTES_AND_CANVASES

    embeds: ClassVar[bool] = False

    def check(self, note: Note, ctx: Context) -> Iterator[Finding]:
        resolver = ctx.index.resolver
        for status in resolver.statuses(note):
            link = status.link
            if status.target is not None or (link.kind in _EMBEDS) != self.embeds:
                continue
            if self.planned(link, ctx):
                continue
            deleted = ctx.index.staged_deletions.get(note.path, {}).get((link.line, link.path))
            holders = resolver.alias_holders(link.path) if deleted is None else ()
            if deleted is not None:
                why = f"'{deleted}' was deleted in this commit (staged)"
            elif holders:
                why = _alias_of(link, holders)
            else:
                why = _looked_for(link)
            message = f"{self.what} {show_link(link)}: {why}"
            if holders:
                # The note whose alias it is, when one alone is: no other guess.
                suggestion = Suggestion(holders, len(holders) == 1)
            else:
                suggestion = resolver.suggest(link, note.path)
                shown = [
                    _written(resolver.link_text(p, note.path, link), link) for p in suggestion.paths
                ]
                if shown:
                    message += f"; did you mean {_alternatives(shown)}?"
                if suggestion.hint:
                    message += f" ({suggestion.hint})"
            fix = _retarget(ctx, note, link, suggestion, alias=bool(holders))
            yield self.finding(note, link.start, link.end, message, fix)

    def planned(self, link: Link, ctx: Context) -> bool:
        """Whether the unresolved ``link`` is to a note not written yet on purpose."""
        return False

    @property
    def what(self) -> str:
        return "broken embed" if self.embeds else "broken link"


def _looked_for(link: Link) -> str:
    if "/" in link.path:
        return f"no file at '{link.path}' (the folders must match the end of its path)"
    return f"no note or file named '{link.path}' in the vault"


def _alias_of(link: Link, holders: tuple[str, ...]) -> str:
    """R31, L6: the name is an alias of ``holders``, which the link does not reach."""
    notes = [f"[[{_stem(p)}]]" for p in holders[:4]]
    if len(holders) > 4:
        notes.append(f"{len(holders) - 4} more")
    of = notes[0]
    if len(notes) > 1:
        of = f"{len(holders)} notes ({', '.join(notes[:-1])} and {notes[-1]}: which is meant?)"
    return f"'{_stem(link.path)}' is an alias of {of}; aliases do not resolve links"


def _stem(path: str) -> str:
    return path[:-3] if path.lower().endswith(".md") else path


def _written(path: str, link: Link) -> str:
    return show_link(link, encode_destination(path) if link.kind in _MARKDOWN else path)


def _alternatives(items: list[str]) -> str:
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " or " + items[-1]


def _retarget(
    ctx: Context, note: Note, link: Link, suggestion: Suggestion, alias: bool = False
) -> Fix | None:
    if not suggestion.clear:
        return None
    resolver = ctx.index.resolver
    target = suggestion.paths[0]
    if not resolver.intended(link, target, note):
        return None
    # An alias is no file name whose style to keep: the path is written as Obsidian
    # writes a link it completes from an alias (its name, or its path when shared).
    edit = resolver.retarget_edit(link, target, note, "shortest" if alias else None)
    return None if edit is None else Fix((edit,), safe=False)


class BrokenLink(_FileRule):
    """Report links to files that do not exist, exactly as Obsidian resolves them.

    A wikilink, Markdown link or quoted frontmatter link is broken when no
    file in the vault answers to it: names match without case, ``.md`` may be
    left out but other extensions may not, a folder part must match the end
    of the file's path, ``./`` and ``../`` start from the note's folder, and
    aliases never resolve a link (when the name is an alias, the message names
    the note that has it, and when one note alone does an unsafe fix links it:
    ``[[Palette]]`` -> ``[[Command palette|Palette]]``). Hidden folders
    (``.trash``) hold no targets; files excluded from checking still do. Links
    in code, HTML comments and math are not links, and cases Obsidian's
    behaviour leaves open are never reported, nor is a non-ASCII name that exists in another Unicode
    normalisation form. The message names the closest existing files; when
    exactly one is clearly closest and clearly meant (a link with a heading or
    without extension means a note, the folders it writes end the file's path,
    the heading it names is in the file), an unsafe fix rewrites the link's
    file part to it and keeps what the reader sees: the heading and block
    parts, and the text shown (``[[Jane Roe]]`` -> ``[[Jane Roes|Jane Roe]]``).
    The option ``allow`` lists glob patterns of targets not written yet on
    purpose (``["Someday*", "People/*"]``, compared without case or ``.md``):
    links to them are not reported, and ``report`` counts them as planned.
    """

    name = "broken-link"
    code = "LK01"
    summary = "Link to a note or file that does not exist"
    severity = Severity.ERROR
    fixable = True
    embeds = False
    options: ClassVar[Mapping[str, Any]] = {"allow": []}
    examples = (
        Example(
            title="a typo in a note name (the unsafe fix keeps the display text)",
            bad="`Knowledge Base:` [[Books indx|Index]]\n",
            good=(
                "`Knowledge Base:` [[books index|Index]], [[Books index.md]], "
                "[[Lists/Books index]]\n"
            ),
            fixed="`Knowledge Base:` [[Books index|Index]]\n",
            unsafe=True,
            files={"Lists/Books index.md": "# Books index\n"},
        ),
        Example(
            title="aliases never resolve links (the unsafe fix links the note that has it)",
            bad="Read about [[AI#History]].\n",
            good="Read about [[Artificial Intelligence|AI]]. `[[AI]]` <!-- [[AI]] -->\n",
            fixed="Read about [[Artificial Intelligence#History|AI > History]].\n",
            unsafe=True,
            files={"Artificial Intelligence.md": "---\naliases: [AI]\n---\n## History\n"},
        ),
        Example(
            title='notes not written yet on purpose: allow: ["Someday*", "People/*"]',
            bad="Ask [[People/Jane Roe]] about [[Trip plan]].\n",
            good="Ask [[People/Jane Roe]] about [[Someday: a trip]] and [[someday.md]].\n",
            options={"allow": ["Someday*", "People/*"]},
        ),
        Example(
            title="Markdown and frontmatter links resolve the same way",
            bad='---\nup: "[[Hom]]"\n---\nSee [the plan](Plans/My%20Plan.md).\n',
            good='---\nup: "[[Home]]"\n---\nSee [the plan](Projects/My%20Plan.md), <https://x.org>.\n',
            files={"Home.md": "", "Projects/My Plan.md": ""},
        ),
    )

    def planned(self, link: Link, ctx: Context) -> bool:
        allow = self.opts["allow"]
        if not allow:
            return False
        key = target_key(link.path)
        # Patterns compare as targets do: without case or ``.md``.
        return any(fnmatchcase(key, target_key(p)) for p in allow)


class BrokenEmbed(_FileRule):
    """Report embeds (``![[…]]``, ``![…](…)``) of files that do not exist.

    Embeds resolve exactly like links (see ``broken-link``); a missing image
    is an empty frame in reading view. Files other than notes must be named
    with their extension: an embed without one means a note, so an image of
    that name is suggested in the message, never fixed to. When exactly one
    existing file is clearly meant, an unsafe fix rewrites the embed's file
    part to it and keeps its size or display text.
    """

    name = "broken-embed"
    code = "LK02"
    summary = "Embed of a file that does not exist"
    severity = Severity.ERROR
    fixable = True
    embeds = True
    examples = (
        Example(
            title="an image named without its extension (a note is meant: no fix)",
            bad="![[Figure 1|300]]\n",
            good="![[Figure 1.png|300]] ![[figure 1.PNG]]\n",
            files={"Attachments/Figure 1.png": ""},
        ),
        Example(
            title="a misspelt image name",
            bad="![[Figure 1.pgn|300]]\n",
            good="![[Figure 1.png|300]]\n",
            fixed="![[Figure 1.png|300]]\n",
            unsafe=True,
            files={"Attachments/Figure 1.png": ""},
        ),
        Example(
            title="a missing image in a Markdown embed",
            bad="![cover](Attachments/cover%202.jpg)\n",
            good="![cover](Attachments/cover%201.jpg)\n",
            fixed="![cover](Attachments/cover%201.jpg)\n",
            unsafe=True,
            files={"Attachments/cover 1.jpg": ""},
        ),
    )


class BrokenHeadingLink(Rule):
    """Report ``#heading`` links whose note exists but has no such heading.

    Obsidian opens the note anyway (the link is not unresolved), but lands at
    its top, and an embed shows "unable to find section". Headings match as
    Obsidian matches them: punctuation (``: # | ^ [ ] * …``) counts as a
    space, spaces are collapsed, case is ignored, so ``[[Note#Q&A setup]]``
    finds ``## Q&A: setup`` and ``[[Note#Overview]]`` finds ``### **Overview**``.
    A chain ``#A#C`` needs a heading ``C`` after ``A`` and deeper than it;
    ``[[#Heading]]`` looks in the note itself. The message suggests the
    closest headings.
    """

    name = "broken-heading-link"
    kinds = _NOTES_AND_CANVASES
    code = "LK03"
    summary = "Link to a heading that is not in the note"
    severity = Severity.WARNING
    examples = (
        Example(
            title="a misspelt heading, in another note and in this one",
            bad="See [[Guide#Instalation]] and [[#Sumary]].\n\n## Summary\n",
            good=(
                "See [[Guide#installation]], [[Guide#Q&A setup v2]] and [[#Summary]].\n"
                "\n## Summary\n"
            ),
            files={"Guide.md": "# Guide\n## Installation\n## Q&A: setup (v2)\n"},
        ),
        Example(
            title="a nested heading chain",
            bad="[[Guide#Other#Linux]]\n",
            good="[[Guide#Guide#Windows]] [[Guide#Setup#Linux]] [[Guide#Other#Windows]]\n",
            files={"Guide.md": "# Guide\n## Setup\n### Linux\n## Other\n### Windows\n"},
        ),
    )

    def check(self, note: Note, ctx: Context) -> Iterator[Finding]:
        for status in ctx.index.resolver.statuses(note):
            if status.missing != "heading":
                continue
            yield self.finding(
                note, status.link.start, status.link.end, _heading_message(ctx, note, status)
            )


def _heading_message(ctx: Context, note: Note, status: LinkStatus) -> str:
    link = status.link
    assert status.target is not None
    parts = link.subpath[1:].split("#")
    where = "this note" if status.target == note.path else f"'{status.target}'"
    wanted = " > ".join(f"'{p}'" for p in parts)
    message = f"heading not found: {show_link(link)}: {where} has no heading {wanted}"
    targets = ctx.index.resolver.targets(status.target, note)
    if targets is not None and targets.texts:
        texts = {normalize_heading(text): text for text in targets.texts}
        close = difflib.get_close_matches(
            normalize_heading(parts[-1]), list(texts), n=3, cutoff=0.6
        )
        if close:
            shown = [f"'{texts[c]}'" for c in close]
            message += f"; did you mean {_alternatives(shown)}?"
    return message


class BrokenBlockLink(Rule):
    """Report ``#^block`` links whose note exists but has no such block id.

    A block id is `` ^id`` at the end of a paragraph or list item (letters,
    digits and ``-``), compared without case. Obsidian opens the note but
    cannot scroll to or embed the block.
    """

    name = "broken-block-link"
    kinds = _NOTES_AND_CANVASES
    code = "LK04"
    summary = "Link to a block id that is not in the note"
    severity = Severity.WARNING
    examples = (
        Example(
            title="a block id that was renamed",
            bad="As said in [[Guide#^quote-1]].\n",
            good="As said in [[Guide#^Quote1]] and [[#^mine]].\n\nMine. ^mine\n",
            files={"Guide.md": "A good line. ^quote1\n"},
        ),
    )

    def check(self, note: Note, ctx: Context) -> Iterator[Finding]:
        for status in ctx.index.resolver.statuses(note):
            if status.missing != "block":
                continue
            link = status.link
            assert status.target is not None
            where = "this note" if status.target == note.path else f"'{status.target}'"
            block = link.subpath[2:]
            yield self.finding(
                note,
                link.start,
                link.end,
                f"block not found: {show_link(link)}: {where} has no block ^{block}",
            )


class AmbiguousLink(Rule):
    """Report bare names that several files share, and say which one Obsidian opens.

    ``[[Note]]`` with ``Note.md`` in two folders is not broken: Obsidian
    opens a note at that exact path, else one in the linking note's own folder
    tree, else the one with the shortest path. That choice changes when files
    move; a link with a folder part (``[[Projects/Note]]``) says which is meant.
    Off by default.
    """

    name = "ambiguous-link"
    kinds = _NOTES_AND_CANVASES
    code = "LK05"
    summary = "Link name shared by several files"
    severity = Severity.INFO
    enabled = False
    examples = (
        Example(
            title="two notes named Meeting",
            bad="[[Meeting]]\n",
            good="[[Work/Meeting]] [[Home/Meeting|the other one]]\n",
            files={"Work/Meeting.md": "", "Home/Meeting.md": ""},
        ),
    )

    def check(self, note: Note, ctx: Context) -> Iterator[Finding]:
        resolver = ctx.index.resolver
        for status in resolver.statuses(note):
            link = status.link
            if status.target is None or not link.path or "/" in link.path:
                continue
            names = resolver.candidates(link.path)
            if len(names) < 2:
                continue
            listed = ", ".join(names[:4]) + (
                f" and {len(names) - 4} more" if len(names) > 4 else ""
            )
            opens = status.target
            tied = resolver.tied_with(status.target, names, note.path)
            if tied:
                opens = f"{_alternatives([opens, *tied])} (a tie: the file system decides)"
            yield self.finding(
                note,
                link.start,
                link.end,
                f"ambiguous link {show_link(link)}: {len(names)} files have this name "
                f"({listed}); Obsidian opens {opens}",
            )
