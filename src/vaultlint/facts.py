"""What ``report`` needs of one checked note, as plain data the cache can keep.

A check computes these facts beside the findings (when a cache or a report
wants them), so that ``report`` adds up facts and never parses or checks a
note whose cache entry still holds. They are tuples of strings, numbers and
booleans only: the cache unpickles them without any class.
"""

from __future__ import annotations

import datetime
import re
from collections import Counter
from collections.abc import Sequence
from typing import Any, Final
from urllib.parse import unquote

from vaultlint.links import LinkResolver, target_key
from vaultlint.model import Finding, Link, Note
from vaultlint.parse import TAG_NAME
from vaultlint.rules.hygiene import is_stub
from vaultlint.schema import HasSchemas, NoteTypeState, states_for

BROKEN_LINK = "LK01"

# (name, state, required) of a field or section; state is filled, empty or missing.
Part = tuple[str, str, bool]
# (schema name, complete, fields, sections) for each note type the note has.
TypeFacts = tuple[str, bool, tuple[Part, ...], tuple[Part, ...]]
# (key, the target as written, planned) of each broken link (LK01), and of each
# unresolved link the configuration declares planned (not reported): links to one
# missing note, however written, share the key.
Broken = tuple[str, str, bool]
# (code, rule name, findings) for each rule with findings.
Codes = tuple[str, str, int]
# (property name as written, the shape of its value: ``value_shape``) for each
# frontmatter property.
Prop = tuple[str, str]
# (line, column, end line, end column, name) of a note property a base names.
BaseProperty = tuple[int, int, int, int, str]
# The note types are None for a file that could not be read as a note. Then: broken
# links, the files linked to, findings per rule, tags (each spelling once: body and
# frontmatter), properties, whether the note is a stub (only a title heading, no
# link), the note properties its bases name. The vault-wide rules and report
# sections add these up.
NoteFacts = tuple[
    tuple[TypeFacts, ...] | None,
    tuple[Broken, ...],
    tuple[str, ...],
    tuple[Codes, ...],
    tuple[str, ...],
    tuple[Prop, ...],
    bool,
    tuple[BaseProperty, ...],
]
LINKED: Final = 2
TAGS: Final = 4
PROPERTIES: Final = 5  # (name, shape) pairs
STUB: Final = 6
BASE_PROPERTIES: Final = 7


def note_facts(
    note: Note | None,
    findings: Sequence[Finding],
    ctx: HasSchemas,
    resolver: LinkResolver,
    planned: Sequence[Link] = (),
) -> NoteFacts:
    """The facts of a checked note (``note`` None: a file that could not be read),
    with the schemas of the rule context ``ctx``; ``planned`` are its unresolved
    links to notes not written yet on purpose (``broken-link``'s options).

    After the engine checked ``note`` its schema states are cached: no recount.
    """
    codes = _codes(findings)
    if note is None:
        return None, (), (), codes, (), (), False, ()
    used = _base_properties(note)
    broken, links = _broken(note, findings, planned), linked(note, resolver)
    if note.kind != "note":  # a canvas or base has no note types
        return (), broken, links, codes, (), (), False, used
    types = tuple(_type_facts(state) for state in states_for(note, ctx))
    tags, props = tag_spellings(note), _properties(note)
    return types, broken, links, codes, tags, props, is_stub(note), used


def tag_spellings(note: Note) -> tuple[str, ...]:
    """The tags of ``note`` as spelled (each spelling once, in order), body and
    frontmatter; frontmatter items that are no tag name (``a, b``) left out."""
    found: dict[str, None] = {}
    for tag in note.tags:
        if TAG_NAME.fullmatch(tag.name):
            found[tag.name] = None
    return tuple(found)


def _properties(note: Note) -> tuple[Prop, ...]:
    fm = note.frontmatter
    if fm is None or not isinstance(fm.data, dict):
        return ()
    return tuple((str(key), value_shape(value)) for key, value in fm.data.items())


def value_shape(value: Any) -> str:
    """What a property's YAML value is: ``empty``, ``checkbox``, ``number``,
    ``date``, ``datetime``, ``text``, ``list`` or ``mapping``."""
    if value is None or value == "" or value == []:
        return "empty"
    if isinstance(value, bool):
        return "checkbox"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, datetime.datetime):
        return "datetime"
    if isinstance(value, datetime.date):
        return "date"
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "mapping"
    return "text"


def _base_properties(note: Note) -> tuple[BaseProperty, ...]:
    found = []
    for start, end, name in note.base_properties:
        line, column = note.position(start)
        end_line, end_column = note.position(end)
        found.append((line, column, end_line, end_column, name))
    return tuple(found)


