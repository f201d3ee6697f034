"""The README walked through as a new user would: a fresh venv, the set-up command as
printed, the CI recipe's check step and the pre-commit snippet (its rev as printed).

Slow (a pip install or two, about a minute): ``-m "not slow"`` skips it locally;
CI (``.ci/run``) runs it.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import write_vault

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _shell(command: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", "-c", command], cwd=cwd, env=env, text=True, capture_output=True, timeout=900
    )


def test_the_readme_walk_through_runs_as_printed(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "VIRTUAL_ENV")}
    env["PRE_COMMIT_HOME"] = str(tmp_path / "pre-commit-home")
    clone = tmp_path / "clone"
    clone.mkdir()
    archive = subprocess.run(["git", "archive", "HEAD"], cwd=ROOT, capture_output=True, check=True)
    subprocess.run(["tar", "-x"], cwd=clone, input=archive.stdout, check=True)

    # Set-up, as printed: a fresh venv, install, check the example vault (it has findings).
    (setup,) = re.findall(
        r"```sh\n(python3 -m venv \.venv && [^\n]+install -q \. [^\n]+)\n```", README
    )
    done = _shell(setup, clone, env)
    assert done.returncode == 1, done.stderr
    assert "9 notes checked." in done.stdout

    # The CI recipe's check step, with the installed command, in a vault repository.
    (recipe,) = re.findall(
        r"```yaml\n- run: pip install [^\n]+\n- run: (vaultlint [^\n]+)\n```", README
    )
    vault = write_vault(tmp_path / "vault", {"Notes/Idea.md": "# Idea\n\nSee [[Nowhere]].\n"})
    bin_env = {**env, "PATH": f"{clone / '.venv' / 'bin'}:{env['PATH']}"}
    done = _shell(recipe, vault, bin_env)
    assert done.returncode == 1 and done.stdout.startswith("Notes/Idea.md:3:5: error LK01")

    # The pre-commit snippet: its rev must resolve in this repository.
    (snippet,) = re.findall(r"```yaml\n(repos:\n.*?)```", README, re.S)
    snippet = re.sub(r"repo: \S+", f"repo: {ROOT}", snippet)
    (vault / ".pre-commit-config.yaml").write_text(snippet, encoding="utf-8")
    git_env = {**bin_env, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid"}
    git_env |= {"GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid"}
    for command in ("git init -q", "git add -A"):
        assert _shell(command, vault, git_env).returncode == 0
    done = _shell(f"{sys.executable} -m pre_commit run --all-files", vault, git_env)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "LK01" in done.stdout and "Nowhere" in done.stdout
