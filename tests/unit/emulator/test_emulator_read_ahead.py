"""The next page of a list is prepared while the client reads this one (listing.read_ahead);
what the client then gets must be exactly what it would have got without that."""

from __future__ import annotations

import time

import httpx

from revsync.emulator import Emulator
from tests.emulator import helpers as h
from tests.emulator.helpers import TEAM, ok


def page(api: httpx.Client, segment: str, number: int, size: int = 2, **params: str) -> dict:
    query = {"teamId": TEAM, "size": size, "page": number, **params}
    return ok(api.get(f"/{segment}", params=query))


def listed(body: dict) -> list[dict]:
    return next(iter(body["_embedded"].values())) if "_embedded" in body else []


def prepared_pages(emulator: Emulator, expected: int = 0) -> set[tuple[str, ...]]:
    """The pages kept in memory, once `expected` of them are (the read-ahead runs after
    the answer is sent) or a second has passed."""
    deadline = time.monotonic() + 1
    while True:
        with emulator.store.lock:
            pages = {key[-1] for key in emulator.store.memo if key[0] == "page"}
        if len(pages) >= expected or time.monotonic() > deadline:
            return pages
        time.sleep(0.01)


def test_reading_a_page_prepares_the_next_one_only(emulator: Emulator, api: httpx.Client) -> None:
    ids = [h.product(api, f"P{i}")["id"] for i in range(5)]
    page(api, "products", 0)
    assert prepared_pages(emulator, 2) == {tuple(ids[0:2]), tuple(ids[2:4])}
    page(api, "products", 2)  # the last page: nothing after it to prepare
    page(api, "products", 1)  # prepared already: nothing to do
    expected = {tuple(ids[0:2]), tuple(ids[2:4]), tuple(ids[4:])}
    assert prepared_pages(emulator, 4) == expected


def test_a_filtered_list_prepares_nothing(emulator: Emulator, api: httpx.Client) -> None:
    ids = [h.product(api, f"P{i}")["id"] for i in range(5)]
    page(api, "products", 0, size=3, query="p")
    page(api, "products", 0)  # unfiltered: once its read-ahead is seen, so would the other's
    assert prepared_pages(emulator, 2) == {tuple(ids[0:2]), tuple(ids[2:4])}


def test_a_write_after_the_read_ahead_shows_on_the_next_page(api: httpx.Client) -> None:
    products = [h.product(api, f"P{i}") for i in range(4)]
    page(api, "products", 0)  # page 1 is now prepared
    third = products[2]
    fields = {k: third[k] for k in ("id", "version", "paymentSource")}
    renamed = {**fields, "name": "Renamed", "plan": h.plan(), "teamId": TEAM}
    ok(api.put(f"/products/{third['id']}", params={"teamId": TEAM}, json=renamed))
    ok(api.delete(f"/products/{products[3]['id']}", params={"teamId": TEAM}))
    items = listed(page(api, "products", 1))
    assert [p["name"] for p in items] == ["Renamed"]
    assert items[0] == ok(api.get(f"/products/{third['id']}"))


def test_an_embedded_object_renamed_after_the_read_ahead_shows(api: httpx.Client) -> None:
    products = [h.product(api, f"P{i}") for i in range(2)]
    h.subscriber(api, "ops@acme.example")
    subs = [
        h.subscription(api, products[i // 2]["id"], "ops@acme.example", f"s{i}") for i in range(4)
    ]
    page(api, "subscriptions", 0)  # page 1 (embedding P1) is now prepared
    second = products[1]
    fields = {k: second[k] for k in ("id", "version", "paymentSource")}
    renamed = {**fields, "name": "P1 renamed", "plan": h.plan(), "teamId": TEAM}
    ok(api.put(f"/products/{second['id']}", params={"teamId": TEAM}, json=renamed))
    items = listed(page(api, "subscriptions", 1))
    assert [s["product"]["label"] for s in items] == ["P1 renamed"] * 2
    assert items == [ok(api.get(f"/subscriptions/{s['id']}")) for s in subs[2:]]


def test_pages_read_in_order_equal_pages_read_backwards(api: httpx.Client) -> None:
    h.subscriber(api, "ops@acme.example")
    for i in range(7):
        h.subscriber(api, f"user{i}@acme.example")  # subscribers list in id order
    forwards = [page(api, "subscribers", n, size=3) for n in range(4)]
    backwards = [page(api, "subscribers", n, size=3, sort="id") for n in reversed(range(4))]
    assert [listed(p) for p in forwards] == [listed(p) for p in reversed(backwards)]
    assert forwards[3]["page"] == {"size": 3, "totalElements": 8, "totalPages": 3, "number": 3}
