"""Hostile file systems and streams: a FIFO put where a note was, a folder that cannot be
listed, notes whose names differ only by case, output to a device, a full disk, closed
standard streams, and a glob that cannot be compiled."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import write_vault
from vaultlint.cli import main
from vaultlint.vault import read_source
from vaultlint.workspace import open_vault

BOOK = """---
title: Dune
---
# Dune

Author:: Frank Herbert
See [[Arrakis]] and [[Desert/Fremen]] and [[Nowhere at all]].
"""


def _vault(tmp_path: Path) -> Path:
    return write_vault(
        tmp_path / "vault",
        {
            "Notes/Dune.md": BOOK,
            "Desert/Fremen.md": "# Fremen\n\nأهل الصحراء\n",
            "Arrakis.md": "# Arrakis\n\nدعا\n",
        },
    )


def test_a_fifo_put_where_a_note_was_is_reported_not_waited_for(tmp_path: Path) -> None:
    root = _vault(tmp_path)
    workspace = open_vault(root)
    _ = workspace.index  # scanned while Arrakis.md was a file
    (root / "Arrakis.md").unlink()
    os.mkfifo(root / "Arrakis.md")  # no writer: a blocking open would wait forever
    source = read_source(root, "Arrakis.md")
    assert source.rule == "file-unreadable"
    assert source.problem == "cannot be read: not a regular file"
    found = workspace.check([root / "Arrakis.md"])
    assert [(f.path, f.rule) for f in found] == [("Arrakis.md", "file-unreadable")]


def _unlistable(monkeypatch: pytest.MonkeyPatch, folder: str) -> None:
    """Make ``folder`` unlistable as a permission would (the tests may run as root,
    whom no permission stops)."""
    real = os.scandir

    def scandir(path: str) -> object:
        if str(path).endswith(os.sep + folder):
            raise PermissionError(13, "Permission denied")
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)


def test_a_folder_that_cannot_be_listed_is_an_error_and_silences_broken_links(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _vault(tmp_path)
    assert main(["check", str(root), "--no-cache", "--output-format", "json", "-q"]) == 1
    before = {
        f["message"].split(":")[0]
        for f in json.loads(capsys.readouterr().out)
        if f["severity"] == "error"
    }
    assert before == {"broken link [[Nowhere at all]]"}

    _unlistable(monkeypatch, "Desert")
    assert main(["check", str(root), "--no-cache", "--output-format", "json", "-q"]) == 1
    found = [f for f in json.loads(capsys.readouterr().out) if f["severity"] == "error"]
    # The folder is the finding; no link is called broken, since any may point into it.
    assert [(f["path"], f["rule"], f["severity"]) for f in found] == [
        ("Desert", "file-unreadable", "error")
    ]
    assert found[0]["message"].startswith("folder cannot be listed: Permission denied;")
    # Never "All checks passed!" when a folder was left out.
    assert main(["check", str(root), "--no-cache"]) == 1
    out = capsys.readouterr().out
    assert "All checks passed" not in out
    # The folder is counted as what it is, not as a note.
    notes = sum(1 for p in root.rglob("*.md") if "Desert" not in p.parts)
    assert out.splitlines()[-1].endswith(f" {notes} notes and 1 unlistable folder checked."), out


def test_an_exact_match_wins_over_a_name_that_differs_only_by_case(tmp_path: Path) -> None:
    root = tmp_path / "vault"
    root.mkdir()
    (root / "Note.md").write_text("# A\n", encoding="utf-8")
    (root / "note.md").write_text("# B\n", encoding="utf-8")
    if len(os.listdir(root)) != 2:
        pytest.skip("the file system folds case")
    (root / ".obsidian").mkdir()
    (root / "Links.md").write_text(
        "[[note#B]] [[Note#A]] [[./note.md#B]] [Md](note.md#B)\n", encoding="utf-8"
    )
    found = open_vault(root).check([root / "Links.md"])
    assert [f.rule for f in found] == []
    (root / "Links.md").write_text("[[note#A]] [[Note#B]]\n", encoding="utf-8")
    found = open_vault(root).check([root / "Links.md"])
    assert [f.rule for f in found] == ["broken-heading-link", "broken-heading-link"]


def test_output_to_a_device_is_written_in_place_never_replaced(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _vault(tmp_path)
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE)
    code = main(["check", str(root), "--no-cache", "--output-format", "json", "-o", str(fifo)])
    out, _ = reader.communicate(timeout=30)
    assert code == 1
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)  # still the pipe, not a plain file
    assert [f["rule"] for f in json.loads(out)] == ["broken-link"]


def test_output_through_a_symlink_keeps_the_link(tmp_path: Path) -> None:
    root = _vault(tmp_path)
    target = tmp_path / "report.json"
    target.write_text("old", encoding="utf-8")
    link = tmp_path / "latest.json"
    link.symlink_to(target)
    main(["check", str(root), "--no-cache", "--output-format", "json", "-q", "-o", str(link)])
    assert link.is_symlink()
    assert json.loads(target.read_text(encoding="utf-8"))[0]["rule"] == "broken-link"


def _run(args: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "vaultlint", *args],
        stderr=subprocess.PIPE,
        text=True,
        timeout=120,
        **kwargs,  # type: ignore[call-overload]
    )


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full")
@pytest.mark.parametrize(
    "args",
    [
        ["check", "--no-cache"],
        ["check", "--no-cache", "--output-format", "json"],
        ["report", "--no-cache"],
        ["rule", "--all"],
    ],
)
def test_a_full_disk_is_one_line_and_exit_2(tmp_path: Path, args: list[str]) -> None:
    root = _vault(tmp_path)
    paths = [str(root)] if args[0] != "rule" else []
    with open("/dev/full", "w") as full:
        done = _run([*args, *paths], stdout=full)
    assert done.returncode == 2
    assert done.stderr == "vaultlint: error: cannot write the output: No space left on device\n"
    done = _run(["check", "--no-cache", str(root), "-o", "/dev/full"], stdout=subprocess.PIPE)
    assert done.returncode == 2
    assert done.stderr == "vaultlint: error: /dev/full: cannot write: No space left on device\n"
    assert stat.S_ISCHR(os.lstat("/dev/full").st_mode)


@pytest.mark.parametrize("command", [["check", "--no-cache"], ["report"], ["rule", "--all"]])
def test_closed_standard_streams_are_no_traceback(tmp_path: Path, command: list[str]) -> None:
    root = _vault(tmp_path)
    paths = [str(root)] if command[0] != "rule" else []
    code = (
        "import os, subprocess, sys\n"
        "os.close(1)\n"  # as `vaultlint ... >&-` leaves it
        f"sys.exit(subprocess.call([sys.executable, '-m', 'vaultlint', *{command + paths!r}],"
        " stdout=None, close_fds=False))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=False, stderr=subprocess.PIPE, timeout=120
    )
    assert b"Traceback" not in done.stderr
    assert done.stderr == b""
    assert done.returncode == (1 if command[0] == "check" else 0)
    # Nothing a closed descriptor could have taken was written into the vault.
    assert (root / "Notes/Dune.md").read_text(encoding="utf-8") == BOOK


def test_a_fix_with_stdout_closed_writes_only_the_note(tmp_path: Path) -> None:
    root = _vault(tmp_path)
    (root / "Arrakis.md").write_text("# Arrakis   \n\nدعا\n", encoding="utf-8")
    code = (
        "import os, subprocess, sys\n"
        "os.close(1)\n"
        "sys.exit(subprocess.call([sys.executable, '-m', 'vaultlint', '--fix', '--no-cache', "
        f"{str(root)!r}]))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], stderr=subprocess.PIPE, timeout=120)
    assert b"Traceback" not in done.stderr
    assert (root / "Arrakis.md").read_text(encoding="utf-8") == "# Arrakis\n\nدعا\n"
    assert (root / "Notes/Dune.md").read_text(encoding="utf-8") == BOOK


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ('exclude: ["**/[z-a]"]\n', "exclude: invalid glob '**/[z-a]': bad character range"),
        (
            'overrides:\n  - paths: ["Books/[9-0]*.md"]\n    rules: {}\n',
            "overrides[0]: paths: invalid glob 'Books/[9-0]*.md'",
        ),
    ],
)
def test_an_invalid_glob_is_a_configuration_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], config: str, message: str
) -> None:
    root = _vault(tmp_path)
    (root / ".vaultlint.yaml").write_text(config, encoding="utf-8")
    assert main(["check", str(root), "--no-cache"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("vaultlint: error: ")
    assert message in err
    assert "internal error" not in err
