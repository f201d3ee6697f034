"""Differential test: vaultlint and obsidiantools agree on which link names are unresolved.

obsidiantools 0.11 matches names case-sensitively and by file name only, does
not resolve folder-qualified links or ``[[#Heading]]`` self-links, reads
``\\[\\[…\\]\\]`` as a link, and ignores Markdown links, frontmatter links and
``%%`` comments (docs/obsidian-links.md). The generated vaults use none of
those: unique file names, links written in the files' own case, headings,
aliases, embeds of images that exist or not, and link-like text in fenced code.
"""

from __future__ import annotations

import random
from pathlib import Path

import obsidiantools.api as otools
import pytest

from helpers import write_vault
from vaultlint.config import Config, default_settings
from vaultlint.engine import Engine
from vaultlint.vault import VaultIndex, scan

WORDS = [
    "mind",
    "brain",
    "attention",
    "memory",
    "habit",
    "focus",
    "empathy",
    "language",
    "story",
    "system",
    "design",
    "practice",
    "learning",
    "emotion",
    "culture",
    "history",
    "power",
    "network",
    "signal",
    "energy",
    "pattern",
]


def generate(seed: int, notes: int = 120) -> dict[str, str]:
    rng = random.Random(seed)
    names = [f"{rng.choice(WORDS).capitalize()} {rng.choice(WORDS)} {i}" for i in range(notes)]
    images = [f"figure {i}.png" for i in range(10)]
    files: dict[str, str] = {f"Attachments/{image}": "stand-in image\n" for image in images}
    for i, name in enumerate(names):
        lines = [f"# {name}", "", "## Notes", ""]
        for _ in range(rng.randint(1, 6)):
            kind = rng.random()
            other = rng.choice(names)
            missing = f"Missing {rng.choice(WORDS)} {rng.randint(0, 30)}"
            if kind < 0.35:
                lines.append(f"- See [[{other}]] about {rng.choice(WORDS)}.")
            elif kind < 0.45:
                lines.append(f"- See [[{other}|the {rng.choice(WORDS)} note]].")
            elif kind < 0.55:
                lines.append(f"- See [[{other}#Notes]].")
            elif kind < 0.7:
                lines.append(f"- Not written yet: [[{missing}]].")
            elif kind < 0.8:
                lines.append(f"- Not written yet: [[{missing}|alias]] and [[{missing}#Part]].")
            elif kind < 0.88:
                lines.append(f"![[{rng.choice(images)}]]")
            elif kind < 0.94:
                lines.append(f"![[lost image {rng.randint(0, 5)}.png]]")
            else:
                lines += ["```", f"code = '[[Not a link {rng.randint(0, 9)}]]'", "```"]
        files[f"Notes/{i % 7}/{name}.md"] = "\n".join(lines) + "\n"
    return files


def vaultlint_unresolved(root: Path) -> set[str]:
    index = VaultIndex(root, scan(root))
    engine = Engine(Config(root=root, rules=default_settings()), index, select=["LK01", "LK02"])
    names: set[str] = set()
    for path in index.notes:
        note = index.note(path)
        assert note is not None
        by_start = {link.start: link for link in note.links}
        names.update(by_start[f.start].path for f in engine.check(note))
    return names


@pytest.mark.parametrize("seed", [1, 2])
def test_unresolved_names_agree_with_obsidiantools(tmp_path: Path, seed: int) -> None:
    root = write_vault(tmp_path, generate(seed))
    vault = otools.Vault(root).connect(attachments=True)
    theirs = set(vault.nonexistent_notes) | set(vault.nonexistent_media_files)
    ours = vaultlint_unresolved(root)
    assert any(name.startswith("Missing") for name in ours)
    assert any(name.startswith("lost image") for name in ours)
    assert ours == theirs
