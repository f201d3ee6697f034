"""``vaultlint server``: the language server (LSP over stdio), from the same engine as ``check``.

Open notes are checked from the editor's buffer (``Workspace.check_text``); the
vault index follows the disk through ``workspace/didChangeWatchedFiles`` (or a
watcher of its own, ``watchfiles``, when the client cannot watch), and a file
that changes, appears or goes away re-checks the open notes that depend on it
(``Workspace.dependents``). Positions are converted from character offsets to
the client's position encoding here, and nowhere else.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path

from vaultlint.errors import VaultlintError
from vaultlint.fixer import applicable
from vaultlint.links import (
    LinkStatus,
    heading_link_text,
    link_name,
    linkable,
    normalize_heading,
    show_link,
)
from vaultlint.model import Edit, Finding, Link, Note, Severity
from vaultlint.parse import line_starts
from vaultlint.suppress import UNUSED
from vaultlint.vault import find_root, vault_path
from vaultlint.version import __version__
from vaultlint.workspace import Workspace

FIX_ALL = "source.fixAll.vaultlint"
# Each rule's section of docs/rules.md (``vaultlint rule --all --markdown``).
DOCS_URL = "https://github.com/vaultlint/vaultlint/blob/main/docs/rules.md#{name}"
BROKEN_LINKS = frozenset({"broken-link", "broken-embed"})
# Shown faded (LSP's Unnecessary tag): what is there for nothing, and can go.
UNNECESSARY = frozenset({UNUSED, "unused-attachment"})
# Shown struck through: a property name Obsidian dropped (``tag`` for ``tags``).
DEPRECATED = frozenset({"deprecated-property"})
MAX_NAMES = 200  # note names sent at most: the client asks again as more is typed
_Item = tuple[str, str, str, str]  # a completion: label, detail, text inserted, filter text
HOLD_SECONDS = 60.0  # how long a workspace pull with nothing new waits for a change
_Report = tuple[str, list[types.Diagnostic]]  # a note's result id and diagnostics
_Name = tuple[str, str | None, str]  # a file, its link text if one for all notes, lower-cased
_SEVERITY = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
}


@dataclass
class OpenNote:
    """A note open in the editor: its buffer, parsed, and what was found on it."""

    uri: str
    path: str  # vault path
    workspace: Workspace
    note: Note
    findings: list[Finding] = field(default_factory=list)
    diagnostics: list[types.Diagnostic] = field(default_factory=list)
    result_id: str = ""  # changes whenever the diagnostics may have (pull diagnostics)


class VaultlintServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("vaultlint", __version__, text_document_sync_kind=_FULL)
        self.vaults: dict[Path, Workspace] = {}
        self.notes: dict[str, OpenNote] = {}
        self.watching: set[Path] = set()  # roots our own watcher follows
        self.client_watches = False
        self.watch_tasks: list[asyncio.Task[None]] = []
        # Per vault, its file list (while it is the index's) and the names links use.
        self.names: dict[Workspace, tuple[list[str], list[_Name]]] = {}
        # Pull diagnostics (LSP 3.17), when the client pulls and can be told to pull again:
        # then nothing is pushed, and the vault's closed notes are reported too.
        self.pull = False
        self.reports: dict[Workspace, dict[str, _Report]] = {}  # vault path -> its report
        self.serial = 0
        self.vault_changed = asyncio.Event()

    # --- vaults and notes ------------------------------------------------------------

    def vault_of(self, file: Path) -> Workspace | None:
        root = find_root(file if file.is_dir() else _existing_folder(file))
        workspace = self.vaults.get(root)
        if workspace is None:
            try:
                workspace = Workspace(root)
            except VaultlintError as exc:
                self.warn(str(exc))
                return None
            self.vaults[root] = workspace
            if not self.client_watches:
                self.watch(root)
        return workspace

    def warn(self, message: str) -> None:
        self.window_show_message(
            types.ShowMessageParams(type=types.MessageType.Warning, message=f"vaultlint: {message}")
        )

    def update(self, uri: str, text: str) -> None:
        """Check the buffer of ``uri`` and publish its diagnostics."""
        file = to_fs_path(uri)
        if file is None or not file.lower().endswith(".md"):
            return
        workspace = self.vault_of(Path(file))
        if workspace is None:
            return
        try:
            path = workspace.vault_path(Path(file))
        except VaultlintError:
            return
        open_note = OpenNote(uri, path, workspace, workspace.parse_text(path, text))
        self.notes[uri] = open_note
        self.recheck(open_note)

    def recheck(self, open_note: OpenNote) -> None:
        workspace, path = open_note.workspace, open_note.path
        if workspace.config.is_excluded(path):
            open_note.findings = []
        else:
            try:
                open_note.findings = workspace.check_text(path, open_note.note.text)
            except VaultlintError as exc:
                self.warn(str(exc))
                open_note.findings = []
        open_note.diagnostics = [self.diagnostic(open_note.note, f) for f in open_note.findings]
        open_note.result_id = self.next_id()
        if not self.pull:
            self.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(uri=open_note.uri, diagnostics=open_note.diagnostics)
            )
        if not workspace.has_link_graph:  # dependents need it: made once the first note is shown
            with contextlib.suppress(RuntimeError):  # no event loop: made on first use
                asyncio.get_running_loop().call_soon(self.make_graph, workspace)

    def make_graph(self, workspace: Workspace) -> None:
        first = not workspace.has_link_graph
        if first:  # a vault's worth of objects without cycles: not walked as they come
            gc.disable()
        try:
            workspace.link_graph()
        except VaultlintError as exc:
            self.warn(str(exc))
        self.take_buffers(workspace)
        if first:
            collect_cycles()

    def take_buffers(self, workspace: Workspace) -> None:
        """The open notes' links are those of their buffers, not of their files."""
        for open_note in self.notes.values():
            if open_note.workspace is workspace:
                workspace.take_links(open_note.note)

    def files_changed(self, workspace: Workspace, paths: Sequence[str]) -> None:
        """Take in changes on disk; re-check the open notes they may affect."""
        try:
            settings = workspace.refresh(paths)
        except VaultlintError as exc:  # a broken configuration: say so, keep the old one
            self.warn(str(exc))
            return
        self.make_graph(workspace)
        affected = set(workspace.dependents(paths)) | set(paths)
        rechecked = False
        for open_note in list(self.notes.values()):
            if open_note.workspace is workspace and (settings or open_note.path in affected):
                self.recheck(open_note)
                rechecked = True
        if workspace in self.reports:
            if settings:
                del self.reports[workspace]  # made again, whole, when next asked for
            else:
                self.report_notes(workspace, sorted(affected))
            self.vault_changed.set()
        if rechecked and self.pull:
            self.workspace_diagnostic_refresh(None)  # the client pulls the open notes again

    # --- pull diagnostics (LSP 3.17) ----------------------------------------------------

    def next_id(self) -> str:
        self.serial += 1
        return str(self.serial)

    def document_diagnostics(
        self, params: types.DocumentDiagnosticParams
    ) -> types.DocumentDiagnosticReport:
        uri = params.text_document.uri
        open_note = self.notes.get(uri)
        if open_note is not None:
            result_id, diagnostics = open_note.result_id, open_note.diagnostics
        else:
            found = self.closed_report(uri)
            if found is None:
                return types.RelatedFullDocumentDiagnosticReport(items=[])
            result_id, diagnostics = found
        if params.previous_result_id == result_id:
            return types.RelatedUnchangedDocumentDiagnosticReport(result_id=result_id)
        return types.RelatedFullDocumentDiagnosticReport(items=diagnostics, result_id=result_id)

    def closed_report(self, uri: str) -> _Report | None:
        file = to_fs_path(uri)
        workspace = None if file is None else self.vault_of(Path(file))
        if file is None or workspace is None:
            return None
        try:
            path = workspace.vault_path(Path(file))
        except VaultlintError:
            return None
        reports = self.reports.get(workspace)
        if reports is None or path not in reports:
            self.report_notes(workspace, [path], reports is None)
        return self.reports[workspace].get(path)

    async def workspace_diagnostics(
        self, params: types.WorkspaceDiagnosticParams
    ) -> types.WorkspaceDiagnosticReport:
        """The findings of every closed note of the open vaults: made once from a check
        of the vault (its cache), then kept up to date as files change. Asked again
        with nothing changed, the answer waits (a while) for a change."""
        previous = {p.uri: p.value for p in params.previous_result_ids}
        for _ in range(2):
            self.vault_changed.clear()
            items = self.workspace_items(previous)
            if not previous or any(
                isinstance(i, types.WorkspaceFullDocumentDiagnosticReport) for i in items
            ):
                return types.WorkspaceDiagnosticReport(items=items)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.vault_changed.wait(), HOLD_SECONDS)
        return types.WorkspaceDiagnosticReport(items=items)

    def workspace_items(
        self, previous: dict[str, str]
    ) -> list[types.WorkspaceDocumentDiagnosticReport]:
        items: list[types.WorkspaceDocumentDiagnosticReport] = []
        seen = set()
        for workspace in list(self.vaults.values()):
            if workspace not in self.reports:
                self.report_notes(workspace, workspace.targets(None), True)
            for path, (result_id, diagnostics) in self.reports[workspace].items():
                uri = from_fs_path(str(workspace.root / path))
                if uri is None or uri in self.notes:
                    continue  # an open note: the client pulls it as a document
                seen.add(uri)
                if previous.get(uri) == result_id:
                    items.append(
                        types.WorkspaceUnchangedDocumentDiagnosticReport(
                            uri=uri, result_id=result_id, version=None
                        )
                    )
                elif diagnostics or uri in previous:
                    items.append(
                        types.WorkspaceFullDocumentDiagnosticReport(
                            uri=uri, items=diagnostics, result_id=result_id, version=None
                        )
                    )
        for uri in previous.keys() - seen - self.notes.keys():  # gone from the vault
            items.append(
                types.WorkspaceFullDocumentDiagnosticReport(uri=uri, items=[], version=None)
            )
        return items

    def report_notes(self, workspace: Workspace, paths: Sequence[str], whole: bool = False) -> None:
        """Check the notes at ``paths`` as they are on disk (``whole``: the vault's
        check, from its cache) and keep their diagnostics, with new result ids."""
        reports = self.reports.setdefault(workspace, {})
        try:
            if whole:
                run = workspace.run_check(list(paths))
                by_path = {r.path: r.findings() for r in run.results}
            else:
                by_path = {p: self.disk_findings(workspace, p) for p in paths}
        except VaultlintError as exc:
            self.warn(str(exc))
            return
        for path, findings in by_path.items():
            text = workspace.index.source(path).text if findings else ""
            lines = Note(path, text or "", line_starts=line_starts(text or ""))
            diagnostics = [self.diagnostic(lines, f) for f in findings]
            old = reports.get(path)
            if old is None or old[1] != diagnostics:
                reports[path] = (self.next_id(), diagnostics)

    def disk_findings(self, workspace: Workspace, path: str) -> list[Finding]:
        """A note's findings as its file is now (none when it is gone or excluded)."""
        if workspace.config.is_excluded(path) or not path.lower().endswith(".md"):
            return []
        text = workspace.index.source(path).text if path in workspace.index.notes else None
        return [] if text is None else workspace.check_text(path, text)

    # --- positions -------------------------------------------------------------------

    def position(self, note: Note, offset: int) -> types.Position:
        line = note.line_of(offset)
        start = note.line_starts[line - 1]
        units = self.workspace.position_codec.client_num_units(note.text[start:offset])
        return types.Position(line=line - 1, character=units)

    def offset(self, note: Note, position: types.Position) -> int:
        if position.line >= len(note.line_starts):
            return len(note.text)
        start, end = note.line_span(position.line + 1)
        codec = self.workspace.position_codec
        units, offset = 0, start
        while offset < end and units < position.character:
            units += codec.client_num_units(note.text[offset])
            offset += 1
        return offset

    def range(self, note: Note, start: int, end: int) -> types.Range:
        return types.Range(start=self.position(note, start), end=self.position(note, end))

    # --- what is sent ----------------------------------------------------------------

    def diagnostic(self, note: Note, finding: Finding) -> types.Diagnostic:
        start = _offset_of(note, finding.line, finding.column)
        end = max(start, _offset_of(note, finding.end_line, finding.end_column))
        tags = None
        if finding.rule in UNNECESSARY:
            tags = [types.DiagnosticTag.Unnecessary]
        elif finding.rule in DEPRECATED:
            tags = [types.DiagnosticTag.Deprecated]
        return types.Diagnostic(
            range=self.range(note, start, end),
            severity=_SEVERITY[finding.severity],
            code=finding.code,
            code_description=types.CodeDescription(href=DOCS_URL.format(name=finding.rule)),
            source="vaultlint",
            message=f"{finding.message} ({finding.rule})",
            tags=tags,
            data={"rule": finding.rule},
        )

    def text_edits(self, note: Note, edits: Iterable[Edit]) -> list[types.TextEdit]:
        return [
            types.TextEdit(range=self.range(note, e.start, e.end), new_text=e.replacement)
            for e in edits
        ]

    def edit(self, uri: str, note: Note, edits: Iterable[Edit]) -> types.WorkspaceEdit:
        return types.WorkspaceEdit(changes={uri: self.text_edits(note, edits)})

    # --- code actions ----------------------------------------------------------------

    def code_actions(self, params: types.CodeActionParams) -> list[types.CodeAction]:
        open_note = self.notes.get(params.text_document.uri)
        if open_note is None:
            return []
        note, uri = open_note.note, open_note.uri
        only = params.context.only
        actions: list[types.CodeAction] = []
        if _wanted(only, types.CodeActionKind.QuickFix):
            start = self.offset(note, params.range.start)
            end = self.offset(note, params.range.end)
            for finding in open_note.findings:
                f_start = _offset_of(note, finding.line, finding.column)
                f_end = _offset_of(note, finding.end_line, finding.end_column)
                if f_start <= end and start <= f_end:
                    actions += self.finding_actions(open_note, finding)
        if _wanted(only, FIX_ALL) or _wanted(only, types.CodeActionKind.SourceFixAll):
            fixed = open_note.workspace.fix_text(open_note.path, note.text)
            if fixed.text != note.text:
                actions.append(
                    types.CodeAction(
                        title="vaultlint: fix all safe fixes",
                        kind=FIX_ALL,
                        edit=self.edit(uri, note, [_whole_edit(note.text, fixed.text)]),
                    )
                )
        return actions

    def finding_actions(self, open_note: OpenNote, finding: Finding) -> list[types.CodeAction]:
        note, uri = open_note.note, open_note.uri
        diagnostic = [self.diagnostic(note, finding)]
        actions = []
        fix = finding.fix
        if fix is not None and applicable(finding, unsafe=True):
            title = f"vaultlint: fix {finding.rule}" + ("" if fix.safe else " (unsafe)")
            actions.append(
                types.CodeAction(
                    title=title,
                    kind=types.CodeActionKind.QuickFix,
                    diagnostics=diagnostic,
                    is_preferred=fix.safe,
                    edit=self.edit(uri, note, fix.edits),
                )
            )
        if finding.rule in BROKEN_LINKS:
            actions += self.suggested_targets(open_note, finding, diagnostic)
        directive = disable_next_line(note, finding)
        if directive is not None:
            actions.append(
                types.CodeAction(
                    title=f"vaultlint: disable {finding.rule} for this line",
                    kind=types.CodeActionKind.QuickFix,
                    diagnostics=diagnostic,
                    edit=self.edit(uri, note, [directive]),
                )
            )
        return actions

    def suggested_targets(
        self, open_note: OpenNote, finding: Finding, diagnostic: list[types.Diagnostic]
    ) -> list[types.CodeAction]:
        note = open_note.note
        link = next((link for link in note.links if link.start == finding.start), None)
        if link is None:
            return []
        resolver = open_note.workspace.index.resolver
        actions = []
        for target in resolver.suggest(link, note.path).paths:
            edit = resolver.retarget_edit(link, target, note)  # as the unsafe fix writes it
            if edit is None:
                continue
            actions.append(
                types.CodeAction(
                    title=f"vaultlint: link to {target}",
                    kind=types.CodeActionKind.QuickFix,
                    diagnostics=diagnostic,
                    edit=self.edit(open_note.uri, note, [edit]),
                )
            )
        return actions

    # --- links: hover and definition ---------------------------------------------------

    def link_at(self, uri: str, position: types.Position) -> tuple[OpenNote, Link] | None:
        open_note = self.notes.get(uri)
        if open_note is None:
            return None
        offset = self.offset(open_note.note, position)
        for link in open_note.note.links:
            if link.start <= offset < link.end:
                return open_note, link
        return None

    def target_note(self, workspace: Workspace, path: str) -> Note | None:
        """The note at ``path``: the editor's buffer when it is open, else the file."""
        for open_note in self.notes.values():
            if open_note.workspace is workspace and open_note.path == path:
                return open_note.note
        return workspace.note(path)

    def hover(self, params: types.HoverParams) -> types.Hover | None:
        found = self.link_at(params.text_document.uri, params.position)
        if found is None:
            return None
        open_note, link = found
        lines = [f"`{show_link(link)}`"]
        lines += self.where_it_goes(open_note, link)
        note = open_note.note
        return types.Hover(
            contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value="\n\n".join(lines)),
            range=self.range(note, link.start, link.end),
        )

    def where_it_goes(self, open_note: OpenNote, link: Link) -> list[str]:
        workspace, note = open_note.workspace, open_note.note
        if link.uncertain:
            return ["Obsidian's reading of this link is unclear: vaultlint does not judge it."]
        resolver = workspace.index.resolver
        target = resolver.resolve(link.path, note.path)
        if target is None:
            lines = [f"Not found: no note or file named '{link.path}' in the vault."]
            suggestion = resolver.suggest(link, note.path)
            if suggestion.hint:
                lines.append(suggestion.hint)
            if suggestion.paths:
                lines.append("Did you mean " + ", ".join(f"`{p}`" for p in suggestion.paths) + "?")
            return lines
        lines = [f"Opens `{target}`."]
        status = LinkStatus(link, target, resolver.missing_subpath(link, target, note))
        if status.missing is not None:
            lines.append(f"No {status.missing} '{link.subpath[1:]}' there.")
        elif link.subpath:
            target_note = note if target == note.path else self.target_note(workspace, target)
            line = None if target_note is None else subpath_line(target_note, link.subpath)
            if line is not None:
                lines.append(f"At line {line}.")
        return lines

    def definition(self, params: types.DefinitionParams) -> types.Location | None:
        found = self.link_at(params.text_document.uri, params.position)
        if found is None:
            return None
        open_note, link = found
        workspace, note = open_note.workspace, open_note.note
        target = workspace.index.resolver.resolve(link.path, note.path)
        if target is None:
            return None
        target_note = note if target == note.path else self.target_note(workspace, target)
        line = 1
        if target_note is not None and link.subpath:
            line = subpath_line(target_note, link.subpath) or 1
        position = types.Position(line=line - 1, character=0)
        uri = open_note.uri if target == note.path else from_fs_path(str(workspace.root / target))
        return types.Location(uri=uri, range=types.Range(start=position, end=position))

    # --- completion inside [[...]] ----------------------------------------------------

    def complete(self, params: types.CompletionParams) -> types.CompletionList | None:
        """Note names after ``[[``, then headings after ``#``, block ids after ``#^``:
        from the index's names and the one target note, never a parse of the vault."""
        open_note = self.notes.get(params.text_document.uri)
        if open_note is None:
            return None
        note = open_note.note
        offset = self.offset(note, params.position)
        line_start = note.line_starts[min(params.position.line, len(note.line_starts) - 1)]
        before = note.text[line_start:offset]
        opening = before.rfind("[[")
        if opening == -1:
            return None
        typed = before[opening + 2 :]
        if "]]" in typed or "|" in typed:
            return None  # past the link, or in its display text
        start = line_start + opening + 2
        if "#" not in typed:
            items, complete = self.name_items(open_note, typed)
            return self.completion_list(note, start, offset, items, complete)
        path, _, subpath = typed.partition("#")
        workspace = open_note.workspace
        target = workspace.index.resolver.resolve(path, note.path)
        target_note = None
        if target is not None and target.lower().endswith(".md"):
            target_note = note if target == note.path else self.target_note(workspace, target)
        if target_note is None:
            return None
        if subpath.startswith("^"):
            start += len(path) + 2
            items = [(b.id, f"line {b.line}", b.id, b.id) for b in target_note.block_ids]
            kind = types.CompletionItemKind.Reference
        else:
            start += len(path) + 1 + len(subpath) - len(subpath.rpartition("#")[2])
            headings = sorted(
                target_note.headings + target_note.uncertain_headings, key=lambda h: h.start
            )
            items = [
                (h.text, f"{'#' * h.level} line {h.line}", written, written)
                for h in headings
                if (written := heading_link_text(h.text))
            ]
            kind = types.CompletionItemKind.Text
        return self.completion_list(note, start, offset, items, True, kind)

    def name_items(self, open_note: OpenNote, typed: str) -> tuple[list[_Item], bool]:
        """The files whose link text or path hold every word typed, in the shortest
        form a link opens them with (Obsidian's): at most ``MAX_NAMES`` of them."""
        workspace, source = open_note.workspace, open_note.note.path
        index = workspace.index
        names = self.names.get(workspace)
        if names is None or names[0] is not index.files:
            names = (index.files, _link_names(index.files, index.by_name))
            self.names[workspace] = names
        words = typed.lower().split()
        resolver = index.resolver
        items: list[_Item] = []
        for path, short, haystack in names[1]:
            if path == source or not all(w in haystack for w in words):
                continue
            text = short if short is not None else resolver.link_text(path, source)
            if short is None and not linkable(text):
                continue
            # a folder typed: the client filters on the path, which holds what was typed
            shown = path[:-3] if "/" in typed and path.lower().endswith(".md") else path
            items.append((text, path, text, shown if "/" in typed else text))
            if len(items) == MAX_NAMES:
                return items, False
        return items, True

    def completion_list(
        self,
        note: Note,
        start: int,
        end: int,
        items: Sequence[_Item],
        complete: bool,
        kind: types.CompletionItemKind = types.CompletionItemKind.File,
    ) -> types.CompletionList:
        where = self.range(note, start, end)
        return types.CompletionList(
            is_incomplete=not complete,
            items=[
                types.CompletionItem(
                    label=label,
                    kind=kind,
                    detail=detail,
                    sort_text=f"{n:05d}",
                    filter_text=seen,
                    text_edit=types.TextEdit(range=where, new_text=new),
                )
                for n, (label, detail, new, seen) in enumerate(items)
            ],
        )

    # --- watching the disk -------------------------------------------------------------

    def watched_files(self, params: types.DidChangeWatchedFilesParams) -> None:
        by_vault: dict[Path, list[str]] = {}
        for event in params.changes:
            file = to_fs_path(event.uri)
            if file is None:
                continue
            for root in self.vaults:
                path = vault_path(root, Path(file))
                if path is not None:
                    by_vault.setdefault(root, []).append(path)
        for root, paths in by_vault.items():
            workspace = self.vaults[root]
            self.files_changed(workspace, workspace.followed(paths))

    def watch(self, root: Path) -> None:
        """Follow ``root`` with a watcher of our own (the client does not watch)."""
        if root in self.watching:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        self.watching.add(root)
        self.watch_tasks.append(loop.create_task(self._watch(root)))

    async def _watch(self, root: Path) -> None:
        from watchfiles import awatch

        async for changes in awatch(root, stop_event=None, debounce=50, step=20):
            workspace = self.vaults.get(root)
            if workspace is None:
                continue
            found = [p for _, file in changes if (p := vault_path(root, Path(file))) is not None]
            paths = workspace.followed(found)
            if paths:
                self.files_changed(workspace, paths)


