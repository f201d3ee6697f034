"""Obsidian's property types: ``types.json`` read, and values checked against a type.

Obsidian gives each property name one type across the vault and records it in
``<config folder>/types.json``::

    {"types": {"tags": "tags", "aliases": "aliases", "rating": "number",
               "read": "checkbox", "started": "date", "at": "datetime"}}

``read_types`` turns that file into a mapping of lower-cased property names
(Obsidian matches names ignoring case) to the type names it knows
(``PROPERTY_TYPES``); other type names are left out. A name absent from the
mapping is of unknown type: nothing is said about its values.

``check_value`` says what is wrong with a parsed YAML value (plain data, as
``parse`` loads the frontmatter) for a type, and what value would fit when
one can be offered: ``safe`` when the intent is certain (``"3"`` for a number),
unsafe when it is a guess (``yes`` for ``true``).
"""

from __future__ import annotations

import datetime
import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

TYPES_FILE = "types.json"
PROPERTY_TYPES = (
    "text",
    "multitext",
    "number",
    "checkbox",
    "date",
    "datetime",
    "tags",
    "aliases",
)
LIST_TYPES = frozenset(("multitext", "tags", "aliases"))
# Deprecated names (Obsidian 1.4) and the ones that replace them (1.9 dropped the old).
DEPRECATED = {"tag": "tags", "alias": "aliases", "cssclass": "cssclasses"}

_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_DATETIME = re.compile(r"(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?")
_SLASH_DATE = re.compile(r"(\d{4})[/.](\d{1,2})[/.](\d{1,2})")
_SPACE_DATETIME = re.compile(r"(\d{4}-\d{2}-\d{2})[ ]+(\d{2}:\d{2}(?::\d{2})?)")
_INTEGER = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
_DECIMAL = re.compile(r"[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)")
_ZERO_LED = re.compile(r"[-+]?0[0-9]+(?:\.[0-9]*)?")
_COMMA_DECIMAL = re.compile(r"[-+]?[0-9]+,[0-9]+")
_TRUE_WORDS = frozenset(("yes", "y", "on", "1"))
_FALSE_WORDS = frozenset(("no", "n", "off", "0"))


@dataclass(frozen=True)
class Problem:
    """What is wrong with a value; ``fixed`` is the value that fits (when one can
    be offered) and ``safe`` whether writing it keeps the meaning for certain."""

    message: str
    fixed: Any = None
    fixable: bool = False
    safe: bool = False


def read_types(folder: Path) -> tuple[dict[str, str], str | None]:
    """The property types of ``folder/types.json`` and a warning when it is malformed.

    A missing file means no types; a malformed one means no types and a
    one-line warning naming the file (Obsidian's file: never an error).
    """
    from vaultlint.yamlfile import shown

    path = folder / TYPES_FILE
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return {}, None
    except (OSError, UnicodeDecodeError) as exc:
        return {}, f"{shown(path)}: cannot read ({exc}); property types ignored"
    return parse_types(text, shown(path))


def parse_types(text: str, where: str) -> tuple[dict[str, str], str | None]:
    """``types.json``'s text as a mapping; a warning naming ``where`` when malformed."""
    try:
        data = json.loads(text)
    except ValueError as exc:
        return {}, f"{where}: invalid JSON ({exc}); property types ignored"
    types = data.get("types") if isinstance(data, dict) else None
    if not isinstance(types, dict):
        return {}, f'{where}: expected an object with a "types" object; property types ignored'
    found: dict[str, str] = {}
    for name, kind in types.items():
        if isinstance(kind, str) and kind in PROPERTY_TYPES and name.strip():
            found.setdefault(name.strip().lower(), kind)
    return found, None


def type_of(types: Mapping[str, str], name: Any) -> str | None:
    """The type ``types`` (from ``read_types``) records for the property ``name``."""
    return types.get(str(name).strip().lower()) if types else None


def is_unquoted_link(value: Any) -> bool:
    """Whether ``value`` is what YAML makes of an unquoted ``[[Note]]``: a list
    holding a list holding one string."""
    return (
        isinstance(value, list)
        and len(value) == 1
        and isinstance(value[0], list)
        and len(value[0]) == 1
        and isinstance(value[0][0], str)
    )


def shown_value(value: Any) -> str:
    """A value as a message quotes it: short, on one line."""
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, str):
        text = json.dumps(value, ensure_ascii=False)
    elif isinstance(value, (list, dict)):
        text = "a list" if isinstance(value, list) else "a mapping"
    else:
        text = str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def check_value(kind: str, value: Any) -> Problem | None:
    """What is wrong with ``value`` for a property of type ``kind``; None when it fits.

    An empty value fits every type (Obsidian shows it empty, a checkbox
    indeterminate). Unquoted links (``is_unquoted_link``) are left to the
    rule about them.
    """
    if value is None or is_unquoted_link(value):
        return None
    if isinstance(value, list) and any(is_unquoted_link(item) for item in value):
        value = [item for item in value if not is_unquoted_link(item)]  # - [[Note]]
    if kind in LIST_TYPES:
        return _list_problem(kind, value)
    if isinstance(value, dict):
        return Problem(f"a {kind} property holding a mapping (nested properties are not read)")
    if isinstance(value, list):
        return Problem(f"a {kind} property holding a list")
    checker = _SCALAR_CHECKS.get(kind)
    return None if checker is None else checker(value)


