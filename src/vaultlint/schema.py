"""Note-type schemas: loading and validating them, matching notes, completeness.

A schema is a YAML file that names a note type, says which notes have it and
lists the fields and sections such notes hold, in template order::

    name: book
    description: Reading notes made from the book template
    match:                       # a note has this type when ANY selector matches
      folders: [Books]           # a folder (or folder path, Reading/Books) at any depth
      tags: [book]               # a frontmatter or inline tag; book/fiction counts too
      frontmatter: {type: book}  # a frontmatter key with this value (or one of a list)
      fields: {Knowledge Base: "[[Books index]]"}   # a field whose value links to this note
    fields:                      # in template order
      Author: {required: true}
      Concepts: {required: true, links: true}
      Year: {type: number, pattern: '^\\d{4}$'}
      Availability: {enum: [owned, library, wishlist]}
    sections:                    # headings, in template order
      Key Takeaways: {required: true, level: 2}

Field options: ``required`` (present and not empty), ``links`` (the value holds
at least one link), ``pattern`` (a regular expression *searched* in the value:
anchor it with ``^...$`` to match the whole value; RE2 syntax, matched in time
linear in the value so that no pattern can hang a run: no backreferences or
lookaround, ``\\d``, ``\\w`` and ``\\b`` are ASCII, ``\\p{L}`` is any
letter), ``enum`` (allowed values, compared ignoring case and surrounding
spaces), ``type``: ``text``, ``number``, ``date`` as ISO 8601 ``2024-05-01``
or ``2024-05-01T10:30``, ``url``, and Obsidian's property types ``checkbox``
(``true`` or ``false``), ``datetime`` (``2024-05-01T10:30`` or
``2024-05-01T10:30:00``), ``list`` (or ``multitext``, Obsidian's name for it),
``tags`` (a list of tag names) and ``aliases`` (a list of texts).
``location`` (``frontmatter`` or ``body``) says where ``missing-field``
inserts the field; by default where the note keeps its fields.
``pattern``, ``enum`` and ``type`` apply to each item of a list value: a YAML
list in the frontmatter, or the comma-separated items of a body field of a
list type. Section options: ``required`` (present and not empty), ``level``
(only headings of this level count).

Matching is case-insensitive throughout: field keys ignore case and
surrounding spaces; section names ignore case, surrounding spaces,
surrounding emphasis (``### **Summary**``) and a leading outline number
(``## 2. Summary``, what ``heading-fragment`` makes of ``## 2.`` + ``## Summary``).

The shipped schemas (``SHIPPED_SCHEMAS``, YAML files in the package
``vaultlint.shipped``, the repository's top-level ``rules/`` folder) apply
unless the configuration says ``schemas: []``; a vault adds its own with
``schemas:`` in ``.vaultlint.yaml`` (paths or glob patterns relative to the
vault root). A vault schema named like a shipped
one replaces it. An invalid schema raises ``SchemaError``: one line naming the
file and the key.

``note_states`` is the single source of the completeness data: the rules
``SC01``-``SC06`` and the report are built on it.
"""

from __future__ import annotations

import datetime
import re
from bisect import bisect_left
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal, Protocol

from vaultlint.errors import VaultlintError
from vaultlint.model import FieldEntry, Heading, Link, Note
from vaultlint.parse import TAG_NAME
from vaultlint.yamlfile import load_yaml, read_yaml, reject_unknown_keys, shown

SHIPPED_SCHEMAS = ("book",)  # rules/<name>.yaml; the other files there are config presets
FIELD_TYPES = (
    *("text", "number", "date", "url", "list"),
    *("checkbox", "datetime", "multitext", "tags", "aliases"),
)
# The types whose value is a list (``multitext`` is Obsidian's name for ``list``).
LIST_TYPES = frozenset(("list", "multitext", "tags", "aliases"))
TOP_KEYS = ("name", "description", "match", "fields", "sections")
MATCH_KEYS = ("folders", "tags", "frontmatter", "fields")
FIELD_KEYS = ("required", "links", "pattern", "enum", "type", "location")
# Where missing-field inserts a missing field: the frontmatter, or the body.
LOCATIONS = ("frontmatter", "body")
SECTION_KEYS = ("required", "level")

State = Literal["filled", "empty", "missing"]
ValueCheck = Literal["links", "pattern", "enum", "type"]


class SchemaError(VaultlintError):
    """An invalid schema file; the message is one line naming the file and the key."""


@lru_cache(maxsize=4096)
def field_key(name: str) -> str:
    """How field keys compare: ignoring case and surrounding spaces."""
    return name.strip().casefold()


