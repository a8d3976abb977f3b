"""Spring-style API errors, as the real platform returns them (revenium-api.md §1.7)."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any


class ApiError(Exception):
    """Raised anywhere in request handling; rendered as a Spring `ApiError` body."""

    def __init__(
        self,
        status: int,
        message: str,
        details: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.details = details or {}
        self.headers = headers or {}

    def body(self, path: str, timestamp: str) -> dict[str, Any]:
        body: dict[str, Any] = {
            "timestamp": timestamp,
            "status": self.status,
            "error": HTTPStatus(self.status).phrase,
            "message": self.message,
            "path": path,
        }
        if self.details:
            body["details"] = dict(self.details)
            body["errors"] = [
                {"code": "VALIDATION_ERROR", "field": field, "message": msg}
                for field, msg in sorted(self.details.items())
            ]
        return body


def bad_request(details: dict[str, str], message: str = "Validation failed") -> ApiError:
    return ApiError(400, message, details)


def not_found(what: str, ident: str) -> ApiError:
    return ApiError(404, f"{what} with id {ident} not found", {"error": "NOT_FOUND"})


def conflict(message: str) -> ApiError:
    return ApiError(409, message)


def forbidden(message: str) -> ApiError:
    return ApiError(403, message)
