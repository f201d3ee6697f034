"""vaultlint: a fast, safe linter and fixer for Obsidian vaults."""

__version__ = "0.1.0"
