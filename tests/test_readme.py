"""The README stays true: every rule is listed, CI runs its test command verbatim, the
API example runs."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from vaultlint.rules import ALL_RULES

ROOT = Path(__file__).parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _commands() -> list[str]:
    return re.findall(r"```sh\n(python3 -m venv[^\n]+)\n```", README)


def test_every_rule_is_in_the_readme() -> None:
    for rule in ALL_RULES:
        assert f"`{rule.name}`" in README, f"README does not list {rule.name}"
        assert rule.code in README, f"README does not list {rule.code}"


def test_ci_runs_the_readme_test_command() -> None:
    commands = _commands()
    assert len(commands) == 2, "README must show the two set-up commands"
    run_example, run_tests = commands
    assert "vaultlint check examples/vault" in run_example
    assert run_tests in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_every_pre_commit_hook_is_in_the_readme() -> None:
    hooks = re.findall(r"^- id: (\S+)", (ROOT / ".pre-commit-hooks.yaml").read_text(), re.M)
    assert hooks == ["vaultlint", "vaultlint-fix"]
    for hook in hooks:
        assert f"id: {hook}" in README or f"`{hook}`" in README


def test_the_api_example_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (example,) = re.findall(r"```python\n(import vaultlint\n.*?)```", README, re.S)
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    exec(compile(example, "README.md", "exec"), {})
    out = capsys.readouterr().out
    assert "Books index.md:8: LK01 broken link [[The Left Hand of Darkness]]" in out
    assert out.endswith("{'book': '33 % complete'}\n")


@pytest.mark.parametrize("fmt", ["full", "concise"])
def test_the_text_output_examples_are_what_check_prints(
    fmt: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from vaultlint.cli import main

    examples = re.findall(r"```text\n(Books/[^\n]+)\n```", README)
    assert len(examples) == 2, "README must show one line of full and one of concise"
    for name in ("NO_COLOR", "FORCE_COLOR", "GITHUB_ACTIONS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(ROOT / "examples" / "vault")  # paths the same from the vault root
    main(["check", "--no-cache", "--output-format", fmt])
    example = examples[0] if fmt == "full" else examples[1]
    assert example in capsys.readouterr().out.splitlines()


def _readme_commands() -> list[str]:
    """Every ``vaultlint ...`` line of the README's shell blocks, placeholders filled."""
    lines = []
    for block in re.findall(r"```sh\n(.*?)```", README, re.S):
        for line in block.splitlines():
            if not line.startswith("vaultlint"):
                continue
            command = line.split("  #")[0].strip()
            command = command.replace("[check] [PATH ...]", "check").replace("[PATH ...]", "")
            command = command.replace("[PATH]", "").replace("rule NAME", "rule broken-link")
            lines.append(command)
    return lines


def test_every_command_the_readme_prints_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import shlex
    import subprocess

    from vaultlint.cli import main

    commands = _readme_commands()
    assert len(commands) >= 14 and "vaultlint report --history 10" in commands
    vault = tmp_path / "vault"
    shutil.copytree(ROOT / "examples" / "vault", vault)
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid"}
    env |= {"GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid"}
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "notes"]):
        subprocess.run(["git", *args], cwd=vault, check=True, env={**env, "PATH": "/usr/bin:/bin"})
    monkeypatch.chdir(vault)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    for command in commands:
        code = main(shlex.split(command)[1:])
        err = capsys.readouterr().err
        assert code in (0, 1), f"{command}: exit {code}\n{err}"
        assert "error" not in err.lower(), f"{command}: {err}"
    assert (vault / "report.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_the_github_and_json_examples_are_what_check_prints(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    from vaultlint.cli import main

    (github,) = re.findall(r"```text\n(::error [^\n]+)\n```", README)
    (one,) = re.findall(r"```json\n(\{\"path\"[^\n]+)\n```", README)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.chdir(ROOT / "examples" / "vault")
    main(["check", "--no-cache", "--output-format", "github"])
    assert github in capsys.readouterr().out.splitlines()
    main(["check", "--no-cache", "--output-format", "json"])
    assert json.loads(one) in json.loads(capsys.readouterr().out)
