"""The source collection: write ids, read nested objects, metadata merge, product links."""

from __future__ import annotations

import httpx

from .helpers import TEAM, element, ok, product

Q = {"teamId": TEAM}
OWNER = "EMUownr"


def source_body(**extra) -> dict:
    return {
        "name": "chat",
        "type": "AI",
        "version": "1.0.0",
        "ownerId": OWNER,
        "teamId": TEAM,
        **extra,
    }


def test_create_reads_nested_elements_and_product_back_references(api: httpx.Client) -> None:
    tokens = element(api)
    made = ok(
        api.post(
            "/sources", params=Q, json=source_body(meteringElementDefinitionIds=[tokens["id"]])
        )
    )
    assert [e["id"] for e in made["meteringElementDefinitions"]] == [tokens["id"]]
    assert "meteringElementDefinitionIds" not in made
    pro = product(api, sourceIds=[made["id"]])
    assert [s["id"] for s in pro["sources"]] == [made["id"]]
    got = ok(api.get(f"/sources/{made['id']}", params=Q))
    assert [p["id"] for p in got["products"]] == [pro["id"]]
    assert api.delete(f"/sources/{made['id']}", params=Q).status_code == 409  # still linked
    assert api.delete(f"/metering-element-definitions/{tokens['id']}", params=Q).status_code == 409


def test_rules_owner_types_and_unknown_links(api: httpx.Client) -> None:
    body = source_body()
    body.pop("ownerId")
    assert api.post("/sources", params=Q, json=body).status_code == 400
    assert api.post("/sources", params=Q, json=source_body(type="CUSTOM")).status_code == 400
    assert api.post("/sources", params=Q, json=source_body(type="ai")).status_code == 400
    unknown = source_body(meteringElementDefinitionIds=["AAAAAAA"])
    assert api.post("/sources", params=Q, json=unknown).status_code == 400
    assert (
        api.post(
            "/products",
            params=Q,
            json={
                "name": "P",
                "teamId": TEAM,
                "sourceIds": ["AAAAAAA"],
                "plan": {"name": "m", "type": "SUBSCRIPTION", "currency": "USD"},
            },
        ).status_code
        == 400
    )


def test_put_merges_metadata_and_replaces_the_rest(api: httpx.Client) -> None:
    made = ok(api.post("/sources", params=Q, json=source_body(metadata="a=1", tags=["x"])))
    url = f"/sources/{made['id']}"
    merged = ok(api.put(url, params=Q, json=source_body(metadata="b=2")))
    assert merged["metadata"] == "a=1,b=2" and merged["tags"] == []
    assert ok(api.put(url, params=Q, json=source_body()))["metadata"] == "a=1,b=2"
    assert ok(api.put(url, params=Q, json=source_body(metadata="")))["metadata"] is None
