"""Exit codes and the errors a user can cause, for every command and the Python API.

Exit codes: 0 nothing left to report, 1 findings left (or, with ``--diff``,
something would change), 2 a usage, path or configuration error, or an
internal error, 130 interrupted (Ctrl-C), 143 terminated (SIGTERM).
"""

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
EXIT_INTERRUPTED = 130  # Ctrl-C (SIGINT)
EXIT_TERMINATED = 143  # SIGTERM (a CI timeout, docker stop, a killed hook)


class VaultlintError(Exception):
    """A problem with what the user gave (paths, options, configuration, schemas):
    the CLI prints it as one line and exits 2; API callers may catch it."""


class UsageError(VaultlintError):
    """A problem with the command line or its paths."""


class Terminated(BaseException):
    """SIGTERM arrived: unwound like Ctrl-C, so that no temporary file is left."""
