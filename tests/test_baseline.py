"""The baseline: findings recorded once are not reported again; new ones are."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from helpers import write_vault
from test_pre_commit import _git, _repo
from vaultlint.baseline import BASELINE_FILE
from vaultlint.cli import main

BOOK = "# Dune\n\nSee [[Nowhere]].\n\nSpaces here.   \n"
OTHER = "# Other\n\nSee [[Nowhere]] and [[Nowhere]].\n"


@pytest.fixture
def vault(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = write_vault(tmp_path / "vault", {"Notes/Dune.md": BOOK, "Other.md": OTHER})
    monkeypatch.chdir(root)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    return root


def _check(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str], str]:
    code = main(["check", "--no-cache", "--output-format", "concise", *args])
    out = capsys.readouterr().out.splitlines()
    return code, out[:-1], out[-1] if out else ""


def test_written_baseline_silences_todays_findings_and_says_how_many(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, found, _ = _check(capsys)
    assert code == 1 and len(found) == 4
    code, found, summary = _check(capsys, "--baseline-write")
    assert code == 0 and found == []
    assert summary == "All checks passed! 4 more in the baseline. 2 notes checked."
    data = json.loads((vault / BASELINE_FILE).read_text(encoding="utf-8"))
    assert data["version"] == 1
    assert sorted(data["notes"]["Notes/Dune.md"]) == ["broken-link", "trailing-whitespace"]
    assert list(data["notes"]["Other.md"]["broken-link"].values()) == [2]  # one line, twice
    code, found, summary = _check(capsys)
    assert (code, found) == (0, [])
    assert summary == "All checks passed! 4 more in the baseline. 2 notes checked."


def test_edits_elsewhere_keep_findings_baselined_and_new_ones_fail(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _check(capsys, "--baseline-write")
    book = vault / "Notes" / "Dune.md"
    book.write_text("# Dune\n\nA new paragraph.\n\n" + BOOK.split("\n", 1)[1], encoding="utf-8")
    code, found, _ = _check(capsys)
    assert (code, found) == (0, [])
    # A third copy of a line the baseline has twice is one new finding.
    (vault / "Other.md").write_text(OTHER + "See [[Nowhere]] and [[Nowhere]].\n", encoding="utf-8")
    book.write_text(BOOK + "And [[Elsewhere]].\n", encoding="utf-8")
    code, found, summary = _check(capsys)
    assert code == 1
    where = [line.split(": ")[0] for line in found]
    assert where == ["Notes/Dune.md:6:5", "Other.md:4:5", "Other.md:4:21"]
    assert "Elsewhere" in found[0]
    assert summary.startswith("Found 3 problems.") and "4 more in the baseline." in summary


def test_no_baseline_and_report_see_everything(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _check(capsys, "--baseline-write")
    code, found, summary = _check(capsys, "--no-baseline")
    assert code == 1 and len(found) == 4 and "baseline" not in summary
    assert main(["report", "--no-cache", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["rules"] == {"LK01": 3, "TX03": 1}
    assert main(["check", "--no-cache", "--output-format", "json", "--no-baseline"]) == 1
    assert len(json.loads(capsys.readouterr().out)) == 4
    assert main(["check", "--no-cache", "--output-format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_findings_gone_are_counted_and_dropped_only_on_prune(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _check(capsys, "--baseline-write")
    baseline = vault / BASELINE_FILE
    recorded = baseline.read_bytes()
    (vault / "Nowhere.md").write_text("# Nowhere\n", encoding="utf-8")
    code, found, summary = _check(capsys, "--fix")
    assert (code, found) == (0, [])
    assert "4 findings of the baseline no longer occur (--baseline-prune drops them)" in summary
    assert baseline.read_bytes() == recorded  # a check (or --fix) never rewrites it
    code, found, summary = _check(capsys, "--baseline-prune")
    assert (code, found) == (0, [])
    assert summary == "All checks passed! 3 notes checked."  # the fix removed the last one
    assert json.loads(baseline.read_text(encoding="utf-8"))["notes"] == {}
    (vault / "Nowhere.md").unlink()
    code, found, _ = _check(capsys)
    assert code == 1 and len(found) == 3  # pruned: the broken links are new again


def test_writing_for_some_notes_or_rules_keeps_the_rest(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _check(capsys, "--baseline-write")
    before = json.loads((vault / BASELINE_FILE).read_text(encoding="utf-8"))["notes"]
    (vault / "Notes" / "Dune.md").write_text("# Dune\n\nSpaces here.   \n", encoding="utf-8")
    _check(capsys, "--baseline-write", "--select", "broken-link", "Notes")
    after = json.loads((vault / BASELINE_FILE).read_text(encoding="utf-8"))["notes"]
    assert after["Other.md"] == before["Other.md"]  # not checked: kept
    assert after["Notes/Dune.md"] == {
        "trailing-whitespace": before["Notes/Dune.md"]["trailing-whitespace"]
    }
    (vault / "Other.md").unlink()
    _check(capsys, "--baseline-write")
    assert "Other.md" not in json.loads((vault / BASELINE_FILE).read_text("utf-8"))["notes"]


@pytest.mark.parametrize(
    "content",
    ["{", '{"version": 2, "notes": {}}', '{"version": 1, "notes": {"a.md": {"r": {"x": 0}}}}'],
)
def test_a_damaged_baseline_is_a_one_line_error(
    vault: Path, capsys: pytest.CaptureFixture[str], content: str
) -> None:
    (vault / BASELINE_FILE).write_text(content, encoding="utf-8")
    assert main(["check", "--no-cache"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"vaultlint: error: {BASELINE_FILE}: ") and err.count("\n") == 1
    assert main(["check", "--no-cache", "--no-baseline", "-q"]) == 1


def test_diff_does_not_write_a_baseline(vault: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--diff", "--baseline-write"]) == 2
    assert "--diff writes nothing" in capsys.readouterr().err
    assert not (vault / BASELINE_FILE).exists()


def test_baseline_with_the_cache_and_workers_matches_a_plain_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Cold with worker processes, then warm from the cache: the same new findings."""
    files = {f"N/{n:04}.md": f"# N{n}\n\nSee [[Gone {n % 7}]].  \n" for n in range(900)}
    root = write_vault(tmp_path / "big", files)
    monkeypatch.chdir(root)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    assert main(["check", "-j", "2", "--baseline-write", "-q"]) == 0
    for n in range(0, 900, 100):
        note = root / f"N/{n:04}.md"
        note.write_text(f"# N{n}\n\n[[New]]\n\nSee [[Gone {n % 7}]].  \n")
    capsys.readouterr()
    for _ in range(2):  # cold (workers), then warm (the cache)
        assert main(["check", "-j", "2", "--output-format", "concise"]) == 1
        out = capsys.readouterr().out.splitlines()
        assert len(out) == 10 and all("[[New]]" in line for line in out[:-1])
        assert "1,800 more in the baseline." in out[-1]


