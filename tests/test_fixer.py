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
