"""Real vaults: folder-qualified non-ASCII links, retarget fixes that keep what the
reader sees and are only offered when the author's intent is clear, messages that
show text as written. Notes are multilingual and carry Templater and Dataview syntax.
"""

from __future__ import annotations

import json
import unicodedata
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from helpers import check_text, fix_text, memory_index, write_vault
from test_fixer_properties import replay
from test_regions import PIECES as REGION_PIECES
from test_zero_width import FILES as SCRIPT_FILES
from test_zero_width import PASTED_NAME, SCRIPT_PIECES
from vaultlint.cli import main
from vaultlint.config import Config, default_settings
from vaultlint.engine import Engine
from vaultlint.model import Note
from vaultlint.parse import parse_note
from vaultlint.rules.links import BrokenHeadingLink, BrokenLink

ZWNJ = "\u200c"

DAILY = """---
tags: [journal]
created: <% tp.date.now("YYYY-MM-DD") %>
---
# Journal

```dataview
TABLE file.mtime FROM "Projets"
```

- Réunion : voir [[Projets/Été]] et [[Été]].
- 会议记录：[[项目/计划]]，[[计划]]。
- Встреча: [[Проекты/План]].
- 日本語: [[プロジェクト/予定]]
"""

FILES = {
    "Archives/Été.md": "# Été\n",
    "文档/计划.md": "# 计划\n",
    "Проекты/План.md": "# План\n",
    "アーカイブ/予定.md": "# 予定\n",
}


def broken(text: str, files: dict[str, str]) -> list[str]:
    return [f.message.split(":")[0] for f in check_text(BrokenLink, text, files=files)]


def test_before_after_folder_qualified_non_ascii_link_to_another_folder_is_broken() -> None:
    """Before: any link whose non-ASCII name existed anywhere was silenced.
    After: [[Projets/Été]] with Été.md only in Archives/ is broken (R34), in
    every script; bare names and links whose folders match still resolve."""
    assert broken(DAILY, FILES) == [
        "broken link [[Projets/Été]]",
        "broken link [[项目/计划]]",
        "broken link [[プロジェクト/予定]]",
    ]


def test_only_a_real_nfc_nfd_ambiguity_stays_silent() -> None:
    """OQ6: an NFC link against an NFD file name (a vault from macOS) is left alone,
    with or without a folder part; the same name in the same form is not."""
    nfd = {unicodedata.normalize("NFD", "Archives/Été.md"): ""}
    nfc_text = unicodedata.normalize("NFC", "[[Projets/Été]] [[Été]]\n")
    assert broken(nfc_text, nfd) == []
    same_form = {unicodedata.normalize("NFC", "Archives/Été.md"): ""}
    assert broken(nfc_text, same_form) == ["broken link [[Projets/Été]]"]


@pytest.mark.parametrize(
    ("text", "files", "fixed"),
    [
        # the displayed text stays as written
        ("Voir [[Jane Roe]].\n", {"People/Jane Roes.md": ""}, "Voir [[Jane Roes|Jane Roe]].\n"),
        (
            "См. [[Проекты/Годовой плн]].\n",
            {"Проекты/Годовой план.md": ""},
            "См. [[Проекты/Годовой план|Проекты/Годовой плн]].\n",
        ),
        ("[x](Plans/My%20Plann.md)\n", {"Plans/My Plan.md": ""}, "[x](Plans/My%20Plan.md)\n"),
        # a heading is kept in the display, and must exist in the file chosen
        ("[[Jane Roe#Bio]]\n", {"Jane Roes.md": "## Bio\n"}, "[[Jane Roes#Bio|Jane Roe > Bio]]\n"),
        ("[[Jane Roe#Bio]]\n", {"Jane Roes.md": "## Other\n"}, None),
        # a link with a heading, or without extension, means a note, not an image
        ("[[diagram#Top]]\n", {"img/diagram.png": ""}, None),
        ("[[diagram]]\n", {"img/diagram.png": ""}, None),
        # the folders written must match the candidate's path: a suggestion only
        ("[[Projets/Été]]\n", FILES, None),
        # a new | in a table row would split its cell
        ("| a | [[Jane Roe]] |\n|---|---|\n", {"Jane Roes.md": ""}, None),
    ],
)
def test_unsafe_retarget_only_when_clear(
    text: str, files: dict[str, str], fixed: str | None
) -> None:
    findings = check_text(BrokenLink, text, files=files)
    assert len(findings) == 1
    if fixed is None:
        assert findings[0].fix is None
        return
    outcome = fix_text(BrokenLink, text, files=files, unsafe=True)
    assert outcome.note.text == fixed
    assert outcome.findings == []


