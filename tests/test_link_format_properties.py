"""Property: md-extension's unsafe fix settles at once, keeps every link's target and
changes nothing but ``.md`` at the end of a link's path."""

from __future__ import annotations

from urllib.parse import quote

from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import fix_text, memory_index
from vaultlint.parse import parse_note
from vaultlint.rules.linkformat import MdExtension

FILES = {
    "Plan.md": "## Goals\n",
    "A/Plan.md": "",
    "v1.2.md": "",
    "v1.2": "",
    "Été 日本.md": "",
    "pic.png": "",
}
TARGETS = ["Plan", "A/Plan", "v1.2", "Été 日本", "pic.png", "Missing"]


@st.composite
def notes(draw: st.DrawFn) -> str:
    parts = []
    for _ in range(draw(st.integers(1, 6))):
        target = draw(st.sampled_from(TARGETS))
        ext = draw(st.sampled_from(["", ".md", ".MD"])) if not target.endswith(".png") else ""
        sub = draw(st.sampled_from(["", "#Goals", "#^x"]))
        path = target + ext
        form = draw(st.sampled_from(["plain", "angle", "wiki", "code"]))
        if form == "plain":
            parts.append(f"[t {len(parts)}]({quote(path)}{sub})")
        elif form == "angle":
            parts.append(f"![e](<{path}{sub}>)")
        elif form == "wiki":
            parts.append(f"[[{path}{sub}]]")
        else:
            parts.append(f"`[x]({quote(path)})`")
    sep = draw(st.sampled_from([" ", "\n", "\r\n", "\n\n"]))
    return sep.join(parts) + "\n"


@settings(max_examples=60, deadline=None)
@given(text=notes(), with_ext=st.booleans())
def test_md_extension_fix_keeps_targets_and_settles(text: str, with_ext: bool) -> None:
    options = {"with-extension": with_ext}
    outcome = fix_text(MdExtension, text, files=FILES, options=options, unsafe=True)
    fixed = outcome.note.text
    again = fix_text(MdExtension, fixed, files=FILES, options=options, unsafe=True)
    assert not again.changed and again.findings == []
    index = memory_index({**FILES, "Note.md": text})
    resolver = index.resolver
    before, after = parse_note("Note.md", text), parse_note("Note.md", fixed)
    assert len(before.links) == len(after.links)
    pieces_before, pieces_after, at_b, at_a = [], [], 0, 0
    for old, new in zip(before.links, after.links, strict=True):
        assert (old.kind, old.subpath, old.display) == (new.kind, new.subpath, new.display)
        assert resolver.resolve(old.path, "Note.md") == resolver.resolve(new.path, "Note.md")
        if old.path != new.path:
            assert old.kind in ("markdown", "markdown-embed")
            added = new.path == old.path + ".md"
            removed = old.path.lower().endswith(".md") and new.path == old.path[:-3]
            assert added or removed
        pieces_before.append(text[at_b : old.path_start])
        pieces_after.append(fixed[at_a : new.path_start])
        at_b, at_a = old.path_end, new.path_end
    assert pieces_before == pieces_after
    assert text[at_b:] == fixed[at_a:]
