"""The link resolver: docs/obsidian-links.md rules R29-R44, one example at a time."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from helpers import memory_index, parsed
from vaultlint.links import LinkResolver, LinkTargets, normalize_heading
from vaultlint.model import Link
from vaultlint.vault import VaultIndex, decode


def resolver(*files: str) -> LinkResolver:
    return VaultIndex(Path("/nonexistent-vault"), sorted(files)).resolver


# (files, source note, link path, expected target or None)
RESOLUTION = [
    # R1: ../ above the root stops at the root
    (["Note.md"], "a/x.md", "../../Note", "Note.md"),
    (["Note.md", "a/Note.md"], "a/b/x.md", "../Note", "a/Note.md"),
    # R4, R30: any file with its extension; .md may be left out, others may not
    (["data/report.csv"], "x.md", "report.csv", "data/report.csv"),
    (["Note.md"], "x.md", "Note.md", "Note.md"),
    (["Figure 1.png"], "x.md", "Figure 1", None),
    (["Board.canvas"], "x.md", "Board", None),
    (["v1.2.md"], "x.md", "v1.2", "v1.2.md"),
    (["Report.pdf", "Report.pdf.md"], "x.md", "Report.pdf", "Report.pdf"),
    (["Report.pdf.md"], "x.md", "Report.pdf", "Report.pdf.md"),
    # R5: folders are no targets
    (["Projects/Plan.md"], "x.md", "Projects", None),
    # R22: an empty path is the note itself
    ([], "a/x.md", "", "a/x.md"),
    # R28: backslashes are not separators
    (["Folder/Note.md"], "x.md", "Folder\\Note", None),
    # R29: case-insensitive names, folders and extensions
    (["Test Data/link_in_yaml.md"], "x.md", "liNk_in_YaMl", "Test Data/link_in_yaml.md"),
    (["Note.md"], "x.md", "note.MD", "Note.md"),
    (["Test Data/link_in_yaml.md"], "x.md", "test data/LINK_IN_YAML", "Test Data/link_in_yaml.md"),
    # R31: aliases are not names (the index holds file names only)
    (["Artificial Intelligence.md"], "x.md", "AI", None),
    # R32: a unique bare name resolves anywhere
    (["deep/x/Note.md"], "Other/a.md", "Note", "deep/x/Note.md"),
    # R33: exact root path beats the same folder; shorter string; same folder first
    (["Note.md", "Sub/Note.md"], "Sub/a.md", "Note", "Note.md"),
    (["zzzz/Note.md", "a/b/Note.md"], "x.md", "Note", "a/b/Note.md"),
    (
        ["Obsidian Publish/Security and privacy.md", "Obsidian Sync/Security and privacy.md"],
        "Obsidian Sync/Headless Sync.md",
        "Security and privacy",
        "Obsidian Sync/Security and privacy.md",
    ),
    # R33b: ./ and ../ start from the source folder; on a miss the joined path goes on
    (["a/Note.md", "Note.md"], "a/x.md", "./Note", "a/Note.md"),
    (["x/a/Note.md", "b/Note.md"], "a/x.md", "./Note", "x/a/Note.md"),
    (["a/b/Note.md"], "a/x.md", "./b/Note", "a/b/Note.md"),
    # R33c, R33d: a leading / is one full vault path
    (["a/b/Note.md", "Note.md"], "x.md", "/a/b/Note", "a/b/Note.md"),
    (["a/b/Note.md", "c/Note.md"], "x.md", "/b/Note", None),
    (["Note.md", "a/Note.md"], "a/x.md", "/Note", "Note.md"),
    # R34: a folder part must match as a suffix, with no fallback to the bare name
    (["Archive/Note.md"], "x.md", "Projects/Note", None),
    (["Archive/Note.md"], "a/x.md", "./Note", None),
    (["a/b/Note.md"], "x.md", "b/Note", "a/b/Note.md"),
    # R35: the tests are plain string tests
    (["ab/Note.md"], "x.md", "b/Note", "ab/Note.md"),
    (["projects/Note.md", "zzz/Note.md"], "proj/x.md", "Note", "projects/Note.md"),
    # R36: ties are broken by path order, not scan order
    (["b/Note.md", "a/Note.md"], "x.md", "Note", "a/Note.md"),
    # R25, R27: the path stops at the first '#', so these names cannot be reached
    (["C# notes.md"], "x.md", "C", None),
]


@pytest.mark.parametrize(("files", "source", "path", "expected"), RESOLUTION)
def test_resolution(files: list[str], source: str, path: str, expected: str | None) -> None:
    assert resolver(*files, source).resolve(path, source) == expected


def test_hidden_files_are_not_in_the_index(tmp_path: Path) -> None:
    """R2: the scan leaves out hidden folders such as .trash, so they hold no targets."""
    from helpers import write_vault
    from vaultlint.vault import scan

    write_vault(tmp_path, {".trash/Old.md": "", "Live.md": "", ".hidden.md": ""})
    index = VaultIndex(tmp_path, scan(tmp_path))
    assert index.resolver.resolve("Old", "Live.md") is None
    assert index.resolver.resolve(".trash/Old", "Live.md") is None
    assert index.resolver.resolve(".hidden", "Live.md") is None
    assert index.resolver.resolve("Live", "Live.md") == "Live.md"


def test_candidates_follow_the_md_completion() -> None:
    r = resolver("a/Plan.md", "b/Plan.md", "Plan.png", "Plan.png.md")
    assert r.candidates("Plan") == ["a/Plan.md", "b/Plan.md"]
    assert r.candidates("x/plan.PNG") == ["Plan.png"]
    assert r.candidates("Nothing") == []


def test_unicode_normalisation_mismatch_is_recognised() -> None:
    """OQ6: an NFC link to an NFD file name is left alone."""
    nfd = unicodedata.normalize("NFD", "Café.md")
    r = resolver(nfd)
    nfc = unicodedata.normalize("NFC", "Café")
    assert r.resolve(nfc, "x.md") is None
    assert r.unicode_mismatch(nfc)
    assert not r.unicode_mismatch("Cafe")
    assert not r.unicode_mismatch("Thé")


def test_unicode_mismatch_is_not_reported() -> None:
    from helpers import check_text
    from vaultlint.rules.links import BrokenLink

    nfd = unicodedata.normalize("NFD", "Café.md")
    text = unicodedata.normalize("NFC", "[[Café]] and [[Thé]]")
    findings = check_text(BrokenLink, text, files={nfd: ""})
    assert [f.message.split(":")[0] for f in findings] == ["broken link [[Thé]]"]


# --- headings -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "normalised"),
    [
        ("Q&A: setup (v2)", "q a setup v2"),
        ("q a setup v2", "q a setup v2"),
        ("A link in a [[x]]", "a link in a x"),
        ("See [[Other|the other]]", "see other the other"),
        ("**Overview**", "overview"),
        ("_kept_ and it's - kept", "_kept_ and it's - kept"),
        ('a!"#$%&()*+,.:;<=>?@^`{|}~/[]\\b', "a b"),
        ("  lots \t of\u00a0 space  ", "lots of space"),
        ("line\nbreak", "line break"),
        ("Ünïcode ÄÖ", "ünïcode äö"),
    ],
)
def test_normalize_heading(text: str, normalised: str) -> None:
    assert normalize_heading(text) == normalised


def targets(text: str) -> LinkTargets:
    return LinkTargets.of(parsed(text))


@pytest.mark.parametrize(
    ("chain", "found"),
    [
        (["a"], True),
        (["a", "c"], True),  # R42: levels in between may be skipped
        (["a", "b", "c"], True),
        (["b", "c"], True),
        (["c", "a"], False),  # order matters
        (["a", "a2"], True),  # no section test: a later, deeper heading is enough
        (["c", "d"], False),  # d is not deeper than c
        (["x"], False),
        (["b", "b"], False),
    ],
)
def test_heading_chains(chain: list[str], found: bool) -> None:
    t = targets("# A\n## B\n### C\n### D\n# A2\n## A2\n")
    assert t.has_heading_chain(chain) is found


def test_heading_chain_tries_every_match() -> None:
    """A chain is found when any choice of matches works (the walk finds a subset)."""
    t = targets("### A\n## A\n### B\n")
    assert t.has_heading_chain(["a", "b"])
    t = targets("## A\n# A\n## B\n# X\n")
    assert t.has_heading_chain(["a", "b"])


def test_link_targets_hold_setext_and_callout_headings_and_block_ids() -> None:
    t = targets("Setext\n======\n\n> [!info]\n> ## In a callout\n\nText ^Block-1\n")
    assert t.names == {"setext", "in a callout"}
    assert t.block_ids == {"block-1"}


def status(files: dict[str, str], text: str, path: str = "Note.md") -> list[str | None]:
    index = memory_index({**files, path: text})
    note = index.note(path)
    assert note is not None
    return [s.missing for s in index.resolver.statuses(note)]


@pytest.mark.parametrize(
    ("link", "missing"),
    [
        ("[[Guide#Q&A setup v2]]", None),  # R40
        ("[[Guide#q a setup v2]]", None),
        ("[[Guide#Q&A  setup (v2)]]", None),  # R41: as Obsidian writes it
        ("[[Guide#A link in a x]]", None),
        ("[[Guide#Overview]]", None),
        ("[[Guide#overview ]]", None),
        ("[[Guide#Over view]]", "heading"),
        ("[[Guide#A#C]]", None),  # R42
        ("[[Guide#C#A]]", "heading"),
        ("[[Guide#^id1]]", None),  # R43
        ("[[Guide#^ID1]]", None),
        ("[[Guide#^id2]]", "block"),
        ("[[Guide#^id1#x]]", None),  # not a single ^id part: silent
        ("[[Guide#A#^id1]]", None),
        ("[[Guide#[^1]]]", None),  # R44: a footnote
        ("[[Guide#]]", None),  # no subpath at all
        ("[[Guide##x]]", None),  # an empty part: the spec says nothing
        ("[[Guide#???]]", None),  # nothing left after normalising
        ("[[Doc.pdf#page=3]]", None),  # R44: a viewer option
        ("[[Guide.md#Overview]]", None),
        ("[x](Guide.md#Q&A%20setup%20v2)", None),
        ("[x](Guide.md#Nope)", "heading"),
        ("[[#Here]]", None),  # R22
        ("[[#Not here]]", "heading"),
        ("[[#^mine]]", None),
        ("[[## team]]", None),  # R23: a self-link
    ],
)
def test_subpaths(link: str, missing: str | None) -> None:
    files = {
        "Guide.md": "# A\n## Q&A: setup (v2)\n## A link in a [[x]]\n### **Overview**\n### C\n"
        "Text ^id1\n",
        "Doc.pdf": "",
    }
    assert status(files, f"{link}\n# Here\nMine ^mine\n") == [missing]


def test_subpath_of_an_unreadable_note_is_not_checked() -> None:
    index = memory_index({"Note.md": "[[Bin#Heading]] [[Bin#^b]]"})
    index._sources["Bin.md"] = decode("Bin.md", b"\xff\xfe\x00")
    index.files.append("Bin.md")
    index.by_name["bin.md"] = ["Bin.md"]
    index.by_lower_path["bin.md"] = "Bin.md"
    note = index.note("Note.md")
    assert note is not None
    assert [(s.target, s.missing) for s in index.resolver.statuses(note)] == [
        ("Bin.md", None),
        ("Bin.md", None),
    ]


def test_link_targets_are_computed_once_per_note_and_renewed_on_replace() -> None:
    index = memory_index({"Guide.md": "# One\n", "Note.md": ""})
    r = index.resolver
    first = r.targets("Guide.md")
    assert first is not None and first.names == {"one"}
    assert r.targets("Guide.md") is first
    new = parsed("# Two\n", "Guide.md")
    index.replace(new, decode("Guide.md", b"# Two\n"))
    again = r.targets("Guide.md")
    assert again is not None and again.names == {"two"}


def test_statuses_leave_out_uncertain_links() -> None:
    text = "[[Gone ]] [[Gone]]\n<div>[[Gone]]</div>\n"
    note = parsed(text)
    index = memory_index({"Note.md": text})
    links: list[Link] = [s.link for s in index.resolver.statuses(note)]
    assert [lk.start for lk in links] == [10]


# --- link text and retargeting -----------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "source", "written", "text"),
    [
        ("Books/Note.md", "x.md", "Nte", "Note"),
        ("Books/Note.md", "x.md", "Nte.md", "Note.md"),
        ("a/Dup.md", "x.md", "Dp", "Dup"),  # two notes named Dup: "Dup" opens a/Dup.md
        ("b/Dup.md", "x.md", "Dp", "b/Dup"),  # ... so b/Dup.md needs its folder
        ("Books/Note.md", "x.md", "Old/Nte", "Books/Note"),
        ("Books/Note.md", "x.md", "/Old/Nte", "/Books/Note"),
        ("Books/Note.md", "Books/Sub/x.md", "../Nte", "../Note"),
        ("Books/Note.md", "Other/x.md", "./Nte", "../Books/Note"),
        ("img/Pic.png", "x.md", "pic", "Pic.png"),
    ],
)
def test_link_text_keeps_the_style_of_the_link(
    target: str, source: str, written: str, text: str
) -> None:
    r = resolver("Books/Note.md", "a/Dup.md", "b/Dup.md", "img/Pic.png", source)
    link = parsed(f"[[{written}]]", source).links[0]
    assert r.link_text(target, source, link) == text
    assert r.resolve(text, source) == target


@pytest.mark.parametrize(
    ("text", "target", "fixed"),
    [
        ("See [[Herbrt]].", "People/Herbert.md", "See [[Herbert|Herbrt]]."),
        ("[[Dnue#Houses]]", "Novels/Dune.md", "[[Dune#Houses|Dnue > Houses]]"),
        ("[[Dnue#^atreides]]", "Novels/Dune.md", "[[Dune#^atreides|Dnue > ^atreides]]"),
        ("[[Herbrt|Frank]]", "People/Herbert.md", "[[Herbert|Frank]]"),  # its display kept
        ("[[Herbert.md]]", "People/Herbert.md", None),  # already opens it: no edit needed
        ("| [[Herbrt]] | x |", "People/Herbert.md", None),  # a new | would split the cell
        ("[Frank](Herbrt.md)", "People/Herbert.md", "[Frank](Herbert.md)"),
        ("[[ذ Ryl]]", "Notes/ذ رياض.md", "[[ذ رياض|ذ Ryl]]"),
    ],
)
def test_retarget_edit_keeps_what_the_reader_sees(
    text: str, target: str, fixed: str | None
) -> None:
    files = ("People/Herbert.md", "Novels/Dune.md", "Notes/ذ رياض.md", "x.md")
    r = resolver(*files)
    note = parsed(text, "x.md")
    edit = r.retarget_edit(note.links[0], target, note)
    if fixed is None:
        assert edit is None or text[edit.start : edit.end] == edit.replacement
        return
    assert edit is not None
    new = text[: edit.start] + edit.replacement + text[edit.end :]
    assert new == fixed
    assert r.resolve(parsed(new, "x.md").links[0].path, "x.md") == target


def test_join_clamps_at_the_root() -> None:
    from vaultlint.links import _join

    assert _join("a/b", "../../../x.md") == "x.md"
    assert _join("", "./x.md") == "x.md"
    assert _join("a", "./b/../c.md") == "a/c.md"


# --- the parser change this issue needed: a %% comment alone on its line is a block (OQ2)


@pytest.mark.parametrize(
    ("text", "uncertain"),
    [
        ("task %% [[Other]] %% text", False),  # R15: inline comments hold links
        ("- %% [[Other]] %%", False),
        ("%% [[Other]] %%", True),
        ("  %% [[Other]] %% after", True),
        ("> %% [[Other]] %%", True),
        ("%%\n[[Other]]\n%%", True),
    ],
)
def test_comment_links(text: str, uncertain: bool) -> None:
    [link] = parsed(text).links
    assert link.uncertain is uncertain
