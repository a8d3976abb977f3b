"""Reading the live account: answers are held without their HATEOAS links."""

from __future__ import annotations

import pytest

from revsync.core.live import Account
from revsync.engine.live import read_live

from .fake_api import FakeApi

ACCOUNT = Account("team1", "tenant1", "owner1")


@pytest.mark.parametrize("prepare", [False, True], ids=["plain", "prepared"])
def test_answers_and_the_objects_they_embed_are_held_without_links(prepare) -> None:
    api = FakeApi()
    link = {"self": {"href": "https://api.example/x"}}
    api.seed("/v2/api/products", {"id": "p1", "name": "Pro", "_links": link})
    api.seed(
        "/v2/api/subscriptions",
        {
            "id": "s1",
            "label": "s",
            "product": {"id": "p1", "name": "Pro", "_links": link},
            "namedOrganizations": [{"id": "o1", "_links": link}],
            "_links": link,
        },
    )
    live = read_live(api, ACCOUNT, ["products", "subscriptions"], prepare=prepare)
    [product], [subscription] = live.of("products"), live.of("subscriptions")
    assert "_links" not in product.raw
    assert "_links" not in subscription.raw
    assert "_links" not in subscription.raw["product"]
    assert "_links" not in subscription.raw["namedOrganizations"][0]


def test_each_kind_is_reported_as_its_read_ends_and_the_state_keeps_the_order_asked() -> None:
    from revsync.engine.live import LiveReads

    api = FakeApi()
    api.seed("/v2/api/products", {"id": "p1", "name": "Pro"})
    asked = ["meteringElements", "organizations", "products"]
    seen = []
    reads = LiveReads(api, ACCOUNT, asked)
    try:
        live = reads.live_for(asked, lambda state, name: seen.append((name, list(state.objects))))
    finally:
        reads.close()
    assert sorted(name for name, _ in seen) == sorted(asked)
    assert all(name in held for name, held in seen)  # the kind is in the state when told
    assert list(live.objects) == asked and [o.id for o in live.of("products")] == ["p1"]
