from vaultlint.cli import entry

entry()
