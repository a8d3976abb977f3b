"""List pages render each item exactly as GET by id does, however often they are read.

List pages keep rendered items until the next write and look up what items embed in
bulk (listing.py); these tests change the embedded objects between reads and compare
every item of the page with a fresh GET of it.
"""

from __future__ import annotations

import json

import httpx

from revsync.emulator import Emulator
from revsync.emulator.resources.paging import paged, paged_text

from . import helpers as h
from .helpers import TEAM, ok

SOURCE = {"name": "chat", "type": "AI", "version": "1.0.0", "ownerId": "EMUownr", "teamId": TEAM}


def listed(api: httpx.Client, segment: str, **params: str) -> dict:
    return ok(api.get(f"/{segment}", params={"teamId": TEAM, "size": 100, **params}))


def items(page: dict) -> list[dict]:
    return next(iter(page["_embedded"].values())) if "_embedded" in page else []


def assert_items_as_got(api: httpx.Client, segment: str, **params: str) -> list[dict]:
    """Every item of the page equals GET of that id, key order included."""
    page_items = items(listed(api, segment, **params))
    for item in page_items:
        got = ok(api.get(f"/{segment}/{item['id']}"))
        assert item == got
        assert list(item) == list(got)
    return page_items


def put(api: httpx.Client, segment: str, obj: dict, **changes) -> dict:
    body = {**obj, **changes, "teamId": TEAM}
    return ok(api.put(f"/{segment}/{obj['id']}", params={"teamId": TEAM}, json=body))


def world(api: httpx.Client) -> tuple[dict, dict, dict, list[dict]]:
    product = h.product(api, "Pro")
    org = h.organization(api, "Acme")
    sub = h.subscriber(api, "ops@acme.example")
    # the subscriptions name their subscriber in other case: emails match ignoring case
    subs = [
        h.subscription(api, product["id"], "OPS@ACME.example", f"s{i}", organizationId=org["id"])
        for i in range(3)
    ]
    return product, org, sub, subs


def test_subscriptions_page_shows_renamed_product_org_and_subscriber(api: httpx.Client) -> None:
    product, org, sub, _ = world(api)
    before = assert_items_as_got(api, "subscriptions")  # read once: items are kept
    assert [s["product"]["label"] for s in before] == ["Pro"] * 3
    fields = {k: product[k] for k in ("id", "version", "paymentSource")}
    put(api, "products", {**fields, "plan": h.plan()}, name="Pro 2")
    put(api, "organizations", {"name": "Acme", "metadata": "", "id": org["id"]}, name="Acme 2")
    assert_items_as_got(api, "subscriptions")
    after = items(listed(api, "subscriptions"))
    assert [s["product"]["label"] for s in after] == ["Pro 2"] * 3
    assert [s["organization"]["label"] for s in after] == ["Acme 2"] * 3
    assert all(s["client"]["id"] == sub["id"] for s in after)
    # the subscriber's email changes: no subscriber has the subscriptions' email any more
    ok(api.put(f"/subscribers/{sub['id']}", json={"email": "new@acme.example"}))
    assert [s["client"] for s in assert_items_as_got(api, "subscriptions")] == [None] * 3
    # a new subscriber with that email (other case) becomes every item's client
    again = h.subscriber(api, "ops@acme.EXAMPLE")
    clients = [s["client"] for s in assert_items_as_got(api, "subscriptions")]
    assert [c["id"] for c in clients] == [again["id"]] * 3


def test_subscriptions_page_follows_a_patched_product(api: httpx.Client) -> None:
    _, _, _, subs = world(api)
    assert_items_as_got(api, "subscriptions")
    other = h.product(api, "Other")
    ok(api.patch(f"/subscriptions/{subs[1]['id']}", json={"productId": other["id"]}))
    labels = [s["product"]["label"] for s in assert_items_as_got(api, "subscriptions")]
    assert labels == ["Pro", "Other", "Pro"]


def test_pages_follow_creates_and_deletes(api: httpx.Client) -> None:
    made = [h.product(api, f"p{i}") for i in range(5)]
    first = listed(api, "products", size="2", page="2")
    assert [p["id"] for p in items(first)] == [made[4]["id"]]
    assert first["page"]["totalElements"] == 5
    ok(api.delete(f"/products/{made[0]['id']}"))
    newest = h.product(api, "p5")
    page = listed(api, "products", size="2", page="2")
    assert [p["id"] for p in items(page)] == [newest["id"]]
    assert page["page"]["totalElements"] == 5
    by_name = listed(api, "products", sort="name,desc", size="3")
    assert [p["name"] for p in items(by_name)] == ["p5", "p4", "p3"]


def test_list_links_name_the_host_asked(emulator: Emulator, api: httpx.Client) -> None:
    h.product(api)
    assert_items_as_got(api, "products")
    host = f"localhost:{emulator.port}"
    page = listed(api, "products", **{})
    other = ok(api.get("/products", params={"teamId": TEAM}, headers={"Host": host}))
    assert items(page)[0]["_links"]["self"]["href"].startswith(emulator.url)
    assert items(other)[0]["_links"]["self"]["href"].startswith(f"http://{host}/")


def test_listed_items_of_other_kinds_equal_their_get(api: httpx.Client) -> None:
    org = h.organization(api, "Acme")
    h.subscriber(api, "a@acme.example", organizationIds=[org["id"]])
    h.anomaly(api)
    source = ok(api.post("/sources", params={"teamId": TEAM}, json=SOURCE))
    ok(api.post("/sources", params={"teamId": TEAM}, json={**SOURCE, "name": "unused"}))
    pro = h.product(api, "Pro", sourceIds=[source["id"]])
    for segment in ("subscribers", "sources/ai/anomaly", "sources", "products"):
        assert_items_as_got(api, segment)
        assert_items_as_got(api, segment)  # again, from the kept items
    put(api, "organizations", {"name": "Acme", "metadata": "", "id": org["id"]}, name="Renamed")
    listed_orgs = assert_items_as_got(api, "subscribers")[0]["organizations"]
    assert [o["label"] for o in listed_orgs] == ["Renamed"]
    fields = {k: pro[k] for k in ("id", "version", "paymentSource")}
    put(api, "products", {**fields, "plan": h.plan(), "sourceIds": [source["id"]]}, name="Pro 2")
    using = [s["products"] for s in assert_items_as_got(api, "sources")]
    assert [[p["label"] for p in products] for products in using] == [["Pro 2"], []]


def test_prerendered_page_is_the_same_json_as_the_page(emulator: Emulator) -> None:
    class FakeCtx:
        base = "http://h/profitstream"
        path = "/v2/api/things"
        params = {"teamId": TEAM, "page": "1", "size": "2"}

    entries = [{"id": "a", "n": [1, None]}, {"id": "é", "x": {"y": "z"}}]
    for shown in (entries, []):
        texts = [json.dumps(e, separators=(",", ":")) for e in shown]
        expected = paged(FakeCtx, "thingList", shown, 1, 2, 5)  # type: ignore[arg-type]
        text = paged_text(FakeCtx, "thingList", texts, 1, 2, 5).text  # type: ignore[arg-type]
        assert text == json.dumps(expected, separators=(",", ":"))
