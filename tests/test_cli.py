"""The CLI contract, through main(argv): exit codes, formats, fixing, errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from helpers import write_vault
from vaultlint import __version__
from vaultlint.cli import main

JSON_KEYS = {
    "path",
    "line",
    "column",
    "end_line",
    "end_column",
    "rule",
    "code",
    "severity",
    "message",
    "fixable",
}
CLEAN = "# Clean note\n\nNothing to report here.\n"
DIRTY = "# Dirty note \n\nTrailing spaces.   \n"


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    return write_vault(tmp_path, {"Clean.md": CLEAN, "Notes/Dirty.md": DIRTY})


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_json_output_is_the_contract(vault: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", str(vault), "--output-format", "json", "--strict")
    assert code == 1
    items = json.loads(out)
    assert items and all(set(item) == JSON_KEYS for item in items)
    first = items[0]
    assert first["path"] == "Notes/Dirty.md"
    assert (first["line"], first["column"], first["end_line"], first["end_column"]) == (
        1,
        13,
        1,
        14,
    )
    assert first["rule"] == "trailing-whitespace" and first["code"] == "TX03"
    assert first["severity"] == "warning" and first["fixable"] is True


def test_clean_vault_exits_zero(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_vault(tmp_path, {"A.md": CLEAN})
    code, out, _ = run(capsys, str(tmp_path))
    assert code == 0 and "All checks passed" in out


def test_missing_path_exits_two_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "check", str(tmp_path / "nope.md"))
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "nope.md" in err and "Traceback" not in err


def test_unknown_option_exits_two(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "check", "--no-such-flag")
    assert code == 2 and "--no-such-flag" in err


def test_default_command_is_check_as_pre_commit_calls_it(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = vault / "Notes" / "Dirty.md"
    code, _, err = run(capsys, "--fix", str(path))
    assert code == 0 and "Fixing Notes/Dirty.md" in err
    assert path.read_text() == "# Dirty note\n\nTrailing spaces.\n"


def test_fix_twice_changes_nothing_the_second_time(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "check", "--fix", str(vault))
    before = {p: p.read_bytes() for p in vault.rglob("*.md")}
    code, _, err = run(capsys, "check", "--fix", str(vault))
    assert code == 0 and "Fixing" not in err
    assert {p: p.read_bytes() for p in vault.rglob("*.md")} == before


def test_clean_note_is_byte_identical_after_fix(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    clean = vault / "Clean.md"
    stat_before = clean.stat()
    run(capsys, "check", "--fix", str(vault))
    assert clean.read_text() == CLEAN
    assert clean.stat().st_mtime_ns == stat_before.st_mtime_ns


def test_fix_keeps_bom_and_crlf(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_vault(tmp_path, {"a.md": b"\xef\xbb\xbf# Title \r\nLine \r\n"})
    run(capsys, "--fix", str(tmp_path))
    assert (tmp_path / "a.md").read_bytes() == b"\xef\xbb\xbf# Title\r\nLine\r\n"


def test_invalid_utf8_is_reported_and_never_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = "Caf\xe9 au lait \n".encode("latin-1")
    write_vault(tmp_path, {"latin.md": data})
    code, out, _ = run(capsys, "--fix", str(tmp_path), "--output-format", "json")
    assert code == 1
    assert [(f["rule"], f["line"], f["column"]) for f in json.loads(out)] == [
        ("file-encoding", 1, 1)
    ]
    assert (tmp_path / "latin.md").read_bytes() == data


def test_diff_writes_nothing_and_exits_one(vault: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "check", "--diff", str(vault))
    assert code == 1
    assert "--- a/Notes/Dirty.md" in out and "-# Dirty note \n+# Dirty note\n" in out
    assert "Would fix 2 problems" in err
    assert (vault / "Notes" / "Dirty.md").read_text() == DIRTY


def test_diff_on_clean_vault_exits_zero(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_vault(tmp_path, {"A.md": CLEAN})
    code, out, _ = run(capsys, "check", "--diff", str(tmp_path))
    assert code == 0 and out == ""


def test_paths_choose_what_is_reported(vault: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, str(vault / "Clean.md"), "--output-format", "json")
    assert code == 0 and json.loads(out) == []


def test_output_paths_are_from_the_current_folder(
    vault: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(vault / "Notes")
    code, out, _ = run(capsys, "Dirty.md", "--output-format", "concise", "--strict")
    assert code == 1
    assert (
        out.splitlines()[0]
        == "Dirty.md:1:13: warning TX03 trailing whitespace [trailing-whitespace]"
    )


def test_select_and_ignore(vault: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, str(vault), "--select", "FM01", "--output-format", "json")
    assert code == 0 and json.loads(out) == []
    code, out, _ = run(
        capsys, str(vault), "--ignore", "trailing-whitespace", "--output-format", "json"
    )
    assert code == 0 and json.loads(out) == []
    code, _, err = run(capsys, str(vault), "--select", "nonsense")
    assert code == 2 and "nonsense" in err


def test_statistics_counts_per_rule(vault: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, str(vault), "--statistics", "--strict")
    assert code == 1 and out.splitlines()[0].split() == ["2", "TX03", "[*]", "trailing-whitespace"]


def test_exit_zero_and_exit_non_zero_on_fix(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, str(vault), "--exit-zero")[0] == 0
    assert run(capsys, str(vault), "--fix", "--exit-non-zero-on-fix")[0] == 1


def test_output_file(vault: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "out.json"
    code, out, _ = run(capsys, str(vault), "--output-format", "json", "-o", str(target), "--strict")
    assert code == 1 and out == ""
    assert len(json.loads(target.read_text())) == 2


def test_full_output_groups_by_file_with_summary(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_vault(vault, {"Z.md": "x \n"})
    code, out, _ = run(capsys, str(vault), "--strict")
    assert code == 1
    lines = out.splitlines()
    assert lines[0].startswith(
        "Notes/Dirty.md:1:13  warning  TX03  trailing whitespace  [trailing-whitespace]"
    )
    assert lines[2] == "" and lines[3].startswith("Z.md:1:2")
    assert lines[-1] == "Found 3 problems (3 fixable with --fix). 3 notes checked."


def test_full_output_does_not_read_brackets_as_markup(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_vault(tmp_path, {"a.md": '---\ntitle: "[[x]] [bold]\n---\n'})
    code, out, _ = run(capsys, str(tmp_path))
    assert code == 1 and "[frontmatter-syntax]" in out


def test_invalid_config_exits_two_naming_file_and_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_vault(tmp_path, {".vaultlint.yaml": "rules:\n  no-such-rule: off\n", "a.md": CLEAN})
    code, _, err = run(capsys, str(tmp_path))
    assert (
        code == 2 and ".vaultlint.yaml" in err and "no-such-rule" in err and "Traceback" not in err
    )


def test_internal_errors_exit_two_without_traceback(
    vault: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("kaboom")

    monkeypatch.setattr("vaultlint.engine.Engine.check", boom)
    code, _, err = run(capsys, str(vault))
    assert code == 2 and "internal error" in err and "kaboom" in err and "Traceback" not in err
    code, _, err = run(capsys, str(vault), "-v")
    assert code == 2 and "Traceback" in err


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--version")
    assert code == 0 and out.strip() == f"vaultlint {__version__}"


def test_rule_command_explains_a_rule(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "rule", "TX03")
    assert code == 0 and out.startswith("trailing-whitespace (TX03)") and "Example 1" in out
    code, out, _ = run(capsys, "rule", "--all")
    assert code == 0 and "frontmatter-syntax" in out and "trailing-whitespace" in out
    code, _, err = run(capsys, "rule", "nope")
    assert code == 2 and "nope" in err


def test_example_vault_reports_problems(capsys: pytest.CaptureFixture[str]) -> None:
    example = Path(__file__).parent.parent / "examples" / "vault"
    code, out, _ = run(capsys, "check", str(example), "--output-format", "json")
    assert code == 1
    rules = {item["rule"] for item in json.loads(out)}
    assert {"frontmatter-syntax", "trailing-whitespace"} <= rules


def test_a_fix_that_does_not_converge_skips_its_note_and_fixes_the_others(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from vaultlint import fixer

    write_vault(tmp_path, {"a.md": "bad \n", "b.md": "also bad \n"})
    real = fixer.fix_note

    def flaky(note: Any, check: Any, **options: Any) -> Any:
        if note.path == "a.md":
            raise fixer.FixError("a.md: the fixes of flip-flop do not converge")
        return real(note, check, **options)

    monkeypatch.setattr(fixer, "fix_note", flaky)
    code, _, err = run(capsys, str(tmp_path), "--fix")
    assert code == 2 and "a.md: the fixes of flip-flop do not converge" in err
    assert "Traceback" not in err
    assert (tmp_path / "a.md").read_text() == "bad \n"
    assert (tmp_path / "b.md").read_text() == "also bad\n"


def test_warnings_are_shown_and_fail_only_when_strict(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Errors fail a run; warnings (an unfinished book note) fail it only with
    ``--strict`` or ``strict: true``, as yamllint and markdownlint-cli2 do."""
    unfinished = "`Author:`\n\n## Key Takeaways\n\n## Quotes\n-\n"
    write_vault(tmp_path, {"Books/Dune.md": unfinished})
    code, out, _ = run(capsys, str(tmp_path), "--output-format", "concise")
    assert code == 0 and "SC02" in out and "SC04" in out and "Found " in out
    assert run(capsys, str(tmp_path), "--strict")[0] == 1
    (tmp_path / ".vaultlint.yaml").write_text("strict: true\n", encoding="utf-8")
    assert run(capsys, str(tmp_path))[0] == 1
    assert run(capsys, str(tmp_path), "--exit-zero")[0] == 0
    (tmp_path / ".vaultlint.yaml").write_text("strict: yes please\n", encoding="utf-8")
    code, _, err = run(capsys, str(tmp_path))
    assert code == 2 and "strict: expected true or false" in err
    (tmp_path / ".vaultlint.yaml").unlink()
    write_vault(tmp_path, {"Books/Dune.md": unfinished + "\n[[Nowhere]]\n"})
    code, out, _ = run(capsys, str(tmp_path), "--output-format", "concise")
    assert code == 1 and "LK01" in out  # an error fails whatever the strictness


