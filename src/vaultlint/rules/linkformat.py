"""Rules about how links are written (not where they lead): off by default.

Their fixes write the new path with the resolver's one writer of link paths
(``LinkResolver.retarget``), and only when the new link opens the same file
(and heading or block) from the same note and shows the same text; a link the
new form would make open another file (or none), or show something else, is
left alone and not reported. The fixes are unsafe: the text changes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any, ClassVar, cast

from vaultlint.links import (
    LINK_FORMS,
    Escape,
    LinkForm,
    LinkResolver,
    encode_destination,
    escaping,
    in_table,
    show_link,
)
from vaultlint.model import Edit, Finding, Fix, Link, Note, Severity
from vaultlint.rules.base import Context, Example, Rule

_MARKDOWN = ("markdown", "markdown-embed")
# Display text that reads the same as a wikilink's alias and as a Markdown link's text.
_NOT_PLAIN = re.compile(r"[\[\]\\`*_~=<>|$\r\n]|%%|^\s|\s$|^!")
# What a wikilink's heading or block part cannot hold.
_NOT_IN_WIKI_SUBPATH = re.compile(r"[|\[\]\r\n]|%%")
# Files an embed shows as an image, whichever way it is written.
_IMAGE = re.compile(r"\.(?:png|jpe?g|gif|bmp|svg|webp|avif)$", re.IGNORECASE)


class LinkFormat(Rule):
    """Report wikilinks in a vault that writes Markdown links, or Markdown links in
    one that writes wikilinks.

    The style is Obsidian's "Use [[Wikilinks]]" setting (``useMarkdownLinks`` in
    ``.obsidian/app.json``: wikilinks unless it is true), or the option
    ``style`` (``wikilink`` or ``markdown``). The unsafe fix rewrites the link
    in the other syntax with the same target, heading or block and display
    text: ``[[Note|Shown]]`` and ``[Shown](Note.md)``. A Markdown link is
    written with ``.md`` and percent-encoded, as Obsidian writes it, or with
    ``<...>`` around a path with spaces when the note's Markdown links are
    written so (the option ``spaces``: ``auto``, ``percent`` or ``angle``); a
    wikilink without ``.md``. Embeds are rewritten only where both forms show
    the same: an image with no size or alt text (``![[img.png]]`` and
    ``![](img.png)``). Left alone, and not reported: links that would open
    another file, wikilinks without display text that name a folder or a
    heading (Obsidian shows those differently), display text with Markdown
    in it, links with a title, links in frontmatter (which must be
    wikilinks) and links a table cell would split. Off by default.
    """

    name = "link-format"
    code = "LK06"
    summary = "Wikilink or Markdown link, against the vault's style"
    severity = Severity.INFO
    fixable = True
    enabled = False
    options: ClassVar[Mapping[str, Any]] = {"style": "auto", "spaces": "auto"}
    choices: ClassVar[Mapping[str, tuple[str, ...]]] = {
        "style": ("auto", "wikilink", "markdown"),
        "spaces": ("auto", "percent", "angle"),
    }
    examples = (
        Example(
            title="a Markdown link in a vault of wikilinks",
            bad="See [the plan](Projects/My%20Plan.md#Goals) and ![](sketch.png).\n",
            good="See [[Projects/My Plan#Goals|the plan]] and ![[sketch.png]].\n",
            fixed="See [[Projects/My Plan#Goals|the plan]] and ![[sketch.png]].\n",
            unsafe=True,
            files={"Projects/My Plan.md": "## Goals\n", "sketch.png": ""},
        ),
        Example(
            title="style: markdown",
            bad="Read [[Flow state|flow]], [[Notes]] and ![[sketch.png]].\n",
            good="Read [flow](Flow%20state.md), [Notes](Notes.md) and ![](sketch.png).\n",
            fixed="Read [flow](Flow%20state.md), [Notes](Notes.md) and ![](sketch.png).\n",
            unsafe=True,
            options={"style": "markdown"},
            files={"Flow state.md": "", "Notes.md": "", "sketch.png": ""},
        ),
        Example(
            title="style: markdown, spaces: angle",
            bad="Read [[Flow state#Deep work|deep work]].\n",
            good="Read [deep work](<Flow state.md#Deep work>).\n",
            fixed="Read [deep work](<Flow state.md#Deep work>).\n",
            unsafe=True,
            options={"style": "markdown", "spaces": "angle"},
            files={"Flow state.md": "## Deep work\n"},
        ),
    )

    def check(self, note: Note, ctx: Context) -> Iterator[Finding]:
        style = self.opts["style"]
        markdown = ctx.markdown_links if style == "auto" else style == "markdown"
        resolver = ctx.index.resolver
        spaces = self._spaces(note)
        for status in resolver.statuses(note):
            link, target = status.link, status.target
            if target is None or not link.path or link.kind == "frontmatter":
                continue
            if (link.kind in _MARKDOWN) == markdown:
                continue
            if markdown:
                new = _as_markdown(resolver, note, link, target, spaces)
                what = "wikilink in a vault of Markdown links"
            else:
                new = _as_wikilink(resolver, note, link, target)
                what = "Markdown link in a vault of wikilinks"
            if new is None:
                continue
            yield self.finding(
                note,
                link.start,
                link.end,
                f"{what}: {show_link(link)}",
                Fix((Edit(link.start, link.end, new),), safe=False),
            )

    def _spaces(self, note: Note) -> Escape:
        spaces = self.opts["spaces"]
        if spaces != "auto":
            return cast(Escape, spaces)
        ways = {escaping(link, note.text) for link in note.links if link.kind in _MARKDOWN}
        return "angle" if "angle" in ways and "percent" not in ways else "percent"


def _as_markdown(
    resolver: LinkResolver, note: Note, link: Link, target: str, spaces: Escape
) -> str | None:
    """``link`` (a wikilink or embed) as a Markdown link showing the same; None if none does."""
    bang = "!" if link.is_embed else ""
    display = link.display
    if note.text[link.start : link.end] != f"{bang}[[{link.raw}{_alias(display)}]]":
        return None  # an escaped "|" in a table, or the like
    if link.is_embed:
        if display is not None or link.subpath or not _IMAGE.search(target):
            return None
        display = ""
    elif display is None:
        if link.subpath or "/" in link.path:
            return None  # shown as "Note > Heading", or folder and name: not plain text
        display = link.path
    if _NOT_PLAIN.search(display) and display:
        return None
    sub = link.subpath
    escape: Escape = spaces
    if spaces == "angle" and not re.search(r"[\s()<>%\\]", link.path + sub):
        escape = "plain"
    path = resolver.retarget(
        link, target, note.path, note.text, extension=True, kind="markdown", escape=escape
    )
    if path is None or "\\" in sub:
        return None
    if escape == "angle":
        if any(c in sub for c in "<>%"):
            return None
        destination = f"<{path}{sub}>"
    else:
        destination = path + ("#" + encode_destination(sub[1:], safe="#^") if sub else "")
    return f"{bang}[{display}]({destination})"


def _as_wikilink(resolver: LinkResolver, note: Note, link: Link, target: str) -> str | None:
    """``link`` (a Markdown link or image) as a wikilink showing the same; None if none does."""
    bang = "!" if link.is_embed else ""
    display = link.display or ""
    written = note.text[link.path_start - 1 : link.path_end + 1]
    angled = written.startswith("<")
    raw = f"<{link.raw}>" if angled else link.raw
    if note.text[link.start : link.end] != f"{bang}[{display}]({raw})":
        return None  # a title, escapes in the text, or the like
    if _NOT_IN_WIKI_SUBPATH.search(link.subpath):
        return None
    if link.is_embed and (display or link.subpath or not _IMAGE.search(target)):
        return None
    if not link.is_embed and (not display or _NOT_PLAIN.search(display)):
        return None
    path = None
    for extension in (False, None):
        path = resolver.retarget(
            link, target, note.path, note.text, extension=extension, kind="wikilink"
        )
        if path is not None:
            break
    if path is None:
        return None
    shown = path + link.subpath
    alias = None if link.is_embed or (display == path and not link.subpath) else display
    if alias is not None and in_table(note, link):
        return None  # the "|" would split the table's cell
    return f"{bang}[[{shown}{_alias(alias)}]]"


def _alias(display: str | None) -> str:
    return "" if display is None else "|" + display


class LinkPath(Rule):
    """Report link paths not written in the vault's "New link format": shortest,
    relative or absolute.

    The format is ``newLinkFormat`` in ``.obsidian/app.json`` (shortest when
    unset), or the option ``format``. *shortest*: the file name when no other
    file of the vault has it, else the vault path; *relative*: a ``./`` or
    ``../`` path from the note's folder (a bare name of a file in the note's
    own folder passes); *absolute*: the vault path (with or without a leading
    ``/``). Case does not count. The unsafe fix writes the path in that
    format when it opens the same file from the note; the ``.md``, heading,
    block, display text and escaping stay as written. Off by default.
    """

    name = "link-path"
    code = "LK07"
    summary = "Link path not shortest, relative or absolute, against the vault's format"
    severity = Severity.INFO
    fixable = True
    enabled = False
    options: ClassVar[Mapping[str, Any]] = {"format": "auto"}
    choices: ClassVar[Mapping[str, tuple[str, ...]]] = {"format": ("auto", *LINK_FORMS)}
    examples = (
        Example(
            title="shortest: a folder named where the name is enough",
            bad="See [[Projects/Flow state#Deep work|deep work]] and ![](Media/My%20sketch.png).\n",
            good="See [[Flow state#Deep work|deep work]], ![](My%20sketch.png) and [[A/Plan]].\n",
            fixed="See [[Flow state#Deep work|deep work]] and ![](My%20sketch.png).\n",
            unsafe=True,
            files={
                "Projects/Flow state.md": "## Deep work\n",
                "Media/My sketch.png": "",
                "A/Plan.md": "",
                "B/Plan.md": "",
            },
        ),
        Example(
            title="format: relative",
            path="Daily/2024-05-01.md",
            bad="Worked on [[Projects/Flow state]] and [the plan](/Daily/Plan.md).\n",
            good="Worked on [[../Projects/Flow state]] and [the plan](./Plan.md).\n",
            fixed="Worked on [[../Projects/Flow state]] and [the plan](./Plan.md).\n",
            unsafe=True,
            options={"format": "relative"},
            files={"Projects/Flow state.md": "", "Daily/Plan.md": ""},
        ),
        Example(
            title="format: absolute",
            path="Daily/2024-05-01.md",
            bad="Worked on [[Flow state|flow]] and [[../Projects/Plan]].\n",
            good="Worked on [[Projects/Flow state|flow]] and [[Projects/Plan]].\n",
            fixed="Worked on [[Projects/Flow state|flow]] and [[Projects/Plan]].\n",
            unsafe=True,
            options={"format": "absolute"},
            files={"Projects/Flow state.md": "", "Projects/Plan.md": ""},
        ),
    )

    def check(self, note: Note, ctx: Context) -> Iterator[Finding]:
        chosen = self.opts["format"]
        form = cast(LinkForm, ctx.link_format if chosen == "auto" else chosen)
        if form not in LINK_FORMS:
            return
        resolver = ctx.index.resolver
        for status in resolver.statuses(note):
            link, target = status.link, status.target
            if target is None or not link.path:
                continue
            if _fits(resolver, link, target, note.path, form):
                continue
            new = resolver.retarget(link, target, note.path, note.text, form=form)
            if new is None:
                continue  # the path in that format would open another file, or cannot be written
            wanted = resolver.link_text(target, note.path, link, form)
            yield self.finding(
                note,
                link.start,
                link.end,
                f"{show_link(link)} is not the {form} path {show_link(link, wanted)}",
                Fix((Edit(link.path_start, link.path_end, new),), safe=False),
            )


def _fits(resolver: LinkResolver, link: Link, target: str, source: str, form: LinkForm) -> bool:
    """Whether the path of ``link`` is written as ``form`` writes it (case aside)."""
    written = link.path.lower()
    wanted = resolver.link_text(target, source, link, form).lower()
    if written == wanted:
        return True
    if form == "relative":  # a file of the note's own folder, named bare
        return wanted == "./" + written
    return written.startswith("/") and written[1:] == wanted and "/" in wanted


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
