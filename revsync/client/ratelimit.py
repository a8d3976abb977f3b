"""Client-side pacing from the API's X-RateLimit-* headers, shared by all worker threads.

Revenium counts requests per account in one-second windows (platform bucket: 50/s). Until
the server has stated its limit we assume that default, so a run at the limit draws no 429
at its start. We keep our own count of what we sent in the current window, take the
server's `Remaining` when it is lower, and wait for `Reset` instead of running into 429s.

`Reset` is an epoch time on the server's clock: it is moved onto ours with the skew the
`Date` header shows (only when the clocks clearly disagree: `Date` has one-second
resolution), read as milliseconds when it is that large, and a wait derived from it is never
longer than `MAX_RESET_WAIT`, since a window is one second and a larger value is a clock
problem. Every wait is bounded by what the caller can afford (`acquire(max_wait)`).
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Mapping
from email.utils import parsedate_to_datetime

GUARD = 0.02  # seconds past the reset before a new window is trusted
WINDOW = 1.0  # Revenium's rate-limit windows are one second long
DEFAULT_LIMIT = 50  # the platform bucket, assumed until the server states its limit
MAX_RESET_WAIT = 3.0  # cap on a pacing wait derived from X-RateLimit-Reset
SKEW_TOLERANCE = 1.5  # clock differences below this are not measurable through `Date`
EDGE = 0.25  # a request let through this close to a window's end may arrive in the next one
# (a busy process can take tens of milliseconds between letting it through and sending it)


def server_skew(headers: Mapping[str, str], now: float) -> float | None:
    """Server clock minus ours, from the `Date` header; None when unknown or negligible."""
    raw = headers.get("date")
    if not raw:
        return None
    try:
        server = parsedate_to_datetime(raw).timestamp() + 0.5  # Date is truncated to seconds
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    skew = server - now
    return skew if math.isfinite(skew) and abs(skew) > SKEW_TOLERANCE else None


def epoch_seconds(raw: str) -> float | None:
    """An epoch time in seconds from seconds or milliseconds; None when not a sane number."""
    try:
        value = float(raw)
    except (TypeError, ValueError, OverflowError):
        return None
    if not math.isfinite(value) or value <= 0:
        return None
    return value / 1000 if value > 1e11 else value


class RateGate:
    def __init__(
        self,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
        default_limit: int = DEFAULT_LIMIT,
    ) -> None:
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self.limit: int = default_limit
        self.remaining: int | None = None
        self.reset: float | None = None  # end of the current window, on our clock
        self.blocked_until = 0.0  # after a 429: nothing goes out before this
        self.skew = 0.0
        self._left: float | None = None  # the reset of the window we last left
        self._carry = 0  # requests sent at the very end of this window, maybe counted in the next

    def acquire(self, max_wait: float = math.inf) -> bool:
        """Take a slot in the current window, waiting at most `max_wait` seconds in all.

        Returns False, without taking a slot, when the wait needed is longer than that.
        """
        waited = 0.0
        while True:
            with self._lock:
                wait = self._take(self._clock())
            if wait <= 0:
                return True
            wait = max(wait, 0.005)
            if waited + wait > max_wait:
                return False
            self._sleep(wait)
            waited += wait

    def _take(self, now: float) -> float:
        if now < self.blocked_until:
            return self.blocked_until - now
        if self.reset is None or now >= self.reset + GUARD:
            self._next_window(now)
        assert self.remaining is not None
        if self.remaining > 0:
            self.remaining -= 1
            if self.reset - now < EDGE:
                self._carry += 1
            return 0.0
        assert self.reset is not None
        return min(self.reset + GUARD - now, MAX_RESET_WAIT)

    def _next_window(self, now: float) -> None:
        """Open the window `now` is in; what the last one sent at its very end counts here too
        (the server may have received it after its window turned)."""
        carry, self._carry = self._carry, 0
        if self.reset is None:
            self.reset = math.floor(now) + WINDOW
        else:
            self._left = self.reset
            steps = max(1, math.ceil((now - self.reset) / WINDOW))
            carry = carry if steps == 1 else 0
            self.reset += WINDOW * steps
            if self.reset - now > MAX_RESET_WAIT:
                self.reset = now + WINDOW
        self.remaining = max(0, self.limit - carry)

    def observe(self, headers: Mapping[str, str]) -> None:
        """Learn the server's view of the window from an answer's headers."""
        now = self._clock()
        skew = server_skew(headers, now)
        try:
            limit = int(headers["x-ratelimit-limit"])
            remaining = int(headers["x-ratelimit-remaining"])
        except (KeyError, ValueError):
            return
        reset = epoch_seconds(headers.get("x-ratelimit-reset", ""))
        if reset is None or limit <= 0 or remaining < 0:
            return
        with self._lock:
            if skew is not None:
                self.skew = skew
            reset = reset - self.skew
            self.limit = limit
            if reset <= now or (self._left is not None and reset <= self._left):
                # an answer from a window that has ended, read after its end: its counts
                # say nothing of the current window (taken as a new window, it would drop
                # what was sent at the old one's end, and let 50 more go)
                return
            reset = min(reset, now + MAX_RESET_WAIT)
            if self.reset is None or reset > self.reset + GUARD:
                # the server's window turned before ours: what we let through at the end of
                # ours may still be on its way, uncounted in this `Remaining`
                next_one = self.reset is not None and reset <= self.reset + WINDOW + GUARD
                carry, self._carry = (self._carry if next_one else 0), 0
                self._left = self.reset
                self.remaining = max(0, remaining - carry)
                self.reset = reset
            elif self.remaining is None or remaining < self.remaining:
                self.remaining = remaining  # the lower count: others share the account

    def block_until(self, epoch: float) -> None:
        """After a 429: nothing more goes out before `epoch` (our clock)."""
        with self._lock:
            self.blocked_until = max(self.blocked_until, epoch)
