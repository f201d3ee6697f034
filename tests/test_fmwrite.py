"""The frontmatter writer: edits that change one key and keep every other byte."""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vaultlint.fixer import apply_fixes
from vaultlint.fmwrite import FrontmatterEditor, editor, scalar_text
from vaultlint.model import Fix
from vaultlint.parse import parse_note

TEMPLATER = """\
---
# created by Templater: <% tp.file.creation_date() %>
title: "مراجعة: الكتاب"   # Arabic title, quoted
aliases: [读书笔记, 'Reading notes']
rating: "4"
tags: book
up: [[Books index]]
authors:
  - Ursula K. Le Guin   # the author
  - "[[Le Guin]]"

# Dataview reads these
started: 2024-05-01
summary: >
  折り畳まれた
  テキスト
---
Body with `Author:` and [[Link]]
"""


def edited(text: str, edits: Any) -> str:
    assert edits is not None
    return apply_fixes(text, [Fix(tuple(edits))], parse_note("N.md", text).newline)


def ed(text: str) -> FrontmatterEditor:
    found = editor(parse_note("N.md", text))
    assert found is not None
    return found


def test_set_value_replaces_only_the_value() -> None:
    new = edited(TEMPLATER, ed(TEMPLATER).set_value("rating", 4))
    assert new == TEMPLATER.replace('rating: "4"', "rating: 4")


def test_quote_an_unquoted_link() -> None:
    new = edited(TEMPLATER, ed(TEMPLATER).quote("up"))
    assert new == TEMPLATER.replace("up: [[Books index]]", 'up: "[[Books index]]"')
    assert parse_note("N.md", new).frontmatter.data["up"] == "[[Books index]]"  # type: ignore[union-attr]


def test_lone_scalar_becomes_a_block_list() -> None:
    new = edited(TEMPLATER, ed(TEMPLATER).to_list("tags"))
    assert new == TEMPLATER.replace("tags: book\n", "tags:\n  - book\n")


def test_append_keeps_comments_and_style() -> None:
    new = edited(TEMPLATER, ed(TEMPLATER).append_items("authors", ["ル＝グウィン"]))
    assert new == TEMPLATER.replace('"[[Le Guin]]"\n', '"[[Le Guin]]"\n  - ル＝グウィン\n')
    flow = edited(TEMPLATER, ed(TEMPLATER).append_items("aliases", ["x, y"]))
    assert "aliases: [读书笔记, 'Reading notes', \"x, y\"]\n" in flow


def test_delete_item_and_key() -> None:
    new = edited(TEMPLATER, ed(TEMPLATER).delete_item("authors", 0))
    assert "Ursula" not in new and '  - "[[Le Guin]]"\n\n# Dataview' in new
    gone = edited(TEMPLATER, ed(TEMPLATER).delete_key("authors"))
    assert gone == TEMPLATER.replace(
        'authors:\n  - Ursula K. Le Guin   # the author\n  - "[[Le Guin]]"\n', ""
    )


def test_rename_merge_and_insert() -> None:
    text = "---\ntag: [a, B]\ntags:\n  - b\n---\n"
    merged = edited(text, ed(text).merge_into("tag", "tags", str.casefold))
    assert merged == "---\ntags:\n  - b\n  - a\n---\n"
    renamed = edited("---\ntag: x\n---\n", ed("---\ntag: x\n---\n").merge_into("tag", "tags", str))
    assert renamed == "---\ntags: x\n---\n"
    inserted = edited(TEMPLATER, ed(TEMPLATER).insert_key("Author", None, 2))
    assert "aliases: [读书笔记, 'Reading notes']\nAuthor:\nrating:" in inserted


def test_crlf_and_cr_keep_their_line_breaks() -> None:
    for newline in ("\r\n", "\r"):
        text = TEMPLATER.replace("\n", newline)
        new = edited(text, ed(text).to_list("tags"))
        assert new == text.replace(f"tags: book{newline}", f"tags:{newline}  - book{newline}")


def test_invalid_or_aliased_frontmatter_is_not_edited() -> None:
    assert editor(parse_note("N.md", '---\ntitle: "open\n---\n')) is None
    assert editor(parse_note("N.md", "---\ntitle: x\n")) is None  # not closed
    text = "---\nx: &a [1]\ny: *a\n---\n"
    assert ed(text).set_value("y", 3) is None  # where *a is written is not known
    assert ed(text).set_value("x", 3) is None  # y would change too


