"""Lost creates (issue 12): looked up for a window before any re-send, never sent twice
for one natural key, stopped at once when nobody answers. A fake API and a fake clock."""

from __future__ import annotations

import threading

import pytest

from revsync.core.steps import Lookup
from revsync.engine.api import Ambiguous, ApiError, ApiUnreachable
from revsync.engine.recovery import (
    MAX_CREATE_ATTEMPTS,
    SETTLED_WINDOW,
    CreateFailed,
    CreateRecovery,
    default_lookup_window,
)

LOOKUP = Lookup("/v2/api/products", {"teamId": "T"}, {"name": "p"})


class FakeApi:
    """POST answers come from `posts`; every look returns `stored` (or raises `look_error`)."""

    def __init__(self, posts: list, stored: list | None = None) -> None:
        self.posts = list(posts)
        self.stored = stored if stored is not None else []
        self.look_error: Exception | None = None
        self.sent = 0
        self.looks = 0

    def request(self, method, path, params=None, body=None, *, retry_unsafe=None):
        self.sent += 1
        answer = self.posts.pop(0)
        if isinstance(answer, BaseException):
            raise answer
        return answer

    def find_by_key(self, path, field, value, *, params=None, casefold=False, query=None):
        self.looks += 1
        if self.look_error is not None:
            raise self.look_error
        return [o for o in self.stored if o.get(field) == value]


class Clock:
    def __init__(self) -> None:
        self.now = 0.0
        self.hooks: list = []  # (time, callable): things that happen as time passes

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds
        for when, action in list(self.hooks):
            if self.now >= when:
                action()
                self.hooks.remove((when, action))


def recovery(api: FakeApi, window: float = 30.0, clock: Clock | None = None):
    clock = clock or Clock()
    return CreateRecovery(api, window, sleep=clock.sleep, clock=clock), clock


def test_default_window_is_at_least_30_s_and_twice_the_timeout() -> None:
    assert default_lookup_window(2) == 30
    assert default_lookup_window(40) == 80


def test_a_late_commit_is_found_within_the_window_and_never_sent_again() -> None:
    """Commit 12 s after a lost answer: the look-up keeps going and finds it."""
    api = FakeApi([Ambiguous("timed out")])
    rec, clock = recovery(api)
    clock.hooks.append((12.0, lambda: api.stored.append({"id": "x1", "name": "p"})))
    found, recovered = rec.create("/v2/api/products", {}, {"name": "p"}, LOOKUP)
    assert (found["id"], recovered) == ("x1", True)
    assert api.sent == 1
    assert 12 <= clock.now < 30


def test_nothing_found_in_the_window_then_sent_again() -> None:
    api = FakeApi([Ambiguous("timed out"), {"id": "x2", "name": "p"}])
    rec, clock = recovery(api, window=30)
    found, recovered = rec.create("/v2/api/products", {}, {"name": "p"}, LOOKUP)
    assert (found["id"], recovered, api.sent) == ("x2", False, 2)
    assert clock.now >= 30  # the whole window passed before the second POST


def test_a_server_that_answered_500_is_looked_up_briefly() -> None:
    """It was done with the request: what it committed is visible now."""
    api = FakeApi([Ambiguous("server error 500", 500), {"id": "x3", "name": "p"}])
    rec, clock = recovery(api, window=30)
    rec.create("/v2/api/products", {}, {"name": "p"}, LOOKUP)
    assert SETTLED_WINDOW <= clock.now < 30
    api = FakeApi([Ambiguous("server error 504", 504), {"id": "x4", "name": "p"}])
    rec, clock = recovery(api, window=30)
    rec.create("/v2/api/products", {}, {"name": "p"}, LOOKUP)
    assert clock.now >= 30  # a gateway timeout: the request may still be running


