"""Editing a note's frontmatter as fixer ``Edit``s that touch only the edited key.

ruamel.yaml composes the frontmatter block (its round-trip loader's node
tree, which knows where every key, value and list item starts and ends); an
edit replaces the text of the edited key's value, item or lines and nothing
else, so comments, key order, quoting, flow or block style, indentation and
blank lines of every other key stay byte for byte. The body is never touched
and nothing is re-serialised: new values are written in the style of the value
they replace (a flow list stays a flow list, a quoted item keeps its quotes)
and items left as they were keep their text.

Every edit is verified before it is offered: the new block, parsed as the
checks parse it (``plainyaml.load_plain``), must hold the old data with
exactly the intended change; otherwise the operation returns None (no fix).
A block that failed to parse is never edited (``editor`` returns None).

ruamel.yaml's composer costs about a millisecond a block: ``editor`` is
called only by rules that found something to fix, never on a clean note.
Replacements use ``\\n``; the fixer writes them with the note's line breaks.
"""

from __future__ import annotations

import copy
import datetime
import json
import re
from collections.abc import Callable, Sequence
from typing import Any

from vaultlint.model import Edit, Note
from vaultlint.plainyaml import load_plain

Edits = tuple[Edit, ...]
_INDICATORS = re.compile(r"""[-?:,\[\]{}#&*!|>'"%@`]""")
_last: list[tuple[str, FrontmatterEditor | None]] = []  # the last note's editor, by its text


def editor(note: Note) -> FrontmatterEditor | None:
    """The editor of ``note``'s frontmatter; None when there is none to edit (no
    block, not closed, invalid YAML, not a mapping, merge keys, aliases of keys)."""
    if _last and _last[0][0] is note.text:
        return _last[0][1]
    made = _make(note)
    _last[:] = [(note.text, made)]
    return made


def _make(note: Note) -> FrontmatterEditor | None:
    fm = note.frontmatter
    if fm is None or fm.error is not None or not fm.closed:
        return None
    data = fm.data if fm.data is not None else {}
    if not isinstance(data, dict):
        return None
    try:
        return FrontmatterEditor(fm.raw, fm.raw_start, data)
    except _Refused:
        return None


class _Refused(Exception):
    """A block the editor does not edit (its nodes cannot be placed for certain)."""


