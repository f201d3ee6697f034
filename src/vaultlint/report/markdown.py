"""The report as GitHub-flavoured Markdown (tables), also for the job summary."""

from __future__ import annotations

import re
from collections.abc import Sequence

from vaultlint.printable import printable
from vaultlint.report.collect import SEVERITIES, Counts, Report, TypeReport, share

_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~])")
SUMMARY_TOO_LARGE = (
    "**vaultlint report**: too large for the job summary even with every list cut; "
    "run `vaultlint report` to see it.\n"
)


def escape(text: str) -> str:
    """``text`` as literal Markdown inside a table cell, its control characters shown."""
    return _SPECIAL.sub(r"\\\1", " ".join(printable(text).split()))


def render(report: Report, limit: int, cut: bool = False) -> str:
    """The Markdown report; lists show at most ``limit`` items and say how many more exist.

    ``cut`` adds a line saying the lists were shortened to fit the job summary.
    """
    out = ["## vaultlint report", ""]
    if report.header is not None:
        out += [_header(report), ""]
    out.append(f"{report.notes} note{'s' if report.notes != 1 else ''} checked{_others(report)}.")
    if report.severities:
        out.append(_severities(report.severities))
    if cut:
        out.append("Lists are shortened to fit GitHub's 1 MiB job summary limit.")
    out.append("")
    out += _overview(report.types)
    for t in report.types:
        out += _type_section(t, limit)
    out += _links(report, limit)
    out += _hygiene(report, limit)
    out += properties_section(report, limit)
    out += _rules(report)
    if report.history is not None:
        out += _history(report)
    return "\n".join(out).rstrip("\n") + "\n"


def _header(report: Report) -> str:
    h = report.header
    assert h is not None
    parts = [f"Vault **{escape(h.vault)}**", escape(h.date)]
    if h.commit:
        parts.append(f"commit `{h.commit[:12]}`")
    return " · ".join([*parts, f"vaultlint {escape(h.version)}"])


def _severities(counts: dict[str, int]) -> str:
    total = sum(counts.values())
    shown = ", ".join(
        f"{counts.get(name, 0)} {name}{'s' if name != 'info' and counts.get(name, 0) != 1 else ''}"
        for name in SEVERITIES
    )
    return f"{total} finding{'s' if total != 1 else ''}: {shown}."


def fit(report: Report, limit: int, budget: int) -> str | None:
    """The report in at most ``budget`` UTF-8 bytes: lists are halved until it fits."""
    text = render(report, limit)
    while len(text.encode("utf-8")) > budget:
        if limit == 0:
            small = len(SUMMARY_TOO_LARGE.encode("utf-8")) <= budget
            return SUMMARY_TOO_LARGE if small else None
        limit //= 2
        text = render(report, limit, cut=True)
    return text


def table(header: Sequence[str], rows: Sequence[Sequence[str]], right: int = 0) -> list[str]:
    """A GFM table; the last ``right`` columns are right-aligned (numbers)."""
    align = ["---"] * (len(header) - right) + ["---:"] * right
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(align) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return [*lines, ""]


def _more(shown: int, total: int) -> list[str]:
    return [f"_… {total - shown} more not shown._", ""] if total > shown else []


def _overview(types: Sequence[TypeReport]) -> list[str]:
    rows = [
        [escape(t.name), str(t.notes), str(t.complete), share(t.complete, t.notes, False)]
        for t in types
    ]
    return ["### Completeness", "", *table(["type", "notes", "complete", "% complete"], rows, 3)]


def _counts_rows(items: dict[str, Counts]) -> list[list[str]]:
    return [
        [escape(name), str(c.filled), str(c.empty), str(c.missing)] for name, c in items.items()
    ]


def _type_section(t: TypeReport, limit: int) -> list[str]:
    done = share(t.complete, t.notes, False)
    out = [f"### {escape(t.name)}: {t.complete} of {t.notes} complete ({done})", ""]
    if t.fields:
        out += table(["field", "filled", "empty", "missing"], _counts_rows(t.fields), 3)
    if t.sections:
        out += table(["section", "filled", "empty", "missing"], _counts_rows(t.sections), 3)
    if t.incomplete_total:
        shown = t.incomplete[:limit]
        out += [f"**Least complete {escape(t.name)} notes** (what each lacks)", ""]
        if shown:
            rows = [
                [escape(i.path), ", ".join(map(escape, i.missing)), ", ".join(map(escape, i.empty))]
                for i in shown
            ]
            out += table(["note", "missing", "empty"], rows)
        out += _more(len(shown), t.incomplete_total)
    return out


def _links(report: Report, limit: int) -> list[str]:
    links = report.links
    wanted = len(links.by_target)
    out = ["### Links", ""]
    out += [
        f"{links.broken} broken link{'s' if links.broken != 1 else ''} to {wanted} missing "
        f"note{'s' if wanted != 1 else ''}; {len(links.orphans)} orphan"
        f"{'s' if len(links.orphans) != 1 else ''} (notes no other note links to); "
        f"{_count(len(report.hygiene.dead_ends), 'dead end')} (notes that link nowhere).",
        "",
    ]
    shown = links.by_target[:limit]
    if shown:
        rows = [
            [
                escape(b.label),
                ", ".join(map(escape, b.sources[:3])) + _and_more(b.sources, 3),
                str(b.count),
            ]
            for b in shown
        ]
        out += ["**Most-wanted missing notes**", ""]
        out += table(["missing note", "linked from", "links"], rows, 1)
    out += _more(len(shown), wanted)
    orphans = links.orphans[:limit]
    if orphans:
        out += ["**Orphans**", ""] + [f"- {escape(path)}" for path in orphans] + [""]
    out += _more(len(orphans), len(links.orphans))
    dead_ends = report.hygiene.dead_ends
    if dead_ends[:limit]:
        out += ["**Dead ends**", ""] + [f"- {escape(path)}" for path in dead_ends[:limit]] + [""]
    out += _more(min(limit, len(dead_ends)), len(dead_ends))
    return out


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