def test_each_run_summary_speaks_of_its_own_notes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """pre-commit splits the staged notes into several runs: each last line is true for
    the notes of its run, and a run with findings never says it passed."""
    write_vault(tmp_path, {"Clean.md": "# Clean\n", "Dirty.md": "Dirty \n", "Also.md": "ok\n"})
    code, out, _ = run(capsys, str(tmp_path / "Clean.md"), str(tmp_path / "Also.md"))
    assert code == 0 and out.splitlines()[-1] == "All checks passed! 2 notes checked."
    code, out, _ = run(capsys, str(tmp_path / "Dirty.md"))
    assert out.splitlines()[-1] == "Found 1 problem (1 fixable with --fix). 1 note checked."
    assert "passed" not in out


def test_no_notes_found_is_said_and_fails_when_strict(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_vault(tmp_path, {"Notes/a.md": "ok\n", "Attachments/cover.pdf": "%PDF-1.4\n"})
    (tmp_path / "Empty").mkdir()
    for target in (tmp_path / "Empty", tmp_path / "Attachments" / "cover.pdf"):
        code, out, err = run(capsys, str(target))
        assert code == 0 and f"vaultlint: warning: no notes found under {target}" in err
        assert out.splitlines()[-1] == "No notes checked."
        assert run(capsys, str(target), "--strict")[0] == 1


def test_select_accumulates_and_statistics_follow_the_format(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_vault(vault, {"Broken.md": "See [[Nowhere]].  \t\n"})
    _, out, _ = run(
        capsys, str(vault), "--select", "TX03", "--select", "LK01", "--output-format", "json"
    )
    assert {f["code"] for f in json.loads(out)} == {"TX03", "LK01"}
    _, out, _ = run(capsys, str(vault), "--statistics", "--output-format", "json")
    stats = json.loads(out)
    assert stats[0] == {
        "code": "TX03",
        "rule": "trailing-whitespace",
        "count": 3,
        "fixable": 3,
        "unsafe_fixable": 0,
    }
    assert {
        "code": "LK01",
        "rule": "broken-link",
        "count": 1,
        "fixable": 0,
        "unsafe_fixable": 0,
    } in stats


def test_short_version_and_a_mistyped_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["-V"]) == 0 and capsys.readouterr().out == f"vaultlint {__version__}\n"
    assert main(["reprot"]) == 2
    assert capsys.readouterr().err == (
        "vaultlint: error: unknown command 'reprot' (did you mean 'report'?)\n"
    )
