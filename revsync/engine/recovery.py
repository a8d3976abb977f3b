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

from ..core.ids import safe_id
from ..core.steps import Lookup
from .api import Ambiguous, Api, ApiError, ApiUnreachable

MAX_CREATE_ATTEMPTS = 6  # 10% 5xx three times in a row happens in 500 creates
MIN_LOOKUP_WINDOW = 30.0  # the default window is max(this, 2 x --timeout)
LOOKUP_WINDOW_RANGE = (1.0, 3600.0)  # what --lookup-window accepts
# the server answered and was done with the request: look for a short while only
SETTLED_STATUSES = frozenset({500, 501, 503})
SETTLED_WINDOW = 3.0


def default_lookup_window(timeout: float) -> float:
    """A late commit may land well after the client gave up: look for at least 30 s."""
    return max(MIN_LOOKUP_WINDOW, 2 * timeout)


class CreateFailed(Exception):
    """The create did not happen (or is still unknown after every look)."""

    def __init__(self, message: str, unknown: bool = False, unreachable: bool = False) -> None:
        super().__init__(message)
        self.unknown = unknown  # True: it may still appear; look again at the end
        self.unreachable = unreachable  # the API is gone: the run should stop


class CreateRecovery:
    def __init__(
        self,
        api: Api,
        lookup_window: float = MIN_LOOKUP_WINDOW,
        stop: threading.Event | None = None,
        sleep: Callable[[float], object] | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.api = api
        self.window = lookup_window
        self.stop = stop or threading.Event()
        self._sleep = sleep or self.stop.wait  # a stopped run stops waiting at once
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
                last, window = exc.cause, self._window_after(exc.status)
            except ApiError as exc:
                if exc.status != 409 or attempt == 1:
                    raise  # a 409 to the first attempt: someone else's object, not ours
                last = exc.message  # "already exists": perhaps our own earlier attempt
                window = SETTLED_WINDOW
            found = self.look_patiently(lookup, window)
            if found is not None:
                return found, True
            if attempt == MAX_CREATE_ATTEMPTS or self.stop.is_set():
                break
        looked = (
            "the apply stopped before the look-up window passed"
            if self.stop.is_set()
            else f"looked it up after each of {attempt} attempt(s) (up to {self.window:g} s) "
            "and found nothing"
        )
        raise CreateFailed(f"POST {path}: {last}; {looked}; its outcome is unknown", unknown=True)

    def _window_after(self, status: int | None) -> float:
        """How long a lost create may still land. A server that answered 500 or 503 has
        finished with the request: what it committed is visible now (a few seconds allow for
        a lagging read). No answer, or a gateway's 502/504: it may still be running."""
        return min(self.window, SETTLED_WINDOW) if status in SETTLED_STATUSES else self.window

    def look_patiently(self, lookup: Lookup, window: float | None = None) -> dict[str, Any] | None:
        """Look until found or the window has passed; a late commit still shows up."""
        window = self.window if window is None else window
        deadline = self._clock() + window
        delay = 0.25
        while True:
            error = None
            try:
                found = self.look_once(lookup)
            except ApiUnreachable as exc:  # nobody to ask: waiting out the window helps nobody
                raise CreateFailed(
                    f"cannot look it up: {exc.message}", unknown=True, unreachable=True
                ) from None
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
        """The object with this natural key, or None; two of them is a duplicate, said so."""
        found = self.look_all(lookup)
        if len(found) > 1:
            ids = ", ".join(str(item.get("id")) for item in found)
            raise CreateFailed(
                f"{len(found)} objects with {dict(lookup.match)} exist (ids {ids}): a "
                "duplicate; remove all but one, then run plan again"
            )
        if found and not safe_id(found[0].get("id")):
            raise CreateFailed(f"the object with {dict(lookup.match)} has no usable id")
        return found[0] if found else None

    def look_all(self, lookup: Lookup) -> list[dict[str, Any]]:
        """Every object with the natural key, read so that the apply's own creates do no harm."""
        field, value = next(iter(lookup.match.items()))
        candidates = self.api.find_by_key(
            lookup.path,
            field,
            value,
            params=lookup.params,
            casefold=field in lookup.casefold,
        )
        return [item for item in candidates if lookup.matches(item)]

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
