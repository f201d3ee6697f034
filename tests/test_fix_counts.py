"""The counts agree: "fixable with --fix" in the summary and ``--statistics``, what
``--diff`` would fix and what ``--fix`` fixed, with and without ``--unsafe-fixes``."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from helpers import genvault, write_vault
from vaultlint.cli import main
from vaultlint.fixer import drop_locked_fixes
from vaultlint.model import Edit, Finding, Fix, Severity
from vaultlint.parse import parse_note

# A heading with two fixable findings that one fix removes (the emoji and the
# emphasis), a finding that shows only after another's fix, and a link whose only
# fix is unsafe (a clear suggestion for a misspelt name).
EXTRA = {
    "Overlap.md": "### **📗 Overview** \n\nText.\u00a0More.  \n",
    "Typo.md": "# Typo\n\nSee [[Overlapp]] and [[Books indx]].\n",
    "Windows.md": "# Windows \r\n\r\nLine.\u00a0\r\n",
}

SUMMARY = re.compile(
    r"Found (\d+) problems? \((\d+) fixable with --fix\)\. "
    r"(\d+) more fixable with --fix --unsafe-fixes\. [\d,]+ notes? checked\."
)


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["check", "--no-cache", *argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def vault(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = genvault(tmp_path_factory.mktemp("counts") / "vault", 150, seed=11)
    return write_vault(root, EXTRA)


def _copy(vault: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(vault, tmp_path / "copy", symlinks=True))


def test_every_count_agrees(
    vault: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, out, _ = _run(capsys, str(vault))
    match = SUMMARY.fullmatch(out.splitlines()[-1])
    assert match is not None, out.splitlines()[-1]
    found, fixable, unsafe = (int(g) for g in match.groups())
    assert fixable > 1000 and unsafe >= 2

    _, out, _ = _run(capsys, str(vault), "--statistics")
    rows = [line.split() for line in out.splitlines()]
    assert sum(int(row[0]) for row in rows) == found
    marks = {row[3] if len(row) == 4 else row[2]: row[2] for row in rows}
    assert marks["broken-link"] == "[-]" and marks["heading-emphasis"] == "[*]"
    assert marks["empty-section"] not in ("[*]", "[-]")

    _, out, _ = _run(capsys, str(vault), "--statistics", "--output-format", "json")
    stats = json.loads(out)
    assert sum(s["fixable"] for s in stats) == fixable
    assert sum(s["unsafe_fixable"] for s in stats) == unsafe

    _, out, err = _run(capsys, str(vault), "--diff")
    assert err.splitlines()[-1] == (
        f"Would fix {fixable} problems. {unsafe} more fixable with --fix --unsafe-fixes."
    )
    _, out, _ = _run(capsys, str(vault), "--unsafe-fixes")
    assert f"({fixable + unsafe} fixable with --fix --unsafe-fixes)." in out.splitlines()[-1]
    _, _, err = _run(capsys, str(vault), "--diff", "--unsafe-fixes")
    assert err.splitlines()[-1] == f"Would fix {fixable + unsafe} problems."

    copy = _copy(vault, tmp_path)
    _, out, _ = _run(capsys, str(copy), "--fix")
    assert out.splitlines()[-1].startswith(
        f"Found {found} problems ({fixable} fixed, {found - fixable} remaining). "
        f"{unsafe} more fixable with --fix --unsafe-fixes."
    )
    _, out, _ = _run(capsys, str(copy), "--fix", "--unsafe-fixes")
    assert out.splitlines()[-1].startswith(
        f"Found {found - fixable} problems ({unsafe} fixed, {found - fixable - unsafe} remaining)."
    )
    _, out, _ = _run(capsys, str(copy))
    assert out.splitlines()[-1].startswith(f"Found {found - fixable - unsafe} problems.")


def test_safe_and_unsafe_fixes_together_fix_what_was_announced(
    vault: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, out, _ = _run(capsys, str(vault), "--unsafe-fixes")
    announced = re.search(r"\((\d+) fixable with --fix --unsafe-fixes\)", out)
    assert announced is not None
    copy = _copy(vault, tmp_path)
    _, out, _ = _run(capsys, str(copy), "--fix", "--unsafe-fixes")
    assert f"({announced.group(1)} fixed, " in out.splitlines()[-1]


def test_no_fix_is_offered_inside_a_frontmatter_block_that_does_not_parse() -> None:
    note = parse_note("B.md", '---\ntitle: "unclosed \n---\n# B \n')
    inside = Finding("B.md", 2, 1, 2, 2, "r", "X01", Severity.WARNING, "m")
    inside.fix = Fix((Edit(20, 21, ""),))  # the space after 'unclosed'
    outside = Finding("B.md", 4, 1, 4, 2, "r", "X01", Severity.WARNING, "m")
    outside.fix = Fix((Edit(29, 30, ""),))  # the space after '# B'
    drop_locked_fixes(note, [inside, outside])
    assert inside.fix is None and outside.fix is not None
