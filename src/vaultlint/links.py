"""Obsidian link resolution, as ``docs/obsidian-links.md`` describes it.

A link resolves from the file *names* alone: the vault index maps each
lower-cased file name (with its extension) to the paths holding it, and
:meth:`LinkResolver.resolve` follows the resolution order of R29-R35 with a
handful of dictionary look-ups, so no note is parsed to resolve a link. Only
``#heading`` and ``#^block`` subpaths need the target note: its normalised
headings and block ids are kept in a small :class:`LinkTargets`, computed once
per note.

Where the spec leaves a case open the resolver stays silent: a link is called
broken only when Obsidian itself would leave it unresolved.
"""

from __future__ import annotations

import posixpath
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal, Protocol
from urllib.parse import quote

from vaultlint.model import Edit, Link, LinkKind, Note

# R40: these characters and line breaks count as spaces when headings are compared.
# Runs of punctuation, line breaks and spaces: each becomes one space (R40).
_BREAKS = re.compile(r"(?:[!\"#$%&()*+,.:;<=>?@^`{|}~/\[\]\\\r\n]|\s)+")
# What a wikilink path cannot hold (R27) and still be reached by a link.
_UNLINKABLE = re.compile(r"[#|^\[\]]|%%")
# Names a suggestion must score (0-100, rapidfuzz ratio) to be shown, and to be fixed to.
SUGGEST_CUTOFF = 70.0
FIX_CUTOFF = 85.0
FIX_MARGIN = 10.0  # how far ahead of the next name the one fixed to must be

# A file name's extension, as a link that names an attachment writes it.
_EXTENSION = re.compile(r"\.[A-Za-z0-9]{1,5}$")

SubpathKind = Literal["heading", "block"]


@lru_cache(maxsize=65536)
def normalize_heading(text: str) -> str:
    """R40: punctuation and line breaks as spaces, spaces collapsed, trimmed, lower case.

    Cached: the same headings (``**Notes**``) recur across a vault's notes.
    """
    return _BREAKS.sub(" ", text).strip().lower()


# R41: what Obsidian writes as a space when it links to a heading.
_HEADING_LINK_BREAKS = re.compile(r"[:#|^\\]|%%|\[\[|\]\]")


def heading_link_text(text: str) -> str:
    """A heading as Obsidian writes it in a ``#heading`` link (R41): ``: # | ^ \\``,
    ``%%``, ``[[`` and ``]]`` as spaces (runs of them one space); R40 matches it.
    A ``]`` at the end goes too: before the link's ``]]`` it would close the link."""
    return " ".join(_HEADING_LINK_BREAKS.sub(" ", text).split()).rstrip("] ")


TargetsRow = tuple[tuple[int, ...], tuple[str, ...], tuple[str, ...]]


def targets_row(note: Note) -> TargetsRow:
    """A note's headings (levels, texts) and block ids as plain data, for the cache
    and other processes; ``LinkTargets.build`` makes them searchable."""
    # Setext headings and headings in quotes or callouts are kept although the
    # spec leaves them open (OQ9), and so are those in uncertain regions: a link
    # they satisfy is not reported.
    headings = note.headings
    if note.uncertain_headings:
        headings = sorted(headings + note.uncertain_headings, key=lambda h: h.start)
    return (
        tuple(h.level for h in headings),
        tuple(h.text for h in headings),
        tuple(b.id for b in note.block_ids),
    )