def linked(note: Note, resolver: LinkResolver) -> tuple[str, ...]:
    """The other files ``note`` links to (embeds and frontmatter links included, and
    every file named by an HTML ``src``, ``href`` or ``data``)."""
    found: dict[str, None] = {}
    for link in note.links:
        if link.path:
            for target in _maybe_targets(link, note.path, resolver):
                if target != note.path:
                    found[target] = None
    text = note.text
    if "=" in text and ("src" in text or "href" in text or "data" in text):
        for m in _HTML_REFERENCE.finditer(text):
            name = unquote(m.group(1)).rpartition("/")[2].lower()
            for path in resolver.index.by_name.get(name, ()):
                if path != note.path:
                    found[path] = None  # any file of that name: a use is never invented
    return tuple(found)


def _maybe_targets(link: Link, source: str, resolver: LinkResolver) -> tuple[str, ...]:
    """The files ``link`` opens, or may open: a note such a link may point to is no
    orphan. An unresolved link may mean a name in another Unicode form (OQ6), and
    an uncertain one its name without the spaces around it (OQ1)."""
    target = resolver.resolve(link.path, source)
    if target is not None:
        return (target,)
    if link.uncertain and link.path.strip() != link.path and link.path.strip():
        target = resolver.resolve(link.path.strip(), source)
        if target is not None:
            return (target,)
    return resolver.unicode_twins(link.path)


# An HTML attribute naming a file: <img src="...">, <a href="...">, <object data="...">.
_HTML_REFERENCE = re.compile(r"""\b(?:src|href|data)\s*=\s*["']([^"'<>]+)["']""", re.I)


def _codes(findings: Sequence[Finding]) -> tuple[Codes, ...]:
    counts = Counter((f.code, f.rule) for f in findings)
    return tuple((code, rule, n) for (code, rule), n in counts.items())


def _type_facts(state: NoteTypeState) -> TypeFacts:
    return (
        state.schema.name,
        state.complete,
        tuple((f.spec.name, f.state, f.spec.required) for f in state.fields),
        tuple((s.spec.name, s.state, s.spec.required) for s in state.sections),
    )


def _broken(note: Note, findings: Sequence[Finding], planned: Sequence[Link]) -> tuple[Broken, ...]:
    """The note's broken links (LK01) and planned ones, keyed by the note they ask for."""
    found: list[Broken] = [(target_key(link.path), link.path, True) for link in planned]
    if not any(f.code == BROKEN_LINK for f in findings):
        return tuple(found)
    by_start = {link.start: link for link in note.links}
    for finding in findings:
        link = by_start.get(finding.start) if finding.code == BROKEN_LINK else None
        if link is not None:
            found.append((target_key(link.path), link.path, False))
    return tuple(found)


def valid_facts(data: Any) -> bool:
    """Whether ``data`` (from a cache file) has the shape of ``NoteFacts``.

    Written as plain loops: a warm report checks the facts of every note.
    """
    if type(data) is not tuple or len(data) != 8:
        return False
    types, broken, links, codes, tags, props, stub, used = data
    if type(stub) is not bool or type(used) is not tuple or not all(map(_valid_used, used)):
        return False
    if types is not None and not (type(types) is tuple and all(map(_valid_type, types))):
        return False
    return (
        type(broken) is tuple
        and all(map(_valid_broken, broken))
        and type(links) is tuple
        and all(type(path) is str for path in links)
        and type(codes) is tuple
        and all(map(_valid_codes, codes))
        and type(tags) is tuple
        and all(type(tag) is str for tag in tags)
        and type(props) is tuple
        and all(_is_strings(item, 2) for item in props)
    )


def _is_strings(item: Any, n: int) -> bool:
    return type(item) is tuple and len(item) == n and all(type(s) is str for s in item)


_STATES = frozenset(("filled", "empty", "missing"))


def _valid_broken(item: Any) -> bool:
    return (
        type(item) is tuple
        and len(item) == 3
        and type(item[0]) is str
        and type(item[1]) is str
        and type(item[2]) is bool
    )


def _valid_type(item: Any) -> bool:
    if type(item) is not tuple or len(item) != 4:
        return False
    name, complete, fields, sections = item
    if type(name) is not str or type(complete) is not bool:
        return False
    if type(fields) is not tuple or type(sections) is not tuple:
        return False
    for part in (*fields, *sections):
        if type(part) is not tuple or len(part) != 3:
            return False
        part_name, state, required = part
        if type(part_name) is not str or state not in _STATES or type(required) is not bool:
            return False
    return True


def _valid_codes(item: Any) -> bool:
    if type(item) is not tuple or len(item) != 3:
        return False
    code, rule, n = item
    return type(code) is str and type(rule) is str and type(n) is int and n > 0


def _valid_used(item: Any) -> bool:
    return (
        type(item) is tuple
        and len(item) == 5
        and all(type(n) is int for n in item[:4])
        and type(item[4]) is str
    )
