"""The report as one self-contained HTML file: inline CSS and SVG, no script, no network.

Every text from the vault (type, field and note names, messages, commit subjects)
has its control characters shown (``printable``) and goes through ``html.escape``;
a Content-Security-Policy forbids scripts and fetches as a second line of defence.
Each note name opens the note in Obsidian (an ``obsidian://open`` link) and has a
link to the file beside it, relative to where the report is written. Every list
is complete: the rows past the first ones are folded in a ``<details>``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from html import escape as _escape
from typing import TypeVar
from urllib.parse import quote

from vaultlint.model import Finding
from vaultlint.printable import escape_matches, printable
from vaultlint.report.collect import (
    SEVERITIES,
    Attachment,
    BrokenTarget,
    Counts,
    FindingGroup,
    HistoryPoint,
    Incomplete,
    Report,
    TypeReport,
    group_findings,
    share,
)

FILLED = "#2e7d32"
EMPTY = "#f9a825"
MISSING = "#c62828"
LINKS = "#1565c0"
RULES = "#546e7a"
LINE_COLOURS = ("#6a1b9a", "#00838f", "#ef6c00", "#ad1457", "#4e342e", "#1565c0")


STYLE = """
:root { color-scheme: light dark; --fg: #212121; --bg: #fff; --muted: #5f5f5f; --line: #ddd;
        --track: #e0e0e0; --link: #0b57d0; --panel: #f4f5f7;
        --error: #b71c1c; --warning: #8a5300; --info: #1558b0; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #e8e8e8; --bg: #16181c; --muted: #aab0b8; --line: #3b4048; --track: #2a2e35;
          --link: #8ab4f8; --panel: #22262c; --error: #ff8a80; --warning: #ffcc80;
          --info: #9ecbff; }
}
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg);
       background: var(--bg); max-width: 1100px; margin: 24px auto; padding: 0 16px; }
a { color: var(--link); }
h1 { font-size: 24px; margin: 0 0 4px; overflow-wrap: anywhere; }
h2 { font-size: 19px; margin: 28px 0 8px; } h3 { font-size: 15px; margin: 16px 0 6px; }
h2, h3 { overflow-wrap: anywhere; }
nav a { margin-right: 12px; white-space: nowrap; }
.wide { overflow-x: auto; }
table { border-collapse: collapse; margin: 8px 0 12px; }
th, td { border: 1px solid var(--line); padding: 3px 8px; text-align: left;
         vertical-align: top; overflow-wrap: break-word; }
td a { overflow-wrap: anywhere; }  /* a long path may break anywhere, a word does not */
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; overflow-wrap: normal; }
ul { padding-left: 22px; } li { overflow-wrap: anywhere; }
svg { display: block; margin: 6px 0; }
.bars { display: grid; grid-template-columns: minmax(0, 230px) minmax(120px, 420px) auto;
        gap: 6px 10px; align-items: center; margin: 8px 0 12px; font-size: 12px; }
.bars > div { display: contents; }
.bars span { text-align: right; overflow-wrap: anywhere; }
.bars b { display: flex; height: 16px; background: var(--track); }
.bars i { display: block; }
@media (max-width: 640px) {
  body { padding: 0 10px; margin-top: 12px; }
  table { font-size: 13px; } th, td { padding: 3px 4px; }
  .bars { grid-template-columns: minmax(0, 1fr) auto; gap: 2px 8px; }
  .bars span { grid-column: 1 / -1; text-align: left; margin-top: 4px; }
}
svg text { font: 12px system-ui, sans-serif; fill: var(--fg); }
svg .g { stroke: var(--line); }
.legend span { display: inline-block; width: 12px; height: 12px; margin: 0 4px 0 12px;
               vertical-align: -1px; }