@dataclass(frozen=True, slots=True)
class LinkTargets:
    """What ``#subpath`` links can point at in one note: headings and block ids."""

    headings: tuple[tuple[int, str], ...]  # (level, normalised text), in order
    names: frozenset[str]  # the normalised heading texts
    block_ids: frozenset[str]  # lower-cased
    texts: tuple[str, ...] = ()  # the headings as written, in order (for messages)
    # Where each normalised text stands in ``headings``; filled when a chain is asked about.
    _places: dict[str, list[int]] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def of(cls, note: Note) -> LinkTargets:
        return cls.build(*targets_row(note))

    @classmethod
    def build(
        cls, levels: Sequence[int], texts: Sequence[str], block_ids: Sequence[str]
    ) -> LinkTargets:
        headings = tuple(zip(levels, map(normalize_heading, texts), strict=True))
        return cls(
            headings=headings,
            names=frozenset(name for _, name in headings),
            block_ids=frozenset(b.lower() for b in block_ids),
            texts=tuple(texts),
        )

    def has_heading_chain(self, parts: Sequence[str]) -> bool:
        """R42: each part matches a later heading deeper than the previous part's match.

        Obsidian takes the first match of each part; this accepts a chain when
        *any* choice of matches works, which finds every chain the greedy walk
        finds (and a few more, about which it then stays silent).
        """
        if len(parts) == 1:
            return parts[0] in self.names
        if not all(part in self.names for part in parts):
            return False
        best = [7] * len(parts)  # the shallowest level each part can be matched at
        # Only the headings named by a part matter: a chain into a long note
        # (a table of contents) does not walk all its headings for each link.
        places = self._heading_places()
        for i in sorted({i for part in set(parts) for i in places[part]}):
            level, name = self.headings[i]
            for k in range(len(parts) - 1, -1, -1):
                if name == parts[k] and (k == 0 or best[k - 1] < level):
                    best[k] = min(best[k], level)
        return best[-1] < 7

    def _heading_places(self) -> dict[str, list[int]]:
        places = self._places
        if not places:
            for i, (_, name) in enumerate(self.headings):
                places.setdefault(name, []).append(i)
        return places


@dataclass(frozen=True, slots=True)
class LinkStatus:
    """How one link of a note fares."""

    link: Link
    target: str | None  # the vault path it resolves to; None when unresolved
    # The subpath looked for and not found in the target (never for uncertain cases).
    missing: SubpathKind | None = None


@dataclass(frozen=True, slots=True)
class Suggestion:
    """Files a broken link may have meant, best first."""

    paths: tuple[str, ...]
    clear: bool  # exactly one of them is clearly the closest
    hint: str = ""  # why they are suggested, when that is not plain similarity


class FileIndex(Protocol):
    """What resolving links needs of the vault (``vault.VaultIndex`` is one)."""

    by_name: dict[str, list[str]]  # lower-cased file name -> vault paths
    by_lower_path: dict[str, str]  # lower-cased vault path -> vault path
    case_twins: dict[str, list[str]]  # lower-cased path -> paths differing only by case
    unlisted: dict[str, str]  # folders that could not be listed -> why

    def note(self, path: str) -> Note | None: ...

    def stored_targets(self, path: str) -> LinkTargets | None: ...

    def alias_holders(self, key: str) -> tuple[str, ...]: ...


