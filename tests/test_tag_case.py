"""tag-case (TG02): near-duplicate tags across a vault, their groups and the fix."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import memory_index, rule_engine, write_vault
from vaultlint.fixer import fix_note
from vaultlint.rules.tagcase import TagCase, tag_key, tag_table
from vaultlint.workspace import CheckOptions, RuleSelection, Workspace

SELECT = RuleSelection(select=("tag-case",))

# A research vault: one tag written four ways, a nested tag with a stray parent,
# scripts other than Latin, CRLF endings, a template and a code block.
VAULT = {
    "Physics/Optics.md": "# Optics\n\nLenses and light. #appliedScience\n",
    "Physics/Mechanics.md": "---\ntags: [applied-science, physics]\n---\nLevers.\n",
    "Chemistry/Catalysis.md": "Enzymes #applied-science #Chemistry\r\n",
    "Biology/Cells.md": "---\ntags:\n  - applied-science\n  - Biology\n---\nMitosis.\n",
    "Biology/Genes.md": "Splicing #Applied_Science and again #Applied_Science\n",
    "Reading/ภาษาไทย.md": "หนังสือ #Books/fiction\n",
    "Reading/日本語.md": "本 #books/fiction #読書\n",
    "Reading/فارسی.md": "کتاب #books/history\n",
    "Reading/Code.md": "```\n#appliedscience in code is no tag\n```\n#books\n",
    "Templates/Paper.md": "---\ntags: [applied-science]\n---\n<% tp.file.title %>\n",
}


def _check(root: Path, **options: object) -> list[tuple[str, int, int, str]]:
    workspace = Workspace.open([root])
    run = workspace.run_check(workspace.targets(), CheckOptions(rules=SELECT, **options))  # type: ignore[arg-type]
    return [(f.path, f.line, f.column, f.message) for f in run.findings()]


def test_a_vault_gets_one_finding_per_minority_spelling_of_a_note(tmp_path: Path) -> None:
    root = write_vault(tmp_path / "v", VAULT)
    found = _check(root, cache=False)
    assert found == [
        (
            "Biology/Genes.md",
            1,
            10,
            "tag '#Applied_Science' is spelled '#applied-science' in most of the vault "
            "(4 notes against 1)",
        ),
        (
            "Physics/Optics.md",
            3,
            19,
            "tag '#appliedScience' is spelled '#applied-science' "
            "in most of the vault (4 notes against 1)",
        ),
        (
            "Reading/ภาษาไทย.md",
            1,
            9,
            "tag '#Books/fiction': its parent '#Books' is spelled '#books' in most of the "
            "vault (3 notes against 1)",
        ),
    ]


def test_the_fix_writes_the_majority_spelling_and_the_vault_settles(tmp_path: Path) -> None:
    root = write_vault(tmp_path / "v", VAULT)
    workspace = Workspace.open([root])
    run = workspace.run_check(
        workspace.targets(), CheckOptions(rules=SELECT, fix=True, unsafe=True, cache=False)
    )
    assert sorted(run.written) == ["Biology/Genes.md", "Physics/Optics.md", "Reading/ภาษาไทย.md"]
    assert run.fixed["tag-case"] == 3 and run.findings() == []
    text = (root / "Biology/Genes.md").read_text(encoding="utf-8")
    assert text == "Splicing #applied-science and again #applied-science\n"
    assert (root / "Reading/ภาษาไทย.md").read_text(encoding="utf-8") == "หนังสือ #books/fiction\n"
    assert _check(root, cache=False) == []


def test_safe_fixes_leave_tags_alone_and_diff_shows_the_change(tmp_path: Path) -> None:
    root = write_vault(tmp_path / "v", VAULT)
    before = {p: (root / p).read_bytes() for p in VAULT}
    workspace = Workspace.open([root])
    run = workspace.run_check(workspace.targets(), CheckOptions(rules=SELECT, fix=True))
    assert run.written == [] and len(run.findings()) == 3
    run = workspace.run_check(
        workspace.targets(), CheckOptions(rules=SELECT, diff=True, unsafe=True)
    )
    assert {p: (root / p).read_bytes() for p in VAULT} == before
    assert len(run.diffs) == 3
    genes = next(d for d in run.diffs if "Genes" in d)
    assert "-Splicing #Applied_Science and again #Applied_Science" in genes
    assert "+Splicing #applied-science and again #applied-science" in genes


def test_a_frontmatter_spelling_is_reported_without_a_fix(tmp_path: Path) -> None:
    files = {**VAULT, "Notes/Lab.md": "---\ntags: [AppliedScience]\n---\nBench.\n"}
    root = write_vault(tmp_path / "v", files)
    found = [f for f in _check(root, cache=False) if f[0] == "Notes/Lab.md"]
    assert found == [
        (
            "Notes/Lab.md",
            2,
            1,
            "tag '#AppliedScience' is spelled '#applied-science' in most of the vault "
            "(4 notes against 1)",
        )
    ]
    workspace = Workspace.open([root])
    workspace.run_check(
        workspace.targets(), CheckOptions(rules=SELECT, fix=True, unsafe=True, cache=False)
    )
    assert (root / "Notes/Lab.md").read_text(encoding="utf-8") == files["Notes/Lab.md"]


def test_a_warm_run_finds_what_a_cold_one_does(tmp_path: Path) -> None:
    root = write_vault(tmp_path / "v", VAULT)
    cold = _check(root)
    workspace = Workspace.open([root])
    run = workspace.run_check(workspace.targets(), CheckOptions(rules=SELECT))
    assert run.parsed < len(VAULT)  # only the notes holding a spelling to report
    assert [(f.path, f.line, f.column, f.message) for f in run.findings()] == cold
    (root / "Chemistry/Catalysis.md").write_text("Enzymes #AppliedScience\n", encoding="utf-8")
    warm = _check(root)
    assert ("Chemistry/Catalysis.md", 1, 9) in {f[:3] for f in warm}


def test_a_few_named_notes_are_not_enough(tmp_path: Path) -> None:
    root = write_vault(tmp_path / "v", VAULT)
    workspace = Workspace.open([root])
    run = workspace.run_check(
        workspace.targets([root / "Biology/Genes.md"]), CheckOptions(rules=SELECT, cache=False)
    )
    assert run.findings() == []


def test_a_suppression_silences_it_and_is_not_unused(tmp_path: Path) -> None:
    files = {**VAULT, "Biology/Genes.md": "%% vaultlint-disable tag-case %%\n#Applied_Science\n"}
    root = write_vault(tmp_path / "v", files)
    workspace = Workspace.open([root])
    rules = RuleSelection(select=("tag-case", "unused-suppression"))
    run = workspace.run_check(workspace.targets(), CheckOptions(rules=rules, cache=False))
    assert "Biology/Genes.md" not in {f.path for f in run.findings()}


def test_keys_group_spellings_level_by_level() -> None:
    assert tag_key("appliedScience") == tag_key("Applied_Science") == tag_key("applied-science")
    assert tag_key("A/b") == tag_key("a/B") == "a/b"
    assert tag_key("Cafe\u0301") == tag_key("café")
    assert tag_key("a, b") is None and tag_key("a//b") is None and tag_key("-/x") is None
    table = tag_table([["A/x"], ["a/y"], ["a/z", "a"], ["X"], ["x"]])
    assert table.canonical("A/x") == ("a/x", 1)
    assert table.canonical("a/y") is None
    assert table.canonical("X") is None and table.canonical("x") is None  # a tie
    assert table.groups() == [("a", [("a", 2), ("A", 1)]), ("x", [("X", 1), ("x", 1)])]


def test_grouping_is_linear_in_the_vault() -> None:
    # 40,000 spellings of 20,000 tags: pairwise comparison would take minutes.
    notes = [[f"topic{n}", f"Topic_{n}", f"topic-{n}"] for n in range(20_000)]
    notes += [[f"topic{n}"] for n in range(20_000)]
    table = tag_table(notes)
    assert len(table.groups()) == 20_000
    assert table.canonical("Topic_7") == ("topic7", 1)


VARIANTS = st.sampled_from(
    ["applied-science", "appliedScience", "Applied_Science", "ToDo", "todo", "to-do"]
)
PARENTS = st.sampled_from(["", "Books/", "books/", "読書/", "Ēst/"])
FILLER = st.sampled_from(["word ", "كلمة ", "ខ្មែរ ", "`#code` ", "[[Link#Head]] ", "\r\n", "\n"])


@st.composite
def vaults(draw: st.DrawFn) -> dict[str, str]:
    notes = {}
    for n in range(draw(st.integers(2, 5))):
        parts = []
        for _ in range(draw(st.integers(1, 6))):
            parts.append(draw(FILLER))
            parts.append("#" + draw(PARENTS) + draw(VARIANTS) + " ")
        notes[f"N{n} é.md"] = "".join(parts) + "\n"
    notes["Link.md"] = "# Head\n"
    return notes


def _letters(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFC", text).casefold() if c.isalnum())


_TAGGED = re.compile(r"#[\w/\-]+")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(vaults())
def test_the_fix_changes_tag_spellings_only_and_settles(files: dict[str, str]) -> None:
    index = memory_index(files)
    engine = rule_engine(TagCase, index)
    table = engine.tag_table()
    assert table is not None

    def check(note):  # type: ignore[no-untyped-def]
        return [*engine.check(note), *engine.tag_findings(note, table)]

    for path in files:
        note = index.note(path)
        assert note is not None
        outcome = fix_note(note, check, unsafe=True)
        new = outcome.note.text
        # Nothing but tag names changed: the text outside tags, and every letter.
        assert _TAGGED.sub("#", new) == _TAGGED.sub("#", note.text)
        assert _letters(new) == _letters(note.text)
        assert [tag_key(t.name) for t in outcome.note.tags] == [tag_key(t.name) for t in note.tags]
        assert [(lk.raw, lk.subpath) for lk in outcome.note.links] == [
            (lk.raw, lk.subpath) for lk in note.links
        ]
        assert [f for f in outcome.findings if f.fix is not None] == []
        assert not fix_note(outcome.note, check, unsafe=True).changed  # idempotent
        for tag in outcome.note.tags:
            assert table.canonical(tag.name) is None
