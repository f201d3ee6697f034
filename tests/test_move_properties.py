"""Property: after any ``mv`` in a generated vault, every link opens what it opened
before (file, heading, block) and no byte outside the links' paths changed."""

from __future__ import annotations

import json
import posixpath
import tempfile
from pathlib import Path
from urllib.parse import quote

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from helpers import write_vault
from vaultlint import open_vault
from vaultlint.links import targets_row
from vaultlint.model import Note
from vaultlint.move import MoveError, MovePlan
from vaultlint.workspace import Workspace

FOLDERS = ["", "A", "A/Sub", "Ünï", "日本 語"]
NAMES = ["Flow", "Flow state", "ស្រុកខ្មែរ", "Café", "C# notes", "日記", "Plan"]
ATTACHMENTS = ["pic 1.png", "图.png"]
NEW_NAMES = ["Flow", "Renamed", "ស្រុក", "Plan", "Été", "New (1)"]


def _join(folder: str, name: str) -> str:
    return f"{folder}/{name}" if folder else name


@st.composite
def vaults(draw: st.DrawFn) -> dict[str, str | bytes]:
    notes = draw(
        st.lists(
            st.tuples(st.sampled_from(FOLDERS), st.sampled_from(NAMES)),
            min_size=2,
            max_size=7,
            unique=True,
        )
    )
    pictures = draw(
        st.lists(
            st.tuples(st.sampled_from(FOLDERS), st.sampled_from(ATTACHMENTS)),
            max_size=2,
            unique=True,
        )
    )
    paths = [_join(f, n + ".md") for f, n in notes] + [_join(f, n) for f, n in pictures]
    files: dict[str, str | bytes] = {_join(f, n): f"bytes of {n}".encode() for f, n in pictures}
    for i, (folder, _) in enumerate(notes):
        here = _join(folder, NAMES[0])
        lines = [f"# Note {i}", "", "## Deep work", "", f"A paragraph ^b{i}", ""]
        front = []
        for _ in range(draw(st.integers(0, 6))):
            target = draw(st.sampled_from(paths))
            lines.append(_link(draw, target, here, front))
        if front:
            lines = ["---", *front, "---", *lines]
        newline = draw(st.sampled_from(["\n", "\r\n"]))
        files[paths[i]] = newline.join(lines) + newline
    nodes = [{"id": str(i), "type": "file", "file": p} for i, p in enumerate(paths[:3])]
    nodes.append({"id": "t", "type": "text", "text": f'"file": "{paths[0]}"'})
    files["Board.canvas"] = json.dumps({"nodes": nodes, "edges": []}, ensure_ascii=False)
    return files


def _link(draw: st.DrawFn, target: str, here: str, front: list[str]) -> str:
    note = target.endswith(".md")
    stem = target[:-3] if note else target
    name = stem.rpartition("/")[2]
    sub = draw(st.sampled_from(["", "#Deep work", "#^b0", "#^b1"])) if note else ""
    form = draw(st.sampled_from(["bare", "path", "embed", "md", "angle", "front", "code"]))
    if form == "bare":
        return f"[[{name}{sub}]] and [[{name}|shown {name}]]"
    if form == "path":
        return f"see [[{stem}{sub}|display]]"
    if form == "embed":
        return f"![[{stem}{sub}]]"
    relative = posixpath.relpath(target, posixpath.dirname(here) or ".")
    if form == "md":
        dest = quote(relative, safe="/") + quote(sub, safe="#^")
        return f"[text]({dest})"
    if form == "angle":
        return f"[text](<{relative}{sub}>)"
    if form == "front":
        front.append(f'up{len(front)}: "[[{name}]]"')
        return "after the frontmatter"
    return f"`[[{name}]]` and\n\n```\n[[{stem}]]\n```"


def _snapshot(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in root.rglob("*")
        if p.is_file() and ".vaultlint_cache" not in p.parts
    }


