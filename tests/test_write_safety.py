"""--fix replaces a note's bytes and nothing else: its other names, owner, group,
mode and extended attributes stay, and any name the file system allows can be written."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from helpers import write_vault
from vaultlint.cli import main
from vaultlint.fixer import write_note

NOTE = b"# Reading list \n`Author:` Ursula K. Le Guin\n\n## Quotes\n> Nothing is yours. \n"
FIXED = b"# Reading list\n`Author:` Ursula K. Le Guin\n\n## Quotes\n> Nothing is yours.\n"


def _fix(vault: Path, capsys: pytest.CaptureFixture[str]) -> str:
    main(["check", "--fix", str(vault), "--no-cache"])
    return capsys.readouterr().err


def _leftovers(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if ".vaultlint-" in p.name]


def test_a_note_with_a_second_name_is_not_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = write_vault(tmp_path / "vault", {"Books/Reading list.md": NOTE})
    note = vault / "Books" / "Reading list.md"
    other = tmp_path / "Reading list (backup).md"
    os.link(note, other)
    err = _fix(vault, capsys)
    assert "Books/Reading list.md: not written" in err and "hard link" in err
    assert note.read_bytes() == NOTE and other.read_bytes() == NOTE
    assert os.path.samefile(note, other)
    assert _leftovers(note.parent) == []


def test_a_note_another_run_is_replacing_is_reported_as_changed(tmp_path: Path) -> None:
    # While a run replaces a note, the note has a second, hidden name of that run's.
    vault = write_vault(tmp_path / "vault", {"Reading list.md": NOTE})
    os.link(vault / "Reading list.md", vault / ".k3j9x0qa.vaultlint-old")
    problem = write_note(vault, "Reading list.md", NOTE, FIXED)
    assert problem == "not written: the file changed while vaultlint ran"
    assert (vault / "Reading list.md").read_bytes() == NOTE


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root")
def test_run_as_root_a_users_note_keeps_its_owner_group_and_mode(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = write_vault(tmp_path / "vault", {"Reading list.md": NOTE})
    note = vault / "Reading list.md"
    os.chown(note, 1000, 1000)
    os.chmod(note, 0o640)
    inode = note.stat().st_ino
    assert "Fixing Reading list.md" in _fix(vault, capsys)
    info = note.stat()
    assert note.read_bytes() == FIXED
    assert (info.st_uid, info.st_gid, info.st_mode & 0o7777) == (1000, 1000, 0o640)
    assert info.st_ino != inode  # replaced, not rewritten in place


def test_a_note_whose_owner_cannot_be_kept_is_not_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    vault = write_vault(tmp_path / "vault", {"Reading list.md": NOTE})
    note = vault / "Reading list.md"
    real_stat = os.stat

    def other_owner(path: object, *args: object, **kwargs: object) -> os.stat_result:
        info = real_stat(path, *args, **kwargs)  # type: ignore[arg-type]
        if os.path.realpath(str(path)) == os.path.realpath(note):  # someone else's note
            fields = list(info)
            fields[4] += 1  # st_uid
            return os.stat_result(fields)
        return info

    def refuse(*args: object) -> None:
        raise PermissionError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "stat", other_owner)
    monkeypatch.setattr(os, "chown", refuse)
    problem = write_note(vault, "Reading list.md", NOTE, FIXED)
    assert problem is not None and "owner" in problem
    assert note.read_bytes() == NOTE
    assert _leftovers(vault) == []


def _xattrs_supported(path: Path) -> bool:
    try:
        os.setxattr(path, "user.vaultlint-probe", b"1")
        os.removexattr(path, "user.vaultlint-probe")
    except OSError as exc:
        if exc.errno in (errno.ENOTSUP, errno.EOPNOTSUPP, errno.EPERM):
            return False
        raise
    return True


@pytest.fixture
def tagged(tmp_path: Path) -> Path:
    """A vault whose note carries user.* extended attributes (as sync tools set)."""
    if not hasattr(os, "setxattr"):
        pytest.skip("no extended attributes on this platform")
    vault = write_vault(tmp_path / "vault", {"Reading list.md": NOTE})
    note = vault / "Reading list.md"
    if not _xattrs_supported(note):
        pytest.skip("the file system has no user.* extended attributes")
    os.setxattr(note, "user.xdg.origin.url", b"https://example.org/list")
    os.setxattr(note, "user.sync.id", b"\x00\x01binary")
    return vault


def test_extended_attributes_are_kept(tagged: Path, capsys: pytest.CaptureFixture[str]) -> None:
    note = tagged / "Reading list.md"
    assert "Fixing Reading list.md" in _fix(tagged, capsys)
    assert note.read_bytes() == FIXED
    assert os.getxattr(note, "user.xdg.origin.url") == b"https://example.org/list"
    assert os.getxattr(note, "user.sync.id") == b"\x00\x01binary"


def test_a_note_whose_extended_attributes_cannot_be_kept_is_not_written(
    tagged: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "setxattr", refuse)
    err = _fix(tagged, capsys)
    assert "Reading list.md: not written" in err and "extended attribute" in err
    assert (tagged / "Reading list.md").read_bytes() == NOTE
    assert _leftovers(tagged) == []


def test_a_note_with_a_255_byte_name_is_fixed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    name = "é" * 126 + ".md"  # 255 bytes, the longest name most file systems allow
    assert len(os.fsencode(name)) == 255
    vault = write_vault(tmp_path / "vault", {f"Books/{name}": NOTE})
    assert f"Fixing Books/{name}" in _fix(vault, capsys)
    assert (vault / "Books" / name).read_bytes() == FIXED
    assert _leftovers(vault / "Books") == []
