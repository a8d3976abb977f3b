"""Exit codes of the command-line contract, and the errors that carry them."""

from __future__ import annotations

EXIT_OK = 0
EXIT_ERROR = 1  # API, network, internal, command-line usage
EXIT_CHANGES = 2  # plan --detailed-exitcode / drift: changes present
EXIT_INVALID = 3  # invalid manifests
EXIT_REFUSED = 4  # unsafe plan, stale saved plan, conflicts


class RevsyncError(Exception):
    """An error meant for the user: printed without a traceback, mapped to an exit code."""

    exit_code = EXIT_ERROR

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class ConfigError(RevsyncError):
    """Missing or wrong credentials / settings."""


class ManifestError(RevsyncError):
    """Invalid manifests; `problems` say where (printed before the message)."""

    exit_code = EXIT_INVALID

    def __init__(self, message: str, hint: str | None = None, problems: list | None = None):
        super().__init__(message, hint)
        self.problems = list(problems or [])


class RefusedError(RevsyncError):
    exit_code = EXIT_REFUSED