def test_folder_mismatch_is_still_suggested() -> None:
    [finding] = check_text(BrokenLink, "[[Projets/Été]]\n", files=FILES)
    assert "did you mean [[Archives/Été]]?" in finding.message


def test_heading_suggestion_shows_persian_text_as_written() -> None:
    """Before: suggested headings were Python reprs ('\\u200c'); after: as written."""
    heading = f"کتاب{ZWNJ}های خوانده"
    files = {"فهرست.md": f"# فهرست\n\n## {heading}\n"}
    [finding] = check_text(BrokenHeadingLink, f"[[فهرست#کتاب{ZWNJ}های خواند]]\n", files=files)
    assert f"did you mean '{heading}'?" in finding.message
    assert "\\u200c" not in finding.message


def test_embed_followed_by_a_block_id_is_a_link_target() -> None:
    """``![[image.png]]^id`` (no space, as in Obsidian's own help in many languages) is
    uncertain under R43: a link to ``#^id`` there is not reported; a caret in a word is
    still no block id."""
    from vaultlint.rules.links import BrokenBlockLink

    files = {
        "Aide/Images.md": "# Insérer des images\n\n![[Engelbart.jpg]]^engelbart\n\nmot^faux\n",
        "Engelbart.jpg": "",
    }
    text = "Voir ![[Aide/Images#^engelbart]] et [[Aide/Images#^faux]].\n"
    findings = check_text(BrokenBlockLink, text, files=files)
    assert [f.message.split(":")[0] for f in findings] == [
        "block not found"
    ] and "^faux" in findings[0].message


# --- report's orphans: a note an uncertain link may point to is no orphan -------------

KANBAN_HOME = """---
tags: [moc]
related: "see [[Réunions hebdo]] and [[Roadmap 2025|the roadmap]] too"
up: "[[Accueil]]"
---
# Tableau de bord

<div class="callout">
Les lectures : [[ការអាន​ប្រចាំថ្ងៃ]]
</div>

Prix : tier $$$ et [[Budget ]] pour l'équipe.

%%
Idées : [[Brouillon/Idées]]
%%
"""


