"""The link rules (LK01-LK05) on the fixture vault, on generated vaults, and their fixes."""

from __future__ import annotations

import json
import shutil
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from helpers import check_text, fix_text, genvault, memory_index, write_vault
from vaultlint.cli import main
from vaultlint.links import LinkResolver
from vaultlint.rules.links import (
    AmbiguousLink,
    BrokenBlockLink,
    BrokenEmbed,
    BrokenHeadingLink,
    BrokenLink,
)

FIXTURE = Path(__file__).parent / "fixtures" / "links"

# Every finding the fixture vault must produce with --select LK, and no other:
# (note, the link as written, code). Each spec rule with an example is in the vault;
# the links not listed here (most of them) must resolve or be no links at all.
EXPECTED = [
    # R5 folders are no targets; R30 other files need their extension.
    ("Links/Files.md", "[[Figure 1]]", "LK01"),
    ("Links/Files.md", "[[Board]]", "LK01"),
    ("Links/Files.md", "[[Projects]]", "LK01"),
    # A canvas's text nodes hold links too.
    ("Board.canvas", "[[Nowhere in a canvas]]", "LK01"),
    # R34 a folder part must match; R33d a leading slash is a full path; R28 backslashes.
    ("Links/Files.md", "[[Projects/Lonely]]", "LK01"),
    ("Links/Files.md", "[[/b/Deep]]", "LK01"),
    ("Links/Files.md", "[[Folder\\Note]]", "LK01"),
    ("a/x.md", "[[./Lonely]]", "LK01"),
    # R31 aliases never resolve; R2 the trash is not in the vault.
    ("Links/Files.md", "[[AI]]", "LK01"),
    ("Links/Files.md", "[[Old]]", "LK01"),
    # R11 pipe-only targets, R18 a URL as a note name, R23, R25, R27.
    ("Links/Files.md", "[[|]]", "LK01"),
    ("Links/Files.md", "[[|alias]]", "LK01"),
    ("Links/Files.md", "[[|#x]]", "LK01"),
    ("Links/Files.md", "[[https://x.org]]", "LK01"),
    ("Links/Files.md", "[[^^x]]", "LK01"),
    ("Links/Files.md", "[[C# notes]]", "LK01"),
    ("Links/Files.md", "[[pa#th/x]]", "LK01"),
    # R9 a missing embed.
    ("Links/Files.md", "![[missing.png]]", "LK02"),
    # R33/R36 shared names resolve; LK05 says which file Obsidian opens.
    ("Links/Files.md", "[[Twin]]", "LK05"),
    ("Sub/Linker.md", "[[Dup]]", "LK05"),
    ("Obsidian Sync/Headless Sync.md", "[[Security and privacy]]", "LK05"),
    # R10 ``]`` inside a target; R15-R17 links in comments, callouts, headings, tables.
    ("Links/Syntax.md", "[[Sq]uare]]", "LK01"),
    ("Links/Syntax.md", "[[Missing in a callout]]", "LK01"),
    ("Links/Syntax.md", "[[Missing in a comment]]", "LK01"),
    ("Links/Syntax.md", "[[Missing in a heading]]", "LK01"),
    ("Links/Syntax.md", "[[Missing struck out]]", "LK01"),
    ("Links/Syntax.md", "[[Missing in a table\\|alias]]", "LK01"),
    # R19 Markdown links are decoded, then resolved like wikilinks.
    ("Links/Markdown.md", "![a missing image](missing%20image.png)", "LK02"),
    ("Links/Markdown.md", "[missing](Missing%20note.md)", "LK01"),
    # R21 quoted frontmatter links.
    ("Links/Frontmatter.md", "[[Missing in frontmatter]]", "LK01"),
    # R22 self links, R39-R44 headings and blocks.
    ("Links/Subpaths.md", "[[#Missing heading]]", "LK03"),
    ("Links/Subpaths.md", "[[#^missing-block]]", "LK04"),
    ("Links/Subpaths.md", "[[Guide#Instalation]]", "LK03"),
    ("Links/Subpaths.md", "[[Guide#C#A]]", "LK03"),
    ("Links/Subpaths.md", "[[Missing note#Installation]]", "LK01"),
    ("Links/Subpaths.md", "[[Guide#^nope]]", "LK04"),
    # Markdown links to notes without .md (md-extension, off by default).
    ("Links/Markdown.md", "[no extension](My%20Note)", "LK08"),
    ("Test Data/Markdown links.md", "[t](jason_properties)", "LK08"),
]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(list(args))
    return code, capsys.readouterr().out