.muted, small { color: var(--muted); }
a[href^="obsidian:"] + a { font-size: 12px; color: var(--muted); }  /* the file beside */
details { margin: 4px 0; } summary { cursor: pointer; overflow-wrap: anywhere; }
details.more > summary { color: var(--muted); }
.tiles { display: flex; flex-wrap: wrap; gap: 8px; margin: 8px 0; }
.tiles div { background: var(--panel); border-left: 4px solid; padding: 6px 12px; }
.tiles b { font-size: 20px; margin-right: 6px; }
.tiles .error { border-color: var(--error); } .tiles .warning { border-color: var(--warning); }
.tiles .info { border-color: var(--info); }
span.e { color: var(--error); } span.w { color: var(--warning); }
span.i { color: var(--info); }
dt { margin-top: 10px; overflow-wrap: anywhere; } dd { margin: 2px 0 0 0; }
dd ul { margin: 0; } code { font-size: 13px; }
/* words written by the style sheet: tens of thousands of them on a large vault */
dt small::after { content: " findings"; } dt small.o::after { content: " finding"; }
li u { text-decoration: none; } li u::before { content: "(and "; }
li u::after { content: " other messages)"; } li u.o::after { content: " other message)"; }
ul.e li::before { content: "error "; color: var(--error); font-weight: 600; }
ul.w li::before { content: "warning "; color: var(--warning); font-weight: 600; }
ul.i li::before { content: "info "; color: var(--info); font-weight: 600; }
"""

T = TypeVar("T")
_SURROGATE = re.compile("[\ud800-\udfff]")
_SEVERITY_CLASS = {"error": "e", "warning": "w", "info": "i"}


def text(value: str) -> str:
    """Vault text as HTML: control characters and lone surrogates shown escaped
    (``\\x1b``), then ``&<>"`` as entities (safe in a double-quoted attribute too)."""
    # Most text has no control character and no lone surrogate (str.isprintable rejects
    # both) and none of &<>": a report has a hundred thousand texts.
    if not value.isprintable() or "::" in value:
        value = escape_matches(_SURROGATE, printable(value))
    if "&" in value:
        value = value.replace("&", "&amp;")
    if "<" in value:
        value = value.replace("<", "&lt;")
    if ">" in value:
        value = value.replace(">", "&gt;")
    return value.replace('"', "&quot;") if '"' in value else value


# What ``quote(..., safe="/")`` leaves as it is, and the space it writes as %20.
_URL_PLAIN = re.compile(r"[A-Za-z0-9_.~/ -]*")


def url_path(value: str) -> str:
    """``value`` quoted for a URL, ``/`` kept: ``quote`` of its UTF-8 bytes, without it
    for the names most vaults have (letters, digits, spaces)."""
    if _URL_PLAIN.fullmatch(value):
        return value.replace(" ", "%20")
    return quote(_url_bytes(value), safe="/")


def _url_bytes(value: str) -> bytes:
    """A name's bytes for a URL: a byte that is not UTF-8 (os.fsdecode's escape) as itself."""
    try:
        return value.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return value.encode("utf-8", "surrogatepass")


@dataclass
class Links:
    """How a vault path is linked: ``obsidian://open`` in the vault named ``vault``
    (None: no such link), and the file relative to the report (``base`` is the vault
    root's URL from there: empty, or ending in ``/``)."""

    vault: str | None
    base: str = ""
    entries: dict[str, str] = field(default_factory=dict)  # path -> id of its findings
    made: dict[str, str] = field(default_factory=dict)  # path -> its links
    app: str = field(init=False, default="")  # the obsidian:// URL but the file's path

    def __post_init__(self) -> None:
        if self.vault is not None:
            vault = quote(_url_bytes(self.vault), safe="")
            self.app = f"obsidian://open?vault={vault}&file="  # quoted: "&file=" reads as itself

    def note(self, path: str) -> str:
        found = self.made.get(path)
        if found is None:
            found = self.made[path] = self._note(path)
        return found

    def _note(self, path: str) -> str:
        url = url_path(path)
        file = _escape(self.base + url)
        if self.vault is None:
            return f'<a href="{file}">{text(path)}</a>'
        return f'<a href="{self.app}{url}">{text(path)}</a> <a href="{file}">file</a>'

    def short(self, path: str) -> str:
        """A link to the note's findings further down (which link the note), when it has
        any: the folded rest of a long list stays small."""
        entry = self.entries.get(path)
        return self.note(path) if entry is None else f'<a href="#{entry}">{text(path)}</a>'


@dataclass(frozen=True)
class Segment:
    value: int
    colour: str
    label: str  # for the tooltip


@dataclass(frozen=True)
class BarRow:
    label: str
    segments: tuple[Segment, ...]
    total: int  # the full length of the bar (segments may fill less of it)
    caption: str  # the numbers, after the bar


