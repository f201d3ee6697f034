"""A hostile vault: every file one hazard. vaultlint finishes, never crashes, loses nothing."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from helpers import write_vault
from vaultlint.cli import main

HAZARDS: dict[str, str | bytes] = {
    "latin1.md": "Caf\xe9 cr\xe8me \n".encode("latin-1"),
    "utf16.md": "# Hello \n".encode("utf-16"),
    "binary.md": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    "nul.md": b"text\x00more \n",
    "bom-crlf.md": b"\xef\xbb\xbf# Title \r\nLine one \r\nLine two\r\n",
    "mixed-endings.md": b"one \r\ntwo \nthree \r\n",
    "long-line.md": ("word " * 1_000_000).encode(),
    "nested-quotes.md": ("> " * 5_000 + "deep [[Link]] \n").encode(),
    "nested-lists.md": "".join("  " * i + "- item\n" for i in range(3_000)).encode(),
    "many-links.md": (" ".join(f"[[Note {i}]]" for i in range(10_000)) + "\n").encode(),
    "unclosed-frontmatter.md": b"---\ntitle: x \nno end \n",
    "unclosed-fence.md": b"```\ncode \n# not a heading \n",
    "unclosed-comment.md": b"%% open comment \n[[x]] \n",
    "alias-bomb.md": (
        "---\n"
        + "a: &a [x, x, x, x, x, x, x, x, x]\n"
        + "".join(
            f"{chr(98 + n)}: &{chr(98 + n)} [" + ", ".join([f"*{chr(97 + n)}"] * 9) + "]\n"
            for n in range(9)
        )
        + "---\nbody \n"
    ).encode(),
    "many-keys.md": (
        "---\n" + "".join(f"k{i}: {i}\n" for i in range(50_000)) + "---\nx \n"
    ).encode(),
    "object-tag.md": (
        b"---\nx: !!python/object/apply:os.system ['touch /tmp/pwned-vaultlint']\n---\nx \n"
    ),
    "name: with? #odd chars.md": b"# Odd \n",
    "Ünïcödé ノート.md": "# ノート \n".encode(),
    "x.md/inside.md": b"# Inside a folder named x.md \n",
    "empty.md": b"",
    "whitespace-only.md": b"   \n\t\n",
}


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    vault = write_vault(tmp_path / "vault", HAZARDS)
    outside = tmp_path / "outside.md"
    outside.write_bytes(b"outside \n")
    os.symlink(outside, vault / "link-out.md")
    os.symlink(vault, vault / "loop")
    return vault


def _snapshot(vault: Path) -> dict[str, bytes]:
    return {
        p.relative_to(vault).as_posix(): p.read_bytes()
        for p in vault.rglob("*")
        if p.is_file()
        and not p.is_symlink()
        and ".obsidian" not in p.parts
        and ".vaultlint_cache" not in p.parts  # the cache is not the vault's
    }


@pytest.mark.parametrize(
    "argv",
    [["check"], ["check", "--output-format", "json"], ["check", "--fix"], ["check", "--diff"]],
    ids=["check", "json", "fix", "diff"],
)
def test_hostile_vault_finishes_cleanly(
    hostile: Path, argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    before = _snapshot(hostile)
    code = main([*argv, str(hostile)])
    _, err = capsys.readouterr()
    assert code in (0, 1), err
    assert "Traceback" not in err and "internal error" not in err
    assert not Path("/tmp/pwned-vaultlint").exists()
    after = _snapshot(hostile)
    never_written = [
        "latin1.md",
        "utf16.md",
        "binary.md",
        "nul.md",
        "unclosed-frontmatter.md",
        "empty.md",
    ]
    for name in never_written:
        assert after[name] == before[name], name
    if "--fix" not in argv:
        assert after == before
    assert (hostile.parent / "outside.md").read_bytes() == b"outside \n"
    # Again, with the cache the first run left (none after --diff).
    assert main([*argv, str(hostile)]) in (0, 1)
    assert "Traceback" not in capsys.readouterr().err


def test_hostile_vault_findings(hostile: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["check", str(hostile), "--output-format", "json"])
    findings = json.loads(capsys.readouterr().out)
    by_path: dict[str, set[str]] = {}
    for f in findings:
        by_path.setdefault(f["path"], set()).add(f["rule"])
    for name in ("latin1.md", "utf16.md", "binary.md", "nul.md"):
        assert by_path[name] == {"file-encoding"}, name
    assert "frontmatter-syntax" in by_path["unclosed-frontmatter.md"]
    assert "frontmatter-syntax" in by_path["object-tag.md"]
    assert "unclosed-fence.md" not in by_path  # everything after the fence is code
    assert not any(p.startswith("loop/") for p in by_path)


def test_fix_keeps_bom_and_line_endings(hostile: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["check", "--fix", str(hostile)])
    assert (
        hostile / "bom-crlf.md"
    ).read_bytes() == b"\xef\xbb\xbf# Title\r\nLine one\r\nLine two\r\n"
    assert (hostile / "mixed-endings.md").read_bytes() == b"one\r\ntwo\nthree\r\n"
    assert (hostile / "x.md" / "inside.md").read_bytes() == b"# Inside a folder named x.md\n"
    assert (hostile / "name: with? #odd chars.md").read_bytes() == b"# Odd\n"


def test_note_over_the_size_limit_is_skipped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = write_vault(
        tmp_path,
        {
            "big.md": b"x \n" * 400,
            ".vaultlint.yaml": "rules:\n  file-too-large: {max-bytes: 1000}\n",
        },
    )
    code = main(["check", "--fix", str(vault), "--output-format", "json", "--strict"])
    findings = json.loads(capsys.readouterr().out)
    assert code == 1 and [f["rule"] for f in findings] == ["file-too-large"]
    assert (vault / "big.md").read_bytes() == b"x \n" * 400


def test_unreadable_note_is_a_finding(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    vault = write_vault(tmp_path, {"a.md": "# A\n\nSome text.\n", "b.md": "# B\n"})
    real_open = os.open

    def deny(file: str, flags: int, *args: int, **kwargs: int) -> int:
        if str(file).endswith("b.md"):  # as root, a chmod would not deny it
            raise PermissionError(13, "Permission denied")
        return real_open(file, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", deny)
    code = main(["check", str(vault), "--output-format", "json"])
    findings = json.loads(capsys.readouterr().out)
    assert code == 1
    assert [(f["path"], f["rule"]) for f in findings] == [("b.md", "file-unreadable")]
    assert "Permission denied" in findings[0]["message"]
