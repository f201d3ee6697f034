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


def test_hook_fixes_notes_and_fails_the_commit_while_findings_remain(tmp_path: Path) -> None:
    rev = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=PROJECT, text=True, capture_output=True, check=True
    ).stdout.strip()
    vault = write_vault(
        tmp_path / "vault",
        {
            "Clean.md": CLEAN,
            "Notes/Fixable.md": FIXABLE,
            "Notes/Broken.md": UNFIXABLE,
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
