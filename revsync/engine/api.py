"""The port between the engine and the Revenium API: what the engine needs, nothing more.

The engine talks to an `Api`; `revsync.client.http.ApiClient` implements it over HTTP and a
fake can implement it in unit tests. The two exceptions are part of the contract: every
failure of a request is an `ApiError`, except a write whose answer was lost (`Ambiguous`),
which the caller must resolve by looking before writing again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from ..core.errors import RevsyncError


class ApiError(RevsyncError):
    """Revenium answered with an error (or not at all); `status` is the HTTP status if any."""

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


class ApiUnreachable(ApiError):
    """Nothing answers at the API URL (`url`, free of credentials); later calls fail at once.

    Raised when the first connection of a run is refused, or once a request has spent its
    whole retry window without any answer. An executor may stop scheduling work on it.
    """

    def __init__(self, message: str, url: str, hint: str | None = None) -> None:
        super().__init__(message, None, None, hint)
        self.url = url


class Ambiguous(Exception):
    """A write may or may not have been applied: its answer was lost."""

    def __init__(self, cause: str, status: int | None = None) -> None:
        super().__init__(cause)
        self.cause = cause
        self.status = status  # the server's answer (e.g. 500); None: no answer came at all


OnPage = Callable[[list[dict[str, Any]]], None]


class Api(Protocol):
    """The calls the engine makes against Revenium."""

    def request(
        self,
        method: str,
        path: str,
        params: dict[str, Any] | None = None,
        body: Any = None,
        *,
        retry_unsafe: bool | None = None,
    ) -> Any:
        """Send one request, return its decoded JSON answer (None for an empty body)."""
        ...

    def list_all(
        self, path: str, params: dict[str, Any], on_page: OnPage | None = None
    ) -> list[dict[str, Any]]:
        """Every object of a paged list, read consistently, or `ApiError`.

        `on_page` sees each page's objects as it arrives (a page may be seen and then
        dropped, when the list changed while it was read and is read again)."""
        ...

    def find_by_key(
        self,
        path: str,
        field: str,
        value: str,
        *,
        params: dict[str, Any] | None = None,
        casefold: bool = False,
        query: str | None = None,
    ) -> list[dict[str, Any]]:
        """Every object whose `field` is `value`, read page by page from a list that may
        grow while it is read (an apply's own creates); no stable total is required."""
        ...

    def add_secret(self, value: str | None) -> None:
        """A value (a webhook URL) that must never appear in any message."""
        ...

    def redact(self, text: str) -> str:
        """`text` with every known secret value replaced."""
        ...