class FrontmatterEditor:
    """One frontmatter block: ``raw`` (the YAML between the ``---`` lines) at
    ``offset`` in the note, and its plain ``data`` as the checks loaded it."""

    def __init__(self, raw: str, offset: int, data: dict[Any, Any]) -> None:
        self.raw = raw
        self.offset = offset
        self.data = data
        self.newline = "\r\n" if "\r\n" in raw else "\r" if "\r" in raw else "\n"
        self.entries: list[tuple[Any, Any, Any]] = []  # (data key, key node, value node)
        if not raw.strip():
            return
        from ruamel.yaml import YAML

        try:
            root = YAML(typ="rt").compose(raw)
        except Exception:  # ruamel raises many error classes; the checks said it parses
            raise _Refused from None
        if root is None:
            return
        pairs = getattr(root, "value", None)
        if not isinstance(pairs, list) or len(pairs) != len(data):
            raise _Refused  # a merge key (<<) or another reading of the keys
        previous = -1
        for key, (key_node, value_node) in zip(data, pairs, strict=True):
            if key_node.start_mark.index <= previous:
                raise _Refused
            previous = key_node.start_mark.index
            self.entries.append((key, key_node, value_node))

    # --- where things are ------------------------------------------------------

    def keys(self) -> list[Any]:
        return [key for key, _, _ in self.entries]

    def _entry(self, key: Any) -> tuple[int, Any, Any] | None:
        for i, (k, key_node, value_node) in enumerate(self.entries):
            if k == key and type(k) is type(key):
                return i, key_node, value_node
        return None

    def key_span(self, key: Any) -> tuple[int, int] | None:
        """Where the key is written, as note offsets."""
        found = self._entry(key)
        if found is None:
            return None
        node = found[1]
        return self.offset + node.start_mark.index, self.offset + node.end_mark.index

    def value_span(self, key: Any, item: int | None = None) -> tuple[int, int] | None:
        """Where a key's value (or its ``item``-th list item) is written, as note offsets."""
        node = self._node(key, item)
        if node is None:
            return None
        return self.offset + node.start_mark.index, self.offset + self._content_end(node)

    def _node(self, key: Any, item: int | None) -> Any:
        found = self._entry(key)
        if found is None:
            return None
        _, key_node, node = found
        if not self._placed(key_node, node):
            return None
        if item is None:
            return node
        items = self._items(node)
        return items[item] if items is not None and 0 <= item < len(items) else None

    def _placed(self, key_node: Any, node: Any) -> bool:
        """Whether ``node`` is written after its key (an alias points elsewhere)."""
        if node.start_mark.index < key_node.end_mark.index:
            return False
        items = self._items(node)
        if items is None:
            return True
        at = node.start_mark.index - 1
        for child in items:
            if child.start_mark.index <= at:
                return False
            at = child.start_mark.index
        return True

    @staticmethod
    def _items(node: Any) -> list[Any] | None:
        if node.id != "sequence":
            return None
        return list(node.value)

    def _content_end(self, node: Any) -> int:
        """Where the text of ``node`` ends: block lists and block scalars end at the
        next key for ruamel, after the blank lines and comments that precede it."""
        if node.id == "scalar":
            if node.style in ("|", ">"):
                span = self.raw[node.start_mark.index : node.end_mark.index]
                return int(node.start_mark.index) + len(span.rstrip())
            return int(node.end_mark.index)
        if node.flow_style:
            return int(node.end_mark.index)
        children = node.value if node.id == "sequence" else [v for _, v in node.value]
        if not children:
            return int(node.end_mark.index)
        return self._content_end(children[-1])

    def _line_start(self, pos: int) -> int:
        raw = self.raw
        return max(raw.rfind("\n", 0, pos), raw.rfind("\r", 0, pos)) + 1

    def _line_end(self, pos: int) -> int:
        """The start of the line after the one holding ``pos`` (or the block's end)."""
        raw = self.raw
        ends = [i for i in (raw.find("\n", pos), raw.find("\r", pos)) if i != -1]
        if not ends:
            return len(raw)
        end = min(ends)
        return end + 2 if raw.startswith("\r\n", end) else end + 1

    def _after_colon(self, key_node: Any) -> int:
        colon = self.raw.find(":", key_node.end_mark.index)
        return colon + 1

    def _item_indent(self) -> str:
        """The indentation of the block lists' dashes in this block (Obsidian: two)."""
        for _, _, node in self.entries:
            if node.id == "sequence" and not node.flow_style and node.value:
                return " " * int(node.start_mark.column)
        return "  "

    # --- the operations --------------------------------------------------------

    def set_value(self, key: Any, value: Any) -> Edits | None:
        """Give ``key`` the value ``value`` (a scalar or a list of scalars)."""
        found = self._entry(key)
        if found is None:
            return None
        _, key_node, node = found
        if not self._placed(key_node, node):
            return None
        if isinstance(value, list):
            text = self._list_text(key, node, value)
            if text is None:
                return None
        else:
            text = scalar_text(value)
            if text is None:
                return None
        if node.id == "scalar" and node.style not in ("|", ">") and node.value != "":
            edit = self._edit(node.start_mark.index, self._content_end(node), text.lstrip("\n"))
            if text.startswith("\n"):
                edit = self._edit(self._after_colon(key_node), self._content_end(node), text)
        elif node.id == "sequence" and node.flow_style and isinstance(value, list):
            edit = self._edit(node.start_mark.index, self._content_end(node), text)
        else:
            start = self._after_colon(key_node)
            lead = "" if text.startswith("\n") or not text else " "
            edit = self._edit(start, max(start, self._content_end(node)), lead + text)
            if node.id == "scalar" and node.value == "":  # key: (nothing)
                end = start
                while end < len(self.raw) and self.raw[end] in " \t":
                    end += 1
                edit = self._edit(start, end, lead + text)
        return self._verified((edit,), lambda d: d.__setitem__(key, copy.deepcopy(value)))

    def quote(self, key: Any, item: int | None = None) -> Edits | None:
        """Make the text of a value (or list item) a double-quoted string of that
        text: ``[[Note]]`` (a nested list to YAML) becomes ``"[[Note]]"``."""
        node = self._node(key, item)
        plain = node is not None and node.id == "scalar" and node.style is None
        if node is None or not (plain or (node.id == "sequence" and node.flow_style)):
            return None  # quoted already, or a block
        start, end = node.start_mark.index, self._content_end(node)
        written = self.raw[start:end]
        if "\n" in written or "\r" in written:
            return None
        edit = self._edit(start, end, _double_quoted(written))

        def change(data: dict[Any, Any]) -> None:
            if item is None:
                data[key] = written
            else:
                data[key][item] = written

        return self._verified((edit,), change)

    def to_list(self, key: Any) -> Edits | None:
        """Make a lone scalar value a one-item list (a block list, as Obsidian writes)."""
        found = self._entry(key)
        if found is None:
            return None
        _, key_node, node = found
        value = self.data.get(key)
        if node.id != "scalar" or node.style in ("|", ">") or value is None:
            return None
        start, end = node.start_mark.index, self._content_end(node)
        written = self.raw[start:end]
        if "\n" in written or "\r" in written:
            item = scalar_text(value)
            if item is None:
                return None
            written = item
        text = f"\n{self._item_indent()}- {written}"
        edit = self._edit(self._after_colon(key_node), end, text)
        return self._verified((edit,), lambda d: d.__setitem__(key, [d[key]]))

    def replace_item(self, key: Any, item: int, value: Any) -> Edits | None:
        """Give the ``item``-th item of ``key``'s list the scalar ``value``, in its style."""
        node = self._node(key, item)
        if node is None or node.id != "scalar" or node.style in ("|", ">") or _empty(node):
            return None
        parent = self._node(key, None)
        text = scalar_text(value, style=node.style, flow=bool(parent.flow_style))
        if text is None:
            return None
        edit = self._edit(node.start_mark.index, self._content_end(node), text)

        def change(data: dict[Any, Any]) -> None:
            data[key][item] = copy.deepcopy(value)

        return self._verified((edit,), change)

    def delete_item(self, key: Any, item: int) -> Edits | None:
        """Take the ``item``-th item out of ``key``'s list (not its last one)."""
        parent = self._node(key, None)
        node = self._node(key, item)
        if parent is None or node is None or len(parent.value) < 2:
            return None
        items = parent.value
        if parent.flow_style:
            if item > 0:
                start = self._content_end(items[item - 1])
                end = self._content_end(node)
            else:
                start, end = node.start_mark.index, items[1].start_mark.index
        else:
            start = self._line_start(node.start_mark.index)
            if self.raw[start : node.start_mark.index].strip() != "-":
                return None  # a nested list on the dash's line: not this item's line alone
            end = self._line_end(self._content_end(node))
        return self._verified((self._edit(start, end, ""),), lambda d: d[key].pop(item))

    def append_items(self, key: Any, values: Sequence[Any]) -> Edits | None:
        """Add ``values`` at the end of ``key``'s list, each in the list's style."""
        node = self._node(key, None)
        if node is None or not values:
            return None
        if node.id != "sequence":
            current = self.data.get(key)
            old = [] if current is None else [current]
            return self.set_value(key, [*old, *values])
        flow = bool(node.flow_style)
        texts = [scalar_text(v, flow=flow) for v in values]
        if any(t is None for t in texts):
            return None
        if flow:
            if node.value:
                at = self._content_end(node.value[-1])
                text = "".join(f", {t}" for t in texts)
            else:
                at = node.start_mark.index + 1
                text = ", ".join(t for t in texts if t is not None)
        else:
            last = node.value[-1]
            at = self._line_end(self._content_end(last))
            dash = self._line_start(last.start_mark.index)
            indent = self.raw[dash : last.start_mark.index].split("-")[0]
            text = "".join(f"{indent}- {t}\n" for t in texts)
            if at == len(self.raw) and not self.raw.endswith(("\n", "\r")):
                text = "\n" + text.rstrip("\n")
        return self._verified(
            (self._edit(at, at, text),), lambda d: d[key].extend(copy.deepcopy(list(values)))
        )

    def rename_key(self, key: Any, new: str) -> Edits | None:
        """Call ``key`` ``new``, its value as it is (``new`` must not be a key already)."""
        found = self._entry(key)
        if found is None or new in self.data:
            return None
        key_node = found[1]
        text = scalar_text(new, style=key_node.style)
        if text is None:
            return None
        edit = self._edit(key_node.start_mark.index, key_node.end_mark.index, text)

        def change(data: dict[Any, Any]) -> None:
            renamed = {(new if k == key else k): v for k, v in data.items()}
            data.clear()
            data.update(renamed)

        return self._verified((edit,), change)

    def delete_key(self, key: Any) -> Edits | None:
        """Take ``key`` out: its lines, to the end of its value's last line."""
        edit = self._delete_edit(key)
        if edit is None:
            return None
        return self._verified((edit,), lambda d: d.pop(key))

    def _delete_edit(self, key: Any) -> Edit | None:
        found = self._entry(key)
        if found is None:
            return None
        _, key_node, node = found
        if not self._placed(key_node, node):
            return None
        start = self._line_start(key_node.start_mark.index)
        if self.raw[start : key_node.start_mark.index].strip():
            return None
        if _empty(node):  # ruamel marks an empty value where the next token starts
            end = self._line_end(key_node.end_mark.index)
        else:
            end = self._line_end(max(self._content_end(node), key_node.end_mark.index))
        return self._edit(start, end, "")

    def merge_into(self, source: Any, target: str, same: Callable[[Any], Any]) -> Edits | None:
        """Move the values of ``source`` into ``target``'s list (those not in it yet, as
        ``same`` compares them) and take ``source`` out; ``source`` renamed when there
        is no ``target``."""
        if target not in self.data:
            return self.rename_key(source, target)
        delete = self._delete_edit(source)
        if delete is None:
            return None
        current = self.data[target]
        have = current if isinstance(current, list) else [] if current is None else [current]
        incoming = self.data[source]
        new_items = incoming if isinstance(incoming, list) else [incoming]
        seen = {same(v) for v in have}
        added = []
        for value in new_items:
            if value is None or isinstance(value, (list, dict)):
                continue
            if same(value) not in seen:
                seen.add(same(value))
                added.append(value)
        if not added:
            edits: Edits | None = ()
        elif isinstance(current, list):
            edits = self.append_items(target, added)
        else:
            edits = self.set_value(target, [*have, *added])
        if edits is None:
            return None

        def change(data: dict[Any, Any]) -> None:
            if added:
                data[target] = [*have, *copy.deepcopy(added)]
            data.pop(source)

        return self._verified((*edits, delete), change)

    def insert_key(self, key: str, value: Any, index: int) -> Edits | None:
        """Add ``key: value`` as the ``index``-th key (after the lines of the one before)."""
        if key in self.data or not 0 <= index <= len(self.entries):
            return None
        key_text = scalar_text(key)
        if key_text is None:
            return None
        if isinstance(value, list):
            items = [scalar_text(v) for v in value]
            if any(t is None for t in items):
                return None
            indent = self._item_indent()
            text = f"{key_text}:" + "".join(f"\n{indent}- {t}" for t in items) + "\n"
        else:
            scalar = scalar_text(value)
            if scalar is None:
                return None
            text = f"{key_text}: {scalar}\n" if scalar else f"{key_text}:\n"
        if index == 0:
            at = 0
        else:
            _, key_node, node = self.entries[index - 1]
            at = self._line_end(max(self._content_end(node), key_node.end_mark.index))
        if at == len(self.raw) and self.raw and not self.raw.endswith(("\n", "\r")):
            text = "\n" + text
        edit = self._edit(at, at, text)

        def change(data: dict[Any, Any]) -> None:
            items = list(data.items())
            items.insert(index, (key, copy.deepcopy(value)))
            data.clear()
            data.update(items)

        return self._verified((edit,), change)

    # --- writing -----------------------------------------------------------------

    def _list_text(self, key: Any, node: Any, values: list[Any]) -> str | None:
        """``values`` written as ``node``'s list is (flow or block); items equal to an
        old one keep its text."""
        old = self.data.get(key)
        old_items = old if isinstance(old, list) and node.id == "sequence" else []
        old_nodes = list(node.value) if node.id == "sequence" else []
        flow = node.id == "sequence" and bool(node.flow_style)
        used: set[int] = set()
        texts = []
        for value in values:
            text = None
            for j, (item, item_node) in enumerate(zip(old_items, old_nodes, strict=False)):
                if j in used or item != value or type(item) is not type(value):
                    continue
                if item_node.id == "scalar" and item_node.style not in ("|", ">"):
                    written = self.raw[item_node.start_mark.index : self._content_end(item_node)]
                    if "\n" not in written and "\r" not in written:
                        used.add(j)
                        text = written
                        break
            if text is None:
                text = scalar_text(value, flow=flow)
            if text is None:
                return None
            texts.append(text)
        if flow:
            return "[" + ", ".join(texts) + "]"
        if node.id == "sequence" and node.value:
            indent = " " * node.start_mark.column
        else:
            indent = self._item_indent()
        return "".join(f"\n{indent}- {t}" for t in texts) if texts else "[]"

    def _edit(self, start: int, end: int, text: str) -> Edit:
        return Edit(self.offset + start, self.offset + end, text)

    def _verified(self, edits: Edits, change: Callable[[dict[Any, Any]], None]) -> Edits | None:
        """``edits`` when the block they make parses to the old data with ``change``."""
        try:
            expected = _unshared(self.data, [_COPY_BUDGET])
            change(expected)
        except (KeyError, IndexError, AttributeError, TypeError, _Refused):
            return None
        new = apply_to(self.raw, edits, self.offset, self.newline)
        try:
            data = load_plain(new) if new.strip() else {}
        except Exception:  # any YAML error: the edit is not offered
            return None
        if data is None:
            data = {}
        return edits if _same(data, expected) else None


