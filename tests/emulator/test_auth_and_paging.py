"""Authentication, team isolation, teamId rules and Spring HATEOAS paging."""

from __future__ import annotations

import httpx
import pytest

from revsync.emulator import Emulator

from . import helpers as h
from .helpers import TEAM, ok


@pytest.fixture
def other_team(emulator: Emulator):
    emulator.add_team("hak_other_team_key", "OTHteam", tenant_id="OTHtent")
    with httpx.Client(
        base_url=emulator.api_url + "/v2/api", headers={"x-api-key": "hak_other_team_key"}
    ) as client:
        yield client


def test_missing_or_wrong_key_is_401(emulator: Emulator) -> None:
    url = emulator.api_url + "/v2/api/products"
    for headers in ({}, {"x-api-key": "hak_wrong"}):
        response = httpx.get(url, params={"teamId": TEAM}, headers=headers)
        assert response.status_code == 401
        assert response.json()["error"] == "Unauthorized"


def test_a_key_sees_only_its_own_team(api: httpx.Client, other_team: httpx.Client) -> None:
    product = h.product(api)
    org = h.organization(api)
    sub = h.subscriber(api)
    theirs = ok(other_team.get("/products", params={"teamId": "OTHteam"}))
    assert theirs["page"]["totalElements"] == 0
    assert (
        ok(other_team.get("/organizations", params={"tenantId": "OTHtent"}))["page"][
            "totalElements"
        ]
        == 0
    )
    assert (
        ok(other_team.get("/subscribers", params={"teamId": "OTHteam"}))["page"]["totalElements"]
        == 0
    )
    for path in (
        f"/products/{product['id']}",
        f"/organizations/{org['id']}",
        f"/subscribers/{sub['id']}",
    ):
        assert other_team.get(path).status_code == 404
        assert other_team.delete(path).status_code == 404
    put = other_team.put(
        f"/products/{product['id']}", json={"name": "stolen", "plan": h.plan(), "version": "1"}
    )
    assert put.status_code == 404
    assert ok(api.get(f"/products/{product['id']}", params={"teamId": TEAM}))["name"] == "Pro"


def test_naming_another_team_is_403(api: httpx.Client, other_team: httpx.Client) -> None:
    assert api.get("/products", params={"teamId": "OTHteam"}).status_code == 403
    body = {"name": "P", "teamId": "OTHteam", "plan": h.plan()}
    assert api.post("/products", params={"teamId": TEAM}, json=body).status_code == 403
    assert api.get("/organizations", params={"tenantId": "OTHtent"}).status_code == 403


def test_global_models_are_shared_custom_models_are_not(api, other_team) -> None:
    mine = ok(api.post("/sources/ai/models", json=h.model_body()))
    theirs = ok(other_team.get("/sources/ai/models", params={"teamId": "OTHteam", "size": 100}))
    ids = [m["id"] for m in h.items(theirs)]
    assert mine["id"] not in ids
    assert h.global_model(api)["id"] in ids


def test_list_requires_team_id(api: httpx.Client) -> None:
    for path in (
        "/products",
        "/subscriptions",
        "/subscribers",
        "/sources/ai/models",
        "/sources/ai/anomaly",
        "/configurations/slack",
        "/metering-element-definitions",
    ):
        response = api.get(path)
        assert response.status_code == 400, path
        assert "teamId" in response.json()["message"]
    response = api.get("/organizations")
    assert response.status_code == 400 and "tenantId" in response.json()["message"]


def test_organizations_accept_team_id_in_place_of_tenant_id(api: httpx.Client) -> None:
    h.organization(api)
    assert ok(api.get("/organizations", params={"teamId": TEAM}))["page"]["totalElements"] == 1
    created = ok(
        api.post("/organizations", json={"name": "ViaTeam", "teamId": TEAM, "metadata": ""})
    )
    assert created["tenant"]["id"] == TEAM


def test_create_requires_team_id_in_body_or_query(api: httpx.Client) -> None:
    missing = api.post("/products", json={"name": "P", "plan": h.plan()})
    assert missing.status_code == 400
    assert missing.json()["details"] == {"teamId": "must not be null"}
    ok(api.post("/products", params={"teamId": TEAM}, json={"name": "P", "plan": h.plan()}))
    ok(api.post("/sources/ai/anomaly", json=h.anomaly_body()))  # teamId only in the body


def test_paging_across_many_pages(api: httpx.Client) -> None:
    for i in range(235):
        h.element(api, f"element-{i:03d}")
    first = ok(api.get("/metering-element-definitions", params={"teamId": TEAM}))
    assert first["page"] == {"size": 10, "totalElements": 235, "totalPages": 24, "number": 0}
    assert len(h.items(first)) == 10
    assert "next" in first["_links"] and "prev" not in first["_links"]

    seen = []
    page = 0
    while True:
        body = ok(
            api.get(
                "/metering-element-definitions", params={"teamId": TEAM, "page": page, "size": 100}
            )
        )
        seen += [o["name"] for o in h.items(body)]
        if body["page"]["number"] >= body["page"]["totalPages"] - 1:
            break
        page += 1
    assert seen == [f"element-{i:03d}" for i in range(235)]
    assert body["page"]["totalPages"] == 3 and "next" not in body["_links"]

    capped = ok(api.get("/metering-element-definitions", params={"teamId": TEAM, "size": 500}))
    assert capped["page"]["size"] == 100 and len(h.items(capped)) == 100

    past_end = ok(
        api.get("/metering-element-definitions", params={"teamId": TEAM, "page": 99, "size": 100})
    )
    assert "_embedded" not in past_end
    assert past_end["page"]["totalElements"] == 235


def test_empty_list_has_no_embedded(api: httpx.Client) -> None:
    body = ok(api.get("/products", params={"teamId": TEAM}))
    assert "_embedded" not in body
    assert body["page"] == {"size": 10, "totalElements": 0, "totalPages": 0, "number": 0}


def test_bad_paging_params(api: httpx.Client) -> None:
    assert api.get("/products", params={"teamId": TEAM, "page": "x"}).status_code == 400
    assert api.get("/products", params={"teamId": TEAM, "page": -1}).status_code == 400


def test_sort_and_query(api: httpx.Client) -> None:
    for name in ("b-element", "a-element", "c-other"):
        h.element(api, name)
    desc = ok(
        api.get("/metering-element-definitions", params={"teamId": TEAM, "sort": "name,DESC"})
    )
    assert [o["name"] for o in h.items(desc)] == ["c-other", "b-element", "a-element"]
    found = ok(
        api.get("/metering-element-definitions", params={"teamId": TEAM, "query": "ELEMENT"})
    )
    assert [o["name"] for o in h.items(found)] == ["b-element", "a-element"]