# An outline number before a heading's title, as ``heading-fragment`` merges it
# (``## 1. Notes``, ``## **IV. Quotes**``).
_OUTLINE_NUMBER = re.compile(
    r"(?:\d{1,3}(?:\.\d{1,3})*[.)]|\d{1,3}(?:\.\d{1,3})+"
    r"|(?=[IVX])X{0,3}(?:IX|IV|V?I{0,3})[.)]|(?=[ivx])x{0,3}(?:ix|iv|v?i{0,3})[.)]"
    r"|[A-Za-z][.)])[ \t]+(?=\S)"
)


@lru_cache(maxsize=65536)
def section_key(text: str) -> str:
    """How headings compare with section names: ignoring case, spaces, emphasis
    and an outline number (``## 1. Notes`` is the Notes section)."""
    text = text.strip(" \t*_")
    number = _OUTLINE_NUMBER.match(text)
    if number is not None:
        text = text[number.end() :].strip(" \t*_")
    return text.casefold()


def is_empty_value(value: str) -> bool:
    """A field value is empty when it is only whitespace or a lone ``-``."""
    stripped = value.strip()
    return stripped in ("", "-")


# --- the schema model ---------------------------------------------------------------


class Pattern(Protocol):
    """A compiled field pattern (RE2's, linear-time)."""

    @property
    def pattern(self) -> str: ...

    def search(self, text: str) -> object | None: ...


@dataclass(frozen=True)
class FieldSpec:
    name: str
    required: bool = False
    links: bool = False
    pattern: Pattern | None = None
    enum: tuple[str, ...] = ()
    type: str | None = None
    location: str | None = None  # "frontmatter" or "body"; None: where the note keeps fields

    @property
    def key(self) -> str:
        return field_key(self.name)


@dataclass(frozen=True)
class SectionSpec:
    name: str
    required: bool = False
    level: int | None = None

    @property
    def key(self) -> str:
        return section_key(self.name)


@dataclass(frozen=True)
class Match:
    """The selectors, normalised: lower case, any one of them makes a match."""

    folders: tuple[tuple[str, ...], ...] = ()  # folder paths, as lists of names
    tags: tuple[str, ...] = ()
    frontmatter: tuple[tuple[str, tuple[str, ...]], ...] = ()  # key -> allowed values
    fields: tuple[tuple[str, str], ...] = ()  # field key -> linked note name (or path)


@dataclass(frozen=True)
class Schema:
    name: str
    source: str  # the file it came from, for messages
    match: Match
    fields: tuple[FieldSpec, ...] = ()
    sections: tuple[SectionSpec, ...] = ()
    description: str = ""


# --- loading and validating ------------------------------------------------------------


def load_schemas(root: Path, patterns: Sequence[str], shipped: bool = True) -> list[Schema]:
    """The shipped schemas (unless ``shipped`` is false: ``schemas: []``) plus the
    vault's (``schemas:`` entries, relative to ``root``).

    A pattern holding ``*``, ``?`` or ``[`` is a glob and must match at least one file.
    """
    schemas: dict[str, Schema] = {
        s.name.casefold(): s for s in (shipped_schemas() if shipped else ())
    }
    seen: dict[str, str] = {}
    for pattern in patterns:
        if any(c in pattern for c in "*?["):
            paths = sorted(p for p in root.glob(pattern) if p.is_file())
            if not paths:
                raise SchemaError(f"{shown(root / pattern)}: schemas: the pattern matches no file")
        else:
            paths = [root / pattern]
        for path in paths:
            schema = load_schema_file(path)
            key = schema.name.casefold()
            if key in seen and seen[key] != shown(path):
                raise SchemaError(
                    f"{shown(path)}: name: schema {schema.name!r} is also defined in {seen[key]}"
                )
            seen[key] = shown(path)
            schemas[key] = schema
    return list(schemas.values())


@cache
def shipped_schemas() -> tuple[Schema, ...]:
    """The schemas shipped with vaultlint (``rules/book.yaml``), loaded once."""
    folder = resources.files("vaultlint.shipped")
    return tuple(
        load_schema_text(
            folder.joinpath(f"{name}.yaml").read_text(encoding="utf-8"), f"shipped {name}.yaml"
        )
        for name in SHIPPED_SCHEMAS
    )


# Obsidian's property types (``.obsidian/types.json``) as schema types.
OBSIDIAN_TYPES = {
    "text": "text",
    "multitext": "list",
    "number": "number",
    "checkbox": "checkbox",
    "date": "date",
    "datetime": "datetime",
    "tags": "tags",
    "aliases": "aliases",
}
# Schema types that agree with an Obsidian type without being its name: a URL is
# text, and a list type holds what any other list type holds.
_AGREES = {
    "text": frozenset(("text", "url")),
    "list": LIST_TYPES,
    "tags": frozenset(("list", "multitext", "tags")),
    "aliases": frozenset(("list", "multitext", "aliases")),
}
# The Obsidian types whose values cannot hold a link.
_NO_LINKS = frozenset(("number", "checkbox", "date", "datetime", "tags"))


