"""The mojibake repair module, on a corpus: damaged strings repaired, correct text left alone."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vaultlint.mojibake import LOST_BYTES, RUN, find_repairs, repair

# --- how text gets damaged ------------------------------------------------------


def baltic_mix(text: str) -> str:
    """The real Baltic damage (as ../shared/bench/genvault.py makes it).

    Bytes 0x80-0x9F decoded as cp1252, 0xA0-0xFF as ISO-8859-13; the bytes
    cp1252 leaves undefined are lost.
    """
    out = []
    for byte in text.encode("utf-8"):
        if byte < 0x80:
            out.append(chr(byte))
        elif byte < 0xA0:
            with contextlib.suppress(UnicodeDecodeError):  # else the byte is lost
                out.append(bytes([byte]).decode("cp1252"))
        else:
            out.append(bytes([byte]).decode("iso-8859-13"))
    return "".join(out)


def cp1252_lossy(text: str) -> str:
    """cp1252, dropping the bytes it does not define."""
    return text.encode("utf-8").decode("cp1252", errors="ignore")


def cp1252_c1(text: str) -> str:
    """cp1252, keeping undefined bytes as C1 controls (what browsers do)."""
    return "".join(
        chr(b) if b in LOST_BYTES else bytes([b]).decode("cp1252") for b in text.encode("utf-8")
    )


def latin1(text: str) -> str:
    return text.encode("utf-8").decode("latin-1")


def cp1257(text: str) -> str:
    """Plain Windows-1257 (Baltic) for every byte; undefined bytes lost."""
    return text.encode("utf-8").decode("cp1257", errors="ignore")


DAMAGES = [baltic_mix, cp1252_lossy, cp1252_c1, latin1]

# Text that every damage above turns into repairable mojibake.
ORIGINALS = [
    "The “relational” mind — it’s between us.",
    "“We” are",
    "It’s",
    "### **📘**\u00a0",
    "### **🧠**\u00a0",
    "📘 🧠 🔑 🧬 📜 🪶 💡 📌 ✨ 🎯",
    "👩‍💻 at work",
    "café",
    "naïve façade, crème brûlée",
    "Größe und Fuß",
    "Ādaži",
    "šķūnis",
    "Žąsys ėjo į ūkį",  # Lithuanian
    "Zażółć gęślą jaźń",  # Polish
    "Příliš kůň úpěl",  # Czech
    "İstanbul’da çay, ağaç",  # Turkish
    "señor, año, ¿qué?",  # Spanish
    "Привет мир",  # Russian
    "Ψυχή και νους",  # Greek
    "中文",  # Chinese
    "∑ ≤ ∞ ≈ √ → ±",  # math
    "€100, ™, ©, ½, 25 °C",
    "… • – —",
    "ÉCOLE",
    "École",
]
CORPUS = [
    pytest.param(damage(original), original, id=f"{damage.__name__}-{n}")
    for n, original in enumerate(ORIGINALS)
    for damage in DAMAGES
]

# Damaged strings as found in real notes, spelled out.
LITERALS = [
    ("ā€œWeā€", "“We”"),  # the Baltic mix: ” lost its last byte (0x9D)
    ("šŸ“˜", "📘"),
    ("### **šŸ“˜**Ā\u00a0", "### **📘**\u00a0"),
    ("### **šŸ§\u00a0**Ā\u00a0", "### **🧠**\u00a0"),
    ("itā€™s ā€” ā€¦", "it’s — …"),
    ("itâ€™s", "it’s"),  # cp1252
    ("â€œquotedâ€\u009d", "“quoted”"),  # cp1252 with the C1 byte kept
    ("â€œquotedâ€ then", "“quoted” then"),  # cp1252, the byte lost
    ("cafÃ©", "café"),
    ("Ã\u00a0 la carte", "à la carte"),  # à is C3 A0: a NBSP inside
    ("25Â°C", "25°C"),
    ("Â© 2024", "© 2024"),
    ("IBMÂ®", "IBM®"),
    ("Ã‰cole", "École"),
    ("CAFÃ‰ ", "CAFÃ‰ "),  # inside a word in capitals before punctuation: left alone
    ("ÃƒÂ©", "é"),  # damaged twice
    ("ÐŸÑ€Ð¸Ð²ÐµÑ‚", "Привет"),
    ("Ä€daÅ¾i", "Ādaži"),  # Latvian through cp1252
    ("mĆ”s", "más"),  # the Baltic mix: ” is 0x94 or 0xA1 here; the lower-case letter wins
    ("ā€”", "—"),  # ...and here — beats ‡
    ("šŸ‘©ā€šŸ’»", "👩\u200d💻"),  # between two emoji the lost byte is the joiner's
    ("ā€šŸ“˜", "”📘"),
    ("ļ»æText", "\ufeffText"),  # a pasted BOM (then irregular-whitespace removes it)
]

# Correct text: never reported, never changed.
CORRECT = [
    # Latvian
    "Ādaži ir novads Latvijā; šķūnis stāv pie ceļa, un bērni ēd ābolus.",
    "„Labā diena!” — teica Ķēniņš. Burts „Ā” un vārds „LATVIJĀ”.",
    "ĀĒĪŪ ČĢĶĻŅŠŽ āēīū čģķļņšž; “Rīga” — «Rīga».",
    # Lithuanian
    "Žąsys ėjo į ūkį, o čia šąla. Ačiū už „gerą“ žodį! ŠIAULIŲ „Ž“.",
    # Polish
    "Zażółć gęślą jaźń. Źdźbło, łódź, „cytat” i «inny». ŻÓŁĆ… Ą»",
    # Czech and Slovak
    "Příliš žluťoučký kůň úpěl ďábelské ódy. „Uvozovky“ — ČEŠTINA… Ďž",
    # German
    "Größe, Maß und Fuß: „Ä“, „Öl“, „Gruß“ und „Übung“ – ÄRGER… STRASSE»",
    # French
    "Café, naïve façade, « Où est l’hôtel ? » — À bientôt, CAFÉ… Œuvre, cœur.",
    # Spanish, Portuguese, Italian
    "¿Qué tal, señor? ¡Olé! El niño comió piñas. ESPAÑA» Não, São Paulo. Perché è così.",
    # Nordic
    "Ö på sjön, Å i Skåne, Æble og Ørred, Þór og Ðið, ÅÄÖ “Ä”.",
    # Turkish, Romanian, Hungarian, Vietnamese
    "İstanbul'da çay içtik; ŞİŞLİ. Știință și țară; Árvíztűrő tükörfúrógép; Tiếng Việt.",
    # Greek
    "Καλημέρα κόσμε, ψυχή και νους — «Ελλάδα».",
    # Russian, Ukrainian
    "Привет, мир! Съешь же ещё этих мягких французских булок. Ґанок, їжак.",
    # emoji
    "📘 🧠 🔑 🧬 📜 🪶 💡 📌 ✨ 🎯 👩‍💻 ❤️ 🇱🇻 👍🏽",
    # CJK
    "日本語のテキスト、中文字符，한국어 문장.",
    # math and symbols
    "∑ xᵢ ≤ ∞, ± 5 × 3 ÷ 2 ≈ 7.5°C, √2, ∂f/∂x, α → β, ½ ¼ ¾ ² ³ µ € £ ¥ © ® ™ § ¶ ° ·",
    # typography
    "Curly “double” and ‘single’ quotes, dashes – and —, ellipsis… and • bullets.",
    "Ä… É” Ö“ Ü„ ß“ Å« é» ü… ä“ ó„ Ø–",
]


@pytest.mark.parametrize(("damaged", "original"), CORPUS)
def test_damaged_text_is_repaired(damaged: str, original: str) -> None:
    assert damaged != original
    assert repair(damaged) == original


@pytest.mark.parametrize(("damaged", "original"), LITERALS)
def test_real_damage_is_repaired(damaged: str, original: str) -> None:
    assert repair(damaged) == original


def test_plain_windows_1257_is_repaired_where_no_byte_was_lost() -> None:
    assert repair(cp1257("Ādaži — Rīga”")) == "Ādaži — Rīga”"


# In the Baltic mix ``”`` ``“`` ``„`` each stand for two bytes (0x94/0xA1,
# 0x93/0xB4, 0x84/0xA5), so some damage reads two ways; the choice is documented.
AMBIGUOUS = [
    ("ā€”", "—", "‡"),  # common punctuation beats a rare sign
    ("mĆ”s", "más", "mÔs"),  # a lower-case letter beats a capital
    ("jaÅŗÅ„", "jaźń", "jaźť"),  # a frequent letter beats a rarer one: Polish ń, not Czech ť
    ("šŸ’”", "💡", "💔"),  # both frequent emoji: the ISO-8859-13 byte (0xA1) wins
    ("šŸ¤”", "🤔", "🤡"),  # a frequent emoji beats a rarer one
]


@pytest.mark.parametrize(("damaged", "chosen", "other"), AMBIGUOUS)
def test_ambiguous_baltic_damage_reads_the_documented_way(
    damaged: str, chosen: str, other: str
) -> None:
    assert baltic_mix(chosen) == baltic_mix(other) == damaged
    assert repair(damaged) == chosen


@pytest.mark.parametrize("text", CORRECT)
def test_correct_text_is_never_reported(text: str) -> None:
    assert find_repairs(text) == []
    assert repair(text) == text


def test_repairs_point_at_the_damage() -> None:
    text = "The ā€œrelationalā€ mind"
    repairs = find_repairs(text)
    assert [(r.original, r.replacement) for r in repairs] == [("ā€œ", "“"), ("ā€", "”")]
    assert all(text[r.start : r.end] == r.original for r in repairs)
    assert repairs[0].scheme == "baltic"
    assert "ISO-8859-13" in repairs[0].description
    assert find_repairs("itâ€™s")[0].scheme == "cp1252"


def test_a_range_limits_the_search() -> None:
    text = "Ã© | Ã©"
    assert [r.start for r in find_repairs(text, 3)] == [5]
    assert [r.start for r in find_repairs(text, 0, 3)] == [0]


@pytest.mark.parametrize(
    "text",
    [
        "šŸ¶",  # 🐶 lost its third byte (0x90): it could be any of five characters
        "Ä",  # ā or č that lost their last byte: indistinguishable from German Ä
        "ß“",  # would decode to NKo: German ß and a closing quote
        "„Ä“",  # a quoted letter
        "CAFÉ…",  # the end of a word in capitals
        "ŻÓŁĆ…",
        "LATVIJĀ”",
        "RĪGĀ\u00a0un",  # a word in capitals ending in Ā, then a no-break space
        "LATVIJĀ\u00a0",
        "ā”…",  # box drawing alone is not plausible (Latvian ā, ”, …)
    ],
)
def test_ambiguous_or_implausible_repairs_are_not_made(text: str) -> None:
    assert find_repairs(text) == []


def test_a_lone_letter_of_another_script_is_not_repaired_but_a_word_is() -> None:
    assert find_repairs("Ð¿") == []  # one Cyrillic letter: too weak a sign
    assert repair("Ð¿Ð¾") == "по"


def test_ascii_is_never_touched() -> None:
    assert find_repairs("plain text, nothing to see") == []


ALPHABET = st.sampled_from(
    list("aZ .\n*") + list("ÃÂÅÄĀāâšŸ€œ™“”„©®°¨¤\u00a0\u0081ŠŽžĆčėęįųūŗ©ø½¾æØÆ") + ["📘", "é"]
)


@given(st.text(ALPHABET, max_size=40))
def test_any_text_gives_ordered_exact_repairs(text: str) -> None:
    repairs = find_repairs(text)
    end = 0
    for r in repairs:
        assert r.start >= end and r.end > r.start
        assert text[r.start : r.end] == r.original
        assert not r.original.isascii()
        assert r.replacement != r.original
        end = r.end
    assert isinstance(repair(text), str)


def test_runs_need_two_characters() -> None:
    assert RUN.search("é") is None
    assert RUN.search("Ã©") is not None