_COPY_BUDGET = 20_000  # containers and values: a YAML alias bomb is not edited


def _unshared(data: Any, budget: list[int]) -> Any:
    """A copy of ``data`` in which no list or mapping is shared: an edit changes one
    place, even where the text repeats a value by an alias (``*a``)."""
    budget[0] -= 1
    if budget[0] < 0:
        raise _Refused
    if isinstance(data, dict):
        return {k: _unshared(v, budget) for k, v in data.items()}
    if isinstance(data, list):
        return [_unshared(v, budget) for v in data]
    return data


def apply_to(raw: str, edits: Sequence[Edit], offset: int = 0, newline: str = "\n") -> str:
    """``raw`` with ``edits`` (note offsets, ``raw`` at ``offset``) applied, their
    line breaks written as ``newline``: what the fixer makes of the block."""
    parts = []
    pos = 0
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        start, end = edit.start - offset, edit.end - offset
        parts.append(raw[pos:start])
        text = edit.replacement
        if newline != "\n":
            text = text.replace("\r\n", "\n").replace("\n", newline)
        parts.append(text)
        pos = end
    parts.append(raw[pos:])
    return "".join(parts)


def _same(a: Any, b: Any) -> bool:
    """Equal data, types included (``1`` is not ``True``, ``"3"`` is not ``3``)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b) or (a != a and b != b)  # NaN


def _empty(node: Any) -> bool:
    """An empty plain value (``key:``, ``- ``), which ruamel places at the next token."""
    return node.id == "scalar" and node.style is None and node.value == ""


def _double_quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def scalar_text(value: Any, *, style: str | None = None, flow: bool = False) -> str | None:
    """``value`` written as a YAML scalar that reads back as itself: plain when it
    may be, else quoted (``style``: the quotes to keep, ``'`` or ``"``)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        text = repr(value)
        return text if _reads_as(text, value, flow) else None
    if isinstance(value, datetime.datetime):
        text = value.isoformat()
        return text if _reads_as(text, value, flow) else None
    if isinstance(value, datetime.date):
        return value.isoformat()
    if not isinstance(value, str):
        return None
    if style == "'" and "\n" not in value and "\r" not in value:
        return "'" + value.replace("'", "''") + "'"
    if style == '"':
        return _double_quoted(value)
    if (
        value
        and value == value.strip()
        and "\n" not in value
        and "\r" not in value
        and not _INDICATORS.match(value)
        and _reads_as(value, value, flow)
    ):
        return value
    return _double_quoted(value)


def _reads_as(text: str, value: Any, flow: bool) -> bool:
    try:
        data = load_plain(f"k: [{text}]\n" if flow else f"k: {text}\n")
    except Exception:  # not YAML as written: quote it
        return False
    if not isinstance(data, dict):
        return False
    got = data.get("k")
    return _same(got[0] if flow and isinstance(got, list) and len(got) == 1 else got, value)
