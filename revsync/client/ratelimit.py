"""Client-side pacing from the API's X-RateLimit-* headers, shared by all worker threads.

Revenium counts requests per account in one-second windows (platform bucket: 50/s). We keep
our own count of what we sent in the current window, take the server's `Remaining` when it
is lower, and wait for `Reset` instead of running into 429s.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping

GUARD = 0.02  # seconds past the reset before a new window is trusted


class RateGate:
    def __init__(
        self, clock: Callable[[], float] = time.time, sleep: Callable[[float], None] = time.sleep
    ) -> None:
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self.limit: int | None = None
        self.remaining: int | None = None
        self.reset: float | None = None
        self.waited = 0.0
        self._left: float | None = None

    def acquire(self) -> None:
        """Block until a request may be sent in the current window."""
        while True:
            with self._lock:
                now = self._clock()
                if self.reset is not None and now >= self.reset + GUARD:
                    self.remaining = self.limit
                    self._left = self.reset
                    self.reset = None
                if self.remaining is None or self.remaining > 0:
                    if self.remaining is not None:
                        self.remaining -= 1
                    return
                wait = (self.reset or now) + GUARD - now
            wait = max(wait, 0.005)
            self.waited += wait
            self._sleep(wait)

    def observe(self, headers: Mapping[str, str]) -> None:
        try:
            limit = int(headers["x-ratelimit-limit"])
            remaining = int(headers["x-ratelimit-remaining"])
            reset = float(headers["x-ratelimit-reset"])
        except (KeyError, ValueError):
            return
        with self._lock:
            self.limit = limit
            if self._left is not None and reset <= self._left:
                return  # an answer from a window we have already left
            if self.reset is None or reset > self.reset:
                if self.reset is None and self.remaining is not None:
                    remaining = min(self.remaining, remaining)  # our own count of this window
                self.remaining = remaining
                self.reset = reset
            elif reset == self.reset and self.remaining is not None:
                self.remaining = min(self.remaining, remaining)

    def block_until(self, epoch: float) -> None:
        """After a 429: nothing more goes out before `epoch`."""
        with self._lock:
            self.remaining = 0
            self.reset = max(self.reset or 0.0, epoch - GUARD)
