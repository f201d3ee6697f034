"""The workspace and the Python API: one vault opened once, check, fix, report, refresh.

The CLI is a client of the same API, so these tests compare the two; and
``report`` adds up facts the check pipeline computes, so a report from the
cache (filled by ``check`` or by ``report``) equals a cold one.
"""

from __future__ import annotations

import json
import pickle
import shutil
from pathlib import Path
from typing import Any

import pytest

import vaultlint
from helpers import SAMPLE, Exploit, aged_copy, genvault, resign, write_vault
from vaultlint import pipeline
from vaultlint.cache import CACHE_DIR
from vaultlint.cli import main


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return genvault(tmp_path_factory.mktemp("gen") / "vault", 300, seed=11)


@pytest.fixture
def vault(generated: Path, tmp_path: Path) -> Path:
    return aged_copy(generated, tmp_path / "vault")


def _cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    return code, capsys.readouterr().out


# --- the API is what the CLI reports ------------------------------------------------------


def test_api_check_finds_what_the_cli_prints(
    capsys: pytest.CaptureFixture[str], vault: Path
) -> None:
    code, out = _cli(capsys, "check", str(vault), "--output-format", "json", "--no-cache")
    assert code == 1
    fields = ("path", "line", "column", "code", "message")
    printed = [tuple(f[k] for k in fields) for f in json.loads(out)]
    found = vaultlint.open_vault(vault).check()
    assert [(f.path, f.line, f.column, f.code, f.message) for f in found] == printed
    assert len(found) > 100 and all(isinstance(f, vaultlint.Finding) for f in found)
    assert {f.severity for f in found} <= set(vaultlint.Severity)