def test_an_edit_that_would_change_other_data_is_refused() -> None:
    text = "---\nkey: value\n---\n"
    assert ed(text).set_value("key", "a: b") is not None  # quoted
    assert scalar_text("a: b") == '"a: b"'
    assert scalar_text("#tag") == '"#tag"'
    assert scalar_text("3") == '"3"'
    assert scalar_text("[[Note]]") == '"[[Note]]"'
    assert scalar_text("true") == '"true"'
    assert scalar_text("plain words") == "plain words"


# --- the property test ----------------------------------------------------------------

WORDS = st.sampled_from(
    [
        "book",
        "Le Guin",
        "读书笔记",
        "مراجعة",
        "ភាសាខ្មែរ",
        "ภาษาไทย",
        "کتاب‌خانه",
        "日本語のテキスト",
        "emoji 📚",
        "a: b",
        "#tag",
        "x, y",
        "3",
        "true",
        "2024-05-01",
        "it's",
        'say "hi"',
        "[[Note]]",
        "[[Note|alias]]",
        "",
    ]
)
KEYS = st.sampled_from(
    ["title", "tags", "aliases", "up", "rating", "日付", "عنوان", "created at", "cssclass", "x"]
)


@dataclass
class Entry:
    key: str
    text: str  # the entry's lines, line breaks as "\n"
    value: Any


def _plain(word: str) -> str | None:
    text = scalar_text(word)
    return text if text == word else None


@st.composite
def entries(draw: st.DrawFn, names: st.SearchStrategy[str] = KEYS) -> list[Entry]:
    keys = draw(st.lists(names, min_size=1, max_size=6, unique=True))
    found: list[Entry] = []
    anchored: list[Entry] = []
    for key in keys:
        style = draw(
            st.sampled_from(["plain", "single", "double", "flow", "block", "literal", "alias"])
        )
        words = draw(st.lists(WORDS.filter(bool), min_size=1, max_size=3))
        word = words[0]
        comment = draw(st.sampled_from(["", "  # note", "   # 注释"]))
        value: Any
        if style == "plain" and _plain(word) is not None:
            text, value = f"{key}: {word}{comment}\n", word
        elif style == "single" and "\n" not in word:
            text, value = f"{key}: '" + word.replace("'", "''") + f"'{comment}\n", word
        elif style in ("plain", "single", "double"):
            text, value = f"{key}: {scalar_text(word, style=chr(34))}{comment}\n", word
        elif style == "flow":
            items = [scalar_text(w, flow=True) for w in words]
            anchor = draw(st.sampled_from(["", "&a" + str(len(anchored)) + " "]))
            text, value = f"{key}: {anchor}[{', '.join(i or '' for i in items)}]{comment}\n", words
        elif style == "block":
            indent = draw(st.sampled_from(["", "  ", "    "]))
            lines = "".join(f"{indent}- {scalar_text(w)}{comment}\n" for w in words)
            text, value = f"{key}:\n{lines}", words
        elif style == "literal":
            body = "".join(f"  {w}\n" for w in words)
            text, value = f"{key}: |\n{body}", "".join(f"{w}\n" for w in words)
        elif anchored:
            target = anchored[-1]
            name = target.text.split("&", 1)[1].split(" ", 1)[0]
            text, value = f"{key}: *{name}\n", target.value
        else:
            text, value = f"{key}: [[{word}]]\n", [[word]] if _plain(word) else None
            if value is None:
                text, value = f"{key}:\n", None
        entry = Entry(key, text, value)
        if "&a" in text:
            anchored.append(entry)
        found.append(entry)
        if draw(st.booleans()):
            found.append(Entry("", draw(st.sampled_from(["\n", "# a comment\n", "# تعليق\n"])), 0))
    return found


OPERATIONS = st.sampled_from(
    [
        "set_value",
        "set_list",
        "quote",
        "to_list",
        "replace_item",
        "delete_item",
        "append_items",
        "rename_key",
        "delete_key",
        "merge_into",
        "insert_key",
    ]
)


def _expected(data: dict[str, Any], op: str, key: str, word: str, index: int) -> Any:
    data = copy.deepcopy(data)
    value = data.get(key)
    if op == "set_value":
        data[key] = word
    elif op == "set_list":
        data[key] = [word, "book"]
    elif op == "to_list":
        data[key] = [value]
    elif op == "replace_item":
        data[key][index] = word
    elif op == "delete_item":
        data[key].pop(index)
    elif op == "append_items":
        old = value if isinstance(value, list) else [] if value is None else [value]
        data[key] = [*old, word]  # an empty value holds no item
    elif op in ("rename_key", "merge_into"):
        data = {("renamed" if k == key else k): v for k, v in data.items()}
    elif op == "delete_key":
        data.pop(key)
    elif op == "insert_key":
        items = list(data.items())
        items.insert(index, ("new key", word))
        data = dict(items)
    return data


