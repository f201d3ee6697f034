"""Vault text never controls the CI log or the terminal.

A note's name, a frontmatter key or a link target may hold a newline (a CI log
line starting ``::`` is a GitHub workflow command: ``::add-mask::``,
``::stop-commands::``, ``::error::``) or ESC (a terminal retitled, cleared,
recoloured, its clipboard written with OSC 52). Every text format and every
message on stderr shows such characters as escapes.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import write_vault
from vaultlint.cli import main
from vaultlint.model import Finding, Severity
from vaultlint.output import OutputContext, renderer
from vaultlint.printable import printable

NEWLINE_NAME = "evil\n::add-mask::secret.md"
ESCAPE_NAME = "title\x1b]0;pwned\x07 clear\x1b[2J clip\x1b]52;c;cHduZWQ=\x07.md"
READ_ONLY_NAME = "locked\r\n::stop-commands::token.md"

NOTES: dict[str, str | bytes] = {
    # A trailing space each, so that --fix has something to fix.
    NEWLINE_NAME: "# Evil \n\nSee [[Missing]].\n",
    ESCAPE_NAME: "# Title \n\nSee [[Missing]].\n",
    READ_ONLY_NAME: "# Locked \n",
    # A name that starts the line of each of its findings.
    "::add-mask::root.md": "# Root \n",
    # ruamel quotes a duplicate key as it is: its newline reaches the FM01 message.
    "keys.md": '---\n"k\\n::error::forged": 1\n"k\\n::error::forged": 2\n---\nbody\n',
    "links.md": "# Links\n\nSee [[gone\x1b[31mred]], [[x\u202eyz]] and [[csi\x9b2Jc1]].\n",
    # A target long enough to wrap in an 80-column table, the command on the next line.
    "long.md": f"# Long\n\nSee [[{'a' * 70} ::add-mask::wrapped]].\n",
}

# What each must show, escaped, somewhere in the output.
ESCAPED = (
    "evil\\n",
    "title\\x1b]0;pwned\\x07 clear\\x1b[2J clip\\x1b]52;c;cHduZWQ=\\x07",
    "gone\\x1b[31mred",
    "x\\u202eyz",
    "csi\\x9b2Jc1",
)
CHECK_ESCAPED = (*ESCAPED, 'key "k\\n::error::forged"', "\\x3a:add-mask::root.md")

# Raw characters no output may hold: C0 but tab and newline, DEL, C1, bidi controls.
RAW_CONTROL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)
# The workflow commands the github format writes, one a finding.
OUR_COMMAND = re.compile(r"::(error|warning|notice) file=[^:]*,line=\d+,col=\d+,")


def assert_safe(text: str, commands: bool = False) -> None:
    """No raw control character, and no line a workflow command unless it is ours."""
    assert RAW_CONTROL.search(text) is None, RAW_CONTROL.findall(text)
    for line in text.split("\n"):
        if line.lstrip().startswith("::"):  # as the runner reads it
            assert commands and OUR_COMMAND.match(line), line


@pytest.fixture
def hostile(tmp_path: Path) -> Iterator[Path]:
    vault = write_vault(tmp_path / "vault", NOTES)
    (vault / READ_ONLY_NAME).chmod(0o444)
    yield vault
    (vault / READ_ONLY_NAME).chmod(0o644)


def run_main(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, vault: Path, *argv: str
) -> tuple[int, str, str]:
    monkeypatch.chdir(vault)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    code = main([*argv, "--no-cache"])
    out, err = capsys.readouterr()
    return code, out, err


RUNS = {
    "full": (("check", "--output-format", "full"), CHECK_ESCAPED),
    "concise": (("check", "--output-format", "concise"), CHECK_ESCAPED),
    "github": (("check", "--output-format", "github"), CHECK_ESCAPED),
    "report": (("report",), ESCAPED),
    # Markdown escapes the backslashes of the escapes too.
    "markdown": (
        ("report", "--format", "markdown"),
        ("evil\\\\n", "gone\\\\x1b\\[31mred", "x\\\\u202eyz", "\\\\x1b\\]52;c;"),
    ),
}


def _shown(out: str, wanted: str, name: str) -> bool:
    if name == "github":  # a file property escapes ':' and ','
        return wanted in out or wanted.replace(":", "%3A") in out
    return wanted in out


@pytest.mark.parametrize("name", list(RUNS))
def test_output_shows_vault_control_characters_escaped(
    hostile: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    name: str,
) -> None:
    argv, escaped = RUNS[name]
    code, out, err = run_main(capsys, monkeypatch, hostile, *argv)
    assert code in (0, 1), err
    assert_safe(out, commands=name == "github")
    assert_safe(err)
    for wanted in escaped:
        assert _shown(out, wanted, name), wanted


def test_junit_shows_a_message_newline_escaped(
    hostile: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A YAML error quoting a key with a newline: in a failure's text the rest of the
    message would start a line with ``::error::`` (a CI log that shows the file)."""
    code, out, err = run_main(capsys, monkeypatch, hostile, "check", "--output-format", "junit")
    assert code == 1, err
    assert_safe(out)
    assert 'key "k\\n::error::forged"' in out


