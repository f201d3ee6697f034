"""Real vaults: folder-qualified non-ASCII links, retarget fixes that keep what the
reader sees and are only offered when the author's intent is clear, messages that
show text as written. Notes are multilingual and carry Templater and Dataview syntax.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

from helpers import check_text, fix_text, write_vault
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


def test_folder_qualified_non_ascii_link_to_another_folder_is_broken() -> None:
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
