"""Rules about Obsidian's properties (the frontmatter) and frontmatter tags.

Each rule reads the frontmatter's plain data (``Frontmatter.data``, parsed
once with the note) and finds where a key is written from the note's
frontmatter fields; the frontmatter writer (``fmwrite``) is asked for a fix,
and for the exact span of a value, only once something is found, so a clean
note costs a walk over its keys. Every fix is an edit of one key's value, item
or lines that ``fmwrite`` verified: the block parses to the old data with
exactly that change; a block that does not parse is never edited.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from typing import Any

from vaultlint.fmwrite import FrontmatterEditor, editor
from vaultlint.model import Finding, Fix, Note
from vaultlint.parse import TAG_NAME
from vaultlint.properties import DEPRECATED, check_value, is_unquoted_link, type_of
from vaultlint.rules.base import Context, Example, Rule

# Obsidian's own properties: typed so even when types.json does not list them.
BUILT_IN_TYPES = {"tags": "tags", "aliases": "aliases", "cssclasses": "multitext"}
TYPES = ".obsidian/types.json"


def _data(note: Note) -> dict[Any, Any] | None:
    fm = note.frontmatter
    if fm is None or fm.error is not None or not fm.closed or not isinstance(fm.data, dict):
        return None
    return fm.data or None


def _name(key: Any) -> str:
    return str(key).strip()


# A writer's operation and its arguments: (FrontmatterEditor.quote, key, item).
Operation = tuple[Any, ...]
E = FrontmatterEditor


class _PropertyRule(Rule):
    """What the property rules share: where a key or item is, and fixes as findings.
    Subclasses give ``check_data``, run on notes whose frontmatter parsed to a mapping."""

    def check(self, note: Note, ctx: Context) -> Iterator[Finding]:
        data = _data(note)
        return iter(()) if data is None else self.check_data(note, data, ctx)

    def check_data(self, note: Note, data: dict[Any, Any], ctx: Context) -> Iterator[Finding]:
        raise NotImplementedError

    def _span(self, note: Note, key: Any, item: int | None = None) -> tuple[int, int]:
        """Where ``key`` (or its ``item``-th list item) is written: the writer's span
        when it places the value, else the key's line."""
        found = editor(note) if item is not None else None
        span = found.value_span(key, item) if found is not None else None
        if span is not None:
            return span
        name = _name(key)
        for entry in note.fields:
            if entry.source == "frontmatter" and entry.key == name:
                return entry.start, entry.end
        fm = note.frontmatter
        start = fm.raw_start if fm is not None else 0
        return start, start

    def _report(
        self,
        note: Note,
        key: Any,
        message: str,
        make: Operation | None = None,
        safe: bool = True,
        item: int | None = None,
    ) -> Finding:
        fix = None
        if make is not None:
            found = editor(note)
            edits = make[0](found, *make[1:]) if found is not None else None
            if edits:
                fix = Fix(edits, safe=safe)
        start, end = self._span(note, key, item)
        return self.finding(note, start, end, message, fix)


class UnquotedLinkProperty(_PropertyRule):
    """Report an internal link written unquoted in a property.

    Obsidian's Properties documentation: links in text and list properties must be
    quoted. Unquoted, ``up: [[Note]]`` is YAML for a list holding a list holding
    the text ``Note``: Obsidian shows no link, and no link rule can check it. A
    list item ``- [[Note]]`` is the same. The safe fix writes the link quoted
    (``up: "[[Note]]"``), as Obsidian writes it; then ``broken-link`` checks it.
    Off by default.
    """

    name = "unquoted-link-property"
    code = "PR01"
    summary = "An internal link in a property written without quotes"
    fixable = True
    enabled = False
    examples = (
        Example(
            title="a text property",
            path="Reading/The Left Hand of Darkness.md",
            bad="---\nup: [[Books index]]\n---\nWinter on Gethen.\n",
            good='---\nup: "[[Books index]]"\n---\nWinter on Gethen.\n',
            fixed='---\nup: "[[Books index]]"\n---\nWinter on Gethen.\n',
            files={"Books index.md": "# Books\n"},
        ),
        Example(
            title="items of a list property, with an alias; comments and the other items kept",
            path="読書/ノルウェイの森.md",
            bad="---\nrelated:   # 関連\n  - [[村上春樹|Murakami]]\n  - 'Kafka'\n"
            "  - [[海辺のカフカ]]\n---\n本文\n",
            good="---\nrelated:   # 関連\n  - \"[[村上春樹|Murakami]]\"\n  - 'Kafka'\n"
            '  - "[[海辺のカフカ]]"\n---\n本文\n',
            fixed="---\nrelated:   # 関連\n  - \"[[村上春樹|Murakami]]\"\n  - 'Kafka'\n"
            '  - "[[海辺のカフカ]]"\n---\n本文\n',
        ),
    )

    def check_data(self, note: Note, data: dict[Any, Any], ctx: Context) -> Iterator[Finding]:
        for key, value in data.items():
            if is_unquoted_link(value):
                link = f"[[{value[0][0]}]]"
                yield self._report(
                    note,
                    key,
                    f"'{_name(key)}': the link {link} is not quoted: YAML reads it as a "
                    f'nested list, Obsidian shows no link; write "{link}"',
                    (E.quote, key),
                )
            elif isinstance(value, list):
                for i, item in enumerate(value):
                    if not is_unquoted_link(item):
                        continue
                    link = f"[[{item[0][0]}]]"
                    yield self._report(
                        note,
                        key,
                        f"'{_name(key)}', item {i + 1}: the link {link} is not quoted: YAML "
                        f'reads it as a nested list, Obsidian shows no link; write "{link}"',
                        (E.quote, key, i),
                        item=i,
                    )