def test_fix_stderr_shows_names_escaped(
    hostile: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, err = run_main(capsys, monkeypatch, hostile, "check", "--fix")
    assert code == 1
    assert_safe(out)
    assert_safe(err)
    assert "Fixing evil\\n::add-mask::secret.md\n" in err
    assert "Fixing title\\x1b]0;pwned\\x07 clear\\x1b[2J" in err
    # The read-only note is left alone, with a warning naming it.
    assert (
        "vaultlint: warning: locked\\r\\n::stop-commands::token.md: not written: "
        "the file is read-only\n" in err
    )


def test_no_notes_found_warning_shows_named_paths_escaped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "empty\n::error::x"
    folder.mkdir()
    code, out, err = run_main(capsys, monkeypatch, tmp_path, "check", folder.name)
    assert code == 0
    assert_safe(out)
    assert_safe(err)
    assert "no notes found under empty\\n::error::x" in err


@pytest.mark.parametrize("argv", [*(argv for argv, _ in RUNS.values()), ("check", "--fix")])
def test_a_subprocess_prints_nothing_raw(hostile: Path, argv: tuple[str, ...]) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "GITHUB_ACTIONS")}
    done = subprocess.run(
        [sys.executable, "-m", "vaultlint", *argv, "--no-cache"],
        cwd=hostile,
        env=env,
        capture_output=True,
        timeout=120,
    )
    assert done.returncode in (0, 1), done.stderr
    out, err = done.stdout.decode(), done.stderr.decode()
    assert_safe(out, commands="github" in argv)
    assert_safe(err)
    assert "\\x1b" in out + err


def test_printable_keeps_text_and_tabs_and_escapes_the_rest() -> None:
    assert printable("Café ノート 👨‍👩‍👧\ttab") == "Café ノート 👨‍👩‍👧\ttab"
    assert printable("a\nb\rc\x00\x1b\x7f\x85\u202e\u2028") == (
        "a\\nb\\rc\\x00\\x1b\\x7f\\x85\\u202e\\u2028"
    )


# Names and texts with the characters an attacker would pick.
HOSTILE = st.sampled_from(
    ["\n", "\r", "\x1b", "\x07", "\x00", "\x7f", "\x85", "\x9b", "\u202e", "\u2028", "::", "%"]
)
TEXT = st.lists(st.one_of(HOSTILE, st.characters(codec="utf-8")), max_size=30).map("".join)


@settings(max_examples=300, deadline=None)
@given(path=TEXT, message=TEXT, fmt=st.sampled_from(["full", "concise", "github"]))
def test_any_finding_prints_safely(path: str, message: str, fmt: str) -> None:
    finding = Finding(path, 1, 1, 1, 2, "broken-link", "LK01", Severity.ERROR, message)
    out = io.StringIO()
    renderer(fmt)([finding], out, OutputContext(Path(".")))
    text = out.getvalue()
    assert_safe(text, commands=fmt == "github")
    assert text.count("\n") == 1


NAME = (
    st.lists(
        st.one_of(HOSTILE, st.characters(codec="utf-8", exclude_characters="/\x00")),
        min_size=1,
        max_size=20,
    )
    .map("".join)
    .map(lambda name: name.replace("\x00", "").replace("/", ""))
    .filter(lambda name: 0 < len(name.encode()) < 200 and not name.startswith("."))
)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=NAME, text=TEXT, fmt=st.sampled_from(["full", "concise", "github"]))
def test_any_vault_prints_safely(name: str, text: str, fmt: str) -> None:
    vault = Path(tempfile.mkdtemp(prefix="vaultlint-injection-"))
    try:
        (vault / f"{name}.md").write_text(f"# {text} \n\n[[{text}]] {text}\n", encoding="utf-8")
        out, err = io.StringIO(), io.StringIO()
        with redirect_stdout(out), redirect_stderr(err), _cwd(vault):
            code = main(["check", "--no-cache", "--output-format", fmt])
        assert code in (0, 1), err.getvalue()
        assert_safe(out.getvalue(), commands=fmt == "github")
        assert_safe(err.getvalue())
    finally:
        shutil.rmtree(vault)


@contextmanager
def _cwd(path: Path) -> Iterator[None]:
    saved = Path.cwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(saved)
