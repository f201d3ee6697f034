"""The Python API: open a vault once, then check, fix and report on it.

    import vaultlint

    vault = vaultlint.open_vault("path/to/vault")
    findings = vault.check()                   # list[Finding], sorted by path and position
    result = vault.fix(["Books"])              # FixResult: fixed, written, remaining
    report = vault.report()                    # Report: completeness, links, rules
    vault.refresh(["Books/Dune.md"])           # after files changed on disk

Errors the user can cause (a missing path, an invalid configuration or
schema, an unknown rule) raise ``VaultlintError`` with a one-line message.
"""

from __future__ import annotations

from vaultlint.errors import VaultlintError
from vaultlint.model import Edit, Finding, Fix, Note, Severity
from vaultlint.report.collect import Report
from vaultlint.workspace import FixResult, Workspace, open_vault

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
    "open_vault",
]
