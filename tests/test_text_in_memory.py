"""Notes given in memory (an editor's buffer, stdin) checked and fixed as if they were a
note of the vault; ``Workspace.dependents``; ``vaultlint check - --stdin-filename``."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

import vaultlint
from helpers import write_vault
from vaultlint.cli import main
from vaultlint.workspace import name_key

FILES = {
    "Novels/Dune.md": "# Dune\n\nSee [[Herbert]] and [[Arrakis#Deserts]].\n",
    "People/Herbert.md": "# Frank Herbert\n",
    "Places/Arrakis.md": "# Arrakis\n\n## Deserts\n",
    "Places/ملف عربي.md": "# عربي\n\n[[Herbert]] [[ខ្មែរ]]\n",
    "Notes/C# notes 🎉.md": "# C#\n\n![[cover.png]]\n",
    "Index.md": "[[Dune]] [[Places/Arrakis#Deserts]] [[nowhere]]\n",
}


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    return write_vault(tmp_path / "vault", FILES)


def _codes(findings: list[vaultlint.Finding]) -> list[tuple[int, str]]:
    return [(f.line, f.rule) for f in findings]


# --- check_text / fix_text ------------------------------------------------------------


def test_check_text_resolves_links_against_the_vault_not_the_file(vault: Path) -> None:
    workspace = vaultlint.open_vault(vault)
    on_disk = (vault / "Novels/Dune.md").read_bytes()
    text = "# Dune\n\n[[Herbert]] [[Missing]] [[Arrakis#Oceans]] [[#Dune]] [[#Nope]]\n"
    found = workspace.check_text("Novels/Dune.md", text)
    assert _codes(found) == [
        (3, "broken-link"),
        (3, "broken-heading-link"),
        (3, "broken-heading-link"),
    ]
    assert "Missing" in found[0].message and all(f.path == "Novels/Dune.md" for f in found)
    assert (vault / "Novels/Dune.md").read_bytes() == on_disk  # nothing read from or written to it
    assert workspace.check([vault / "Novels/Dune.md"]) == []  # the file is still what the vault has


def test_check_text_of_a_note_that_does_not_exist_yet(vault: Path) -> None:
    workspace = vaultlint.open_vault(vault)
    found = workspace.check_text("Drafts/New 🎉.md", "[[Dune]] [[ملف عربي]] [[Gone]]\r\n")
    assert _codes(found) == [(1, "broken-link")]
    assert found[0].column == 23


def test_fix_text_applies_safe_fixes_and_leaves_the_rest(vault: Path) -> None:
    workspace = vaultlint.open_vault(vault)
    text = "# Dune  \r\n\r\nلغة عربية\t\r\n[[nowhere]]\r\n"
    fixed = workspace.fix_text("Novels/Dune.md", text)
    assert fixed.text == "# Dune\r\n\r\nلغة عربية\r\n[[nowhere]]\r\n"
    assert fixed.fixed == {"trailing-whitespace": 2}
    assert _codes(fixed.remaining) == [(4, "broken-link")]
    again = workspace.fix_text("Novels/Dune.md", fixed.text)
    assert again.text == fixed.text and again.fixed == {}
    assert (vault / "Novels/Dune.md").read_text() == FILES["Novels/Dune.md"]


def test_fix_text_unsafe_fixes_only_when_asked(vault: Path) -> None:
    workspace = vaultlint.open_vault(vault)
    text = "See [[Herbrt]].\n"  # a clear suggestion: an unsafe retarget
    safe = workspace.fix_text("Novels/Dune.md", text)
    assert safe.text == text and _codes(safe.remaining) == [(1, "broken-link")]
    unsafe = workspace.fix_text("Novels/Dune.md", text, unsafe=True)
    assert unsafe.text == "See [[Herbert|Herbrt]].\n" and unsafe.remaining == []


# --- dependents -----------------------------------------------------------------------


def test_name_key() -> None:
    assert name_key("Novels/Dune.md") == name_key("dune") == "dune"
    assert name_key("cover.png") == "cover.png"
    decomposed = "Cafe\u0301.md"
    assert name_key(decomposed) == name_key("Café")


def test_dependents_of_a_change_a_creation_and_a_deletion(vault: Path) -> None:
    workspace = vaultlint.open_vault(vault)
    assert workspace.dependents(["People/Herbert.md"]) == ["Novels/Dune.md", "Places/ملف عربي.md"]
    assert workspace.dependents(["Places/Arrakis.md"]) == ["Index.md", "Novels/Dune.md"]
    # files that do not exist yet: the notes whose broken links name them
    assert workspace.dependents(["Somewhere/Nowhere.md"]) == ["Index.md"]
    assert workspace.dependents(["cover.png"]) == ["Notes/C# notes 🎉.md"]  # a broken embed
    assert workspace.dependents(["ខ្មែរ.md"]) == ["Places/ملف عربي.md"]
    assert workspace.dependents(["Unrelated.md"]) == []
    # a rename: the notes linking to either name
    assert workspace.dependents(["Novels/Dune.md", "Novels/Dune Messiah.md"]) == ["Index.md"]


def test_dependents_follow_refresh(vault: Path) -> None:
    workspace = vaultlint.open_vault(vault)
    assert workspace.dependents(["Elsewhere.md"]) == []
    (vault / "Novels/Dune.md").write_text("[[Elsewhere]]\n")
    (vault / "Index.md").unlink()
    workspace.refresh(["Novels/Dune.md", "Index.md"])
    assert workspace.dependents(["Elsewhere.md"]) == ["Novels/Dune.md"]
    assert workspace.dependents(["Herbert.md"]) == ["Places/ملف عربي.md"]
    assert workspace.dependents(["nowhere.md"]) == []  # Index.md is gone
    # a note checked from memory counts with its buffer's links
    workspace.check_text("People/Herbert.md", "[[Arrakis]]\n")
    assert workspace.dependents(["Arrakis.md"]) == ["People/Herbert.md"]


def test_dependents_from_a_warm_cache_parse_nothing(vault: Path) -> None:
    assert main(["check", str(vault), "-q", "--exit-zero"]) == 0  # fills the cache
    workspace = vaultlint.open_vault(vault)
    graph = workspace.link_graph()
    assert graph.keys_of["Index.md"] == {"dune", "arrakis", "nowhere"}
    parsed = [p for p in workspace.index.notes if p in workspace.index._notes]
    assert parsed == ["Notes/C# notes 🎉.md"]  # only the note whose broken embed facts lack


def test_a_created_target_clears_the_dependents_broken_link(vault: Path) -> None:
    workspace = vaultlint.open_vault(vault)
    assert "broken-link" in [f.rule for f in workspace.check([vault / "Index.md"])]
    (vault / "Nowhere.md").write_text("# Nowhere\n")
    workspace.refresh(["Nowhere.md"])
    assert workspace.dependents(["Nowhere.md"]) == ["Index.md"]
    assert workspace.check([vault / "Index.md"]) == []


# --- check - --stdin-filename -----------------------------------------------------------


def test_stdin_check_as_a_note_of_the_vault(
    vault: Path, monkeypatch: pytest.MonkeyPatch, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    monkeypatch.chdir(vault)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"[[Herbert]] [[Gone]]\n")))
    code = main(["check", "-", "--stdin-filename", "Novels/Dune.md", "--output-format", "json"])
    out = capsysbinary.readouterr().out
    assert code == 1
    found = json.loads(out)
    assert [(f["path"], f["rule"], f["column"]) for f in found] == [
        ("Novels/Dune.md", "broken-link", 13)
    ]
    assert (vault / "Novels/Dune.md").read_text() == FILES["Novels/Dune.md"]


def test_stdin_fix_writes_the_fixed_text_to_stdout(
    vault: Path, monkeypatch: pytest.MonkeyPatch, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    data = "\ufeff# ทดสอบ  \r\n[[Herbert]]\t\r\n".encode()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    note = vault / "Novels" / "Dune.md"
    code = main(["check", "--fix", "-", "--stdin-filename", str(note)])
    captured = capsysbinary.readouterr()
    assert code == 0
    assert captured.out == "\ufeff# ทดสอบ\r\n[[Herbert]]\r\n".encode()
    assert b"2 fixed, 0 remaining" in captured.err
    assert note.read_text() == FILES["Novels/Dune.md"]


def test_stdin_fix_of_clean_text_echoes_it(
    vault: Path, monkeypatch: pytest.MonkeyPatch, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    data = b"[[Dune]] and [[Gone]]\r"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    argv = ["check", "--fix", "-", "--stdin-filename", str(vault / "New.md"), "-q"]
    code = main(argv)
    captured = capsysbinary.readouterr()
    assert (code, captured.out) == (1, data)
    assert b"broken-link" in captured.err


def test_stdin_diff(
    vault: Path, monkeypatch: pytest.MonkeyPatch, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"text \n")))
    code = main(["check", "--diff", "-", "--stdin-filename", str(vault / "Novels/Dune.md")])
    captured = capsysbinary.readouterr()
    assert code == 1
    assert b"-text \n+text\n" in captured.out and b"a/Novels/Dune.md" in captured.out


def test_stdin_not_utf8(
    vault: Path, monkeypatch: pytest.MonkeyPatch, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"caf\xe9\n")))
    argv = ["check", "--fix", "-", "--stdin-filename", str(vault / "x.md"), "-q"]
    code = main(argv)
    captured = capsysbinary.readouterr()
    assert (code, captured.out) == (1, b"caf\xe9\n")
    assert b"file-encoding" in captured.err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["-"], "--stdin-filename"),
        (["-", "Novels", "--stdin-filename", "x.md"], "alone"),
    ],
)
def test_stdin_usage_errors(
    vault: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    message: str,
) -> None:
    monkeypatch.chdir(vault)
    assert main(["check", *argv]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_stdin_excluded_note_with_force_exclude(
    vault: Path, monkeypatch: pytest.MonkeyPatch, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    (vault / ".vaultlint.yaml").write_text("exclude: ['Novels/**']\n")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"[[Gone]] \n")))
    note = str(vault / "Novels/Dune.md")
    code = main(["check", "--fix", "--force-exclude", "-", "--stdin-filename", note])
    assert (code, capsysbinary.readouterr().out) == (0, b"[[Gone]] \n")