class PropertyType(_PropertyRule):
    """Report a property value that does not fit the type Obsidian gives its name.

    Obsidian keeps one type per property name across the vault, in
    ``.obsidian/types.json``: a ``number`` holds a literal number (not
    ``12 pages``), a ``checkbox`` ``true`` or ``false`` (not ``yes``), a
    ``date`` ``YYYY-MM-DD``, a ``datetime`` ``YYYY-MM-DDTHH:mm[:ss]``, a list
    type (``multitext``, ``tags``, ``aliases``) a list of values, not a mapping;
    no type holds nested properties. ``tags``, ``aliases`` and ``cssclasses``
    have Obsidian's own types even when ``types.json`` does not list them; any
    other name it does not list is of unknown type and never reported. An empty
    value fits every type. Unquoted links are ``unquoted-link-property``'s and
    several tags in one string ``tag-format``'s.
    The fix is safe where the intent is certain: a quoted number (``"3"``) for a
    number, ``"true"`` for a checkbox, a lone value for a list type written as a
    one-item list. It is unsafe where it is a guess (``yes`` as ``true``,
    ``2024/5/1`` as ``2024-05-01``, ``007`` as ``7``, ``3,5`` as ``3.5``, a
    space for the ``T`` of a date and time), and there is none for ``12 pages``.
    Off by default.
    """

    name = "property-type"
    code = "PR02"
    summary = "A property value that does not fit its type in types.json"
    fixable = True
    enabled = False
    examples = (
        Example(
            title="a quoted number for a number property (rating: number in types.json)",
            bad='---\ntitle: Dune\nrating: "4"   # out of 5\n---\nDesert.\n',
            good="---\ntitle: Dune\nrating: 4   # out of 5\n---\nDesert.\n",
            fixed="---\ntitle: Dune\nrating: 4   # out of 5\n---\nDesert.\n",
            files={TYPES: '{"types": {"rating": "number", "title": "text"}}'},
        ),
        Example(
            title="a lone value for a list property becomes a one-item list",
            path="Reading/ดวงดาว.md",
            bad="---\r\ntopics: ดาราศาสตร์\r\nread: true\r\n---\r\nดาว\r\n",
            good="---\r\ntopics:\r\n  - ดาราศาสตร์\r\nread: true\r\n---\r\nดาว\r\n",
            fixed="---\r\ntopics:\r\n  - ดาราศาสตร์\r\nread: true\r\n---\r\nดาว\r\n",
            files={TYPES: '{"types": {"topics": "multitext", "read": "checkbox"}}'},
        ),
        Example(
            title="yes for a checkbox: true is a guess, so the fix is unsafe",
            bad="---\nread: yes\nstarted: 2024-05-01\n---\n",
            good="---\nread: true\nstarted: 2024-05-01\n---\n",
            fixed="---\nread: true\nstarted: 2024-05-01\n---\n",
            unsafe=True,
            files={TYPES: '{"types": {"read": "checkbox", "started": "date"}}'},
        ),
        Example(
            title="a number with words and a date in another format: reported, not fixed",
            bad="---\npages: 320 pages\nstarted: 21/08/2020\n---\n",
            good="---\npages: 320\nstarted: 2020-08-21\n---\n",
            files={TYPES: '{"types": {"pages": "number", "started": "date"}}'},
        ),
    )

    def check_data(self, note: Note, data: dict[Any, Any], ctx: Context) -> Iterator[Finding]:
        types = ctx.property_types
        for key, value in data.items():
            kind = type_of(types, key)
            where = f"{kind} in types.json"
            if kind is None:
                kind = BUILT_IN_TYPES.get(_name(key).lower())
                where = f"Obsidian's {kind} property"
            if kind is None:
                continue
            problem = check_value(kind, value)
            if problem is None:
                continue
            message = f"'{_name(key)}' ({where}): {problem.message}"
            if not problem.fixable:
                yield self._report(note, key, message)
                continue
            fixed = problem.fixed
            if isinstance(fixed, list) and not isinstance(value, list) and fixed == [value]:
                make: Operation = (E.to_list, key)
            else:
                make = (E.set_value, key, fixed)
            yield self._report(note, key, message, make, safe=problem.safe)


