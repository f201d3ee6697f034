"""The report's properties section: types, uses and breaking values, tags and their
near-duplicates, in every format, from the facts the cache keeps."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from helpers import write_vault
from vaultlint.cli import main

# A reading vault: properties as Obsidian writes them, a few values of the wrong
# kind, tags in several spellings and scripts, CRLF endings, a Templater template.
FILES = {
    "Reading/Norwegian Wood.md": "---\ntitle: Norwegian Wood\nrating: 4\nread: true\n"
    "started: 2026-03-01\ntags: [novel, 文学/日本]\naliases: [ノルウェイの森]\n---\nEvenings.\n",
    "Reading/Dune.md": "---\ntitle: Dune\nrating: 5\nread: false\nstarted: 2026-01-04\n"
    "tags:\n  - novel\n  - SciFi\n---\nDesert. #sci-fi\n",
    "Reading/ดวงดาว.md": '---\r\ntitle: ดวงดาว\r\nrating: "3"\r\nread: yes\r\n'
    "started: 2026-02-10\r\ntags: [Novel]\r\n---\r\nดาว #sci-fi\r\n",
    "Reading/Empty.md": "---\ntitle: Empty\nrating:\nread:\n---\n#sci-fi\n",
    "Templates/Book.md": "---\ntitle: <% tp.file.title %>\nrating: \nRead: false\n---\n",
    "Home.md": "# Home\n#文学/日本 #文学\n",
}


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    return write_vault(tmp_path / "vault", FILES)


def _json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, Any]:
    assert main(["report", *argv, "--format", "json"]) == 0
    data: dict[str, Any] = json.loads(capsys.readouterr().out)["properties"]
    return data


def test_each_property_has_its_type_uses_and_breaking_values(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = _json(capsys, str(vault), "--no-cache")
    by_name = {p["name"]: p for p in data["properties"]}
    assert by_name["rating"] == {
        "name": "rating",
        "type": "number",
        "declared": False,
        "notes": 5,
        "breaking": 1,  # the quoted "3"; empty values never break a type
    }
    # "Read" and "read" are one property; yes is text, so the checkbox has one breaker.
    assert by_name["read"] == {
        "name": "read",
        "type": "checkbox",
        "declared": False,
        "notes": 5,
        "breaking": 1,
    }
    assert by_name["started"]["type"] == "date" and by_name["started"]["breaking"] == 0
    assert by_name["tags"] == {
        "name": "tags",
        "type": "tags",
        "declared": True,
        "notes": 3,
        "breaking": 0,
    }
    assert by_name["aliases"]["type"] == "aliases" and by_name["title"]["type"] == "text"
    assert [p["name"] for p in data["properties"]][:3] == ["rating", "read", "title"]


def test_tags_are_counted_per_note_and_their_spellings_grouped(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = _json(capsys, str(vault), "--no-cache")
    tags = {t["tag"]: t["notes"] for t in data["tags"]}
    assert tags == {"sci-fi": 3, "novel": 2, "文学/日本": 2, "Novel": 1, "SciFi": 1, "文学": 1}
    assert data["near_duplicate_tags"] == [
        [{"tag": "novel", "notes": 2}, {"tag": "Novel", "notes": 1}],
        [{"tag": "sci-fi", "notes": 3}, {"tag": "SciFi", "notes": 1}],
    ]


def test_a_warm_report_takes_the_section_from_the_cache(
    vault: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    cold = _json(capsys, str(vault), "--no-cache")
    assert _json(capsys, str(vault)) == cold  # fills the cache

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a note was checked although the cache holds it")

    monkeypatch.setattr("vaultlint.engine.Engine.check", refuse)
    assert _json(capsys, str(vault)) == cold


@pytest.mark.parametrize("fmt", ["terminal", "markdown", "html"])
def test_every_format_shows_the_section(
    vault: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    assert main(["report", str(vault), "--no-cache", "--format", fmt, "--top", "2"]) == 0
    out = capsys.readouterr().out
    assert "Properties" in out
    assert "number (inferred)" in out and "checkbox (inferred)" in out
    assert "sci-fi (3)" in out and "SciFi (1)" in out
    assert "more not shown" in out  # the lists are cut to --top
    if fmt == "html":
        assert "Properties and tags</h2>" in out and "<script" not in out


def test_vault_text_is_escaped_in_html(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = write_vault(tmp_path / "v", {"A.md": "---\n'<img src=x>': 1\n---\n#x<b>\n"})
    assert main(["report", str(root), "--no-cache", "--format", "html"]) == 0
    out = capsys.readouterr().out
    assert "&lt;img src=x&gt;" in out and "<img src=x>" not in out
