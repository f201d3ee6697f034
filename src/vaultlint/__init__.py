"""vaultlint: a fast, safe linter and fixer for Obsidian vaults.

The Python API (``vaultlint.api``), importable from here::

    import vaultlint

    vault = vaultlint.open_vault("path/to/vault")
    for finding in vault.check():
        print(finding.path, finding.line, finding.code, finding.message)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from vaultlint.version import __version__

if TYPE_CHECKING:  # type checkers see the API's own types; at run time it loads lazily
    from vaultlint.api import (
        Edit,
        Finding,
        Fix,
        FixResult,
        Note,
        Report,
        Severity,
        VaultlintError,
        Workspace,
        open_vault,
    )

__all__ = [
    "Edit",
    "Finding",
    "Fix",
    "FixResult",
    "Note",
    "Report",
    "Severity",
    "VaultlintError",
    "Workspace",
    "__version__",
    "open_vault",
]


def __getattr__(name: str) -> Any:
    # The API is loaded on first use, so that ``vaultlint --version`` stays fast.
    if name in __all__:
        from vaultlint import api

        return getattr(api, name)
    raise AttributeError(f"module 'vaultlint' has no attribute {name!r}")
