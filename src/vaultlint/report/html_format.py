"""The report as one self-contained HTML file: inline CSS and SVG, no script, no network.

Every text from the vault (type, field and note names, commit subjects) goes
through ``html.escape``; a Content-Security-Policy forbids scripts and fetches
as a second line of defence.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from vaultlint.report.collect import Counts, HistoryPoint, Report, TypeReport

FILLED = "#2e7d32"
EMPTY = "#f9a825"
MISSING = "#c62828"
LINKS = "#1565c0"
RULES = "#546e7a"
TRACK = "#e0e0e0"
LINE_COLOURS = ("#6a1b9a", "#00838f", "#ef6c00", "#ad1457", "#4e342e", "#1565c0")

LABEL_W, BAR_X, BAR_W, ROW_H, BAR_H = 230, 240, 420, 24, 16
CHART_W = BAR_X + BAR_W + 280

STYLE = """
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #212121;
       max-width: 1100px; margin: 24px auto; padding: 0 16px; }
h1 { font-size: 24px; margin: 0 0 4px; } h2 { font-size: 19px; margin: 28px 0 8px; }
h3 { font-size: 15px; margin: 16px 0 6px; }
table { border-collapse: collapse; margin: 8px 0 12px; }
th, td { border: 1px solid #ddd; padding: 3px 8px; text-align: left; vertical-align: top; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
svg { display: block; margin: 6px 0; }
svg text { font: 12px system-ui, sans-serif; fill: #212121; }
.legend span { display: inline-block; width: 12px; height: 12px; margin: 0 4px 0 12px;
               vertical-align: -1px; }
.muted { color: #616161; }
"""


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


def render(report: Report, limit: int) -> str:
    body = [
        "<h1>vaultlint report</h1>",
        f'<p class="muted">{report.notes} notes checked.</p>',
        *_overview(report),
    ]
    for t in report.types:
        body += _type_section(t, limit)
    body += _links(report, limit)
    body += _hygiene(report, limit)
    body += properties_section(report, limit)
    body += _rules(report)
    return _page("\n".join(body))


def _page(body: str) -> str:
    policy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{policy}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        "<title>vaultlint report</title>\n"
        f"<style>{STYLE}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n"
    )


# --- charts --------------------------------------------------------------------------------


def _short(text: str, width: int = 34) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def bar_chart(rows: Sequence[BarRow], title: str) -> str:
    """Horizontal bars, one row each: label, the segments on a grey track, the numbers."""
    height = ROW_H * len(rows) + 4
    parts = [
        f'<svg width="{CHART_W}" height="{height}" viewBox="0 0 {CHART_W} {height}" '
        f'role="img" aria-label="{escape(title)}">'
    ]
    for n, row in enumerate(rows):
        y = n * ROW_H + 4
        parts.append(
            f'<text x="{LABEL_W}" y="{y + BAR_H - 3}" text-anchor="end">'
            f"<title>{escape(row.label)}</title>{escape(_short(row.label))}</text>"
        )
        parts.append(f'<rect x="{BAR_X}" y="{y}" width="{BAR_W}" height="{BAR_H}" fill="{TRACK}"/>')
        x = float(BAR_X)
        for segment in row.segments:
            if segment.value <= 0 or row.total <= 0:
                continue
            w = BAR_W * segment.value / row.total
            parts.append(
                f'<rect x="{x:.2f}" y="{y}" width="{w:.2f}" height="{BAR_H}" '
                f'fill="{segment.colour}"><title>{escape(segment.label)}: {segment.value}'
                "</title></rect>"
            )
            x += w
        parts.append(
            f'<text x="{BAR_X + BAR_W + 8}" y="{y + BAR_H - 3}">{escape(row.caption)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


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
        f'<svg width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" '
        'aria-label="completeness per commit">'
    ]
    for tick in (0, 25, 50, 75, 100):
        y = py(tick)
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="#ddd"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{tick} %</text>'
        )
    step = max(1, -(-n // 10))
    for i, point in enumerate(history):
        if i % step == 0 or i == n - 1:
            parts.append(
                f'<text x="{px(i):.1f}" y="{top + plot_h + 18}" text-anchor="middle">'
                f"<title>{escape(point.date)} {escape(point.subject)}</title>"
                f"{escape(point.commit[:7])}</text>"
            )
    for k, name in enumerate(names):
        colour = LINE_COLOURS[k % len(LINE_COLOURS)]
        points = [(px(i), py(p.types[name].percent)) for i, p in enumerate(history)]
        coords = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        parts.append(
            f'<polyline points="{coords}" fill="none" stroke="{colour}" stroke-width="3"/>'
        )
        for (x, y), point in zip(points, history, strict=True):
            c = point.types[name]
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" fill="{colour}"><title>'
                f"{escape(name)} at {escape(point.commit[:7])}: {c.percent:.1f} % "
                f"({c.complete}/{c.notes})</title></circle>"
            )
        ly = top + 14 + 20 * k
        parts.append(
            f'<rect x="{left + plot_w + 16}" y="{ly - 10}" width="12" height="12" '
            f'fill="{colour}"/><text x="{left + plot_w + 34}" y="{ly}">'
            f"{escape(_short(name, 26))}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def _legend(*items: tuple[str, str]) -> str:
    spans = "".join(
        f'<span style="background:{colour}"></span>{escape(label)}' for label, colour in items
    )
    return f'<p class="legend">{spans}</p>'


def _table(header: Sequence[str], rows: Sequence[Sequence[str]], numeric: int = 0) -> str:
    """A table of escaped text; the last ``numeric`` columns are right-aligned."""
    first_numeric = len(header) - numeric

    def cells(tag: str, items: Sequence[str]) -> str:
        return "".join(
            f'<{tag} class="n">{escape(v)}</{tag}>'
            if i >= first_numeric
            else f"<{tag}>{escape(v)}</{tag}>"
            for i, v in enumerate(items)
        )

    lines = [f"<table><thead><tr>{cells('th', header)}</tr></thead><tbody>"]
    lines += [f"<tr>{cells('td', row)}</tr>" for row in rows]
    lines.append("</tbody></table>")
    return "\n".join(lines)


def _some(items: Sequence[str], n: int = 10) -> str:
    more = f" and {len(items) - n} more" if len(items) > n else ""
    return ", ".join(items[:n]) + more


def _more(shown: int, total: int) -> list[str]:
    if total <= shown:
        return []
    return [f'<p class="muted">… {total - shown} more not shown.</p>']


# --- sections -----------------------------------------------------------------------------


def _overview(report: Report) -> list[str]:
    rows = [
        BarRow(
            t.name,
            (Segment(t.complete, FILLED, "complete"),),
            t.notes,
            f"{t.percent:.1f} % ({t.complete} of {t.notes})" if t.notes else "no notes",
        )
        for t in report.types
    ]
    out = ["<h2>Completeness</h2>", bar_chart(rows, "complete notes per type")]
    out.append(
        _table(
            ["type", "notes", "complete", "% complete"],
            [[t.name, str(t.notes), str(t.complete), f"{t.percent:.1f}"] for t in report.types],
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
                    [p.commit[:10], p.date, p.subject]
                    + [
                        f"{p.types[n].percent:.1f} % ({p.types[n].complete}/{p.types[n].notes})"
                        for n in names
                    ]
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


def _type_section(t: TypeReport, limit: int) -> list[str]:
    out = [f"<h2>{escape(t.name)}: {t.complete} of {t.notes} complete ({t.percent:.1f} %)</h2>"]
    rows = _state_rows(t.fields, t.notes, "field") + _state_rows(t.sections, t.notes, "section")
    if rows and t.notes:
        out.append(_legend(("filled", FILLED), ("empty", EMPTY), ("missing", MISSING)))
        out.append(bar_chart(rows, f"fields and sections of {t.name} notes"))
    table_rows = [
        [name, kind, str(c.filled), str(c.empty), str(c.missing)]
        for kind, items in (("field", t.fields), ("section", t.sections))
        for name, c in items.items()
    ]
    if table_rows:
        out.append(_table(["name", "kind", "filled", "empty", "missing"], table_rows, 3))
    shown = t.incomplete[:limit]
    if shown:
        out.append(f"<h3>Least complete {escape(t.name)} notes</h3>")
        out.append(
            _table(
                ["note", "missing", "empty"],
                [[i.path, ", ".join(i.missing), ", ".join(i.empty)] for i in shown],
            )
        )
    out += _more(len(shown), t.incomplete_total)
    return out


def _links(report: Report, limit: int) -> list[str]:
    links = report.links
    out = [
        "<h2>Links</h2>",
        f"<p>{links.broken} broken links to {len(links.by_target)} missing notes; "
        f"{len(links.orphans)} orphans (notes no other note links to).</p>",
    ]
    shown = links.by_target[:limit]
    if shown:
        most = shown[0].count
        rows = [
            BarRow(b.target, (Segment(b.count, LINKS, "broken links"),), most, str(b.count))
            for b in shown
        ]
        out += ["<h3>Most-wanted missing notes</h3>", bar_chart(rows, "broken links per target")]
        out.append(
            _table(
                ["missing note", "linked from", "links"],
                [[b.target, _some(b.sources), str(b.count)] for b in shown],
                1,
            )
        )
    out += _more(len(shown), len(links.by_target))
    orphans = links.orphans[:limit]
    if orphans:
        out.append("<h3>Orphans</h3>")
        out.append("<ul>" + "".join(f"<li>{escape(p)}</li>" for p in orphans) + "</ul>")
    out += _more(len(orphans), len(links.orphans))
    return out


def _hygiene(report: Report, limit: int) -> list[str]:
    """Unused attachments, empty notes, dead ends, shared names, canvas and base counts."""
    from vaultlint.report.markdown import size

    h = report.hygiene
    out = [
        "<h2>Vault hygiene</h2>",
        f"<p>{len(h.unused)} unused attachments ({size(h.unused_bytes)}); {len(h.empty)} empty "
        f"notes; {len(h.stubs)} stubs; {len(h.same_names)} names shared by several files; "
        f"{len(h.dead_ends)} dead ends (notes that link nowhere); {h.canvases} canvases and "
        f"{h.bases} bases.</p>",
    ]
    unused = h.unused[:limit]
    if unused:
        out.append("<h3>Unused attachments (the largest first)</h3>")
        out.append(_table(["file", "size"], [[a.path, size(a.size)] for a in unused], 1))
    out += _more(len(unused), len(h.unused))
    for title, items in (("Empty notes", h.empty), ("Stubs", h.stubs), ("Dead ends", h.dead_ends)):
        shown = items[:limit]
        if shown:
            out.append(f"<h3>{title}</h3>")
            out.append("<ul>" + "".join(f"<li>{escape(p)}</li>" for p in shown) + "</ul>")
        out += _more(len(shown), len(items))
    groups = h.same_names[:limit]
    if groups:
        out.append("<h3>Files sharing a name</h3>")
        out.append(_table(["files"], [[_some(g)] for g in groups]))
    out += _more(len(groups), len(h.same_names))
    return out


def properties_section(report: Report, limit: int) -> list[str]:
    """Properties with their types and uses, tags in use, near-duplicate tags (every
    vault text escaped; self-contained: plain tables in the page's style)."""
    p = report.properties

    def rows(header: Sequence[str], items: Sequence[Sequence[str]], numeric: int) -> str:
        def cell(tag: str, i: int, v: str, n: int) -> str:
            right = ' class="n"' if i >= n - numeric else ""
            return f"<{tag}{right}>{escape(v)}</{tag}>"

        head = "".join(cell("th", i, v, len(header)) for i, v in enumerate(header))
        body = "".join(
            "<tr>" + "".join(cell("td", i, v, len(r)) for i, v in enumerate(r)) + "</tr>"
            for r in items
        )
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"

    def more(shown: int, total: int) -> list[str]:
        left = total - shown
        return [f'<p class="muted">… {left} more not shown.</p>'] if left > 0 else []

    out = [
        "<h2>Properties and tags</h2>",
        f"<p>{len(p.properties)} properties; {len(p.tags)} tags; {len(p.near_duplicates)} "
        "tags spelled several ways.</p>",
    ]
    props = p.properties[:limit]
    if props:
        items = [
            [u.name, u.type + ("" if u.declared else " (inferred)"), str(u.notes), str(u.breaking)]
            for u in props
        ]
        out.append(rows(["property", "type", "notes", "values breaking it"], items, 2))
    out += more(len(props), len(p.properties))
    tags = p.tags[:limit]
    if tags:
        out.append("<h3>Tags in use</h3>")
        out.append(rows(["tag", "notes"], [["#" + t.tag, str(t.notes)] for t in tags], 1))
    out += more(len(tags), len(p.tags))
    groups = p.near_duplicates[:limit]
    if groups:
        out.append("<h3>Tags spelled several ways (the most used first)</h3>")
        items = [[", ".join(f"#{t.tag} ({t.notes})" for t in g)] for g in groups]
        out.append(rows(["spellings"], items, 0))
    out += more(len(groups), len(p.near_duplicates))
    return out


def _rules(report: Report) -> list[str]:
    out = ["<h2>Findings per rule</h2>"]
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
    return out
