"""Canvas files (JSON Canvas 1.0) read as notes whose links are their file nodes
and the links of their text nodes.

A canvas is ``{"nodes": [...], "edges": [...]}``. A node of type ``file``
shows a vault file (``file``, a path from the vault root, and an optional
``subpath`` such as ``#Heading``); a ``text`` node holds Markdown; a ``link``
node a URL; a ``group`` node a label. The file is parsed once, by a small JSON
reader that keeps the offset of every string, so each link found has a place
in the canvas text (line and column) and a JSON path for messages
(``nodes[2].file``). Invalid JSON, or JSON that is not a canvas, becomes a
``syntax`` problem of the note (the ``file-syntax`` rule reports it).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from json.decoder import scanstring  # type: ignore[attr-defined]  # not in typeshed
from typing import Any

from vaultlint.model import Link, Note
from vaultlint.parse import lf_view, line_starts, parse_note

_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?")
_SPACE = re.compile(r"[ \t\n\r]*")
_LITERALS = {"true": True, "false": False, "null": None}
NODE_TYPES = ("text", "file", "link", "group")
MAX_DEPTH = 64  # deeper JSON is no canvas Obsidian writes; reading it stops there


class JsonError(ValueError):
    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.offset = offset


@dataclass(frozen=True, slots=True)
class Text:
    """A JSON string value and where its characters are in the file."""

    value: str
    start: int  # offset of the opening quote
    end: int  # offset after the closing quote
    source: str  # the whole file text (a reference, not a copy)

    def offsets(self) -> list[int] | None:
        """The file offset of each character of ``value``, then of the closing quote;
        None when the string has no escapes (character ``i`` is at ``start + 1 + i``)."""
        if self.end - 2 - self.start == len(self.value):
            return None
        return _escaped_offsets(self)


def _escaped_offsets(text: Text) -> list[int]:
    """The file offset of each decoded character of ``text``, then of its closing quote."""
    offsets: list[int] = []
    raw = text.source
    pos = text.start + 1
    end = text.end - 1
    while pos < end:
        offsets.append(pos)
        if raw[pos] != "\\":
            pos += 1
        elif raw[pos + 1] == "u":
            code = int(raw[pos + 2 : pos + 6], 16)
            pos += 6
            # a surrogate pair is one character of the decoded value
            if 0xD800 <= code < 0xDC00 and raw.startswith("\\u", pos):
                low = int(raw[pos + 2 : pos + 6], 16)
                if 0xDC00 <= low < 0xE000:
                    pos += 6
        else:
            pos += 2
    offsets.append(end)
    return offsets


class _Reader:
    """JSON as Python values, with strings as ``Text`` (value and offsets)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._end = 0  # where the last string read ends

    def skip(self, pos: int) -> int:
        m = _SPACE.match(self.text, pos)
        assert m is not None
        return m.end()

    def value(self, pos: int, depth: int = 0) -> tuple[Any, int]:
        if depth > MAX_DEPTH:
            raise JsonError("nested too deeply", pos)
        text = self.text
        pos = self.skip(pos)
        if pos >= len(text):
            raise JsonError("unexpected end of file", pos)
        char = text[pos]
        if char == '"':
            return self.string(pos), self._end
        if char == "{":
            return self.object(pos, depth)
        if char == "[":
            return self.array(pos, depth)
        for word, literal in _LITERALS.items():
            if text.startswith(word, pos):
                return literal, pos + len(word)
        m = _NUMBER.match(text, pos)
        if m is not None:
            return json.loads(m.group()), m.end()
        raise JsonError(f"unexpected character {char!r}", pos)

    def string(self, pos: int) -> Text:
        try:
            value, end = scanstring(self.text, pos + 1, True)
        except json.JSONDecodeError as exc:
            raise JsonError(exc.msg, exc.pos) from None
        found = Text(value, pos, end, self.text)
        self._end = end
        return found

    def object(self, pos: int, depth: int) -> tuple[dict[str, Any], int]:
        text = self.text
        found: dict[str, Any] = {}
        pos = self.skip(pos + 1)
        if text.startswith("}", pos):
            return found, pos + 1
        while True:
            pos = self.skip(pos)
            if not text.startswith('"', pos):
                raise JsonError("expected a property name in double quotes", pos)
            key = self.string(pos).value
            pos = self.skip(self._end)
            if not text.startswith(":", pos):
                raise JsonError("expected ':'", pos)
            found[key], pos = self.value(pos + 1, depth + 1)
            pos = self.skip(pos)
            if text.startswith(",", pos):
                pos += 1
            elif text.startswith("}", pos):
                return found, pos + 1
            else:
                raise JsonError("expected ',' or '}'", pos)

    def array(self, pos: int, depth: int) -> tuple[list[Any], int]:
        text = self.text
        found: list[Any] = []
        pos = self.skip(pos + 1)
        if text.startswith("]", pos):
            return found, pos + 1
        while True:
            item, pos = self.value(pos, depth + 1)
            found.append(item)
            pos = self.skip(pos)
            if text.startswith(",", pos):
                pos += 1
            elif text.startswith("]", pos):
                return found, pos + 1
            else:
                raise JsonError("expected ',' or ']'", pos)


