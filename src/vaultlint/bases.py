"""Bases (``.base`` files and ``base`` code blocks): what makes one invalid.

A base is YAML with the top-level keys ``filters``, ``formulas``,
``properties``, ``summaries`` and ``views`` (Obsidian's Bases syntax). A filter
is an expression (a string) or a mapping with exactly one key, ``and``, ``or``
or ``not``, holding a list of filters. ``formula.X`` anywhere (in an
expression, an ``order`` list, a ``properties`` or ``summaries`` key) names a
formula that must be defined under ``formulas``. Each problem is an offset
range in the base's text and a message; where the YAML gives no place the
first mention in the text is used, else the start.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from vaultlint.plainyaml import load_plain

TOP_KEYS = ("filters", "formulas", "properties", "summaries", "views")
FILTER_KEYS = ("and", "or", "not")
_FORMULA = re.compile(r"(?<![\w.])formula\.([A-Za-z_][\w]*)")
# ``note.X`` (not followed by a character that would make X longer, as ``-`` may in a
# name), or ``note["X"]`` / ``note['X']``.
_NOTE_PROPERTY = re.compile(
    r"""(?<![\w.])note(?:\.([^\W\d][\w]*)(?![\w-])|\["([^"\]]+)"\]|\['([^'\]]+)'\])"""
)
# A ```base (or ~~~base) fence of a note: its opening line's end is where the YAML starts.
BASE_FENCE = re.compile(r"[ \t]{0,3}(`{3,}|~{3,})[ \t]*base[ \t]*\r?\n")

Problem = tuple[int, int, str]


def base_problems(text: str) -> list[Problem]:
    """What is wrong with the base ``text`` (empty: nothing)."""
    return read_base(text)[0]


def read_base(text: str) -> tuple[list[Problem], list[Problem]]:
    """What is wrong with the base ``text``, and the note properties it names
    (``note.X``, ``note["X"]``): each as (start, end, its name), at its first mention."""
    if not text.strip():
        return [], []  # an empty base shows every file: Obsidian accepts it
    try:
        data = load_plain(text)
    except Exception as exc:
        return [_yaml_problem(text, exc)], []
    if data is None:
        return [], []
    if not isinstance(data, dict):
        return [(0, 0, "invalid base: the YAML is not a mapping of sections")], []
    return _problems(text, data), _properties(text, data)


def _properties(text: str, data: dict[Any, Any]) -> list[Problem]:
    found: dict[str, None] = {}
    for string in _strings(data):
        if "note" in string:
            for m in _NOTE_PROPERTY.finditer(string):
                found.setdefault(m.group(1) or m.group(2) or m.group(3))
    first: dict[str, tuple[int, int]] = {}
    for m in _NOTE_PROPERTY.finditer(text):
        first.setdefault(m.group(1) or m.group(2) or m.group(3), (m.start(), m.end()))
    return sorted((*first.get(name, (0, 0)), name) for name in found)


def _problems(text: str, data: dict[Any, Any]) -> list[Problem]:
    problems: list[Problem] = []
    for key in data:
        if key not in TOP_KEYS:
            at = _place(text, f"{key}:", line_start=True)
            problems.append(
                (at, at, f"invalid base: unknown key {key!r} (allowed: {', '.join(TOP_KEYS)})")
            )
    if "filters" in data:
        problems += _filter_problems(text, data["filters"], "filters")
    views = data.get("views")
    if views is not None and not isinstance(views, list):
        problems.append((0, 0, "invalid base: 'views' is not a list"))
    elif views is not None:
        for n, view in enumerate(views):
            if isinstance(view, dict) and "filters" in view:
                problems += _filter_problems(text, view["filters"], f"views[{n}].filters")
    formulas = data.get("formulas")
    defined = set(formulas) if isinstance(formulas, dict) else set()
    missing: dict[str, None] = {}
    for string in _strings(data):
        for m in _FORMULA.finditer(string):
            if m.group(1) not in defined:
                missing.setdefault(m.group(1))
    for name in missing:
        at = _place(text, f"formula.{name}")
        end = at + len(f"formula.{name}") if at or text.startswith("formula.") else at
        problems.append((at, end, f"formula.{name} is not defined under 'formulas'"))
    problems.sort()
    return problems


def _yaml_problem(text: str, exc: Exception) -> Problem:
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    at = 0
    if mark is not None:
        lines = text.splitlines(keepends=True)
        at = sum(len(line) for line in lines[: mark.line]) + mark.column
        at = min(at, len(text))
    return (at, at, f"invalid YAML in a base: {problem}")


def _filter_problems(text: str, node: Any, where: str) -> list[Problem]:
    if node is None or isinstance(node, str):
        return []
    if not isinstance(node, dict):
        return [(0, 0, f"invalid base: {where} is neither an expression nor and/or/not")]
    keys = list(node)
    if len(keys) != 1 or keys[0] not in FILTER_KEYS:
        shown = ", ".join(repr(str(k)) for k in keys) or "nothing"
        at = _place(text, f"{keys[0]}:", line_start=True) if keys else 0
        return [(at, at, f"invalid base: {where} must have one key of and, or, not (has {shown})")]
    key = keys[0]
    items = node[key]
    if not isinstance(items, list):
        at = _place(text, f"{key}:", line_start=True)
        return [(at, at, f"invalid base: {where}.{key} is not a list of filters")]
    problems: list[Problem] = []
    for n, item in enumerate(items):
        problems += _filter_problems(text, item, f"{where}.{key}[{n}]")
    return problems


def _strings(data: Any) -> Iterator[str]:
    """Every string of ``data``, keys included (``formula.X:`` under properties)."""
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            for key, value in item.items():
                if isinstance(key, str):
                    yield key
                stack.append(value)
        elif isinstance(item, list):
            stack.extend(item)


def _place(text: str, what: str, line_start: bool = False) -> int:
    """The offset of the first ``what`` in ``text`` (at a line's indented start), else 0."""
    if line_start:
        m = re.search(rf"^[ \t-]*{re.escape(what)}", text, re.M)
        return m.end() - len(what) if m else 0
    at = text.find(what)
    return max(at, 0)


def fenced_bases(text: str, fences: list[tuple[int, int]]) -> Iterator[tuple[int, str]]:
    """The bases of a note's ``base`` code blocks, given its fenced regions (start, end):
    each as (offset of its YAML in ``text``, the YAML)."""
    for start, end in fences:
        m = BASE_FENCE.match(text, start)
        if m is None:
            continue
        body_start = m.end()
        fence = m.group(1)
        close = text.rfind(fence[0] * 3, body_start, end)
        line = text.rfind("\n", body_start, close) + 1 if close != -1 else end
        body_end = max(line, body_start) if close != -1 else end
        yield body_start, text[body_start:body_end]