class DeprecatedProperty(_PropertyRule):
    """Report the deprecated properties ``tag``, ``alias`` and ``cssclass``.

    Obsidian 1.4 deprecated them for ``tags``, ``aliases`` and ``cssclasses``, and
    1.9 dropped them as default properties: their values are no longer tags,
    aliases or CSS classes. The fix renames the key (safe) when the note has no
    ``tags`` (``aliases``, ``cssclasses``) yet; when it has both, it moves the
    values not there yet into the new property's list and takes the old key out
    (unsafe: the two may have been kept apart on purpose). Tags are compared
    ignoring case and a leading ``#``, as Obsidian compares them.
    Off by default.
    """

    name = "deprecated-property"
    code = "PR03"
    summary = "A property Obsidian deprecated: tag, alias or cssclass"
    fixable = True
    enabled = False
    examples = (
        Example(
            title="the key renamed, its value and comment as they were",
            path="Lectura/Cien años de soledad.md",
            bad="---\nalias: [Cien años, 'One Hundred Years']  # títulos\n---\nMacondo.\n",
            good="---\naliases: [Cien años, 'One Hundred Years']  # títulos\n---\nMacondo.\n",
            fixed="---\naliases: [Cien años, 'One Hundred Years']  # títulos\n---\nMacondo.\n",
        ),
        Example(
            title="both tag and tags: merged into tags (unsafe)",
            bad="---\ntag: [Novel, 文学]\ntags:\n  - novel\ncssclass: wide\n---\n",
            good="---\ntags:\n  - novel\n  - 文学\ncssclasses: wide\n---\n",
            fixed="---\ntags:\n  - novel\n  - 文学\ncssclasses: wide\n---\n",
            unsafe=True,
        ),
    )

    def check_data(self, note: Note, data: dict[Any, Any], ctx: Context) -> Iterator[Finding]:
        names = {_name(k).lower(): k for k in data}
        for key in data:
            new = DEPRECATED.get(_name(key).lower())
            if new is None:
                continue
            target = names.get(new)
            message = f"'{_name(key)}' is deprecated since Obsidian 1.4 (dropped in 1.9): "
            if target is None:
                yield self._report(
                    note,
                    key,
                    message + f"rename it '{new}'",
                    (E.rename_key, key, new),
                )
                continue
            message += f"this note has '{_name(target)}' too: merge it there"
            mergeable = all(
                not isinstance(v, (list, dict))
                for value in (data[key], data[target])
                for v in (value if isinstance(value, list) else [value])
            )
            if new == "tags" and _several(data[target]):
                mergeable = False  # tag-format writes its list first (the next pass merges)
            same = _tag_key if new == "tags" else _identity
            make = (E.merge_into, key, target, same) if mergeable else None
            yield self._report(note, key, message, make, safe=False)


def _several(value: Any) -> bool:
    """Whether ``value`` is several tags in one string (``tag-format``'s to split)."""
    return isinstance(value, str) and ("," in value or len(value.split()) > 1)


def _identity(value: Any) -> Any:
    return value


def _tag_key(value: Any) -> Any:
    """Tags as Obsidian compares them: NFC, case folded, without a leading ``#``."""
    if not isinstance(value, str):
        return value
    return unicodedata.normalize("NFC", value.strip().lstrip("#")).casefold()