_FULL = types.TextDocumentSyncKind.Full  # incremental sync would split lines unlike the parser


def make_server() -> VaultlintServer:
    server = VaultlintServer()

    @server.feature(types.INITIALIZED)
    async def initialized(ls: VaultlintServer, params: types.InitializedParams) -> None:
        capabilities = ls.client_capabilities
        ls.pull = client_pulls(capabilities)
        watched = capabilities.workspace and capabilities.workspace.did_change_watched_files
        if watched and watched.dynamic_registration:
            ls.client_watches = True
            options = types.DidChangeWatchedFilesRegistrationOptions(
                watchers=[types.FileSystemWatcher(glob_pattern="**/*")]
            )
            registration = types.Registration(
                id="vaultlint-watch",
                method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                register_options=options,
            )
            with contextlib.suppress(Exception):  # a client that refuses: watch ourselves
                await ls.client_register_capability_async(
                    types.RegistrationParams(registrations=[registration])
                )
                return
            ls.client_watches = False
        folders = ls.workspace.folders.values()
        for folder in folders:
            file = to_fs_path(folder.uri)
            if file is not None and os.path.isdir(file):
                ls.vault_of(Path(file))
        root = ls.workspace.root_path
        if not folders and root and os.path.isdir(root):
            ls.vault_of(Path(root))

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: VaultlintServer, params: types.DidOpenTextDocumentParams) -> None:
        ls.update(params.text_document.uri, params.text_document.text)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: VaultlintServer, params: types.DidChangeTextDocumentParams) -> None:
        document = ls.workspace.get_text_document(params.text_document.uri)
        ls.update(params.text_document.uri, document.source)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: VaultlintServer, params: types.DidCloseTextDocumentParams) -> None:
        closed = ls.notes.pop(params.text_document.uri, None)
        if closed is not None:
            closed.workspace.refresh([closed.path])  # its links: the file's again
            if closed.workspace in ls.reports:  # the vault's report: the file as it is
                ls.report_notes(closed.workspace, [closed.path])
                ls.vault_changed.set()
            if not ls.pull:
                ls.text_document_publish_diagnostics(
                    types.PublishDiagnosticsParams(uri=params.text_document.uri, diagnostics=[])
                )

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def did_change_watched(ls: VaultlintServer, params: types.DidChangeWatchedFilesParams) -> None:
        ls.watched_files(params)

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix, FIX_ALL]),
    )
    def code_action(ls: VaultlintServer, params: types.CodeActionParams) -> list[types.CodeAction]:
        return ls.code_actions(params)

    @server.feature(
        types.TEXT_DOCUMENT_COMPLETION,
        types.CompletionOptions(trigger_characters=["[", "#", "^"]),
    )
    def completion(
        ls: VaultlintServer, params: types.CompletionParams
    ) -> types.CompletionList | None:
        return ls.complete(params)

    @server.feature(
        types.TEXT_DOCUMENT_DIAGNOSTIC,
        types.DiagnosticOptions(
            identifier="vaultlint", inter_file_dependencies=True, workspace_diagnostics=True
        ),
    )
    def document_diagnostic(
        ls: VaultlintServer, params: types.DocumentDiagnosticParams
    ) -> types.DocumentDiagnosticReport:
        return ls.document_diagnostics(params)

    @server.feature(types.WORKSPACE_DIAGNOSTIC)
    async def workspace_diagnostic(
        ls: VaultlintServer, params: types.WorkspaceDiagnosticParams
    ) -> types.WorkspaceDiagnosticReport:
        return await ls.workspace_diagnostics(params)

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def hover(ls: VaultlintServer, params: types.HoverParams) -> types.Hover | None:
        return ls.hover(params)

    @server.feature(types.TEXT_DOCUMENT_DEFINITION)
    def definition(ls: VaultlintServer, params: types.DefinitionParams) -> types.Location | None:
        return ls.definition(params)

    @server.feature(types.SHUTDOWN)
    def shutdown(ls: VaultlintServer, params: Any) -> None:
        for task in ls.watch_tasks:
            task.cancel()

    return server