def written(root: Path, item: dict[str, Any]) -> str:
    """The text a finding points at (link findings sit on one line)."""
    assert item["line"] == item["end_line"]
    line = (root / item["path"]).read_text(encoding="utf-8").split("\n")[item["line"] - 1]
    return line[item["column"] - 1 : item["end_column"] - 1]


def lk_findings(
    capsys: pytest.CaptureFixture[str], root: Path, *extra: str
) -> list[dict[str, Any]]:
    code, out = run(capsys, "check", str(root), "--select", "LK", "--output-format", "json", *extra)
    assert code in (0, 1)
    findings: list[dict[str, Any]] = json.loads(out)
    return findings


def test_fixture_vault_reports_exactly_the_broken_links(capsys: pytest.CaptureFixture[str]) -> None:
    found = Counter(
        (f["path"], written(FIXTURE, f), f["code"])
        for f in lk_findings(capsys, FIXTURE, "--no-cache")
    )
    assert found == Counter(EXPECTED)


def test_fixture_vault_default_rules(capsys: pytest.CaptureFixture[str]) -> None:
    """Without --select, ambiguous-link stays off and the severities are the defaults."""
    code, out = run(capsys, "check", str(FIXTURE), "--output-format", "json", "--no-cache")
    assert code == 1
    link_findings = [f for f in json.loads(out) if f["code"].startswith("LK")]
    assert {f["code"] for f in link_findings} == {"LK01", "LK02", "LK03", "LK04"}
    severity = {f["code"]: f["severity"] for f in link_findings}
    assert severity == {"LK01": "error", "LK02": "error", "LK03": "warning", "LK04": "warning"}


def test_strict_preset_raises_heading_and_block_links(tmp_path: Path) -> None:
    from vaultlint.config import load_config

    (tmp_path / ".vaultlint.yaml").write_text("extends: strict\n", encoding="utf-8")
    rules = load_config(tmp_path).rules
    assert rules["broken-heading-link"].severity is not None
    assert rules["broken-heading-link"].severity.value == "error"
    assert rules["broken-block-link"].severity is not None
    assert rules["broken-block-link"].severity.value == "error"
    assert rules["ambiguous-link"].severity is not None


