"""Any file name and any note text, through every output format of ``check`` and ``report``.

Names an unlucky user or an attacker may give a note: control characters and newlines (a
CI log line, a terminal escape), bytes that are not UTF-8 (a zip from Windows, made with
``os.fsencode``'s surrogateescape), names of 255 bytes (the most a file system allows),
decomposed (NFD) accents as macOS writes them, scripts that need joiners. Whatever the vault
holds: no traceback, an exit code as documented (0, 1, or 2 for an error), JSON, SARIF and
JUnit that their parsers read, and no raw control character in any line of any output.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
import unicodedata
from pathlib import Path
from xml.etree import ElementTree

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from helpers import write_vault
from test_injection import assert_safe
from vaultlint.cli import main

CHECK_FORMATS = ["full", "concise", "json", "github", "sarif", "junit"]
REPORT_FORMATS = ["terminal", "markdown", "json", "html"]

PIECES = st.sampled_from(
    [
        "\n",
        "\r",
        "\r\n",
        "\t",
        "\x1b]0;pwned\x07",
        "\x1b[2J",
        "\x00",
        "\x7f",
        "\x85",
        "\x9b",
        "\u202e",
        "\u2028",
        "::add-mask::",
        "%0A",
        "#",
        "^",
        "|",
        "[[",
        "]]",
        "`",
        "\udce9",  # a byte that is not UTF-8, as os.fsdecode shows it
        "\udcff",
        unicodedata.normalize("NFD", "Café"),
        "Café",
        "ノート",
        "ព្រះរាជាណាចក្រ",
        "می‌خواهم",
        "👨‍👩‍👧",
        " ",
    ]
)


def _fits(name: str) -> bool:
    """A name a file system takes: no slash, no NUL, not hidden, at most 255 bytes."""
    raw = os.fsencode(name + ".md")
    return "/" not in name and b"\x00" not in raw and not name.startswith(".") and len(raw) <= 255


def _to_255_bytes(name: str) -> str:
    """``name`` filled with accented letters to the longest name a file system allows."""
    room = 255 - len(os.fsencode(name + ".md"))
    return name + "é" * (room // 2) + "e" * (room % 2)


NAMES = (
    st.lists(st.one_of(PIECES, st.characters(codec="utf-8")), min_size=1, max_size=12)
    .map("".join)
    .map(lambda name: name.replace("/", "").replace("\x00", "").lstrip("."))
    .flatmap(lambda name: st.sampled_from([name, _to_255_bytes(name)]))
    .filter(lambda name: name != "" and _fits(name))
)

LINES = st.sampled_from(
    [
        "---\ntags: [a\x1b]\n---\n",
        '---\n"k\\n::error::x": 1\n"k\\n::error::x": 2\n---\n',
        "# ",
        "## Quotes \n",
        "> [!note]\n> ",
        "`Author:` ",
        "%% ",
        "$$",
        "- [ ] ",
        "<!-- vaultlint-disable -->",
        "![[",
    ]
)
TEXTS = st.lists(
    st.one_of(PIECES, LINES, st.characters(codec="utf-8", exclude_characters="\udce9")),
    max_size=25,
).map("".join)


def _run(capsysbinary: pytest.CaptureFixture[bytes], argv: list[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsysbinary.readouterr()
    # Valid UTF-8, or this raises: a lone surrogate must never reach the output.
    return code, out.decode("utf-8"), err.decode("utf-8")


def _check_output(command: str, fmt: str, out: str) -> None:
    if fmt == "json":
        assert isinstance(json.loads(out), list if command == "check" else dict)
    elif fmt == "sarif":
        sarif = json.loads(out)
        assert sarif["version"] == "2.1.0"
        for result in sarif["runs"][0]["results"]:
            uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            assert re.fullmatch(r"[A-Za-z0-9\-._~!$&'()*+,;=:@/%]+", uri), uri
    elif fmt == "junit":
        ElementTree.fromstring(out.encode("utf-8"))


def _vault(name: str, text: str) -> Path:
    vault = Path(tempfile.mkdtemp(prefix="vaultlint-fuzz-"))
    stem = name.replace("\udce9", "e").replace("\udcff", "y")
    write_vault(
        vault,
        {
            "Index.md": f"# Index \n\nSee [[{stem}]], [[{stem}#Quotes]] and [[Missing {stem}]].\n",
            "Books/Dune.md": f"`Author:` Frank Herbert \n\n{text}\n".encode(
                "utf-8", "surrogatepass"
            ),
        },
    )
    path = os.fsencode(vault / f"{name}.md")  # surrogates back to the bytes they stand for
    with open(path, "wb") as handle:
        handle.write(text.encode("utf-8", "surrogatepass"))
    return vault


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(name=NAMES, text=TEXTS)
@example(name="evil\n::add-mask::secret", text="# Evil \n\nSee [[Missing]].\n")
# Found by this test: report's warning about a name that is not UTF-8 printed its newline.
@example(name="Caf\udce9\n::add-mask::secret", text="")
# Found by this test: JSON, SARIF and JUnit wrote DEL, C1 and bidi controls raw.
@example(
    name="\x7f\x9d\u202e", text="It isn\u00e2\u20ac\u2122t \u00e2\u20ac\u0153fixed\u00e2\u20ac\x9d"
)
@example(name="Caf\udce9 de Flore", text="# Café de Flore\r\rSee [[Index]].\r")
@example(name=_to_255_bytes(unicodedata.normalize("NFD", "Café ")), text="## Quotes \n- x\n")
@example(name="title\x1b]52;c;cHduZWQ=\x07", text="[[gone\x1b[31mred]] \x9b2J\u202e")
def test_any_name_and_text_in_every_format(
    capsysbinary: pytest.CaptureFixture[bytes],
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    text: str,
) -> None:
    vault = _vault(name, text)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    try:
        monkeypatch.chdir(vault)
        runs = [
            ("check", fmt, ["check", "--no-cache", "--output-format", fmt]) for fmt in CHECK_FORMATS
        ]
        runs += [
            ("report", fmt, ["report", "--no-cache", "--format", fmt]) for fmt in REPORT_FORMATS
        ]
        for command, fmt, argv in runs:
            code, out, err = _run(capsysbinary, argv)
            assert "Traceback" not in err and "internal error" not in err, err
            assert code in ((0, 1) if command == "check" else (0,)), err
            assert all(line.startswith("vaultlint: ") for line in err.splitlines()), err
            _check_output(command, fmt, out)
            assert_safe(out, commands=fmt == "github")
            assert_safe(err)
    finally:
        monkeypatch.chdir("/")
        shutil.rmtree(vault)