def serve() -> int:
    make_server().start_io()
    return 0


def collect_cycles() -> None:
    """A process that runs until stopped needs the cyclic garbage collector, which
    the CLI turns off for one run: on again (once the first note's vault is
    loaded), with what is loaded so far (the vault's index and link graph:
    long-lived, without cycles) frozen out of its walks."""
    gc.freeze()
    gc.enable()


# --- helpers ---------------------------------------------------------------------------


def client_pulls(capabilities: types.ClientCapabilities) -> bool:
    """Whether the client pulls diagnostics (LSP 3.17) and can be asked to pull again
    (``workspace/diagnostic/refresh``): else they are pushed, for the open notes."""
    document = capabilities.text_document and capabilities.text_document.diagnostic
    workspace = capabilities.workspace and capabilities.workspace.diagnostics
    return bool(document and workspace and workspace.refresh_support)


def disable_next_line(note: Note, finding: Finding) -> Edit | None:
    """A ``%% vaultlint-disable-next-line RULE %%`` line above the finding's line, with
    the line's indentation and quote markers (so a quote or callout is not split);
    None in the frontmatter and in tables, where a line of its own would change them."""
    start, end = note.line_span(finding.line)
    if start < note.body_start:
        return None
    line = note.text[start:end]
    prefix_end = 0
    while prefix_end < len(line) and line[prefix_end] in " \t>":
        prefix_end += 1
    prefix = line[:prefix_end]
    if line[prefix_end:].startswith("|"):
        return None
    directive = f"{prefix}%% vaultlint-disable-next-line {finding.rule} %%{note.newline}"
    return Edit(start, start, directive)


