"""The alias index (``cache.AliasIndex``): a run that checks a few notes of a large
vault (pre-commit's) learns which notes have a broken link's name as an alias without
reading them, and says exactly what a ``--no-cache`` run says, whatever changed since."""

from __future__ import annotations

import json
import os
import pickle
from collections.abc import Iterator
from pathlib import Path

import pytest

from helpers import resign, write_vault
from vaultlint import cache as cache_module
from vaultlint import vault as vault_module
from vaultlint.cache import ALIAS_FILE, ALIAS_REWRITE, CACHE_DIR, AliasIndex
from vaultlint.cli import main
from vaultlint.version import __version__

PAST = 1_600_000_000
DAILY = "Daily/2024-05-01.md"
NOTES = {
    "Tools/Command palette.md": "---\naliases: [Palette, Befehlspalette]\n---\n# Command palette\n",
    "Home/Hub.md": "---\naliases: [Home]\n---\n# Hub\n",
    "Start.md": "---\nalias: home\n---\n# Start\n",
    "Ideas/Plain.md": "# Plain\n\nNo aliases here.\n",
    DAILY: "# Day\n\nOpened the [[Palette]]. Back [[Home]]. Then [[Later]].\n",
    **{f"Filler/Note {n}.md": f"# Note {n}\n\nText {n}.\n" for n in range(150)},
}


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    # The notes are written (and aged) just before the runs: as if they were older.
    monkeypatch.setattr(cache_module, "RACY_NS", 0)
    root = write_vault(tmp_path / "vault", NOTES)
    for path in root.rglob("*.md"):
        os.utime(path, (PAST, PAST))
    return root


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The vault paths the run reads, in order."""
    read: list[str] = []
    real = vault_module.read_source

    def counted(root: Path, path: str, max_bytes: int = vault_module.MAX_NOTE_BYTES) -> object:
        read.append(path)
        return real(root, path, max_bytes)

    monkeypatch.setattr(vault_module, "read_source", counted)
    yield read


def _messages(capsys: pytest.CaptureFixture[str], *args: object) -> list[str]:
    code = main(["check", *map(str, args), "--output-format", "json", "--select", "broken-link"])
    assert code == 1
    return [f"{f['line']}: {f['message']}" for f in json.loads(capsys.readouterr().out)]


def _index_file(root: Path) -> Path:
    return root / CACHE_DIR / __version__ / ALIAS_FILE


def test_a_run_of_one_note_reads_no_other_note_once_the_index_is_written(
    capsys: pytest.CaptureFixture[str], root: Path, reads: list[str]
) -> None:
    uncached = _messages(capsys, root / DAILY, "--no-cache")
    assert len(reads) == len(NOTES)  # without the index, every note is read for its aliases
    assert any("is an alias of [[Tools/Command palette]]" in m for m in uncached)
    assert any("'Home' is an alias of 2 notes" in m for m in uncached)
    _messages(capsys, root)  # the whole vault, with the cache: writes the index
    assert _index_file(root).is_file()
    reads.clear()
    assert _messages(capsys, root / DAILY) == uncached
    assert reads == [DAILY]


def test_a_note_gaining_or_losing_an_alias_between_runs_is_seen(
    capsys: pytest.CaptureFixture[str], root: Path, reads: list[str]
) -> None:
    _messages(capsys, root)
    plain = root / "Ideas/Plain.md"
    # The same size and modification time, a new alias: only the ctime tells.
    before = plain.stat()
    plain.write_text("---\nalias: Later\n---\n# Pl\n", encoding="utf-8")
    assert plain.stat().st_size == before.st_size
    os.utime(plain, ns=(before.st_atime_ns, before.st_mtime_ns))
    reads.clear()
    gained = _messages(capsys, root / DAILY)
    assert sorted(reads) == [DAILY, "Ideas/Plain.md"]
    assert gained == _messages(capsys, root / DAILY, "--no-cache")
    assert any("'Later' is an alias of [[Ideas/Plain]]" in m for m in gained)
    # Losing one: the hub gives up "Home", which is now the start page's alone.
    (root / "Home/Hub.md").write_text("# Hub\n", encoding="utf-8")
    lost = _messages(capsys, root / DAILY)
    assert lost == _messages(capsys, root / DAILY, "--no-cache")
    assert any("'Home' is an alias of [[Start]]" in m for m in lost)
    # A note that is gone, and a new one with the alias.
    (root / "Start.md").unlink()
    write_vault(root, {"New/Home page.md": "---\naliases: [Home]\n---\n# Home page\n"})
    moved = _messages(capsys, root / DAILY)
    assert moved == _messages(capsys, root / DAILY, "--no-cache")
    assert any("'Home' is an alias of [[New/Home page]]" in m for m in moved)


def _signed(root: Path, rows: object, max_bytes: int = vault_module.MAX_NOTE_BYTES) -> None:
    resign(_index_file(root), pickle.dumps((max_bytes, rows)))


def test_a_stale_corrupt_forged_or_missing_index_changes_no_finding(
    capsys: pytest.CaptureFixture[str], root: Path, reads: list[str]
) -> None:
    expected = _messages(capsys, root / DAILY, "--no-cache")
    _messages(capsys, root)
    file = _index_file(root)
    hub = root / "Home/Hub.md"
    st = hub.stat()
    hub_stat = (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
    lies = [
        b"",
        b"not a pickle",
        file.read_bytes()[:-9],  # cut short
        b"\x00" * 32 + file.read_bytes()[32:],  # not signed with this machine's key
    ]
    for garbage in lies:
        file.write_bytes(garbage)
        assert _messages(capsys, root / DAILY) == expected
    # Signed, but of the wrong shape, of another size limit, or with old stats.
    wrong = {"Home/Hub.md": (hub_stat, ("Elsewhere",))}
    for rows, max_bytes in [
        ({"Home/Hub.md": ("stat", ())}, vault_module.MAX_NOTE_BYTES),
        ([1, 2], vault_module.MAX_NOTE_BYTES),
        (wrong, 5),
        ({"Home/Hub.md": ((1, 2, 3, 4), ()), "Start.md": ((1, 2, 3, 4), ("Palette",))}, None),
    ]:
        _signed(root, rows, vault_module.MAX_NOTE_BYTES if max_bytes is None else max_bytes)
        assert _messages(capsys, root / DAILY) == expected
    # The index is trusted as far as the stat goes: one that lies with the right stat
    # is believed (which is why it is signed).
    _signed(root, wrong)
    assert "'Home' is an alias of [[Start]];" in " ".join(_messages(capsys, root / DAILY))
    file.unlink()
    reads.clear()
    assert _messages(capsys, root / DAILY) == expected
    assert len(reads) == len(NOTES)


def test_a_run_without_the_cache_that_read_many_notes_writes_the_index(
    capsys: pytest.CaptureFixture[str], root: Path, reads: list[str]
) -> None:
    expected = _messages(capsys, root / DAILY, "--no-cache")
    assert not (root / CACHE_DIR).exists()  # --no-cache writes nothing
    assert _messages(capsys, root / DAILY) == expected  # no index yet: every note read
    assert _index_file(root).is_file()
    reads.clear()
    assert _messages(capsys, root / DAILY) == expected
    assert reads == [DAILY]
    # A few notes changed since are read again, and the index is left as it was.
    for n in range(ALIAS_REWRITE - 1):
        (root / f"Filler/Note {n}.md").write_text(f"# Note {n}\n\nText {n}, new.\n", "utf-8")
    written = _index_file(root).stat().st_mtime_ns
    reads.clear()
    assert _messages(capsys, root / DAILY) == expected
    assert len(reads) == ALIAS_REWRITE
    assert _index_file(root).stat().st_mtime_ns == written


def test_the_index_keeps_no_stat_changed_too_recently_to_trust(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache_module, "RACY_NS", 2_000_000_000)
    write_vault(tmp_path, {"old.md": "old\n", "new.md": "new\n"})
    os.utime(tmp_path / "old.md", (PAST, PAST))
    index = AliasIndex(tmp_path / CACHE_DIR, b"k" * 32, 100)
    old = tmp_path / "old.md"
    index.learn("new.md", cache_module.stat_key(str(tmp_path / "new.md")) or (0, 0, 0, 0), ("N",))
    # An old mtime, but a ctime of now (the utime): not trusted either.
    index.learn("old.md", cache_module.stat_key(str(old)) or (0, 0, 0, 0), ("O",))
    index.learn("aged.md", (4, PAST * 10**9, PAST * 10**9, 1), ("A",))
    index.save(["old.md", "new.md", "aged.md"])
    again = AliasIndex(tmp_path / CACHE_DIR, b"k" * 32, 100)
    again.load()
    assert again.found and again.rows == {"aged.md": ((4, PAST * 10**9, PAST * 10**9, 1), ("A",))}
    other_key = AliasIndex(tmp_path / CACHE_DIR, b"x" * 32, 100)
    other_key.load()
    assert not other_key.found and other_key.aliases(tmp_path, "aged.md") is None