def test_notes_an_uncertain_link_may_open_are_no_orphans(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A frontmatter value holding a wikilink among other text (OQ7), a link
    in an HTML block (OQ4), in a multi-line comment (OQ2), with spaces around its
    target (OQ1), or naming a note whose name is in another Unicode form (OQ6):
    Obsidian may count it, so the note it names is not listed as an orphan; nor is
    any of them reported as broken."""
    from vaultlint.cli import main

    nfd_name = unicodedata.normalize("NFD", "Équipe/Été.md")
    files = {
        "Tableau.md": KANBAN_HOME,
        "Accueil.md": "# Accueil\n\n[[Tableau]] — voir aussi [[Été]].\n",
        "Réunions hebdo.md": "# Réunions hebdo\n",
        "Roadmap 2025.md": "# Roadmap\n",
        "ការអាន​ប្រចាំថ្ងៃ.md": "# ការអាន\n",
        "Budget.md": "# Budget\n",
        "Brouillon/Idées.md": "# Idées\n",
        nfd_name: "# Été\n",
        "Seule.md": "# Une note que rien ne cite\n",
    }
    vault = write_vault(tmp_path / "vault", files)
    assert main(["report", str(vault), "--format", "json", "--no-cache"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["links"]["orphans"] == ["Seule.md"]
    assert data["links"]["broken"] == 0


@pytest.mark.parametrize(
    "text",
    ["Schéma : ![[Figure 1]]\n", "![[Figure 1|300]]\n", "Voir ![[Figure 1#Légende]]\n"],
)
def test_an_embed_without_extension_is_never_fixed_to_an_image(text: str) -> None:
    """An embed without an extension means a note (R30): the image of that
    name is named in the message as a suggestion, never written by a fix."""
    from vaultlint.rules.links import BrokenEmbed

    files = {"Pièces jointes/Figure 1.png": ""}
    [finding] = check_text(BrokenEmbed, text, files=files)
    assert finding.fix is None
    assert "did you mean ![[Figure 1.png" in finding.message
    assert "files other than notes need their extension" in finding.message
    assert fix_text(BrokenEmbed, text, files=files, unsafe=True).note.text == text


# --- the safe fix, on random notes mixing every construct (issue's "done when") ---------

ZWSP, ZWJ = "\u200b", "\u200d"
HEADED = {  # other notes whose names and headings hold zero-width characters
    f"Notes/Zero{ZWSP}Trust.md": f"# Zero{ZWSP}Trust\n\n## Threat{ZWSP}model\n\nText.\n",
    f"Persian/کتاب{ZWNJ}ها.md": f"# کتاب{ZWNJ}ها\n\n## می{ZWNJ}خواهم\n\nمتن.\n",
    "Khmer/ប្រវត្តិ\u200bសាស្ត្រ.md": "# ប្រវត្តិ\n",
    "Alpha.md": "# Alpha\n\n## Overview\n\nA paragraph ^blk1\n",
}
HEADINGS = [
    "# Title",
    "## H1",
    f"## Threat{ZWSP}model",
    f"## می{ZWNJ}خواهم بخوانم",
    "## **Bold** heading  ",
    "### Q&A: setup (v2)\u00a0",
    f"## 👩{ZWJ}💻 team",
    "## ภาษา\u200bไทย",
]
SELF_LINKS = [
    "[[#H1]]",
    f"[[#Threat{ZWSP}model]]",
    f"[[#می{ZWNJ}خواهم بخوانم]]",
    "[[#Bold heading]]",
    "[[#Q&A setup v2]]",
    f"[[#👩{ZWJ}💻 team]]",
    "[[#ภาษา\u200bไทย]]",
]
OTHER_LINKS = [
    f"[[Zero{ZWSP}Trust]]",
    f"[[Zero{ZWSP}Trust#Threat{ZWSP}model|model]]",
    f"![[Zero{ZWSP}Trust#Threat{ZWSP}model]]",
    f"[[کتاب{ZWNJ}ها#می{ZWNJ}خواهم]]",
    "[[ប្រវត្តិ\u200bសាស្ត្រ]]",
    "[x](Notes/Zero%E2%80%8BTrust.md)",
    "[[Alpha#Overview]]",
    "[[Alpha#^blk1]]",
    "[[Missing note]]",
]


def _pieces() -> list[str]:
    return [*REGION_PIECES, *SCRIPT_PIECES, *SELF_LINKS, *OTHER_LINKS, "<span>a\u200bb</span>"]


@st.composite
def mixed_notes(draw: st.DrawFn) -> str:
    """Lines mixing `$`, `$$`, `%%`, backticks, fences, HTML, zero-width characters in
    several scripts, links and headings, in quotes, lists, tables and indented code;
    LF or CRLF."""
    pieces = _pieces()
    lines = []
    for _ in range(draw(st.integers(1, 12))):
        kind = draw(st.sampled_from(["heading", "blank", "pieces", "pieces", "pieces"]))
        if kind == "heading":
            lines.append(draw(st.sampled_from(HEADINGS)))
        elif kind == "blank":
            lines.append(draw(st.sampled_from(["", " ", "\u200b"])))
        else:
            prefix = draw(st.sampled_from(["", "", "", "> ", "- ", "1. ", "| ", "    "]))
            parts = draw(st.lists(st.sampled_from(pieces), min_size=1, max_size=4))
            trail = draw(st.sampled_from(["", " ", "  ", "\u00a0", "\u200b"]))
            lines.append(prefix + " ".join(parts) + trail)
    newline = draw(st.sampled_from(["\n", "\n", "\r\n"]))
    return newline.join(lines) + newline


PROTECTED = ("fence", "indented-code", "code-span", "html-comment", "html", "math", "comment")


def _protected_spans(note: Note) -> list[tuple[int, int, str]]:
    spans = [(r.start, r.end, r.kind) for r in note.regions if r.kind in PROTECTED]
    for link in note.links:
        end = link.path_end
        if note.text.startswith(link.subpath, end):
            end += len(link.subpath)  # the target: path and subpath as written
        spans.append((link.path_start, end, "link target"))
    return spans


def _statuses(engine: Engine, note: Note) -> list[tuple[str, bool]]:
    """Each link of the note (as written) and whether it resolves, heading and all."""
    resolver = engine.ctx.index.resolver
    found = []
    for link in note.links:
        target = resolver.resolve(link.path, note.path)
        ok = target is not None and resolver.missing_subpath(link, target, note) is None
        found.append((link.raw, ok))
    return found


def _engine(text: str) -> tuple[Engine, Note]:
    index = memory_index({**HEADED, "Note.md": text})
    note = index.note("Note.md")
    assert note is not None
    return Engine(Config(root=index.root, rules=default_settings()), index), note


@settings(max_examples=400, deadline=None, derandomize=True)
@given(mixed_notes())
# An em space made a plain one after a quote marker opened a fence: the link went into code.
@example("# Title\n> \u2003 ``` [[#H1]]\n")
def test_safe_fix_never_touches_targets_code_math_comments_html_nor_letters(text: str) -> None:
    engine, note = _engine(text)
    passes = replay(note, engine.check, unsafe=False)
    for step in passes:
        spans = _protected_spans(parse_note("Note.md", step.before))
        for edit in step.edits:
            for start, end, kind in spans:
                inside = edit.start < end and edit.end > start
                into = edit.start == edit.end and start < edit.start < end
                assert not (inside or into), (kind, step.before[start:end], edit)
    fixed = passes[-1].after if passes else text
    letters = Counter(c for c in text if unicodedata.category(c)[0] in "LMN")
    assert not letters - Counter(c for c in fixed if unicodedata.category(c)[0] in "LMN")
    after_engine, after = _engine(fixed)
    before, now = _statuses(engine, note), _statuses(after_engine, after)
    assert [raw for raw, _ in now] == [raw for raw, _ in before]
    for (raw, was), (_, is_now) in zip(before, now, strict=True):
        assert is_now or not was, f"{raw} resolved before the fix, not after"


# --- before and after, on realistic notes ------------------------------------------------


def test_before_after_zero_width_in_a_link_target_survives_every_fix(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Before: the safe fix deleted the U+200B inside [[Zero\u200bTrust architecture]],
    whose file name holds it, so the link broke; with --unsafe-fixes the link fix
    and the whitespace fix then undid each other and the run exited 2. After: the
    link is never touched, both runs settle, and every link still resolves."""
    vault = write_vault(tmp_path / "vault", SCRIPT_FILES)
    link = f"[[{PASTED_NAME}]]"
    assert link in SCRIPT_FILES["Reading list.md"]
    for extra in (["--fix"], ["--fix", "--unsafe-fixes"]):
        code = main(["check", str(vault), "--no-cache", "-q", "--output-format", "json", *extra])
        capsys.readouterr()
        assert code in (0, 1)
        assert link in (vault / "Reading list.md").read_text(encoding="utf-8")
    main(["check", str(vault), "--no-cache", "--output-format", "json", "--select", "LK"])
    assert json.loads(capsys.readouterr().out) == []


PRICING = """# SaaS pricing

Team tier: $$ (20 to 100 USD), ask [[Vendors/Notio]] for a quote.

## Enterprise

Premium tier: $$$ and up. See [[#Enterprise]] and [[Vendors/Basecamp]].
"""


def test_before_after_dollar_price_tiers_open_no_math() -> None:
    """Before: the `$$` of the team tier opened "math" up to the `$$$` below, across
    a blank line and a heading: [[Vendors/Notio]] was never checked, `## Enterprise`
    was not indexed and [[#Enterprise]] was a false broken-heading-link. After: both
    broken links are reported, the heading link resolves."""
    note = parse_note("Pricing.md", PRICING)
    assert [r.kind for r in note.regions] == []
    assert [h.text for h in note.headings] == ["SaaS pricing", "Enterprise"]
    assert broken(PRICING, {}) == [
        "broken link [[Vendors/Notio]]",
        "broken link [[Vendors/Basecamp]]",
    ]
    assert check_text(BrokenHeadingLink, PRICING, path="Pricing.md") == []


BOARD = """---
kanban-plugin: basic
---
## To read

- [ ] [[Sapiens]]

%% kanban:settings
```
{"kanban-plugin":"basic","list-collapse":[false]}
```
%%

## Decisions

- Read [[Homo Deus]] next; see [[#To read]] and [[#Decisions]].
"""


def test_before_after_a_kanban_settings_footer_is_one_comment() -> None:
    """Before: the fence inside the `%%` footer ended the comment and its closing `%%`
    opened a new one, so the rest of the note was a comment: `## Decisions` was not
    indexed and [[Homo Deus]] never checked. After: the comment ends at its `%%`."""
    note = parse_note("Board.md", BOARD)
    comments = [r for r in note.regions if r.kind == "comment"]
    assert len(comments) == 1 and BOARD[comments[0].end - 2 : comments[0].end] == "%%"
    assert [h.text for h in note.headings] == ["To read", "Decisions"]
    files = {"Sapiens.md": "# Sapiens\n"}
    assert broken(BOARD, files) == ["broken link [[Homo Deus]]"]
    assert check_text(BrokenHeadingLink, BOARD, path="Board.md", files=files) == []