@st.composite
def moves(draw: st.DrawFn, files: list[str]) -> tuple[str, str]:
    folders = sorted({posixpath.dirname(f) for f in files} - {""})
    sources = files + folders
    source = draw(st.sampled_from(sources))
    into = draw(st.sampled_from(["", *FOLDERS[1:], "New folder", "A/Deep"]))
    if source in folders and draw(st.booleans()):
        return source, into + "/" if into else "Moved folder"
    name = draw(st.sampled_from([None, *NEW_NAMES]))
    ext = posixpath.splitext(source)[1] if source in files else ""
    base = posixpath.basename(source) if name is None else name + ext
    return source, _join(into, base)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(files=vaults(), data=st.data())
def test_every_link_opens_the_same_target_after_a_move(
    files: dict[str, str | bytes], data: st.DataObject
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = write_vault(Path(tmp) / "vault", files)
        for _ in range(2):
            before = open_vault(root)
            for path in before.index.notes:
                before.note(path)  # read now: the files move
            before_bytes = _snapshot(root)
            source, dest = data.draw(moves(sorted(before.index.files)))
            try:
                plan = open_vault(root).move([root / source], f"{root}/{dest}", git=False)
            except MoveError as exc:
                event(f"refused: {str(exc).rpartition(': ')[2]}")
                assert _snapshot(root) == before_bytes
                continue
            event(f"moved, {'with' if plan.links else 'without'} rewrites")
            _check(before, open_vault(root), plan, before_bytes, _snapshot(root))


def _check(
    old: Workspace,
    new: Workspace,
    plan: MovePlan,
    old_bytes: dict[str, bytes],
    new_bytes: dict[str, bytes],
) -> None:
    moved = plan.files
    assert sorted(new.index.files) == sorted(moved.get(p, p) for p in old.index.files)
    for path in old.index.files:
        now = moved.get(path, path)
        if path.endswith(".md"):
            _same_links(old, new, path, now, moved)
        elif path.endswith(".canvas"):
            _same_canvas(old_bytes[path], new_bytes[now], moved)
        else:
            assert new_bytes[now] == old_bytes[path]


def _same_links(old: Workspace, new: Workspace, path: str, now: str, moved: dict[str, str]) -> None:
    a, b = old.note(path), new.note(now)
    assert a is not None and b is not None
    assert targets_row(a) == targets_row(b)
    assert _outside_paths(a) == _outside_paths(b)
    assert len(a.links) == len(b.links)
    before, after = old.index.resolver, new.index.resolver
    for x, y in zip(a.links, b.links, strict=True):
        assert (x.kind, x.subpath, x.display, x.uncertain) == (
            y.kind,
            y.subpath,
            y.display,
            y.uncertain,
        )
        region = a.region_at(x.start)
        if x.uncertain or (region is not None and region.kind == "comment"):
            assert x.raw == y.raw
            continue
        was = before.resolve(x.path, path)
        if was is None:
            continue  # a broken link may come to resolve: the move names it
        target = after.resolve(y.path, now)
        assert target == moved.get(was, was), (path, x.raw, y.raw)
        assert before.missing_subpath(x, was, a) == after.missing_subpath(y, target, b)


def _outside_paths(note: Note) -> list[str]:
    """The note's text in pieces, the paths of its links left out."""
    pieces, at = [], 0
    for link in note.links:
        pieces.append(note.text[at : link.path_start])
        at = link.path_end
    pieces.append(note.text[at:])
    return pieces


def _same_canvas(old: bytes, new: bytes, moved: dict[str, str]) -> None:
    was, now = json.loads(old), json.loads(new)
    for node in was["nodes"]:
        if node.get("type") == "file":
            node["file"] = moved.get(node["file"], node["file"])
    assert now == was
    old_text, new_text = old.decode(), new.decode()
    for path, new_path in moved.items():
        old_text = old_text.replace(f'"file": "{path}"', '"file": ""')
        new_text = new_text.replace(f'"file": "{new_path}"', '"file": ""')
    assert old_text == new_text
