"""Turning the bytes of an answer into JSON, or into a clear `ApiError`, never a traceback.

The JSON is read defensively: numbers longer than any real amount or id, NaN/Infinity and
nesting deeper than any Revenium object are refused, so a hostile answer cannot crash a
later stage (recursion, int conversion) far from the request that brought it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import httpx

from ..engine.api import ApiError

Redact = Callable[[str], str]

MAX_DEPTH = 64  # Revenium objects nest a few levels; anything deeper is not an answer
MAX_NUMBER_CHARS = 100
# the integers of at most MAX_NUMBER_CHARS characters, sign included
LOWEST, HIGHEST = -(10 ** (MAX_NUMBER_CHARS - 1)), 10**MAX_NUMBER_CHARS


class BadJson(ValueError):
    pass


def _number(kind: Callable[[str], Any]) -> Callable[[str], Any]:
    def parse(text: str) -> Any:
        if len(text) > MAX_NUMBER_CHARS:
            raise BadJson(f"a number of {len(text)} characters")
        return kind(text)

    return parse


def _constant(name: str) -> Any:
    raise BadJson(f"{name} is not a JSON number")


def _check_depth(value: Any) -> None:
    """A level at a time, only containers kept: most values of a page are scalars, and this
    runs for every page a plan reads. Integers are checked here, on the way (a `parse_int`
    hook would call back into Python for every number of every page)."""
    level = [value] if isinstance(value, (dict, list)) else []
    depth = 0
    while level:
        depth += 1
        if depth > MAX_DEPTH or (depth == MAX_DEPTH and any(level)):  # its values: one deeper
            raise BadJson(f"nested deeper than {MAX_DEPTH} levels")
        deeper = []
        for item in level:
            for child in item.values() if type(item) is dict else item:
                kind = type(child)
                if kind is dict or kind is list:
                    deeper.append(child)
                elif kind is int and not LOWEST < child < HIGHEST:
                    raise BadJson(f"a number of {len(str(child))} characters")
        level = deeper


def loads(payload: bytes) -> Any:
    """Strict JSON from `payload`; raises `BadJson` (a ValueError) with the reason."""
    try:
        text = payload.decode("utf-8")
    except UnicodeDecodeError:
        raise BadJson("not valid UTF-8") from None
    try:
        try:
            value = json.loads(text, parse_float=_number(float), parse_constant=_constant)
        except ValueError as exc:
            if isinstance(exc, BadJson):
                raise
            # int() refuses more than 4,300 digits; say it as for any other long number
            value = json.loads(
                text,
                parse_int=_number(int),
                parse_float=_number(float),
                parse_constant=_constant,
            )
    except RecursionError:
        raise BadJson(f"nested deeper than {MAX_DEPTH} levels") from None
    except BadJson:
        raise
    except ValueError as exc:
        raise BadJson(str(exc)) from None
    _check_depth(value)
    return value


def excerpt(payload: bytes, redact: Redact) -> str:
    """A short, tag-free, redacted quote of an answer for an error message."""
    text = payload[:300].decode("utf-8", "replace")
    text = re.sub(r"<[^>]*>", " ", text)
    text = " ".join(text.split())
    return redact(text[:200]) + ("..." if len(payload) > 300 else "")


def parse(payload: bytes, headers: httpx.Headers, where: str, status: int, redact: Redact) -> Any:
    """The JSON of a successful answer (None when empty)."""
    if not payload.strip():
        return None
    content_type = headers.get("content-type", "")
    if "json" not in content_type:
        raise ApiError(
            f"{where}: expected JSON from Revenium, got {content_type or 'no content type'} "
            f"(status {status}): {excerpt(payload, redact)}"
        )
    try:
        return loads(payload)
    except BadJson as exc:
        raise ApiError(
            f"{where}: malformed JSON from Revenium (status {status}, {exc}): "
            f"{excerpt(payload, redact)}"
        ) from None


def _error_fields(payload: bytes, headers: httpx.Headers) -> tuple[str | None, dict[str, Any]]:
    if "json" not in headers.get("content-type", ""):
        return None, {}
    try:
        data = loads(payload)
    except BadJson:
        return None, {}
    if not isinstance(data, dict):
        return None, {}
    message = data.get("message") if isinstance(data.get("message"), str) else None
    details = data.get("details") if isinstance(data.get("details"), dict) else {}
    return message, details


def error(
    where: str, status: int, headers: httpx.Headers, payload: bytes, team: str, redact: Redact
) -> ApiError:
    """The `ApiError` for a non-2xx answer that is not retried."""
    message, raw_details = _error_fields(payload, headers)
    details = {redact(str(k))[:100]: redact(str(v))[:300] for k, v in raw_details.items()}
    if message is None:
        message = excerpt(payload, redact) if payload else ""
    message = redact(message[:1000])
    hint = None
    if status == 401:
        hint = (
            "Revenium rejected the API key. Check REVENIUM_API_KEY (or --api-key, or 'key' "
            "in ~/.config/revenium/config.yaml) and that it belongs to this account."
        )
    elif status == 403:
        hint = f"The key may not act for team {team}. Check REVENIUM_TEAM_ID / REVENIUM_TENANT_ID."
    elif 300 <= status < 400:
        message = f"redirect to {redact(headers.get('location', '?'))} not followed"
        hint = "revsync only sends the API key to the configured API URL; fix --api-url."
    text = f"{where}: {status}"
    if message:
        text += f" {message}"
    if details:
        text += " (" + "; ".join(f"{k}: {v}" for k, v in sorted(details.items())) + ")"
    return ApiError(text, status, details, hint)
