"""Shared test helpers: in-memory vaults, running one rule, building vault folders."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from vaultlint.config import Config, default_settings
from vaultlint.engine import Engine
from vaultlint.facts import NoteFacts
from vaultlint.fixer import FixOutcome, fix_note
from vaultlint.model import Finding, Note
from vaultlint.parse import parse_note
from vaultlint.properties import parse_types
from vaultlint.rules import Rule
from vaultlint.vault import VaultIndex, file_kind, parse_file

GENVAULT = Path(__file__).resolve().parents[1] / "benchmarks" / "genvault.py"

# The sample book note of docs/design.md.
SAMPLE = """`Author:` Ursula K. Le Guin
`Availability:`

> [!info]
> ## Summary
### **📗**
### **Overview**
A short summary pasted from an assistant…

## Key Takeaways

## Quotes
-

## Notes

`Concepts:` [[Anarchism]], [[Utopia]]
`Knowledge Base:` [[Books index]]
"""


def genvault(
    out: Path, notes: int, seed: int | None = None, hygiene: bool = False, properties: bool = False
) -> Path:
    """A vault made by the benchmark generator at ``out``, with its manifest
    ``.genvault.json`` of what it planted (``hygiene``: hygiene problems too;
    ``properties``: property and tag defects)."""
    argv = [sys.executable, str(GENVAULT), str(out), "--notes", str(notes)]
    if seed is not None:
        argv += ["--seed", str(seed)]
    if hygiene:
        argv.append("--hygiene")
    if properties:
        argv.append("--properties")
    subprocess.run(argv, check=True, capture_output=True, timeout=300)
    return out


def memory_index(files: Mapping[str, str]) -> VaultIndex:
    """A vault index over in-memory files; notes are parsed up front."""
    index = VaultIndex(Path("/nonexistent-vault"), sorted(files))
    for path, text in files.items():
        if file_kind(path) is not None:
            index.add_note(parse_file(path, text))
    return index


def rule_engine(
    rule: type[Rule],
    index: VaultIndex,
    options: Mapping[str, Any] | None = None,
    files: Mapping[str, str] | None = None,
) -> Engine:
    """An engine running ``rule`` alone; Obsidian's property types from the
    ``.obsidian/types.json`` among ``files``, as a vault's configuration reads them."""
    config = Config(root=index.root, rules=default_settings())
    types = (files or {}).get(".obsidian/types.json")
    if types is not None:
        config.obsidian.property_types = parse_types(types, ".obsidian/types.json")[0]
    setting = config.rules[rule.name]
    setting.options.update(options or {})
    return Engine(config, index, select=[rule.name])


def check_text(
    rule: type[Rule],
    text: str,
    *,
    path: str = "Note.md",
    files: Mapping[str, str] | None = None,
    options: Mapping[str, Any] | None = None,
) -> list[Finding]:
    """The findings of one rule on ``text``, in a vault holding ``files`` too."""
    index = memory_index({**(files or {}), path: text})
    note = index.note(path)
    assert note is not None
    engine = rule_engine(rule, index, options, files)
    return engine.check(note) + engine.vault_findings(lambda p: _facts(engine, p))


def _facts(engine: Engine, path: str) -> NoteFacts | None:
    from vaultlint.facts import note_facts

    index = engine.ctx.index
    note = index.note(path)
    return None if note is None else note_facts(note, (), engine.ctx, index.resolver)


def fix_text(
    rule: type[Rule],
    text: str,
    *,
    path: str = "Note.md",
    files: Mapping[str, str] | None = None,
    options: Mapping[str, Any] | None = None,
    unsafe: bool = False,
) -> FixOutcome:
    index = memory_index({**(files or {}), path: text})
    note = index.note(path)
    assert note is not None
    engine = rule_engine(rule, index, options, files)
    table = engine.tag_table()  # tag-case's findings need the vault's tags
    if table is None:
        return fix_note(note, engine.check, unsafe=unsafe)
    return fix_note(
        note, lambda n: [*engine.check(n), *engine.tag_findings(n, table)], unsafe=unsafe
    )


def write_vault(root: Path, files: Mapping[str, str | bytes], obsidian: bool = True) -> Path:
    """Create a vault folder with ``files`` (text or bytes) and ``.obsidian/``."""
    if obsidian:
        (root / ".obsidian").mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_bytes(content.encode("utf-8"))
    return root


def codes(findings: list[Finding]) -> list[str]:
    return [f.code for f in findings]


def parsed(text: str, path: str = "Note.md") -> Note:
    return parse_note(path, text)


def aged_copy(source: Path, target: Path, when: int = 1_600_000_000) -> Path:
    """A copy of the vault ``source`` at ``target`` whose files date from ``when`` (well
    before any run, so that a cache can trust their stat)."""
    shutil.copytree(source, target)
    for path in target.rglob("*"):
        if path.is_file():
            os.utime(path, (when, when))
    return target


def resign(cache_file: Path, payload: bytes) -> None:
    """Write ``payload`` as ``cache_file`` signed with this machine's key: what a cache
    this machine wrote looks like (forged contents then test the checks past the
    signature)."""
    import hashlib
    import hmac

    key = (Path(os.environ["XDG_CACHE_HOME"]) / "vaultlint" / "cache-key").read_bytes()
    cache_file.write_bytes(hmac.new(key, payload, hashlib.sha256).digest() + payload)


class Exploit:
    """Pickles to ``touch MARKER``: a cache that would run it when loaded."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (os.system, (f"touch {self.marker}",))