def render(report: Report, limit: int, base: str = "") -> str:
    """The page; ``base`` is the vault root's URL relative to where it is written."""
    ordered = _by_weight(report.findings)
    links = Links(
        report.header.vault if report.header else None,
        base,
        {path: f"n{n}" for n, (path, _) in enumerate(ordered)},
    )
    body = [*_top(report), *_summary(report), *_overview(report)]
    for t in report.types:
        body += _type_section(t, limit, links)
    body += _links(report, limit, links)
    body += _hygiene(report, limit, links)
    body += properties_section(report, limit)
    body += _rules(report)
    body += _notes(ordered, limit, links, report.finding_html)
    title = "vaultlint report" + (f": {report.header.vault}" if report.header else "")
    return _page("\n".join(body), text(title))


def _page(body: str, title: str = "vaultlint report") -> str:
    policy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{policy}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{title}</title>\n"
        f"<style>{STYLE}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n"
    )


# --- charts --------------------------------------------------------------------------------


def _short(text: str, width: int = 34) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def bar_chart(rows: Sequence[BarRow], title: str) -> str:
    """Horizontal bars, one row each: label, the segments on a grey track, the numbers.
    Plain HTML in a grid (no SVG), so that it narrows on a phone: there the label
    goes above its bar."""
    parts = [f'<div class="bars" aria-label="{text(title)}">']
    for row in rows:
        segments = "".join(
            f'<i style="width:{100 * s.value / row.total:.2f}%;background:{s.colour}" '
            f'title="{text(s.label)}: {s.value}"></i>'
            for s in row.segments
            if s.value > 0 and row.total > 0
        )
        parts.append(
            f"<div><span>{text(row.label)}</span><b>{segments}</b>{text(row.caption)}</div>"
        )
    parts.append("</div>")
    return "\n".join(parts)


def line_chart(history: Sequence[HistoryPoint], names: Sequence[str]) -> str:
    """Percent complete per type (one line each) over the commits, oldest on the left."""
    left, top, plot_w, plot_h = 48, 12, 600, 200
    width, height = left + plot_w + 220, top + plot_h + 44
    n = len(history)

    def px(i: int) -> float:
        return left + (plot_w / 2 if n == 1 else plot_w * i / (n - 1))

    def py(percent: float) -> float:
        return top + plot_h * (1 - percent / 100)

    parts = [
        f'<div class="wide"><svg width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="completeness per commit">'
    ]
    for tick in (0, 25, 50, 75, 100):
        y = py(tick)
        parts.append(
            f'<line class="g" x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" '
            'stroke="#ddd"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{tick} %</text>'
        )
    step = max(1, -(-n // 10))
    for i, point in enumerate(history):
        if i % step == 0 or i == n - 1:
            parts.append(
                f'<text x="{px(i):.1f}" y="{top + plot_h + 18}" text-anchor="middle">'
                f"<title>{text(point.date)} {text(point.subject)}</title>"
                f"{text(point.commit[:7])}</text>"
            )
    for k, name in enumerate(names):
        colour = LINE_COLOURS[k % len(LINE_COLOURS)]
        # A commit where the type has no notes is no point (never drawn as 100 %).
        kept = [(i, p) for i, p in enumerate(history) if p.types[name].notes]
        points = [(px(i), py(p.types[name].percent)) for i, p in kept]
        coords = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        parts.append(
            f'<polyline points="{coords}" fill="none" stroke="{colour}" stroke-width="3"/>'
        )
        for (x, y), (_, point) in zip(points, kept, strict=True):
            c = point.types[name]
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" fill="{colour}"><title>'
                f"{text(name)} at {text(point.commit[:7])}: {share(c.complete, c.notes)}"
                "</title></circle>"
            )
        ly = top + 14 + 20 * k
        parts.append(
            f'<rect x="{left + plot_w + 16}" y="{ly - 10}" width="12" height="12" '
            f'fill="{colour}"/><text x="{left + plot_w + 34}" y="{ly}">'
            f"{text(_short(name, 26))}</text>"
        )
    parts.append("</svg></div>")
    return "".join(parts)


def _legend(*items: tuple[str, str]) -> str:
    spans = "".join(
        f'<span style="background:{colour}"></span>{text(label)}' for label, colour in items
    )
    return f'<p class="legend">{spans}</p>'


def _rows_html(tag: str, cells: Sequence[str], first_numeric: int) -> str:
    """The cells of a row, without end tags (the next cell or row ends each)."""
    return "".join(
        f'<{tag} class="n">{v}' if i >= first_numeric else f"<{tag}>{v}"
        for i, v in enumerate(cells)
    )


def _table(
    header: Sequence[str], rows: Sequence[Sequence[str]], numeric: int = 0, limit: int = 0
) -> str:
    """A table of HTML cells (escaped by the caller); the last ``numeric`` columns are
    right-aligned. With a ``limit``, the rows past it are folded below, in a second table."""
    if limit <= 0 or len(rows) <= limit:
        return _one_table(header, rows, numeric)
    rest = _one_table(header, rows[limit:], numeric)
    return _one_table(header, rows[:limit], numeric) + _fold(len(rows) - limit, "more rows", rest)


Row = Callable[[T, Callable[[str], str]], list[str]]


def _note_table(
    header: Sequence[str], items: Sequence[T], row: Row[T], links: Links, numeric: int, limit: int
) -> str:
    """A table of ``items``, ``row`` making the cells of one (with a function that links
    a note): every item, those past ``limit`` folded and their notes linked short."""
    head = _one_table(header, [row(i, links.note) for i in items[:limit]], numeric)
    if len(items) <= limit:
        return head
    rest = _one_table(header, [row(i, links.short) for i in items[limit:]], numeric)
    return head + _fold(len(items) - limit, "more rows", rest)


def _one_table(header: Sequence[str], rows: Sequence[Sequence[str]], numeric: int) -> str:
    first_numeric = len(header) - numeric
    head = f"<thead><tr>{_rows_html('th', [text(h) for h in header], first_numeric)}</tr></thead>"
    body = "\n".join(f"<tr>{_rows_html('td', row, first_numeric)}" for row in rows)
    return f'<div class="wide"><table>{head}<tbody>\n{body}\n</tbody></table></div>'


def _fold(count: int, what: str, inside: str) -> str:
    return f'<details class="more"><summary>{count} {what}</summary>\n{inside}\n</details>'


def _list(paths: Sequence[str], limit: int, links: Links) -> str:
    """A list of every note of ``paths``, those past ``limit`` folded."""

    def one(part: Sequence[str], link: Callable[[str], str]) -> str:
        return "<ul>\n" + "\n".join(f"<li>{link(p)}" for p in part) + "\n</ul>"

    if len(paths) <= limit:
        return one(paths, links.note)
    rest = one(paths[limit:], links.short)
    return one(paths[:limit], links.note) + _fold(len(paths) - limit, "more", rest)


def _some(paths: Sequence[str], link: Callable[[str], str], n: int = 3) -> str:
    """The first ``n`` notes, the others folded."""
    shown = ", ".join(map(link, paths[:n]))
    if len(paths) <= n:
        return shown
    return shown + _fold(len(paths) - n, "more", ", ".join(map(link, paths[n:])))


def _plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else (many or word + 's')}"


