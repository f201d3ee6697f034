"""Text from the vault made safe to print: control characters shown, not obeyed.

A note's name, a frontmatter key or a link target may hold a newline (which
would start a CI log line with ``::`` and inject a workflow command), ESC (which
retitles, clears or recolours a terminal, or writes its clipboard with OSC 52),
or a bidi control (which reorders what the reader sees). Every output format and
message that prints such text passes it through ``printable``.
"""

from __future__ import annotations

import re

__all__ = ["escape_char", "escape_matches", "json_visible", "printable"]

_NAMED = {"\n": "\\n", "\r": "\\r"}
# C0 but tab, DEL, C1, bidi controls, and the line and paragraph separators.
_CONTROLS = [
    *(c for c in range(0x20) if c != 0x09),
    0x7F,
    *range(0x80, 0xA0),
    0x061C,
    0x200E,
    0x200F,
    *range(0x202A, 0x202F),
    *range(0x2066, 0x206A),
    0x2028,
    0x2029,
]


def escape_char(code: int) -> str:
    """How one character is shown escaped: ``\\n``, ``\\x1b``, ``\\u202e``; a lone
    surrogate standing for a byte of a file name that is not UTF-8, as that byte."""
    char = chr(code)
    if char in _NAMED:
        return _NAMED[char]
    if 0xDC80 <= code <= 0xDCFF:  # os.fsdecode's escape of an undecodable byte
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape_matches(pattern: re.Pattern[str], text: str) -> str:
    """``text`` with each character ``pattern`` matches escaped (``escape_char``)."""
    return pattern.sub(_escape_match, text)


def _escape_match(match: re.Match[str]) -> str:
    return escape_char(ord(match.group()))


_TABLE = {code: escape_char(code) for code in _CONTROLS}


# The runner reads a log line as a workflow command once its leading whitespace is trimmed.
_COMMAND_START = re.compile(r"\s*::")


def printable(text: str) -> str:
    """``text`` with its control characters written as escapes (``\\n``, ``\\x1b``,
    ``\\u202e``; a tab is kept), and a leading ``::`` as ``\\x3a:``: a path or a
    name that starts a line never starts a workflow command."""
    # Every character escaped is one str.isprintable rejects, so most text returns here.
    shown = text if text.isprintable() else text.translate(_TABLE)
    start = _COMMAND_START.match(shown) if "::" in shown else None
    if start is None:
        return shown
    colon = start.end() - 2
    return f"{shown[:colon]}\\x3a{shown[colon + 1 :]}"


def printable_path(path: str) -> str:
    """``printable(path)`` for a path printed before ``:line``: a path ``:`` would
    otherwise start the line with ``::``."""
    return printable(path + ":")[:-1]


# What a JSON encoder leaves raw in a string though a terminal would obey it: DEL, C1, bidi
# controls, the line and paragraph separators (C0 controls it escapes itself).
_JSON_RAW = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def json_visible(encoded: str) -> str:
    """JSON text with those characters written as ``\\uXXXX`` escapes: it decodes to the
    same values, and ``cat`` of it obeys nothing (they can only stand in strings)."""
    return _JSON_RAW.sub(_json_escape, encoded)


def _json_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"
