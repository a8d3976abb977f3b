"""The FakeApi itself: a store that behaves as the engine's tests assume."""

from __future__ import annotations

import pytest

from revsync.engine.api import Ambiguous, ApiError, ApiUnreachable

from .fake_api import FakeApi

PATH = "/v2/api/products"


def test_a_store_by_path_with_ids_filters_and_not_found() -> None:
    fake = FakeApi()
    made = fake.request("POST", PATH, {"teamId": "t"}, {"name": "a", "teamId": "t"})
    fake.seed(PATH, {"name": "b", "teamId": "other"})
    assert fake.list_all(PATH, {"teamId": "t", "page": 0}) == [made]
    assert fake.find_by_key(PATH, "name", "A", params={"teamId": "t"}, casefold=True) == [made]
    fake.request("PATCH", f"{PATH}/{made['id']}", body={"size": 2})
    assert fake.request("GET", f"{PATH}/{made['id']}")["size"] == 2
    fake.request("DELETE", f"{PATH}/{made['id']}")
    with pytest.raises(ApiError) as info:
        fake.request("DELETE", f"{PATH}/{made['id']}")
    assert info.value.status == 404


def test_faults_count_down_and_a_lost_answer_may_still_commit() -> None:
    fake = FakeApi()
    fake.fail("POST", "/v2/api/prod*", status=503, times=1)
    with pytest.raises(ApiError):
        fake.request("POST", PATH, body={"name": "a"})
    assert fake.objects(PATH) == []
    fake.lose_answer("POST", PATH, commit=True)
    with pytest.raises(Ambiguous):
        fake.request("POST", PATH, body={"name": "a"})
    assert [o["name"] for o in fake.objects(PATH)] == ["a"]
    fake.request("POST", PATH, body={"name": "b"})
    assert len(fake.objects(PATH)) == 2


def test_once_gone_every_request_is_unreachable_and_secrets_are_redacted() -> None:
    fake = FakeApi()
    fake.add_secret("hush")
    assert fake.redact("a hush b") == "a [redacted] b"
    fake.go_away()
    with pytest.raises(ApiUnreachable):
        fake.list_all(PATH, {})
