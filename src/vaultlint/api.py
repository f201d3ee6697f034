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

from vaultlint.errors import VaultlintError as VaultlintError
from vaultlint.model import Edit as Edit
from vaultlint.model import Finding as Finding
from vaultlint.model import Fix as Fix
from vaultlint.model import Note as Note
from vaultlint.model import Severity as Severity
from vaultlint.report.collect import Report as Report
from vaultlint.workspace import FixResult as FixResult
from vaultlint.workspace import LinkGraph as LinkGraph
from vaultlint.workspace import TextFix as TextFix
from vaultlint.workspace import Workspace as Workspace
from vaultlint.workspace import open_vault as open_vault