def reconcile_types(
    schemas: Sequence[Schema], types: Mapping[str, str], source: str
) -> tuple[list[Schema], list[str]]:
    """The schemas with each field typed as ``types`` (Obsidian's, from the file
    ``source``: property name -> type) says, and a warning for each field whose
    ``type`` contradicts it.

    ``types.json`` wins: Obsidian keeps one type per property name across the
    vault and edits values to it, so a schema that disagrees is checked (by
    ``field-value``) with Obsidian's type. A field that then could hold no value
    at all, as its ``enum`` values or ``links: true`` do not fit Obsidian's type,
    cannot be reconciled: a ``SchemaError`` (exit 2).
    """
    wanted = {field_key(str(name)): kind for name, kind in types.items() if kind in OBSIDIAN_TYPES}
    out: list[Schema] = []
    warnings: list[str] = []
    for schema in schemas:
        fields = []
        for spec in schema.fields:
            kind = wanted.get(spec.key)
            mine = OBSIDIAN_TYPES.get(kind or "")
            if kind is None or mine is None or spec.type is None:
                fields.append(spec)
                continue
            if spec.type == mine or spec.type in _AGREES.get(mine, ()):
                fields.append(spec)
                continue
            at = f"{schema.source}: fields: {spec.name}"
            bad = next((v for v in spec.enum if not _has_type(mine, v, v)), None)
            if bad is not None or (spec.links and kind in _NO_LINKS):
                why = f"enum value {bad!r}" if bad is not None else "links: true"
                raise SchemaError(
                    f"{at}: type {spec.type} contradicts {source} ({kind}), and its {why} "
                    f"cannot be {kind}: change the schema or {source}"
                )
            warnings.append(
                f"{at}: type {spec.type} contradicts {source} ({kind}); {source} wins: "
                f"field-value checks it as {mine}"
            )
            fields.append(replace(spec, type=mine))
        out.append(replace(schema, fields=tuple(fields)))
    return out, warnings


def load_schema_file(path: Path) -> Schema:
    data = read_yaml(path, "schema", SchemaError, " (listed under schemas:)")
    return parse_schema(data, shown(path))


def load_schema_text(text: str, where: str) -> Schema:
    return parse_schema(load_yaml(text, where, SchemaError), where)


def parse_schema(data: Any, where: str) -> Schema:
    """Validate loaded YAML as a schema; ``where`` names the file in errors."""
    if not isinstance(data, Mapping):
        raise SchemaError(f"{where}: a schema must be a mapping with name, match, fields...")
    reject_unknown_keys(data, TOP_KEYS, where, SchemaError)
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        raise SchemaError(f"{where}: name: required, the note type's name (text)")
    description = data.get("description", "")
    if description is None:
        description = ""
    if not isinstance(description, str):
        raise SchemaError(f"{where}: description: expected text, got {_kind(description)}")
    if "match" not in data:
        raise SchemaError(f"{where}: match: required (folders, tags, frontmatter or fields)")
    return Schema(
        name=name.strip(),
        source=where,
        match=_parse_match(data["match"], f"{where}: match"),
        fields=tuple(
            _parse_field(k, v, f"{where}: fields") for k, v in _entries(data, "fields", where)
        ),
        sections=tuple(
            _parse_section(k, v, f"{where}: sections") for k, v in _entries(data, "sections", where)
        ),
        description=description.strip(),
    )


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"{str(value).lower()}"
    if isinstance(value, (Mapping, list)):
        kind = "mapping" if isinstance(value, Mapping) else "list"
        return f"a {kind}" if value else f"an empty {kind}"
    return f"{type(value).__name__} {value!r}"


def _entries(data: Mapping[Any, Any], key: str, where: str) -> list[tuple[str, Any]]:
    """The ``fields:`` or ``sections:`` mapping as (name, options), checked for duplicates."""
    value = data.get(key)
    if value is None:
        return []
    if not isinstance(value, Mapping):
        raise SchemaError(
            f"{where}: {key}: expected a mapping of names to options, got {_kind(value)}"
        )
    entries: list[tuple[str, Any]] = []
    seen: set[str] = set()
    for name, options in value.items():
        if not isinstance(name, str) or not name.strip():
            raise SchemaError(f"{where}: {key}: {name!r}: a name must be non-empty text")
        norm = field_key(name) if key == "fields" else section_key(name)
        if norm in seen:
            raise SchemaError(f"{where}: {key}: {name}: listed twice (names ignore case)")
        seen.add(norm)
        entries.append((name.strip(), options))
    return entries


