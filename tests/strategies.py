"""Hypothesis strategies: valid manifests across all kinds, with references between them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hypothesis import strategies as st

from revsync import kinds

CURRENCIES = ["USD", "EUR", "GBP", "JPY", "CAD"]
PERIODS = ["DAY", "MONTH", "YEAR"]
METRICS = ["TOTAL_COST", "TOKEN_COUNT", "ERROR_RATE", "REQUESTS_PER_MINUTE", "DURATION"]
ABSOLUTE = ["GREATER_THAN", "LESS_THAN", "GREATER_THAN_OR_EQUAL_TO", "LESS_THAN_OR_EQUAL_TO"]
RELATIVE = ["PERCENT_INCREASE", "PERCENT_DECREASE", "INCREASES_BY", "DECREASES_BY"]
WINDOWS = ["ONE_HOUR", "DAILY", "WEEKLY", "MONTHLY"]
BUDGET_WINDOWS = ["DAILY", "WEEKLY", "MONTHLY"]  # a budget takes no ONE_HOUR (§6.5)

names = st.from_regex(r"[a-z][a-z0-9 -]{0,12}[a-z0-9]", fullmatch=True)
words = st.from_regex(r"[A-Za-z][A-Za-z0-9 .,-]{0,30}", fullmatch=True)
money = st.one_of(
    st.integers(min_value=0, max_value=5000),
    st.decimals(min_value=0, max_value=5000, places=2, allow_nan=False).map(float),
)
prices = st.sampled_from([0.0000001, 0.0000025, 0.00001, 0.000015, 0.0004, 0.002])


def unique_names(min_size: int = 0, max_size: int = 3):
    return st.lists(names, min_size=min_size, max_size=max_size, unique=True)


Manifest = dict[str, Any]
KindStrategy = Callable[[Manifest, int], st.SearchStrategy[list[dict[str, Any]]]]


def keys(manifest: Manifest, kind: str, field: str = "name") -> list[str]:
    """The natural keys of a kind already drawn (registry order puts referenced kinds first)."""
    return [entry[field] for entry in manifest.get(kind) or []]


@st.composite
def metering_elements(draw: Any, m: Manifest, most: int) -> list[dict[str, Any]]:
    return [
        {"name": n, "type": draw(st.sampled_from(["NUMBER", "STRING"]))}
        for n in draw(unique_names(0, most))
    ]


@st.composite
def slack_configurations(draw: Any, m: Manifest, most: int) -> list[dict[str, Any]]:
    return [
        {"name": n, "channelName": f"#{n.replace(' ', '-')}", "webhookUrl": "${SLACK_WEBHOOK}"}
        for n in draw(unique_names(0, min(most, 2)))
    ]


@st.composite
def organizations(draw: Any, m: Manifest, most: int) -> list[dict[str, Any]]:
    orgs = draw(unique_names(0, most))
    out = []
    for i, n in enumerate(orgs):
        org: dict[str, Any] = {"name": n}
        if i and draw(st.booleans()):
            org["parent"] = draw(st.sampled_from(orgs[:i]))
        if draw(st.booleans()):
            org["currency"] = draw(st.sampled_from(CURRENCIES))
        out.append(org)
    return out


@st.composite
def subscribers(draw: Any, m: Manifest, most: int) -> list[dict[str, Any]]:
    orgs = keys(m, "organizations")
    emails = draw(
        st.lists(
            names.map(lambda n: n.replace(" ", ".") + "@example.com"), max_size=most, unique=True
        )
    )
    out = []
    for email in emails:
        sub: dict[str, Any] = {"email": email}
        if orgs and draw(st.booleans()):
            sub["organizations"] = draw(st.lists(st.sampled_from(orgs), min_size=1, unique=True))
        if draw(st.booleans()):
            sub["firstName"] = draw(words)
        out.append(sub)
    return out


@st.composite
def products(draw: Any, m: Manifest, most: int) -> list[dict[str, Any]]:
    elements = keys(m, "meteringElements")
    return [draw(product(n, elements)) for n in draw(unique_names(0, most))]


@st.composite
def subscriptions(draw: Any, m: Manifest, most: int) -> list[dict[str, Any]]:
    products, emails = keys(m, "products"), keys(m, "subscribers", "email")
    orgs = keys(m, "organizations")
    out: list[dict[str, Any]] = []
    if not (products and emails):
        return out
    for n in draw(unique_names(0, most)):
        s: dict[str, Any] = {
            "name": n,
            "product": draw(st.sampled_from(products)),
            "subscriber": draw(st.sampled_from(emails)),
        }
        if orgs and draw(st.booleans()):
            s["organization"] = draw(st.sampled_from(orgs))
        if draw(st.booleans()):
            s["tags"] = draw(st.lists(names, max_size=3, unique=True))
        out.append(s)
    return out


@st.composite
def ai_models(draw: Any, m: Manifest, most: int) -> list[dict[str, Any]]:
    return [draw(model(n)) for n in draw(unique_names(0, min(most, 2)))]


@st.composite
def alerts(draw: Any, m: Manifest, most: int) -> list[dict[str, Any]]:
    slack = keys(m, "slackConfigurations")
    return [draw(alert(n, slack)) for n in draw(unique_names(0, most))]


@st.composite
def sources(draw: Any, m: Manifest, most: int) -> list[dict[str, Any]]:
    elements = keys(m, "meteringElements")
    out = []
    for n in draw(unique_names(0, most)):
        source: dict[str, Any] = {"name": n, "type": draw(st.sampled_from(["API", "AI", "STREAM"]))}
        # an empty list is refused on a source (kinds/merge_rules.py): left out instead
        if elements and draw(st.booleans()):
            source["meteringElements"] = draw(
                st.lists(st.sampled_from(elements), min_size=1, unique=True)
            )
        if draw(st.booleans()):
            source["tags"] = draw(st.lists(names, min_size=1, max_size=2, unique=True))
        out.append(source)
    return out


@st.composite
def tools(draw: Any, m: Manifest, most: int) -> list[dict[str, Any]]:
    out = []
    for n in draw(unique_names(0, most)):
        tool: dict[str, Any] = {
            "toolId": n.replace(" ", "-"),
            "name": n,
            "toolType": draw(st.sampled_from(["MCP_SERVER", "REST_API", "SDK"])),
        }
        if draw(st.booleans()):
            tool["enabled"] = draw(st.booleans())
        if draw(st.booleans()):
            tool["pricing"] = {"elements": [{"name": "calls", "unitPrice": draw(prices)}]}
        out.append(tool)
    return out


@st.composite
def cost_controls(draw: Any, m: Manifest, most: int) -> list[dict[str, Any]]:
    out = []
    for n in draw(unique_names(0, most)):
        control: dict[str, Any] = {
            "name": n,
            "metricType": draw(st.sampled_from(["TOTAL_COST", "TOKEN_COUNT"])),
            "windowType": draw(st.sampled_from(["DAILY", "MONTHLY"])),
            "action": draw(st.sampled_from(["BLOCK", "WARN_ONLY"])),
            "hardLimit": draw(money),
        }
        if draw(st.booleans()):
            control["notificationEmails"] = [f"{n.replace(' ', '.')}@Example.com"]
        if draw(st.booleans()):
            control["notificationChannelIds"] = ["webhook:hook1"]
        out.append(control)
    return out


# One strategy per registered kind (a test checks that none is missing).
KIND_STRATEGIES: dict[str, KindStrategy] = {
    "meteringElements": metering_elements,
    "slackConfigurations": slack_configurations,
    "organizations": organizations,
    "subscribers": subscribers,
    "products": products,
    "subscriptions": subscriptions,
    "aiModels": ai_models,
    "alerts": alerts,
    "sources": sources,
    "tools": tools,
    "costControls": cost_controls,
}


@st.composite
def manifests(draw: Any, max_per_kind: int = 3) -> Manifest:
    """A valid manifest dict (as YAML would load it) touching every registered kind."""
    m: Manifest = {"version": 1}
    for kind in kinds.names():
        m[kind] = draw(KIND_STRATEGIES[kind](m, max_per_kind))
    return m


@st.composite
def product(draw: Any, name: str, elements: list[str]) -> dict[str, Any]:
    plan: dict[str, Any] = {
        "name": f"{name} plan",
        "type": "SUBSCRIPTION",
        "currency": draw(st.sampled_from(CURRENCIES)),
    }
    if draw(st.booleans()):
        plan["period"] = draw(st.sampled_from(PERIODS))
        plan["charge"] = draw(money)
    if draw(st.booleans()):
        bound = draw(st.integers(min_value=1, max_value=10_000))
        plan["tiers"] = [
            {"name": "low", "upTo": bound, "unitAmount": draw(money)},
            {"name": "high", "startingFrom": bound, "unitAmount": draw(money)},
        ]
    if elements and draw(st.booleans()):
        plan["elements"] = [
            {"name": f"use of {e}", "type": "SUM", "element": e, "unitAmount": draw(prices)}
            for e in draw(st.lists(st.sampled_from(elements), min_size=1, unique=True))
        ]
    out: dict[str, Any] = {"name": name, "plan": plan}
    if draw(st.booleans()):
        out["description"] = draw(words)
    if draw(st.booleans()):
        out["tags"] = draw(st.lists(names, max_size=3, unique=True))
    return out


@st.composite
def model(draw: Any, name: str) -> dict[str, Any]:
    out: dict[str, Any] = {
        "name": f"custom-{name.replace(' ', '-')}",
        "provider": "CUSTOM",
        "inputCostPerToken": draw(prices),
        "outputCostPerToken": draw(prices),
    }
    if draw(st.booleans()):  # the token dimension states the same price as the field
        out["pricingDimensions"] = [
            {
                "modality": "TEXT",
                "billingUnit": "PER_TOKEN",
                "costType": "TEXT_TOKEN_INPUT",
                "direction": "INPUT",
                "unitPrice": out["inputCostPerToken"],
            },
        ]
    return out


@st.composite
def alert(draw: Any, name: str, slack: list[str]) -> dict[str, Any]:
    alert_type = draw(st.sampled_from(["THRESHOLD", "CUMULATIVE_USAGE", "RELATIVE_CHANGE"]))
    operators = RELATIVE if alert_type == "RELATIVE_CHANGE" else ABSOLUTE
    out: dict[str, Any] = {
        "name": name,
        "alertType": alert_type,
        "metricType": draw(st.sampled_from(METRICS)),
        "operatorType": draw(st.sampled_from(operators)),
        "threshold": draw(money),
        "periodDuration": draw(
            st.sampled_from(BUDGET_WINDOWS if alert_type == "CUMULATIVE_USAGE" else WINDOWS)
        ),
    }
    if draw(st.booleans()):
        out["enabled"] = draw(st.booleans())
    if slack and draw(st.booleans()):
        out["slackConfigurations"] = draw(st.lists(st.sampled_from(slack), min_size=1, unique=True))
    if draw(st.booleans()):
        out["notificationAddresses"] = [f"{name.replace(' ', '.')}@example.com"]
    return out


# single-field corruptions: (kind, path in entry, kind of corruption) --------------------------
CORRUPTIBLE = {
    "meteringElements": [(("type",), "enum")],
    "organizations": [(("name",), "type")],
    "subscribers": [(("email",), "format")],
    "products": [(("plan", "currency"), "enum"), (("plan",), "type")],
    "subscriptions": [(("name",), "type")],
    "aiModels": [(("inputCostPerToken",), "type")],
    "alerts": [(("metricType",), "enum"), (("threshold",), "type")],
    "slackConfigurations": [(("channelName",), "type")],
    "sources": [(("type",), "enum")],
    "tools": [(("toolType",), "enum")],
    "costControls": [(("action",), "enum"), (("hardLimit",), "type")],
}


@st.composite
def mutated(draw: Any, manifest: dict[str, Any]) -> dict[str, Any]:
    """The same account with some fields of some entries changed (updates, not creates)."""
    import copy

    out = copy.deepcopy(manifest)
    for entry in out.get("meteringElements", []):
        if draw(st.booleans()):
            entry["description"] = draw(words)
    for entry in out.get("organizations", []):
        if draw(st.booleans()):
            entry["currency"] = draw(st.sampled_from(CURRENCIES))
    for entry in out.get("subscribers", []):
        if draw(st.booleans()):
            entry["lastName"] = draw(words)
    products = [p["name"] for p in out.get("products", [])]
    for entry in out.get("products", []):
        if draw(st.booleans()):
            entry["plan"]["charge"] = draw(money)
            entry["plan"].setdefault("period", "MONTH")
        if draw(st.booleans()):
            entry["tags"] = draw(st.lists(names, max_size=3, unique=True))
    for entry in out.get("subscriptions", []):
        if draw(st.booleans()):
            entry["product"] = draw(st.sampled_from(products))
        if draw(st.booleans()):
            entry["tags"] = draw(st.lists(names, max_size=2, unique=True))
    for entry in out.get("aiModels", []):
        if draw(st.booleans()):
            entry["inputCostPerToken"] = draw(prices)
            for dim in entry.get("pricingDimensions", []):
                if dim["costType"] == "TEXT_TOKEN_INPUT":
                    dim["unitPrice"] = entry["inputCostPerToken"]
        if draw(st.booleans()):
            entry["pricingDimensions"] = [
                {
                    "modality": "IMAGE",
                    "billingUnit": "PER_IMAGE",
                    "costType": "IMAGE_GENERATION",
                    "unitPrice": draw(prices),
                }
            ]
    for entry in out.get("alerts", []):
        if draw(st.booleans()):
            entry["threshold"] = draw(money)
        if draw(st.booleans()):
            entry["enabled"] = not entry.get("enabled", True)
    return out