class TagFormat(_PropertyRule):
    """Report badly written tags in the frontmatter ``tags`` property.

    Four things: a tag with a leading ``#`` (``"#book"``: the ``#`` is not part of
    the name in the frontmatter); several tags in one string, separated by commas
    or spaces (``tags: book, novel``: a list is meant); a tag with a space inside
    (``- science fiction``, not one tag to a search for ``#science``); the same
    tag twice, ignoring case as Obsidian does (``[Novel, novel]``). The fixes are
    safe: the ``#`` dropped, the string written as a list of its tags (as
    Obsidian reads it), the later duplicate taken out. A space inside a list item
    becomes a ``-`` only with ``--unsafe-fixes`` (``science-fiction``: the author
    may have meant two tags). Body tags are ``tag-case``'s. Off by default.
    """

    name = "tag-format"
    code = "TG01"
    summary = "A frontmatter tag with a #, tags in one string, a space or a duplicate"
    fixable = True
    enabled = False
    examples = (
        Example(
            title="tags in one comma-separated string",
            bad="---\ntags: book, novel\n---\nRead in May.\n",
            good="---\ntags:\n  - book\n  - novel\n---\nRead in May.\n",
            fixed="---\ntags:\n  - book\n  - novel\n---\nRead in May.\n",
        ),
        Example(
            title="a leading # and a duplicate in a flow list; Khmer and Persian tags",
            bad='---\ntags: ["#ភាសា", کتاب, Book, book]  # ok\n---\n',
            good='---\ntags: ["ភាសា", کتاب, Book]  # ok\n---\n',
            fixed='---\ntags: ["ភាសា", کتاب, Book]  # ok\n---\n',
        ),
        Example(
            title="a space inside a tag (unsafe fix)",
            bad="---\ntags:\n  - science fiction\n  - 2024/reading\n---\n",
            good="---\ntags:\n  - science-fiction\n  - 2024/reading\n---\n",
            fixed="---\ntags:\n  - science-fiction\n  - 2024/reading\n---\n",
            unsafe=True,
        ),
    )

    def check_data(self, note: Note, data: dict[Any, Any], ctx: Context) -> Iterator[Finding]:
        for key, value in data.items():
            if _name(key).lower() != "tags":
                continue
            if isinstance(value, str):
                yield from self._string(note, key, value)
            elif isinstance(value, list):
                yield from self._items(note, key, value)

    def _string(self, note: Note, key: Any, value: str) -> Iterator[Finding]:
        text = value.strip()
        name = _name(key)
        if _several(text):
            parts = [p for chunk in text.split(",") for p in chunk.split()]
            how = "commas" if "," in text else "spaces"
            yield self._report(
                note,
                key,
                f"'{name}': several tags in one string, separated by {how}: write a list",
                (E.set_value, key, parts),
            )
        elif text.startswith("#") and text.lstrip("#"):
            yield self._report(
                note,
                key,
                f"'{name}': the tag '{text}' starts with '#', which is not part of its name "
                "in the frontmatter",
                (E.set_value, key, text.lstrip("#")),
            )

    def _items(self, note: Note, key: Any, items: list[Any]) -> Iterator[Finding]:
        name = _name(key)
        seen: dict[Any, int] = {}
        for i, item in enumerate(items):
            if not isinstance(item, str) or not item.strip():
                continue
            text = item.strip()
            same = _tag_key(text)
            if same in seen:
                yield self._report(
                    note,
                    key,
                    f"'{name}', item {i + 1}: the tag '{text}' is item {seen[same] + 1} "
                    "again (tags ignore case)",
                    (E.delete_item, key, i),
                    item=i,
                )
                continue
            seen[same] = i
            if text.startswith("#") and text.lstrip("#"):
                yield self._report(
                    note,
                    key,
                    f"'{name}', item {i + 1}: the tag '{text}' starts with '#', which is not "
                    "part of its name in the frontmatter",
                    (E.replace_item, key, i, text.lstrip("#")),
                    item=i,
                )
            elif "," in text:
                parts = [p.strip() for p in text.split(",") if p.strip()]
                split = [*items[:i], *parts, *items[i + 1 :]]
                yield self._report(
                    note,
                    key,
                    f"'{name}', item {i + 1}: several tags in one item, separated by commas",
                    (E.set_value, key, split),
                    safe=False,
                    item=i,
                )
            elif len(text.split()) > 1:
                joined = "-".join(text.split())
                yield self._report(
                    note,
                    key,
                    f"'{name}', item {i + 1}: the tag '{text}' holds a space, which ends a tag",
                    (E.replace_item, key, i, joined) if TAG_NAME.fullmatch(joined) else None,
                    safe=False,
                    item=i,
                )


__all__ = ["DeprecatedProperty", "PropertyType", "TagFormat", "UnquotedLinkProperty"]