def _options(value: Any, allowed: Sequence[str], at: str) -> Mapping[Any, Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise SchemaError(
            f"{at}: expected a mapping of options ({', '.join(allowed)}), got {_kind(value)}"
        )
    reject_unknown_keys(value, allowed, at, SchemaError)
    return value


def _bool(options: Mapping[Any, Any], key: str, at: str) -> bool:
    value = options.get(key, False)
    if not isinstance(value, bool):
        raise SchemaError(f"{at}: {key}: expected true or false, got {_kind(value)}")
    return value


def _compile_pattern(pattern: str, at: str) -> Pattern:
    import re2  # type: ignore[import-untyped]

    options = re2.Options()
    options.log_errors = False  # RE2 would log to stderr; the SchemaError says it
    options.never_capture = True
    try:
        compiled: Pattern = re2.compile(pattern, options)
    except re2.error as exc:
        reason = exc.args[0].decode("utf-8", "replace") if exc.args else "invalid"
        raise SchemaError(
            f"{at}: pattern: invalid regular expression {pattern!r}: {reason}"
            " (RE2 syntax: no backreferences or lookaround)"
        ) from None
    return compiled


def _parse_field(name: str, value: Any, where: str) -> FieldSpec:
    at = f"{where}: {name}"
    options = _options(value, FIELD_KEYS, at)
    pattern = options.get("pattern")
    compiled = None
    if pattern is not None:
        if not isinstance(pattern, str):
            raise SchemaError(
                f"{at}: pattern: expected a regular expression (text), got {_kind(pattern)}"
            )
        compiled = _compile_pattern(pattern, at)
    enum = options.get("enum")
    values: tuple[str, ...] = ()
    if enum is not None:
        if (
            not isinstance(enum, list)
            or not enum
            or any(isinstance(v, (Mapping, list)) or v is None for v in enum)
        ):
            raise SchemaError(f"{at}: enum: expected a non-empty list of values, got {_kind(enum)}")
        values = tuple(_scalar_text(v) for v in enum)
    kind = options.get("type")
    if kind is not None and kind not in FIELD_TYPES:
        raise SchemaError(f"{at}: type: unknown type {kind!r} (allowed: {', '.join(FIELD_TYPES)})")
    location = options.get("location")
    if location is not None and location not in LOCATIONS:
        raise SchemaError(f"{at}: location: expected frontmatter or body, got {location!r}")
    return FieldSpec(
        name=name,
        required=_bool(options, "required", at),
        links=_bool(options, "links", at),
        pattern=compiled,
        enum=values,
        type=kind,
        location=location,
    )


def _parse_section(name: str, value: Any, where: str) -> SectionSpec:
    at = f"{where}: {name}"
    options = _options(value, SECTION_KEYS, at)
    level = options.get("level")
    if level is not None and (isinstance(level, bool) or level not in range(1, 7)):
        raise SchemaError(f"{at}: level: expected a heading level 1 to 6, got {_kind(level)}")
    return SectionSpec(name=name, required=_bool(options, "required", at), level=level)


def _text_list(value: Any, at: str) -> list[str]:
    """A list of non-empty strings (a single string is a list of one)."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise SchemaError(f"{at}: expected a list of names (text), got {_kind(value)}")
    return [v.strip() for v in value]


def _parse_match(value: Any, at: str) -> Match:
    if not isinstance(value, Mapping) or not value:
        raise SchemaError(
            f"{at}: expected a mapping of selectors (folders, tags, frontmatter, fields), "
            f"got {_kind(value)}"
        )
    reject_unknown_keys(value, MATCH_KEYS, at, SchemaError)
    folders = tuple(
        tuple(part.casefold() for part in folder.strip("/").split("/") if part)
        for folder in _text_list(value.get("folders", []), f"{at}: folders")
    )
    tags = tuple(t.lstrip("#").casefold() for t in _text_list(value.get("tags", []), f"{at}: tags"))
    frontmatter: list[tuple[str, tuple[str, ...]]] = []
    fm = value.get("frontmatter", {})
    if not isinstance(fm, Mapping):
        raise SchemaError(
            f"{at}: frontmatter: expected a mapping of keys to values, got {_kind(fm)}"
        )
    for key, wanted in fm.items():
        items = wanted if isinstance(wanted, list) else [wanted]
        if not isinstance(key, str) or any(isinstance(v, (Mapping, list)) for v in items):
            raise SchemaError(f"{at}: frontmatter: {key}: expected a value or a list of values")
        frontmatter.append((field_key(key), tuple(_scalar_text(v).casefold() for v in items)))
    fields: list[tuple[str, str]] = []
    selectors = value.get("fields", {})
    if not isinstance(selectors, Mapping):
        raise SchemaError(
            f"{at}: fields: expected a mapping of field names to links, got {_kind(selectors)}"
        )
    for key, target in selectors.items():
        name = _link_target_name(target) if isinstance(target, str) else ""
        if not isinstance(key, str) or not name:
            raise SchemaError(
                f'{at}: fields: {key}: expected a link to a note, like "[[Books index]]"'
            )
        fields.append((field_key(key), name))
    return Match(folders, tags, tuple(frontmatter), tuple(fields))


def _link_target_name(value: str) -> str:
    """``[[Books index|alias]]`` or ``Books index.md`` -> ``books index``."""
    name = value.strip()
    if name.startswith("[[") and name.endswith("]]"):
        name = name[2:-2]
    name = name.split("|", 1)[0].split("#", 1)[0].strip()
    return _strip_md(name.casefold())


def _strip_md(path: str) -> str:
    return path[:-3] if path.endswith(".md") else path


def _scalar_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value).strip()


# --- completeness ------------------------------------------------------------------------


@dataclass(slots=True)
class ValueProblem:
    entry: FieldEntry
    check: ValueCheck
    message: str


@dataclass(slots=True)
class FieldState:
    spec: FieldSpec
    state: State
    entries: tuple[FieldEntry, ...] = ()  # every occurrence, in the note's order
    problems: tuple[ValueProblem, ...] = ()  # broken links/pattern/enum/type of filled values

    @property
    def entry(self) -> FieldEntry | None:
        """The first filled occurrence, else the first (empty) one."""
        for entry in self.entries:
            if not is_empty_value(entry.value):
                return entry
        return self.entries[0] if self.entries else None


@dataclass(slots=True)
class SectionState:
    spec: SectionSpec
    state: State
    headings: tuple[Heading, ...] = ()  # every heading of the section, in the note's order
    filled: tuple[bool, ...] = ()  # for each heading: whether its section has content

    @property
    def heading(self) -> Heading | None:
        for heading, filled in zip(self.headings, self.filled, strict=True):
            if filled:
                return heading
        return self.headings[0] if self.headings else None


@dataclass(slots=True)
class NoteTypeState:
    schema: Schema
    fields: tuple[FieldState, ...]  # in schema order
    sections: tuple[SectionState, ...]  # in schema order
    misordered: tuple[SectionState, ...] = ()  # present sections out of template order

    @property
    def complete(self) -> bool:
        """Every required field and section is present and filled."""
        return all(f.state == "filled" for f in self.fields if f.spec.required) and all(
            s.state == "filled" for s in self.sections if s.spec.required
        )

    @property
    def problems(self) -> tuple[ValueProblem, ...]:
        return tuple(p for f in self.fields for p in f.problems)


def note_states(note: Note, schemas: Iterable[Schema]) -> list[NoteTypeState]:
    """The completeness of ``note`` against every schema that matches it.

    One ``NoteTypeState`` per matching schema, in the order of ``schemas``
    (none for a note of no type). Each holds, in schema order:

    - ``fields``: a ``FieldState`` per schema field: ``state`` is ``"filled"``
      (some occurrence has a value), ``"empty"`` (present, every value empty:
      whitespace or a lone ``-``) or ``"missing"``; ``entries`` are the
      note's ``FieldEntry`` occurrences (any style: inline code, Dataview,
      frontmatter); ``problems`` the ``ValueProblem``s of filled values
      (``check`` is ``links``, ``pattern``, ``enum`` or ``type``);
    - ``sections``: a ``SectionState`` per schema section: ``state`` as for
      fields, ``headings`` the matching headings and ``filled`` whether each
      one's section has content;
    - ``misordered``: the present sections that break template order (those
      outside the longest run in template order).

    ``complete`` and ``problems`` summarise it. The note is read, never
    re-parsed: the cost is a few dictionary lookups and one regex search per
    schema section.
    """
    states: list[NoteTypeState] = []
    view: _NoteView | None = None
    for schema in schemas:
        if view is None:
            view = _NoteView(note)
        if _matches(schema.match, view):
            states.append(_note_state(schema, view))
    return states


_last: tuple[Note, Sequence[Schema], list[NoteTypeState]] | None = None


class HasSchemas(Protocol):
    """What ``states_for`` reads of a rule context (``rules.base.Context`` is one)."""

    @property
    def schemas(self) -> Sequence[Schema] | None: ...


def states_for(note: Note, ctx: HasSchemas) -> list[NoteTypeState]:
    """``note_states`` for the rules: computed once per note and shared by SC01-SC06.

    The schemas are the context's; a context built without schemas (rule
    examples, tests) has the shipped ones. The engine runs every rule on a
    note before the next note, so remembering the last note is enough.
    """
    global _last
    schemas: Sequence[Schema] = shipped_schemas() if ctx.schemas is None else ctx.schemas
    last = _last
    if last is not None and last[0] is note and last[1] is schemas:
        return last[2]
    states = note_states(note, schemas)
    _last = (note, schemas, states)
    return states


class _NoteView:
    """What the schema checks look up in a note, indexed once per note."""

    __slots__ = (
        "_fm_ends",
        "_headings",
        "_link_starts",
        "_starts",
        "_tags",
        "fields",
        "folders",
        "note",
    )

    def __init__(self, note: Note) -> None:
        self.note = note
        self.folders = [part.casefold() for part in note.path.split("/")[:-1]]
        self.fields: dict[str, list[FieldEntry]] = {}
        for entry in note.fields:
            self.fields.setdefault(field_key(entry.key), []).append(entry)
        self._tags: set[str] | None = None
        self._headings: dict[str, list[Heading]] | None = None
        self._link_starts: list[int] | None = None
        self._fm_ends: dict[int, int] | None = None
        self._starts: tuple[list[int], list[int]] | None = None

    def starts(self) -> tuple[list[int], list[int]]:
        """The start offsets of the note's fields and of its headings."""
        if self._starts is None:
            note = self.note
            self._starts = ([f.start for f in note.fields], [h.start for h in note.headings])
        return self._starts

    def tags(self) -> set[str]:
        if self._tags is None:
            self._tags = {t.name.casefold() for t in self.note.tags}
        return self._tags

    def uncertain_field(self, key: str) -> bool:
        """Whether a field of this key may stand in an uncertain region."""
        return any(field_key(e.key) == key for e in self.note.uncertain_fields)

    def uncertain_heading(self, key: str) -> bool:
        """Whether a heading of this section may stand in an uncertain region."""
        return any(section_key(h.text) == key for h in self.note.uncertain_headings)

    def headings(self, key: str) -> list[Heading]:
        if self._headings is None:
            self._headings = {}
            for heading in self.note.headings:
                self._headings.setdefault(section_key(heading.text), []).append(heading)
        return self._headings.get(key, [])

    def value_links(self, entry: FieldEntry) -> list[Link]:
        """The links in a field's value (for a frontmatter key: in its whole entry)."""
        links = self.note.links
        if self._link_starts is None:
            self._link_starts = [link.start for link in links]
        if entry.source == "frontmatter":
            start, end = entry.start, self._frontmatter_end(entry)
            kinds: tuple[str, ...] = ("frontmatter",)
        else:
            start, end = entry.value_start, entry.value_end
            kinds = ("wikilink", "embed", "markdown", "markdown-embed")
        found = []
        for i in range(bisect_left(self._link_starts, start), len(links)):
            link = links[i]
            if link.start >= end:
                break
            if link.kind in kinds:
                found.append(link)
        return found

    def _frontmatter_end(self, entry: FieldEntry) -> int:
        """Where a frontmatter key's entry ends: at the next key, or the closing ``---``."""
        if self._fm_ends is None:
            fm = self.note.frontmatter
            close = fm.end if fm is not None else entry.end
            starts = sorted({e.start for e in self.note.fields if e.source == "frontmatter"})
            self._fm_ends = {s: e for s, e in zip(starts, [*starts[1:], close], strict=True)}
        return self._fm_ends.get(entry.start, entry.end)

    def raw_value(self, entry: FieldEntry) -> Any:
        """A frontmatter field's YAML value (a list stays a list); a body field's text."""
        fm = self.note.frontmatter
        if entry.source != "frontmatter" or fm is None or not isinstance(fm.data, dict):
            return entry.value
        for key, value in fm.data.items():
            if str(key).strip() == entry.key:
                return value
        return entry.value


