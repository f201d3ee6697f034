"""The real pre-commit tool runs our hook from this repository on a git vault."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from helpers import write_vault

PROJECT = Path(__file__).resolve().parent.parent
CLEAN = "# Clean\n\nNothing to fix.\n"
FIXABLE = "# Fixable \n\nTrailing spaces.   \n"
UNFIXABLE = '---\ntitle: "unclosed\n---\n# Broken\n'


def _git(
    vault: Path, *args: str, env: dict[str, str], check: bool = True
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", *args], cwd=vault, env=env, text=True, capture_output=True, check=check
    )


UNFINISHED = """`Author:`
`Availability:`

## Key Takeaways

## Quotes
-

## Notes

`Concepts:` [[Anarchism]]
`Knowledge Base:` [[Books index]]
"""


def _repo(tmp_path: Path, files: dict[str, str]) -> tuple[Path, dict[str, str]]:
    """A git vault holding ``files``, with vaultlint-fix from this repository's HEAD
    installed as its pre-commit hook, and the environment to run git in."""
    rev = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=PROJECT, text=True, capture_output=True, check=True
    ).stdout.strip()
    vault = write_vault(
        tmp_path / "vault",
        {
            **files,
            ".pre-commit-config.yaml": (
                f"repos:\n  - repo: {PROJECT}\n    rev: {rev}\n"
                "    hooks:\n      - id: vaultlint-fix\n"
            ),
        },
    )
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.invalid",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.invalid",
    }
    env.pop("GITHUB_ACTIONS", None)
    _git(vault, "init", "-q", env=env)
    subprocess.run(
        [sys.executable, "-m", "pre_commit", "install"],
        cwd=vault,
        env=env,
        check=True,
        capture_output=True,
    )
    return vault, env


def test_hook_fixes_notes_and_fails_the_commit_while_findings_remain(tmp_path: Path) -> None:
    vault, env = _repo(
        tmp_path,
        {"Clean.md": CLEAN, "Notes/Fixable.md": FIXABLE, "Notes/Broken.md": UNFIXABLE},
    )
    _git(vault, "add", "-A", env=env)
    clean_stat = (vault / "Clean.md").stat()

    first = _git(vault, "commit", "-q", "-m", "notes", env=env, check=False)
    output = first.stdout + first.stderr
    assert first.returncode != 0, output
    assert "files were modified by this hook" in output
    assert "Notes/Broken.md" in output and "FM01" in output
    assert (vault / "Notes" / "Fixable.md").read_text() == "# Fixable\n\nTrailing spaces.\n"
    assert (vault / "Clean.md").read_text() == CLEAN
    assert (vault / "Clean.md").stat().st_mtime_ns == clean_stat.st_mtime_ns

    (vault / "Notes" / "Broken.md").write_text('---\ntitle: "closed"\n---\n# Broken\n')
    _git(vault, "add", "-A", env=env)
    second = _git(vault, "commit", "-q", "-m", "notes", env=env, check=False)
    assert second.returncode == 0, second.stdout + second.stderr
    assert _git(vault, "log", "--oneline", env=env).stdout.count("\n") == 1


def test_hook_lets_unfinished_notes_through_and_stops_errors(tmp_path: Path) -> None:
    """Empty fields and sections are warnings: work in progress, which ``report``
    measures. A broken link is an error: the commit fails until it is mended."""
    vault, env = _repo(
        tmp_path,
        {
            "Books/Dune.md": UNFINISHED,
            "Anarchism.md": "# Anarchism\n",
            "Books index.md": "# Books index\n\n- [[Dune]]\n",
        },
    )
    _git(vault, "add", "-A", env=env)
    first = _git(vault, "commit", "-q", "-m", "start Dune", env=env, check=False)
    output = first.stdout + first.stderr
    assert first.returncode == 0, output
    assert "SC02" in output and "SC04" in output  # shown, not fatal

    book = vault / "Books" / "Dune.md"
    book.write_text(UNFINISHED.replace("[[Anarchism]]", "[[Anarchism]], [[Ecology]]"))
    _git(vault, "add", "-A", env=env)
    second = _git(vault, "commit", "-q", "-m", "more Dune", env=env, check=False)
    assert second.returncode != 0 and "LK01" in second.stdout + second.stderr

    (vault / "Ecology.md").write_text("# Ecology\n")
    _git(vault, "add", "-A", env=env)
    third = _git(vault, "commit", "-q", "-m", "more Dune", env=env, check=False)
    assert third.returncode == 0, third.stdout + third.stderr
    assert _git(vault, "log", "--oneline", env=env).stdout.count("\n") == 2


def test_hook_checks_staged_canvas_and_base_files(tmp_path: Path) -> None:
    """identify tags a ``.canvas`` or ``.base`` file neither markdown nor anything
    else; the hook's ``files`` pattern still passes them, so a board whose file node
    points at a renamed note fails the commit."""
    board = (
        '{"nodes":[\n'
        '{"id":"a","type":"file","file":"Projects/Plan 2026.md","x":0,"y":0,'
        '"width":400,"height":400},\n'
        '{"id":"b","type":"text","text":"See [[Roadmap]]","x":500,"y":0,'
        '"width":250,"height":60}\n'
        '],"edges":[]}\n'
    )
    vault, env = _repo(
        tmp_path,
        {
            "Projects/Plan.md": "# Plan\n\nThe plan.\n",
            "Roadmap.md": "# Roadmap\n\nSee [[Plan]].\n",
            "Boards/Projects.canvas": board,
        },
    )
    _git(vault, "add", "-A", env=env)
    first = _git(vault, "commit", "-q", "-m", "board", env=env, check=False)
    output = first.stdout + first.stderr
    assert first.returncode != 0, output
    assert "Boards/Projects.canvas:2:" in output and "LK02" in output, output
    assert "(at nodes[0].file)" in output

    (vault / "Boards" / "Projects.canvas").write_text(board.replace("Plan 2026", "Plan"))
    _git(vault, "add", "-A", env=env)
    second = _git(vault, "commit", "-q", "-m", "board", env=env, check=False)
    assert second.returncode == 0, second.stdout + second.stderr
