"""Schemas and uncertain regions: a field or section that may stand in an HTML block or a
``$$`` region Obsidian may not render counts as present (no finding), but never gives a
note its type."""

from __future__ import annotations

from helpers import memory_index
from vaultlint.config import Config, default_settings
from vaultlint.engine import Engine
from vaultlint.parse import parse_note

# A book note whose Quotes sit in a collapsible <details> block and whose Author
# line was pasted inside a <div> from a web clipper.
FOLDED_BOOK = """<div class="book-meta">
`Author:` Donella H. Meadows
</div>

## Key Takeaways
- Stocks change only through their flows; delays make systems oscillate.

<details>
<summary>Quotes</summary>

## Quotes
- "A system is more than the sum of its parts."
- "You think that because you understand 'one' that you must therefore understand 'two'."

</details>

## Notes
Read alongside [[Limits to Growth]].

`Concepts:` [[Feedback loops]]
`Knowledge Base:` [[Books index]]
"""

FILES = {
    "Limits to Growth.md": "# Limits\n",
    "Feedback loops.md": "# Loops\n",
    "Books index.md": "# Books index\n",
}


def _schema_codes(path: str, text: str) -> list[str]:
    index = memory_index({**FILES, path: text})
    engine = Engine(Config(root=index.root, rules=default_settings()), index, select=["SC"])
    note = index.note(path)
    assert note is not None
    return [f.code for f in engine.check(note)]


def test_a_section_and_a_field_inside_html_blocks_are_not_missing() -> None:
    note = parse_note("Books/Thinking in Systems.md", FOLDED_BOOK)
    assert [h.text for h in note.uncertain_headings] == ["Quotes"]
    assert [f.key for f in note.uncertain_fields] == ["Author"]
    assert [f.key for f in note.fields] == ["Concepts", "Knowledge Base"]
    assert _schema_codes("Books/Thinking in Systems.md", FOLDED_BOOK) == []


def test_without_the_blocks_the_same_note_is_reported() -> None:
    bare = FOLDED_BOOK.replace("`Author:` Donella H. Meadows\n", "").replace(
        "## Quotes\n", "## Later\n"
    )
    assert sorted(_schema_codes("Books/Thinking in Systems.md", bare)) == ["SC01", "SC03"]


def test_a_field_in_an_uncertain_region_does_not_type_a_note() -> None:
    """The shipped book schema also matches ``Knowledge Base: [[Books index]]``: a note
    outside Books/ gets the book type only from a field that is certainly there."""
    note = "<div>\n`Knowledge Base:` [[Books index]]\n</div>\n\nJust a journal entry.\n"
    assert _schema_codes("Journal/2026-11-30.md", note) == []
    typed = "`Knowledge Base:` [[Books index]]\n\nJust a journal entry.\n"
    assert "SC01" in _schema_codes("Journal/2026-11-30.md", typed)
