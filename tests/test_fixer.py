"""The fixer: edit selection, fixed point, atomic and careful writes."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from helpers import write_vault
from vaultlint.fixer import FixError, apply_fixes, encode, fix_note, select_fixes, write_note
from vaultlint.model import Edit, Finding, Fix, Note, Severity
from vaultlint.parse import parse_note


def _finding(fix: Fix, rule: str = "r") -> Finding:
    return Finding("a.md", 1, 1, 1, 1, rule, "XX01", Severity.WARNING, "m", fix)


def test_overlapping_fixes_wait_for_the_next_pass() -> None:
    note = parse_note("a.md", "abcdef")
    first = _finding(Fix((Edit(0, 3, "X"),)))
    overlapping = _finding(Fix((Edit(2, 4, "Y"),)))
    later = _finding(Fix((Edit(4, 6, "Z"),)))
    chosen = select_fixes(note, [later, overlapping, first], unsafe=False)
    assert [f for f, _ in chosen] == [first, later]


def test_unsafe_fixes_need_the_flag() -> None:
    note = parse_note("a.md", "abc")
    unsafe = _finding(Fix((Edit(0, 1, "X"),), safe=False))
    assert select_fixes(note, [unsafe], unsafe=False) == []
    assert len(select_fixes(note, [unsafe], unsafe=True)) == 1


def test_fixes_never_touch_a_frontmatter_that_failed_to_parse() -> None:
    note = parse_note("a.md", '---\ntitle: "x \n---\nBody \n')
    assert note.frontmatter is not None and note.frontmatter.error is not None
    in_frontmatter = _finding(Fix((Edit(13, 14, ""),)))
    in_body = _finding(Fix((Edit(22, 23, ""),)))
    assert [f for f, _ in select_fixes(note, [in_frontmatter, in_body], unsafe=True)] == [in_body]


def test_insertions_at_the_same_point_do_not_both_apply() -> None:
    note = parse_note("a.md", "abc")
    one = _finding(Fix((Edit(1, 1, "X"),)))
    two = _finding(Fix((Edit(1, 1, "Y"),)))
    assert len(select_fixes(note, [one, two], unsafe=False)) == 1


def test_apply_keeps_crlf_in_replacements() -> None:
    text = "a\r\nb\r\n"
    assert apply_fixes(text, [Fix((Edit(0, 1, "x\ny"),))], "\r\n") == "x\r\ny\r\nb\r\n"


def test_fix_note_reaches_a_fixed_point() -> None:
    def check(note: Note) -> list[Finding]:
        i = note.text.find("aa")
        return [] if i == -1 else [_finding(Fix((Edit(i, i + 2, "a"),)))]

    outcome = fix_note(parse_note("a.md", "aaaa"), check)
    assert outcome.note.text == "a" and outcome.fixed["r"] == 3 and outcome.findings == []


def test_fix_note_names_the_rule_that_does_not_converge() -> None:
    def check(note: Note) -> list[Finding]:
        other = "b" if note.text == "a" else "a"
        return [_finding(Fix((Edit(0, 1, other),)), rule="flip-flop")]

    with pytest.raises(FixError, match="flip-flop"):
        fix_note(parse_note("a.md", "a"), check)


def test_write_is_atomic_and_keeps_mode(tmp_path: Path) -> None:
    write_vault(tmp_path, {"a.md": "old\n"})
    os.chmod(tmp_path / "a.md", 0o640)
    assert write_note(tmp_path, "a.md", b"old\n", b"new\n") is None
    assert (tmp_path / "a.md").read_bytes() == b"new\n"
    assert stat.S_IMODE(os.stat(tmp_path / "a.md").st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir() if p.name != ".obsidian"] == ["a.md"]


def test_write_refuses_a_file_changed_since_it_was_read(tmp_path: Path) -> None:
    write_vault(tmp_path, {"a.md": "edited in Obsidian\n"})
    problem = write_note(tmp_path, "a.md", b"what vaultlint read\n", b"fixed\n")
    assert problem is not None and "changed" in problem
    assert (tmp_path / "a.md").read_bytes() == b"edited in Obsidian\n"


def test_write_refuses_read_only_files(tmp_path: Path) -> None:
    write_vault(tmp_path, {"a.md": "x\n"})
    os.chmod(tmp_path / "a.md", 0o444)
    problem = write_note(tmp_path, "a.md", b"x\n", b"y\n")
    assert problem is not None and "read-only" in problem
    assert (tmp_path / "a.md").read_bytes() == b"x\n"


def test_write_never_goes_through_a_symlink_out_of_the_vault(tmp_path: Path) -> None:
    outside = tmp_path / "outside.md"
    outside.write_bytes(b"x \n")
    vault = write_vault(tmp_path / "vault", {})
    os.symlink(outside, vault / "linked.md")
    problem = write_note(vault, "linked.md", b"x \n", b"x\n")
    assert problem is not None and "outside" in problem
    assert outside.read_bytes() == b"x \n"


def test_encode_restores_the_bom() -> None:
    assert encode("x", bom=True) == b"\xef\xbb\xbfx"
    assert encode("x", bom=False) == b"x"


def test_nothing_is_appended_to_a_frontmatter_that_is_not_closed() -> None:
    """Found by the fixer properties: an insertion at the end of the text joined
    an unclosed frontmatter (the whole note), was never found there, and was
    inserted again until the fixer gave up."""
    note = parse_note("a.md", "---\ntitle: x \nno end")
    assert note.frontmatter is not None and not note.frontmatter.closed
    at_end = _finding(Fix((Edit(len(note.text), len(note.text), "\n## Notes\n"),)))
    assert select_fixes(note, [at_end], unsafe=True) == []
    closed = parse_note("a.md", '---\ntitle: "x\n---\n')
    after = _finding(Fix((Edit(len(closed.text), len(closed.text), "## Notes\n"),)))
    assert len(select_fixes(closed, [after], unsafe=True)) == 1


def _save_during_the_rename(monkeypatch: pytest.MonkeyPatch, target: Path, saved: bytes) -> None:
    """A save (truncate, then write, like fs.writeFile) that opens the file after
    vaultlint's last check and writes once the rename is done."""
    real_replace = os.replace

    def replace(src: str, dst: str) -> None:
        if str(src).endswith(".vaultlint-tmp"):
            with open(target, "wb") as handle:  # opened before the rename...
                real_replace(src, dst)
                handle.write(saved)  # ...written after it
        else:
            real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)


