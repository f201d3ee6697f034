"""The version of vaultlint (what ``--version``, the cache and SARIF print)."""

__version__ = "0.2.0"