def read_json(text: str) -> Any:
    """``text`` as JSON with strings as ``Text``; ``JsonError`` when it is not JSON."""
    reader = _Reader(text)
    value, pos = reader.value(0)
    pos = reader.skip(pos)
    if pos != len(text):
        raise JsonError("extra data after the JSON value", pos)
    return value


def parse_canvas(path: str, text: str) -> Note:
    """The canvas ``text`` (decoded, without BOM) as a note of kind ``canvas``."""
    lf = lf_view(text)
    note = Note(path=path, text=text, kind="canvas", line_starts=line_starts(lf), lf_text=lf)
    if not text.strip():
        return note  # an empty file is an empty canvas to Obsidian
    try:
        data = read_json(text)
    except JsonError as exc:
        note.syntax.append((exc.offset, exc.offset, f"invalid JSON: {exc}"))
        return note
    if not isinstance(data, dict):
        note.syntax.append((0, 0, "not a canvas: the JSON is not an object"))
        return note
    nodes = data.get("nodes", [])
    if not isinstance(nodes, list):
        note.syntax.append((0, 0, "not a canvas: 'nodes' is not a list"))
        return note
    for n, node in enumerate(nodes):
        if isinstance(node, dict):
            _read_node(note, n, node)
    note.links.sort(key=lambda link: link.start)
    return note


def _read_node(note: Note, n: int, node: dict[str, Any]) -> None:
    kind = node.get("type")
    kind = kind.value if isinstance(kind, Text) else None
    if kind == "file":
        file = node.get("file")
        subpath = node.get("subpath")
        if not isinstance(file, Text) or not file.value.strip():
            return
        sub = subpath.value if isinstance(subpath, Text) and subpath.value.startswith("#") else ""
        start, end = file.start, file.end
        note.links.append(
            Link(
                kind="embed",
                raw=file.value + sub,
                path=file.value,
                subpath=sub,
                display=None,
                line=note.line_of(start),
                start=start,
                end=end,
                path_start=file.start + 1,
                path_end=file.end - 1,
            )
        )
        note.places[start] = f"nodes[{n}].file"
    elif kind == "text":
        text = node.get("text")
        if isinstance(text, Text) and ("[" in text.value or "](" in text.value):
            _text_links(note, n, text)


def _text_links(note: Note, n: int, text: Text) -> None:
    """The links of a text node's Markdown, placed in the canvas file."""
    inner = parse_note(note.path, text.value)
    offsets = text.offsets()
    shift = text.start + 1

    def at(i: int) -> int:
        return shift + i if offsets is None else offsets[i]

    for link in inner.links:
        if not link.path:
            continue  # ``[[#Heading]]`` in a canvas: which file it means is not settled
        start = at(link.start)
        link.start = start
        link.end = at(link.end)
        link.path_start = at(link.path_start)
        link.path_end = at(link.path_end)
        link.line = note.line_of(start)
        note.links.append(link)
        note.places[start] = f"nodes[{n}].text"
