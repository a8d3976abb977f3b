"""Per-key fixed one-second windows, with the platform bucket's headers (§1.8)."""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass


@dataclass
class Verdict:
    allowed: bool
    headers: dict[str, str]
    retry_after: int = 0


class RateLimiter:
    def __init__(self, rate: float = 50, clock=time.time) -> None:
        self.rate = rate
        self._clock = clock
        self._lock = threading.Lock()
        self._windows: dict[str, tuple[int, int]] = {}

    def check(self, key: str) -> Verdict:
        if not self.rate:
            return Verdict(True, {})
        now = self._clock()
        window = math.floor(now)
        limit = int(self.rate)
        with self._lock:
            start, used = self._windows.get(key, (window, 0))
            if start != window:
                start, used = window, 0
            allowed = used < limit
            if allowed:
                used += 1
            self._windows[key] = (start, used)
        reset = window + 1
        headers = {
            "X-RateLimit-Limit": str(limit),
            "X-RateLimit-Remaining": str(max(0, limit - used)),
            "X-RateLimit-Reset": str(reset),
            "X-RateLimit-Bucket": "platform",
        }
        retry_after = max(1, math.ceil(reset - now))
        return Verdict(allowed, headers, retry_after)
