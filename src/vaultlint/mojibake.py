"""Mojibake: UTF-8 text that was decoded with a legacy code page and saved again.

Pure functions, no I/O: ``find_repairs`` finds the damaged stretches of a text
and what they should read; ``repair`` returns the text with them repaired.

How damage is found. Every byte of a multi-byte UTF-8 sequence is >= 0x80, so
a damaged character shows up as a *run* of non-ASCII characters that all have
a byte in the guilty code page: ``é`` (C3 A9) read as cp1252 is ``Ã©``. Each
run is re-encoded with a candidate code page and the bytes are parsed as UTF-8
again. Two code pages are tried:

* ``cp1252``: Windows-1252, with Latin-1 for the bytes it leaves undefined
  (some tools keep them as C1 control characters);
* ``baltic``: what real Baltic pastes hold: bytes 0x80-0x9F decoded as cp1252
  (cp1257 there too) and 0xA0-0xFF as ISO-8859-13 (cp1257 there too). Some
  characters have two possible bytes here (``”`` is 0x94 and 0xA1, ``š`` is
  0x9A and 0xF0); the parse tries both and keeps the more plausible result.

Lost bytes. A decoder that drops the bytes cp1252 leaves undefined (0x81, 0x8D,
0x8F, 0x90, 0x9D) truncates the sequences ending in them. Only one truncation
is repaired: ``E2 80`` followed by no continuation byte (``ā€``/``â€``).
Its lost last byte is one of 81 8D 8F 90 9D, i.e. U+2001 (em quad), U+200D
(zero width joiner), U+200F (right-to-left mark), U+2010 (hyphen) or U+201D
``”``. The curly quotes ``“`` (E2 80 9C) and ``’`` (E2 80 99) end in bytes
cp1252 defines (``œ``, ``™``), so they survive intact (``ā€œ``, ``ā€™``); the
closing ``”`` is the one common character that loses its byte, so a truncated
``ā€`` is read as ``”`` -- except between two damaged emoji, where it is the
zero width joiner of an emoji sequence (``👩‍💻``). Other truncated sequences
are ambiguous (an emoji that lost a byte could be any of five) and are left
alone.

Precision over recall. Correct text in Latvian, Lithuanian, Polish, Czech,
German, French... is full of characters that have a byte in these code pages,
so a repair is accepted only when it is clearly more plausible than the text:

* the bytes must be valid UTF-8 and decode to assigned, printable characters
  (no controls, private use or unassigned code points);
* a single repaired character must be a common one: Latin letters and
  punctuation, symbols, emoji. A letter of another script (Cyrillic, Greek,
  CJK...) or a box-drawing character needs a second one of the same kind
  repaired next to it (``Ð¿Ñ€`` is ``пр``; a lone ``ß“`` is German, not NKo);
* a two-byte pair ending a word in capitals stays when its second character
  is punctuation or a space or its repair is not a capital (``CAFÉ…``, ``ŻÓŁĆ…``,
  ``LATVIJĀ”`` and ``RĪGĀ`` before a no-break space stay, so does a damaged
  ``CAFÃ‰``; ``Ã‰COLE`` is repaired),
  and a pair standing alone between non-letters stays when its second
  character is punctuation (``„Ä“`` stays; ``Â©`` and ``Â«`` are repaired).

Ambiguity. In the Baltic mix ``”`` ``“`` ``„`` each stand for two bytes, so
some damage reads two ways (``Ć”`` is á or Ô, ``šŸ’”`` is 💡 or 💔). The
reading with fewer guesses wins: common punctuation over rare signs, frequent
letters and emoji over rare ones, lower case over capitals, then the
ISO-8859-13 byte; tests/test_mojibake.py documents each choice.

ftfy, measured on the same corpus (tests/test_mojibake.py), repairs 96 of its
127 damaged strings against 127 here: it handles cp1252, Latin-1 and pure
cp1257, but not the Baltic mix of emoji (``Ÿ`` is not in cp1257) nor the lost
byte of ``”``, and its default ``fix_text`` rewrites correct text (it uncurls
quotes in 11 of the 18 correct lines). It is not used.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import product

LOST_BYTES = (0x81, 0x8D, 0x8F, 0x90, 0x9D)  # undefined in cp1252: dropped by decoders
_CURLY_QUOTES = frozenset("„“”‚‘’")


def _byte_map(ranges: list[tuple[int, int, tuple[str, ...]]]) -> dict[str, tuple[int, ...]]:
    """character -> the bytes it can stand for, over ``(low, high, codecs)`` ranges."""
    found: dict[str, list[int]] = {}
    for low, high, codecs in ranges:
        for byte in range(low, high + 1):
            for codec in codecs:
                try:
                    char = bytes([byte]).decode(codec)
                except UnicodeDecodeError:
                    continue
                seen = found.setdefault(char, [])
                if byte not in seen:
                    seen.append(byte)
    # Higher bytes first: between two equally plausible readings of a Baltic
    # ``”`` (0x94 or 0xA1) the ISO-8859-13 one wins (``šŸ’”`` is 💡, not 💔).
    return {char: tuple(sorted(bs, reverse=True)) for char, bs in found.items()}


SCHEMES: dict[str, dict[str, tuple[int, ...]]] = {
    "cp1252": _byte_map([(0x80, 0xFF, ("cp1252", "latin-1"))]),
    "baltic": _byte_map(
        [(0x80, 0x9F, ("cp1252", "cp1257", "latin-1")), (0xA0, 0xFF, ("iso8859_13", "cp1257"))]
    ),
}
_DESCRIPTION = {
    "cp1252": "UTF-8 read as cp1252",
    "baltic": "UTF-8 read as cp1252/ISO-8859-13",
}

_RUN_CHARS = "".join(sorted({c for scheme in SCHEMES.values() for c in scheme}))
# Two or more characters that all have a byte >= 0x80 in some code page. (Written
# as "[..][..]+": a leading repeat hides the set from the regex engine's fast scan.)
_RUN_CLASS = "[" + re.escape(_RUN_CHARS) + "]"
RUN = re.compile(_RUN_CLASS + _RUN_CLASS + "+")


@dataclass(frozen=True, slots=True)
class Repair:
    """``text[start:end]`` is damaged and should read ``replacement``."""

    start: int
    end: int
    original: str
    replacement: str
    scheme: str

    @property
    def description(self) -> str:
        return _DESCRIPTION[self.scheme]


def find_repairs(text: str, start: int = 0, end: int | None = None) -> list[Repair]:
    """The damaged stretches of ``text[start:end]``, in order, with their repairs."""
    if end is None:
        end = len(text)
    if text.isascii():
        return []
    repairs: list[Repair] = []
    for m in RUN.finditer(text, start, end):
        a, b = m.span()
        before = "".join(_kind(c) for c in text[max(a - 2, 0) : a]).rjust(2, "O")
        after = _kind(text[b]) if b < len(text) else "O"
        for i, j, replacement, scheme in _repair_run(m.group(), before, after):
            repairs.append(Repair(a + i, a + j, text[a + i : a + j], replacement, scheme))
    return repairs


def repair(text: str) -> str:
    """``text`` with every damaged stretch repaired (doubly damaged text too)."""
    for _ in range(3):
        repairs = find_repairs(text)
        if not repairs:
            break
        text = _apply(text, repairs)
    return text


def _apply(text: str, repairs: list[Repair]) -> str:
    parts: list[str] = []
    pos = 0
    for r in repairs:
        parts.append(text[pos : r.start])
        parts.append(r.replacement)
        pos = r.end
    parts.append(text[pos:])
    return "".join(parts)


def _kind(char: str) -> str:
    """U: an upper-case letter, A: another letter or digit, O: anything else."""
    if char.isupper():
        return "U"
    return "A" if char.isalnum() else "O"


# --- parsing a run --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Piece:
    start: int  # character offsets in the run
    end: int
    char: str
    lead: int  # first UTF-8 byte
    cls: int  # 0 common, 1 plausible alone, 2 plausible only in company
    lost: bool = False


_Cost = tuple[int, int, int, int]  # undecoded chars, lost bytes, class sum, capitals


def _second_range(lead: int) -> tuple[int, int]:
    if lead == 0xE0:
        return 0xA0, 0xBF
    if lead == 0xED:
        return 0x80, 0x9F
    if lead == 0xF0:
        return 0x90, 0xBF
    if lead == 0xF4:
        return 0x80, 0x8F
    return 0x80, 0xBF


def _length(lead: int) -> int:
    if 0xC2 <= lead <= 0xDF:
        return 2
    if 0xE0 <= lead <= 0xEF:
        return 3
    if 0xF0 <= lead <= 0xF4:
        return 4
    return 0


def _sequences(
    run: str, i: int, scheme: dict[str, tuple[int, ...]], script: int | None
) -> Iterator[_Piece]:
    """Every character a UTF-8 sequence starting at ``run[i]`` can decode to.

    With ``script``, letters that need company must be of that script.
    """
    for lead in scheme.get(run[i], ()):
        size = _length(lead)
        if not size or i + size > len(run):
            continue
        options: list[tuple[int, ...]] = []
        for k in range(1, size):
            low, high = _second_range(lead) if k == 1 else (0x80, 0xBF)
            options.append(tuple(b for b in scheme.get(run[i + k], ()) if low <= b <= high))
        for tail in product(*options):
            char = bytes((lead, *tail)).decode("utf-8")
            cls = _class(char)
            if cls is not None and (cls < 2 or script is None or _script(char) == script):
                yield _Piece(i, i + size, char, lead, cls)


def _truncated(run: str, i: int, scheme: dict[str, tuple[int, ...]]) -> _Piece | None:
    """``E2 80`` whose last byte was lost (see the module docstring)."""
    if i + 1 < len(run) and 0xE2 in scheme.get(run[i], ()) and 0x80 in scheme.get(run[i + 1], ()):
        return _Piece(i, i + 2, "\u201d", 0xE2, 0, lost=True)
    return None


def _parse(run: str, scheme: dict[str, tuple[int, ...]], script: int | None = None) -> list[_Piece]:
    """The best reading of ``run``: fewest characters left undecoded, then fewest guesses.

    Dynamic programming from the end of the run, linear in its length.
    """
    n = len(run)
    costs: list[_Cost] = [(0, 0, 0, 0)] * (n + 1)
    steps: list[_Piece | None] = [None] * (n + 1)
    for i in range(n - 1, -1, -1):
        rest = costs[i + 1]
        best: _Cost = (rest[0] + 1, rest[1], rest[2], rest[3])
        step = None
        pieces = list(_sequences(run, i, scheme, script))
        lost = _truncated(run, i, scheme)
        if lost is not None:
            pieces.append(lost)
        for piece in pieces:
            tail = costs[piece.end]
            cost = (
                tail[0],
                tail[1] + piece.lost,
                tail[2] + piece.cls,
                tail[3] + piece.char.isupper(),
            )
            if cost < best:
                best, step = cost, piece
        costs[i], steps[i] = best, step
    reading = []
    i = 0
    while i < n:
        step = steps[i]
        if step is None:
            i += 1
        else:
            reading.append(step)
            i = step.end
    return reading


@lru_cache(maxsize=4096)
def _repair_run(run: str, before: str, after: str) -> tuple[tuple[int, int, str, str], ...]:
    """(start, end, replacement, scheme) for the damaged parts of a run.

    ``before`` is the kind (see ``_kind``) of the two characters before the run,
    ``after`` that of the character after it.
    """
    chosen: tuple[tuple[int, int, str, str], ...] = ()
    best = (0, 0)  # characters repaired, minus the oddness of the repair
    for name, scheme in SCHEMES.items():
        pieces = _parse(run, scheme)
        readings = [pieces]
        # An ambiguous byte may have pulled one letter into another script
        # (Hangul ㄲ read as the CJK 㥲): read again within each script found.
        scripts = {_script(p.char) for p in pieces if p.cls == 2}
        if len(scripts) > 1:
            readings += [_parse(run, scheme, script) for script in sorted(scripts)]
        for reading in readings:
            found = []
            size = odd = 0
            for segment in _segments(reading):
                if _plausible(segment, run, before, after):
                    text = "".join(p.char for p in segment)
                    found.append((segment[0].start, segment[-1].end, text))
                    size += segment[-1].end - segment[0].start
                    odd += sum(p.cls + p.lost + p.char.isupper() for p in segment)
            if size and (size, -odd) > best:
                chosen = tuple((a, b, _again(text), name) for a, b, text in found)
                best = (size, -odd)
    return chosen


def _again(text: str) -> str:
    """Text damaged twice (``ÃƒÂ©``) is repaired twice."""
    if text.isascii() or not RUN.search(text):
        return text
    return repair(text)


def _segments(pieces: list[_Piece]) -> Iterator[list[_Piece]]:
    """Decoded pieces grouped into adjacent stretches, with the lost-byte ones resolved."""
    segment: list[_Piece] = []
    for piece in pieces:
        if segment and segment[-1].end != piece.start:
            yield _resolve_lost(segment)
            segment = []
        segment.append(piece)
    if segment:
        yield _resolve_lost(segment)


def _resolve_lost(segment: list[_Piece]) -> list[_Piece]:
    out = list(segment)
    for k, piece in enumerate(segment):
        if (
            piece.lost
            and 0 < k < len(segment) - 1
            and _is_emoji(segment[k - 1].char)
            and _is_emoji(segment[k + 1].char)
        ):
            out[k] = _Piece(piece.start, piece.end, "\u200d", piece.lead, 0, lost=True)
    return out


def _is_emoji(char: str) -> bool:
    return 0x1F000 <= ord(char) <= 0x1FAFF or 0x2600 <= ord(char) <= 0x27BF


# --- plausibility ----------------------------------------------------------------

_COMMON_PUNCTUATION = frozenset("–—‘’‚“”„•…‰‹›€™")
# Frequent accented letters of European languages: where the Baltic mix leaves
# two letters possible (``Å„`` is ń or ť), the frequent one wins.
_FREQUENT_LETTERS = "áéíóúàèìòùâêîôûäëïöüçñãõåæøßāēīūčšžģķļņąęėįųłńśźżćőűřěůýğşıœ"
# Frequent emoji (chat and assistant pastes): where the Baltic mix leaves two
# emoji possible (``”`` is 0x94 or 0xA1: 🤔 or 🤡), the frequent one wins.
_FREQUENT_EMOJI = frozenset(
    "😂🤣😭🙏😘🥰😍😊🎉😁💕🥺😅🔥🤦🤷🙄😆🤗😉🎂🤔👏🙂😳🥳😎👌💜😔💪✨💖👀😋😏😢👉💗😩💯"
    "🌹💞🎈💙😃😡💐😜🙈🤞😄🤤🙌🤪😀💋💀👇💔😌💓🤩🙃😬😱😴🤭😐🌞😒😇🌸😈🎶🎊🥵😞💚🖤"
    "💰😚👑🎁💥🙋😑🥴👈✅👍❤📘📗📕📙📚📖🧠🔑🧬📜🪶💡📌🎯🔍🔎📝💬🌱🚀⭐📈📊🛠⚙💭🌍🧩🔄"
    "⚡🏆📍🗝🧭🔬🧪❓❗⚠❌🔹🔸🔔🍔🎵📅📣🌟💎🧘🤝🫶🪴"
)
_FREQUENT = frozenset(_FREQUENT_LETTERS + _FREQUENT_LETTERS.upper()) | _FREQUENT_EMOJI
_ALONE = (  # code point ranges plausible as a single repaired character
    (0x00A0, 0x017F),  # Latin-1 Supplement, Latin Extended-A
    (0x0192, 0x0192),  # ƒ
    (0x01A0, 0x01A1),  # Vietnamese ơ
    (0x01AF, 0x01B0),  # Vietnamese ư
    (0x01CD, 0x01DC),  # pinyin tones
    (0x0218, 0x021B),  # Romanian ș ț
    (0x2000, 0x2027),  # general punctuation (spaces, dashes, quotes, bullets)
    (0x2030, 0x205E),
    (0x2070, 0x24FF),  # super/subscripts, currency, letterlike, arrows, math, technical
    (0x25A0, 0x27BF),  # geometric shapes, misc symbols, dingbats
    (0x2900, 0x2BFF),  # arrows, math, misc symbols
    (0xFE00, 0xFE0F),  # variation selectors (emoji presentation)
    (0xFEFF, 0xFEFF),  # a BOM pasted into the text
    (0x1D400, 0x1D7FF),  # mathematical alphanumerics
    (0x1F000, 0x1FAFF),  # emoji and pictographs
)
_INVISIBLE_OK = frozenset("\u00ad\u200b\u200c\u200d\u200e\u200f\u2060\ufeff")


def _class(char: str) -> int | None:
    """0: common, 1: plausible alone, 2: plausible next to its kind, None: never."""
    category = unicodedata.category(char)
    if category in ("Cc", "Cs", "Co", "Cn") or (category == "Cf" and char not in _INVISIBLE_OK):
        return None
    cp = ord(char)
    if char in _FREQUENT or (0xA0 <= cp <= 0xBF) or char in _COMMON_PUNCTUATION:
        return 0
    if any(low <= cp <= high for low, high in _ALONE):
        return 1
    if category[0] in "LMNSP" or category == "Zs":
        return 2
    return None


def _script(char: str) -> int:
    """A coarse script key: characters with the same key may stand together."""
    cp = ord(char)
    if 0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0x20000 <= cp <= 0x3FFFF:
        return 0x4E00  # CJK ideographs
    if 0x3000 <= cp <= 0x30FF:
        return 0x4E00  # CJK punctuation and kana go with ideographs
    if 0xAC00 <= cp <= 0xD7AF:
        return 0xAC00  # Hangul
    return cp >> 7


def _plausible(segment: list[_Piece], run: str, before: str, after: str) -> bool:
    """Whether a decoded stretch is a repair rather than correct text (see the docstring)."""
    company = [p for p in segment if p.cls == 2]
    if company and (len(segment) < 2 or len({_script(p.char) for p in company}) > 1):
        return False
    if len(segment) > 1 or segment[0].end - segment[0].start != 2:
        return True
    piece = segment[0]
    left = (before + "".join(_kind(c) for c in run[: piece.start]))[-2:]
    prev = left[-1]
    nxt = _kind(run[piece.end]) if piece.end < len(run) else after
    second = run[piece.start + 1]
    # The end of a word in capitals (``CAFÉ…``, ``ŻÓŁĆ…``, ``LABĀ”``, ``RĪGĀ`` and a
    # no-break space) stays; ``IBMÂ®`` is repaired.
    if left == "UU" and (
        unicodedata.category(second)[0] in "PZ" or not (piece.char.isupper() or piece.lead == 0xC2)
    ):
        return False
    if prev == "O" and nxt == "O":
        if second in _CURLY_QUOTES:
            return False  # a quoted letter: „Ä“, „Ā”
        if piece.lead >= 0xC4 and unicodedata.category(second)[0] in "PZ":
            return False
    return True
