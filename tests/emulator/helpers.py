"""Request builders for emulator tests: minimal valid bodies per resource."""

from __future__ import annotations

from typing import Any

import httpx

TEAM = "EMUteam"


def ok(response: httpx.Response) -> Any:
    assert response.status_code == 200, (response.status_code, response.text)
    return response.json()


def element(api: httpx.Client, name: str = "tokens") -> dict:
    body = {"name": name, "type": "NUMBER", "teamId": TEAM}
    return ok(api.post("/metering-element-definitions", json=body))


def plan(**extra: Any) -> dict:
    return {"name": "Monthly", "type": "SUBSCRIPTION", "currency": "USD", **extra}


def product(api: httpx.Client, name: str = "Pro", **extra: Any) -> dict:
    body = {"name": name, "teamId": TEAM, "plan": plan(), **extra}
    return ok(api.post("/products", params={"teamId": TEAM}, json=body))


def organization(api: httpx.Client, name: str = "Acme", **extra: Any) -> dict:
    body = {"name": name, "tenantId": TEAM, "metadata": "", **extra}
    return ok(api.post("/organizations", json=body))


def subscriber(api: httpx.Client, email: str = "ops@acme.example", **extra: Any) -> dict:
    return ok(api.post("/subscribers", json={"email": email, "teamId": TEAM, **extra}))


def subscription(
    api: httpx.Client, product_id: str, email: str, name: str = "acme-pro", **extra: Any
) -> dict:
    body = {"name": name, "productId": product_id, "subscriberEmail": email, "teamId": TEAM}
    return ok(api.post("/subscriptions", params={"teamId": TEAM}, json={**body, **extra}))


def slack(api: httpx.Client, name: str = "finops", **extra: Any) -> dict:
    body = {
        "name": name,
        "channelName": "#finops",
        "webhookUrl": "https://hooks.slack.com/services/T000/B000/secret",
        "teamId": TEAM,
        **extra,
    }
    return ok(api.post("/configurations/slack", json=body))


def anomaly_body(name: str = "spend", **extra: Any) -> dict:
    return {
        "name": name,
        "teamId": TEAM,
        "alertType": "THRESHOLD",
        "metricType": "TOTAL_COST",
        "operatorType": "GREATER_THAN",
        "threshold": 500,
        "periodDuration": "DAILY",
        "enabled": True,
        **extra,
    }


def anomaly(api: httpx.Client, name: str = "spend", **extra: Any) -> dict:
    return ok(api.post("/sources/ai/anomaly", json=anomaly_body(name, **extra)))


def model_body(name: str = "my-model", **extra: Any) -> dict:
    return {
        "name": name,
        "provider": "CUSTOM",
        "inputCostPerToken": 1e-06,
        "outputCostPerToken": 2e-06,
        "teamId": TEAM,
        **extra,
    }


def global_model(api: httpx.Client, name: str = "gpt-4o") -> dict:
    page = ok(api.get("/sources/ai/models", params={"teamId": TEAM, "modelType": "GLOBAL"}))
    models = page["_embedded"]["aIModelResourceList"]
    return next(m for m in models if m["name"] == name)


def items(page: dict) -> list[dict]:
    embedded = page.get("_embedded") or {}
    return next(iter(embedded.values()), [])
