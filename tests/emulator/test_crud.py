"""CRUD of every resource kind over HTTP, and the read shape of what comes back."""

from __future__ import annotations

import re

import httpx
import pytest

from . import helpers as h
from .helpers import TEAM, ok

ID = re.compile(r"^[0-9A-Za-z]{7}$")
ISO = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$")


def _create_subscription(api: httpx.Client) -> dict:
    product = h.product(api)
    h.subscriber(api)
    return h.subscription(api, product["id"], "ops@acme.example")


CASES = {
    "products": (
        "/products",
        lambda api: h.product(api),
        {
            "name": "Pro 2",
            "version": "1.0.0",
            "plan": h.plan(),
            "teamId": TEAM,
            "paymentSource": "INVOICE_ONLY_NO_PAYMENT",
        },
        "productResourceList",
        "product",
    ),
    "subscriptions": (
        "/subscriptions",
        _create_subscription,
        None,  # body built from the created object below
        "subscriptionResourceList",
        "subscription",
    ),
    "subscribers": (
        "/subscribers",
        lambda api: h.subscriber(api),
        {"email": "ops@acme.example", "firstName": "Ada"},
        "subscriberResourceList",
        "user",
    ),
    "organizations": (
        "/organizations",
        lambda api: h.organization(api),
        {"name": "Acme Corp", "tenantId": TEAM},
        "organizationResourceList",
        "organization",
    ),
    "elements": (
        "/metering-element-definitions",
        lambda api: h.element(api),
        {"name": "tokens-in", "type": "NUMBER", "teamId": TEAM},
        "meteringElementDefinitionResourceList",
        "metering_element_definition",
    ),
    "models": (
        "/sources/ai/models",
        lambda api: ok(api.post("/sources/ai/models", json=h.model_body())),
        None,  # models are not updated with PUT
        "aIModelResourceList",
        "ai_model_metadata",
    ),
    "anomalies": (
        "/sources/ai/anomaly",
        lambda api: h.anomaly(api),
        h.anomaly_body("spend-2"),
        "aIAnomalyResourceList",
        "ai_anomaly_metadata",
    ),
    "slack": (
        "/configurations/slack",
        lambda api: h.slack(api),
        {
            "name": "finops-2",
            "channelName": "#x",
            "webhookUrl": "https://hooks.example/x",
            "teamId": TEAM,
        },
        "slackConfigurationResourceList",
        "slack_configuration",
    ),
}
TENANT_LEVEL = {"organizations"}
FORBIDDEN_WHEN_UNKNOWN = {"subscriptions", "anomalies", "slack"}  # §6.3


@pytest.mark.parametrize("kind", sorted(CASES))
def test_crud_round_trip(api: httpx.Client, kind: str) -> None:
    path, create, update, embedded, resource_type = CASES[kind]
    scope = {"tenantId": TEAM} if kind in TENANT_LEVEL else {"teamId": TEAM}
    created = create(api)
    assert ID.match(created["id"])
    assert ISO.match(created["created"]) and ISO.match(created["updated"])
    assert created["resourceType"] == resource_type
    assert created["label"]
    assert created["_links"]["self"]["href"].endswith(f"{path}/{created['id']}")

    fetched = ok(api.get(f"{path}/{created['id']}", params=scope))
    assert fetched["id"] == created["id"]

    params = {**scope, "modelType": "CUSTOM"} if kind == "models" else scope
    listed = ok(api.get(path, params=params))
    assert created["id"] in [o["id"] for o in listed["_embedded"][embedded]]

    if kind == "subscriptions":
        update = {
            "name": "renamed",
            "productId": created["product"]["id"],
            "subscriberEmail": "ops@acme.example",
            "teamId": TEAM,
        }
    if update is not None:
        replaced = ok(api.put(f"{path}/{created['id']}", params=scope, json=update))
        label_source = update.get("name") or update.get("email")
        assert replaced["id"] == created["id"]
        assert replaced["created"] == created["created"]
        if kind != "subscriptions":
            assert replaced["label"] == label_source

    deleted = ok(api.delete(f"{path}/{created['id']}", params=scope))
    assert deleted["id"] == created["id"]
    gone = 403 if kind in FORBIDDEN_WHEN_UNKNOWN else 404
    assert api.get(f"{path}/{created['id']}", params=scope).status_code == gone


def test_nested_refs_on_read_flat_ids_on_write(api: httpx.Client) -> None:
    org = h.organization(api)
    child = h.organization(api, "Acme EU", parentId=org["id"])
    assert child["parent"]["id"] == org["id"]
    assert child["parent"]["label"] == "Acme"
    assert child["parent"]["resourceType"] == "organization"
    assert "parentId" not in child
    assert child["tenant"]["id"] == TEAM

    product = h.product(api)
    assert product["team"]["id"] == TEAM and "teamId" not in product
    sub = h.subscriber(api, organizationIds=[org["id"]])
    assert [o["id"] for o in sub["organizations"]] == [org["id"]]
    assert sub["label"] == "ops@acme.example"
    subscription = h.subscription(api, product["id"], sub["email"], organizationId=org["id"])
    assert subscription["product"] == {**subscription["product"], "id": product["id"]}
    assert subscription["client"]["id"] == sub["id"]
    assert subscription["label"] == "ops@acme.example"
    assert subscription["organization"]["label"] == "Acme"


