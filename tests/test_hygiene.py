"""Canvas and base files, and the hygiene rules, on a fixture vault and as properties."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers import genvault, write_vault
from vaultlint.bases import base_problems
from vaultlint.canvas import JsonError, Text, parse_canvas, read_json
from vaultlint.fixer import FileMoveError, trash_file
from vaultlint.workspace import CheckOptions, RuleSelection, Workspace

FIXTURE = Path(__file__).parent / "fixtures" / "hygiene"

# (path, line, column, code, what the message says) of every finding under strict.
EXPECTED = {
    ("Attachments/unused.png", 1, 1, "HY01", "unused attachment"),
    ("Bases/Broken.base", 2, 3, "HY05", "filters must have one key of and, or, not"),
    ("Bases/Broken.base", 8, 1, "HY05", "unknown key 'view'"),
    ("Bases/Broken.base", 15, 9, "HY05", "formula.days_left is not defined"),
    # note.status is Plan.md's; no note has an author yet
    ("Bases/Books.base", 23, 9, "HY06", "no note of the vault has the property 'author'"),
    ("Boards/Broken.canvas", 2, 1, "HY05", "invalid JSON: unexpected end of file"),
    ("Boards/Project board.canvas", 3, 87, "LK03", "[[Plan#Budget]]"),
    ("Boards/Project board.canvas", 3, 110, "LK01", "[[Roadmap 2026]]"),
    ("Boards/Project board.canvas", 6, 49, "LK02", "(at nodes[3].file)"),
    ("Home/Meeting.md", 1, 1, "HY02", "the file is empty"),
    ("Ideas/Garden.md", 1, 1, "HY02", "stub note: only a title heading"),
    ("Home/Meeting.md", 1, 1, "HY03", "Home/Meeting.md, Work/Meeting.md"),
    ("Projects/Plan.md", 15, 5, "HD06", "opens the first, at line 12"),
    ("Work/Inbox 📥.md", 1, 1, "HY02", "only frontmatter"),
    ("Work/Meeting.md", 10, 24, "HY05", "formula.owner is not defined"),
}


def _strict_findings(root: Path) -> set[tuple[str, int, int, str, str]]:
    (root / ".vaultlint.yaml").write_text("extends: strict\n", encoding="utf-8")
    workspace = Workspace.open([root])
    run = workspace.run_check(workspace.targets(), CheckOptions(cache=False))
    found = set()
    for f in run.findings():
        hint = next((e[4] for e in EXPECTED if e[:4] == (f.path, f.line, f.column, f.code)), "")
        assert hint in f.message, f.message
        found.add((f.path, f.line, f.column, f.code, hint))
    return found


def test_fixture_vault_reports_exactly_its_problems(tmp_path: Path) -> None:
    root = tmp_path / "vault"
    shutil.copytree(FIXTURE, root)
    assert _strict_findings(root) == EXPECTED


def test_the_summary_counts_notes_apart_from_canvases_and_bases(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from vaultlint.cli import main

    root = tmp_path / "vault"
    shutil.copytree(FIXTURE, root)
    main(["check", str(root), "--no-cache"])
    assert (
        capsys.readouterr()
        .out.splitlines()[-1]
        .endswith(" 8 notes and 4 canvas/base files checked.")
    )
    main(["check", str(root / "Home.md"), str(root / "Boards" / "Broken.canvas"), "--no-cache"])
    assert (
        capsys.readouterr().out.splitlines()[-1].endswith(" 1 note and 1 canvas/base file checked.")
    )
    main(["check", str(root / "Home.md"), "--no-cache"])
    assert capsys.readouterr().out.splitlines()[-1].endswith(" 1 note checked.")


def test_canvas_links_count_for_orphans_and_nothing_is_written(tmp_path: Path) -> None:
    root = tmp_path / "vault"
    shutil.copytree(FIXTURE, root)
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    workspace = Workspace.open([root])
    workspace.run_check(workspace.targets(), CheckOptions(fix=True, unsafe=True, cache=False))
    # unused-attachment is off by default: nothing moves; canvases are never written
    assert {p: p.read_bytes() for p in root.rglob("*") if p.is_file()} == before
    report = workspace.report(cache=False)
    # Plan.md is linked from Home.md; Old plan and the image only from the canvas.
    assert "Projects/Plan.md" not in report.links.orphans
    assert all(not p.endswith((".canvas", ".base")) for p in report.links.orphans)


def test_a_fixed_canvas_file_node_is_clean(tmp_path: Path) -> None:
    root = tmp_path / "vault"
    shutil.copytree(FIXTURE, root)
    board = root / "Boards" / "Project board.canvas"
    board.write_text(
        board.read_text(encoding="utf-8").replace("Projects/Old plan.md", "Projects/Plan.md"),
        encoding="utf-8",
    )
    found = _strict_findings(root)
    assert not any(e[0].endswith("Project board.canvas") and e[3] == "LK02" for e in found)


def test_canvas_positions_with_crlf_and_escapes() -> None:
    text = '{"nodes":[\r\n{"type":"text","text":"\\u00e9\\"\\n[[A]] \\ud83d\\ude00 [[B#H]]"}]}'
    note = parse_canvas("c.canvas", text)
    assert [(link.path, link.line) for link in note.links] == [("A", 2), ("B", 2)]
    for link in note.links:
        assert text[link.path_start : link.path_end] == link.path
        assert text[link.start : link.start + 2] == "[["
        assert text[link.end - 2 : link.end] == "]]"


def test_canvas_that_is_not_a_canvas() -> None:
    assert parse_canvas("c.canvas", "").syntax == []
    assert parse_canvas("c.canvas", '{"nodes": 3}').syntax[0][2] == (
        "not a canvas: 'nodes' is not a list"
    )
    assert "not an object" in parse_canvas("c.canvas", "[1]").syntax[0][2]
    assert "extra data" in parse_canvas("c.canvas", "{} x").syntax[0][2]


def test_base_checks() -> None:
    assert base_problems((FIXTURE / "Bases" / "Books.base").read_text(encoding="utf-8")) == []
    assert base_problems("") == []
    assert "invalid YAML" in base_problems("filters: [\n")[0][2]
    assert "not a list of filters" in base_problems("filters:\n  not: x\n")[0][2]
    # a formula used by another formula must be defined too; a quoted mention is one too
    assert [p[2] for p in base_problems("formulas:\n  a: formula.b + 1\n")] == [
        "formula.b is not defined under 'formulas'"
    ]


def _plain(value: object) -> object:
    if isinstance(value, Text):
        return value.value
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(), children),
    max_leaves=12,
)


@given(_JSON, st.booleans(), st.booleans())
def test_json_reader_agrees_with_json(value: object, ascii: bool, indent: bool) -> None:
    text = json.dumps(value, ensure_ascii=ascii, indent=1 if indent else None)
    read = read_json(text)
    assert _plain(read) == json.loads(text)


@given(st.text(), st.booleans())
def test_string_offsets_map_each_character(value: str, ascii: bool) -> None:
    text = '{"text": ' + json.dumps(value, ensure_ascii=ascii) + "}"
    found = read_json(text)["text"]
    offsets = found.offsets()
    if offsets is None:
        offsets = [found.start + 1 + i for i in range(len(value) + 1)]
    assert len(offsets) == len(value) + 1
    for i in range(len(value) + 1):
        # the raw text up to character i decodes to the first i characters
        assert json.loads('"' + text[found.start + 1 : offsets[i]] + '"') == value[:i]


@given(st.text(max_size=40))
def test_json_reader_never_crashes(text: str) -> None:
    with contextlib.suppress(JsonError):  # any other exception fails the test
        read_json(text)


def test_deep_json_is_an_error_not_a_crash() -> None:
    note = parse_canvas("c.canvas", "[" * 10000)
    assert "nested too deeply" in note.syntax[0][2]


def test_selection_turns_on_off_by_default_rules(tmp_path: Path) -> None:
    root = tmp_path / "vault"
    shutil.copytree(FIXTURE, root)
    workspace = Workspace.open([root])
    rules = RuleSelection(select=("file-syntax",))
    run = workspace.run_check(workspace.targets(), CheckOptions(cache=False, rules=rules))
    assert {f.path for f in run.findings()} == {
        "Bases/Broken.base",
        "Boards/Broken.canvas",
        "Work/Meeting.md",
    }


def _unused(root: Path, files: dict[str, str | bytes], **options: bool) -> list[str]:
    write_vault(root, files)
    (root / ".vaultlint.yaml").write_text("rules: {unused-attachment: info}\n", encoding="utf-8")
    workspace = Workspace.open([root])
    paths = options.pop("paths", None)
    targets = workspace.targets(None if paths is None else [root / "Home.md"])
    run = workspace.run_check(targets, CheckOptions(cache=False, **options))
    return sorted(f.path for f in run.findings() if f.code == "HY01")


def test_unused_attachments_and_what_counts_as_a_use(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {
        ".obsidian/templates.json": '{"folder": "Templates"}',
        ".obsidian/app.json": '{"userIgnoreFilters": ["Archive/"]}',
        "Home.md": '![[a.png]] [b](Files/b%20b.pdf) <img src="Files/c.jpg">\n---\n',
        "Templates/Daily.md": "![[d.png]]\n",
        "Archive/Old.md": "![[e.png]]\n",
        "Board.canvas": '{"nodes":[{"id":"1","type":"file","file":"Files/f.mp3"}]}',
        "Notes/g.md": '---\ncover: "[[g.webp]]"\n---\n`![[h.png]]`\n',
        "a.png": b"",
        "Files/b b.pdf": b"",
        "Files/c.jpg": b"",
        "d.png": b"",
        "e.png": b"",
        "Files/f.mp3": b"",
        "g.webp": b"",
        "h.png": b"",
        "unused.png": b"",
        "Files/notes.txt": b"",
        "Archive/x.png": b"",
    }
    # a name in code is no link, in Obsidian too
    assert _unused(tmp_path / "v", files) == ["Board.canvas", "h.png", "unused.png"]


def test_unused_attachments_need_the_whole_vault(tmp_path: Path) -> None:
    files: dict[str, str | bytes] = {"Home.md": "x\n", "Other.md": "", "unused.png": b""}
    assert _unused(tmp_path / "v", files, paths=True) == []
    assert _unused(tmp_path / "v", {}) == ["unused.png"]


def test_attachment_folder_setting(tmp_path: Path) -> None:
    for setting, expected in (
        ("Attachments", ["Attachments/x.png"]),
        ("./", ["Attachments/x.png", "Notes/assets/z.png", "y.png"]),
        ("./assets", ["Notes/assets/z.png"]),
        ("/", ["Attachments/x.png", "Notes/assets/z.png", "y.png"]),
    ):
        files: dict[str, str | bytes] = {
            ".obsidian/app.json": json.dumps({"attachmentFolderPath": setting}),
            "Home.md": "x\n",
            "Attachments/x.png": b"",
            "y.png": b"",
            "Notes/assets/z.png": b"",
        }
        assert _unused(tmp_path / setting.replace("/", "_").replace(".", "d"), files) == expected


def test_unsafe_fix_moves_to_the_trash_and_never_overwrites(tmp_path: Path) -> None:
    root = tmp_path / "v"
    files: dict[str, str | bytes] = {
        "Home.md": "x\n",
        "Files/unused.png": b"new",
        ".trash/Files/unused.png": b"old",
    }
    assert _unused(root, files, fix=True) == ["Files/unused.png"]  # safe fixes: not moved
    assert _unused(root, {}, fix=True, unsafe=True) == []
    assert not (root / "Files" / "unused.png").exists()
    assert (root / ".trash" / "Files" / "unused.png").read_bytes() == b"old"
    assert (root / ".trash" / "Files" / "unused 2.png").read_bytes() == b"new"


def test_trash_file_refuses_files_with_other_names(tmp_path: Path) -> None:
    (tmp_path / "a.png").write_bytes(b"x")
    os.link(tmp_path / "a.png", tmp_path / "b.png")
    with pytest.raises(FileMoveError):
        trash_file(tmp_path, "a.png")
    with pytest.raises(FileMoveError):
        trash_file(tmp_path, "missing.png")
    assert (tmp_path / "a.png").read_bytes() == b"x"


HYGIENE_RULES = ("unused-attachment", "empty-note", "duplicate-name", "file-syntax", "file-name")


def _hygiene_findings(root: Path) -> list[tuple[str, str, str]]:
    workspace = Workspace.open([root])
    rules = RuleSelection(extend_select=HYGIENE_RULES)
    run = workspace.run_check(workspace.targets(), CheckOptions(cache=False, rules=rules))
    return [(f.rule, f.path, f.message) for f in run.findings()]


def test_generated_vault_findings_equal_the_plants(tmp_path: Path) -> None:
    plain = _hygiene_findings(genvault(tmp_path / "plain", 300))
    # A small generated vault leaves some covers unembedded: those alone are reported.
    texts = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "plain").rglob("*.md"))
    unused = sorted(p for r, p, _ in plain if r == "unused-attachment")
    assert all(f"[[{p.rpartition('/')[2]}" not in texts for p in unused)
    assert all(p.startswith("Attachments/cover ") for p in unused)
    assert len(unused) < 50
    assert [f for f in plain if f[0] in HYGIENE_RULES and f[0] != "unused-attachment"] == []
    root = genvault(tmp_path / "planted", 300, hygiene=True)
    planted = json.loads((root / ".genvault.json").read_text(encoding="utf-8"))["hygiene"]
    planted["unused-attachment"] += [p for p in unused if p != "Attachments/cover 0.png"]
    found = _hygiene_findings(root)
    for rule in ("unused-attachment", "empty-note", "duplicate-name", "file-syntax"):
        assert sorted(p for r, p, _ in found if r == rule) == sorted(planted[rule]), rule
    assert not [f for f in found if f[0] == "file-name"]
    embeds = sorted(
        [p, m.split("![[")[1].split("]]")[0]]
        for r, p, m in found
        if r == "broken-embed" and p.endswith(".canvas")
    )
    assert embeds == sorted(planted["broken-embed"])
    # the vault without plants: the same files, byte for byte
    for path in (tmp_path / "plain").rglob("*.md"):
        rel = path.relative_to(tmp_path / "plain")
        assert (root / rel).read_bytes() == path.read_bytes(), rel


def test_report_hygiene_sections(tmp_path: Path) -> None:
    from vaultlint.report import json_format, markdown
    from vaultlint.report.markdown import size

    root = tmp_path / "vault"
    shutil.copytree(FIXTURE, root)
    (root / "Attachments" / "big.pdf").write_bytes(bytes(3000))
    (root / ".vaultlint.yaml").write_text("rules: {empty-note: warning}\n", encoding="utf-8")
    report = Workspace.open([root]).report(cache=False)
    data = json_format.to_data(report)["hygiene"]
    assert data["canvases"] == 2 and data["bases"] == 2
    assert data["unused_attachments"] == {
        "count": 2,
        "bytes": 3000 + 14,
        "files": [
            {"path": "Attachments/big.pdf", "bytes": 3000},
            {"path": "Attachments/unused.png", "bytes": 14},
        ],
    }
    assert data["empty_notes"] == ["Home/Meeting.md", "Work/Inbox 📥.md"]
    assert data["same_names"] == [["Home/Meeting.md", "Work/Meeting.md"]]
    assert data["stubs"] == ["Ideas/Garden.md"]
    assert data["dead_ends"] == [
        "Home/Meeting.md",
        "Ideas/Garden.md",
        "Ideas/Linked stub.md",
        "Projects/Plan.md",
        "Work/Inbox 📥.md",
    ]
    assert report.notes == 8  # notes only; canvases and bases are counted apart
    text = markdown.render(report, 1)
    assert "2 unused attachments (2.9 KB)" in text
    assert "| Attachments/big.pdf | 2.9 KB |" in text and "unused.png" not in text
    assert "8 notes checked (and 2 canvases and 2 bases)." in text
    assert [size(n) for n in (0, 1023, 1024, 5 * 2**20, 3 * 2**30)] == [
        "0 B",
        "1023 B",
        "1.0 KB",
        "5.0 MB",
        "3.0 GB",
    ]


def test_a_stub_has_one_result_with_all_its_findings(tmp_path: Path) -> None:
    root = write_vault(tmp_path / "v", {"Home.md": "x\n", "Stub.md": "# Stub  \n"})
    (root / ".vaultlint.yaml").write_text("rules: {empty-note: warning}\n", encoding="utf-8")
    workspace = Workspace.open([root])
    for _ in range(2):  # cold, then from the cache
        run = workspace.run_check(workspace.targets(), CheckOptions(cache_dir=tmp_path / "c"))
        assert [r.path for r in run.results] == ["Home.md", "Stub.md"]
        assert sorted(f.code for f in run.findings()) == ["HY02", "TX03"]


def test_stubs_and_base_properties_follow_other_notes_from_the_cache(tmp_path: Path) -> None:
    """The vault-wide findings come from each note's cached facts: a warm run parses
    nothing, and a change to another note (a link to the stub, a property the base
    names) changes them."""
    root = write_vault(
        tmp_path / "v",
        {
            "Home.md": "# Home\n\nReading list below.\n",
            "Ideas/Garden 🌱.md": "# Garden plans\n",
            "Books/Dune.md": "---\nauthor: Frank Herbert\nstatus: reading\n---\nDesert.\n",
            "Books/ផែនការ.md": "---\nauthor: ហេង\n---\nសៀវភៅ\r\n",
            "Reading.base": "filters:\n  and:\n    - 'note.status != \"done\"'\n"
            "views:\n  - type: table\n    order: [file.name, note.author, note.rating]\n",
        },
    )
    (root / ".vaultlint.yaml").write_text(
        "rules: {unknown-base-property: warning}\n", encoding="utf-8"
    )
    cache = tmp_path / "cache"

    def found() -> tuple[list[tuple[str, str, int]], int]:
        workspace = Workspace.open([root])
        run = workspace.run_check(workspace.targets(), CheckOptions(cache_dir=cache))
        hygiene = [(f.path, f.code, f.line) for f in run.findings() if f.code[:2] == "HY"]
        return sorted(hygiene), run.parsed

    expected = [("Ideas/Garden 🌱.md", "HY02", 1), ("Reading.base", "HY06", 6)]
    assert found() == (expected, 5)
    assert found() == (expected, 0)  # warm: from the cache, nothing parsed
    (root / "Home.md").write_text("# Home\n\nSee [[Garden 🌱]].\n", encoding="utf-8")
    (root / "Books" / "Dune.md").write_text(
        "---\nauthor: Frank Herbert\nstatus: read\nRating: 5\n---\nDesert.\n",
        encoding="utf-8",
    )
    assert found() == ([], 2)  # linked now; Rating (case aside) is a property now
    (root / "Books" / "Dune.md").unlink()  # the note that had them goes
    workspace = Workspace.open([root])
    run = workspace.run_check(workspace.targets(), CheckOptions(cache_dir=cache))
    assert [(f.path, f.line, f.message) for f in run.findings() if f.code == "HY06"] == [
        ("Reading.base", 3, "note.status: no note of the vault has the property 'status'"),
        ("Reading.base", 6, "note.rating: no note of the vault has the property 'rating'"),
    ]


@given(
    st.lists(
        st.sampled_from(["a", "ក", "ไ", "ف", " ", "\t", "\r\n", "\u3000", "\x1c", "\u00a0", "字"]),
        max_size=3000,
    ),
    st.integers(0, 40),
    st.integers(0, 2500),
)
def test_holds_more_counts_as_the_whole_text(chars: list[str], start: int, count: int) -> None:
    """empty-note's guard reads a long note a piece at a time: the answer is the one
    counting every character other than whitespace of the whole text gives."""
    from vaultlint.rules.hygiene import _holds_more

    text = "".join(chars)
    assert _holds_more(text, start, count) == (len("".join(text[start:].split())) > count)