def test_a_save_landing_during_the_rename_is_put_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Found by tests/test_concurrency.py: a save opened between the re-check and
    the rename went into the replaced file and was lost (3 of 100 saves timed
    to land on vaultlint's writes)."""
    write_vault(tmp_path, {"a.md": "old \n"})
    _save_during_the_rename(monkeypatch, tmp_path / "a.md", b"saved by the user\n")
    problem = write_note(tmp_path, "a.md", b"old \n", b"old\n")
    assert problem is not None and "changed" in problem
    assert (tmp_path / "a.md").read_bytes() == b"saved by the user\n"
    assert [p.name for p in tmp_path.iterdir() if p.name != ".obsidian"] == ["a.md"]


def test_without_hard_links_the_write_still_checks_and_replaces(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_links(src: object, dst: object) -> None:
        raise OSError(1, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    write_vault(tmp_path, {"a.md": "old \n", "b.md": "mine\n"})
    assert write_note(tmp_path, "a.md", b"old \n", b"old\n") is None
    assert (tmp_path / "a.md").read_bytes() == b"old\n"
    problem = write_note(tmp_path, "b.md", b"what vaultlint read\n", b"fixed\n")
    assert problem is not None and "changed" in problem
    assert (tmp_path / "b.md").read_bytes() == b"mine\n"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != ".obsidian") == ["a.md", "b.md"]


def test_a_save_renamed_over_the_note_before_the_check_is_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An editor that saves by renaming a new file over the note, just after
    vaultlint linked the old one: the check looks at the path, not the link."""
    write_vault(tmp_path, {"a.md": "old \n"})
    real_link = os.link

    def link(src: str, dst: str) -> None:
        real_link(src, dst)
        (tmp_path / "new").write_bytes(b"old \n")  # even the same bytes: another file
        os.replace(tmp_path / "new", tmp_path / "a.md")

    monkeypatch.setattr(os, "link", link)
    inode = os.stat(tmp_path / "a.md").st_ino
    problem = write_note(tmp_path, "a.md", b"old \n", b"old\n")
    assert problem is not None and "changed" in problem
    assert (tmp_path / "a.md").read_bytes() == b"old \n"
    assert os.stat(tmp_path / "a.md").st_ino != inode  # the editor's file stayed
    assert [p.name for p in tmp_path.iterdir() if p.name != ".obsidian"] == ["a.md"]