def _matches(match: Match, view: _NoteView) -> bool:
    folders = view.folders
    for path in match.folders:
        n = len(path)
        if any(tuple(folders[i : i + n]) == path for i in range(len(folders) - n + 1)):
            return True
    if match.tags:
        tags = view.tags()
        for tag in match.tags:
            prefix = tag + "/"
            if tag in tags or any(t.startswith(prefix) for t in tags):
                return True
    if match.frontmatter:
        fm = view.note.frontmatter
        data = fm.data if fm is not None and isinstance(fm.data, dict) else {}
        for key, value in data.items():
            items = value if isinstance(value, list) else [value]
            texts = {_scalar_text(v).casefold() for v in items if not isinstance(v, (dict, list))}
            for wanted_key, wanted in match.frontmatter:
                if field_key(str(key)) == wanted_key and texts.intersection(wanted):
                    return True
    for key, target in match.fields:
        for entry in view.fields.get(key, ()):
            for link in view.value_links(entry):
                if _link_matches(link, target):
                    return True
    return False


def _link_matches(link: Link, target: str) -> bool:
    path = _strip_md(link.path.strip().casefold())
    if not path:
        return False
    if "/" not in target:
        path = path.rsplit("/", 1)[-1]
    return path == target


def _note_state(schema: Schema, view: _NoteView) -> NoteTypeState:
    fields = tuple(_field_state(spec, view) for spec in schema.fields)
    sections = tuple(_section_state(spec, view) for spec in schema.sections)
    return NoteTypeState(schema, fields, sections, _misordered(sections))


