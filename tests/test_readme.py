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


# --- the editors' setups ----------------------------------------------------------------


def _editors_blocks(language: str) -> list[str]:
    section = README.split("\n## Editors\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(rf"```{language}\n(.*?)```", section, re.S)


def _assert_runs_the_server(command: str, args: list[str]) -> None:
    """``command args`` is the installed ``vaultlint`` with a command and options it has."""
    import contextlib
    import io

    from vaultlint.cli import main

    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    scripts = pyproject.split("\n[project.scripts]\n", 1)[1].split("\n[", 1)[0]
    assert re.search(rf"^{re.escape(command)} = ", scripts, re.M), command
    assert args[:1] == ["server"], args
    shown = io.StringIO()
    with contextlib.redirect_stdout(shown), contextlib.redirect_stderr(io.StringIO()):
        try:
            code = main([*args, "--help"])
        except SystemExit as exc:
            code = int(exc.code or 0)
    assert code == 0, f"{command} {' '.join(args)} --help: exit {code}"
    for option in args[1:]:
        assert not option.startswith("-") or option.split("=")[0] in shown.getvalue(), option


def _lua_strings(code: str) -> list[str]:
    """The quoted strings of a Lua table constructor, in order."""
    return re.findall(r'"([^"\\]*)"', code)


def test_the_neovim_setups_are_lua_that_starts_the_server() -> None:
    lua = _editors_blocks("lua")
    assert len(lua) == 2, "README: Neovim with nvim-lspconfig, and without"
    for code in lua:
        without_strings = re.sub(r'"[^"\\]*"', '""', code)
        assert '"' not in re.sub(r'""', "", without_strings), "an unclosed string"
        for opening, closing in ("()", "{}", "[]"):
            depth = 0
            for char in without_strings:
                depth += (char == opening) - (char == closing)
                assert depth >= 0, f"{closing} before its {opening}"
            assert depth == 0, f"unbalanced {opening}{closing}"
        (cmd,) = re.findall(r"\bcmd = \{([^}]*)\}", code)
        command, *args = _lua_strings(cmd)
        _assert_runs_the_server(command, args)
        (filetypes,) = re.findall(r"\bfiletypes = \{([^}]*)\}", code)
        assert _lua_strings(filetypes) == ["markdown"]
        assert '".vaultlint.yaml", ".obsidian"' in code  # a vault's root, as check finds it
    assert 'require("lspconfig")' in lua[0] and "lspconfig.vaultlint.setup(" in lua[0]
    assert 'vim.lsp.enable("vaultlint")' in lua[1]


def test_the_vs_code_and_zed_settings_are_json_that_starts_the_server() -> None:
    import json

    vscode, zed = (json.loads(block) for block in _editors_blocks("json"))
    _assert_runs_the_server(vscode["glspc.server.command"], vscode["glspc.server.commandArguments"])
    assert vscode["glspc.server.languageId"] == ["markdown"]
    binary = zed["lsp"]["marksman"]["binary"]
    _assert_runs_the_server(binary["path"], binary["arguments"])


def test_the_helix_languages_toml_starts_the_server() -> None:
    tomllib = pytest.importorskip("tomllib")  # Python 3.11 and later
    (helix_text,) = _editors_blocks("toml")
    helix = tomllib.loads(helix_text)
    server = helix["language-server"]["vaultlint"]
    _assert_runs_the_server(server["command"], server["args"])
    (markdown,) = (lang for lang in helix["language"] if lang["name"] == "markdown")
    assert "vaultlint" in markdown["language-servers"]


def test_no_shell_block_starts_a_server_or_a_watch() -> None:
    """Commands that run until stopped are in prose: the shell blocks are run as tests."""
    for command in _readme_commands():
        assert " server" not in command and "--watch" not in command, command
