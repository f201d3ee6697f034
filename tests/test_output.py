"""Output formats for CI: GitHub annotations, SARIF 2.1.0, JUnit XML."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from helpers import write_vault
from vaultlint.cli import main
from vaultlint.output.github import escape_data, escape_property

NOTES = {  # each more than a title: a lone title nothing links to is a stub (empty-note)
    "Clean.md": "# Clean\nNothing to fix.\n",
    "Notes/Dirty, really: yes.md": "# Dirty \nSee [[Clean]].\n",
    "Broken.md": '---\ntitle: "x\n---\n',
}


@pytest.fixture
def vault(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    write_vault(tmp_path, NOTES)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    return tmp_path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    return code, capsys.readouterr().out


def test_github_escaping() -> None:
    assert escape_data("50% done\r\nnext") == "50%25 done%0D%0Anext"
    assert escape_property("a:b,c%") == "a%3Ab%2Cc%25"


def test_github_annotations(vault: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(capsys, "check", ".", "--output-format", "github")
    assert code == 1
    lines = out.splitlines()
    assert lines == [
        "::error file=Broken.md,line=2,col=8,endLine=2,endColumn=8,title=vaultlint (FM01)::"
        "invalid frontmatter: found unexpected end of stream "
        "(while scanning a quoted scalar at line 2) [frontmatter-syntax]",
        "::warning file=Notes/Dirty%2C really%3A yes.md,line=1,col=8,endLine=1,endColumn=9,"
        "title=vaultlint (TX03)::trailing whitespace [trailing-whitespace]",
    ]


def test_github_is_chosen_on_github_actions(
    vault: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    code, out = run(capsys, "check", ".")
    assert code == 1 and out.startswith("::error file=Broken.md,")


def test_github_paths_are_relative_to_the_current_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write_vault(tmp_path / "notes", {"a.md": "x \n"})
    monkeypatch.chdir(tmp_path)
    code, out = run(capsys, "check", "notes", "--output-format", "github", "--strict")
    assert code == 1 and out.startswith("::warning file=notes/a.md,line=1,")


def test_sarif_has_the_shape_code_scanning_needs(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = run(capsys, "check", ".", "--output-format", "sarif")
    assert code == 1
    sarif = json.loads(out)
    assert sarif["version"] == "2.1.0" and sarif["$schema"].endswith("sarif-2.1.0.json")
    (run_,) = sarif["runs"]
    driver = run_["tool"]["driver"]
    assert driver["name"] == "vaultlint"
    rule_ids = [rule["id"] for rule in driver["rules"]]
    for rule in driver["rules"]:
        assert rule["shortDescription"]["text"] and rule["fullDescription"]["text"]
        assert rule["help"]["text"] and len(rule["fullDescription"]["text"]) <= 1024
    results = run_["results"]
    assert len(results) == 2
    for result in results:
        assert result["ruleId"] in rule_ids
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] in ("error", "warning", "note") and result["message"]["text"]
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uri"] in (
            "Broken.md",
            "Notes/Dirty,%20really%3A%20yes.md",
        )
        region = location["region"]
        assert region["startLine"] >= 1 and region["startColumn"] >= 1
        assert region["endLine"] >= region["startLine"]


def test_junit_has_one_testcase_per_note(vault: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run(capsys, "check", ".", "--output-format", "junit")
    assert code == 1
    root = ET.fromstring(out.split("\n", 1)[1])
    suite = root.find("testsuite")
    assert suite is not None and suite.get("tests") == "3" and suite.get("failures") == "1"
    cases = {case.get("name"): case for case in suite.iter("testcase")}
    assert set(cases) == set(NOTES)
    assert cases["Clean.md"].find("failure") is None
    failure = cases["Broken.md"].find("failure")
    assert failure is not None and failure.get("message") == "1 problem: FM01 frontmatter-syntax"
    assert failure.text is not None and "FM01" in failure.text


@pytest.mark.parametrize("fmt", ["json", "github", "sarif", "junit", "concise", "full"])
def test_every_format_can_go_to_a_file(
    vault: Path, tmp_path: Path, fmt: str, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / f"out.{fmt}"
    code, out = run(capsys, "check", ".", "--output-format", fmt, "-o", str(target))
    assert code == 1 and "TX03" in target.read_text(encoding="utf-8")
    assert "TX03" not in out


def test_full_output_escapes_control_characters_and_colours_only_when_asked(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import io

    from vaultlint.model import Finding, Severity
    from vaultlint.output import OutputContext
    from vaultlint.output.text import render_full

    finding = Finding("a.md", 1, 1, 1, 2, "mojibake", "TX01", Severity.WARNING, "bad \x1b[2J x")
    plain = io.StringIO()
    render_full([finding], plain, OutputContext(Path(".")))
    assert plain.getvalue() == "a.md:1:1  warning  TX01  bad \\x1b[2J x  [mojibake]\n"
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.delenv("NO_COLOR", raising=False)
    coloured = io.StringIO()
    render_full([finding], coloured, OutputContext(Path(".")))
    assert "\x1b[33mTX01\x1b[0m" in coloured.getvalue() and "\x1b[2J" not in coloured.getvalue()
