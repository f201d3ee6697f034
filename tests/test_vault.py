"""The vault model: root discovery, scanning, hidden entries, symlinks, decoding."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from helpers import write_vault
from vaultlint.vault import VaultIndex, decode, find_root, scan, vault_path


def test_root_is_nearest_folder_with_obsidian(tmp_path: Path) -> None:
    write_vault(tmp_path, {"Books/Deep/A.md": "x"})
    assert find_root(tmp_path / "Books" / "Deep" / "A.md") == tmp_path.resolve()
    assert find_root(tmp_path / "Books") == tmp_path.resolve()


def test_root_may_be_marked_by_config_file(tmp_path: Path) -> None:
    write_vault(tmp_path, {"v/.vaultlint.yaml": "rules: {}\n", "v/n/A.md": "x"}, obsidian=False)
    assert find_root(tmp_path / "v" / "n" / "A.md") == (tmp_path / "v").resolve()


def test_root_falls_back_to_git_top_level(tmp_path: Path) -> None:
    write_vault(tmp_path, {"sub/A.md": "x"}, obsidian=False)
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    assert find_root(tmp_path / "sub" / "A.md") == tmp_path.resolve()


def test_root_falls_back_to_the_folder_given(tmp_path: Path) -> None:
    folder = tmp_path / "plain"
    folder.mkdir()
    assert find_root(folder) == folder.resolve()


def test_scan_skips_hidden_entries_at_any_depth(tmp_path: Path) -> None:
    write_vault(
        tmp_path,
        {
            "A.md": "",
            ".trash/Old.md": "",
            "x/.hidden.md": "",
            "x/.git/config": "",
            "node_modules/pkg/readme.md": "",
            "Attachments/pic.png": "",
        },
    )
    assert scan(tmp_path) == ["A.md", "Attachments/pic.png", "node_modules/pkg/readme.md"]


def test_scan_never_follows_directory_symlinks(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    write_vault(outside, {"Secret.md": ""}, obsidian=False)
    vault = write_vault(tmp_path / "vault", {"A.md": "", "sub/B.md": ""})
    os.symlink(outside, vault / "linked")
    os.symlink(vault / "sub", vault / "sub" / "loop")
    assert scan(vault) == ["A.md", "sub/B.md"]


def test_folder_named_like_a_note_is_not_a_note(tmp_path: Path) -> None:
    write_vault(tmp_path, {"x.md/inside.md": ""})
    index = VaultIndex(tmp_path, scan(tmp_path))
    assert index.notes == ["x.md/inside.md"]
    assert "x.md" not in index.by_name


def test_index_keys_names_case_insensitively_with_extension(tmp_path: Path) -> None:
    index = VaultIndex(tmp_path, ["Books/Dune.md", "Other/dune.md", "Att/Cover.PNG"])
    assert index.by_name["dune.md"] == ["Books/Dune.md", "Other/dune.md"]
    assert index.by_name["cover.png"] == ["Att/Cover.PNG"]
    assert index.notes == ["Books/Dune.md", "Other/dune.md"]


def test_index_parses_each_note_once(tmp_path: Path) -> None:
    write_vault(tmp_path, {"A.md": "# A\n"})
    index = VaultIndex(tmp_path, scan(tmp_path))
    first = index.note("A.md")
    assert first is not None and first.headings[0].text == "A"
    assert index.note("A.md") is first


def test_decode_keeps_bom_and_reports_bad_encodings() -> None:
    source = decode("a.md", b"\xef\xbb\xbf# Title\r\n")
    assert source.bom and source.text == "# Title\r\n" and source.problem is None
    latin1 = decode("b.md", "Café".encode("latin-1"))
    assert latin1.text is None and latin1.problem is not None and "UTF-8" in latin1.problem
    utf16 = decode("c.md", "# Hi".encode("utf-16"))
    assert utf16.text is None and utf16.problem is not None
    binary = decode("d.md", b"abc\x00def")
    assert binary.text is None and binary.problem is not None and "NUL" in binary.problem


def test_vault_path_is_relative_with_slashes(tmp_path: Path) -> None:
    write_vault(tmp_path, {"Books/A.md": ""})
    root = tmp_path.resolve()
    assert vault_path(root, tmp_path / "Books" / "A.md") == "Books/A.md"
    assert vault_path(root, tmp_path) == ""
    assert vault_path(root, tmp_path.parent) is None
