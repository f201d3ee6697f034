"""No run reads more of a note than ``max-bytes``: ``report --history`` asks the
blobs' sizes first (for the whole history at once) and reads those within the
limit one at a time; the warm cache hashes a changed note only when it is within
the limit. A large note once committed, or grown since the last run, costs its
size in no run."""

from __future__ import annotations

import subprocess
import tracemalloc
from pathlib import Path
from typing import Any
from unittest import mock

import pytest

from helpers import write_vault
from test_report import FULL, HALF, commit, git, report_json
from vaultlint.cli import main

BIG = 6_000_000  # bytes of the note committed once, then removed
LIMIT = "rules:\n  file-too-large: {max-bytes: %d}\n"


def big_note() -> str:
    """A complete book note made large by a long reading log (a pasted export)."""
    line = "- 2024-03-01 read pp. 120-134, ច្បាប់ ภาษาไทย کتاب 读书 読書\n"
    return FULL + "\n## Reading log\n" + line * (BIG // len(line.encode()) + 1)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A vault whose first commit held a 6 MB book note, deleted since."""
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    commit(
        repo,
        {
            "vault/.vaultlint.yaml": LIMIT % 100_000,
            "vault/Books/A.md": FULL,
            "vault/Books/B.md": HALF,
            "vault/Books/Log.md": big_note(),
        },
        "first, with the log",
    )
    git(repo, "rm", "-q", "vault/Books/Log.md")
    git(repo, "commit", "-q", "-m", "the log removed")
    commit(repo, {"vault/Books/B.md": FULL.replace("Ann", "Bo")}, "B is done")
    return repo


def book_counts(data: dict[str, Any]) -> list[tuple[int, int]]:
    return [(h["types"]["book"]["notes"], h["types"]["book"]["complete"]) for h in data["history"]]


def test_a_large_committed_note_is_never_read(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tracemalloc.start()
    try:
        data = report_json(capsys, str(repo / "vault"), "--history", "5")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    # The note over the limit is not counted, as in the working tree; the others are.
    assert book_counts(data) == [(2, 1), (2, 1), (2, 2)]
    assert peak < BIG // 2, f"{peak:,} bytes at the peak"


def test_within_the_limit_the_same_note_is_counted(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / "vault" / ".vaultlint.yaml").write_text(LIMIT % (10 * BIG), encoding="utf-8")
    data = report_json(capsys, str(repo / "vault"), "--history", "5")
    assert book_counts(data) == [(3, 2), (2, 1), (2, 2)]


def test_one_size_query_and_one_read_for_the_whole_history(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    calls: list[list[str]] = []
    popen = subprocess.Popen  # subprocess.run starts its process with it too

    def spy(args: list[str], *a: Any, **kw: Any) -> Any:
        calls.append(list(args))
        return popen(args, *a, **kw)

    with mock.patch("subprocess.Popen", spy):
        report_json(capsys, str(repo / "vault"), "--history", "5")
    cat_files = [c[c.index("cat-file") + 1] for c in calls if "cat-file" in c]
    assert sorted(cat_files) == ["--batch", "--batch-check"]


def test_a_history_of_only_large_notes_runs_no_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    commit(repo, {"vault/.vaultlint.yaml": LIMIT % 1000, "vault/Log.md": big_note()}, "log")
    git(repo, "rm", "-q", "vault/Log.md")
    git(repo, "commit", "-q", "-m", "gone")
    popen = subprocess.Popen

    def no_read(args: list[str], *a: Any, **kw: Any) -> Any:
        assert "--batch" not in args, "a blob was read"
        return popen(args, *a, **kw)

    with mock.patch("subprocess.Popen", no_read):
        data = report_json(capsys, str(repo / "vault"), "--history", "5")
    assert [h["subject"] for h in data["history"]] == ["log", "gone"]


def test_the_warm_cache_never_hashes_a_note_over_the_limit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The index links to the log, so its cache entry depends on the log's hash: the
    log grown past the limit since the last run is neither read nor hashed whole."""
    vault = write_vault(
        tmp_path / "vault",
        {
            ".vaultlint.yaml": LIMIT % 100_000,
            "Books index.md": "# Books\n- [[Log#Reading log]]\n- [[A]]\n",
            "A.md": FULL,
            "Log.md": FULL + "\n## Reading log\n- started\n",
        },
    )
    assert main(["check", str(vault)]) == 1  # the cache filled
    (vault / "Log.md").write_text(big_note(), encoding="utf-8")
    capsys.readouterr()
    tracemalloc.start()
    try:
        code = main(["check", str(vault), "--output-format", "json"])
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    out = capsys.readouterr().out
    assert code == 1 and '"file-too-large"' in out and '"Log.md"' in out
    assert peak < BIG // 2, f"{peak:,} bytes at the peak"
