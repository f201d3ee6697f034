"""Properties of the link-format rules' unsafe fixes: they settle at once, keep every
link's target (file, heading, block) and what it shows, and change nothing but the
link (link-format), its path (link-path) or the ``.md`` at its end (md-extension)."""

from __future__ import annotations

from urllib.parse import quote

from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import fix_text, memory_index
from vaultlint.model import Link
from vaultlint.parse import parse_note
from vaultlint.rules import Rule
from vaultlint.rules.linkformat import LinkFormat, LinkPath, MdExtension

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


# --- link-format (LK06) and link-path (LK07) -------------------------------------------

VAULT = {
    "Projects/Flow state.md": "# Flow state\n\n## Deep work\n\nFocus. ^focus\n",
    "Projects/Plan.md": "## Goals\n",
    "Archive/Plan.md": "",
    "Été 日本.md": "## Café\n",
    "ខ្មែរ/កំណត់ចំណាំ.md": "",
    "C# notes.md": "",
    "Media/pic 1.png": "",
    "Media/scan.pdf": "",
    "Daily/Day.md": "",
}
# (path as a link may write it, from Daily/Note.md) -> the vault path it opens
WRITTEN = [
    "Flow state",
    "Projects/Flow state",
    "../Projects/Flow state",
    "/Projects/Flow state",
    "Projects/Plan",
    "Archive/Plan",
    "Plan",
    "Été 日本",
    "ខ្មែរ/កំណត់ចំណាំ",
    "កំណត់ចំណាំ",
    "Media/pic 1.png",
    "pic 1.png",
    "scan.pdf",
    "./Day",
    "Day",
    "Missing",
]
SUBPATHS = ["", "#Deep work", "#^focus", "#Goals", "#Café", "#Flow state#Deep work"]
SOURCE = "Daily/Note.md"


@st.composite
def linking_notes(draw: st.DrawFn) -> str:
    parts = []
    for n in range(draw(st.integers(1, 7))):
        path = draw(st.sampled_from(WRITTEN))
        sub = draw(st.sampled_from(SUBPATHS))
        ext = ".md" if draw(st.booleans()) and "." not in path.rpartition("/")[2] else ""
        shown = draw(st.sampled_from([None, f"shown {n}", "Ça 日本", "x|y"]))
        form = draw(st.sampled_from(["wiki", "embed", "md", "angle", "md-image", "comment"]))
        if form == "wiki":
            parts.append(f"[[{path}{ext}{sub}{'' if shown is None else '|' + shown}]]")
        elif form == "embed":
            parts.append(f"![[{path}{ext}{sub}]]")
        elif form == "md":
            parts.append(f"[{shown or 'text'}]({quote(path + ext)}{quote(sub, safe='#^')})")
        elif form == "angle":
            parts.append(f"[{shown or ''}](<{path}{ext}{sub}>)")
        elif form == "md-image":
            parts.append(f"![]({quote(path + ext)})")
        else:
            parts.append(f"%% [[{path}{ext}]] %%")
    sep = draw(st.sampled_from([" ", "\n", "\r\n", "\n\n| a | b |\n\n"]))
    return '---\nup: "[[Flow state]]"\n---\n' + sep.join(parts) + "\n"


def _shown(text: str, link: Link) -> str:
    """What the reader sees of a link: its display text, or a wikilink's path."""
    if link.display is not None:
        return link.display
    return (
        "" if link.kind in ("markdown", "markdown-embed") else text[link.path_start : link.path_end]
    )


def _assert_kept(rule: type[Rule], text: str, options: dict[str, str], whole: bool) -> None:
    files = {**VAULT, SOURCE: text}
    outcome = fix_text(rule, text, path=SOURCE, files=VAULT, options=options, unsafe=True)
    fixed = outcome.note.text
    again = fix_text(rule, fixed, path=SOURCE, files=VAULT, options=options, unsafe=True)
    assert not again.changed and again.findings == []
    resolver = memory_index(files).resolver
    before, after = parse_note(SOURCE, text), parse_note(SOURCE, fixed)
    assert len(before.links) == len(after.links)
    outside_b, outside_a, at_b, at_a = [], [], 0, 0
    for old, new in zip(before.links, after.links, strict=True):
        assert (old.subpath, old.is_embed, old.uncertain) == (
            new.subpath,
            new.is_embed,
            new.uncertain,
        )
        target = resolver.resolve(old.path, SOURCE)
        assert resolver.resolve(new.path, SOURCE) == target
        if whole:  # link-format rewrites whole links: what they show stays
            assert _shown(text, old) == _shown(fixed, new) or (
                old.is_embed and not old.display and not new.display
            )
        else:  # link-path: the path part alone
            assert (old.kind, old.display) == (new.kind, new.display)
        if target is None or old.uncertain:
            assert text[old.start : old.end] == fixed[new.start : new.end]
        start_b, end_b = (old.start, old.end) if whole else (old.path_start, old.path_end)
        start_a, end_a = (new.start, new.end) if whole else (new.path_start, new.path_end)
        outside_b.append(text[at_b:start_b])
        outside_a.append(fixed[at_a:start_a])
        at_b, at_a = end_b, end_a
    assert outside_b == outside_a
    assert text[at_b:] == fixed[at_a:]


@settings(max_examples=80, deadline=None)
@given(text=linking_notes(), style=st.sampled_from(["wikilink", "markdown"]))
def test_link_format_fix_keeps_targets_and_what_links_show(text: str, style: str) -> None:
    _assert_kept(LinkFormat, text, {"style": style}, whole=True)


@settings(max_examples=80, deadline=None)
@given(text=linking_notes(), form=st.sampled_from(["shortest", "relative", "absolute"]))
def test_link_path_fix_keeps_targets_and_changes_paths_alone(text: str, form: str) -> None:
    _assert_kept(LinkPath, text, {"format": form}, whole=False)