@settings(
    derandomize=True,
    max_examples=600,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(entries(), OPERATIONS, WORDS, st.integers(0, 5), st.sampled_from(["\n", "\r\n"]))
def test_an_edit_changes_exactly_what_it_says(
    found: list[Entry], op: str, word: str, index: int, newline: str
) -> None:
    raw = "".join(e.text for e in found)
    body = "\n# Heading\n\nText with [[Link]] and `Key:` 中文\n"
    text = ("---\n" + raw + "---\n" + body).replace("\n", newline)
    note = parse_note("N.md", text)
    fm = note.frontmatter
    assert fm is not None
    if fm.error is not None:
        return  # not what this test is about (a generated block YAML rejects)
    found_editor = editor(note)
    assert found_editor is not None
    keyed = [e for e in found if e.key]
    target = keyed[index % len(keyed)]
    key = target.key
    data = fm.data
    value = data.get(key)
    item = index % len(value) if isinstance(value, list) and value else 0
    if op == "set_value":
        edits = found_editor.set_value(key, word)
    elif op == "set_list":
        edits = found_editor.set_value(key, [word, "book"])
    elif op == "quote":
        edits = found_editor.quote(key)
        if edits is not None:
            line = target.text[len(key) + 1 :].rstrip("\n")
            written = re.sub(r"\s+# (note|注释)$", "", line).strip()
            expected = {**data, key: written}
    elif op == "to_list":
        edits = found_editor.to_list(key) if not isinstance(value, list) else None
    elif op == "replace_item":
        edits = found_editor.replace_item(key, item, word) if isinstance(value, list) else None
    elif op == "delete_item":
        edits = found_editor.delete_item(key, item) if isinstance(value, list) else None
    elif op == "append_items":
        edits = found_editor.append_items(key, [word])
    elif op == "rename_key":
        edits = found_editor.rename_key(key, "renamed")
    elif op == "merge_into":
        edits = found_editor.merge_into(key, "renamed", str)
    elif op == "delete_key":
        edits = found_editor.delete_key(key)
    else:
        index = index % (len(keyed) + 1)
        edits = found_editor.insert_key("new key", word, index)
    simple = target.text.startswith(f"{key}: ") and target.text.count("\n") == 1 and "*" not in raw
    if op in ("set_value", "rename_key", "delete_key") and simple and "&" not in raw:
        assert edits is not None, f"{op} refused on a simple entry: {target.text!r}"
    if edits is None:
        return
    if op != "quote":
        expected = _expected(data, op, key, word, item if op != "insert_key" else index)
    new = apply_fixes(text, [Fix(tuple(edits))], note.newline)
    assert new.endswith("---" + newline + body.replace("\n", newline)), "the body changed"
    after = parse_note("N.md", new)
    assert after.frontmatter is not None and after.frontmatter.error is None
    assert (after.frontmatter.data or {}) == expected
    # Every other entry (comments and blank lines too) is there as it was, in order.
    new_raw = after.frontmatter.raw
    at = 0
    for entry in found:
        if entry is target:
            continue
        piece = entry.text.replace("\n", newline)
        where = new_raw.find(piece, at)
        assert where != -1, f"{entry.text!r} changed"
        at = where + len(piece)
    assert "\r" not in new.replace("\r\n", "") if newline == "\r\n" else "\r" not in new


@pytest.mark.parametrize("op", ["set_value", "to_list", "quote", "delete_key"])
def test_edits_compose_through_the_fixer(op: str) -> None:
    """Two edits of different keys made from the same text apply together."""
    first = ed(TEMPLATER).set_value("rating", 4)
    other = {
        "set_value": ed(TEMPLATER).set_value("title", "x"),
        "to_list": ed(TEMPLATER).to_list("tags"),
        "quote": ed(TEMPLATER).quote("up"),
        "delete_key": ed(TEMPLATER).delete_key("authors"),
    }[op]
    assert first is not None and other is not None
    new = apply_fixes(TEMPLATER, [Fix(first), Fix(other)])
    fm = parse_note("N.md", new).frontmatter
    assert fm is not None and fm.error is None and fm.data["rating"] == 4
