"""Moving and renaming files of a vault without breaking a link (``vaultlint mv``).

It works the way Obsidian's "automatically update internal links" does: every
link that may be affected is resolved before the move and again in the vault
as it will be, and exactly the links whose target would change are rewritten
so that each opens the same file as before. Only the path part of a link is
replaced: its ``#heading``, ``#^block`` and display text stay as written.

Which notes may hold such a link is found without parsing the vault: a link
resolves from its last segment (the file name), so only notes whose text holds
the name of a moved file (before or after the move, percent-decoded for
Markdown links) are parsed, with the moved notes themselves (their relative
links and folder ties change).

Every rewritten note is parsed again and each of its links checked to open
what it opened before; when one would not, nothing is moved and the link is
named. Uncertain links (``Link.uncertain``) are never touched.
"""

from __future__ import annotations

import itertools
import json
import os
import posixpath
import re
import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, unquote

from vaultlint.errors import UsageError
from vaultlint.fixer import encode, git_diff, git_quote, write_note
from vaultlint.links import (
    FileIndex,
    LinkForm,
    LinkResolver,
    LinkTargets,
    normalize_heading,
    show_link,
    targets_row,
)
from vaultlint.model import Edit, Link, Note
from vaultlint.parse import parse_note
from vaultlint.vault import VaultIndex, name_tables, vault_path

_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.S)
_JSON_COLON = re.compile(r"\s*:\s*")


class MoveError(UsageError):
    """A move refused: nothing was moved or written."""


@dataclass(frozen=True)
class Rewrite:
    """One file's links rewritten: ``path`` is where it is after the move."""

    path: str
    old_path: str
    old_text: str
    new_text: str
    bom: bool
    original: bytes  # the file's bytes as read (the writer checks they still hold)
    links: int  # how many links were rewritten

    @property
    def data(self) -> bytes:
        return encode(self.new_text, self.bom)


@dataclass
class MovePlan:
    """What a move does; ``Workspace.move`` carries it out unless it is a dry run."""

    moves: list[tuple[str, str]]  # the sources as named -> where they go (vault paths)
    files: dict[str, str]  # every file of the vault that moves: old path -> new path
    folders: int  # how many of the sources are folders
    rewrites: list[Rewrite] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    done: bool = False  # carried out (not a dry run)
    renamed: str = ""  # "1 heading" or "1 block" when a subpath is renamed, not a file

    @property
    def links(self) -> int:
        return sum(r.links for r in self.rewrites)

    def summary(self) -> str:
        """One line: "moved 1 note, rewrote 7 links in 4 notes"."""
        moved = [new for old, new in self.moves if old in self.files]
        notes = sum(1 for p in moved if p.lower().endswith(".md"))
        what = self.renamed or _join_words(
            [
                _count(notes, "note"),
                _count(len(moved) - notes, "attachment"),
                _count(self.folders, "folder"),
            ]
        )
        linking = [r for r in self.rewrites if r.links]
        in_notes = sum(1 for r in linking if r.path.lower().endswith(".md"))
        where = _join_words(
            [_count(in_notes, "note"), _count(len(linking) - in_notes, "canvas", "canvases")]
        )
        act = "rename" if self.renamed else "move"
        act, rewrite = (act + "d", "rewrote") if self.done else ("would " + act, "rewrite")
        text = f"{act} {what}, {rewrite} {_count(self.links, 'link', force=True)}"
        return text + (f" in {where}" if where else "")

    def diff(self) -> str:
        """The move as a patch ``git apply`` accepts: renames, then the links rewritten."""
        rewrites = {r.path: r for r in self.rewrites}
        parts = []
        for old, new in sorted(self.files.items()):
            rewrite = rewrites.pop(new, None)
            if rewrite is None:
                parts.append(_rename_header(old, new))
            else:
                parts.append(
                    git_diff(new, rewrite.old_text, rewrite.new_text, bom=rewrite.bom, old_path=old)
                )
        for path, rewrite in sorted(rewrites.items()):
            parts.append(git_diff(path, rewrite.old_text, rewrite.new_text, bom=rewrite.bom))
        return "".join(parts)


