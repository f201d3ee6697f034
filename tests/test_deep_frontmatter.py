"""Frontmatter nested deeper than the YAML loaders and the walks of its data can take: the
note is one FM01 finding, the rest of the vault is checked, fixed and reported."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import write_vault
from vaultlint.plainyaml import MAX_DEPTH, load_plain

DEPTHS = [330, 5_000, 50_000]
OTHER = "---\ntags: [ecology]\n---\n# Dunes \n\nSand seas move. See [[Frank Herbert]].\n"


def deep_note(depth: int, flow: bool) -> str:
    flow_shelves = "[" * depth + "fiction" + "]" * depth
    shelves = flow_shelves if flow else "\n" + "- " * depth + "fiction"
    return f"---\ntitle: Reading list\nshelves: {shelves}\n---\n# Reading list\n\nTo read.\n"


def deep_vault(tmp_path: Path, depth: int, flow: bool) -> Path:
    return write_vault(
        tmp_path / "vault",
        {"Reading list.md": deep_note(depth, flow), "Ideas/Dunes.md": OTHER},
    )


def run(vault: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "vaultlint", *argv, "--no-cache", str(vault)]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


@pytest.mark.parametrize("flow", [True, False], ids=["flow", "block"])
@pytest.mark.parametrize("depth", DEPTHS)
def test_check_reports_the_deep_note_and_checks_the_rest(
    tmp_path: Path, depth: int, flow: bool
) -> None:
    proc = run(deep_vault(tmp_path, depth, flow), "check", "--output-format", "concise")
    assert proc.returncode == 1, proc.stderr
    assert proc.stderr == ""
    lines = proc.stdout.splitlines()
    assert lines[0].startswith("Ideas/Dunes.md:4:")
    assert lines[1].startswith("Ideas/Dunes.md:6:")  # the broken link
    assert lines[2].startswith(f"Reading list.md:{3 if flow else 4}:")
    assert f"FM01 invalid frontmatter: nests deeper than {MAX_DEPTH} levels [" in lines[2]
    assert lines[-1].endswith("2 notes checked.")


@pytest.mark.parametrize("depth", DEPTHS)
def test_fix_fixes_the_rest(tmp_path: Path, depth: int) -> None:
    vault = deep_vault(tmp_path, depth, flow=True)
    proc = run(vault, "check", "--fix")
    assert proc.returncode == 1, proc.stderr
    assert "FM01" in proc.stdout and "1 fixed" in proc.stdout
    assert (vault / "Ideas/Dunes.md").read_text().startswith("---\ntags: [ecology]\n---\n# Dunes\n")
    assert (vault / "Reading list.md").read_text() == deep_note(depth, flow=True)


@pytest.mark.parametrize("depth", DEPTHS)
def test_report_counts_the_deep_note(tmp_path: Path, depth: int) -> None:
    proc = run(deep_vault(tmp_path, depth, flow=True), "report", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report["rules"]["FM01"] == 1
    assert report["links"]["broken"] == 1  # [[Frank Herbert]] in Dunes


def test_aliases_nesting_deeper_than_the_text_are_refused() -> None:
    chain = "".join(f"v{n}: &v{n} [*v{n - 1}]\n" for n in range(1, 400))
    with pytest.raises(Exception, match=f"nests deeper than {MAX_DEPTH} levels"):
        load_plain("v0: &v0 [draft]\n" + chain)


def test_nesting_up_to_the_limit_loads() -> None:
    depth = MAX_DEPTH - 1  # lists in the top mapping: MAX_DEPTH levels
    data = load_plain("shelves: " + "[" * depth + "fiction" + "]" * depth)
    for _ in range(depth + 1):  # the mapping, then the lists
        data = data["shelves"] if isinstance(data, dict) else data[0]
    assert data == "fiction"