# --- sections -----------------------------------------------------------------------------


def _top(report: Report) -> list[str]:
    h = report.header
    if h is None:
        out = ["<h1>vaultlint report</h1>"]
    else:
        out = [f"<h1>vaultlint report: {text(h.vault)}</h1>"]
        meta = [text(h.date)]
        if h.commit:
            meta.append(f'commit <code title="{text(h.commit)}">{text(h.commit[:12])}</code>')
        meta.append(f"vaultlint {text(h.version)}")
        out.append(f'<p class="muted">{" · ".join(meta)}</p>')
    hy = report.hygiene
    others = [_plural(hy.canvases, "canvas", "canvases")] if hy.canvases else []
    others += [_plural(hy.bases, "base")] if hy.bases else []
    also = f" (and {' and '.join(others)})" if others else ""
    out.append(f"<p>{_plural(report.notes, 'note')} checked{also}.</p>")
    sections = [("findings", "Findings"), ("completeness", "Completeness"), ("links", "Links")]
    sections += [("hygiene", "Hygiene"), ("properties", "Properties"), ("rules", "Rules")]
    sections.append(("notes", "Notes"))
    out.append("<nav>" + " ".join(f'<a href="#{a}">{t}</a>' for a, t in sections) + "</nav>")
    return out


def _summary(report: Report) -> list[str]:
    """The findings by severity, as tiles."""
    counts = report.severities or {}
    total = sum(counts.values())
    out = ['<h2 id="findings">Findings by severity</h2>']
    if not counts:
        return [*out, f"<p>{_plural(sum(report.rules.values()), 'finding')}.</p>"]
    tiles = "".join(
        f'<div class="{name}"><b>{counts.get(name, 0)}</b>{name}</div>' for name in SEVERITIES
    )
    out.append(
        f"<p>{_plural(total, 'finding')} on {_plural(len(report.findings), 'note')}"
        if report.findings
        else f"<p>{_plural(total, 'finding')}"
    )
    out[-1] += (
        ' (see <a href="#notes">each note\'s findings</a>).</p>' if report.findings else ".</p>"
    )
    out.append(f'<div class="tiles">{tiles}</div>')
    return out