class LinkResolver:
    """Resolves links against one vault index; reachable as ``index.resolver``."""

    def __init__(self, index: FileIndex) -> None:
        self.index = index
        self._targets: dict[str, tuple[Note, LinkTargets]] = {}
        self._last: tuple[Note, list[LinkStatus]] | None = None
        self._nfc_names: dict[str, set[str]] | None = None
        self._stems: dict[str, list[str]] | None = None
        self._choices: tuple[list[str], dict[str, list[str]]] | None = None
        self._suggestions: dict[str, list[tuple[str, float]]] = {}
        self.consulted: set[str] = set()
        # The names looked up as aliases (``target_key``) and the notes holding them.
        self.alias_lookups: dict[str, tuple[str, ...]] = {}

    # --- files ------------------------------------------------------------------

    def resolve(self, link_path: str, source: str) -> str | None:
        """The vault path ``link_path`` (written in ``source``) opens, or None (R29-R35)."""
        if not link_path:
            return source  # R22
        lower = link_path.lower()
        name = lower.rpartition("/")[2]
        # R30: a dotted name is looked up as written first, then with ".md".
        # When the first try finds candidates that do not match, the ".md" one
        # is tried all the same: the more lenient reading never calls a link
        # broken that Obsidian resolves.
        if "." in name:
            found = self._find(lower, name, link_path, source)
            if found is not None:
                return found
        return self._find(lower + ".md", name + ".md", link_path, source)

    def _find(self, lp: str, name: str, written: str, source: str) -> str | None:
        cands = self.index.by_name.get(name)
        if not cands:
            return None
        if "/" not in lp and len(cands) == 1:
            return cands[0]  # R32
        folder = source.lower().rpartition("/")[0]
        by_path = self.index.by_lower_path
        if lp.startswith(("./", "../")):  # R33b
            lp = _join(folder, lp)
            hit = by_path.get(lp)
            if hit is not None:
                return self._exact(hit, lp, written, source)
        lp = lp[1:] if lp.startswith("/") else lp  # R33c
        hit = by_path.get(lp)
        if hit is not None:
            return self._exact(hit, lp, written, source)
        if written.startswith("/"):  # R33d
            return None
        # R33e, R35: plain string tests; ties go to the first path in sorted order.
        hits = [c for c in cands if c.lower().endswith(lp)]
        if not hits:
            return None
        return min(hits, key=lambda c: (not c.lower().startswith(folder), len(c), c))

    def _exact(self, hit: str, lp: str, written: str, source: str) -> str:
        """Of paths that differ only by case, the one the link spells exactly."""
        twins = self.index.case_twins.get(lp)
        if twins is None:
            return hit
        spelled = written.lstrip("/")
        if written.startswith(("./", "../")):
            spelled = _join(source.rpartition("/")[0], written)
        for path in twins:
            if path == spelled or path == spelled + ".md" or path.endswith("/" + spelled):
                return path
        return hit

    def candidates(self, link_path: str) -> list[str]:
        """The files whose name is the link's last segment (after R30's completion)."""
        name = link_path.lower().rpartition("/")[2]
        found = self.index.by_name.get(name, []) if "." in name else []
        return found or self.index.by_name.get(name + ".md", [])

    def tied_with(self, target: str, names: Sequence[str], source: str) -> list[str]:
        """The other files a bare-name link could open as well as ``target`` (R33e ties).

        Obsidian breaks such ties by file system scan order; vaultlint by path.
        """
        if target.lower().count("/") == 0:
            return []  # an exact vault-path hit at the root wins outright
        folder = source.lower().rpartition("/")[0]

        def rank(path: str) -> tuple[bool, int]:
            return (not path.lower().startswith(folder), len(path))

        return [p for p in names if p != target and rank(p) == rank(target)]

    def unicode_mismatch(self, link_path: str) -> bool:
        """Whether the link's name exists only in another Unicode normalisation form (OQ6).

        A name that exists in the form the link writes is no ambiguity: a
        folder-qualified link to it that does not resolve is broken (R34).
        """
        return bool(self.unicode_twins(link_path))

    def unicode_twins(self, link_path: str) -> tuple[str, ...]:
        """The files whose name is the link's in another Unicode normalisation form
        (OQ6): Obsidian may open one of them; none when the link's own form exists."""
        if link_path.isascii():
            return ()
        if self._nfc_names is None:
            forms: dict[str, set[str]] = {}
            for name in self.index.by_name:
                forms.setdefault(unicodedata.normalize("NFC", name), set()).add(name)
            self._nfc_names = forms
        name = link_path.lower().rpartition("/")[2]
        for written in (name, name + ".md"):
            others = self._nfc_names.get(unicodedata.normalize("NFC", written), set())
            if others - {written}:
                return tuple(p for other in sorted(others) for p in self.index.by_name[other])
        return ()

    def alias_holders(self, link_path: str) -> tuple[str, ...]:
        """The notes that have the link's name as an alias (R31: it does not resolve
        the link); recorded in ``alias_lookups``, which a cached result depends on."""
        key = target_key(link_path)
        holders = self.index.alias_holders(key) if key else ()
        self.alias_lookups[key] = holders
        return holders

    # --- headings and blocks ------------------------------------------------------

    def targets(self, path: str, current: Note | None = None) -> LinkTargets | None:
        """The headings and block ids of the note at ``path`` (``current`` if it is that note).

        Another note's are taken from ``index.stored_targets`` when the cache or
        a worker process supplied them, else from the parsed note; its path is
        added to ``consulted`` (the notes a cached result depends on).
        """
        if current is not None and current.path == path:
            note: Note | None = current
        else:
            self.consulted.add(path)
            known = self.index.stored_targets(path)
            if known is not None:
                return known
            note = self.index.note(path)
        if note is None:
            return None
        cached = self._targets.get(path)
        if cached is not None and cached[0] is note:
            return cached[1]
        targets = LinkTargets.of(note)
        self._targets[path] = (note, targets)
        return targets

    def missing_subpath(self, link: Link, target: str, note: Note) -> SubpathKind | None:
        """Which kind of subpath ``link`` names and ``target`` lacks, if any (R39-R44)."""
        body = link.subpath[1:]
        if not body or not target.lower().endswith(".md"):
            return None  # no subpath, or a PDF's #page=N and the like (R44)
        if body.startswith("^"):
            block = body[1:]
            if not block or "#" in block:
                return None  # not a single ^id part
            targets = self.targets(target, note)
            if targets is None or block.lower() in targets.block_ids:
                return None
            return "block"
        if body.startswith("[^"):
            return None  # a footnote (R44)
        raw_parts = body.split("#")
        if any(not p.strip() or p.startswith("^") for p in raw_parts):
            return None  # ``[[## x]]`` and mixed chains: the spec says nothing
        parts = [normalize_heading(p) for p in raw_parts]
        if not all(parts):
            return None
        targets = self.targets(target, note)
        if targets is None or targets.has_heading_chain(parts):
            return None
        return "heading"

    # --- a note's links -------------------------------------------------------------

    def statuses(self, note: Note) -> list[LinkStatus]:
        """Every certain link of ``note`` with its resolution; computed once per note.

        Links the spec leaves open (``uncertain``, or a name that exists in
        another Unicode form) are left out: no rule reports them.
        """
        last = self._last
        if last is not None and last[0] is note:
            return last[1]
        found: list[LinkStatus] = []
        for link in note.links:
            if link.uncertain:
                continue
            target = self.resolve(link.path, note.path)
            if target is None:
                if not self.unicode_mismatch(link.path) and not self.index.unlisted:
                    found.append(LinkStatus(link, None))
                continue
            found.append(LinkStatus(link, target, self.missing_subpath(link, target, note)))
        self._last = (note, found)
        return found

    # --- suggestions ------------------------------------------------------------------

    def suggest(self, link: Link, source: str) -> Suggestion:
        """Existing files an unresolved ``link`` may have meant."""
        whole = link.path + link.subpath
        if link.subpath and self.resolve(whole, source) is not None:
            # R27: ``[[C# notes]]`` cannot reach ``C# notes.md``; nothing to rewrite to.
            hint = f"'{whole}' exists, but a '#' in a name starts a heading: rename the file"
            return Suggestion((), False, hint)
        name = link.path.rpartition("/")[2]
        lower = name.lower()
        # The name exists, but the folder part of the link does not match it (R34).
        same = self.candidates(link.path)
        if same:
            ordered = sorted(same, key=lambda p: (not _in_folder(p, source), len(p), p))
            return Suggestion(tuple(ordered), len(ordered) == 1)
        # A file other than a note, named without its extension (R30).
        with_ext = self._stem_index().get(lower, [])
        if with_ext:
            hint = "files other than notes need their extension"
            return Suggestion(tuple(with_ext), len(with_ext) == 1, hint)
        query = lower[:-3] if lower.endswith(".md") else lower
        scored = self._similar(query)
        if not scored:
            return Suggestion((), False)
        _, by_key = self._choice_index()
        paths: list[str] = []
        for key, _ in scored:
            paths.extend(by_key[key])
        best = scored[0][1]
        runner_up = scored[1][1] if len(scored) > 1 else 0.0
        clear = (
            best >= FIX_CUTOFF and best - runner_up >= FIX_MARGIN and len(by_key[scored[0][0]]) == 1
        )
        return Suggestion(tuple(paths[:3]), clear)

    def _similar(self, query: str) -> list[tuple[str, float]]:
        cached = self._suggestions.get(query)
        if cached is None:
            from rapidfuzz import fuzz, process

            keys, _ = self._choice_index()
            cached = [
                (keys[i], score)
                for _, score, i in process.extract(
                    query, keys, scorer=fuzz.ratio, limit=3, score_cutoff=SUGGEST_CUTOFF
                )
            ]
            self._suggestions[query] = cached
        return cached

    def _choice_index(self) -> tuple[list[str], dict[str, list[str]]]:
        """Names as a link would write them (notes without ``.md``), lower-cased."""
        if self._choices is None:
            by_key: dict[str, list[str]] = {}
            for name, paths in self.index.by_name.items():
                if _UNLINKABLE.search(name):
                    continue
                key = name[:-3] if name.endswith(".md") else name
                by_key.setdefault(key, []).extend(paths)
            self._choices = (list(by_key), by_key)
        return self._choices

    def _stem_index(self) -> dict[str, list[str]]:
        if self._stems is None:
            stems: dict[str, list[str]] = {}
            for name, paths in self.index.by_name.items():
                stem, dot, ext = name.rpartition(".")
                if dot and stem and ext != "md":
                    stems.setdefault(stem, []).extend(paths)
            self._stems = stems
        return self._stems

    def intended(self, link: Link, target: str, note: Note) -> bool:
        """Whether rewriting ``link`` to ``target`` is clearly what its author meant.

        A link or embed with a ``#heading``, or without an extension, means a
        note (``![[Figure 1]]`` embeds ``Figure 1.md``, never ``Figure 1.png``);
        the folders the link writes must end the target's folder; and a heading
        or block it names must be in the target.
        """
        is_note = target.lower().endswith(".md")
        name = link.path.rpartition("/")[2]
        heading = link.subpath.startswith("#") and not link.subpath.startswith("#^")
        if not is_note and (heading or not _EXTENSION.search(name)):
            return False
        if "/" in link.path:
            written = [s for s in link.path.lower().split("/")[:-1] if s not in ("", ".", "..")]
            folders = target.lower().split("/")[:-1]
            if written and folders[-len(written) :] != written:
                return False
        return not link.subpath or self.missing_subpath(link, target, note) is None

    def link_text(
        self,
        target: str,
        source: str,
        like: Link | None = None,
        form: LinkForm | None = None,
        fallback: LinkForm = "shortest",
        extension: bool | None = None,
    ) -> str:
        """How a link to ``target`` is written from ``source``.

        Without ``form``, in the style of the link ``like``: a bare name stays
        bare when the file name resolves to ``target`` (else it is written as
        ``fallback`` says), a link with a folder part gets the vault path, a
        ``./`` or ``../`` link a relative path. With ``form``, as Obsidian's
        "New link format" writes it (R37): *shortest* the file name when no other
        file has it, else the vault path; *relative* a ``./`` or ``../`` path;
        *absolute* the vault path. A note's ``.md`` is written when
        ``extension`` says so (None: when ``like`` wrote it).
        """
        written = like.path if like is not None else ""
        note = target.lower().endswith(".md")
        keep = written.lower().endswith(".md") if extension is None else extension
        path = target[:-3] if note and not keep else target
        if form is None:
            if written.startswith(("./", "../")):
                return relative_path(path, source)
            if "/" in written:
                return "/" + path if written.startswith("/") else path
            short = path.rpartition("/")[2]
            if self.resolve(short, source) == target:
                return short
            form = fallback
        if form == "relative":
            return relative_path(path, source)
        if form == "shortest" and self.index.by_name.get(target.rpartition("/")[2].lower()) == [
            target
        ]:
            return path.rpartition("/")[2]
        return path

    def retarget(
        self,
        link: Link,
        target: str,
        source: str,
        text: str,
        *,
        form: LinkForm | None = None,
        fallback: LinkForm = "shortest",
        extension: bool | None = None,
        kind: LinkKind | None = None,
        escape: Escape | None = None,
    ) -> str | None:
        """The new path part of ``link`` (written in ``text`` of the note at ``source``),
        so that it opens ``target``: written as :meth:`link_text` says, for a link
        of ``kind`` (default: the link's) escaped as ``escape`` says (default: as
        the link is, ``escaping``); None when no such text is safe.

        This is the one writer of link paths: ``mv``, the hook's rewrites of
        renamed links and the fixes of the link rules all use it.
        """
        new = self.link_text(target, source, link, form, fallback, extension)
        if self.resolve(new, source) != target:
            return None
        return write_path(new, kind or link.kind, escape or escaping(link, text))

    def retarget_edit(
        self, link: Link, target: str, note: Note, form: LinkForm | None = None
    ) -> Edit | None:
        """The edit of ``link`` in ``note`` that makes it open ``target``, keeping what
        the reader sees: a wikilink without display text gets the old path as its
        display (``[[Herbrt]]`` -> ``[[Herbert|Herbrt]]``); None where that is unsafe.
        The new path is written in the link's style, or as ``form`` says (R37).
        What the unsafe broken-link fix and the server's suggestions both write."""
        new = self.retarget(link, target, note.path, note.text, form=form)
        if new is None:
            return None
        end = link.path_end
        if link.kind in ("wikilink", "frontmatter") and link.display is None and new != link.path:
            end += len(link.subpath)
            if note.text[link.path_end : end] != link.subpath or in_table(note, link):
                return None
            if "]" in link.path or "|" in link.path:
                return None
            parts = [link.path, *link.subpath[1:].split("#")] if link.subpath else [link.path]
            new = f"{new}{link.subpath}|{' > '.join(parts)}"
        return Edit(link.path_start, end, new)


