"""Noticing that the API is gone, so that a run with many workers stops instead of waiting.

Each request may retry for `--retry-time`. Without shared state, N workers that each start
a request after the API died would each wait their own full window, one after another. Once
one request has spent a whole window without any answer from the server (or the very first
connection of the run is refused), the breaker opens and every later attempt fails at once.
Any HTTP answer, even a 429 or a 503, is progress; so is a pacing wait.
"""

from __future__ import annotations

import threading
import time

from ..engine.api import ApiUnreachable

__all__ = ["STARTUP_GRACE", "ApiUnreachable", "Breaker"]

STARTUP_GRACE = 2.0  # seconds a run may spend retrying its first connection


class Breaker:
    def __init__(self, url: str, clock=time.monotonic) -> None:
        self.url = url
        self._clock = clock
        self._lock = threading.Lock()
        self._opened = threading.Event()
        self._reason = ""
        self._first_try: float | None = None
        self.last_answer: float | None = None  # when any answer last arrived

    def check(self) -> None:
        """Raise `ApiUnreachable` once the API is known to be gone."""
        if self._opened.is_set():
            raise ApiUnreachable(
                f"{self._reason}; not trying again in this run",
                self.url,
                "Check --api-url / REVENIUM_API_URL and the network.",
            )

    def started(self) -> float:
        """Note an attempt; returns the moment the run's first attempt began."""
        with self._lock:
            if self._first_try is None:
                self._first_try = self._clock()
            return self._first_try

    def answered(self) -> None:
        with self._lock:
            self.last_answer = self._clock()

    def answered_since(self, moment: float) -> bool:
        with self._lock:
            return self.last_answer is not None and self.last_answer >= moment

    def connect_failed_at_start(self) -> bool:
        """True when no answer ever came and the run's first try is past the grace period."""
        with self._lock:
            if self.last_answer is not None or self._first_try is None:
                return False
            return self._clock() - self._first_try >= STARTUP_GRACE

    def open(self, reason: str) -> None:
        with self._lock:
            if not self._opened.is_set():
                self._reason = reason
                self._opened.set()

    def wait(self, seconds: float) -> None:
        """Sleep up to `seconds`; wake early when the breaker opens."""
        if seconds > 0:
            self._opened.wait(seconds)
