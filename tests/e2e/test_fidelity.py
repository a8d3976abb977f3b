"""revsync against the platform's real behaviour (revenium-api-more.md §6): fields the API
keeps when an update leaves them out, plan sent only when it changed, alert rules checked
against the alert as stored, subscribers that would be created silently, token dimensions."""

from __future__ import annotations

import httpx

from revsync.emulator import Emulator

from .conftest import last_seq, writes

ALERT = """
alerts:
  - name: spend
    alertType: THRESHOLD
    metricType: TOTAL_COST
    operatorType: GREATER_THAN
    threshold: {threshold}
    periodDuration: DAILY
"""
PRODUCT = """
products:
  - name: Pro
    description: {description}
    version: "1.0.0"
    plan:
      name: Pro monthly
      type: SUBSCRIPTION
      currency: USD
      period: MONTH
      charge: 49
"""


def converged(revsync, path: str) -> None:
    applied = revsync("apply", path, "--auto-approve")
    assert applied.code == 0, applied.out + applied.err
    unchanged(revsync, path)


def only(env: Emulator, kind: str) -> dict:
    (obj,) = env.objects(kind)
    return obj


def unchanged(revsync, path: str) -> None:
    plan = revsync("plan", path, "--detailed-exitcode")
    assert plan.code == 0 and "No changes." in plan.out, plan.out + plan.err


def edit_organization_by_hand(api: httpx.Client, env: Emulator, body: dict) -> None:
    """A PUT through the API, as the web UI would make it."""
    org = only(env, "org")
    answer = api.put(f"/organizations/{org['id']}", params={"tenantId": env.tenant_id}, json=body)
    assert answer.status_code == 200, answer.text


def test_organization_metadata_set_by_hand_and_left_out_converges(
    revsync, write, env: Emulator, api: httpx.Client
) -> None:
    path = write("organizations:\n  - name: Acme\n    domainAliases: [acme.example]\n")
    converged(revsync, path)
    edit_organization_by_hand(
        api, env, {"name": "Acme", "domainAliases": ["acme.example"], "metadata": "tier=gold"}
    )
    unchanged(revsync, path)
    write("organizations:\n  - name: Acme\n    domainAliases: [acme.example, acme.test]\n")
    converged(revsync, path)
    assert only(env, "org")["metadata"] == "tier=gold"


def test_organization_metadata_compares_its_pieces_not_their_spelling(
    revsync, write, env: Emulator, api: httpx.Client
) -> None:
    """Revenium keeps the `key=value` pieces, not the spaces or the order they came in."""
    path = write('organizations:\n  - name: Acme\n    metadata: "tier = gold, region=eu"\n')
    converged(revsync, path)
    assert only(env, "org")["metadata"] != "tier = gold, region=eu"  # the platform's spelling
    edit_organization_by_hand(api, env, {"name": "Acme", "metadata": "region=eu,tier=gold"})
    unchanged(revsync, path)

    write('organizations:\n  - name: Acme\n    metadata: "tier=silver, region=eu"\n')
    plan = revsync("plan", path, "--detailed-exitcode")
    assert plan.code == 2 and "tier=silver" in plan.out, plan.out
    converged(revsync, path)


def test_a_budget_period_change_says_it_restarts_the_period(revsync, write) -> None:
    budget = ALERT.replace("THRESHOLD", "CUMULATIVE_USAGE").replace("DAILY", "{period}")
    path = write(budget.format(threshold=500, period="MONTHLY"))
    converged(revsync, path)
    write(budget.format(threshold=500, period="QUARTERLY"))
    plan = revsync("plan", path)
    assert plan.code == 0, plan.err
    assert "restarts its calendar period" in plan.out, plan.out
    write(budget.format(threshold=600, period="QUARTERLY"))
    converged(revsync, path)
    write(budget.format(threshold=700, period="QUARTERLY"))
    assert "restarts" not in revsync("plan", path).out


def test_alert_fields_set_by_hand_and_left_out_converge(
    revsync, write, env: Emulator, api: httpx.Client
) -> None:
    path = write(ALERT.format(threshold=500))
    converged(revsync, path)
    alert = only(env, "anomaly")
    hand = {
        k: alert[k]
        for k in ("name", "alertType", "metricType", "operatorType", "periodDuration", "enabled")
    }
    hand |= {"threshold": 500, "dataSource": "PROVIDER", "isPercentage": True}
    hand |= {"minSampleCount": 7}
    url = f"/sources/ai/anomaly/{alert['id']}"
    answer = api.put(url, params={"teamId": env.team_id}, json=hand)
    assert answer.status_code == 200, answer.text

    plan = revsync("plan", path, "--detailed-exitcode")
    assert plan.code == 0 and "No changes." in plan.out, plan.out
    write(ALERT.format(threshold="600.00"))
    converged(revsync, path)
    stored = only(env, "anomaly")
    assert (stored["dataSource"], stored["isPercentage"], stored["minSampleCount"]) == (
        "PROVIDER",
        True,
        7,
    )