LinkForm = Literal["shortest", "relative", "absolute"]
LINK_FORMS: tuple[LinkForm, ...] = ("shortest", "relative", "absolute")
Escape = Literal["plain", "percent", "angle"]
# What a wikilink or frontmatter path cannot hold, and a Markdown one not even escaped.
_NOT_IN_WIKI_PATH = re.compile(r"[#|^\[\]\r\n]|%%")
_NOT_IN_MD_PATH = re.compile(r"[#\r\n]")
# What a Markdown destination written without escapes cannot hold as it is.
_MD_UNSAFE = re.compile(r"[\s()<>%\\]")


def escaping(link: Link, text: str) -> Escape:
    """How the path of ``link`` is escaped in ``text``: a Markdown destination in
    ``<...>`` (``angle``), percent-encoded (``percent``), or as it is (``plain``)."""
    if link.kind not in ("markdown", "markdown-embed"):
        return "plain"
    if link.path_start > 0 and text[link.path_start - 1] == "<":
        return "angle"
    return "percent" if "%" in text[link.path_start : link.path_end] else "plain"


def write_path(new: str, kind: LinkKind, escape: Escape = "plain") -> str | None:
    """``new`` as the path part of a link of ``kind``: a Markdown destination in
    ``<...>`` as it is, a percent-encoded one encoded as Obsidian writes it, any
    other with only what a destination cannot hold as it is escaped; None when
    it cannot be written (a ``#`` or a line break, ``<>%`` between angle
    brackets, quotes in a frontmatter value, what a wikilink cannot name)."""
    if kind in ("markdown", "markdown-embed"):
        if _NOT_IN_MD_PATH.search(new):
            return None
        if escape == "angle":
            return None if any(c in new for c in "<>%") else new
        if escape == "percent":
            return encode_destination(new)
        return _MD_UNSAFE.sub(lambda m: quote(m.group()), new)
    if _NOT_IN_WIKI_PATH.search(new):
        return None
    if kind == "frontmatter" and any(c in new for c in "\"'\\"):
        return None  # would need YAML escaping inside the quoted value
    return new


