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
    assert "Daily/Day.md:1:42" in output and "LK01" in output
    assert "Daily/Day.md:1: [[Gone]]: Gone.md is deleted in this commit" in output


def test_a_commit_touching_no_link_passes(tmp_path: Path) -> None:
    vault, env = _committed(tmp_path)
    (vault / "Other.md").write_text("# Other\n")
    _git(vault, "add", "-A", env=env)
    _git(vault, "rm", "-q", "Index.md", env=env)  # nothing links to it
    commit = _git(vault, "commit", "-q", "-m", "more", env=env, check=False)
    assert commit.returncode == 0, commit.stdout + commit.stderr
