"""Every validation and referential rule of the emulator, with Spring-style error bodies."""

from __future__ import annotations

import httpx
import pytest

from . import helpers as h
from .helpers import TEAM, ok

Q = {"teamId": TEAM}


def details(response: httpx.Response, status: int = 400) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["status"] == status
    assert body["error"]
    assert body["path"].startswith("/v2/api/")
    assert body["timestamp"].endswith("Z")
    return body.get("details", {})


def test_required_fields_and_types(api: httpx.Client) -> None:
    got = details(api.post("/products", params=Q, json={"teamId": TEAM, "plan": {"type": 3}}))
    assert got == {
        "name": "must not be null",
        "plan.name": "must not be null",
        "plan.type": "must be a string",
        "plan.currency": "must not be null",
    }


def test_enum_values_are_checked(api: httpx.Client) -> None:
    got = details(
        api.post(
            "/products",
            params=Q,
            json={"name": "P", "teamId": TEAM, "plan": h.plan(currency="BTC")},
        )
    )
    assert got == {
        "plan.currency": "must be one of [USD, EUR, CAD, GBP, JPY, CNY, MXN, COP, "
        "ARS, ZMW, AUD, ZWG]"
    }


def test_body_must_be_json_object(api: httpx.Client) -> None:
    bad = api.post(
        "/products", params=Q, content=b"{not json", headers={"content-type": "application/json"}
    )
    assert bad.status_code == 400
    assert "JSON parse error" in bad.json()["message"]
    assert api.post("/products", params=Q, json=[1, 2]).status_code == 400


def test_plan_elements_must_reference_existing_element_definitions(api: httpx.Client) -> None:
    plan = h.plan(elements=[{"name": "e", "type": "SUM", "elementDefinitionId": "Zzzzzzz"}])
    got = details(api.post("/products", params=Q, json={"name": "P", "teamId": TEAM, "plan": plan}))
    message = "Metering element definition with id Zzzzzzz not found"
    assert got == {"plan.elements[0].elementDefinitionId": message}


def test_subscription_needs_existing_product_and_org(api: httpx.Client) -> None:
    """An unknown subscriber email is no error on create (§6.4); product and org are."""
    body = {
        "name": "s",
        "productId": "Zzzzzzz",
        "subscriberEmail": "x@y.example",
        "organizationId": "Yyyyyyy",
        "teamId": TEAM,
    }
    got = details(api.post("/subscriptions", params=Q, json=body))
    assert got == {
        "productId": "Product with id Zzzzzzz not found",
        "organizationId": "Organization with id Yyyyyyy not found",
    }


def test_subscription_accepts_deprecated_client_email_address(api: httpx.Client) -> None:
    product = h.product(api)
    h.subscriber(api)
    body = {
        "name": "s",
        "productId": product["id"],
        "clientEmailAddress": "ops@acme.example",
        "teamId": TEAM,
    }
    created = ok(api.post("/subscriptions", params=Q, json=body))
    assert created["subscriberEmail"] == "ops@acme.example"


def test_subscription_put_cannot_change_product(api: httpx.Client) -> None:
    product = h.product(api)
    h.subscriber(api)
    sub = h.subscription(api, product["id"], "ops@acme.example")
    other = h.product(api, "Other")
    body = {
        "name": "s",
        "productId": other["id"],
        "subscriberEmail": "ops@acme.example",
        "teamId": TEAM,
    }
    got = details(api.put(f"/subscriptions/{sub['id']}", params=Q, json=body))
    assert got == {"productId": "the product of a subscription is changed with PATCH"}


def test_iso_dates_are_checked(api: httpx.Client) -> None:
    product = h.product(api)
    h.subscriber(api)
    body = {
        "name": "s",
        "productId": product["id"],
        "subscriberEmail": "ops@acme.example",
        "teamId": TEAM,
        "start": "next tuesday",
    }
    got = details(api.post("/subscriptions", params=Q, json=body))
    assert got == {"start": "Expected ISO 8601 format (e.g. 2024-09-01T00:00:00Z)"}


def test_deleting_a_product_with_subscriptions_is_refused(api: httpx.Client) -> None:
    product = h.product(api)
    h.subscriber(api)
    sub = h.subscription(api, product["id"], "ops@acme.example")
    refused = api.delete(f"/products/{product['id']}", params=Q)
    assert refused.status_code == 409
    assert "subscription" in refused.json()["message"]
    ok(api.delete(f"/subscriptions/{sub['id']}", params=Q))
    ok(api.delete(f"/products/{product['id']}", params=Q))


@pytest.mark.parametrize(
    "blocker",
    ["element-in-plan", "slack-in-alert", "org-child", "org-subscriber", "subscriber-sub"],
)
def test_other_referential_deletes_are_refused(api: httpx.Client, blocker: str) -> None:
    if blocker == "element-in-plan":
        el = h.element(api)
        h.product(
            api,
            plan=h.plan(elements=[{"name": "e", "type": "SUM", "elementDefinitionId": el["id"]}]),
        )
        target = f"/metering-element-definitions/{el['id']}"
    elif blocker == "slack-in-alert":
        slack = h.slack(api)
        h.anomaly(api, slackConfigurations=[slack["id"]])
        target = f"/configurations/slack/{slack['id']}"
    elif blocker == "org-child":
        parent = h.organization(api, "P")
        h.organization(api, "C", parentId=parent["id"])
        target = f"/organizations/{parent['id']}"
    elif blocker == "org-subscriber":
        org = h.organization(api)
        h.subscriber(api, organizationIds=[org["id"]])
        target = f"/organizations/{org['id']}"
    else:
        product = h.product(api)
        sub = h.subscriber(api)
        h.subscription(api, product["id"], sub["email"])
        target = f"/subscribers/{sub['id']}"
    assert api.delete(target, params=Q).status_code == 409