def test_every_attempt_lost_is_a_failure_whose_outcome_is_unknown() -> None:
    api = FakeApi([Ambiguous("timed out")] * MAX_CREATE_ATTEMPTS)
    rec, _ = recovery(api, window=5)
    with pytest.raises(CreateFailed) as info:
        rec.create("/v2/api/products", {}, {"name": "p"}, LOOKUP)
    assert info.value.unknown and "outcome is unknown" in str(info.value)
    assert api.sent == MAX_CREATE_ATTEMPTS


def test_a_look_that_fails_is_not_absence() -> None:
    api = FakeApi([Ambiguous("timed out"), {"id": "never"}])
    api.look_error = ApiError("GET /v2/api/products: 500", 500)
    rec, _ = recovery(api, window=5)
    with pytest.raises(CreateFailed, match="cannot look it up") as info:
        rec.create("/v2/api/products", {}, {"name": "p"}, LOOKUP)
    assert info.value.unknown and api.sent == 1


def test_an_unreachable_api_ends_the_look_at_once() -> None:
    api = FakeApi([Ambiguous("connection reset")])
    api.look_error = ApiUnreachable("nothing answers", "http://x")
    rec, clock = recovery(api, window=300)
    with pytest.raises(CreateFailed) as info:
        rec.create("/v2/api/products", {}, {"name": "p"}, LOOKUP)
    assert info.value.unreachable and info.value.unknown
    assert clock.now == 0 and api.looks == 1


def test_a_stopped_run_stops_looking() -> None:
    api = FakeApi([Ambiguous("timed out")])
    stop = threading.Event()
    stop.set()
    rec = CreateRecovery(api, 300, stop)  # the real wait: would hang 300 s if not stopped
    with pytest.raises(CreateFailed, match="stopped before"):
        rec.create("/v2/api/products", {}, {"name": "p"}, LOOKUP)


def test_two_objects_with_the_key_are_reported_as_a_duplicate() -> None:
    api = FakeApi([Ambiguous("timed out")], [{"id": "a", "name": "p"}, {"id": "b", "name": "p"}])
    rec, _ = recovery(api)
    with pytest.raises(CreateFailed, match="a duplicate") as info:
        rec.create("/v2/api/products", {}, {"name": "p"}, LOOKUP)
    assert "a, b" in str(info.value)


def test_a_409_to_the_first_attempt_is_someone_elses_object() -> None:
    api = FakeApi([ApiError("409 already exists", 409)], [{"id": "theirs", "name": "p"}])
    rec, _ = recovery(api)
    with pytest.raises(ApiError, match="already exists"):
        rec.create("/v2/api/products", {}, {"name": "p"}, LOOKUP)


def test_a_409_to_a_retry_is_our_own_late_commit() -> None:
    api = FakeApi([Ambiguous("server error 500", 500), ApiError("409 already exists", 409)])
    rec, clock = recovery(api)
    clock.hooks.append((SETTLED_WINDOW + 1, lambda: api.stored.append({"id": "ours", "name": "p"})))
    found, recovered = rec.create("/v2/api/products", {}, {"name": "p"}, LOOKUP)
    assert (found["id"], recovered) == ("ours", True)


def test_one_natural_key_is_never_created_twice_in_one_apply() -> None:
    api = FakeApi([{"id": "x", "name": "p"}, {"id": "y", "email": "A@b.c"}])
    rec, _ = recovery(api)
    rec.create("/v2/api/products", {}, {"name": "p"}, LOOKUP)
    with pytest.raises(CreateFailed, match="already created by this apply"):
        rec.create("/v2/api/products", {}, {"name": "p"}, LOOKUP)
    email = Lookup("/v2/api/subscribers", {}, {"email": "A@b.c"}, ("email",))
    rec.create("/v2/api/subscribers", {}, {"email": "A@b.c"}, email)
    folded = Lookup("/v2/api/subscribers", {}, {"email": "a@B.C"}, ("email",))
    with pytest.raises(CreateFailed, match="already created by this apply"):
        rec.create("/v2/api/subscribers", {}, {"email": "a@B.C"}, folded)  # one key, any case
    assert api.sent == 2
