"""link-format (LK06) and link-path (LK07) follow Obsidian's own settings in
``.obsidian/app.json`` unless their options say otherwise."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers import check_text, fix_text, write_vault
from vaultlint.cli import main
from vaultlint.rules.linkformat import LinkFormat, LinkPath

NOTES = {
    "Projects/Flow state.md": "## Deep work\n",
    "Daily/Day.md": "See [[Projects/Flow state#Deep work|deep work]] and [[Plan|the plan]].\n",
    "Daily/Plan.md": "",
}


def _run(vault: Path, *args: str) -> int:
    return main(["check", str(vault), "--no-cache", "--select", "LK06,LK07", *args])


def test_the_rules_follow_app_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    vault = write_vault(tmp_path / "v", NOTES)
    app = {"useMarkdownLinks": True, "newLinkFormat": "relative"}
    (vault / ".obsidian" / "app.json").write_text(json.dumps(app))
    assert _run(vault, "--output-format", "concise") == 0  # info findings
    out = capsys.readouterr().out
    assert "LK06" in out and "wikilink in a vault of Markdown links" in out
    assert "is not the relative path [[../Projects/Flow state#Deep work]]" in out
    assert _run(vault, "--fix", "--unsafe-fixes", "-q") == 0
    day = (vault / "Daily/Day.md").read_text()
    # Plan.md is in the note's own folder: its bare name passes as relative.
    wanted = "See [deep work](../Projects/Flow%20state.md#Deep%20work) and [the plan](Plan.md).\n"
    assert day == wanted


def test_without_app_json_wikilinks_and_shortest_paths(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = write_vault(tmp_path / "v", NOTES)
    assert _run(vault, "--fix", "--unsafe-fixes", "-q") == 0
    day = (vault / "Daily/Day.md").read_text()
    assert day == "See [[Flow state#Deep work|deep work]] and [[Plan|the plan]].\n"


def test_an_unknown_option_value_is_a_configuration_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = write_vault(tmp_path / "v", NOTES)
    (vault / ".vaultlint.yaml").write_text("rules:\n  link-path:\n    format: longest\n")
    assert _run(vault) == 2
    err = capsys.readouterr().err
    assert "link-path: format: unknown value 'longest'" in err and "relative" in err


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("[[Flow state#Deep work]]\n", "shown as 'Flow state > Deep work'"),
        ("[[Projects/Flow state]]\n", "shown with its folder"),
        ("![[pic.png|300]]\n", "an image with a size"),
        ("![[Flow state]]\n", "a note embedded"),
        ("| a | [[Flow state\\|flow]] |\n", "an escaped pipe in a table"),
        ("[[Flow state|**flow**]]\n", "Markdown in the display text"),
        ('---\nup: "[[Flow state]]"\n---\n', "frontmatter links are wikilinks"),
    ],
)
def test_what_would_show_otherwise_is_left_alone(text: str, why: str) -> None:
    files = {"Projects/Flow state.md": "## Deep work\n", "pic.png": ""}
    findings = check_text(LinkFormat, text, files=files, options={"style": "markdown"})
    assert findings == [], why


@pytest.mark.parametrize(
    "text",
    [
        '[flow](<Flow state.md> "title")\n',
        "| a | [flow](Flow%20state.md) |\n",
        "![alt](pic.png)\n",
        "[](Flow%20state.md)\n",
        "[a [b] c](Flow%20state.md)\n",
    ],
)
def test_markdown_links_a_wikilink_would_show_otherwise_are_left_alone(text: str) -> None:
    files = {"Projects/Flow state.md": "", "pic.png": ""}
    assert check_text(LinkFormat, text, files=files, options={"style": "wikilink"}) == []


def test_a_link_the_new_form_would_send_elsewhere_is_left_alone() -> None:
    # v1.2 and v1.2.md both exist: [x](v1.2.md) as a wikilink keeps its ".md".
    files = {"v1.2.md": "", "v1.2": ""}
    fixed = fix_text(LinkFormat, "[x](v1.2.md)\n", files=files, unsafe=True).note.text
    assert fixed == "[[v1.2.md|x]]\n"
    # Two notes named Plan: shortest is the vault path, never the ambiguous bare name.
    files = {"A/Plan.md": "", "B/Plan.md": ""}
    fixed = fix_text(LinkPath, "[[Plan]] [[B/Plan]]\n", files=files, unsafe=True).note.text
    assert fixed == "[[A/Plan]] [[B/Plan]]\n"
    # A name with "#" cannot be written as a wikilink path.
    files = {"C# notes.md": ""}
    assert check_text(LinkFormat, "[c](C%23%20notes.md)\n", files=files) == []


def test_markdown_spaces_follow_the_note() -> None:
    files = {"My Plan.md": "## Next steps\n"}
    text = "[[My Plan#Next steps|next]] and [old](<My Plan.md>)\n"
    fixed = fix_text(
        LinkFormat, text, files=files, options={"style": "markdown"}, unsafe=True
    ).note.text
    assert fixed == "[next](<My Plan.md#Next steps>) and [old](<My Plan.md>)\n"