def test_checking_one_note_resolves_against_the_whole_vault(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """As pre-commit does: one file named, every name of the vault known."""
    note = FIXTURE / "Test Data" / "Markdown links.md"
    assert lk_findings(capsys, note, "--no-cache", "--ignore", "LK08") == []
    findings = lk_findings(capsys, FIXTURE / "a" / "x.md", "--no-cache")
    assert [written(FIXTURE, f) for f in findings] == ["[[./Lonely]]"]


# --- messages ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "text", "files", "message"),
    [
        (
            BrokenLink,
            "[[Mirror neuron]]",
            {"Concepts/Mirror neurons.md": ""},
            "broken link [[Mirror neuron]]: no note or file named 'Mirror neuron' in the vault; "
            "did you mean [[Mirror neurons]]?",
        ),
        (
            BrokenLink,
            "[[Work/Plan]]",
            {"Home/Plan.md": "", "Old/Plan.md": ""},
            "broken link [[Work/Plan]]: no file at 'Work/Plan' (the folders must match the end "
            "of its path); did you mean [[Old/Plan]] or [[Home/Plan]]?",
        ),
        (
            BrokenEmbed,
            "![[Chart]]",
            {"img/Chart.svg": ""},
            "broken embed ![[Chart]]: no note or file named 'Chart' in the vault; "
            "did you mean ![[Chart.svg]]? (files other than notes need their extension)",
        ),
        (
            BrokenLink,
            "[x](Mirror%20neuron.md#Intro)",
            {"Mirror neurons.md": ""},
            "broken link (Mirror neuron.md#Intro): no note or file named 'Mirror neuron.md' in the "
            "vault; did you mean (Mirror%20neurons.md#Intro)?",
        ),
        (
            BrokenLink,
            "[[Quantum]]",
            {"Mirror neurons.md": ""},
            "broken link [[Quantum]]: no note or file named 'Quantum' in the vault",
        ),
        (
            BrokenHeadingLink,
            "[[Guide#Setup]]",
            {"Guide.md": "## Set-up\n## Usage\n"},
            "heading not found: [[Guide#Setup]]: 'Guide.md' has no heading 'Setup'; "
            "did you mean 'Set-up'?",
        ),
        (
            BrokenHeadingLink,
            "[[#Usage#Setup]]\n# Setup\n## Usage\n",
            {},
            "heading not found: [[#Usage#Setup]]: this note has no heading 'Usage' > 'Setup'; "
            "did you mean 'Setup'?",
        ),
        (
            BrokenBlockLink,
            "![[Guide#^abc]]",
            {"Guide.md": "Text ^abd\n"},
            "block not found: ![[Guide#^abc]]: 'Guide.md' has no block ^abc",
        ),
        (
            AmbiguousLink,
            "[[Plan]]",
            {"Home/Plan.md": "", "Office/Plan.md": "", "Work/Projects/Plan.md": ""},
            "ambiguous link [[Plan]]: 3 files have this name (Home/Plan.md, Office/Plan.md, "
            "Work/Projects/Plan.md); Obsidian opens Home/Plan.md",
        ),
    ],
)
def test_messages(rule: Any, text: str, files: dict[str, str], message: str) -> None:
    findings = check_text(rule, text, files=files)
    assert [f.message for f in findings] == [message]


def test_finding_spans_the_whole_link() -> None:
    text = "Intro\nSee ![[missing.png|100]] here.\n"
    [finding] = check_text(BrokenEmbed, text)
    assert (finding.line, finding.column, finding.end_column) == (2, 5, 25)
    assert text[finding.start : finding.end] == "![[missing.png|100]]"


@pytest.mark.parametrize(
    ("files", "source", "opens"),
    [
        (["a/Plan.md", "b/Plan.md"], "Note.md", "a/Plan.md or b/Plan.md (a tie"),
        (["a/Plan.md", "b/Plan.md"], "b/Note.md", "b/Plan.md"),
        (["Plan.md", "b/Plan.md"], "b/Note.md", "Plan.md"),
        (["a/Plan.md", "bb/Plan.md"], "Note.md", "a/Plan.md"),
    ],
)
def test_ambiguous_link_names_ties(files: list[str], source: str, opens: str) -> None:
    [finding] = check_text(AmbiguousLink, "[[Plan]]", path=source, files=dict.fromkeys(files, ""))
    assert finding.message.split("Obsidian opens ")[1].startswith(opens)


def test_many_names_list_the_first_four() -> None:
    files = {f"f{i}/Plan.md": "" for i in range(6)}
    [finding] = check_text(AmbiguousLink, "[[Plan]]", files=files)
    assert "f0/Plan.md, f1/Plan.md, f2/Plan.md, f3/Plan.md and 2 more" in finding.message


def test_ambiguous_link_is_off_by_default_and_skips_paths() -> None:
    assert not AmbiguousLink.enabled
    files = {"a/Plan.md": "", "b/Plan.md": ""}
    assert check_text(AmbiguousLink, "[[a/Plan]] [[Unique]] [[#x]]\n# x", files=files) == []


