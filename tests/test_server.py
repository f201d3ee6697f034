"""``vaultlint server`` end to end: the real server over stdio, driven by pygls's client.

Every wait is for a message from the server, with a timeout: no sleep stands for a sync.
"""

from __future__ import annotations

import asyncio
import re
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from lsprotocol import types
from pygls.lsp.client import LanguageClient
from pygls.uris import from_fs_path

from helpers import write_vault
from vaultlint.model import Finding, Severity
from vaultlint.parse import parse_note
from vaultlint.server import disable_next_line, subpath_line

TIMEOUT = 30.0

FILES = {
    "Novels/Dune.md": "# Dune 🏜️\n\nBy [[Herbert]].\n\n## Houses\n\nAtreides ^atreides\n",
    "People/Herbert.md": "# Frank Herbert\n\nWrote [[Dune#Houses]] and [[Dune#^atreides]].\n",
    "Notes/ทดสอบ ภาษาไทย.md": "# ทดสอบ\n\nบันทึกสั้น ๆ เกี่ยวกับดูน\n",
}


class Client:
    """A language client over the real server, recording what it publishes."""

    def __init__(self, root: Path, watch: bool, pull: bool = False) -> None:
        self.root = root
        self.watch = watch
        self.pull = pull
        self.refreshes = 0
        self.lsp = LanguageClient("vaultlint-tests", "1")
        self.diagnostics: dict[str, list[types.Diagnostic]] = {}
        self.changed = asyncio.Condition()
        self.registrations: list[types.Registration] = []
        self.messages: list[str] = []
        self.versions: dict[str, int] = {}

        @self.lsp.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        async def published(params: types.PublishDiagnosticsParams) -> None:
            async with self.changed:
                self.diagnostics[params.uri] = params.diagnostics
                self.changed.notify_all()

        @self.lsp.feature(types.CLIENT_REGISTER_CAPABILITY)
        def register(params: types.RegistrationParams) -> None:
            self.registrations += params.registrations

        @self.lsp.feature(types.WORKSPACE_DIAGNOSTIC_REFRESH)
        async def refresh(params: None) -> None:
            async with self.changed:
                self.refreshes += 1
                self.changed.notify_all()

        @self.lsp.feature(types.WINDOW_SHOW_MESSAGE)
        def message(params: types.ShowMessageParams) -> None:
            self.messages.append(params.message)

    async def start(self) -> None:
        await self.lsp.start_io(sys.executable, "-m", "vaultlint", "server")
        watched = types.DidChangeWatchedFilesClientCapabilities(dynamic_registration=self.watch)
        capabilities = types.ClientCapabilities(
            workspace=types.WorkspaceClientCapabilities(did_change_watched_files=watched)
        )
        if self.pull:  # as VS Code (and Neovim 0.10+) say they pull diagnostics
            assert capabilities.workspace is not None
            capabilities.workspace.diagnostics = types.DiagnosticWorkspaceClientCapabilities(
                refresh_support=True
            )
            capabilities.text_document = types.TextDocumentClientCapabilities(
                diagnostic=types.DiagnosticClientCapabilities(related_document_support=True)
            )
        root_uri = from_fs_path(str(self.root))
        await asyncio.wait_for(
            self.lsp.initialize_async(
                types.InitializeParams(
                    capabilities=capabilities,
                    root_uri=root_uri,
                    workspace_folders=[types.WorkspaceFolder(uri=root_uri, name="vault")],
                )
            ),
            TIMEOUT,
        )
        self.lsp.initialized(types.InitializedParams())

    async def stop(self) -> None:
        await asyncio.wait_for(self.lsp.shutdown_async(None), TIMEOUT)
        self.lsp.exit(None)
        await asyncio.wait_for(self.lsp.stop(), TIMEOUT)

    def uri(self, path: str) -> str:
        return from_fs_path(str(self.root / path))

    def open(self, path: str, text: str | None = None) -> str:
        uri = self.uri(path)
        if text is None:
            text = (self.root / path).read_text(encoding="utf-8")
        self.versions[uri] = 1
        self.lsp.text_document_did_open(
            types.DidOpenTextDocumentParams(
                text_document=types.TextDocumentItem(
                    uri=uri, language_id="markdown", version=1, text=text
                )
            )
        )
        return uri

    def change(self, uri: str, text: str) -> None:
        self.versions[uri] += 1
        self.lsp.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(
                    uri=uri, version=self.versions[uri]
                ),
                content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
            )
        )

    def notify(self, *events: tuple[str, types.FileChangeType]) -> None:
        changes = [types.FileEvent(uri=self.uri(p), type=kind) for p, kind in events]
        self.lsp.workspace_did_change_watched_files(
            types.DidChangeWatchedFilesParams(changes=changes)
        )

    async def wait(
        self, uri: str, check: Callable[[list[types.Diagnostic]], bool]
    ) -> list[types.Diagnostic]:
        """The diagnostics of ``uri`` once ``check`` holds of them."""

        async def until() -> list[types.Diagnostic]:
            async with self.changed:
                await self.changed.wait_for(
                    lambda: uri in self.diagnostics and check(self.diagnostics[uri])
                )
                return self.diagnostics[uri]

        try:
            return await asyncio.wait_for(until(), TIMEOUT)
        except TimeoutError:
            raise AssertionError(
                f"no such diagnostics for {uri}: {self.diagnostics.get(uri)}"
            ) from None