def test_product_plan_set_by_hand_and_left_out_converges(
    revsync, write, env: Emulator, api: httpx.Client
) -> None:
    path = write(PRODUCT.format(description="Pro tier"))
    converged(revsync, path)
    text = PRODUCT.format(description="Pro tier").split("    plan:")[0]
    write(text)  # the plan is now Revenium's to keep
    product = only(env, "product")
    hand_plan = {**product["plan"], "charge": 59}
    body = {k: product[k] for k in ("name", "description", "version", "ownerId", "paymentSource")}
    answer = api.put(
        f"/products/{product['id']}",
        params={"teamId": env.team_id},
        json=body | {"plan": hand_plan},
    )
    assert answer.status_code == 200, answer.text

    plan = revsync("plan", path, "--detailed-exitcode")
    assert plan.code == 0 and "No changes." in plan.out, plan.out
    write(text.replace("Pro tier", "Pro tier, renamed"))
    converged(revsync, path)
    assert only(env, "product")["plan"]["charge"] == 59


def test_product_put_carries_the_plan_only_when_it_changed(revsync, write, env: Emulator) -> None:
    path = write(PRODUCT.format(description="Pro tier"))
    converged(revsync, path)
    tiers_before = last_seq(env)
    write(PRODUCT.format(description="Pro tier, better"))
    converged(revsync, path)
    (put,) = [r for r in writes(env, tiers_before) if r["method"] == "PUT"]
    assert "plan" not in put["body"]

    since = last_seq(env)
    write(PRODUCT.format(description="Pro tier, better").replace("charge: 49", "charge: 59"))
    converged(revsync, path)
    (put,) = [r for r in writes(env, since) if r["method"] == "PUT"]
    assert put["body"]["plan"]["charge"] == 59


def test_alert_rules_are_checked_against_the_alert_as_stored(
    revsync, write, env: Emulator, api: httpx.Client
) -> None:
    path = write(ALERT.format(threshold=500))
    converged(revsync, path)
    alert = only(env, "anomaly")
    hand = {
        k: alert[k]
        for k in ("name", "alertType", "metricType", "operatorType", "periodDuration", "enabled")
    }
    url = f"/sources/ai/anomaly/{alert['id']}"
    answer = api.put(
        url,
        params={"teamId": env.team_id},
        json=hand | {"threshold": 500, "dataSource": "PROVIDER"},
    )
    assert answer.status_code == 200, answer.text

    write(ALERT.format(threshold=500).replace("TOTAL_COST", "ERROR_COUNT"))
    since = last_seq(env)
    plan = revsync("plan", path)
    assert plan.code != 0
    assert "metricType ERROR_COUNT is not supported with dataSource PROVIDER" in plan.out + plan.err
    assert "manifest.yaml:3:" in plan.out + plan.err
    assert writes(env, since) == []


def test_a_subscription_for_an_unknown_subscriber_is_refused_before_any_write(
    revsync, write, env: Emulator
) -> None:
    path = write(
        PRODUCT.format(description="Pro tier")
        + "subscriptions:\n  - name: acme-pro\n    product: Pro\n"
        "    subscriber: nobody@acme.example\n"
    )
    since = last_seq(env)
    applied = revsync("apply", path, "--auto-approve")
    assert applied.code != 0
    text = applied.out + applied.err
    assert "nobody@acme.example" in text and "exists neither in the manifests nor in" in text
    assert "manifest.yaml:15:" in text
    assert writes(env, since) == []
    assert env.objects("subscriber") == []


def test_repricing_a_cloned_model_moves_its_token_dimensions(revsync, write, env: Emulator) -> None:
    path = write(
        "aiModels:\n  - name: gpt-4o\n    provider: OPENAI\n"
        "    inputCostPerToken: 0.000003\n    outputCostPerToken: 0.0000125\n"
    )
    plan = revsync("plan", path)
    assert "pricingDimensions" in plan.out, plan.out
    assert "0.000003" in plan.out and "e-06" not in plan.out
    converged(revsync, path)
    (model,) = [
        m
        for m in env.objects("model")
        if m["name"] == "gpt-4o" and not m["pricingDimensions"][0].get("isGlobal", True)
    ]
    prices = {d["costType"]: d["unitPrice"] for d in model["pricingDimensions"]}
    assert float(prices["TEXT_TOKEN_INPUT"]) == 0.000003
    assert float(prices["TEXT_TOKEN_OUTPUT"]) == 0.0000125

    write(
        "aiModels:\n  - name: gpt-4o\n    provider: OPENAI\n"
        "    inputCostPerToken: 0.000004\n    outputCostPerToken: 0.0000125\n"
    )
    plan = revsync("plan", path)
    assert "pricingDimensions" in plan.out and "0.000003 -> 0.000004" in plan.out, plan.out
    converged(revsync, path)