def test_matching_grows_linearly(tmp_path: Path) -> None:
    """Many findings on one line of one note: no quadratic matching."""
    from vaultlint.baseline import apply, recorded
    from vaultlint.cache import NoteResult, count
    from vaultlint.model import Finding, Severity
    from vaultlint.pipeline import CheckRun

    def timed(n: int) -> float:
        (tmp_path / "a.md").write_text("x\n" * n, encoding="utf-8")
        findings = [
            Finding("a.md", i % n + 1, 1, 1, 2, "r", "XX01", Severity.ERROR, "m")
            for i in range(4 * n)
        ]
        results = [NoteResult("a.md", None, count(findings), live=findings)]
        entries = recorded(results, tmp_path)
        run = CheckRun(results=results, root=tmp_path)
        started = time.perf_counter()
        apply(entries, run, None)
        assert run.results[0].counts[0] == 0
        return time.perf_counter() - started

    timed(100)
    assert timed(80_000) / max(timed(20_000), 1e-4) < 8


def test_pre_commit_passes_on_an_old_finding_and_fails_on_a_new_one(tmp_path: Path) -> None:
    vault, env = _repo(tmp_path, {"Notes/Dune.md": BOOK.replace("   \n", "\n")})
    assert main(["check", str(vault), "--no-cache", "--baseline-write", "-q"]) == 0
    _git(vault, "add", "-A", env=env)
    first = _git(vault, "commit", "-q", "-m", "adopt vaultlint", env=env, check=False)
    assert first.returncode == 0, first.stdout + first.stderr
    book = vault / "Notes" / "Dune.md"
    book.write_text(book.read_text() + "\nMore notes on the desert.\n")
    _git(vault, "add", "-A", env=env)
    second = _git(vault, "commit", "-q", "-m", "more Dune", env=env, check=False)
    assert second.returncode == 0, second.stdout + second.stderr
    assert "1 more in the baseline" in second.stdout + second.stderr
    book.write_text(book.read_text() + "\nAnd [[Arrakis]].\n")
    _git(vault, "add", "-A", env=env)
    third = _git(vault, "commit", "-q", "-m", "Arrakis", env=env, check=False)
    assert third.returncode != 0 and "Arrakis" in third.stdout + third.stderr
    assert "Nowhere" not in third.stdout + third.stderr
    assert _git(vault, "status", "--porcelain", env=env).stdout.strip() == "M  Notes/Dune.md"
