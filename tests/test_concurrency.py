"""Concurrent writers (issue #8): two ``vaultlint --fix`` runs on one vault, and
a user saving notes while vaultlint fixes them. Real processes, real files.

What the write path guarantees (``vaultlint.fixer.write_note``): a note is
replaced atomically (temporary file in the same folder, then ``os.replace``),
and only if it still holds the bytes vaultlint read; ``fix_note`` computes the
fixed point in memory, so the only bytes vaultlint ever writes are the fully
fixed text of what it read.

* Two fixers: each note is read whole (the replace is atomic) as either its
  original O or its fixed text F(O). A run that read O writes F(O) unless the
  note no longer holds O, which means the other run wrote F(O). A run that
  read F(O) has nothing to do (``--fix`` is idempotent). So every note ends
  exactly at F(O): strictly, not merely "original or fixed".
* A user saving U over O while vaultlint runs (in place, truncate then write,
  as editors built on Node's ``fs.writeFile`` do): vaultlint read O, U or
  an empty file (caught mid-save).
  It writes F(O) only if the note still holds O when it re-checks, F(U) only
  if it read U, and nothing for an empty file (nothing to fix). A save that
  lands before the re-check is kept (vaultlint skips the note); a save after
  the rename goes into vaultlint's new file and is the user's own; a save
  opened between the re-check and the rename goes into the file being
  replaced, which vaultlint holds under a hidden hard link, checks again
  after the rename and puts back. So a saved note ends as U or F(U), never
  F(O), a mix or a truncation. (Before the hard link, about 3 in 100 saves
  timed as below were lost in that window.)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from helpers import memory_index, write_vault
from vaultlint.config import Config, default_settings
from vaultlint.engine import Engine
from vaultlint.fixer import encode, fix_note
from vaultlint.vault import decode

BOM = b"\xef\xbb\xbf"
ROUNDS = 3

TEMPLATES = [
    "# Title {i} \nA line with trailing spaces   \nAnother\t\n",
    "## **📘**\n## **Overview {i}**\nText\u00a0\n",
    "ā€œQuoteā€ {i}: itâ€™s šŸ“˜ \n",
    "#### **1.**\n#### **Mind as Flow {i}**\nzero\u200bwidth and em\u2003space\n",
    "> [!note]\n> ### **šŸ“˜**Ā\u00a0\n> ### Overview {i}\n> text \n",
]
CLEAN = "# Clean {i}\n\nNothing to fix here, just [[Note 0]].\n"


def _note(i: int) -> bytes:
    """Note ``i``: clean or with fixable problems; some CRLF, some with a BOM, some long."""
    text = (CLEAN if i % 4 == 3 else TEMPLATES[i % len(TEMPLATES)]).format(i=i)
    if i % 3 == 0:
        text += "".join(f"Body line {j} with a trailing space \n" for j in range(40 * (i % 5)))
    if i % 5 == 1:
        text = text.replace("\n", "\r\n")
    data = text.encode("utf-8")
    return BOM + data if i % 7 == 2 else data


def _vault(root: Path, count: int = 200) -> dict[str, bytes]:
    files = {f"Folder {i % 4}/Note {i}.md": _note(i) for i in range(count)}
    write_vault(root, files)
    return files


def _fixed(files: dict[str, bytes]) -> dict[str, bytes]:
    """Every note's bytes after ``--fix``, computed in memory."""
    sources = {path: decode(path, data) for path, data in files.items()}
    index = memory_index({path: s.text or "" for path, s in sources.items()})
    engine = Engine(Config(root=index.root, rules=default_settings()), index)
    fixed = {}
    for path, source in sources.items():
        note = index.note(path)
        assert note is not None
        note.bom = source.bom
        fixed[path] = encode(fix_note(note, engine.check).note.text, source.bom)
    return fixed


def _run(vault: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "vaultlint", "check", "--fix", "--quiet", str(vault)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=vault.parent,
    )


def _finish(proc: subprocess.Popen[str]) -> str:
    _, err = proc.communicate(timeout=300)
    assert proc.returncode in (0, 1), err
    assert "Traceback" not in err and "internal error" not in err, err
    for line in err.splitlines():  # the only warning: a note changed under it
        assert "the file changed while vaultlint ran" in line, line
    return err


def _files_on_disk(vault: Path) -> dict[str, bytes]:
    return {
        p.relative_to(vault).as_posix(): p.read_bytes()
        for p in vault.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(vault).parts)
    }