# --- fixes --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "files", "fixed"),
    [
        # the display text, heading and block parts are kept
        ("[[Books indx|the index]]", {"Books index.md": ""}, "[[Books index|the index]]"),
        ("[[Books indx#Top]]", {"Books index.md": "# Top"}, "[[Books index#Top|Books indx > Top]]"),
        ("[[Books indx#Tops]]", {"Books index.md": "# Top"}, None),  # heading checked after
        ("![[Books indx#^b1]]", {"Books index.md": "x ^b1"}, "![[Books index#^b1]]"),
        ("[[Books indx.md]]", {"Books index.md": ""}, "[[Books index.md|Books indx.md]]"),
        # a folder-qualified link keeps a folder part, a relative one stays relative
        (
            "[[Lists/Books indx]]",
            {"Lists/Books index.md": ""},
            "[[Lists/Books index|Lists/Books indx]]",
        ),
        ("[[Work/Plan]]", {"Home/Plan.md": ""}, None),  # the folder written does not match
        ("[[./Plann]]", {"Home/Plan.md": ""}, "[[./Home/Plan|./Plann]]"),
        ("[[/Plans/Q1]]", {"Work/Plans/Q1.md": ""}, "[[/Work/Plans/Q1|/Plans/Q1]]"),
        # a name shared by two files is written with its folders
        ("[[Plann]]", {"a/Plan.md": "", "b/Plan.md": "", "b/Plann x.md": ""}, None),
        (
            "[[Figure 1|300]]",
            {"img/Figure 1.png": ""},
            None,
        ),  # a link without extension means a note
        # ... and so does an embed without one: the image is only suggested
        ("![[Figure 1|300]]", {"img/Figure 1.png": ""}, None),
        ("![[Figure 1.pgn|300]]", {"img/Figure 1.png": ""}, "![[Figure 1.png|300]]"),
        # Markdown links are percent-encoded, or not inside <...>
        ("[x](Books%20indx.md#Top)", {"Books index.md": "# Top"}, "[x](Books%20index.md#Top)"),
        ("[x](<Books indx.md>)", {"Books index.md": ""}, "[x](<Books index.md>)"),
        ("![x](cover%202.jpg)", {"att/cover 1.jpg": ""}, "![x](cover%201.jpg)"),
        # reserved characters stay as they are: decodeURI would not decode %26
        ("[x](Q&A%20notes%202.md)", {"Q&A notes 1.md": ""}, "[x](Q&A%20notes%201.md)"),
        ("[x](Notes%20(v3).md)", {"Notes (v2).md": ""}, "[x](Notes%20%28v2%29.md)"),
        ("[x](Caf%C3%A9%20notez)", {"Café notes.md": ""}, "[x](Caf%C3%A9%20notes)"),
        # frontmatter links
        ('---\nup: "[[Hom]]"\n---\n', {"Home.md": ""}, '---\nup: "[[Home|Hom]]"\n---\n'),
        ("---\nup: '[[Hom]]'\n---\n", {"Home's.md": ""}, None),
        # no fix when two names are about as close
        ("[[Plan 1]]", {"Plan 12.md": "", "Plan 13.md": ""}, None),
        ("[[Mind of brian 5]]", {"Mind of brain 54.md": "", "Mind of brain 66.md": ""}, None),
        # a name that a link cannot hold is never written
        ("[[C notes]]", {"C# notes.md": ""}, None),
    ],
)
def test_unsafe_fix_retargets_the_path_only(
    text: str, files: dict[str, str], fixed: str | None
) -> None:
    rule = BrokenEmbed if text.startswith("!") else BrokenLink
    findings = check_text(rule, text, files=files)
    assert len(findings) == 1
    if fixed is None:
        assert findings[0].fix is None
        return
    fix = findings[0].fix
    assert fix is not None and not fix.safe
    assert fix_text(rule, text, files=files).note.text == text  # not with --fix alone
    outcome = fix_text(rule, text, files=files, unsafe=True)
    assert outcome.note.text == fixed
    assert outcome.findings == []


def test_fix_in_a_table_keeps_the_escaped_pipe() -> None:
    text = "| a | b |\n| - | - |\n| [[Books indx\\|idx]] | x |\n"
    files = {"Books index.md": ""}
    outcome = fix_text(BrokenLink, text, files=files, unsafe=True)
    assert outcome.note.text == text.replace("indx", "index")


