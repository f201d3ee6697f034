"""Property test of the property rules' fixes on generated frontmatter.

Blocks come from the frontmatter writer's generator (comments, anchors and
aliases, flow and block lists, literal blocks, quoted and plain scalars,
Arabic, Chinese, Khmer, Thai, Persian, Japanese, emoji; LF or CRLF) with keys
that types.json types, deprecated names, and planted defects (unquoted links,
quoted numbers, tags in one string, with a ``#``, twice). For every fix a
rule offers, applied alone: the block parses to the old data with exactly the
change the finding names, every other key's lines are there as they were, the
body is untouched; and fixing the note to a fixed point is idempotent.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import memory_index, rule_engine
from test_fmwrite import Entry, entries
from vaultlint.fixer import apply_fixes, fix_note
from vaultlint.model import Finding
from vaultlint.parse import parse_note
from vaultlint.properties import DEPRECATED, check_value, type_of
from vaultlint.rules.properties import (
    BUILT_IN_TYPES,
    DeprecatedProperty,
    PropertyType,
    TagFormat,
    UnquotedLinkProperty,
    _tag_key,
)

TYPES = {"rating": "number", "up": "text", "日付": "date", "x": "checkbox", "topics": "multitext"}
FILES = {".obsidian/types.json": json.dumps({"types": TYPES})}
KEYS = st.sampled_from(
    ["title", "tags", "aliases", "up", "rating", "日付", "عنوان", "tag", "alias", "cssclass", "x"]
)
RULES = (UnquotedLinkProperty, PropertyType, DeprecatedProperty, TagFormat)
# Defects written as Obsidian users write them (the generator quotes what needs it).
PLANTS = st.sampled_from(
    [
        Entry("topics", "topics:\n  - [[Note]]   # linked\n  - plain\n", [[["Note"]], "plain"]),
        Entry("up", "up: [[ノート|別名]]\n", [["ノート|別名"]]),
        Entry("rating", 'rating: "4"\n', "4"),
        Entry("x", "x: 'true'\n", "true"),
        Entry("tags", 'tags: "#novel, 文学/日本"\n', "#novel, 文学/日本"),
        Entry("tags", "tags: [Book, '#book', ភាសា, two words]\n", None),
        Entry("tags", "tags:\n  - a, b\n  - 'x'\n", ["a, b", "x"]),
        Entry("tag", "tag: [Novel, کتاب]\n", ["Novel", "کتاب"]),
        Entry("topics", "topics: ดาราศาสตร์\n", "ดาราศาสตร์"),
    ]
)


@st.composite
def blocks(draw: st.DrawFn) -> list[Entry]:
    found: list[Entry] = draw(entries(KEYS))
    for plant in draw(st.lists(PLANTS, max_size=3)):
        if all(e.key != plant.key for e in found):
            found.insert(draw(st.integers(0, len(found))), plant)
    return found


def _findings(text: str, rule: type) -> list[Finding]:
    index = memory_index({**FILES, "N.md": text})
    note = index.note("N.md")
    assert note is not None
    return rule_engine(rule, index, None, FILES).check(note)


def _expected(data: dict[Any, Any], finding: Finding, rule: type) -> tuple[Any, set[Any]]:
    """The data the fix of ``finding`` must make of ``data``, and the keys it may touch."""
    new = copy.deepcopy(data)
    key = next(k for k in data if finding.message.startswith(f"'{str(k).strip()}'"))
    value = data[key]
    item = None
    if ", item " in finding.message.split(":", 1)[0]:
        item = int(finding.message.split(", item ", 1)[1].split(":", 1)[0]) - 1
    if rule is UnquotedLinkProperty:
        if item is None:
            new[key] = f"[[{value[0][0]}]]"
        else:
            new[key][item] = f"[[{value[item][0][0]}]]"
    elif rule is PropertyType:
        kind = type_of(TYPES, key) or BUILT_IN_TYPES[str(key).strip().lower()]
        problem = check_value(kind, value)
        assert problem is not None and problem.fixable
        new[key] = problem.fixed
    elif rule is DeprecatedProperty:
        target = DEPRECATED[str(key).strip().lower()]
        have = next((k for k in data if str(k).strip().lower() == target), None)
        if have is None:
            return {(target if k == key else k): v for k, v in new.items()}, {key}
        old = data[have]
        current = old if isinstance(old, list) else [] if old is None else [old]
        incoming = value if isinstance(value, list) else [value]
        same = _tag_key if target == "tags" else (lambda v: v)
        merged = list(current)
        for v in incoming:
            if v is not None and same(v) not in {same(m) for m in merged}:
                merged.append(v)
        new[have] = merged if merged != current or isinstance(old, list) else old
        new.pop(key)
        return new, {key, have}
    elif item is None:  # tag-format on a string
        text = value.strip()
        if "," in text or len(text.split()) > 1:
            new[key] = [p for chunk in text.split(",") for p in chunk.split()]
        else:
            new[key] = text.lstrip("#")
    else:
        text = value[item].strip()
        if "again" in finding.message:
            new[key].pop(item)
        elif "starts with '#'" in finding.message:
            new[key][item] = text.lstrip("#")
        elif "commas" in finding.message:
            new[key][item : item + 1] = [p.strip() for p in text.split(",") if p.strip()]
        else:
            new[key][item] = "-".join(text.split())
    return new, {key}


@settings(
    derandomize=True,
    max_examples=400,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(blocks(), st.sampled_from(["\n", "\r\n"]))
def test_each_property_fix_changes_exactly_what_its_finding_says(
    found: list[Entry], newline: str
) -> None:
    body = "\n# Heading\n\nText with [[Link]] and `Key:` 中文 #tag\n"
    text = ("---\n" + "".join(e.text for e in found) + "---\n" + body).replace("\n", newline)
    note = parse_note("N.md", text)
    fm = note.frontmatter
    assert fm is not None
    if fm.error is not None or not isinstance(fm.data, dict):
        return  # a block YAML rejects: never edited, nothing to test here
    for rule in RULES:
        for finding in _findings(text, rule):
            if finding.fix is None:
                continue
            new = apply_fixes(text, [finding.fix], note.newline)
            assert new.endswith("---" + newline + body.replace("\n", newline)), "body changed"
            after = parse_note("N.md", new).frontmatter
            assert after is not None and after.error is None, (rule.name, new)
            expected, touched = _expected(fm.data, finding, rule)
            assert after.data == expected, (rule.name, finding.message)
            at = 0
            for entry in found:
                if entry.key in {str(k) for k in touched} or not entry.key:
                    continue
                piece = entry.text.replace("\n", newline)
                where = after.raw.find(piece, at)
                assert where != -1, f"{rule.name}: {entry.text!r} changed"
                at = where + len(piece)

    # All the fixes, over the fixer's passes: a fixed point, and fixing it again changes nothing.
    def check(n: Any) -> list[Finding]:
        return [f for rule in RULES for f in _findings(n.text, rule)]

    outcome = fix_note(note, check, unsafe=True)
    again = fix_note(outcome.note, check, unsafe=True)
    assert not again.changed and again.note.text == outcome.note.text
    if outcome.changed:
        assert outcome.note.text.endswith("---" + newline + body.replace("\n", newline))