def _overview(report: Report) -> list[str]:
    rows = [
        BarRow(
            t.name,
            (Segment(t.complete, FILLED, "complete"),),
            t.notes,
            share(t.complete, t.notes).replace("/", " of ") if t.notes else "no notes",
        )
        for t in report.types
    ]
    out = ['<h2 id="completeness">Completeness</h2>', bar_chart(rows, "complete notes per type")]
    out.append(
        _table(
            ["type", "notes", "complete", "% complete"],
            [
                [text(t.name), str(t.notes), str(t.complete), share(t.complete, t.notes, False, "")]
                for t in report.types
            ],
            3,
        )
    )
    if report.history:
        names = [t.name for t in report.types]
        out += ["<h3>History (oldest first)</h3>", line_chart(report.history, names)]
        out.append(
            _table(
                ["commit", "date", "subject", *names],
                [
                    [text(p.commit[:10]), text(p.date), text(p.subject)]
                    + [share(p.types[n].complete, p.types[n].notes) for n in names]
                    for p in report.history
                ],
                len(names),
            )
        )
    return out


def _state_rows(items: dict[str, Counts], notes: int, kind: str) -> list[BarRow]:
    return [
        BarRow(
            f"{name} ({kind})",
            (
                Segment(c.filled, FILLED, "filled"),
                Segment(c.empty, EMPTY, "empty"),
                Segment(c.missing, MISSING, "missing"),
            ),
            notes,
            f"{c.filled} filled, {c.empty} empty, {c.missing} missing",
        )
        for name, c in items.items()
    ]


def _type_section(t: TypeReport, limit: int, links: Links) -> list[str]:
    shown = share(t.complete, t.notes, False)
    out = [f"<h2>{text(t.name)}: {t.complete} of {t.notes} complete ({shown})</h2>"]
    rows = _state_rows(t.fields, t.notes, "field") + _state_rows(t.sections, t.notes, "section")
    if rows and t.notes:
        out.append(_legend(("filled", FILLED), ("empty", EMPTY), ("missing", MISSING)))
        out.append(bar_chart(rows, f"fields and sections of {t.name} notes"))
    table_rows = [
        [text(name), kind, str(c.filled), str(c.empty), str(c.missing)]
        for kind, items in (("field", t.fields), ("section", t.sections))
        for name, c in items.items()
    ]
    if table_rows:
        out.append(_table(["name", "kind", "filled", "empty", "missing"], table_rows, 3))
    listed: list[Incomplete] = [*t.incomplete, *t.rest]
    if listed:
        out.append(f"<h3>Least complete {text(t.name)} notes</h3>")
        out.append(_note_table(["note", "missing", "empty"], listed, _lacks, links, 0, limit))
    out += _more(len(listed), t.incomplete_total)
    return out


def _lacks(i: Incomplete, link: Callable[[str], str]) -> list[str]:
    return [link(i.path), text(", ".join(i.missing)), text(", ".join(i.empty))]


def _more(shown: int, total: int) -> list[str]:
    if total <= shown:
        return []
    return [f'<p class="muted">… {total - shown} more not listed.</p>']


def _links(report: Report, limit: int, links: Links) -> list[str]:
    found = report.links
    out = [
        '<h2 id="links">Links</h2>',
        f"<p>{_plural(found.broken, 'broken link')} to "
        f"{_plural(len(found.by_target), 'missing note')}; "
        f"{_plural(len(found.orphans), 'orphan')} (notes no other note links to); "
        f"{_plural(len(report.hygiene.dead_ends), 'dead end')} (notes that link nowhere).</p>",
    ]
    if found.by_target:
        shown = found.by_target[:limit]
        most = shown[0].count
        rows = [
            BarRow(b.label, (Segment(b.count, LINKS, "broken links"),), most, str(b.count))
            for b in shown
        ]
        out += ["<h3>Most-wanted missing notes</h3>", bar_chart(rows, "broken links per target")]
        header = ["missing note", "linked from", "links"]
        out.append(_note_table(header, found.by_target, _wanted, links, 1, limit))
    if found.orphans:
        out += ["<h3>Orphans</h3>", _list(found.orphans, limit, links)]
    if report.hygiene.dead_ends:
        out += ["<h3>Dead ends</h3>", _list(report.hygiene.dead_ends, limit, links)]
    return out