def _no_temporary_files(vault: Path) -> None:
    """No temporary file of a note's write (``.NAME.md.*.vaultlint-tmp``) or of
    the cache's (``.vaultlint_cache/.tmp-*``) is left behind."""
    leftovers = [
        str(p.relative_to(vault))
        for p in vault.rglob("*")
        if p.name.endswith(".vaultlint-tmp")
        or (p.name.startswith(".") and ".md." in p.name)
        or p.name.startswith(".tmp-")
    ]
    assert leftovers == []


def _settled_by_one_more_run(vault: Path) -> None:
    """A later ``--fix`` run (with the cache the racing runs left) brings every
    note to the in-memory fix of what is on disk, and then has nothing to report."""
    on_disk = _files_on_disk(vault)
    _finish(_run(vault))
    assert _files_on_disk(vault) == _fixed(on_disk)
    check = subprocess.run(
        [sys.executable, "-m", "vaultlint", "check", "--quiet", str(vault)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert check.returncode == 0, check.stdout + check.stderr


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_two_fix_runs_at_once_leave_every_note_fixed(tmp_path: Path, round_: int) -> None:
    vault = tmp_path / "vault"
    original = _vault(vault)
    expected = _fixed(original)
    assert sum(expected[p] != original[p] for p in original) > 100  # mostly fixable

    first, second = _run(vault), _run(vault)
    errors = [_finish(first), _finish(second)]

    after = _files_on_disk(vault)
    assert after.keys() == original.keys()
    wrong = [p for p in original if after[p] != expected[p]]
    assert wrong == [], (wrong[:5], errors)
    _no_temporary_files(vault)
    _settled_by_one_more_run(vault)


# A user saving notes in place while vaultlint fixes the vault: truncate, then
# write, like Node's fs.writeFile. vaultlint works through the notes in sorted
# order; the user saves each note as soon as vaultlint has written a note just
# before it, after a delay, so that the saves land around vaultlint's read,
# re-check and replace of that very note. Prints each note saved and the inode
# it went into.
USER = textwrap.dedent(
    """
    import json, os, sys, time
    root, plan = sys.argv[1], json.loads(sys.stdin.read())
    deadline = time.monotonic() + 60
    saved = []
    for path, content, after, before in plan["saves"]:
        before = before.encode("latin-1")
        while time.monotonic() < deadline:
            with open(os.path.join(root, after), "rb") as handle:
                if handle.read() != before:
                    break  # vaultlint has written the note before this one
        end = time.perf_counter() + plan["delay"]
        while time.perf_counter() < end:
            pass
        with open(os.path.join(root, path), "wb") as handle:
            handle.write(content.encode("latin-1"))
            handle.flush()
            saved.append([path, os.fstat(handle.fileno()).st_ino])
    print(json.dumps(saved))
    """
)


def _user_version(path: str, data: bytes) -> bytes:
    """What the user saves: new text, with problems of its own to fix."""
    return data + f"Edited by the user: {path} \u00a0\n".encode()


@pytest.mark.parametrize("delay", [0.0, 0.0002, 0.0008], ids=["at-once", "shortly", "later"])
def test_a_user_saving_while_vaultlint_fixes_never_loses_a_save(
    tmp_path: Path, delay: float
) -> None:
    vault = tmp_path / "vault"
    original = _vault(vault)
    expected = _fixed(original)
    paths = sorted(original)
    saves: dict[str, bytes] = {}
    waits: dict[str, str] = {}
    after = None  # the last note vaultlint will write that the user leaves alone
    for n, path in enumerate(paths):
        if n % 2 and after is not None:
            saves[path] = _user_version(path, original[path])
            waits[path] = after
        elif expected[path] != original[path]:
            after = path
    expected_user = _fixed({**original, **saves})
    assert all(expected_user[p] != saves[p] for p in saves)  # F(U) and U tell apart

    plan = {
        "delay": delay,
        "saves": [
            [p, d.decode("latin-1"), waits[p], original[waits[p]].decode("latin-1")]
            for p, d in saves.items()
        ],
    }
    fixer = _run(vault)
    user = subprocess.run(
        [sys.executable, "-c", USER, str(vault)],
        input=json.dumps(plan),
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    _finish(fixer)
    written_to = dict(json.loads(user.stdout))

    final = _files_on_disk(vault)
    assert final.keys() == original.keys()
    for path, data in final.items():
        if path not in saves:
            assert data == expected[path], path
            continue
        # The user's save or the fix of it: never the fix of the original over
        # it, no mix, no truncation, no older state.
        same_file = os.stat(vault / path).st_ino == written_to[path]
        assert data in (saves[path], expected_user[path]), (path, data, same_file)
    _no_temporary_files(vault)
    _settled_by_one_more_run(vault)