def _list_problem(kind: str, value: Any) -> Problem | None:
    if isinstance(value, dict):
        return Problem(f"a list property ({kind}) holding a mapping")
    if isinstance(value, list):
        for item in value:
            if isinstance(item, dict):
                return Problem(f"a list property ({kind}) holding a mapping")
            if isinstance(item, list):
                return Problem(f"a list property ({kind}) holding a nested list")
        return None
    if kind == "tags" and isinstance(value, str) and (", " in value or " " in value.strip()):
        return None  # several tags in one string: tag-format's finding
    safe = not (kind == "aliases" and isinstance(value, str) and "," in value)
    return Problem(
        f"a list property ({kind}) holding a single value ({shown_value(value)})",
        [value],
        fixable=True,
        safe=safe,
    )


def _number(value: Any) -> Problem | None:
    if isinstance(value, bool):
        return Problem(f"a number property holding {shown_value(value)}")
    if isinstance(value, (int, float)):
        return None
    text = value.strip() if isinstance(value, str) else None
    message = f"a number property holding {shown_value(value)}"
    if text is None:
        return Problem(message)
    if _INTEGER.fullmatch(text) or _DECIMAL.fullmatch(text):
        number: int | float = int(text) if _INTEGER.fullmatch(text) else float(text)
        if isinstance(number, float) and not math.isfinite(number):
            return Problem(message)
        return Problem(message + " (a quoted number)", number, fixable=True, safe=True)
    if _ZERO_LED.fullmatch(text):
        zero_led = float(text) if "." in text else int(text)
        return Problem(message, zero_led, fixable=True, safe=False)
    if _COMMA_DECIMAL.fullmatch(text):
        return Problem(message, float(text.replace(",", ".")), fixable=True, safe=False)
    return Problem(message)


def _checkbox(value: Any) -> Problem | None:
    if isinstance(value, bool):
        return None
    message = f"a checkbox property holding {shown_value(value)} (true or false)"
    word = str(value).strip().lower() if isinstance(value, (str, int)) else None
    if isinstance(value, str) and word in ("true", "false"):
        return Problem(message, word == "true", fixable=True, safe=True)
    if word in _TRUE_WORDS or word in _FALSE_WORDS:
        return Problem(message, word in _TRUE_WORDS, fixable=True, safe=False)
    return Problem(message)


def _valid_date(year: str, month: str, day: str) -> bool:
    try:
        datetime.date(int(year), int(month), int(day))
    except ValueError:
        return False
    return True


def _date(value: Any) -> Problem | None:
    if isinstance(value, datetime.datetime):
        return Problem("a date property holding a date and time (YYYY-MM-DD)")
    if isinstance(value, datetime.date):
        return None
    message = f"a date property holding {shown_value(value)} (YYYY-MM-DD)"
    if not isinstance(value, str):
        return Problem(message)
    text = value.strip()
    whole = _DATE.fullmatch(text)
    if whole is not None and _valid_date(*whole.groups()):
        return None
    other = _SLASH_DATE.fullmatch(text)
    if other is not None and _valid_date(*other.groups()):
        year, month, day = (int(g) for g in other.groups())
        return Problem(message, datetime.date(year, month, day), fixable=True, safe=False)
    return Problem(message)


def _datetime(value: Any) -> Problem | None:
    if isinstance(value, datetime.datetime):
        return None
    message = f"a datetime property holding {shown_value(value)} (YYYY-MM-DDTHH:mm)"
    if isinstance(value, datetime.date):
        return Problem(message)
    if not isinstance(value, str):
        return Problem(message)
    text = value.strip()
    whole = _DATETIME.fullmatch(text)
    if whole is not None and _valid_date(*whole.group(1).split("-")):
        hour, minute = int(whole.group(2)), int(whole.group(3))
        second = int(whole.group(4) or 0)
        if hour < 24 and minute < 60 and second < 60:
            return None
    spaced = _SPACE_DATETIME.fullmatch(text)
    if spaced is not None:
        guess = f"{spaced.group(1)}T{spaced.group(2)}"
        if _datetime(guess) is None:
            return Problem(message, guess, fixable=True, safe=False)
    return Problem(message)


def _text(value: Any) -> Problem | None:
    return None  # any scalar shows as text


_SCALAR_CHECKS = {
    "text": _text,
    "number": _number,
    "checkbox": _checkbox,
    "date": _date,
    "datetime": _datetime,
}
