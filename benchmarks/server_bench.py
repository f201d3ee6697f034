"""Latency of ``vaultlint server`` on a vault (a copy: it renames a note there and back).

    python benchmarks/server_bench.py /tmp/v10k-copy [--repeat 21] [--starts 5]

Measured from the client's side, over stdio, with pygls's client:

- start-up on a warm cache: from starting the process (the client sends
  ``initialize`` at once) to the diagnostics of the first note opened, with the
  time ``initialize`` was answered and the CPU time the server had used by then
  (Linux), which a loaded machine inflates less than the wall time;
- an edit: from sending ``didChange`` of one note to receiving its diagnostics;
- a rename on disk of a note linked from 50 notes, all of them open: from the
  rename (and the ``didChangeWatchedFiles`` notification an editor sends) to the
  diagnostics of all 50.

Each is the median of ``--repeat`` runs (start-up: of ``--starts``). The server
runs with bytecode caching on (``PYTHONDONTWRITEBYTECODE`` left out), as an
installed vaultlint has it, after one untimed start. Not a test: timings on a
shared machine are noisy.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from lsprotocol import types
from pygls.lsp.client import LanguageClient
from pygls.uris import from_fs_path

import vaultlint

TIMEOUT = 120.0


class Bench:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.client = LanguageClient("vaultlint-bench", "1")
        self.published: dict[str, int] = {}
        self.changed = asyncio.Condition()

        @self.client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        async def published(params: types.PublishDiagnosticsParams) -> None:
            async with self.changed:
                self.published[params.uri] = self.published.get(params.uri, 0) + 1
                self.changed.notify_all()

        @self.client.feature(types.CLIENT_REGISTER_CAPABILITY)
        def register(params: types.RegistrationParams) -> None:
            return None

    async def start(self) -> None:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        await self.client.start_io(sys.executable, "-m", "vaultlint", "server", env=env)
        watched = types.DidChangeWatchedFilesClientCapabilities(dynamic_registration=True)
        capabilities = types.ClientCapabilities(
            workspace=types.WorkspaceClientCapabilities(did_change_watched_files=watched)
        )
        uri = from_fs_path(str(self.root))
        await self.client.initialize_async(
            types.InitializeParams(
                capabilities=capabilities,
                root_uri=uri,
                workspace_folders=[types.WorkspaceFolder(uri=uri, name="vault")],
            )
        )
        self.initialized = time.perf_counter()
        self.client.initialized(types.InitializedParams())

    def cpu_seconds(self) -> float | None:
        """The CPU time the server process has used (Linux), else None."""
        try:
            with open(f"/proc/{self.client._server.pid}/stat") as stat:  # type: ignore[attr-defined]
                fields = stat.read().rpartition(")")[2].split()
        except (OSError, AttributeError):
            return None
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    async def stop(self) -> None:
        await self.client.shutdown_async(None)
        self.client.exit(None)
        await self.client.stop()

    def uri(self, path: str) -> str:
        return from_fs_path(str(self.root / path))

    def counts(self, uris: list[str]) -> dict[str, int]:
        return {uri: self.published.get(uri, 0) for uri in uris}

    async def published_after(self, before: dict[str, int]) -> None:
        async def until() -> None:
            async with self.changed:
                await self.changed.wait_for(
                    lambda: all(self.published.get(u, 0) > n for u, n in before.items())
                )

        await asyncio.wait_for(until(), TIMEOUT)

    def open(self, path: str) -> str:
        uri = self.uri(path)
        text = (self.root / path).read_text(encoding="utf-8")
        self.client.text_document_did_open(
            types.DidOpenTextDocumentParams(
                text_document=types.TextDocumentItem(
                    uri=uri, language_id="markdown", version=1, text=text
                )
            )
        )
        return uri


def pick_target(root: Path, linked_from: int) -> tuple[str, list[str]]:
    """A note linked from at least ``linked_from`` others (the fewest such), and those."""
    workspace = vaultlint.open_vault(root)
    graph = workspace.link_graph()
    found = [(path, sorted(graph.linking(path) - {path})) for path in workspace.index.notes]
    enough = [item for item in found if len(item[1]) >= linked_from]
    return min(enough, key=lambda item: len(item[1]))


async def startup(root: Path, note: str) -> tuple[float, float, float | None]:
    """Seconds to the first diagnostics, to the answer to ``initialize``, and the
    server's CPU seconds by the first diagnostics."""
    bench = Bench(root)
    started = time.perf_counter()
    await bench.start()
    uri = bench.open(note)
    await bench.published_after({uri: 0})
    elapsed = time.perf_counter() - started
    cpu = bench.cpu_seconds()
    await bench.stop()
    return elapsed, bench.initialized - started, cpu