def drive(
    root: Path,
    steps: Callable[[Client], Awaitable[None]],
    watch: bool = True,
    pull: bool = False,
) -> None:
    async def main() -> None:
        client = Client(root, watch, pull)
        await client.start()
        try:
            await steps(client)
        finally:
            await client.stop()

    asyncio.run(main())


def rules(diagnostics: list[types.Diagnostic]) -> list[str]:
    return sorted(_rule(d) for d in diagnostics)


def _rule(diagnostic: types.Diagnostic) -> str:
    match = re.search(r"\(([a-z-]+)\)$", diagnostic.message)
    assert match is not None, diagnostic.message
    return match.group(1)


def apply(text: str, edits: list[types.TextEdit]) -> str:
    """``edits`` applied to ``text`` as an editor would (UTF-16 positions)."""
    starts = [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", text)]

    def offset(position: types.Position) -> int:
        start = starts[position.line]
        units = 0
        i = start
        while units < position.character:
            units += 2 if ord(text[i]) > 0xFFFF else 1
            i += 1
        return i

    spans = sorted((offset(e.range.start), offset(e.range.end), e.new_text) for e in edits)
    for start, end, new in reversed(spans):
        text = text[:start] + new + text[end:]
    return text


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    return write_vault(tmp_path / "vault", FILES)


# --- diagnostics ---------------------------------------------------------------------


def test_diagnostics_from_the_buffer_follow_edits(vault: Path) -> None:
    async def steps(client: Client) -> None:
        text = "# 🏜️ Dune  \n\n[[Missing note]] by [[Herbert]]\n"
        uri = client.open("Novels/Dune.md", text)
        found = await client.wait(uri, lambda d: len(d) == 2)
        assert rules(found) == ["broken-link", "trailing-whitespace"]
        broken = next(d for d in found if _rule(d) == "broken-link")
        assert broken.severity == types.DiagnosticSeverity.Error
        assert (broken.code, broken.source) == ("LK01", "vaultlint")
        assert broken.code_description is not None
        assert broken.code_description.href.startswith("https://")
        assert broken.code_description.href.endswith("/docs/rules.md#broken-link")
        assert broken.range == types.Range(
            start=types.Position(line=2, character=0), end=types.Position(line=2, character=16)
        )
        trailing = next(d for d in found if _rule(d) == "trailing-whitespace")
        # "# 🏜️ Dune": the emoji counts two UTF-16 units, the variation selector one
        assert trailing.range.start == types.Position(line=0, character=10)
        assert trailing.severity == types.DiagnosticSeverity.Warning

        client.change(uri, "# Dune\n\n[[Herbert]] and [[ทดสอบ ภาษาไทย]]\n")
        assert await client.wait(uri, lambda d: not d) == ()
        client.change(uri, "# Dune\n\n%% vaultlint-disable-next-line broken-link %%\ntext\n")
        found = await client.wait(uri, lambda d: len(d) == 1)
        assert rules(found) == ["unused-suppression"]
        assert list(found[0].tags or ()) == [types.DiagnosticTag.Unnecessary]

    drive(vault, steps)


def test_a_note_created_on_disk_clears_the_broken_link_in_the_linking_note(vault: Path) -> None:
    async def steps(client: Client) -> None:
        assert [r.method for r in client.registrations] == []
        uri = client.open("People/Herbert.md", "[[Chapterhouse]] [[Dune#Houses]]\n")
        found = await client.wait(uri, lambda d: len(d) == 1)
        assert rules(found) == ["broken-link"]
        # the server registered for file events (the client supports it dynamically)
        assert [r.method for r in client.registrations] == ["workspace/didChangeWatchedFiles"]
        write_vault(vault, {"Novels/Chapterhouse.md": "# Chapterhouse\n"})
        client.notify(("Novels/Chapterhouse.md", types.FileChangeType.Created))
        assert await client.wait(uri, lambda d: not d) == ()
        # the heading it links to goes away in a rename: the link breaks again
        (vault / "Novels/Dune.md").rename(vault / "Novels/Dune (novel).md")
        client.notify(
            ("Novels/Dune.md", types.FileChangeType.Deleted),
            ("Novels/Dune (novel).md", types.FileChangeType.Created),
        )
        found = await client.wait(uri, lambda d: len(d) == 1)
        assert rules(found) == ["broken-link"] and "Dune" in found[0].message

    drive(vault, steps)


def test_without_client_watching_the_server_watches_the_disk(vault: Path) -> None:
    async def steps(client: Client) -> None:
        uri = client.open("People/Herbert.md", "[[Chapterhouse]]\n")
        await client.wait(uri, lambda d: rules(d) == ["broken-link"])
        assert client.registrations == []
        write_vault(vault, {"Chapterhouse.md": "# Chapterhouse\n"})  # no notification
        assert await client.wait(uri, lambda d: not d) == ()

    drive(vault, steps, watch=False)


def test_a_configuration_change_reloads_it(vault: Path) -> None:
    async def steps(client: Client) -> None:
        uri = client.open("People/Herbert.md", "[[Chapterhouse]] text \n")
        await client.wait(uri, lambda d: len(d) == 2)
        (vault / ".vaultlint.yaml").write_text("rules:\n  broken-link: off\n")
        client.notify((".vaultlint.yaml", types.FileChangeType.Created))
        found = await client.wait(uri, lambda d: len(d) == 1)
        assert rules(found) == ["trailing-whitespace"]
        (vault / ".vaultlint.yaml").write_text("rules: [oops\n")
        client.notify((".vaultlint.yaml", types.FileChangeType.Changed))
        client.change(uri, "[[Chapterhouse]] text\n")  # the old configuration still holds
        assert await client.wait(uri, lambda d: not d) == ()
        assert any(".vaultlint.yaml" in m for m in client.messages)

    drive(vault, steps)


def test_a_schema_change_in_a_hidden_folder_reloads_it(vault: Path) -> None:
    # where `vaultlint init --schemas` puts the schemas: a hidden folder, still followed
    write_vault(
        vault,
        {
            ".vaultlint.yaml": "schemas: ['.vaultlint/schemas/*.yaml']\n",
            ".vaultlint/schemas/person.yaml": (
                "name: person\nmatch:\n  folders: [People]\nfields:\n  Né à: {required: true}\n"
            ),
        },
    )

    async def steps(client: Client) -> None:
        uri = client.open("People/Herbert.md", "# Frank Herbert\n\n[[Dune]]\n")
        found = await client.wait(uri, lambda d: len(d) == 1)
        assert rules(found) == ["missing-field"] and "Né à" in found[0].message
        schema = vault / ".vaultlint/schemas/person.yaml"
        schema.write_text(
            "name: person\nmatch:\n  folders: [People]\nfields:\n  Né à: {}\n",
            encoding="utf-8",
        )
        client.notify((".vaultlint/schemas/person.yaml", types.FileChangeType.Changed))
        assert await client.wait(uri, lambda d: not d) == ()

    drive(vault, steps)


# --- pull diagnostics (LSP 3.17) -----------------------------------------------------


def test_pull_diagnostics_of_open_notes_and_of_the_vault(vault: Path) -> None:
    write_vault(
        vault,
        {
            "Inbox/Idea.md": "Read [[Chapterhouse]] next.\n",  # closed, a broken link
            "Inbox/Done.md": "Nothing to say.\n",  # closed, no findings
            "Inbox/Spaces.md": "العربية 🎉 [[Dune#Spice]] trailing \n",  # closed, two
        },
    )

    async def steps(client: Client) -> None:
        uri = client.open("People/Herbert.md", "[[Chapterhouse]] [[Dune#Houses]]\n")

        async def document(previous: str | None = None) -> Any:
            return await asyncio.wait_for(
                client.lsp.text_document_diagnostic_async(
                    types.DocumentDiagnosticParams(
                        text_document=types.TextDocumentIdentifier(uri=uri),
                        previous_result_id=previous,
                    )
                ),
                TIMEOUT,
            )

        async def workspace(previous: dict[str, str]) -> dict[str, Any]:
            ids = [types.PreviousResultId(uri=u, value=v) for u, v in previous.items()]
            report = await asyncio.wait_for(
                client.lsp.workspace_diagnostic_async(
                    types.WorkspaceDiagnosticParams(previous_result_ids=ids)
                ),
                TIMEOUT,
            )
            return {item.uri: item for item in report.items}

        first = await document()
        assert first.kind == "full" and rules(first.items) == ["broken-link"]
        assert (await document(first.result_id)).kind == "unchanged"

        vault_report = await workspace({})
        # the closed notes with findings; not the open one (pulled as a document)
        assert set(vault_report) == {client.uri("Inbox/Idea.md"), client.uri("Inbox/Spaces.md")}
        spaces = vault_report[client.uri("Inbox/Spaces.md")]
        assert rules(spaces.items) == ["broken-heading-link", "trailing-whitespace"]
        trailing = next(d for d in spaces.items if _rule(d) == "trailing-whitespace")
        assert trailing.range.start.character == 34  # UTF-16: the emoji counts two
        ids = {u: r.result_id for u, r in vault_report.items()}

        # a save creates the note both link to: the closed one is reported clean, and
        # the client is asked to pull the open one again
        write_vault(vault, {"Novels/Chapterhouse.md": "# Chapterhouse\n"})
        client.notify(("Novels/Chapterhouse.md", types.FileChangeType.Created))
        again = await workspace(ids)
        idea = again[client.uri("Inbox/Idea.md")]
        assert idea.kind == "full" and list(idea.items) == []
        assert again[client.uri("Inbox/Spaces.md")].kind == "unchanged"
        async with client.changed:
            await asyncio.wait_for(client.changed.wait_for(lambda: client.refreshes > 0), TIMEOUT)
        now = await document(first.result_id)
        assert now.kind == "full" and list(now.items) == []

        # asked again with nothing new, the pull waits for a change, then tells it
        ids = {u: r.result_id for u, r in again.items() if r.result_id}
        waiting = asyncio.ensure_future(workspace(ids))
        await asyncio.sleep(0.2)
        assert not waiting.done()
        write_vault(vault, {"Inbox/Done.md": "Nothing to say. \r\n"})
        client.notify(("Inbox/Done.md", types.FileChangeType.Changed))
        done = (await waiting)[client.uri("Inbox/Done.md")]
        assert done.kind == "full" and rules(done.items) == ["trailing-whitespace"]
        assert client.diagnostics == {}  # nothing pushed to a client that pulls

    drive(vault, steps, pull=True)


# --- code actions --------------------------------------------------------------------


def test_code_actions_fix_disable_and_suggest(vault: Path) -> None:
    async def steps(client: Client) -> None:
        text = "# Dune\r\n\r\n> quoted 🎉 [[Herbrt]] \r\n"
        uri = client.open("Novels/Dune.md", text)
        found = await client.wait(uri, lambda d: len(d) == 2)
        whole = types.Range(
            start=types.Position(line=0, character=0), end=types.Position(line=3, character=0)
        )
        actions = await asyncio.wait_for(
            client.lsp.text_document_code_action_async(
                types.CodeActionParams(
                    text_document=types.TextDocumentIdentifier(uri=uri),
                    range=whole,
                    context=types.CodeActionContext(diagnostics=found),
                )
            ),
            TIMEOUT,
        )
        assert actions is not None
        by_title: dict[str, Any] = {a.title: a for a in actions}
        assert sorted(by_title) == [
            "vaultlint: disable broken-link for this line",
            "vaultlint: disable trailing-whitespace for this line",
            "vaultlint: fix all safe fixes",
            "vaultlint: fix broken-link (unsafe)",
            "vaultlint: fix trailing-whitespace",
            "vaultlint: link to People/Herbert.md",
        ]

        def edited(title: str) -> str:
            edit = by_title[title].edit
            return apply(text, edit.changes[uri])

        assert edited("vaultlint: fix trailing-whitespace") == text.replace("]] \r", "]]\r")
        assert edited("vaultlint: fix all safe fixes") == text.replace("]] \r", "]]\r")
        assert by_title["vaultlint: fix all safe fixes"].kind == "source.fixAll.vaultlint"
        # a suggestion keeps the display text, as the unsafe fix does
        kept = text.replace("Herbrt", "Herbert|Herbrt")
        assert edited("vaultlint: link to People/Herbert.md") == kept
        assert edited("vaultlint: fix broken-link (unsafe)") == kept
        disabled = edited("vaultlint: disable broken-link for this line")
        assert disabled == (
            "# Dune\r\n\r\n> %% vaultlint-disable-next-line broken-link %%\r\n"
            "> quoted 🎉 [[Herbrt]] \r\n"
        )
        client.change(uri, disabled)  # the directive silences it, and is used
        found = await client.wait(uri, lambda d: rules(d) == ["trailing-whitespace"])

        only = await asyncio.wait_for(
            client.lsp.text_document_code_action_async(
                types.CodeActionParams(
                    text_document=types.TextDocumentIdentifier(uri=uri),
                    range=whole,
                    context=types.CodeActionContext(
                        diagnostics=[], only=[types.CodeActionKind.SourceFixAll]
                    ),
                )
            ),
            TIMEOUT,
        )
        assert only is not None and [a.title for a in only] == ["vaultlint: fix all safe fixes"]

    drive(vault, steps)


# --- hover and definition ----------------------------------------------------------------


def test_hover_and_definition_of_links(vault: Path) -> None:
    async def steps(client: Client) -> None:
        text = (
            "[[Dune#Houses]] [[Dune#^atreides]] [[Dune#Spice]] [[Herbrt]] [[#Top]]"
            " ![[Dune#^atreides]] [Herbert](<../People/Herbert.md#Top>)\n# Top\n"
        )
        uri = client.open("People/Herbert.md", text)
        await client.wait(uri, lambda d: len(d) == 2)

        async def hover(character: int) -> str:
            result = await asyncio.wait_for(
                client.lsp.text_document_hover_async(
                    types.HoverParams(
                        text_document=types.TextDocumentIdentifier(uri=uri),
                        position=types.Position(line=0, character=character),
                    )
                ),
                TIMEOUT,
            )
            assert result is not None
            assert isinstance(result.contents, types.MarkupContent)
            return result.contents.value

        async def definition(character: int) -> Any:
            return await asyncio.wait_for(
                client.lsp.text_document_definition_async(
                    types.DefinitionParams(
                        text_document=types.TextDocumentIdentifier(uri=uri),
                        position=types.Position(line=0, character=character),
                    )
                ),
                TIMEOUT,
            )

        assert "Opens `Novels/Dune.md`" in await hover(3)
        assert "At line 5." in await hover(3)
        assert "At line 7." in await hover(20)
        assert "No heading 'Spice' there." in await hover(40)
        broken = await hover(55)
        assert "Not found" in broken and "`People/Herbert.md`" in broken
        houses = await definition(3)
        assert houses.uri == client.uri("Novels/Dune.md") and houses.range.start.line == 4
        block = await definition(20)
        assert block.range.start.line == 6
        top = await definition(66)
        assert top.uri == uri and top.range.start.line == 1
        assert await definition(59) is None  # the broken link goes nowhere
        embed = await definition(75)  # an embed opens its target too, at the block
        assert embed.uri == client.uri("Novels/Dune.md") and embed.range.start.line == 6
        markdown = await definition(92)  # a Markdown link, relative, to a heading
        assert markdown.uri == uri and markdown.range.start.line == 1

    drive(vault, steps)


# --- completion ----------------------------------------------------------------------


def test_completion_of_names_headings_and_block_ids(vault: Path) -> None:
    write_vault(
        vault,
        {
            "Archive/Herbert.md": "# Old\n",  # a second Herbert: the other needs its folder
            "Novels/Dune Messiah.md": "# Paul: the *emperor* | year 12 ^x\n\n## A [b]\n",
            "Images/sandworm map.png": "",
            "Notes/C# notes.md": "",  # a name a wikilink cannot hold
        },
    )

    async def steps(client: Client) -> None:
        text = "x\n"
        uri = client.open("Novels/Notes.md", text)
        await client.wait(uri, lambda d: True)

        async def complete(typed: str) -> tuple[list[types.CompletionItem], bool]:
            nonlocal text
            text = f"# Notes\n\nSee {typed}"
            client.change(uri, text)
            lines = text.split("\n")
            result = await asyncio.wait_for(
                client.lsp.text_document_completion_async(
                    types.CompletionParams(
                        text_document=types.TextDocumentIdentifier(uri=uri),
                        position=types.Position(line=len(lines) - 1, character=len(lines[-1])),
                    )
                ),
                TIMEOUT,
            )
            if result is None:
                return [], True
            assert isinstance(result, types.CompletionList)
            return list(result.items), not result.is_incomplete

        def chosen(item: types.CompletionItem) -> str:
            assert isinstance(item.text_edit, types.TextEdit)
            return apply(text, [item.text_edit])

        items, done = await complete("[[")
        by_label = {i.label: i for i in items}
        assert done and "Notes" not in by_label  # not the note itself
        assert {"Dune", "Dune Messiah", "ทดสอบ ภาษาไทย", "sandworm map.png"} <= set(by_label)
        # two notes named Herbert: each in the shortest form that opens it from Novels/
        # (a bare name opens the shorter path, R35)
        assert by_label["Herbert"].detail == "People/Herbert.md"
        assert by_label["Archive/Herbert"].detail == "Archive/Herbert.md"
        assert not any("C#" in label for label in by_label)

        items, _ = await complete("[[dune m")
        assert [i.label for i in items] == ["Dune Messiah"]
        assert chosen(items[0]).endswith("See [[Dune Messiah")
        items, _ = await complete("![[ทด")
        assert [chosen(i).rpartition("[[")[2] for i in items] == ["ทดสอบ ภาษาไทย"]

        items, _ = await complete("[[Dune Messiah#")
        # as Obsidian writes heading links (R41), the closing ] dropped
        assert [(i.label, chosen(i).rpartition("#")[2]) for i in items] == [
            ("Paul: the *emperor* | year 12 ^x", "Paul the *emperor* year 12 x"),
            ("A [b]", "A [b"),
        ]
        items, _ = await complete("[[Dune#Houses#")  # a chain: the last part is completed
        assert chosen(items[1]).endswith("[[Dune#Houses#Houses")
        items, _ = await complete("[[Dune#^")
        assert [chosen(i).rpartition("[[")[2] for i in items] == ["Dune#^atreides"]
        items, _ = await complete("[[#")  # the note's own headings, from its buffer
        assert [i.label for i in items] == ["Notes"]
        for past in ("[[Dune|Du", "[[Dune]] and more", "no link", "[[Nowhere#"):
            assert (await complete(past))[0] == []

    drive(vault, steps)


# --- the helpers, directly ---------------------------------------------------------------


def _finding(line: int, rule: str = "broken-link") -> Finding:
    return Finding("N.md", line, 1, line, 2, rule, "LK01", Severity.ERROR, "m")


def test_disable_next_line_keeps_quotes_and_leaves_tables_and_frontmatter() -> None:
    note = parse_note("N.md", "---\na: 1\n---\n  > > text\n| a | b |\n")
    assert disable_next_line(note, _finding(2)) is None
    edit = disable_next_line(note, _finding(4))
    assert edit is not None and edit.replacement == (
        "  > > %% vaultlint-disable-next-line broken-link %%\n"
    )
    assert disable_next_line(note, _finding(5)) is None


def test_subpath_line() -> None:
    note = parse_note("N.md", "# A\n## B **c**\ntext ^Id-1\n")
    assert subpath_line(note, "#B c") == 2
    assert subpath_line(note, "#A#B c") == 2
    assert subpath_line(note, "#^id-1") == 3
    assert subpath_line(note, "#Z") is None


def test_check_imports_neither_the_server_nor_the_watcher(vault: Path) -> None:
    import subprocess

    code = (
        "import sys; from vaultlint.cli import main; main(['check', sys.argv[1], '-q']); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('pygls', 'lsprotocol', 'watchfiles', 'cattrs') or m == 'vaultlint.server'))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(vault)], capture_output=True, text=True, timeout=120
    )
    assert done.stdout.strip().splitlines()[-1] == "[]", done.stderr


def test_the_server_runs_with_the_cyclic_collector_on(vault: Path) -> None:
    # the CLI turns it off for one run; a server runs for days of editing
    import gc

    import vaultlint
    from vaultlint.server import VaultlintServer

    collecting = gc.isenabled()
    gc.disable()
    try:
        VaultlintServer().make_graph(vaultlint.open_vault(vault))
        assert gc.isenabled()
        assert gc.get_freeze_count() > 0  # the vault loaded is left out of its walks
    finally:
        gc.unfreeze()
        if not collecting:
            gc.disable()


def test_an_unused_attachment_is_tagged_unnecessary(vault: Path) -> None:
    write_vault(
        vault,
        {
            ".vaultlint.yaml": "rules:\n  unused-attachment: info\n",
            "Attachments/карта пустыни.png": "\x89PNG",
        },
    )

    async def steps(client: Client) -> None:
        client.open("People/Herbert.md")  # the vault opened
        report = await asyncio.wait_for(
            client.lsp.workspace_diagnostic_async(
                types.WorkspaceDiagnosticParams(previous_result_ids=[])
            ),
            TIMEOUT,
        )
        by_uri = {item.uri: item for item in report.items}
        (unused,) = by_uri[client.uri("Attachments/карта пустыни.png")].items
        assert _rule(unused) == "unused-attachment"
        assert list(unused.tags or ()) == [types.DiagnosticTag.Unnecessary]
        assert unused.severity == types.DiagnosticSeverity.Information

    drive(vault, steps, pull=True)


def test_a_deprecated_property_is_tagged_deprecated(vault: Path) -> None:
    write_vault(vault, {".vaultlint.yaml": "rules:\n  deprecated-property: warning\n"})

    async def steps(client: Client) -> None:
        text = "---\ntag: science-fiction\n---\n# Dune\n\nA novel by [[Herbert]].\n"
        uri = client.open("Novels/Dune.md", text)
        found = await client.wait(uri, lambda d: any(_rule(x) == "deprecated-property" for x in d))
        (old,) = [d for d in found if _rule(d) == "deprecated-property"]
        assert list(old.tags or ()) == [types.DiagnosticTag.Deprecated]

    drive(vault, steps)
