"""The real pre-commit hook sees a commit's renames and deletions (``check --staged``)."""

from __future__ import annotations

from pathlib import Path

from test_pre_commit import _git, _repo

FILES = {
    "Concepts/Flow.md": "# Flow\n\n## Deep work\n",
    "Gone.md": "# Gone\n",
    "Daily/Day.md": "See [[Concepts/Flow#Deep work|flow]] and [[Gone]].\n",
    "Index.md": "# Index\n\n[x](Concepts/Flow.md)\n",
}


def _committed(tmp_path: Path, config: str = "") -> tuple[Path, dict[str, str]]:
    files = dict(FILES)
    if config:
        files[".vaultlint.yaml"] = config
    vault, env = _repo(tmp_path, files)
    _git(vault, "add", "-A", env=env)
    first = _git(vault, "commit", "-q", "-m", "notes", env=env, check=False)
    assert first.returncode == 0, first.stdout + first.stderr
    return vault, env


def test_a_staged_rename_fails_on_the_backlinks_it_breaks(tmp_path: Path) -> None:
    vault, env = _committed(tmp_path)
    _git(vault, "mv", "Concepts/Flow.md", "Concepts/Flow state.md", env=env)
    commit = _git(vault, "commit", "-q", "-m", "rename", env=env, check=False)
    output = commit.stdout + commit.stderr
    assert commit.returncode != 0, output
    assert "Daily/Day.md:1:5" in output and "Index.md:3:1" in output and "LK01" in output
    assert "Daily/Day.md: 1 link to files renamed in this commit" in output
    assert (vault / "Daily/Day.md").read_text() == FILES["Daily/Day.md"]  # unsafe: not by --fix


def test_with_fix_renamed_links_the_hook_rewrites_them(tmp_path: Path) -> None:
    vault, env = _committed(tmp_path, "fix-renamed-links: true\n")
    _git(vault, "mv", "Concepts/Flow.md", "Concepts/Flow state.md", env=env)
    commit = _git(vault, "commit", "-q", "-m", "rename", env=env, check=False)
    output = commit.stdout + commit.stderr
    assert commit.returncode != 0 and "files were modified by this hook" in output, output
    # Like every hook it stages nothing: it names the notes it rewrote and how to add them.
    assert "rewrote 2 links to files renamed in this commit in 2 notes, not staged" in output
    assert "git add -- Daily/Day.md Index.md" in output
    assert "Daily/Day.md" not in _git(vault, "diff", "--cached", "--name-only", env=env).stdout
    day = (vault / "Daily/Day.md").read_text()
    assert day == "See [[Concepts/Flow state#Deep work|flow]] and [[Gone]].\n"
    assert (vault / "Index.md").read_text() == "# Index\n\n[x](Concepts/Flow%20state.md)\n"
    _git(vault, "add", "-A", env=env)
    again = _git(vault, "commit", "-q", "-m", "rename", env=env, check=False)
    assert again.returncode == 0, again.stdout + again.stderr
    assert (
        "R100\tConcepts/Flow.md\tConcepts/Flow state.md"
        in _git(vault, "show", "--name-status", "-M", "--format=", "HEAD", env=env).stdout
    )


def test_a_staged_deletion_names_the_deleted_note(tmp_path: Path) -> None:
    vault, env = _committed(tmp_path)
    _git(vault, "rm", "-q", "Gone.md", env=env)
    commit = _git(vault, "commit", "-q", "-m", "delete", env=env, check=False)
    output = commit.stdout + commit.stderr
    assert commit.returncode != 0, output
    # The finding itself names the deletion; no separate warning line.
    assert (
        "Daily/Day.md:1:42  error  LK01  broken link [[Gone]]: 'Gone.md' was deleted in "
        "this commit (staged)" in output
    )
    assert "warning" not in output


def test_a_staged_deletion_and_rename_in_one_note(tmp_path: Path) -> None:
    vault, env = _committed(tmp_path, "fix-renamed-links: true\n")
    _git(vault, "rm", "-q", "Gone.md", env=env)
    _git(vault, "mv", "Concepts/Flow.md", "Concepts/Flow state.md", env=env)
    commit = _git(vault, "commit", "-q", "-m", "both", env=env, check=False)
    output = commit.stdout + commit.stderr
    assert commit.returncode != 0, output
    day = (vault / "Daily/Day.md").read_text()
    assert day == "See [[Concepts/Flow state#Deep work|flow]] and [[Gone]].\n"
    # The rewrite moved the link to Gone.md along its line: the message still names it.
    assert "Daily/Day.md:1:48  error  LK01  broken link [[Gone]]: 'Gone.md' was deleted" in output


def test_a_commit_touching_no_link_passes(tmp_path: Path) -> None:
    vault, env = _committed(tmp_path)
    (vault / "Other.md").write_text("# Other\n")
    _git(vault, "add", "-A", env=env)
    _git(vault, "rm", "-q", "Index.md", env=env)  # nothing links to it
    commit = _git(vault, "commit", "-q", "-m", "more", env=env, check=False)
    assert commit.returncode == 0, commit.stdout + commit.stderr