def _rename_header(old: str, new: str) -> str:
    """A rename with no change to the file (``git apply`` takes it as a rename)."""
    a, b = git_quote(f"a/{old}"), git_quote(f"b/{new}")
    return (
        f"diff --git {a} {b}\nsimilarity index 100%\n"
        f"rename from {git_quote(old)}\nrename to {git_quote(new)}\n"
    )


def _count(n: int, word: str, plural: str = "", force: bool = False) -> str:
    if n == 0 and not force:
        return ""
    return f"{n} {word if n == 1 else plural or word + 's'}"


def _join_words(words: list[str]) -> str:
    words = [w for w in words if w]
    return ", ".join(words[:-1]) + " and " + words[-1] if len(words) > 1 else "".join(words)


# --- what moves where -------------------------------------------------------------------


def plan_move(
    root: Path,
    index: VaultIndex,
    sources: Sequence[Path],
    destination: Path | str,
    link_format: LinkForm = "shortest",
) -> MovePlan:
    """The move of ``sources`` to ``destination`` (a new name, or a folder: an existing
    one, or one named with a trailing ``/``), with every link it must rewrite;
    a ``MoveError`` when it is refused. A bare link whose name no longer resolves
    gets the path ``link_format`` (``newLinkFormat``) writes."""
    moves, folders = _destinations(root, index, sources, destination)
    files = _moved_files(index, moves)
    _check_destinations(root, index, moves, files)
    plan = MovePlan(moves, files, folders)
    after = _Names(index, files)
    rewriter = _Rewriter(index, index, after, files, link_format, plan)
    rewriter.after_of = files
    rewriter.run()
    return plan


def _destinations(
    root: Path, index: VaultIndex, sources: Sequence[Path], named: Path | str
) -> tuple[list[tuple[str, str]], int]:
    if not sources:
        raise MoveError("nothing to move")
    destination = Path(named)
    dest = vault_path(root, destination)
    if dest is None:
        raise MoveError(f"{destination}: outside the vault at {root}")
    if _hidden(dest):
        raise MoveError(f"{destination}: a hidden path, outside what Obsidian sees of the vault")
    into = destination.is_dir() or str(named).endswith(("/", os.sep))
    if len(sources) > 1 and not into:
        raise MoveError(f"{destination}: not a folder; moving several files needs one")
    moves: list[tuple[str, str]] = []
    folders = 0
    known = set(index.files)
    for source in sources:
        rel = vault_path(root, source)
        if rel is None:
            raise MoveError(f"{source}: not in the vault at {root}")
        if rel == "" or _hidden(rel):
            raise MoveError(f"{source}: not a file or folder of the vault")
        if source.is_dir() and not source.is_symlink():
            folders += 1
        elif rel not in known:
            what = "no such file or folder" if not os.path.lexists(source) else "not a vault file"
            raise MoveError(f"{source}: {what}")
        name = rel.rpartition("/")[2]
        target = posixpath.join(dest, name) if into and dest else name if into else dest
        if rel in known and rel.lower().endswith(".md") and not target.lower().endswith(".md"):
            target += ".md"  # a note stays a note: "mv Flow.md 'Flow state'"
        if target == rel:
            raise MoveError(f"{source}: already at {target}")
        if target.startswith(rel + "/"):
            raise MoveError(f"{source}: cannot move a folder into itself")
        moves.append((rel, target))
    return moves, folders


def _moved_files(index: VaultIndex, moves: list[tuple[str, str]]) -> dict[str, str]:
    files: dict[str, str] = {}
    folders = {old + "/": new + "/" for old, new in moves if old not in set(index.files)}
    singles = dict(moves)
    for path in index.files:
        if path in singles:
            files[path] = singles[path]
            continue
        for old, new in folders.items():
            if path.startswith(old):
                files[path] = new + path[len(old) :]
                break
    return files


