"""The API as the engine sees it: a protocol the HTTP client implements, and its errors.

The engine never imports the concrete client, so a fake in memory can stand in for it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from ..core.errors import RevsyncError


class ApiError(RevsyncError):
    """Revenium answered with an error (or not at all)."""

    def __init__(
        self,
        message: str,
        status: int | None = None,
        details: dict[str, str] | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message, hint)
        self.status = status
        self.details = details or {}


class Ambiguous(Exception):
    """A write may or may not have been applied: its answer was lost."""

    def __init__(self, cause: str) -> None:
        super().__init__(cause)
        self.cause = cause


class Api(Protocol):
    def request(
        self, method: str, path: str, params: dict[str, Any] | None = None, body: Any = None
    ) -> Any: ...

    def list_all(self, path: str, params: dict[str, Any]) -> list[dict[str, Any]]: ...

    def find(
        self, path: str, params: dict[str, Any], match: Callable[[dict[str, Any]], bool]
    ) -> list[dict[str, Any]]:
        """Every item matching, scanning pages of a list that may grow while it is read."""
        ...

    def redact(self, text: str) -> str: ...