def _others(report: Report) -> str:
    h = report.hygiene
    parts = [f"{h.canvases} canvas{'es' if h.canvases != 1 else ''}"] if h.canvases else []
    parts += [f"{h.bases} base{'s' if h.bases != 1 else ''}"] if h.bases else []
    return f" (and {' and '.join(parts)})" if parts else ""


def size(n: int) -> str:
    """A byte count for people: 512 B, 3.4 KB, 12.0 MB."""
    if n < 1024:
        return f"{n} B"
    value = n / 1024
    for unit in ("KB", "MB"):
        if value < 1024:
            return f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GB"


def _hygiene(report: Report, limit: int) -> list[str]:
    h = report.hygiene
    out = ["### Vault hygiene", ""]
    out += [
        f"{len(h.unused)} unused attachment{'s' if len(h.unused) != 1 else ''} "
        f"({size(h.unused_bytes)}); {len(h.empty)} empty note{'s' if len(h.empty) != 1 else ''}; "
        f"{len(h.stubs)} stub{'s' if len(h.stubs) != 1 else ''}; "
        f"{len(h.same_names)} file name{'s' if len(h.same_names) != 1 else ''} shared by "
        f"several files; {_count(h.canvases, 'canvas').replace('canvass', 'canvases')} and "
        f"{_count(h.bases, 'base')}.",
        "",
    ]
    unused = h.unused[:limit]
    if unused:
        out += ["**Unused attachments** (the largest first)", ""]
        out += table(["file", "size"], [[escape(a.path), size(a.size)] for a in unused], 1)
    out += _more(len(unused), len(h.unused))
    for title, items in (("Empty notes", h.empty), ("Stubs", h.stubs)):
        shown = items[:limit]
        if shown:
            out += [f"**{title}**", ""] + [f"- {escape(path)}" for path in shown] + [""]
        out += _more(len(shown), len(items))
    groups = h.same_names[:limit]
    if groups:
        rows = [[escape(g[0].rpartition("/")[2]), ", ".join(map(escape, g))] for g in groups]
        out += ["**Files sharing a name**", "", *table(["name", "files"], rows)]
    out += _more(len(groups), len(h.same_names))
    return out


def properties_section(report: Report, limit: int) -> list[str]:
    """Each property with its type and uses, the tags in use and their near-duplicates."""
    p = report.properties
    out = ["### Properties and tags", ""]
    out.append(
        f"{len(p.properties)} propert{'ies' if len(p.properties) != 1 else 'y'}; "
        f"{len(p.tags)} tag{'s' if len(p.tags) != 1 else ''}; "
        f"{len(p.near_duplicates)} tag{'s' if len(p.near_duplicates) != 1 else ''} "
        "spelled several ways.",
    )
    out.append("")
    shown = p.properties[:limit]
    if shown:
        rows = [
            [
                escape(u.name),
                u.type + ("" if u.declared else " (inferred)"),
                str(u.notes),
                str(u.breaking),
            ]
            for u in shown
        ]
        out += table(["property", "type", "notes", "values breaking it"], rows, 2)
    out += _more(len(shown), len(p.properties))
    tags = p.tags[:limit]
    if tags:
        out += ["**Tags in use**", ""]
        out += table(["tag", "notes"], [[escape("#" + t.tag), str(t.notes)] for t in tags], 1)
    out += _more(len(tags), len(p.tags))
    groups = p.near_duplicates[:limit]
    if groups:
        rows = [[", ".join(escape(f"#{t.tag} ({t.notes})") for t in g)] for g in groups]
        out += [
            "**Tags spelled several ways** (the most used first)",
            "",
            *table(["spellings"], rows),
        ]
    out += _more(len(groups), len(p.near_duplicates))
    return out


def _and_more(items: Sequence[str], n: int) -> str:
    return f" and {len(items) - n} more" if len(items) > n else ""


def _rules(report: Report) -> list[str]:
    if not report.rules:
        return ["### Findings per rule", "", "No findings.", ""]
    rows = [
        [code, escape(report.rule_names.get(code, "")), str(count)]
        for code, count in report.rules.items()
    ]
    return ["### Findings per rule", "", *table(["code", "rule", "findings"], rows, 1)]


def _history(report: Report) -> list[str]:
    history = report.history or []
    names = [t.name for t in report.types]
    rows = [
        [point.commit[:10], point.date, escape(point.subject)]
        + [share(point.types[n].complete, point.types[n].notes) for n in names]
        for point in history
    ]
    header = ["commit", "date", "subject", *map(escape, names)]
    return ["### Completeness history (oldest first)", "", *table(header, rows, len(names))]