def subpath_line(note: Note, subpath: str) -> int | None:
    """The line a ``#heading`` (its last part) or ``#^block`` subpath points at."""
    body = subpath[1:]
    if body.startswith("^"):
        wanted = body[1:].lower()
        return next((b.line for b in note.block_ids if b.id.lower() == wanted), None)
    last = normalize_heading(body.split("#")[-1])
    headings = sorted(note.headings + note.uncertain_headings, key=lambda h: h.start)
    return next((h.line for h in headings if normalize_heading(h.text) == last), None)


def _link_names(files: Sequence[str], by_name: dict[str, list[str]]) -> list[_Name]:
    """Each linkable file with its link text when that is the same from every note
    (its name is unique: the name alone), and what a search looks in."""
    names = []
    for path in files:
        short = link_name(path)
        if short is None:
            continue
        unique = len(by_name.get(path.rpartition("/")[2].lower(), ())) == 1
        written = path[:-3] if path.lower().endswith(".md") else path
        names.append((path, short if unique else None, written.lower()))
    return names


def _offset_of(note: Note, line: int, column: int) -> int:
    if line > len(note.line_starts):
        return len(note.text)
    return min(note.line_starts[line - 1] + column - 1, len(note.text))


def _whole_edit(old: str, new: str) -> Edit:
    """One edit turning ``old`` into ``new``: the part between their common ends."""
    prefix = 0
    limit = min(len(old), len(new))
    while prefix < limit and old[prefix] == new[prefix]:
        prefix += 1
    suffix = 0
    while suffix < limit - prefix and old[-1 - suffix] == new[-1 - suffix]:
        suffix += 1
    return Edit(prefix, len(old) - suffix, new[prefix : len(new) - suffix])


def _wanted(only: Sequence[str] | None, kind: str) -> bool:
    """Whether a code action of ``kind`` is asked for (``only`` names kinds and parents)."""
    return only is None or any(kind == k or kind.startswith(k + ".") for k in only)


def _existing_folder(file: Path) -> Path:
    folder = Path(os.path.abspath(file)).parent
    while not folder.is_dir() and folder != folder.parent:
        folder = folder.parent
    return folder