def _wanted(b: BrokenTarget, link: Callable[[str], str]) -> list[str]:
    return [text(b.label), _some(b.sources, link), str(b.count)]


def _hygiene(report: Report, limit: int, links: Links) -> list[str]:
    """Unused attachments, empty notes, stubs, shared names, canvas and base counts."""
    from vaultlint.report.markdown import size

    h = report.hygiene
    out = [
        '<h2 id="hygiene">Vault hygiene</h2>',
        f"<p>{_plural(len(h.unused), 'unused attachment')} ({size(h.unused_bytes)}); "
        f"{_plural(len(h.empty), 'empty note')}; {_plural(len(h.stubs), 'stub')}; "
        f"{_plural(len(h.same_names), 'name')} shared by several files; "
        f"{_plural(h.canvases, 'canvas', 'canvases')} and {_plural(h.bases, 'base')}.</p>",
    ]
    if h.unused:
        out.append("<h3>Unused attachments (the largest first)</h3>")
        out.append(_note_table(["file", "size"], h.unused, _attachment, links, 1, limit))
    for title, items in (
        ("Empty notes", h.empty),
        ("Stubs (only a title, no link to or from them)", h.stubs),
    ):
        if items:
            out += [f"<h3>{title}</h3>", _list(items, limit, links)]
    if h.same_names:
        out.append("<h3>Files sharing a name</h3>")
        out.append(_note_table(["name", "files"], h.same_names, _shared, links, 0, limit))
    return out


def _attachment(a: Attachment, link: Callable[[str], str]) -> list[str]:
    from vaultlint.report.markdown import size

    return [link(a.path), size(a.size)]


def _shared(group: list[str], link: Callable[[str], str]) -> list[str]:
    return [text(group[0].rpartition("/")[2]), "<br>".join(map(link, group))]


def properties_section(report: Report, limit: int) -> list[str]:
    """Properties with their types and uses, tags in use, near-duplicate tags: every
    one, those past ``limit`` folded (every vault text escaped)."""
    p = report.properties
    out = [
        '<h2 id="properties">Properties and tags</h2>',
        f"<p>{_plural(len(p.properties), 'property', 'properties')}; "
        f"{_plural(len(p.tags), 'tag')}; {_plural(len(p.near_duplicates), 'tag')} "
        "spelled several ways.</p>",
    ]
    if p.properties:
        rows = [
            [
                text(u.name),
                text(u.type) + ("" if u.declared else " (inferred)"),
                str(u.notes),
                str(u.breaking),
            ]
            for u in p.properties
        ]
        header = ["property", "type", "notes", "values breaking it"]
        out.append(_table(header, rows, 2, limit))
    if p.tags:
        out.append("<h3>Tags in use</h3>")
        rows = [[text("#" + t.tag), str(t.notes)] for t in p.tags]
        out.append(_table(["tag", "notes"], rows, 1, limit))
    if p.near_duplicates:
        out.append("<h3>Tags spelled several ways (the most used first)</h3>")
        rows = [[text(", ".join(f"#{t.tag} ({t.notes})" for t in g))] for g in p.near_duplicates]
        out.append(_table(["spellings"], rows, 0, limit))
    return out


def _rules(report: Report) -> list[str]:
    out = ['<h2 id="rules">Findings per rule</h2>']
    if not report.rules:
        return [*out, "<p>No findings.</p>"]
    most = max(report.rules.values())
    rows = [
        BarRow(
            f"{code} {report.rule_names.get(code, '')}",
            (Segment(count, RULES, "findings"),),
            most,
            str(count),
        )
        for code, count in report.rules.items()
    ]
    out.append(bar_chart(rows, "findings per rule"))
    severity: dict[str, str] = {}
    for groups in report.findings.values():
        for g in groups:
            severity.setdefault(g.code, g.severity)
    table_rows = [
        [text(code), text(report.rule_names.get(code, "")), _severity(severity.get(code)), str(n)]
        for code, n in report.rules.items()
    ]
    out.append(_table(["code", "rule", "severity", "findings"], table_rows, 1))
    return out


