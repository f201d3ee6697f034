"""The report as JSON: the shape is a contract (see the README)."""

from __future__ import annotations

import json
from typing import Any

from vaultlint.report.collect import Counts, Report


def to_data(report: Report) -> dict[str, Any]:
    data: dict[str, Any] = {
        "types": [
            {
                "name": t.name,
                "notes": t.notes,
                "complete": t.complete,
                "fields": {name: _counts(c) for name, c in t.fields.items()},
                "sections": {name: _counts(c) for name, c in t.sections.items()},
                "incomplete": [
                    {"path": i.path, "missing": i.missing, "empty": i.empty} for i in t.incomplete
                ],
            }
            for t in report.types
        ],
        "links": {
            "broken": report.links.broken,
            "by_target": [
                {
                    "target": b.target,
                    "count": b.count,
                    "planned": b.planned,
                    "sources": b.sources,
                }
                for b in report.links.by_target
            ],
            "orphans": report.links.orphans,
        },
        "rules": report.rules,
        "hygiene": _hygiene(report),
        "properties": _properties(report),
    }
    if report.history is not None:
        data["history"] = [
            {
                "commit": point.commit,
                "date": point.date,
                "subject": point.subject,
                "types": {
                    name: {"notes": c.notes, "complete": c.complete}
                    for name, c in point.types.items()
                },
            }
            for point in report.history
        ]
    return data


def _hygiene(report: Report) -> dict[str, Any]:
    h = report.hygiene
    return {
        "canvases": h.canvases,
        "bases": h.bases,
        "unused_attachments": {
            "count": len(h.unused),
            "bytes": h.unused_bytes,
            "files": [{"path": a.path, "bytes": a.size} for a in h.unused],
        },
        "empty_notes": h.empty,
        "stubs": h.stubs,
        "same_names": h.same_names,
        "dead_ends": h.dead_ends,
    }


def _properties(report: Report) -> dict[str, Any]:
    p = report.properties
    return {
        "properties": [
            {
                "name": u.name,
                "type": u.type,
                "declared": u.declared,
                "notes": u.notes,
                "breaking": u.breaking,
            }
            for u in p.properties
        ],
        "tags": [{"tag": t.tag, "notes": t.notes} for t in p.tags],
        "near_duplicate_tags": [
            [{"tag": t.tag, "notes": t.notes} for t in g] for g in p.near_duplicates
        ],
    }


def _counts(counts: Counts) -> dict[str, int]:
    return {"filled": counts.filled, "empty": counts.empty, "missing": counts.missing}


def render(report: Report, limit: int) -> str:
    """JSON lists are complete except ``incomplete`` (already cut to ``--top``)."""
    return json.dumps(to_data(report), indent=2, ensure_ascii=False) + "\n"