def _check_destinations(
    root: Path, index: VaultIndex, moves: list[tuple[str, str]], files: dict[str, str]
) -> None:
    targets = [new for _, new in moves]
    for old, new in moves:
        if targets.count(new) > 1:
            raise MoveError(f"{new}: more than one source would move there")
        place = root / new
        if os.path.lexists(place) and not _same_file(root / old, place):
            raise MoveError(f"{new}: exists; nothing was moved")
        parent = posixpath.dirname(new)
        while parent:
            where = root / parent
            if os.path.lexists(where) and not where.is_dir():
                raise MoveError(f"{parent}: a file, not a folder")
            parent = posixpath.dirname(parent)
    staying = {p.lower(): p for p in index.files if p not in files}
    for new in files.values():
        other = staying.get(new.lower())
        if other is not None:  # Obsidian's names are case-insensitive
            raise MoveError(f"{new}: {other} exists (names differ only in case)")


def _same_file(a: Path, b: Path) -> bool:
    """A case-only rename on a case-insensitive file system."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _hidden(path: str) -> bool:
    return any(part.startswith(".") for part in path.split("/") if part)


class _Names:
    """The vault's names with ``files`` renamed (old -> new) and ``extra`` files added:
    the vault after a move, or before the staged renames and deletions (a
    ``links.FileIndex``)."""

    def __init__(self, index: VaultIndex, files: dict[str, str], extra: Iterable[str] = ()) -> None:
        self.index = index
        self.back = {new: old for old, new in files.items()}
        names = sorted([*(files.get(p, p) for p in index.files), *extra])
        self.by_name, self.by_lower_path, self.case_twins = name_tables(names)
        self.unlisted = index.unlisted

    def note(self, path: str) -> Note | None:
        return self.index.note(self.back.get(path, path))

    def stored_targets(self, path: str) -> LinkTargets | None:
        return None

    def alias_holders(self, key: str) -> tuple[str, ...]:
        return ()  # aliases never resolve a link (R31): a move needs none


# --- the links ------------------------------------------------------------------------


class _Rewriter:
    """Finds and rewrites the links of the notes of ``index`` whose target is renamed
    (``files``: old -> new) between the vault as ``before`` names it and as ``after``
    does. A note read at path P was at ``before_of[P]`` and is at ``after_of[P]``
    (P itself when absent). ``staged``: the renames happened already (a commit's),
    and a link that cannot be kept is reported in ``broken``, not refused."""

    def __init__(
        self,
        index: VaultIndex,
        before: FileIndex,
        after: FileIndex,
        files: dict[str, str],
        link_format: LinkForm,
        plan: MovePlan,
        staged: bool = False,
    ) -> None:
        self.index = index
        self.files = files
        self.link_format = link_format
        self.plan = plan
        self.before = LinkResolver(before)
        self.after = LinkResolver(after)
        self.before_of: dict[str, str] = {}
        self.after_of: dict[str, str] = {}
        self.staged = staged
        self.deleted: frozenset[str] = frozenset()
        self.broken: dict[str, list[str]] = {}  # note -> what broke in it (staged)
        # note -> (line, path as written) -> the deleted file a link opened (staged)
        self.deleted_links: dict[str, dict[tuple[int, str], str]] = {}

    def _refuse(self, path: str, message: str) -> None:
        if not self.staged:
            raise MoveError(f"{message}; nothing was moved")
        self.broken.setdefault(path, []).append(message)

    def run(self) -> None:
        names = _names({**self.files, **dict.fromkeys(self.deleted, "")})
        for path in self.index.files:
            lower = path.lower()
            if lower.endswith(".md"):
                note = self._note_if_linking(path, names)
                if note is not None:
                    self._note(note)
            elif lower.endswith(".canvas"):
                self._canvas(path)

    def _note_if_linking(self, path: str, names: re.Pattern[str]) -> Note | None:
        source = self.index.source(path)
        if source.text is None:
            why = source.problem or "not readable"
            self.plan.warnings.append(f"{path}: {why}; its links were not updated")
            return None
        moved = self.before_of.get(path, path) != self.after_of.get(path, path)
        if not moved and not _mentions(source.text, names):
            return None
        return self.index.note(path)

    def _note(self, note: Note) -> None:
        path = self.before_of.get(note.path, note.path)
        new_path = self.after_of.get(note.path, note.path)
        edits: list[Edit] = []
        expected: list[str | None] = []
        for link in note.links:
            was = self.before.resolve(link.path, path)
            goal = None if was is None else self.files.get(was, was)
            if was in self.deleted:
                self.deleted_links.setdefault(note.path, {})[link.line, link.path] = was
                now = self.after.resolve(link.path, new_path)
                if now is not None:  # not broken, but no longer what it was
                    self.broken.setdefault(note.path, []).append(
                        f"{note.path}:{link.line}: {show_link(link)}: '{was}' was deleted in "
                        f"this commit (staged); it now opens {now}"
                    )
                expected.append(None)
                continue
            expected.append(goal)
            now = self.after.resolve(link.path, new_path)
            if now == goal:
                continue
            where = f"{note.path}:{link.line}: {show_link(link)}"
            if link.uncertain or _in_comment(note, link):
                expected[-1] = None  # left as it is
                if self.staged:
                    continue
                why = "in a comment" if not link.uncertain else "a case the spec leaves open"
                self.plan.warnings.append(
                    f"{where}: left as written ({why}); it may no longer open {goal or 'nothing'}"
                )
                continue
            if goal is None:
                if self.staged:
                    continue
                self.plan.warnings.append(f"{where}: was broken; it opens {now} after the move")
                continue
            text = self.after.retarget(link, goal, new_path, note.text, fallback=self.link_format)
            if text is None:
                self._refuse(
                    note.path, f"{where}: would no longer open {was}, and cannot be rewritten to"
                )
                expected[-1] = None
                continue
            edits.append(Edit(link.path_start, link.path_end, text))
        if edits:
            self._rewrite(note, new_path, edits, expected)

    def _rewrite(
        self, note: Note, new_path: str, edits: list[Edit], expected: list[str | None]
    ) -> None:
        new_text = _apply(note.text, edits)
        again = parse_note(new_path, new_text)
        problem = None
        if len(again.links) != len(note.links):
            problem = f"{note.path}: rewriting its links would change them"
        else:
            for old, new, goal in zip(note.links, again.links, expected, strict=True):
                same = (old.kind, old.subpath, old.display, old.uncertain) == (
                    new.kind,
                    new.subpath,
                    new.display,
                    new.uncertain,
                )
                if not same or (
                    goal is not None
                    and not old.uncertain
                    and (self.after.resolve(new.path, new_path) != goal)
                ):
                    problem = (
                        f"{note.path}:{old.line}: {show_link(old)}: cannot be rewritten "
                        "without changing what it opens"
                    )
                    break
        if problem is None and targets_row(again) != targets_row(note):
            problem = (
                f"{note.path}: a heading holds a link to rewrite, and links to that heading "
                "would break"
            )
        if problem is not None:
            self._refuse(note.path, problem)
            return
        source = self.index.source(note.path)
        self.plan.rewrites.append(
            Rewrite(new_path, note.path, note.text, new_text, note.bom, source.data, len(edits))
        )

    def _canvas(self, path: str) -> None:
        """The ``file`` of a canvas's file nodes: the JSON text stays as written elsewhere."""
        source = self.index.source(path)
        if source.text is None:
            return
        text = source.text
        try:
            data = json.loads(text)
        except ValueError:
            if any(old in text for old in self.files):
                self.plan.warnings.append(f"{path}: not valid JSON; its links were not updated")
            return
        nodes = data.get("nodes") if isinstance(data, dict) else None
        linked = {
            node["file"]
            for node in nodes or ()
            if isinstance(node, dict)
            and node.get("type") == "file"
            and isinstance(node.get("file"), str)
        }
        if not linked.intersection(self.files):
            return
        edits = []
        tokens = list(_JSON_STRING.finditer(text))
        for key, value in itertools.pairwise(tokens):
            if key.group() != '"file"' or not _JSON_COLON.fullmatch(text, key.end(), value.start()):
                continue
            written = json.loads(value.group())
            if written in linked and written in self.files:
                new = json.dumps(self.files[written], ensure_ascii=False)
                edits.append(Edit(value.start(), value.end(), new))
        if edits:
            new_path = self.files.get(path, path)
            self.plan.rewrites.append(
                Rewrite(
                    new_path, path, text, _apply(text, edits), source.bom, source.data, len(edits)
                )
            )


def _names(files: dict[str, str]) -> re.Pattern[str]:
    """What a link to a moved file must hold, before or after the move: its name
    (a note's with or without ``.md``), after what starts a link's path or a
    folder in it, and before what ends a path (or the text)."""
    keys = set()
    for path in (*files, *files.values()):
        name = path.rpartition("/")[2].lower()
        keys.add(name[:-3] if name.endswith(".md") and len(name) > 3 else name)
    names = "|".join(re.escape(k) for k in sorted(keys, key=len, reverse=True))
    return re.compile(rf"[\[/(<](?:{names})(?:\.md)?(?=[\]|#)>\\\s]|$)")


def _mentions(text: str, names: re.Pattern[str]) -> bool:
    lower = text.lower()
    if names.search(lower):
        return True
    return "%" in text and "](" in text and names.search(unquote(lower)) is not None


def _in_comment(note: Note, link: Link) -> bool:
    """Inside a ``%%`` comment: a real link (R15), but comments are never rewritten."""
    region = note.region_at(link.start)
    return region is not None and region.kind in ("comment", "html-comment")


def _apply(text: str, edits: Iterable[Edit]) -> str:
    parts = []
    at = 0
    for edit in sorted(edits, key=lambda e: e.start):
        parts.append(text[at : edit.start])
        parts.append(edit.replacement)
        at = edit.end
    parts.append(text[at:])
    return "".join(parts)


# --- carrying it out -------------------------------------------------------------------


def carry_out(root: Path, plan: MovePlan, use_git: bool = True) -> list[str]:
    """Move the files (``git mv`` for what git tracks, when ``use_git``), then write
    the rewritten files through the fixer's writer; the vault paths that changed."""
    git = use_git and _git_work_tree(root)
    for old, new in plan.moves:
        (root / new).parent.mkdir(parents=True, exist_ok=True)
        if os.path.lexists(root / new) and not _same_file(root / old, root / new):
            raise MoveError(f"{new}: exists; nothing more was moved")
        if git and _tracked(root, old):
            result = subprocess.run(
                ["git", "--literal-pathspecs", "mv", "--", old, new],
                cwd=root,
                capture_output=True,
                text=True,
            )
            if result.returncode != 0:
                raise MoveError(f"{old}: git mv failed: {result.stderr.strip()}")
        else:
            os.rename(root / old, root / new)
    write_rewrites(root, plan)
    plan.done = True
    return [*plan.files, *plan.files.values(), *(r.path for r in plan.rewrites)]


def _git_work_tree(root: Path) -> bool:
    try:
        result = subprocess.run(
            ["git", "rev-parse", "--is-inside-work-tree"], cwd=root, capture_output=True, text=True
        )
    except OSError:  # no git
        return False
    return result.returncode == 0 and result.stdout.strip() == "true"


def _tracked(root: Path, path: str) -> bool:
    result = subprocess.run(
        ["git", "--literal-pathspecs", "ls-files", "-z", "--", path], cwd=root, capture_output=True
    )
    return result.returncode == 0 and bool(result.stdout)


# --- a commit's renames and deletions (the hook) ---------------------------------------------


@dataclass
class StagedChanges:
    """What ``git diff --cached --name-status -M`` says of the vault (vault paths)."""

    renamed: dict[str, str]  # old -> new
    deleted: list[str]
    changed: list[str]  # added, modified, and the new names of renamed files


@dataclass
class Backlinks:
    """The notes that link to what a commit renames or deletes."""

    plan: MovePlan  # the rewrites that keep the links to renamed files
    broken: dict[str, list[str]]  # note -> what cannot be kept of its links, as messages
    # note -> (line, path as written) -> the deleted file a link opened (a rewrite of
    # the links to renamed files changes neither): ``broken-link`` names it
    deleted: dict[str, dict[tuple[int, str], str]] = field(default_factory=dict)

    @property
    def notes(self) -> list[str]:
        return sorted({r.path for r in self.plan.rewrites} | set(self.broken) | set(self.deleted))


def staged_changes(root: Path) -> StagedChanges | None:
    """The staged renames, deletions and changes under ``root``; None outside git."""
    try:
        result = subprocess.run(
            ["git", "diff", "--cached", "--name-status", "-M", "-z", "--relative"],
            cwd=root,
            capture_output=True,
        )
    except OSError:
        return None
    if result.returncode != 0:
        return None
    fields = result.stdout.decode("utf-8", "surrogateescape").split("\0")
    changes = StagedChanges({}, [], [])
    i = 0
    while i < len(fields) and fields[i]:
        status = fields[i]
        if status[0] in "RC":
            old, new = fields[i + 1], fields[i + 2]
            if status[0] == "R":
                changes.renamed[old] = new
            changes.changed.append(new)
            i += 3
            continue
        path = fields[i + 1]
        (changes.deleted if status[0] == "D" else changes.changed).append(path)
        i += 2
    return changes


def staged_backlinks(
    index: VaultIndex, changes: StagedChanges, link_format: LinkForm = "shortest"
) -> Backlinks:
    """The links that opened a file the commit renames or deletes, in the vault as it
    is now: those to renamed files with the rewrite that keeps them (as ``mv`` would
    have written it), those to deleted files named."""
    present = set(index.files)
    renamed = {old: new for old, new in changes.renamed.items() if new in present}
    deleted = [path for path in changes.deleted if path not in present]
    plan = MovePlan(list(renamed.items()), renamed, 0, done=True)
    if not renamed and not deleted:
        return Backlinks(plan, {})
    back = {new: old for old, new in renamed.items()}
    before = _Names(index, back, deleted)
    rewriter = _Rewriter(index, before, index, renamed, link_format, plan, staged=True)
    rewriter.before_of = back
    rewriter.deleted = frozenset(deleted)
    rewriter.run()
    return Backlinks(plan, rewriter.broken, rewriter.deleted_links)


def write_rewrites(root: Path, plan: MovePlan) -> list[str]:
    """Write the plan's rewritten files (the fixer's writer); the paths written."""
    written = []
    for rewrite in plan.rewrites:
        problem = write_note(root, rewrite.path, rewrite.original, rewrite.data)
        if problem is None:
            written.append(rewrite.path)
        else:
            plan.warnings.append(f"{rewrite.path}: {problem}")
    return written


# --- renaming a heading or a block id ------------------------------------------------------

_BLOCK_NAME = re.compile(r"[A-Za-z0-9-]+")
_NOT_IN_HEADING = re.compile(r"[#|^\[\]\r\n]|%%")


def plan_subpath_rename(root: Path, index: VaultIndex, path: str, old: str, new: str) -> MovePlan:
    """Rename the heading ``old`` (or the block ``^old``) of the note at ``path`` to
    ``new``, with every ``[[Note#old]]`` link (chains too) of the vault; a
    ``MoveError`` when the name is not there once, or ``new`` is taken."""
    note = index.note(path)
    if note is None:
        raise MoveError(f"{path}: not a readable note")
    block = old.startswith("^")
    new = new.removeprefix("^") if block else new
    if block:
        edit, key, label = _block_edit(note, old[1:], new)
    else:
        edit, key, label = _heading_edit(note, old, new)
    plan = MovePlan([], {}, 0, renamed=label)
    new_key = new.lower() if block else normalize_heading(new)
    edits: dict[str, list[Edit]] = {path: [edit]}
    counts: dict[str, int] = {}
    names = _names({path: path})
    resolver = index.resolver
    for other in index.notes:
        source = index.source(other)
        if source.text is None or (other != path and not _mentions(source.text, names)):
            continue
        linking = index.note(other)
        assert linking is not None
        for link in linking.links:
            if link.uncertain or not link.subpath or _in_comment(linking, link):
                continue
            if resolver.resolve(link.path, other) != path:
                continue
            replaced = _subpath_edit(linking, link, key, new, block)
            if replaced is not None:
                edits.setdefault(other, []).append(replaced)
                counts[other] = counts.get(other, 0) + 1
    for other, found in edits.items():
        linking = index.note(other)
        assert linking is not None
        text = _apply(linking.text, found)
        again = parse_note(other, text)
        wanted = [
            i
            for i, lk in enumerate(linking.links)
            if any(e.start >= lk.path_end and e.end <= lk.end for e in found)
        ]
        for i in wanted:
            sub = again.links[i].subpath[1:] if i < len(again.links) else ""
            parts = [sub[1:].lower()] if block else [normalize_heading(p) for p in sub.split("#")]
            if new_key not in parts:
                raise MoveError(
                    f"{other}:{linking.links[i].line}: {show_link(linking.links[i])}: cannot be "
                    "rewritten; nothing was changed"
                )
        source = index.source(other)
        plan.rewrites.append(
            Rewrite(
                other, other, linking.text, text, linking.bom, source.data, counts.get(other, 0)
            )
        )
    return plan


def _heading_edit(note: Note, old: str, new: str) -> tuple[Edit, str, str]:
    key = normalize_heading(old)
    found = [h for h in note.headings if normalize_heading(h.text) == key]
    if len(found) != 1:
        what = "no heading" if not found else f"{len(found)} headings"
        raise MoveError(f"{note.path}: {what} '{old}'")
    if not new.strip() or _NOT_IN_HEADING.search(new):
        raise MoveError(f"'{new}': a heading that links cannot name (# | ^ [ ] or %%)")
    taken = normalize_heading(new)
    if taken != key and any(normalize_heading(h.text) == taken for h in note.headings):
        raise MoveError(f"{note.path}: a heading '{new}' exists; links to it would be ambiguous")
    heading = found[0]
    return Edit(heading.text_start, heading.text_end, new), key, "1 heading"


def _block_edit(note: Note, old: str, new: str) -> tuple[Edit, str, str]:
    key = old.lower()
    found = [b for b in note.block_ids if b.id.lower() == key]
    if len(found) != 1:
        what = "no block" if not found else f"{len(found)} blocks"
        raise MoveError(f"{note.path}: {what} '^{old}'")
    if not _BLOCK_NAME.fullmatch(new):
        raise MoveError(f"'^{new}': a block id is letters, digits and dashes")
    if new.lower() != key and any(b.id.lower() == new.lower() for b in note.block_ids):
        raise MoveError(f"{note.path}: a block '^{new}' exists")
    block = found[0]
    return Edit(block.end - len(block.id), block.end, new), key, "1 block"


def _subpath_edit(note: Note, link: Link, key: str, new: str, block: bool) -> Edit | None:
    """The edit renaming the part of ``link``'s subpath that names ``key``."""
    start = link.path_end  # the subpath follows the path, "#" first
    end = _subpath_end(note, link)
    raw = note.text[start:end]
    markdown = link.kind in ("markdown", "markdown-embed")
    parts = raw[1:].split("#")
    for i, part in enumerate(parts):
        plain = unquote(part) if markdown else part
        if block:
            hit = i == len(parts) - 1 and plain.startswith("^") and plain[1:].lower() == key
        else:
            hit = normalize_heading(plain) == key
        if not hit:
            continue
        text = "^" + new if block else new
        if markdown:
            text = quote(text, safe="^") if "%" in part or " " in text else text
        offset = start + 1 + sum(len(p) + 1 for p in parts[:i])
        return Edit(offset, offset + len(part), text)
    return None


def _subpath_end(note: Note, link: Link) -> int:
    if link.kind in ("markdown", "markdown-embed"):
        return link.path_end + (len(link.raw) - (link.path_end - link.path_start))
    return link.path_end + len(link.subpath)
