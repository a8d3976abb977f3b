"""List items kept in the database: made at write time, valid across restarts, dropped
when what they show changes, per account and whatever Host asks (listing.py)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from revsync.emulator import Emulator
from revsync.emulator.resources.listing import BASE, viewer

from . import helpers as h
from .helpers import TEAM, ok
from .test_list_rendering import assert_items_as_got, items, listed, put, world


@contextmanager
def running(db: Path) -> Iterator[tuple[Emulator, httpx.Client]]:
    with Emulator(rate_limit=0, db=str(db)) as emu:
        headers = {"x-api-key": emu.api_key}
        with httpx.Client(base_url=emu.api_url + "/v2/api", headers=headers) as api:
            yield emu, api


def kept(emu: Emulator, ident: str) -> str | None:
    account = emu.store.account(emu.api_key)
    return emu.store.rendered_texts(viewer(account), [ident]).get(ident)


def test_a_written_object_is_kept_before_any_read(tmp_path: Path) -> None:
    with running(tmp_path / "a.sqlite") as (emu, api):
        product, org, sub, subs = world(api)
        for obj in (product, org, sub, *subs):
            assert kept(emu, obj["id"]) is not None
        fields = {k: product[k] for k in ("id", "version", "paymentSource")}
        put(api, "products", {**fields, "plan": h.plan()}, name="Pro 2")
        assert kept(emu, product["id"]) is not None  # rendered again by its own write
        assert all(kept(emu, s["id"]) is None for s in subs)  # they show the old name


def test_kept_items_follow_writes_made_after_a_restart(tmp_path: Path) -> None:
    db = tmp_path / "a.sqlite"
    with running(db) as (_, api):
        product, org, sub, subs = world(api)
        assert_items_as_got(api, "subscriptions")
    with running(db) as (emu, api):
        assert kept(emu, subs[0]["id"]) is not None
        assert_items_as_got(api, "subscriptions")
        fields = {k: product[k] for k in ("id", "version", "paymentSource")}
        put(api, "products", {**fields, "plan": h.plan()}, name="Pro 2")
        put(api, "organizations", {"name": "Acme", "metadata": "", "id": org["id"]}, name="B")
        ok(api.put(f"/subscribers/{sub['id']}", json={"email": "new@acme.example"}))
        page = assert_items_as_got(api, "subscriptions")
        assert [(s["product"]["label"], s["organization"]["label"]) for s in page] == [
            ("Pro 2", "B")
        ] * 3
        assert [s["client"] for s in page] == [None] * 3
    with running(db) as (_, api):
        again = h.subscriber(api, "OPS@acme.example")
        clients = [s["client"]["id"] for s in assert_items_as_got(api, "subscriptions")]
        assert clients == [again["id"]] * 3
        ok(api.delete(f"/subscriptions/{subs[0]['id']}"))
        assert len(assert_items_as_got(api, "subscriptions")) == 2


def test_a_database_of_an_older_emulator_is_listed_and_kept(tmp_path: Path) -> None:
    db = tmp_path / "old.sqlite"
    with running(db) as (emu, api):
        _, _, _, subs = world(api)
        expected = json.dumps(listed(api, "subscriptions")).replace(emu.api_url, "URL")
    with sqlite3.connect(db) as old:  # the emulator before items were kept
        old.execute("DROP TABLE rendered")
        old.execute("DROP TABLE rendered_deps")
    with running(db) as (emu, api):
        assert kept(emu, subs[0]["id"]) is None
        assert json.dumps(listed(api, "subscriptions")).replace(emu.api_url, "URL") == expected
        assert kept(emu, subs[0]["id"]) is not None
        assert_items_as_got(api, "subscriptions")


def test_data_that_looks_like_the_placeholder_stays_as_written(api: httpx.Client) -> None:
    name = f"{BASE}/v2/api/products"
    h.product(api, name)
    h.product(api, "plain")
    for _ in range(2):
        page = assert_items_as_got(api, "products")
        assert [p["name"] for p in page] == [name, "plain"]


def test_each_account_sees_its_own_team_in_kept_items(emulator: Emulator) -> None:
    emulator.add_team("hak_second", "EMUtwo", emulator.tenant_id, "EMUown2", "Second team")
    base = emulator.api_url + "/v2/api"
    with (
        httpx.Client(base_url=base, headers={"x-api-key": emulator.api_key}) as one,
        httpx.Client(base_url=base, headers={"x-api-key": "hak_second"}) as two,
    ):
        h.subscriber(one, "a@acme.example")
        first = items(listed(one, "subscribers"))[0]["tenant"]["label"]
        page = ok(two.get("/subscribers", params={"tenantId": TEAM, "size": 100}))
        second = items(page)[0]
        assert second == ok(two.get(f"/subscribers/{second['id']}"))
        assert (first, second["tenant"]["label"]) == ("Emulator team", "Second team")
