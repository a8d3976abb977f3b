"""Creates whose outcome is unknown: looked up, patiently, before they are ever sent again.

A POST whose answer was lost (timeout, dropped connection, 5xx) may have been committed, and
Revenium may commit it late. Sending it again would make a duplicate (a second subscription
bills twice), so the object is looked up by its natural key with backoff for a whole window
first, and only sent again when the window passed without a trace of it. No natural key is
created twice in one apply.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from ..core.steps import Lookup
from .api import Ambiguous, Api, ApiError

MAX_CREATE_ATTEMPTS = 3
MIN_LOOKUP_WINDOW = 30.0


class CreateFailed(Exception):
    """The create did not happen (or is still unknown after every look)."""

    def __init__(self, message: str, unknown: bool = False) -> None:
        super().__init__(message)
        self.unknown = unknown  # True: it may still appear; look again at the end


class CreateRecovery:
    def __init__(
        self,
        api: Api,
        lookup_window: float = MIN_LOOKUP_WINDOW,
        stop: threading.Event | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.api = api
        self.window = lookup_window
        self.stop = stop or threading.Event()
        self._sleep = sleep
        self._clock = clock
        self._claimed: set[tuple] = set()
        self._lock = threading.Lock()

    def create(self, path: str, params: dict, body: Any, lookup: Lookup) -> tuple[Any, bool]:
        """(the created object, whether it was found by looking it up)."""
        self._claim(lookup)
        last = ""
        for attempt in range(1, MAX_CREATE_ATTEMPTS + 1):
            try:
                return self.api.request("POST", path, params, body), False
            except Ambiguous as exc:
                last = exc.cause
            except ApiError as exc:
                if exc.status != 409:
                    raise
                last = exc.message  # "already exists": perhaps our own earlier attempt
            found = self.look_patiently(lookup)
            if found is not None:
                return found, True
            if attempt == MAX_CREATE_ATTEMPTS or self.stop.is_set():
                break
        raise CreateFailed(
            f"POST {path}: {last}; looked it up for {self.window:g} s after each of "
            f"{attempt} attempt(s) and found nothing",
            unknown=True,
        )

    def look_patiently(self, lookup: Lookup) -> dict[str, Any] | None:
        """Look until found or the window has passed; a late commit still shows up."""
        deadline = self._clock() + self.window
        delay = 0.25
        while True:
            error = None
            try:
                found = self.look_once(lookup)
            except ApiError as exc:
                found, error = None, exc
            if found is not None:
                return found
            left = deadline - self._clock()
            if left <= 0 or self.stop.is_set():
                if error is not None:  # not knowing is not "absent": never send it again
                    raise CreateFailed(f"cannot look it up: {error.message}", unknown=True)
                return None
            self._sleep(min(delay, left))
            delay = min(delay * 2, 5.0)

    def look_once(self, lookup: Lookup) -> dict[str, Any] | None:
        """The object by its natural key, read so that the apply's own creates do no harm."""
        field, value = next(iter(lookup.match.items()))
        candidates = self.api.find_by_key(
            lookup.path,
            field,
            value,
            params=lookup.params,
            casefold=field in lookup.casefold,
        )
        found = [item for item in candidates if lookup.matches(item)]
        return found[-1] if found else None

    def _claim(self, lookup: Lookup) -> None:
        key = (
            lookup.path,
            tuple(
                (k, v.casefold() if k in lookup.casefold and isinstance(v, str) else v)
                for k, v in sorted(lookup.match.items())
            ),
        )
        with self._lock:
            if key in self._claimed:
                raise CreateFailed(f"{dict(lookup.match)} is already created by this apply")
            self._claimed.add(key)