def _field_state(spec: FieldSpec, view: _NoteView) -> FieldState:
    entries = tuple(view.fields.get(spec.key, ()))
    filled = [e for e in entries if not is_empty_value(e.value)]
    if not filled and view.uncertain_field(spec.key):
        return FieldState(spec, "filled", entries)  # it may be there: say nothing
    if not entries:
        return FieldState(spec, "missing")
    if not filled:
        return FieldState(spec, "empty", entries)
    problems = tuple(p for e in filled for p in _value_problems(spec, e, view))
    return FieldState(spec, "filled", entries, problems)


# --- field values --------------------------------------------------------------------------

_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_DATE = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})"
    r"(?:[T ](?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:[.,]\d+)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?"
)
_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*://[^\s/?#]+(?:[/?#]\S*)?")
_MARKDOWN_URL = re.compile(r"\[[^\]\r\n]*\]\(<?([^)\s>]+)>?\)")
_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T(?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d)?")
_TYPE_NAMES = {
    "number": "a number",
    "date": "an ISO 8601 date (YYYY-MM-DD)",
    "url": "a URL",
    "checkbox": "a checkbox (true or false)",
    "datetime": "a date and time (YYYY-MM-DDTHH:mm[:ss])",
    "tags": "a tag name (no #, no space)",
}


