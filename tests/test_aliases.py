"""Broken links that name an alias (R31, L6): the message says whose alias it is, and
when one note alone has it the unsafe fix links that note; a warm run says the same."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from helpers import check_text, fix_text, write_vault
from vaultlint.cache import CACHE_DIR
from vaultlint.cli import main
from vaultlint.model import Finding
from vaultlint.rules.links import BrokenLink

PAST = 1_600_000_000

# A multilingual knowledge base: aliases in a list, a single string, the deprecated
# ``alias``, with spaces, in Japanese, Persian (with its ZWNJ) and Thai; one alias two notes share.
VAULT = {
    "Tools/Command palette.md": (
        "---\naliases: [Palette, Befehlspalette, コマンドパレット]\ntags: [obsidian]\n---\n"
        "# Command palette\n\nOpen it with Ctrl+P.\n\n## Usage\n\nType a command's name.\n"
    ),
    "Archive/Command palette.md": "# Command palette (2021)\n\nThe old page, kept for history.\n",
    "Notizen/Schnellwechsler.md": (
        "---\nalias: Quick Switcher\n---\n# Schnellwechsler\n\nÖffnet Notizen nach Namen.\n"
    ),
    "فارسی/یادداشت روزانه.md": (
        "---\naliases:\n  - می‌خواهم بنویسم\n  - daily note fa\n---\n# یادداشت روزانه\n\nامروز\n"
    ),
    "ไทย/บันทึก.md": "---\naliases: 'บันทึก ประจำวัน'\n---\n# บันทึก\n\nวันนี้\u200bอากาศดี\n",
    "Home/Hub.md": "---\naliases: [Home]\n---\n# Hub\n\nWhere everything starts.\n",
    "Start.md": "---\nAliases: home\n---\n# Start\n\nThe other start page.\n",
    "Daily/2024-05-01.md": (
        "# 2024-05-01\n\n"
        "Opened the [[Palette]] again.\n"
        "Its [[Palette#Usage]] section helps.\n"
        "German readers: [[Befehlspalette|die Palette]].\n"
        "Japanese: [[コマンドパレット]].\n"
        "Jumped with the [[quick switcher]].\n"
        "Persian: [[می‌خواهم بنویسم]].\n"
        "Thai: [[บันทึก ประจำวัน]].\n"
        "Back [[Home]].\n"
        "As Markdown: [the palette](Palette.md).\n"
        "Truly missing: [[Pallete guide]].\n"
    ),
}


def _age(root: Path) -> None:
    for path in root.rglob("*"):
        if path.is_file() and CACHE_DIR not in path.parts:
            os.utime(path, (PAST, PAST))


def _messages(capsys: pytest.CaptureFixture[str], root: Path, *extra: str) -> list[str]:
    code = main(["check", str(root), "--output-format", "json", "--select", "broken-link", *extra])
    assert code == 1
    found = json.loads(capsys.readouterr().out)
    return [f"{f['line']}: {f['message']} fixable={f['fixable']}" for f in found]


DAILY = "Daily/2024-05-01.md"


def _by_line(text: str) -> dict[int, Finding]:
    return {f.line: f for f in check_text(BrokenLink, text, path=DAILY, files=VAULT)}


def test_an_alias_of_one_note_is_named_and_fixed_keeping_the_text_shown() -> None:
    text = VAULT[DAILY]
    found = _by_line(text)
    assert found[3].message == (
        "broken link [[Palette]]: 'Palette' is an alias of [[Tools/Command palette]]; "
        "aliases do not resolve links"
    )
    assert found[11].message == (
        "broken link (Palette.md): 'Palette' is an alias of [[Tools/Command palette]]; "
        "aliases do not resolve links"
    )
    assert "'Quick Switcher'" not in found[7].message  # the name as the link writes it
    assert found[7].message.startswith("broken link [[quick switcher]]: 'quick switcher' is an")
    assert "[[Notizen/Schnellwechsler]]" in found[7].message
    assert "[[فارسی/یادداشت روزانه]]" in found[8].message  # ZWNJ kept in the alias
    assert "'می‌خواهم بنویسم'" in found[8].message
    assert "[[ไทย/บันทึก]]" in found[9].message
    # A plain typo is not an alias: the usual suggestion.
    assert "alias" not in found[12].message
    fixed = fix_text(
        BrokenLink, text, path="Daily/2024-05-01.md", files=VAULT, unsafe=True
    ).note.text.splitlines()
    # "Command palette" is two notes' name: the fix writes the path of the one meant.
    assert fixed[2] == "Opened the [[Tools/Command palette|Palette]] again."
    assert fixed[3] == "Its [[Tools/Command palette#Usage|Palette > Usage]] section helps."
    assert fixed[4] == "German readers: [[Tools/Command palette|die Palette]]."
    assert fixed[5] == "Japanese: [[Tools/Command palette|コマンドパレット]]."
    assert fixed[6] == "Jumped with the [[Schnellwechsler|quick switcher]]."
    assert fixed[7] == "Persian: [[یادداشت روزانه|می‌خواهم بنویسم]]."
    assert fixed[8] == "Thai: [[บันทึก|บันทึก ประจำวัน]]."
    assert fixed[10] == "As Markdown: [the palette](Tools/Command%20palette.md)."


def test_an_alias_two_notes_share_names_both_and_is_not_fixed() -> None:
    text = VAULT[DAILY]
    found = _by_line(text)
    assert found[10].message == (
        "broken link [[Home]]: 'Home' is an alias of 2 notes ([[Home/Hub]] and [[Start]]: "
        "which is meant?); aliases do not resolve links"
    )
    assert found[10].fix is None
    fixed = fix_text(BrokenLink, text, path="Daily/2024-05-01.md", files=VAULT, unsafe=True)
    assert "Back [[Home]]." in fixed.note.text


def test_an_alias_is_no_fix_when_the_heading_is_not_in_its_note() -> None:
    found = check_text(BrokenLink, "See [[Palette#Shortcuts]].\n", path="Daily/x.md", files=VAULT)
    assert "is an alias of [[Tools/Command palette]]" in found[0].message
    assert found[0].fix is None


def test_a_warm_run_names_the_same_aliases_as_a_cold_one(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    root = write_vault(tmp_path / "vault", VAULT)
    _age(root)
    cold = _messages(capsys, root, "--no-cache")
    assert any("is an alias of 2 notes" in m for m in cold)
    assert _messages(capsys, root) == cold  # fills the cache
    assert _messages(capsys, root) == cold  # warm: every entry from the cache
    # Another note takes the alias "Palette": the cached message must change with it.
    write_vault(root, {"Palette notes.md": "---\naliases: [palette]\n---\n# Palette notes\n\nx\n"})
    warm = _messages(capsys, root)
    assert warm == _messages(capsys, root, "--no-cache")
    assert any("'Palette' is an alias of 2 notes" in m for m in warm)
    # The note giving up its alias: the message goes back to "no note named".
    hub = root / "Home/Hub.md"
    hub.write_text("# Hub\n\nWhere everything starts.\n", encoding="utf-8")
    start = root / "Start.md"
    start.write_text("# Start\n\nThe other start page.\n", encoding="utf-8")
    warm = _messages(capsys, root)
    assert warm == _messages(capsys, root, "--no-cache")
    assert any("no note or file named 'Home'" in m for m in warm)


def test_workers_and_the_cache_know_the_aliases_of_notes_they_did_not_parse(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from vaultlint import pipeline

    monkeypatch.setattr(pipeline, "PARALLEL_MIN", 4)
    monkeypatch.setattr(pipeline, "NOTES_PER_PROCESS", 2)
    monkeypatch.setattr(pipeline, "default_jobs", lambda: 2)
    filler = {f"Filler/Note {n}.md": f"# Note {n}\n\nText {n}.\n" for n in range(12)}
    root = write_vault(tmp_path / "vault", {**VAULT, **filler})
    _age(root)
    serial = _messages(capsys, root, "--no-cache", "-j", "1")
    assert _messages(capsys, root, "--no-cache", "-j", "2") == serial
    assert _messages(capsys, root, "-j", "2") == serial
    # Only the linking note changes: the others' aliases come from the cache.
    daily = root / "Daily/2024-05-01.md"
    daily.write_text(daily.read_text(encoding="utf-8") + "More [[Palette]].\n", "utf-8")
    assert _messages(capsys, root, "-j", "2") == _messages(capsys, root, "--no-cache", "-j", "1")


def test_checking_one_note_names_the_aliases_of_notes_it_does_not_check(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A pre-commit run checks the staged notes alone: the others' aliases are read
    from their frontmatter, and the messages are the whole vault's."""
    root = write_vault(tmp_path / "vault", VAULT)
    daily = "Daily/2024-05-01.md"
    whole = [m for m in _messages(capsys, root, "--no-cache") if "alias" in m]
    one = _messages(capsys, root / daily, "--no-cache")
    assert [m for m in one if "alias" in m] == whole
    assert len(whole) == 9
