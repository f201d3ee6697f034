"""``vaultlint check --diff VAULT | git apply`` writes what ``--fix`` writes, byte for byte."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import genvault, write_vault
from vaultlint.fixer import git_diff, git_quote

BOOK = """`Author:` Ursula K. Le Guin
`Availability:`{space}

> [!info]
> ## Summary
### **📗**{space}
### **Overview**
A short summary. See [[Books index]] and [[Anarchy]].

## Notes{space}
"""

# Names git quotes (accents, emoji, a double quote) and names it does not (spaces, #).
SPECIAL = {
    "Inbox/Reading list 2024.md": BOOK.format(space=" ").encode(),
    "C# and F#.md": BOOK.format(space="  ").encode(),
    "Café crème.md": BOOK.format(space=" ").encode(),
    "Ideas 💡/Brainstorm 🚀.md": BOOK.format(space="\t").encode(),
    'Quotes/He said "hi".md': BOOK.format(space=" ").encode(),
    "Projects/Sub folder/Deep/Plan.md": BOOK.format(space=" ").encode(),
    "Marked BOM.md": b"\xef\xbb\xbf" + BOOK.format(space=" ").encode(),
    "Windows note.md": BOOK.format(space=" ").replace("\n", "\r\n").encode(),
    "Windows BOM.md": b"\xef\xbb\xbf" + BOOK.format(space=" ").replace("\n", "\r\n").encode(),
    "Old Mac note.md": BOOK.format(space=" ").replace("\n", "\r").encode(),
    "Stray CR.md": BOOK.format(space=" ").replace("Overview**\n", "Overview**\r").encode(),
    "No final newline.md": BOOK.format(space=" ").rstrip("\n").encode() + b" ",
    "Anarchism.md": b"# Anarchism\n",
}

ENV = {
    **os.environ,
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.invalid",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.invalid",
    "GIT_CONFIG_NOSYSTEM": "1",
    "HOME": "/nonexistent",
}


def _git(repo: Path, *args: str, stdin: bytes | None = None) -> bytes:
    done = subprocess.run(
        ["git", *args], cwd=repo, env=ENV, input=stdin, capture_output=True, check=False
    )
    assert done.returncode == 0, done.stderr.decode()
    return done.stdout


def _vaultlint(vault: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "vaultlint", "check", "--no-cache", *args, str(vault)],
        capture_output=True,
        check=False,
    )


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    vault = genvault(tmp_path_factory.mktemp("diff") / "vault", 120, seed=7)
    write_vault(vault, SPECIAL)
    _git(vault, "init", "-q")
    _git(vault, "add", "-A")
    _git(vault, "commit", "-q", "-m", "vault")
    return vault


def _files(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in root.rglob("*")
        if p.is_file() and ".git" not in p.relative_to(root).parts
    }


@pytest.mark.parametrize("unsafe", [False, True], ids=["safe", "unsafe"])
def test_git_apply_of_the_diff_writes_what_fix_writes(
    repo: Path, tmp_path: Path, unsafe: bool
) -> None:
    flags = ["--unsafe-fixes"] if unsafe else []
    applied, fixed = tmp_path / "applied", tmp_path / "fixed"
    shutil.copytree(repo, applied, symlinks=True)
    shutil.copytree(repo, fixed, symlinks=True)
    diff = _vaultlint(applied, "--diff", *flags)
    assert diff.returncode == 1, diff.stderr.decode()
    _git(applied, "apply", "--check", "-", stdin=diff.stdout)
    _git(applied, "apply", "-", stdin=diff.stdout)
    _vaultlint(fixed, "--fix", *flags)
    before, after, want = _files(repo), _files(applied), _files(fixed)
    assert after.keys() == want.keys() == before.keys()
    changed = [p for p in want if want[p] != before[p]]
    assert set(SPECIAL) - {"Anarchism.md"} <= set(changed)
    assert [p for p in want if after[p] != want[p]] == []
    # The headers are git's own, quoting included.
    ours = [line for line in diff.stdout.splitlines() if line.startswith(b"diff --git ")]
    theirs = [
        line for line in _git(applied, "diff").splitlines() if line.startswith(b"diff --git ")
    ]
    assert sorted(ours) == sorted(theirs)
    assert len(ours) == len(changed)


def test_gnu_patch_applies_the_diff_too(repo: Path, tmp_path: Path) -> None:
    if shutil.which("patch") is None:
        pytest.skip("GNU patch is not installed")
    applied, fixed = tmp_path / "applied", tmp_path / "fixed"
    shutil.copytree(repo, applied, symlinks=True)
    shutil.copytree(repo, fixed, symlinks=True)
    diff = _vaultlint(applied, "--diff").stdout
    subprocess.run(["patch", "-p1", "--quiet", "--binary"], cwd=applied, input=diff, check=True)
    _vaultlint(fixed, "--fix")
    assert _files(applied) == _files(fixed)


def test_names_are_quoted_as_git_quotes_them() -> None:
    assert git_quote("a/Reading list #2.md") == "a/Reading list #2.md"
    assert git_quote("a/Café.md") == '"a/Caf\\303\\251.md"'
    assert git_quote('a/say "hi"\\.md') == '"a/say \\"hi\\"\\\\.md"'
    assert git_quote("a/tab\there\n.md") == '"a/tab\\there\\n.md"'


def test_the_diff_has_git_headers_and_keeps_the_bom() -> None:
    diff = git_diff("My note.md", "x \n", "x\n", bom=True)
    assert diff == (
        "diff --git a/My note.md b/My note.md\n--- a/My note.md\t\n+++ b/My note.md\t\n"
        "@@ -1 +1 @@\n-\ufeffx \n+\ufeffx\n"
    )
    assert git_diff("a.md", "x\n", "x\n") == ""


def test_the_diff_breaks_lines_at_lf_only_as_git_does() -> None:
    # A CR-only note is one line to git: the diff replaces it whole.
    assert git_diff("a.md", "x \ry\r", "x\ry\r") == (
        "diff --git a/a.md b/a.md\n--- a/a.md\n+++ b/a.md\n@@ -1 +1 @@\n"
        "-x \ry\r\n\\ No newline at end of file\n+x\ry\r\n\\ No newline at end of file\n"
    )