def _show(value: str) -> str:
    value = value.strip()
    return repr(value if len(value) <= 60 else value[:57] + "...")


def _value_problems(spec: FieldSpec, entry: FieldEntry, view: _NoteView) -> Iterable[ValueProblem]:
    if spec.links and not view.value_links(entry):
        yield ValueProblem(entry, "links", f"'{spec.name}' holds no link: {_show(entry.value)}")
    if spec.pattern is None and not spec.enum and spec.type in (None, "text"):
        return
    raw = view.raw_value(entry)
    items: list[Any]
    if isinstance(raw, list):
        items = list(raw)
    elif spec.type in LIST_TYPES:
        items = [item.strip() for item in entry.value.split(",")]
    else:
        items = [raw]
    if spec.type in LIST_TYPES:
        if entry.source == "frontmatter" and not isinstance(raw, list):
            yield ValueProblem(entry, "type", f"'{spec.name}' is not a list: {_show(entry.value)}")
        elif any(_scalar_text(item) == "" for item in items):
            yield ValueProblem(
                entry, "type", f"'{spec.name}' is a list with an empty item: {_show(entry.value)}"
            )
    texts = [(item, _scalar_text(item)) for item in items if _scalar_text(item)]
    if spec.type in _TYPE_NAMES:
        bad = next((text for item, text in texts if not _has_type(spec.type, item, text)), None)
        if bad is not None:
            what = _TYPE_NAMES[spec.type]
            yield ValueProblem(entry, "type", f"'{spec.name}' is not {what}: {_show(bad)}")
    if spec.enum:
        allowed = {v.casefold() for v in spec.enum}
        bad = next((text for _, text in texts if text.casefold() not in allowed), None)
        if bad is not None:
            choices = ", ".join(spec.enum)
            yield ValueProblem(
                entry, "enum", f"'{spec.name}' must be one of {choices}: {_show(bad)}"
            )
    if spec.pattern is not None:
        pattern = spec.pattern
        bad = next((text for _, text in texts if pattern.search(text) is None), None)
        if bad is not None:
            yield ValueProblem(
                entry,
                "pattern",
                f"'{spec.name}' does not match the pattern {pattern.pattern!r}: {_show(bad)}",
            )


def _has_type(kind: str | None, item: Any, text: str) -> bool:
    if kind == "number":
        if isinstance(item, bool):
            return False
        return isinstance(item, (int, float)) or _NUMBER.fullmatch(text) is not None
    if kind == "date":
        if isinstance(item, (datetime.date, datetime.datetime)):
            return True
        m = _DATE.fullmatch(text)
        if m is None:
            return False
        try:
            datetime.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return False
        return True
    if kind == "checkbox":
        return isinstance(item, bool) or text.casefold() in ("true", "false")
    if kind == "datetime":
        if isinstance(item, datetime.datetime):
            return True
        m = _DATETIME.fullmatch(text)
        return m is not None and _has_type("date", text[:10], text[:10])
    if kind == "tags":
        return isinstance(item, str) and TAG_NAME.fullmatch(text) is not None
    if kind == "url":
        if text.startswith("<") and text.endswith(">"):
            text = text[1:-1]
        md = _MARKDOWN_URL.fullmatch(text)
        if md is not None:
            text = md.group(1)
        return _URL.fullmatch(text) is not None
    return True