def test_subscriber_email_is_unique(api: httpx.Client) -> None:
    h.subscriber(api, "a@b.example")
    again = api.post("/subscribers", json={"email": "A@b.example", "teamId": TEAM})
    assert again.status_code == 409


def test_subscriber_email_format(api: httpx.Client) -> None:
    got = details(api.post("/subscribers", json={"email": "not-an-email"}))
    assert got == {"email": "must be a well-formed email address"}


@pytest.mark.parametrize(
    ("alert_type", "operator", "valid"),
    [
        ("THRESHOLD", "GREATER_THAN", True),
        ("THRESHOLD", "PERCENT_INCREASE", False),
        ("CUMULATIVE_USAGE", "LESS_THAN_OR_EQUAL_TO", True),
        ("CUMULATIVE_USAGE", "DECREASES_BY", False),
        ("RELATIVE_CHANGE", "PERCENT_DECREASE", True),
        ("RELATIVE_CHANGE", "GREATER_THAN", False),
    ],
)
def test_anomaly_operator_family_matches_alert_type(api, alert_type, operator, valid):
    body = h.anomaly_body(alertType=alert_type, operatorType=operator)
    response = api.post("/sources/ai/anomaly", json=body)
    if valid:
        ok(response)
    else:
        assert "operatorType" in details(response)


def test_anomaly_slack_ids_must_exist(api: httpx.Client) -> None:
    got = details(
        api.post("/sources/ai/anomaly", json=h.anomaly_body(slackConfigurations=["Zzzzzzz"]))
    )
    assert got == {"slackConfigurations[0]": "Slack configuration Zzzzzzz not found"}


def test_anomaly_filter_rules(api: httpx.Client) -> None:
    shape = [{"dimension": "PLANET", "operator": "IS", "value": "x"}]
    got = details(api.post("/sources/ai/anomaly", json=h.anomaly_body(filters=shape)))
    assert got == {
        "filters[0].dimension": "must be one of [ORGANIZATION, CREDENTIAL, PRODUCT, "
        "MODEL, PROVIDER, AGENT, SUBSCRIBER, TASK_TYPE, WORKSPACE, API_KEY, DEPARTMENT]",
    }
    operands = [
        {"dimension": "MODEL", "operator": "IN"},
        {"dimension": "MODEL", "operator": "IS"},
        {"dimension": "MODEL", "operator": "IN", "values": ["gpt-4o"]},
    ]
    got = details(api.post("/sources/ai/anomaly", json=h.anomaly_body(filters=operands)))
    assert got == {
        "filters[0].values": "must not be empty for operator IN",
        "filters[1].value": "must not be null",
    }


def test_anomaly_min_sample_count_is_stored_on_other_metrics(api: httpx.Client) -> None:
    """§6.5: "minSampleCount on other metrics is stored and never read"."""
    created = ok(api.post("/sources/ai/anomaly", json=h.anomaly_body(minSampleCount=5)))
    assert created["minSampleCount"] == 5


def test_slack_requires_webhook_on_create_and_put(api: httpx.Client) -> None:
    got = details(
        api.post("/configurations/slack", json={"name": "x", "channelName": "#x", "teamId": TEAM})
    )
    assert got == {"webhookUrl": "must not be null"}
    created = h.slack(api)
    got = details(
        api.put(
            f"/configurations/slack/{created['id']}",
            json={"name": "x", "channelName": "#y", "teamId": TEAM},
        )
    )
    assert got == {"webhookUrl": "must not be null"}


def test_organization_parent_rules(api: httpx.Client) -> None:
    a = h.organization(api, "A")
    b = h.organization(api, "B", parentId=a["id"])
    cycle = api.put(
        f"/organizations/{a['id']}", json={"name": "A", "tenantId": TEAM, "parentId": b["id"]}
    )
    assert details(cycle) == {"parentId": "parent chain would form a cycle"}
    itself = api.put(
        f"/organizations/{a['id']}", json={"name": "A", "tenantId": TEAM, "parentId": a["id"]}
    )
    assert details(itself) == {"parentId": "an organization cannot be its own parent"}
    missing = api.post(
        "/organizations",
        json={"name": "X", "tenantId": TEAM, "metadata": "", "parentId": "Zzzzzzz"},
    )
    assert details(missing) == {"parentId": "Organization with id Zzzzzzz not found"}


def test_owner_must_be_a_known_user(api: httpx.Client) -> None:
    got = details(
        api.post(
            "/products",
            params=Q,
            json={"name": "P", "teamId": TEAM, "ownerId": "Nobody1", "plan": h.plan()},
        )
    )
    assert got == {"ownerId": "User with id Nobody1 not found"}
    ok(
        api.post(
            "/products",
            params=Q,
            json={"name": "P", "teamId": TEAM, "ownerId": "EMUownr", "plan": h.plan()},
        )
    )


def test_undecodable_and_unknown_ids(api: httpx.Client) -> None:
    bad = api.get("/products/not-a-hashid!", params=Q)
    assert bad.status_code == 400
    assert "failed to decode hashed id" in bad.json()["message"]
    missing = api.get("/products/Zzzzzzz", params=Q)
    assert missing.status_code == 404
    assert missing.json()["message"] == "Product with id Zzzzzzz not found"
    assert api.put("/products/Zzzzzzz", params=Q, json={}).status_code == 404
    assert api.delete("/products/Zzzzzzz", params=Q).status_code == 404


def test_unknown_paths_and_methods(api: httpx.Client) -> None:
    assert api.get("/nothing-here", params=Q).status_code == 404
    assert api.patch("/products/Zzzzzzz", params=Q, json={}).status_code == 405
