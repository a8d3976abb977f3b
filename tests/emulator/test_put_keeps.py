"""§6.1 and §6.2 of revenium-api-more.md: what a PUT keeps, and the product plan on PUT."""

from __future__ import annotations

import httpx
import pytest

from . import helpers as h
from .helpers import TEAM, ok

Q = {"teamId": TEAM}


def put_org(api: httpx.Client, org: dict, **fields) -> httpx.Response:
    return api.put(
        f"/organizations/{org['id']}", json={"name": org["name"], "tenantId": TEAM, **fields}
    )


@pytest.mark.parametrize("metadata", [None, ""])
def test_organization_create_metadata_rule(api: httpx.Client, metadata: str | None) -> None:
    """§6.1 row "Organization metadata": create needs it present (`""` will do)."""
    body = {"name": "Acme", "tenantId": TEAM}
    if metadata is not None:
        body["metadata"] = metadata
    response = api.post("/organizations", json=body)
    if metadata is None:
        assert response.status_code == 400
        assert response.json()["details"] == {"metadata": "must not be null"}
    else:
        assert ok(response)["metadata"] == ""


@pytest.mark.parametrize("sent", ["omitted", None, ""])
def test_organization_put_keeps_metadata_unless_a_string_is_sent(api, sent) -> None:
    """§6.1 row "Organization metadata": omitted/null/"" -> kept."""
    org = h.organization(api, metadata="tier=gold,region=eu")
    fields = {} if sent == "omitted" else {"metadata": sent}
    assert ok(put_org(api, org, **fields))["metadata"] == "tier=gold,region=eu"
    assert ok(api.get(f"/organizations/{org['id']}"))["metadata"] == "tier=gold,region=eu"


def test_organization_put_metadata_string_replaces_and_drops_malformed_pieces(api) -> None:
    """§6.1 row "Organization metadata": a string replaces; malformed k=v pieces dropped (200)."""
    org = h.organization(api, metadata="tier=gold,region=eu")
    replaced = ok(put_org(api, org, metadata="tier=silver,broken,=nokey,owner=ops"))
    assert replaced["metadata"] == "tier=silver,owner=ops"


def product_put(api: httpx.Client, product: dict, **fields) -> httpx.Response:
    body = {
        "name": product["name"],
        "version": product["version"],
        "paymentSource": "INVOICE_ONLY_NO_PAYMENT",
        "teamId": TEAM,
        **fields,
    }
    return api.put(f"/products/{product['id']}", params=Q, json=body)


def test_product_put_without_plan_keeps_the_stored_plan(api: httpx.Client) -> None:
    """§6.1 row "Product plan": omitted -> stored plan kept (with its tier ids)."""
    tiers = [{"name": "t1", "upTo": 100, "unitAmount": 0.1}, {"name": "rest", "unitAmount": 0}]
    product = h.product(api, plan=h.plan(charge=25, tiers=tiers))
    replaced = ok(product_put(api, product, description="new"))
    assert replaced["description"] == "new"
    assert replaced["plan"] == product["plan"]


def test_product_create_still_requires_a_plan(api: httpx.Client) -> None:
    """§6.1 row "Product plan": keeping applies to PUT; a create without a plan is refused."""
    response = api.post("/products", params=Q, json={"name": "P", "teamId": TEAM})
    assert response.status_code == 400
    assert response.json()["details"] == {"plan": "must not be null"}


def test_product_put_with_plan_recreates_tiers(api: httpx.Client) -> None:
    """§6.2: "An update recreates the tiers" (tier ids regenerate)."""
    tiers = [{"name": "t1", "upTo": 100, "unitAmount": 0.1}, {"name": "rest", "unitAmount": 0}]
    product = h.product(api, plan=h.plan(tiers=tiers))
    old_ids = {t["id"] for t in product["plan"]["tiers"]}
    replaced = ok(product_put(api, product, plan=h.plan(tiers=tiers)))
    new_ids = {t["id"] for t in replaced["plan"]["tiers"]}
    assert len(new_ids) == 2 and not old_ids & new_ids


def test_tier_without_unit_amount_or_up_to_is_accepted_on_create_only(api) -> None:
    """§6.2: a tier with neither unitAmount nor upTo: accepted on create, refused on PUT."""
    open_tier = {"name": "free", "flatAmount": 0}
    product = h.product(api, plan=h.plan(tiers=[open_tier]))
    assert product["plan"]["tiers"][0]["name"] == "free"
    refused = product_put(api, product, plan=h.plan(tiers=[open_tier]))
    assert refused.status_code == 400
    assert refused.json()["details"] == {
        "plan.tiers[0]": "Tier 'free' must define a unitAmount or an upTo"
    }
    fixed = ok(product_put(api, product, plan=h.plan(tiers=[{**open_tier, "unitAmount": 0}])))
    assert fixed["plan"]["tiers"][0]["unitAmount"] == 0
    assert ok(product_put(api, product, description="plan omitted"))["plan"]["tiers"]


def test_open_tier_in_a_rating_aggregation_is_refused_on_put(api: httpx.Client) -> None:
    """§6.2: the rule covers the tiers of rating aggregations too."""
    el = h.element(api)
    agg = {
        "name": "r",
        "aggregationType": "SUM",
        "elementDefinitionId": el["id"],
        "tiers": [{"name": "open"}],
    }
    product = h.product(api, plan=h.plan(ratingAggregations=[agg]))
    refused = product_put(api, product, plan=h.plan(ratingAggregations=[agg]))
    assert refused.status_code == 400
    assert list(refused.json()["details"]) == ["plan.ratingAggregations[0].tiers[0]"]