def test_read_only_and_unknown_fields_are_ignored_on_write(api: httpx.Client) -> None:
    body = {
        "name": "Pro",
        "teamId": TEAM,
        "plan": h.plan(),
        "id": "AAAAAAA",
        "label": "hacked",
        "created": "2000-01-01T00:00:00Z",
        "team": {"id": "other"},
        "somethingNew": 1,
    }
    created = ok(api.post("/products", params={"teamId": TEAM}, json=body))
    assert created["id"] != "AAAAAAA"
    assert created["label"] == "Pro"
    assert created["created"] != "2000-01-01T00:00:00Z"
    assert "somethingNew" not in created


def test_put_replaces_unsent_fields_become_null_and_version_bumps(api: httpx.Client) -> None:
    created = h.product(api, description="first", tags=["a"], published=True)
    assert created["version"] == "1.0.0"
    body = {
        "name": "Pro",
        "version": "1.0.0",
        "plan": h.plan(),
        "paymentSource": "INVOICE_ONLY_NO_PAYMENT",
        "teamId": TEAM,
    }
    replaced = ok(api.put(f"/products/{created['id']}", params={"teamId": TEAM}, json=body))
    assert replaced["description"] is None
    assert replaced["tags"] == []
    assert replaced["published"] is None
    assert replaced["version"] == "1.0.1"
    again = ok(api.put(f"/products/{created['id']}", params={"teamId": TEAM}, json=body))
    assert again["version"] == "1.0.2"


def test_product_defaults_payment_source_on_create_and_requires_it_on_put(api):
    created = h.product(api)
    assert created["paymentSource"] == "INVOICE_ONLY_NO_PAYMENT"
    body = {"name": "Pro", "version": "1.0.0", "plan": h.plan(), "teamId": TEAM}
    response = api.put(f"/products/{created['id']}", params={"teamId": TEAM}, json=body)
    assert response.status_code == 400
    assert response.json()["details"] == {"paymentSource": "must not be null"}


def test_plan_children_get_server_ids(api: httpx.Client) -> None:
    el = h.element(api)
    plan = h.plan(
        tiers=[{"name": "t1", "upTo": 100, "unitAmount": 0.1}],
        elements=[{"name": "e", "type": "SUM", "elementDefinitionId": el["id"]}],
        ratingAggregations=[
            {
                "name": "r",
                "aggregationType": "SUM",
                "elementDefinitionId": el["id"],
                "tiers": [{"name": "rt", "unitAmount": 1}],
            }
        ],
        setupFees=[{"name": "setup", "type": "ORGANIZATION", "flatAmount": 10}],
    )
    created = ok(
        api.post(
            "/products", params={"teamId": TEAM}, json={"name": "P", "teamId": TEAM, "plan": plan}
        )
    )
    p = created["plan"]
    for child in (
        p["tiers"][0],
        p["elements"][0],
        p["ratingAggregations"][0],
        p["setupFees"][0],
        p["ratingAggregations"][0]["tiers"][0],
    ):
        assert ID.match(child["id"])


def test_organization_put_without_parent_drops_the_parent(api: httpx.Client) -> None:
    """§6.1 row "Organization parentId": omitted -> nulled (confirms §1.6)."""
    parent = h.organization(api, "Parent")
    child = h.organization(api, "Child", parentId=parent["id"])
    replaced = ok(
        api.put(f"/organizations/{child['id']}", json={"name": "Child", "tenantId": TEAM})
    )
    assert replaced["parent"] is None
    assert replaced["types"] == ["CONSUMER"]


def test_organization_children_endpoint(api: httpx.Client) -> None:
    parent = h.organization(api, "Parent")
    h.organization(api, "Child", parentId=parent["id"])
    h.organization(api, "Other")
    page = ok(api.get(f"/organizations/parent/{parent['id']}"))
    assert [o["name"] for o in h.items(page)] == ["Child"]


def test_subscriber_lookup_by_email(api: httpx.Client) -> None:
    created = h.subscriber(api, "Ada@Example.com")
    found = ok(api.get("/subscribers/lookup-by-email", params={"email": "ada@example.com"}))
    assert found["id"] == created["id"]
    missing = api.get("/subscribers/lookup-by-email", params={"email": "nobody@example.com"})
    assert missing.status_code == 404


def test_subscription_patch_changes_product(api: httpx.Client) -> None:
    sub = _create_subscription(api)
    other = h.product(api, "Team")
    patched = ok(api.patch(f"/subscriptions/{sub['id']}", json={"productId": other["id"]}))
    assert patched["product"]["id"] == other["id"]
    assert patched["name"] == sub["name"]


def test_anomaly_firing_is_server_owned(api: httpx.Client) -> None:
    created = h.anomaly(api, firing=True)
    assert created["firing"] is False
    assert created["createdBy"]


def test_slack_webhook_url_is_write_only(emulator, api: httpx.Client) -> None:
    created = h.slack(api)
    assert "webhookUrl" not in created
    assert "webhookUrl" not in ok(api.get(f"/configurations/slack/{created['id']}"))
    listed = h.items(ok(api.get("/configurations/slack", params={"teamId": TEAM})))
    assert all("webhookUrl" not in o for o in listed)
    stored = emulator.objects("slack")
    assert stored[0]["webhookUrl"] == "https://hooks.slack.com/services/T000/B000/secret"


def test_delete_answers_a_delete_response(api: httpx.Client) -> None:
    el = h.element(api)
    body = ok(api.delete(f"/metering-element-definitions/{el['id']}", params={"teamId": TEAM}))
    assert body["message"] == "Deleted"
    assert body["resourceType"] == "metering_element_definition"