def test_a_workspace_opened_on_a_relative_root_checks_and_reports(
    vault: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = vaultlint.Workspace(vault).check()
    monkeypatch.chdir(vault.parent)
    workspace = vaultlint.Workspace(Path(vault.name))
    assert workspace.check() == whole
    assert workspace.report(details=True).notes == vaultlint.Workspace(vault).report().notes > 300
    assert workspace.check([Path(vault.name) / "Books"]) == [
        f for f in whole if f.path.startswith("Books/")
    ]


def test_api_check_of_some_paths_and_a_note(vault: Path) -> None:
    workspace = vaultlint.open_vault(vault)
    books = workspace.check([vault / "Books"])
    assert books and all(f.path.startswith("Books/") for f in books)
    note = workspace.note(books[0].path)
    assert note is not None and note.path == books[0].path and note.headings
    assert workspace.note("No such note.md") is None


def test_api_fix_writes_the_safe_fixes_and_returns_what_is_left(tmp_path: Path) -> None:
    root = write_vault(
        tmp_path / "v",
        {
            "Books/Dune.md": SAMPLE.replace("Le Guin", "Le Guin "),
            "Anarchism.md": "# Anarchism\n",
        },
    )
    workspace = vaultlint.open_vault(root)
    before = {f.rule for f in workspace.check()}
    assert {"trailing-whitespace", "heading-emphasis", "emoji-heading"} <= before
    result = workspace.fix()
    assert result.written == ["Books/Dune.md"]
    assert result.fixed["trailing-whitespace"] == 1 and result.fixed["heading-emphasis"] == 1
    text = (root / "Books" / "Dune.md").read_text(encoding="utf-8")
    assert "`Author:` Ursula K. Le Guin\n" in text and "### Overview\n" in text
    left = {f.rule for f in result.remaining}
    assert "trailing-whitespace" not in left
    assert "broken-link" in left  # [[Utopia]], [[Books index]]
    assert vaultlint.open_vault(root).fix().written == []  # a fixed point


def test_api_errors_are_one_line_vaultlint_errors(tmp_path: Path) -> None:
    with pytest.raises(vaultlint.VaultlintError, match="no such file or folder"):
        vaultlint.open_vault(tmp_path / "nope")
    root = write_vault(tmp_path / "v", {".vaultlint.yaml": "rules: {nope: off}\n", "a.md": "x\n"})
    with pytest.raises(vaultlint.VaultlintError, match=r"\.vaultlint\.yaml: .*unknown rule 'nope'"):
        vaultlint.open_vault(root)


# --- report through the check pipeline and the cache ---------------------------------------


def _report(capsys: pytest.CaptureFixture[str], vault: Path, *extra: str) -> dict[str, Any]:
    code, out = _cli(capsys, "report", str(vault), "--format", "json", *extra)
    assert code == 0
    data: dict[str, Any] = json.loads(out)
    return data


def _no_checking(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a note was checked although the cache holds it")

    monkeypatch.setattr("vaultlint.engine.Engine.check", refuse)
    monkeypatch.setattr("vaultlint.engine.Engine.source_findings", refuse)


def test_a_warm_report_equals_a_cold_one_and_checks_no_note(
    capsys: pytest.CaptureFixture[str], vault: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cold = _report(capsys, vault, "--no-cache")
    assert cold["types"][0]["notes"] > 50 and cold["links"]["broken"] > 0
    assert not (vault / CACHE_DIR).exists()
    assert _report(capsys, vault) == cold  # fills the cache
    with monkeypatch.context() as patched:
        _no_checking(patched)
        assert _report(capsys, vault) == cold


def test_a_report_uses_the_cache_a_check_filled_and_the_other_way_round(
    capsys: pytest.CaptureFixture[str], vault: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cold = _report(capsys, vault, "--no-cache")
    code, checked = _cli(capsys, "check", str(vault), "--output-format", "json")
    assert code == 1
    with monkeypatch.context() as patched:
        _no_checking(patched)
        assert _report(capsys, vault) == cold
        assert _cli(capsys, "check", str(vault), "--output-format", "json") == (1, checked)
    shutil.rmtree(vault / CACHE_DIR)
    _report(capsys, vault)  # now the report fills it, for the check
    with monkeypatch.context() as patched:
        _no_checking(patched)
        assert _cli(capsys, "check", str(vault), "--output-format", "json") == (1, checked)


def test_a_report_after_an_edit_checks_only_what_changed(
    capsys: pytest.CaptureFixture[str], vault: Path
) -> None:
    _report(capsys, vault)
    book = sorted((vault / "Books").rglob("*.md"))[0]
    book.write_text(book.read_text(encoding="utf-8") + "\n[[Nowhere at all]]\n", "utf-8")
    warm = _report(capsys, vault)
    assert warm == _report(capsys, vault, "--no-cache")
    wanted = {t["target"]: t for t in warm["links"]["by_target"]}
    assert wanted["Nowhere at all"]["sources"] == [book.relative_to(vault).as_posix()]


def test_workers_report_what_one_process_reports(
    capsys: pytest.CaptureFixture[str], vault: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pipeline, "PARALLEL_MIN", 10)
    serial = _report(capsys, vault, "--no-cache", "-j", "1")
    assert _report(capsys, vault, "--no-cache", "-j", "2") == serial
    assert _report(capsys, vault, "-j", "2") == serial  # the cache the workers fill
    assert _report(capsys, vault, "-j", "1") == serial


@pytest.mark.parametrize(
    "forged",
    [
        b"not facts at all",
        ("types", (), (), ()),
        (("book", "yes", (), ()),),
        ((("book", "yes", (), ()),), (), (), ()),
        ((), ((1, 2),), (), ()),
        ((), (), ("a.md", None), ()),
        ((), (), (), (("LK01", "broken-link", -5),)),
        ((("book", True, (("Author", "full", True),), ()),), (), (), ()),
        ((), (), (), (), ("novel", 7), ()),
        ((), (), (), (), (), (("rating",),)),
    ],
)
def test_damaged_facts_in_the_cache_are_computed_again(
    capsys: pytest.CaptureFixture[str], vault: Path, forged: object
) -> None:
    cold = _report(capsys, vault, "--no-cache")
    _report(capsys, vault)
    (cache_file,) = (vault / CACHE_DIR).rglob("*.pickle")
    rows, packed = pickle.loads(cache_file.read_bytes()[32:])
    facts = pickle.loads(packed)
    assert set(facts) == set(rows) and all(isinstance(f, tuple) for f in facts.values())
    forged_facts = pickle.dumps({path: forged for path in facts})
    resign(cache_file, pickle.dumps((rows, forged_facts)))
    assert _report(capsys, vault) == cold
    resign(cache_file, pickle.dumps((rows, b"not a pickle")))
    assert _report(capsys, vault) == cold


# --- refresh: the index follows the disk without a new scan -------------------------------


def _rules(workspace: vaultlint.Workspace, path: str) -> list[tuple[str, str]]:
    return [(f.rule, f.message) for f in workspace.check() if f.path == path]


def test_refresh_takes_in_added_changed_and_removed_files(tmp_path: Path) -> None:
    root = write_vault(
        tmp_path / "v",
        {
            "Reading list.md": "# Reading list\n\n- [[Dune]]\n- [[Solaris#Ocean]]\n",
            "Solaris.md": "# Solaris\n\n## Station\n",
        },
    )
    workspace = vaultlint.open_vault(root)
    assert {rule for rule, _ in _rules(workspace, "Reading list.md")} == {
        "broken-link",
        "broken-heading-link",
    }
    (root / "Dune.md").write_text("# Dune\n", encoding="utf-8")
    (root / "Solaris.md").write_text("# Solaris\n\n## Ocean\n", encoding="utf-8")
    workspace.refresh(["Dune.md", "Solaris.md"])
    assert _rules(workspace, "Reading list.md") == []
    assert "Dune.md" in workspace.index.notes
    (root / "Dune.md").unlink()
    workspace.refresh(["Dune.md"])
    assert [rule for rule, _ in _rules(workspace, "Reading list.md")] == ["broken-link"]
    assert "Dune.md" not in workspace.index.files
    workspace.refresh([".obsidian/workspace.json", "missing.md"])  # hidden, and never there
    assert "missing.md" not in workspace.index.files


def test_refresh_reloads_a_changed_configuration(tmp_path: Path) -> None:
    root = write_vault(tmp_path / "v", {"Note.md": "# Note\n\nSee [[Nowhere]].\n"})
    workspace = vaultlint.open_vault(root)
    assert [rule for rule, _ in _rules(workspace, "Note.md")] == ["broken-link"]
    (root / ".vaultlint.yaml").write_text("rules: {broken-link: off}\n", encoding="utf-8")
    workspace.refresh([".vaultlint.yaml"])
    assert _rules(workspace, "Note.md") == []


def test_facts_that_would_run_code_are_not_loaded(
    capsys: pytest.CaptureFixture[str], vault: Path, tmp_path: Path
) -> None:
    cold = _report(capsys, vault, "--no-cache")
    _report(capsys, vault)
    marker = tmp_path / "pwned"

    (cache_file,) = (vault / CACHE_DIR).rglob("*.pickle")
    rows, _ = pickle.loads(cache_file.read_bytes()[32:])
    resign(cache_file, pickle.dumps((rows, pickle.dumps({"Books index.md": Exploit(marker)}))))
    assert _report(capsys, vault) == cold
    assert not marker.exists()


def test_followed_keeps_the_vault_files_the_configuration_and_the_schemas(tmp_path: Path) -> None:
    vault = write_vault(
        tmp_path / "vault",
        {
            ".vaultlint.yaml": "schemas: ['./.vaultlint/schemas/*.yaml', 'Types/book.yaml']\n",
            ".vaultlint/schemas/person.yaml": "name: person\nmatch:\n  folders: [People]\n",
            "Types/book.yaml": "name: book\nmatch:\n  folders: [Books]\n",
            "Books/Dune.md": "# Dune\n\nA novel.\n",
        },
    )
    workspace = vaultlint.open_vault(vault)
    changed = [
        "Books/Dune.md",
        "Books/Le Guin — Ἀρχή.md",  # gone or new: followed as well
        ".vaultlint.yaml",
        ".vaultlint/schemas/person.yaml",
        ".vaultlint/schemas/new type.yml",  # the glob may take it in
        ".vaultlint/schemas/notes.txt",
        f"{CACHE_DIR}/cache.bin",
        ".git/index",
        ".obsidian/workspace.json",
        ".obsidian/types.json",  # Obsidian's settings the rules read
        ".obsidian/app.json",
        ".obsidian/plugins/templater-obsidian/data.json",
        ".github/workflows/ci.yml",
        "",
    ]
    assert workspace.followed(changed) == [
        ".obsidian/app.json",
        ".obsidian/plugins/templater-obsidian/data.json",
        ".obsidian/types.json",
        ".vaultlint.yaml",
        ".vaultlint/schemas/new type.yml",
        ".vaultlint/schemas/person.yaml",
        "Books/Dune.md",
        "Books/Le Guin — Ἀρχή.md",
    ]
