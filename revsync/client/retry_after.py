"""How long a 429 asks us to wait, and the longest wait revsync accepts.

Revenium's own client never retries a 429, because a stated wait can be a lockout
(revenium-api-more.md §6.4). revsync honours short waits, since its runs are bursts of
writes paced to the one-second windows, but refuses to sleep through a long one.
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping
from email.utils import parsedate_to_datetime

from ..engine.api import ApiError
from .ratelimit import MAX_RESET_WAIT, RateGate, epoch_seconds, server_skew

RETRY_AFTER_CAP = 60.0
"""Longest `Retry-After` (seconds) revsync waits. A longer demand fails the request with a
message naming the wait, instead of silently hanging a CI job."""

DEFAULT_429_WAIT = 1.0  # a 429 that says nothing: one rate-limit window
MIN_WAIT = 0.05


def _stated(raw: str, headers: Mapping[str, str]) -> float | None:
    """Seconds from a Retry-After value: delta-seconds or an HTTP date (server clock)."""
    try:
        seconds = float(raw)
    except (ValueError, OverflowError):
        try:
            when = parsedate_to_datetime(raw).timestamp()
        except (TypeError, ValueError, IndexError, OverflowError):
            return None
        skew = server_skew(headers, time.time()) or 0.0
        seconds = when - skew - time.time()
    return seconds if math.isfinite(seconds) else None


def retry_wait(headers: Mapping[str, str], gate: RateGate, where: str) -> float:
    """The wait a 429 asks for; `ApiError` when it is longer than `RETRY_AFTER_CAP`."""
    raw = headers.get("retry-after")
    stated = _stated(raw.strip(), headers) if raw else None
    if stated is not None:
        if stated > RETRY_AFTER_CAP:
            raise ApiError(
                f"{where}: rate limited (429); Revenium asks to wait {stated:.0f} s "
                f"(Retry-After), longer than the {RETRY_AFTER_CAP:.0f} s revsync waits",
                429,
                hint="The account's rate limit is exhausted; try again later.",
            )
        return max(MIN_WAIT, stated)
    reset = epoch_seconds(headers.get("x-ratelimit-reset", ""))
    if reset is not None:
        return min(MAX_RESET_WAIT, max(MIN_WAIT, reset - gate.skew - time.time()))
    return DEFAULT_429_WAIT
