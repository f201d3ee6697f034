"""The report for a terminal: rich tables with bar charts made of block characters.

The bars use a different character for each state as well as a colour, so
they read the same without colour (``NO_COLOR``, a file, a CI log).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TextIO

from vaultlint.printable import printable
from vaultlint.report.collect import Counts, Report, TypeReport, share

if TYPE_CHECKING:
    from rich.table import Table
    from rich.text import Text

BAR = 24
FILLED, EMPTY, MISSING = ("█", "green"), ("▒", "yellow"), ("░", "red")
PALE = ("·", "dim")
# The width off a terminal (a CI log, a file): wide enough that no cell wraps, as a
# wrapped name could start a log line with "::", a workflow command.
LOG_WIDTH = 1_000_000


def render(report: Report, out: TextIO, limit: int) -> None:
    from vaultlint.output.text import isatty, make_console

    console = make_console(out)
    if not isatty(out):
        console.width = LOG_WIDTH
    console.print(f"vaultlint report: {report.notes} notes", style="bold")
    console.print(_overview(report.types))
    for t in report.types:
        _type(console, t, limit)
    _links(console, report, limit)
    _hygiene(console, report, limit)
    _properties(console, report, limit)
    console.print(_rules(report))
    if report.history is not None:
        console.print(_history(report))


def escape(text: str) -> str:
    """``text`` for places rich reads as markup (titles, column headers)."""
    from rich.markup import escape as rich_escape

    return rich_escape(printable(text))


def _plain(text: str) -> Text:
    """User text (names, paths) never read as rich markup, its control characters shown."""
    from rich.text import Text

    return Text(printable(text))


def _table(title: str, *columns: str, numeric: int = 0) -> Table:
    from rich.table import Table

    table = Table(title=title, title_justify="left", title_style="bold", box=None)
    for n, column in enumerate(columns):
        right = len(columns) - numeric <= n < len(columns)
        table.add_column(column, justify="right" if right else "left")
    return table


def bar(parts: Sequence[tuple[int, tuple[str, str]]], total: int, width: int = BAR) -> Text:
    """A bar of ``width`` cells split in proportion to ``parts`` (count, (char, style))."""
    from rich.text import Text

    text = Text()
    if total <= 0:
        return text
    used = 0
    running = 0
    for count, (char, style) in parts:
        running += count
        cells = round(running * width / total) - used
        used += cells
        text.append(char * cells, style=style)
    return text


def _overview(types: Sequence[TypeReport]) -> Table:
    table = _table("Completeness per note type", "type", "", "notes", "complete", "%", numeric=3)
    for t in types:
        chart = bar([(t.complete, FILLED), (t.notes - t.complete, PALE)], t.notes)
        table.add_row(
            _plain(t.name),
            chart,
            str(t.notes),
            str(t.complete),
            share(t.complete, t.notes, False, ""),
        )
    return table


def _counts_table(title: str, what: str, items: dict[str, Counts], notes: int) -> Table:
    table = _table(title, what, "", "filled", "empty", "missing", numeric=3)
    for name, c in items.items():
        chart = bar([(c.filled, FILLED), (c.empty, EMPTY), (c.missing, MISSING)], notes)
        table.add_row(_plain(name), chart, str(c.filled), str(c.empty), str(c.missing))
    return table


def _type(console: Any, t: TypeReport, limit: int) -> None:
    console.print()
    console.print(
        f"{printable(t.name)}: {t.complete} of {t.notes} notes complete"
        f" ({share(t.complete, t.notes, False)})",
        style="bold",
        markup=False,
    )
    console.print(f"  {FILLED[0]} filled  {EMPTY[0]} empty  {MISSING[0]} missing", style="dim")
    if t.fields:
        console.print(_counts_table("", "field", t.fields, t.notes))
    if t.sections:
        console.print(_counts_table("", "section", t.sections, t.notes))
    shown = t.incomplete[:limit]
    if shown:
        table = _table(f"Least complete {escape(t.name)} notes", "note", "missing", "empty")
        for i in shown:
            table.add_row(*map(_plain, (i.path, ", ".join(i.missing), ", ".join(i.empty))))
        console.print(table)
    _more(console, len(shown), t.incomplete_total)


def _more(console: Any, shown: int, total: int) -> None:
    if total > shown:
        console.print(f"… {total - shown} more not shown", style="dim")


def _links(console: Any, report: Report, limit: int) -> None:
    links = report.links
    console.print()
    console.print(
        f"Links: {links.broken} broken to {len(links.by_target)} missing notes; "
        f"{len(links.orphans)} orphans",
        style="bold",
    )
    shown = links.by_target[:limit]
    if shown:
        most = shown[0].count
        table = _table("Most-wanted missing notes", "missing note", "", "links", numeric=1)
        for b in shown:
            table.add_row(_plain(b.label), bar([(b.count, ("█", "blue"))], most, 12), str(b.count))
        console.print(table)
    _more(console, len(shown), len(links.by_target))
    orphans = links.orphans[:limit]
    if orphans:
        console.print("Orphans (no other note links to them):", style="bold")
        for path in orphans:
            console.print(f"  {printable(path)}", highlight=False, markup=False)
    _more(console, len(orphans), len(links.orphans))


def _hygiene(console: Any, report: Report, limit: int) -> None:
    from vaultlint.report.markdown import size

    h = report.hygiene
    console.print()
    console.print(
        f"Hygiene: {len(h.unused)} unused attachments ({size(h.unused_bytes)}); "
        f"{len(h.empty)} empty notes; {len(h.stubs)} stubs; {len(h.same_names)} shared names; "
        f"{len(h.dead_ends)} dead ends; {h.canvases} canvases, {h.bases} bases",
        style="bold",
    )
    unused = h.unused[:limit]
    if unused:
        table = _table("Unused attachments (the largest first)", "file", "size", numeric=1)
        for a in unused:
            table.add_row(_plain(a.path), size(a.size))
        console.print(table)
    _more(console, len(unused), len(h.unused))
    for title, items in (
        ("Empty notes", h.empty),
        ("Stubs (only a title, no link to or from them)", h.stubs),
        ("Dead ends (link nowhere)", h.dead_ends),
    ):
        shown = items[:limit]
        if shown:
            console.print(f"{title}:", style="bold")
            for path in shown:
                console.print(f"  {printable(path)}", highlight=False, markup=False)
        _more(console, len(shown), len(items))
    groups = h.same_names[:limit]
    if groups:
        console.print("Files sharing a name:", style="bold")
        for group in groups:
            console.print(f"  {printable(', '.join(group))}", highlight=False, markup=False)
    _more(console, len(groups), len(h.same_names))


def _properties(console: Any, report: Report, limit: int) -> None:
    p = report.properties
    console.print()
    console.print(
        f"Properties: {len(p.properties)}; tags: {len(p.tags)}; "
        f"{len(p.near_duplicates)} tags spelled several ways",
        style="bold",
    )
    props = p.properties[:limit]
    if props:
        table = _table("", "property", "type", "notes", "breaking", numeric=2)
        for u in props:
            kind = u.type + ("" if u.declared else " (inferred)")
            table.add_row(_plain(u.name), kind, str(u.notes), str(u.breaking))
        console.print(table)
    _more(console, len(props), len(p.properties))
    tags = p.tags[:limit]
    if tags:
        table = _table("Tags in use", "tag", "notes", numeric=1)
        for t in tags:
            table.add_row(_plain("#" + t.tag), str(t.notes))
        console.print(table)
    _more(console, len(tags), len(p.tags))
    groups = p.near_duplicates[:limit]
    if groups:
        console.print("Tags spelled several ways (the most used first):", style="bold")
        for g in groups:
            line = ", ".join(f"#{t.tag} ({t.notes})" for t in g)
            console.print(f"  {printable(line)}", highlight=False, markup=False)
    _more(console, len(groups), len(p.near_duplicates))


def _rules(report: Report) -> Table:
    table = _table("Findings per rule", "code", "rule", "", "findings", numeric=1)
    most = max(report.rules.values(), default=0)
    for code, count in report.rules.items():
        chart = bar([(count, ("█", "blue"))], most, 12)
        table.add_row(code, _plain(report.rule_names.get(code, "")), chart, str(count))
    return table


def _history(report: Report) -> Table:
    names = [t.name for t in report.types]
    table = _table("Completeness history (oldest first)", "commit", "date", *map(escape, names))
    for point in report.history or []:
        cells = []
        for name in names:
            c = point.types[name]
            cells.append(share(c.complete, c.notes))
        table.add_row(point.commit[:10], point.date, *cells)
    return table
