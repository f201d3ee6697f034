"""`vaultlint init`: the commented config, --force, --schemas, the pre-commit snippet;
and `vaultlint rule` for the suppression rule."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from helpers import write_vault
from vaultlint.cli import main
from vaultlint.commands.init import PRE_COMMIT_SNIPPET, RELEASE_REV, RELEASE_TAG, REPOSITORY
from vaultlint.config import CONFIG_NAME, default_settings, load_config
from vaultlint.rules import ALL_RULES
from vaultlint.schema import SHIPPED_SCHEMAS, load_schemas

SNIPPET = """\
repos:
  - repo: https://github.com/vaultlint/vaultlint
    rev: 507a8d04c9f79b2862368050d01caf1ba498d3bf  # frozen: v0.2.0
    hooks:
      - id: vaultlint-fix
        types: [file]  # notes, canvases and bases: identify tags only .md as markdown
        files: '(?i)\\.(md|canvas|base)$'
"""


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_init_writes_a_config_that_loads_as_the_defaults(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write_vault(tmp_path, {"A.md": "Text.\n"})
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "init")
    assert code == 0 and err == ""
    assert out.startswith("Wrote .vaultlint.yaml.\n")
    assert out.endswith(SNIPPET) and PRE_COMMIT_SNIPPET == SNIPPET
    text = (tmp_path / CONFIG_NAME).read_text(encoding="utf-8")
    for key in ("extends: default", "exclude: []", "# schemas: []", "obsidian:", "overrides: []"):
        assert f"\n{key}" in text
    for rule in ALL_RULES:  # every rule is listed, commented out, with its code
        assert f"  # {rule.name}: " in text and f"# {rule.code} {rule.summary}" in text
    config = load_config(tmp_path)
    assert config.file == tmp_path / CONFIG_NAME
    assert config.rules == default_settings()
    assert config.shipped_schemas  # the commented `schemas:` keeps the shipped ones on
    assert run(capsys, "check", str(tmp_path))[0] == 0


def test_init_refuses_to_overwrite(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_vault(tmp_path, {CONFIG_NAME: "rules: {TX03: off}\n"})
    code, out, err = run(capsys, "init", str(tmp_path))
    assert code == 2 and out == ""
    assert err == (
        f"vaultlint: error: {tmp_path / CONFIG_NAME}: already exists "
        "(use --force to overwrite it)\n"
    )
    assert (tmp_path / CONFIG_NAME).read_text() == "rules: {TX03: off}\n"
    code, out, _ = run(capsys, "init", str(tmp_path), "--force")
    assert code == 0 and "extends: default" in (tmp_path / CONFIG_NAME).read_text()


def test_init_with_schemas_copies_them_for_editing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_vault(tmp_path, {})
    code, out, _ = run(capsys, "init", str(tmp_path), "--schemas")
    assert code == 0
    copies = [f".vaultlint/schemas/{name}.yaml" for name in SHIPPED_SCHEMAS]
    assert out.startswith("Wrote .vaultlint.yaml, " + ", ".join(copies) + ".\n")
    for copy in copies:
        assert (tmp_path / copy).is_file()
    config = load_config(tmp_path)
    assert config.schemas == [".vaultlint/schemas/*.yaml"]
    schemas = load_schemas(tmp_path, config.schemas)
    assert {s.name for s in schemas} >= set(SHIPPED_SCHEMAS)
    # The copies are the vault's now: an edit changes the schema that is used.
    book = tmp_path / ".vaultlint/schemas/book.yaml"
    book.write_text(book.read_text().replace("Reading notes", "My reading notes"))
    (loaded,) = [s for s in load_schemas(tmp_path, config.schemas) if s.name == "book"]
    assert "My reading notes" in loaded.description


def test_init_schemas_refuse_to_overwrite_edited_copies(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_vault(tmp_path, {".vaultlint/schemas/book.yaml": "name: book\n"})
    code, _, err = run(capsys, "init", str(tmp_path), "--schemas")
    assert code == 2 and "book.yaml: already exists" in err
    assert not (tmp_path / CONFIG_NAME).exists()
    assert run(capsys, "init", str(tmp_path), "--schemas", "--force")[0] == 0
    assert (tmp_path / ".vaultlint/schemas/book.yaml").read_text() != "name: book\n"


def test_init_in_a_missing_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "init", str(tmp_path / "nope"))
    assert code == 2 and "no such folder" in err


def test_copied_schemas_are_not_notes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_vault(tmp_path, {"A.md": "Text.\n"})
    run(capsys, "init", str(tmp_path), "--schemas")
    code, out, _ = run(capsys, "check", str(tmp_path), "--output-format", "concise")
    assert code == 0, out


def test_rule_command_explains_unused_suppression(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "rule", "VL01")
    assert code == 0
    assert out.startswith("unused-suppression (VL01)\n")
    assert "%% vaultlint-disable-next-line %%" in out and "After --fix --unsafe-fixes:" in out
    code, out, _ = run(capsys, "rule", "--all")
    assert code == 0 and "VL01" in out and "unused-suppression" in out


def test_the_release_the_snippet_and_the_readme_name_exists_here() -> None:
    """The rev pre-commit and pip are told to take is a commit of this repository that
    ships the hooks, and the README prints exactly what ``init`` prints."""
    project = Path(__file__).resolve().parent.parent
    readme = (project / "README.md").read_text(encoding="utf-8")
    assert PRE_COMMIT_SNIPPET in readme
    install = f'pip install "obsidian-vaultlint @ git+{REPOSITORY}@{RELEASE_REV}"'
    assert readme.count(install) == 2 and "pip install vaultlint" not in readme

    def git(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["git", *args], cwd=project, capture_output=True, text=True)

    if git("rev-parse", "--is-shallow-repository").stdout.strip() == "true":
        pytest.skip("a shallow clone holds no history to look the release up in")
    assert git("cat-file", "-e", f"{RELEASE_REV}^{{commit}}").returncode == 0, RELEASE_REV
    hooks = git("show", f"{RELEASE_REV}:.pre-commit-hooks.yaml").stdout
    assert "- id: vaultlint-fix" in hooks
    version = git("show", f"{RELEASE_REV}:src/vaultlint/version.py").stdout
    assert f'__version__ = "{RELEASE_TAG[1:]}"' in version
    assert f"## {RELEASE_TAG[1:]}" in (project / "CHANGELOG.md").read_text(encoding="utf-8")