def in_table(note: Note, link: Link) -> bool:
    """Whether the link's line holds a ``|`` outside it: a new ``|`` could split a table cell."""
    text = note.text
    start = max(text.rfind("\n", 0, link.start), text.rfind("\r", 0, link.start)) + 1
    ends = [i for i in (text.find("\n", link.end), text.find("\r", link.end)) if i != -1]
    end = min(ends) if ends else len(text)
    return "|" in text[start : link.start] or "|" in text[link.end : end]


def link_name(path: str) -> str | None:
    """The name a bare link to the file at ``path`` writes (a note without ``.md``);
    None when a wikilink cannot hold it (R27)."""
    name = path.rpartition("/")[2]
    if name.lower().endswith(".md"):
        name = name[:-3]
    return name if name and linkable(name) else None


def linkable(text: str) -> bool:
    """Whether a wikilink's path can hold ``text`` (R27: no ``# | ^ [ ]`` nor ``%%``)."""
    return _UNLINKABLE.search(text) is None


def target_key(path: str) -> str:
    """Links to one missing note, however written: case and ``.md`` do not matter."""
    key = path.strip().casefold()
    return key[:-3] if key.endswith(".md") else key


def relative_path(path: str, source: str) -> str:
    """``path`` as a ``./`` or ``../`` path from the folder of ``source``."""
    relative = posixpath.relpath(path, source.rpartition("/")[0] or ".")
    return relative if relative.startswith("../") else "./" + relative