# --- sections ----------------------------------------------------------------------------

# A line that is not content: blank, a lone list marker or task box, a quote
# marker with nothing after it, a callout header without a title, a thematic
# break, a lone block id. Everything else is content, code blocks included.
# Each run of blanks has one place to go (no two adjacent [ \t]* can share it):
# an ambiguous pattern costs time quadratic in the length of a blank line.
_NOISE = (
    r"[ \t]*(?:>[ \t]*)*"
    r"(?:(?:(?:[-*+]|\d{1,9}[.)])(?:[ \t]+\[.\])?"
    r"|\[![^\]\r\n]*\][+-]?"
    r"|[-*_](?:[ \t]*[-*_]){2,}"
    r"|\^[A-Za-z0-9-]+)"
    r"[ \t]*)?\r?$"
)
# The line break before a content line. (Searching from a literal "\n" is far
# quicker than trying "^" at every offset.)
_BEFORE_CONTENT_LINE = re.compile(r"\n(?!" + _NOISE + ")", re.M)
# Not content either: the note's field lines, subsection heading lines, comments.
_NOT_CONTENT_REGIONS = ("comment", "html-comment")


def _section_state(spec: SectionSpec, view: _NoteView) -> SectionState:
    headings = view.headings(spec.key)
    if spec.level is not None:
        headings = [h for h in headings if h.level == spec.level]
    if not headings:
        state: State = "filled" if view.uncertain_heading(spec.key) else "missing"
        return SectionState(spec, state)  # a heading that may be there: say nothing
    field_starts, heading_starts = view.starts()
    note = view.note
    filled = tuple([_has_content(note, h, field_starts, heading_starts) for h in headings])
    if not any(filled) and view.uncertain_heading(spec.key):
        return SectionState(spec, "filled", tuple(headings), filled)
    return SectionState(spec, "filled" if any(filled) else "empty", tuple(headings), filled)


def section_has_content(note: Note, heading: Heading) -> bool:
    """Whether anything under ``heading`` (subsections included) is real content.

    Not content: blank lines, lone list markers (``-``, ``1.``, ``- [ ]``),
    empty quote and callout lines, thematic breaks, lone block ids, the
    lines holding the note's fields (any style), subsection heading lines,
    and ``%%`` and HTML comments. Code blocks, math and embeds are content.
    """
    return _has_content(
        note, heading, [f.start for f in note.fields], [h.start for h in note.headings]
    )


def _has_content(
    note: Note, heading: Heading, field_starts: list[int], heading_starts: list[int]
) -> bool:
    start, end = heading.end, heading.section_end
    text = note.lf_text
    # ``start`` ends the heading's line: every line of the section follows a "\n".
    if end <= start or _BEFORE_CONTENT_LINE.search(text, start, end) is None:
        return False  # masking fields, headings and comments only takes content away
    spans: list[tuple[int, int]] = []
    fields = note.fields
    i = bisect_left(field_starts, start)
    while i < len(fields) and fields[i].start < end:
        spans.append((fields[i].start, fields[i].end))
        i += 1
    headings = note.headings
    i = bisect_left(heading_starts, start)
    while i < len(headings) and headings[i].start < end:
        spans.append((headings[i].start, headings[i].end))
        i += 1
    spans.extend(
        (r.start, r.end)
        for r in note.regions_overlapping(start, end)
        if r.kind in _NOT_CONTENT_REGIONS
    )
    if not spans:
        return True
    spans.sort()
    pieces: list[str] = []
    pos = start
    for a, b in spans:
        a, b = max(a, start), min(b, end)
        if b <= pos:
            continue
        if a > pos:
            pieces.append(text[pos:a])
        pos = b
    pieces.append(text[pos:end])
    return _BEFORE_CONTENT_LINE.search("\n" + "".join(pieces)) is not None


def _misordered(sections: Sequence[SectionState]) -> tuple[SectionState, ...]:
    """The present sections outside the longest subsequence in template order."""
    present = sorted(
        ((s.headings[0].start, order, s) for order, s in enumerate(sections) if s.headings),
        key=lambda item: item[0],
    )
    n = len(present)
    if n < 2:
        return ()
    length = [1] * n
    previous = [-1] * n
    for i in range(n):
        for j in range(i):
            if present[j][1] < present[i][1] and length[j] + 1 > length[i]:
                length[i], previous[i] = length[j] + 1, j
    keep: set[int] = set()
    i = max(range(n), key=lambda k: length[k])
    while i != -1:
        keep.add(i)
        i = previous[i]
    return tuple(present[k][2] for k in range(n) if k not in keep)
