"""The layers of docs/architecture.md hold: no import cycle, commands never import the CLI,
the CLI module stays small, and import-linter's contract (pyproject.toml) is kept."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import grimp

ROOT = Path(__file__).parent.parent
SRC = ROOT / "src" / "vaultlint"


def _graph(type_checking: bool) -> grimp.ImportGraph:
    return grimp.build_graph(
        "vaultlint", exclude_type_checking_imports=not type_checking, cache_dir=None
    )


def test_no_module_imports_itself_back() -> None:
    graph = _graph(type_checking=False)
    cycles = [
        (module, imported)
        for module in sorted(graph.modules)
        for imported in graph.find_modules_directly_imported_by(module)
        if graph.chain_exists(imported, module)
    ]
    assert cycles == []


def test_no_cycle_between_top_modules_even_for_type_checking() -> None:
    """Type-only imports go downwards too; only a package and its own modules may meet."""
    graph = _graph(type_checking=True)
    cycles = [
        (module, imported)
        for module in sorted(graph.modules)
        for imported in graph.find_modules_directly_imported_by(module)
        if graph.chain_exists(imported, module) and module.split(".")[:2] != imported.split(".")[:2]
    ]
    assert cycles == []


def test_commands_do_not_import_the_cli() -> None:
    graph = _graph(type_checking=True)
    for module in graph.find_children("vaultlint.commands"):
        assert not graph.chain_exists(module, "vaultlint.cli"), module


def test_the_cli_module_is_only_the_entry_point() -> None:
    assert len((SRC / "cli.py").read_text(encoding="utf-8").splitlines()) < 200


def test_the_layers_contract_is_kept() -> None:
    lint_imports = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run(
        [str(lint_imports), "--no-cache"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


def test_the_parser_loads_no_engine() -> None:
    """``vaultlint --version`` and ``--help`` stay fast: the commands load the
    workspace, engine and rules only when they run."""
    code = (
        "import sys; from vaultlint.cli import build_parser; build_parser(); "
        "print(sorted(m for m in sys.modules if m.startswith('vaultlint.')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    loaded = set(eval(out))
    assert not loaded & {
        "vaultlint.workspace",
        "vaultlint.pipeline",
        "vaultlint.engine",
        "vaultlint.rules",
        "vaultlint.parse",
        "vaultlint.vault",
    }, loaded


def test_a_check_of_one_note_loads_no_multiprocessing(tmp_path: Path) -> None:
    """What pre-commit runs starts no worker: the module is loaded only by runs with them."""
    (tmp_path / ".obsidian").mkdir()
    (tmp_path / "Note.md").write_text("# Note\n\nSee [[Other]].\n", encoding="utf-8")
    code = (
        "import sys; from vaultlint.cli import main; "
        f"main(['check', '-q', {str(tmp_path / 'Note.md')!r}]); "
        "print('multiprocessing' in sys.modules, file=sys.stderr)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stderr.strip().splitlines()[-1] == "False", result.stderr
    assert "broken link" in result.stdout