def test_cli_unsafe_fix_rewrites_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = write_vault(
        tmp_path, {"Books index.md": "# Books index\n", "Note.md": "See [[Books indx|index]].\n"}
    )
    code, _ = run(capsys, "check", str(vault), "--select", "LK01", "--fix")
    assert code == 1 and "indx" in (vault / "Note.md").read_text(encoding="utf-8")
    code, _ = run(capsys, "check", str(vault), "--select", "LK01", "--fix", "--unsafe-fixes")
    assert code == 0
    assert (vault / "Note.md").read_text(encoding="utf-8") == "See [[Books index|index]].\n"


# --- heading links while another rule rewrites the note --------------------------------


def test_self_links_see_the_note_being_fixed() -> None:
    """The fixer re-parses the note; a self-link is checked against that new text."""
    index = memory_index({"Note.md": "[[#Top]]\n# Top\n"})
    resolver = index.resolver
    old = index.note("Note.md")
    assert old is not None
    assert [s.missing for s in resolver.statuses(old)] == [None]
    from vaultlint.parse import parse_note

    new = parse_note("Note.md", "[[#Top]]\n# Bottom\n")
    assert [s.missing for s in resolver.statuses(new)] == ["heading"]


# --- generated vaults -------------------------------------------------------------------


def test_generated_vault_reports_exactly_the_planted_links(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = genvault(tmp_path / "vault", 300)
    manifest = json.loads((vault / ".genvault.json").read_text(encoding="utf-8"))
    planted = Counter(
        (path, item)
        for path, items in manifest.items()
        for item in items
        if item.startswith(("broken-link:", "broken-embed:"))
    )
    assert planted, "the generator planted no broken links"
    kinds = {"LK01": "broken-link", "LK02": "broken-embed"}
    found = Counter()
    for f in lk_findings(capsys, vault, "--no-cache"):
        assert f["code"] in kinds, f
        link = written(vault, f)
        name = link.removeprefix("!").removeprefix("[[").removesuffix("]]")
        found[(f["path"], f"{kinds[f['code']]}:{name}")] += 1
    assert found == planted


def test_suggestions_stay_fast_with_many_distinct_broken_names(tmp_path: Path) -> None:
    """Each distinct broken name is compared with every name in the vault once."""
    files = [f"Books/{i % 20:02d}/Title of book {i}.md" for i in range(10_000)]
    from vaultlint.vault import VaultIndex

    resolver = LinkResolver(VaultIndex(tmp_path, files))
    from vaultlint.parse import parse_note

    note = parse_note("Daily.md", "".join(f"[[Title of bok {i}]]\n" for i in range(200)))
    started = time.perf_counter()
    suggestions = [resolver.suggest(link, note.path) for link in note.links]
    elapsed = time.perf_counter() - started
    assert suggestions[7].paths[0] == "Books/07/Title of book 7.md"
    assert elapsed < 2.0, f"200 suggestions over 10,000 names took {elapsed:.2f} s"


def test_fixture_is_a_clean_copy(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The fixture vault gives the same findings wherever it is (no state in the tree)."""
    copy = tmp_path / "links"
    shutil.copytree(FIXTURE, copy)
    found = Counter((f["path"], written(copy, f), f["code"]) for f in lk_findings(capsys, copy))
    assert found == Counter(EXPECTED)


def test_md_extension_leaves_a_link_the_other_form_would_retarget() -> None:
    from helpers import check_text
    from vaultlint.rules.linkformat import MdExtension

    files = {"v1.2.md": "", "v1.2": "", "Plan.md": ""}
    text = "[v](v1.2.md) [p](Plan.md) [q](Plan)\n"
    off = check_text(MdExtension, text, files=files, options={"with-extension": False})
    assert [f.message for f in off] == ["Markdown link (Plan.md) to a note with .md"]
    on = check_text(MdExtension, text, files=files)
    assert [f.message for f in on] == ["Markdown link (Plan) to a note without .md"]
