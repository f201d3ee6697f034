"""The text formats: the severity in words, and colour only where it is wanted."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import write_vault
from vaultlint.cli import main
from vaultlint.output.text import color_wanted

DUNE = (
    "`Author:` Frank Herbert\n"
    "`Genre:` Science fiction\n"
    "\n"
    "## 🏜️ Arrakis \n"
    "Spice, sandworms and [[Meeting]] notes; the sequel is [[Children of Dune]].\n"
)
NOTES = {"Books/Dune.md": DUNE, "Work/Meeting.md": "# Standup\n", "Home/Meeting.md": "# Family\n"}
# One finding of each severity: trailing whitespace, an ambiguous link, a broken link.
SELECT = ("--select", "TX03,LK05,LK01")
COLOR_VARIABLES = ("NO_COLOR", "FORCE_COLOR", "TERM")


@pytest.fixture
def vault(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    write_vault(tmp_path, NOTES)
    monkeypatch.chdir(tmp_path)
    for name in (*COLOR_VARIABLES, "GITHUB_ACTIONS"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def findings(capsys: pytest.CaptureFixture[str], fmt: str) -> list[str]:
    assert main(["check", "--no-cache", *SELECT, "--output-format", fmt, "-q"]) == 1
    return capsys.readouterr().out.splitlines()


def test_concise_names_the_severity_after_the_position(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = findings(capsys, "concise")
    assert lines[0] == "Books/Dune.md:4:14: warning TX03 trailing whitespace [trailing-whitespace]"
    assert lines[1].startswith("Books/Dune.md:5:22: info LK05 ambiguous link [[Meeting]]: ")
    assert lines[2].startswith("Books/Dune.md:5:55: error LK01 broken link [[Children of Dune]]")


def test_full_names_the_severity_before_the_code(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = findings(capsys, "full")
    assert lines[0] == (
        "Books/Dune.md:4:14  warning  TX03  trailing whitespace  [trailing-whitespace]  [*]"
    )
    assert lines[1].startswith("Books/Dune.md:5:22  info  LK05  ambiguous link [[Meeting]]: ")
    assert lines[2].startswith("Books/Dune.md:5:55  error  LK01  broken link [[Children of Dune]]")


def test_full_colours_the_severity_word_as_its_code(
    vault: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")
    lines = findings(capsys, "full")
    assert "\x1b[33mwarning\x1b[0m  \x1b[33mTX03\x1b[0m" in lines[0]
    assert "\x1b[36minfo\x1b[0m  \x1b[36mLK05\x1b[0m" in lines[1]
    assert "\x1b[1;31merror\x1b[0m  \x1b[1;31mLK01\x1b[0m" in lines[2]


def test_cached_concise_text_serves_coloured_and_plain_runs(
    vault: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    argv = ["check", *SELECT, "--output-format", "concise", "-v"]
    assert main(argv) == 1
    plain = capsys.readouterr()
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert main(argv) == 1
    forced = capsys.readouterr()
    assert forced.out == plain.out and ", 0 parsed, 3 from the cache" in forced.err


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("env", "terminal", "pipe"),
    [
        ({}, True, False),
        ({"TERM": "xterm-256color"}, True, False),
        ({"NO_COLOR": "1"}, False, False),
        ({"NO_COLOR": "0"}, False, False),  # any non-empty value
        ({"NO_COLOR": ""}, True, False),
        ({"FORCE_COLOR": "1"}, True, True),
        ({"FORCE_COLOR": ""}, True, False),
        ({"TERM": "dumb"}, False, False),
        ({"TERM": "dumb", "FORCE_COLOR": "1"}, True, True),
        ({"NO_COLOR": "1", "FORCE_COLOR": "1"}, False, False),
    ],
)
def test_color_wanted(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], terminal: bool, pipe: bool
) -> None:
    for name in COLOR_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert color_wanted(Terminal()) is terminal
    assert color_wanted(io.StringIO()) is pipe
    assert color_wanted(None) is pipe  # a file named by --output-file


# --- under a real pseudo-terminal ---------------------------------------------------------

needs_pty = pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")


@needs_pty
def test_a_closed_terminal_gets_no_colour(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in COLOR_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    master, slave = os.openpty()
    terminal = open(slave, "w", encoding="utf-8")  # noqa: SIM115
    assert color_wanted(terminal) is True
    terminal.close()
    os.close(master)
    assert color_wanted(terminal) is False


def on_terminal(cwd: Path, env: dict[str, str], *argv: str) -> str:
    """What ``vaultlint ARGV`` prints with its stdout on a pseudo-terminal."""
    master, slave = os.openpty()
    _set_size(slave, rows=40, columns=120)
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", "vaultlint", *argv],
            cwd=cwd,
            env=_environment(env),
            stdin=subprocess.DEVNULL,
            stdout=slave,
            stderr=subprocess.PIPE,
        )
    finally:
        os.close(slave)
    try:
        out = _read_all(master)
    finally:
        os.close(master)
    _, err = process.communicate(timeout=60)
    assert process.returncode in (0, 1), err.decode()
    return out.decode().replace("\r\n", "\n")


def piped(cwd: Path, env: dict[str, str], *argv: str) -> str:
    command = [sys.executable, "-m", "vaultlint", *argv]
    done = subprocess.run(command, cwd=cwd, env=_environment(env), capture_output=True, timeout=60)
    assert done.returncode in (0, 1), done.stderr.decode()
    return done.stdout.decode()


def _environment(env: dict[str, str]) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if k not in (*COLOR_VARIABLES, "GITHUB_ACTIONS")}
    return {**base, "TERM": "xterm-256color", **env}


def _set_size(fd: int, rows: int, columns: int) -> None:
    import fcntl
    import struct
    import termios

    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))


def _read_all(fd: int) -> bytes:
    chunks: list[bytes] = []
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # EIO: every writer closed the terminal (Linux)
            break
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks)


ESC = "\x1b["
PLAIN = [{"NO_COLOR": "1"}, {"TERM": "dumb"}, {"NO_COLOR": "1", "FORCE_COLOR": "1"}]
COLOURED = [{}, {"NO_COLOR": ""}, {"TERM": "dumb", "FORCE_COLOR": "1"}]


@needs_pty
@pytest.mark.parametrize("env", COLOURED)
def test_check_on_a_terminal_is_coloured(vault: Path, env: dict[str, str]) -> None:
    out = on_terminal(vault, env, "check", "--no-cache", *SELECT)
    assert f"{ESC}1;31merror{ESC}0m" in out and "Books/Dune.md" in out


@needs_pty
@pytest.mark.parametrize("env", PLAIN)
def test_check_on_a_terminal_is_plain_when_asked(vault: Path, env: dict[str, str]) -> None:
    out = on_terminal(vault, env, "check", "--no-cache", *SELECT)
    assert ESC not in out
    assert "Books/Dune.md:5:55  error  LK01  broken link [[Children of Dune]]" in out


@needs_pty
def test_concise_is_never_coloured(vault: Path) -> None:
    for env in (*COLOURED, *PLAIN):
        out = on_terminal(vault, env, "check", "--no-cache", *SELECT, "--output-format", "concise")
        assert ESC not in out and "Books/Dune.md:5:55: error LK01 broken link" in out


def test_force_color_colours_a_pipe(vault: Path) -> None:
    assert ESC not in piped(vault, {}, "check", "--no-cache", *SELECT)
    assert f"{ESC}33mwarning{ESC}0m" in piped(vault, {"FORCE_COLOR": "1"}, "check", "--no-cache")


@needs_pty
def test_cached_text_follows_the_colour_of_each_run(vault: Path) -> None:
    """The cache keeps a note's text coloured or not; a run of the other kind renders it again."""
    coloured = on_terminal(vault, {}, "check", *SELECT)
    plain = on_terminal(vault, {"NO_COLOR": "1"}, "check", *SELECT)
    assert ESC in coloured and ESC not in plain
    assert on_terminal(vault, {}, "check", *SELECT) == coloured


@needs_pty
def test_report_and_rule_table_follow_the_same_decision(vault: Path) -> None:
    for argv in (("report", "--no-cache"), ("rule", "--all")):
        assert ESC in on_terminal(vault, {}, *argv), argv
        assert ESC in piped(vault, {"FORCE_COLOR": "1"}, *argv), argv
        assert ESC not in piped(vault, {}, *argv), argv
        for env in PLAIN:
            out = on_terminal(vault, env, *argv)
            assert ESC not in out and ("Completeness" in out or "broken-link" in out), (argv, env)