async def latencies(root: Path, note: str, target: str, linking: list[str], repeat: int) -> None:
    bench = Bench(root)
    await bench.start()
    uri = bench.open(note)
    await bench.published_after({uri: 0})
    text = (root / note).read_text(encoding="utf-8")
    edits = []
    for n in range(repeat):
        before = bench.counts([uri])
        changed = text + ("\n[[Nowhere]] \n" if n % 2 == 0 else "\n")
        started = time.perf_counter()
        bench.client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=n + 2),
                content_changes=[types.TextDocumentContentChangeWholeDocument(text=changed)],
            )
        )
        await bench.published_after(before)
        edits.append(time.perf_counter() - started)
    report("edit of one note, to its diagnostics", edits, 0.1)

    uris = [bench.open(p) for p in linking]
    await bench.published_after(dict.fromkeys(uris, 0))
    renames = []
    old, new = target, target[:-3] + " (renamed).md"
    for _ in range(repeat):
        before = bench.counts(uris)
        started = time.perf_counter()
        (root / old).rename(root / new)
        bench.client.workspace_did_change_watched_files(
            types.DidChangeWatchedFilesParams(
                changes=[
                    types.FileEvent(uri=bench.uri(old), type=types.FileChangeType.Deleted),
                    types.FileEvent(uri=bench.uri(new), type=types.FileChangeType.Created),
                ]
            )
        )
        await bench.published_after(before)
        renames.append(time.perf_counter() - started)
        old, new = new, old
    if old != target:
        (root / old).rename(root / target)
    report(f"rename of {target!r}, to the diagnostics of {len(uris)} open notes", renames, 1.0)
    await bench.stop()


def report(what: str, times: list[float], target: float) -> None:
    median = statistics.median(times)
    print(
        f"{what}: median {median * 1000:.0f} ms, min {min(times) * 1000:.0f}, "
        f"max {max(times) * 1000:.0f} (n={len(times)}; target < {target * 1000:.0f} ms)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("vault", type=Path)
    parser.add_argument("--repeat", type=int, default=21)
    parser.add_argument("--linked-from", type=int, default=50)
    parser.add_argument("--starts", type=int, default=5)
    ns = parser.parse_args()
    root = ns.vault.resolve()
    subprocess.run(
        [sys.executable, "-m", "vaultlint", "check", str(root), "-q", "--exit-zero"],
        check=True,
        stdout=subprocess.DEVNULL,
    )  # a warm cache
    target, linking = pick_target(root, ns.linked_from)
    linking = linking[: ns.linked_from]
    note = linking[0]
    asyncio.run(startup(root, note))  # untimed: bytecode written, the page cache warm
    starts = [asyncio.run(startup(root, note)) for _ in range(ns.starts)]
    report("start-up on a warm cache, to the first diagnostics", [s[0] for s in starts], 1.0)
    report("  of which to the answer to initialize", [s[1] for s in starts], 1.0)
    cpu = [s[2] for s in starts if s[2] is not None]
    if cpu:
        report("  the server's CPU time by the first diagnostics", cpu, 1.0)
    asyncio.run(latencies(root, note, target, linking, ns.repeat))


if __name__ == "__main__":
    main()