def _severity(name: str | None) -> str:
    if name is None:
        return ""
    return f'<span class="{_SEVERITY_CLASS.get(name, "i")}">{text(name)}</span>'


Entries = list[tuple[str, tuple[FindingGroup, ...]]]


def _by_weight(findings: dict[str, tuple[FindingGroup, ...]]) -> Entries:
    """The notes with findings, the most errors first, then warnings, then findings."""

    def weight(item: tuple[str, tuple[FindingGroup, ...]]) -> tuple[int, int, int, str]:
        errors = warnings = total = 0
        for g in item[1]:
            total += g.findings
            errors += g.findings if g.severity == "error" else 0
            warnings += g.findings if g.severity == "warning" else 0
        return (-errors, -warnings, -total, item[0])

    return sorted(findings.items(), key=weight)


def _notes(ordered: Entries, limit: int, links: Links, made: dict[str, str]) -> list[str]:
    """Each note's findings, one line a rule; the notes past ``limit`` folded."""
    out = ['<h2 id="notes">Findings per note</h2>']
    if not ordered:
        return [*out, "<p>No note has findings.</p>"]
    out.append(
        f"<p>{_plural(len(ordered), 'note')} with findings, the most errors first, then "
        "warnings. One line a rule: its severity, its code, how many findings (when more "
        "than one), their first lines in brackets, the first message.</p>"
    )
    entries = [_note_entry(path, groups, links, made.get(path)) for path, groups in ordered]
    out.append("<dl>\n" + "\n".join(entries[:limit]) + "\n</dl>")
    if len(entries) > limit:
        rest = "<dl>\n" + "\n".join(entries[limit:]) + "\n</dl>"
        out.append(_fold(len(entries) - limit, "more notes", rest))
    return out


def _note_entry(
    path: str, groups: tuple[FindingGroup, ...], links: Links, lists: str | None = None
) -> str:
    """A note and its findings by severity (``lists``: ``_lists`` of them, when made
    already)."""
    total = sum(g.findings for g in groups)
    count = "<small class=o>1</small>" if total == 1 else f"<small>{total}</small>"
    shown = _lists(groups) if lists is None else lists
    return f"<dt id={links.entries[path]}>{links.note(path)} {count}<dd>{shown}"


def _lists(groups: tuple[FindingGroup, ...]) -> str:
    """A note's findings, a list a severity: the severity, "findings" after the count
    and "(and N other messages)" are written by the style sheet (``ul.e li::before``,
    ``dt small::after``, ``li u``), as a large vault has tens of thousands of these
    lines. No end tags where the next element ends one."""
    lines: dict[str, list[str]] = {severity: [] for severity in SEVERITIES}
    for g in groups:
        found = lines.get(g.severity)
        if found is not None:
            found.append(_group_line(g))
    return "".join(
        f"<ul class={_SEVERITY_CLASS[severity]}>{''.join(shown)}</ul>"
        for severity, shown in lines.items()
        if shown
    )


# Names the cached form of ``note_findings_text``: a new one when that form changes.
NOTE_FINDINGS_KEY = "report-html-findings/1"


def note_findings_text(findings: Sequence[Finding]) -> str:
    """One note's findings as a report with details keeps them (in the cache, like a
    check's text): their groups (``group_findings``) as one line of JSON, then the
    lists the page shows of them (``_lists``). ``read_note_findings`` reads it."""
    groups = group_findings(
        [(f.line, f.code, f.rule, f.severity.value, f.message) for f in findings]
    )
    # ASCII: a lone surrogate (a name that is not UTF-8) stays an escape.
    return json.dumps(groups, separators=(",", ":")) + "\n" + _lists(groups)


def read_note_findings(text: str) -> tuple[tuple[FindingGroup, ...], str]:
    """The groups and lists of ``note_findings_text``."""
    head, _, lists = text.partition("\n")
    groups = tuple(
        FindingGroup(code, rule, severity, count, message, tuple(lines), messages)
        for code, rule, severity, count, message, lines, messages in json.loads(head)
    )
    return groups, lists


def _group_line(g: FindingGroup) -> str:
    where = ", ".join(map(str, g.lines)) + ("…" if g.findings > len(g.lines) else "")
    count = f" ×{g.findings}" if g.findings > 1 else ""
    others = g.messages - 1
    more = "" if not others else " <u class=o>1</u>" if others == 1 else f" <u>{others}</u>"
    return f"<li>{text(g.code)}{count} ({where}) {text(g.message)}{more}"