def encode_destination(path: str, safe: str = "") -> str:
    """``path`` as a Markdown link destination, percent-encoded as ``encodeURI`` does.

    Obsidian decodes destinations with ``decodeURI`` semantics (R19, OQ8), which
    leaves reserved escapes such as ``%26`` undecoded: those characters stay as
    they are. Parentheses are encoded so that the destination stays balanced.
    """
    return quote(path, safe="/;,?:@&=+$!*'" + safe)


def _join(folder: str, relative: str) -> str:
    """``relative`` joined to ``folder``; ``..`` above the root stays at the root (R1)."""
    parts = folder.split("/") if folder else []
    for segment in relative.split("/"):
        if segment == ".":
            continue
        if segment == "..":
            if parts:
                parts.pop()
            continue
        parts.append(segment)
    return "/".join(parts)


def _in_folder(path: str, source: str) -> bool:
    return path.lower().startswith(source.lower().rpartition("/")[0])


def show_link(link: Link, path: str | None = None) -> str:
    """A link's target as written (or with another path), for messages."""
    shown = link.path if path is None else path
    bang = "!" if link.is_embed else ""
    if link.kind in ("markdown", "markdown-embed"):
        return f"{bang}({shown}{link.subpath})"
    return f"{bang}[[{shown}{link.subpath}]]"
