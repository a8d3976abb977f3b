"""A deterministic manifest of many objects across every kind (fault matrix, benchmarks)."""

from __future__ import annotations

import random
from typing import Any

GLOBAL_CLONES = ["gpt-4o", "gpt-4o-mini", "claude-sonnet-4-20250514"]
GLOBAL_PROVIDERS = {
    "gpt-4o": "OPENAI",
    "gpt-4o-mini": "OPENAI",
    "claude-sonnet-4-20250514": "ANTHROPIC",
}


def bulk_manifest(
    seed: int = 0,
    elements: int = 20,
    slack: int = 10,
    organizations: int = 30,
    subscribers: int = 40,
    products: int = 30,
    subscriptions: int = 40,
    models: int = 10,
    alerts: int = 20,
) -> dict[str, Any]:
    """About 200 objects by default, with references across kinds."""
    rng = random.Random(seed)
    m: dict[str, Any] = {"version": 1}
    element_names = [f"element-{i:04d}" for i in range(elements)]
    m["meteringElements"] = [
        {"name": n, "type": rng.choice(["NUMBER", "STRING"])} for n in element_names
    ]
    slack_names = [f"channel-{i:04d}" for i in range(slack)]
    m["slackConfigurations"] = [
        {"name": n, "channelName": f"#{n}", "webhookUrl": "${SLACK_WEBHOOK}"} for n in slack_names
    ]
    org_names = [f"org-{i:04d}" for i in range(organizations)]
    m["organizations"] = []
    for i, n in enumerate(org_names):
        org: dict[str, Any] = {"name": n, "currency": rng.choice(["USD", "EUR"])}
        if i >= 5 and rng.random() < 0.3:
            org["parent"] = rng.choice(org_names[:5])
        m["organizations"].append(org)
    emails = [f"user-{i:04d}@example.com" for i in range(subscribers)]
    m["subscribers"] = [
        {"email": e, "firstName": f"User {i}", "organizations": [rng.choice(org_names)]}
        if org_names
        else {"email": e}
        for i, e in enumerate(emails)
    ]
    product_names = [f"product-{i:04d}" for i in range(products)]
    m["products"] = []
    for n in product_names:
        plan: dict[str, Any] = {
            "name": f"{n} plan",
            "type": "SUBSCRIPTION",
            "currency": "USD",
            "period": "MONTH",
            "charge": rng.randint(0, 500),
        }
        if element_names and rng.random() < 0.5:
            plan["elements"] = [
                {
                    "name": "usage",
                    "type": "SUM",
                    "element": rng.choice(element_names),
                    "unitAmount": 0.001,
                }
            ]
        m["products"].append(
            {"name": n, "description": f"{n} description", "plan": plan, "tags": ["bulk"]}
        )
    m["subscriptions"] = [
        {
            "name": f"subscription-{i:04d}",
            "product": rng.choice(product_names),
            "subscriber": rng.choice(emails),
            "organization": rng.choice(org_names),
        }
        for i in range(subscriptions if product_names and emails and org_names else 0)
    ]
    m["aiModels"] = []
    for i in range(models):
        if i < len(GLOBAL_CLONES):
            name = GLOBAL_CLONES[i]
            m["aiModels"].append(
                {
                    "name": name,
                    "provider": GLOBAL_PROVIDERS[name],
                    "inputCostPerToken": 0.000001 * (i + 1),
                }
            )
        else:
            m["aiModels"].append(
                {
                    "name": f"model-{i:04d}",
                    "provider": "CUSTOM",
                    "mode": "chat",
                    "inputCostPerToken": 0.000001,
                    "outputCostPerToken": 0.000002,
                    "pricingDimensions": [
                        {
                            "modality": "TEXT",
                            "billingUnit": "PER_TOKEN",
                            "costType": "TEXT_TOKEN_INPUT",
                            "unitPrice": 0.000001,
                        }
                    ],
                }
            )
    m["alerts"] = []
    for i in range(alerts):
        alert: dict[str, Any] = {
            "name": f"alert-{i:04d}",
            "alertType": "THRESHOLD",
            "metricType": "TOTAL_COST",
            "operatorType": "GREATER_THAN",
            "threshold": 100 + i,
            "periodDuration": "DAILY",
        }
        if slack_names:
            alert["slackConfigurations"] = rng.sample(slack_names, k=min(2, len(slack_names)))
        m["alerts"].append(alert)
    return m


def count(manifest: dict[str, Any]) -> int:
    return sum(len(v) for v in manifest.values() if isinstance(v, list))


# a large customer (issue 7): 2,000 products, 500 organizations, 5,000 subscribers,
# 5,000 subscriptions, 300 AI models, 300 alerts, 20 Slack configurations (13,120 objects)
LARGE = {
    "products": 2000,
    "organizations": 500,
    "subscribers": 5000,
    "subscriptions": 5000,
    "models": 300,
    "alerts": 300,
    "slack": 20,
}


def account(total: int, seed: int = 0) -> dict[str, Any]:
    """A manifest of about `total` objects in the proportions of a large customer."""
    scale = total / sum(LARGE.values())
    sizes = {k: max(1, round(v * scale)) for k, v in LARGE.items()}
    return bulk_manifest(seed=seed, elements=max(1, sizes["products"] // 100), **sizes)


def split_by_kind(manifest: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """One document per kind, as `export` writes them."""
    return {k: {"version": 1, k: v} for k, v in manifest.items() if isinstance(v, list)}
