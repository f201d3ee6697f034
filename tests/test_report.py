"""``vaultlint report``: completeness per note type, links, formats, the CI gate, history."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from helpers import genvault, write_vault
from vaultlint.cli import main

FULL = """\
`Author:` Ann Example
`Availability:` owned
`Concepts:` [[Idea]]
`Knowledge Base:` [[Books index]]

## Summary
A summary.
## Key Takeaways
- one
## Quotes
- "a quote"
## Notes
Some notes.
"""
# Author empty, Availability and Concepts missing; Quotes empty, Summary and Notes missing.
HALF = """\
`Author:`
`Knowledge Base:` [[Books index]]

## Key Takeaways
- one
## Quotes
-
"""
BARE = "Nothing of the template here, but a link to [[Nowhere.md]].\n"
HUB = "[[Full]] [[Nowhere]] and [[nowhere]], ![[Missing.png]], and [[Hub]] itself.\n"

FILES = {
    "Books/Full.md": FULL,
    "Books/Half.md": HALF,
    "Books/Bare.md": BARE,
    "Books index.md": "# Books index\n",
    "Idea.md": "An idea.\n",
    "Hub.md": HUB,
    # Links from the templates folder do not count, and templates are no orphans.
    "Templates/Book.md": "`Author:`\n[[Half]]\n",
    ".obsidian/templates.json": '{"folder": "Templates"}\n',
}


def small_vault(root: Path) -> Path:
    return write_vault(root / "vault", FILES)


def report_json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, Any]:
    code = main(["report", *argv, "--format", "json"])
    out = capsys.readouterr().out
    assert code == 0
    data: dict[str, Any] = json.loads(out)
    return data


def book(data: dict[str, Any]) -> dict[str, Any]:
    (found,) = [t for t in data["types"] if t["name"] == "book"]
    return found


# --- the JSON contract and the numbers ----------------------------------------------------------


def test_json_has_exactly_the_keys_of_the_contract(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = report_json(capsys, str(small_vault(tmp_path)))
    assert set(data) == {"types", "links", "rules", "hygiene", "properties"}
    assert set(data["properties"]) == {"properties", "tags", "near_duplicate_tags"}
    for use in data["properties"]["properties"]:
        assert set(use) == {"name", "type", "declared", "notes", "breaking"}
    assert set(data["hygiene"]) == {
        "canvases",
        "bases",
        "unused_attachments",
        "empty_notes",
        "stubs",
        "same_names",
        "dead_ends",
    }
    assert set(data["hygiene"]["unused_attachments"]) == {"count", "bytes", "files"}
    t = book(data)
    assert set(t) == {"name", "notes", "complete", "fields", "sections", "incomplete"}
    for counts in [*t["fields"].values(), *t["sections"].values()]:
        assert set(counts) == {"filled", "empty", "missing"}
    assert t["incomplete"] and all(set(i) == {"path", "missing", "empty"} for i in t["incomplete"])
    assert set(data["links"]) == {"broken", "by_target", "orphans"}
    assert all(
        set(b) == {"target", "count", "planned", "sources"} for b in data["links"]["by_target"]
    )
    assert all(isinstance(v, int) for v in data["rules"].values())


def test_field_and_section_states_are_counted_per_note(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    t = book(report_json(capsys, str(small_vault(tmp_path))))
    assert (t["notes"], t["complete"]) == (3, 1)

    def triple(counts: dict[str, int]) -> tuple[int, int, int]:
        return counts["filled"], counts["empty"], counts["missing"]

    assert {name: triple(c) for name, c in t["fields"].items()} == {
        "Author": (1, 1, 1),
        "Availability": (1, 0, 2),
        "Concepts": (1, 0, 2),
        "Knowledge Base": (2, 0, 1),
    }
    assert {name: triple(c) for name, c in t["sections"].items()} == {
        "Summary": (1, 0, 2),
        "Key Takeaways": (2, 0, 1),
        "Quotes": (1, 1, 1),
        "Notes": (1, 0, 2),
    }
    # The least complete first; only required fields and sections are listed, in schema order.
    assert t["incomplete"] == [
        {
            "path": "Books/Bare.md",
            "missing": ["Author", "Concepts", "Knowledge Base", "Key Takeaways", "Quotes", "Notes"],
            "empty": [],
        },
        {"path": "Books/Half.md", "missing": ["Concepts", "Notes"], "empty": ["Author", "Quotes"]},
    ]


def test_top_limits_the_incomplete_list(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    t = book(report_json(capsys, str(small_vault(tmp_path)), "--top", "1"))
    assert [i["path"] for i in t["incomplete"]] == ["Books/Bare.md"]
    assert t["notes"] - t["complete"] == 2


def test_broken_links_are_grouped_by_missing_note_and_orphans_listed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    links = report_json(capsys, str(small_vault(tmp_path)))["links"]
    # [[Nowhere.md]], [[Nowhere]] and [[nowhere]] ask for one note; the embed is LK02.
    assert links["broken"] == 3
    assert links["by_target"] == [
        {"target": "Nowhere.md", "count": 3, "planned": 0, "sources": ["Books/Bare.md", "Hub.md"]}
    ]
    # Hub links to itself only; the template's [[Half]] does not count.
    assert links["orphans"] == ["Books/Bare.md", "Books/Half.md", "Hub.md"]


def test_rule_counts_equal_the_findings_of_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = small_vault(tmp_path)
    main(["check", str(vault), "--output-format", "json", "--no-cache"])
    expected = Counter(f["code"] for f in json.loads(capsys.readouterr().out))
    rules = report_json(capsys, str(vault))["rules"]
    assert rules == dict(expected)
    assert rules["LK01"] == 3 and rules["LK02"] == 1
    assert list(rules.values()) == sorted(rules.values(), reverse=True)


def test_paths_choose_the_notes_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = small_vault(tmp_path)
    data = report_json(capsys, str(vault / "Books" / "Half.md"))
    assert (book(data)["notes"], book(data)["complete"]) == (1, 0)
    # Incoming links still come from the whole vault: Full is no orphan.
    data = report_json(capsys, str(vault / "Books" / "Full.md"))
    assert data["links"]["orphans"] == []


def test_a_type_without_notes_is_complete(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = small_vault(tmp_path)
    (vault / ".vaultlint.yaml").write_text("schemas: [person.yaml]\n", encoding="utf-8")
    (vault / "person.yaml").write_text(
        "name: person\nmatch: {folders: [People]}\nfields: {Born: {required: true}}\n",
        encoding="utf-8",
    )
    data = report_json(capsys, str(vault))
    (person,) = [t for t in data["types"] if t["name"] == "person"]
    assert (person["notes"], person["complete"], person["incomplete"]) == (0, 0, [])
    assert person["fields"] == {"Born": {"filled": 0, "empty": 0, "missing": 0}}
    assert main(["report", str(vault), "--fail-under", "33", "-o", str(tmp_path / "r")]) == 0


# --- the CI gate and the command line ------------------------------------------------------------


@pytest.mark.parametrize(
    ("pct", "code"), [("0", 0), ("33", 0), ("33.4", 1), ("100", 1), ("12.5", 0)]
)
def test_fail_under_exits_one_below_the_threshold(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], pct: str, code: int
) -> None:
    # One book note in three is complete: 33.3 %.
    vault = small_vault(tmp_path)
    assert main(["report", str(vault), "--fail-under", pct, "--format", "json"]) == code
    err = capsys.readouterr().err
    assert ("under --fail-under" in err) == (code == 1)
    if code:
        assert "book notes are 33.3 % complete (1 of 3)" in err


@pytest.mark.parametrize(
    "argv",
    [
        ["--fail-under", "abc"],
        ["--fail-under", "101"],
        ["--fail-under", "-1"],
        ["--fail-under", "nan"],
        ["--top", "0"],
        ["--history", "x"],
        ["--format", "pdf"],
    ],
)
def test_bad_options_exit_two_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    vault = small_vault(tmp_path)
    assert main(["report", str(vault), *argv]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("vaultlint: error:")


def test_a_missing_path_exits_two(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", str(tmp_path / "nope")]) == 2
    assert "no such file or folder" in capsys.readouterr().err


@pytest.mark.parametrize("fmt", ["terminal", "markdown", "json", "html"])
def test_output_file(tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str) -> None:
    vault = small_vault(tmp_path)
    target = tmp_path / f"report.{fmt}"
    assert main(["report", str(vault), "--format", fmt, "-o", str(target)]) == 0
    assert capsys.readouterr().out == ""
    text = target.read_text(encoding="utf-8")
    assert "Books/Bare.md" in text
    if fmt == "json":
        assert book(json.loads(text))["notes"] == 3


def test_output_file_that_cannot_be_written_exits_two(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = small_vault(tmp_path)
    assert main(["report", str(vault), "-o", str(tmp_path / "no" / "such" / "r.md")]) == 2
    assert "cannot write" in capsys.readouterr().err


def test_terminal_is_the_default_and_shows_tables_and_bars(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = small_vault(tmp_path)
    (vault / "Books" / "[draft] x.md").write_text("nothing\n", encoding="utf-8")
    assert main(["report", str(vault)]) == 0
    out = capsys.readouterr().out
    assert "book: 1 of 4 notes complete (25.0 %)" in out
    assert "Key Takeaways" in out and "█" in out and "░" in out
    assert "Books/[draft] x.md" in out  # names are never read as rich markup
    assert "Nowhere.md" in out and "Hub.md" in out


def test_the_parser_does_not_import_the_report() -> None:
    """``vaultlint --version`` stays fast: the report modules load only for ``report``."""
    code = (
        "import sys; from vaultlint.cli import build_parser; build_parser(); "
        "print(sorted(m for m in sys.modules if m.startswith('vaultlint.report.')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


# --- Markdown and the GitHub job summary ----------------------------------------------------------


def test_markdown_renders_as_tables(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from markdown_it import MarkdownIt

    vault = small_vault(tmp_path)
    (vault / "Books" / "a|b_*c*.md").write_text("x\n", encoding="utf-8")
    assert main(["report", str(vault), "--format", "markdown"]) == 0
    text = capsys.readouterr().out
    lines = text.splitlines()
    header = lines.index("| type | notes | complete | % complete |")
    assert lines[header + 1].startswith("|---")
    assert "| book | 4 | 1 | 25.0 % |" in lines
    html = MarkdownIt("commonmark").enable("table").render(text)
    assert html.count("<table>") >= 5  # completeness, fields, sections, incomplete, links, rules
    assert "<td>Books/a|b_*c*.md</td>" in html  # escaped: one cell, no emphasis


def test_job_summary_is_appended(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("# Earlier step\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    assert main(["report", str(small_vault(tmp_path)), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["types"]
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("# Earlier step\n## vaultlint report\n")
    assert "| book | 3 | 1 | 33.3 % |" in text
    assert "more not shown" not in text


def test_job_summary_is_capped_by_cutting_lists(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import vaultlint.commands.report as command

    vault = small_vault(tmp_path)
    for n in range(60):
        (vault / "Books" / f"Stub {n:02d}.md").write_text("stub\n", encoding="utf-8")
    summary = tmp_path / "summary.md"
    summary.write_text("x" * 100, encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    monkeypatch.setattr(command, "SUMMARY_LIMIT", 2500)
    assert main(["report", str(vault), "-o", str(tmp_path / "r.txt")]) == 0
    text = summary.read_text(encoding="utf-8")
    assert len(text.encode("utf-8")) <= 2500
    assert text.startswith("x" * 100 + "\n## vaultlint report\n")
    assert "Lists are shortened" in text and "more not shown" in text
    assert "| book | 63 | 1 | 1.6 % |" in text  # the numbers are all there, only lists are cut

    summary.write_text("x" * 100, encoding="utf-8")
    monkeypatch.setattr(command, "SUMMARY_LIMIT", 400)
    assert main(["report", str(vault), "-o", str(tmp_path / "r.txt")]) == 0
    text = summary.read_text(encoding="utf-8")
    assert len(text.encode("utf-8")) <= 400 and "too large for the job summary" in text

    summary.write_text("x" * 390, encoding="utf-8")
    assert main(["report", str(vault), "-o", str(tmp_path / "r.txt")]) == 0
    assert summary.read_text(encoding="utf-8") == "x" * 390
    assert "job summary is full" in capsys.readouterr().err


# --- HTML ---------------------------------------------------------------------------------------


def test_html_is_self_contained_and_escaped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = small_vault(tmp_path)
    (vault / "Books" / "<script>alert(1)<script> & co.md").write_text("x\n", encoding="utf-8")
    assert main(["report", str(vault), "--format", "html"]) == 0
    html = capsys.readouterr().out
    assert html.startswith("<!DOCTYPE html>") and html.rstrip().endswith("</html>")
    assert "<script" not in html.lower()
    assert "&lt;script&gt;alert(1)&lt;script&gt; &amp; co.md" in html
    assert "http://" not in html and "https://" not in html and " src=" not in html
    assert html.count("<svg") >= 3  # completeness, fields and sections, broken links, rules


# --- history -------------------------------------------------------------------------------------

COMPLETE_B = FULL.replace("Ann Example", "Bo")


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", *args],
        cwd=repo,
        check=True,
        capture_output=True,
    )


def commit(repo: Path, files: dict[str, str], message: str) -> None:
    for name, text in files.items():
        path = repo / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


def history_repo(tmp_path: Path) -> Path:
    """A repository whose vault is its ``vault/`` folder, with three commits."""
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    commit(
        repo,
        {
            "vault/.obsidian/app.json": "{}\n",
            "vault/Books/A.md": FULL,
            "vault/Books/B.md": HALF,
            "vault/.trash/Books/Old.md": "hidden: never counted\n",
            "other/Books/Outside.md": "outside the vault: never counted\n",
        },
        "first",
    )
    commit(repo, {"vault/Books/B.md": COMPLETE_B}, "B is done")
    commit(repo, {"vault/Books/C.md": BARE}, "C started")
    return repo


def test_history_reads_completeness_per_commit_from_git(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = history_repo(tmp_path)
    vault = repo / "vault"
    (vault / "Books" / "C.md").write_text(COMPLETE_B, encoding="utf-8")  # not committed
    data = report_json(capsys, str(vault), "--history", "5")
    assert (book(data)["notes"], book(data)["complete"]) == (3, 3)
    history = data["history"]
    assert [h["subject"] for h in history] == ["first", "B is done", "C started"]
    assert [h["types"]["book"] for h in history] == [
        {"notes": 2, "complete": 1},
        {"notes": 2, "complete": 2},
        {"notes": 3, "complete": 2},
    ]
    assert all(len(h["commit"]) == 40 and len(h["date"]) == 10 for h in history)

    data = report_json(capsys, str(vault), "--history", "2")
    assert [h["subject"] for h in data["history"]] == ["B is done", "C started"]
    assert "history" not in report_json(capsys, str(vault))


def test_history_in_every_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    vault = history_repo(tmp_path) / "vault"
    assert main(["report", str(vault), "--history", "3", "--format", "markdown"]) == 0
    text = capsys.readouterr().out
    assert "| commit | date | subject | book |" in text
    assert "| 66.7 % (2/3) |" in text.replace("C started ", "")
    assert main(["report", str(vault), "--history", "3", "--format", "html"]) == 0
    html = capsys.readouterr().out
    assert "<polyline" in html and html.count("<circle") == 3
    assert main(["report", str(vault), "--history", "3"]) == 0
    assert "100.0 % (2/2)" in capsys.readouterr().out


def test_history_outside_git_exits_two(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    vault = small_vault(tmp_path)
    assert main(["report", str(vault), "--history", "3"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not in a git repository" in err


def test_history_without_commits_exits_two(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = small_vault(tmp_path)
    git(vault, "init", "-q")
    assert main(["report", str(vault), "--history", "3"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no commits" in err


# --- the generated benchmark vault --------------------------------------------------------------


@pytest.fixture(scope="module")
def genvault_1000(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return genvault(tmp_path_factory.mktemp("genvault") / "vault", 1000)


def test_generated_vault_matches_its_manifest(
    genvault_1000: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    manifest = json.loads((genvault_1000 / ".genvault.json").read_text(encoding="utf-8"))
    planted = Counter(item for items in manifest.values() for item in items)
    t = book(report_json(capsys, str(genvault_1000)))
    assert t["notes"] == len(manifest) == 600
    assert t["fields"]["Author"]["empty"] == planted["empty-field:Author"] > 0
    assert t["fields"]["Concepts"]["empty"] == planted["empty-field:Concepts"] > 0
    assert t["sections"]["Key Takeaways"]["empty"] == planted["empty-heading:Key Takeaways"] > 0
    assert t["sections"]["Quotes"]["empty"] == planted["empty-heading:Quotes"] == 600
    assert len(t["incomplete"]) == 20
