"""plan/apply end to end: every kind from empty, updates of each field type, convergence."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from revsync.emulator import Emulator

from .conftest import WEBHOOK, last_seq, writes

PLAN_SCHEMA = json.loads(
    (Path(__file__).resolve().parents[2] / "schemas" / "plan.schema.json").read_text()
)
VALID = str(Path(__file__).resolve().parent.parent / "manifests" / "valid")


def by_name(emulator: Emulator, kind: str, field: str = "name") -> dict[str, dict]:
    return {o[field]: o for o in emulator.objects(kind)}


def test_create_every_kind_from_empty_with_references(revsync, env: Emulator) -> None:
    result = revsync("apply", VALID, "--auto-approve")
    assert result.code == 0, result.err
    assert "Apply complete: 17 created, 0 updated, 0 deleted." in result.out

    elements = by_name(env, "element")
    products = by_name(env, "product")
    starter = products["Starter"]["plan"]
    assert starter["elements"][0]["elementDefinitionId"] == elements["tokens"]["id"]
    assert starter["ratingAggregations"][0]["elementDefinitionId"] == elements["tokens"]["id"]
    assert products["Pro"]["ownerId"] == env.owner_id

    orgs = by_name(env, "org")
    assert orgs["Acme EU"]["parentId"] == orgs["Acme"]["id"]
    subs = by_name(env, "subscriber", "email")
    assert set(subs["ops@acme.example"]["organizationIds"]) == {
        orgs["Acme"]["id"],
        orgs["Acme EU"]["id"],
    }
    subscriptions = by_name(env, "subscription")
    assert subscriptions["acme-pro"]["productId"] == products["Pro"]["id"]
    assert subscriptions["acme-pro"]["organizationId"] == orgs["Acme"]["id"]
    assert subscriptions["acme-starter"]["namedOrganizationIds"] == [orgs["Acme"]["id"]]

    slack = by_name(env, "slack")
    assert slack["finops"]["webhookUrl"] == WEBHOOK
    alerts = by_name(env, "anomaly")
    assert set(alerts["daily-ai-spend"]["slackConfigurations"]) == {
        slack["finops"]["id"],
        slack["oncall"]["id"],
    }
    custom = by_name(env, "model")
    assert custom["in-house-llm"]["pricingDimensions"][0]["isGlobal"] is False

    second = revsync("plan", VALID, "--detailed-exitcode")
    assert second.code == 0, second.out
    assert "No changes." in second.out


def test_dependency_order_parents_first(revsync, env: Emulator) -> None:
    revsync("apply", VALID, "--auto-approve", "--parallelism", "8")
    posts = [r for r in writes(env) if r["method"] == "POST" and isinstance(r["body"], dict)]

    def at(name: str) -> int:
        return next(
            i
            for i, r in enumerate(posts)
            if name in (r["body"].get("name"), r["body"].get("email"))
        )

    assert max(at("finops"), at("oncall")) < at("daily-ai-spend")
    assert max(at("Pro"), at("ops@acme.example"), at("Acme")) < at("acme-pro")
    assert at("tokens") < at("Starter")
    assert at("Acme") < at("Acme EU") < at("ops@acme.example")


def test_clone_of_a_global_model_then_price(revsync, env: Emulator) -> None:
    since = last_seq(env)
    revsync("apply", VALID, "--auto-approve")
    clone = [r for r in writes(env, since) if r["path"].endswith("/clone")]
    assert len(clone) == 1
    assert clone[0]["body"] == {"inputCostPerToken": 2e-06, "outputCostPerToken": 8e-06}
    gpt = [m for m in env.objects("model") if m["name"] == "gpt-4o"]
    assert sorted(m["inputCostPerToken"] for m in gpt) == [2e-06, 2.5e-06]  # GLOBAL untouched


UPDATES = """
version: 1
meteringElements:
  - {name: tokens, type: NUMBER, description: @DESCRIPTION@}
slackConfigurations:
  - {name: finops, channelName: @CHANNEL@, webhookUrl: "${SLACK_WEBHOOK}"}
organizations:
  - {name: Acme}
  - {name: Beta}
  - {name: Child, parent: @PARENT@}
subscribers:
  - {email: ops@acme.example, organizations: [@ORGS@]}
products:
  - name: Pro
    published: @PUBLISHED@
    tags: [@TAGS@]
    plan:
      name: Pro monthly
      type: SUBSCRIPTION
      currency: @CURRENCY@
      charge: @CHARGE@
      tiers: [{name: t1, upTo: @UPTO@, unitAmount: 0.5}]
  - name: Team
    plan: {name: Team, type: SUBSCRIPTION, currency: USD}
subscriptions:
  - name: acme
    product: @PRODUCT@
    subscriber: ops@acme.example
    quotaNotificationThreshold: @QUOTA@
aiModels:
  - name: m
    provider: CUSTOM
    inputCostPerToken: @PRICE@
    outputCostPerToken: 0.00002
    pricingDimensions:
      - {modality: TEXT, billingUnit: PER_TOKEN, costType: TEXT_TOKEN_CACHE_READ,
         unitPrice: @DIMPRICE@}
alerts:
  - {name: spend, alertType: THRESHOLD, metricType: TOTAL_COST, operatorType: @OPERATOR@,
     threshold: 100, enabled: @ENABLED@, slackConfigurations: [finops]}
"""
BASE = {
    "DESCRIPTION": "tokens",
    "CHANNEL": "'#a'",
    "PARENT": "Acme",
    "ORGS": "Acme",
    "PUBLISHED": "false",
    "TAGS": "a, b",
    "CURRENCY": "USD",
    "CHARGE": "10",
    "UPTO": "100",
    "PRODUCT": "Pro",
    "QUOTA": "0.5",
    "PRICE": "0.00001",
    "DIMPRICE": "0.000001",
    "OPERATOR": "GREATER_THAN",
    "ENABLED": "true",
}


def manifest(**changes: str) -> str:
    text = UPDATES
    for key, value in {**BASE, **changes}.items():
        text = text.replace(f"@{key}@", value)
    return text


CASES = [
    # (change, expected plan line fragment, expected write)
    ({"DESCRIPTION": "input tokens"}, 'description: "tokens" -> "input tokens"', "PUT"),
    ({"CHANNEL": "'#b'"}, 'channelName: "#a" -> "#b"', "PUT"),
    ({"PARENT": "Beta"}, 'parent: "Acme" -> "Beta"', "PUT"),
    ({"ORGS": "Acme, Beta"}, 'organizations: ["Acme"] -> ["Acme", "Beta"]', "PUT"),
    ({"PUBLISHED": "true"}, "published: false -> true", "PUT"),
    ({"TAGS": "a, c"}, 'tags: ["a", "b"] -> ["a", "c"]', "PUT"),
    ({"CURRENCY": "EUR"}, 'plan.currency: "USD" -> "EUR"', "PUT"),
    ({"CHARGE": "12.5"}, "plan.charge: 10 -> 12.5", "PUT"),
    ({"UPTO": "200"}, "plan.tiers[name=t1].upTo: 100 -> 200", "PUT"),
    ({"PRODUCT": "Team"}, 'product: "Pro" -> "Team"', "PATCH"),
    ({"QUOTA": "0.8"}, "quotaNotificationThreshold: 0.5 -> 0.8", "PUT"),
    ({"PRICE": "0.00003"}, "inputCostPerToken: 0.00001 -> 0.00003", "PATCH"),
    (
        {"DIMPRICE": "0.000002"},
        "pricingDimensions[modality=TEXT,billingUnit=PER_TOKEN,costType=TEXT_TOKEN_CACHE_READ]"
        ".unitPrice: 0.000001 -> 0.000002",
        "PUT",
    ),
    ({"OPERATOR": "LESS_THAN"}, 'operatorType: "GREATER_THAN" -> "LESS_THAN"', "PUT"),
    ({"ENABLED": "false"}, "enabled: true -> false", "PUT"),
]


def test_update_of_each_field_type(revsync, env: Emulator, write) -> None:
    folder = write(manifest())
    assert revsync("apply", folder, "--auto-approve").code == 0
    for changes, line, method in CASES:
        folder = write(manifest(**changes))
        planned = revsync("plan", folder)
        assert line in " ".join(planned.out.split()), (changes, planned.out)  # long paths wrap
        assert "Plan: 0 to create, 1 to update, 0 to delete." in planned.out, planned.out
        since = last_seq(env)
        applied = revsync("apply", folder, "--auto-approve")
        assert applied.code == 0, applied.out + applied.err
        assert method in {w["method"] for w in writes(env, since)}, (changes, writes(env, since))
        after = revsync("plan", folder, "--detailed-exitcode")
        assert after.code == 0, (changes, after.out)
        write(manifest())
        assert revsync("apply", folder, "--auto-approve").code == 0


def test_put_sends_the_whole_object(revsync, env: Emulator, write) -> None:
    folder = write(manifest())
    revsync("apply", folder, "--auto-approve")
    since = last_seq(env)
    revsync("apply", write(manifest(CHARGE="11")), "--auto-approve")
    put = next(w for w in writes(env, since) if w["method"] == "PUT")
    assert put["body"]["tags"] == ["a", "b"] and put["body"]["published"] is False
    assert put["body"]["paymentSource"] == "INVOICE_ONLY_NO_PAYMENT"
    assert put["body"]["version"] == "1.0.0"  # the live version, not a new one


def test_removing_an_optional_field_clears_it(revsync, env: Emulator, write) -> None:
    folder = write(manifest())
    revsync("apply", folder, "--auto-approve")
    text = manifest().replace("    tags: [a, b]\n", "")
    planned = revsync("plan", write(text))
    assert 'tags: ["a", "b"] -> (none)' in planned.out
    assert revsync("apply", write(text), "--auto-approve").code == 0
    assert by_name(env, "product")["Pro"]["tags"] is None


def test_rename_via_pinned_id_is_an_update(revsync, env: Emulator, write) -> None:
    folder = write("meteringElements: [{name: tokens, type: NUMBER}]\n")
    revsync("apply", folder, "--auto-approve")
    ident = env.objects("element")[0]["id"]
    renamed = write(f"meteringElements: [{{name: tokens-in, type: NUMBER, id: {ident}}}]\n")
    planned = revsync("plan", renamed)
    assert f"~ update meteringElements/tokens-in (id {ident})" in planned.out
    assert 'name: "tokens" -> "tokens-in"' in planned.out
    assert revsync("apply", renamed, "--auto-approve", "--prune").code == 0
    assert [(o["id"], o["name"]) for o in env.objects("element")] == [(ident, "tokens-in")]


def test_renamed_parent_does_not_disturb_its_children(revsync, env: Emulator, write) -> None:
    revsync("apply", write("organizations: [{name: A}, {name: B, parent: A}]\n"), "--auto-approve")
    ident = by_name(env, "org")["A"]["id"]
    folder = write(f"organizations: [{{name: A2, id: {ident}}}, {{name: B, parent: A2}}]\n")
    planned = revsync("plan", folder)
    assert "Plan: 0 to create, 1 to update, 0 to delete." in planned.out, planned.out


def test_unknown_reference_against_live_is_exit_3(revsync, write) -> None:
    folder = write("subscribers: [{email: a@b.example, organizations: [Nowhere]}]\n")
    result = revsync("plan", folder)
    assert result.code == 3
    assert (
        "manifest.yaml:1:52: subscribers/a@b.example: organizations[0]: organization "
        "'Nowhere' exists neither in the manifests nor in Revenium (no organizations at all)"
        in result.err
    )


def test_reference_to_an_unmanaged_live_object(revsync, env: Emulator, write) -> None:
    revsync("apply", write("organizations: [{name: Existing}]\n", "a.yaml"), "--auto-approve")
    folder = write("subscribers: [{email: a@b.example, organizations: [Existing]}]\n", "a.yaml")
    assert revsync("apply", folder, "--auto-approve").code == 0
    assert env.objects("subscriber")[0]["organizationIds"] == [env.objects("org")[0]["id"]]


def test_raw_id_escape_hatch(revsync, env: Emulator, write) -> None:
    revsync("apply", write("organizations: [{name: Existing}]\n"), "--auto-approve")
    org = env.objects("org")[0]["id"]
    folder = write(
        f"organizations: [{{name: Existing}}]\n"
        f"subscribers: [{{email: a@b.example, organizationIds: [{org}]}}]\n"
    )
    assert revsync("apply", folder, "--auto-approve").code == 0
    assert revsync("plan", folder, "--detailed-exitcode").code == 0


def test_write_only_webhook_is_not_compared_unless_asked(revsync, env: Emulator, write) -> None:
    folder = write(manifest())
    revsync("apply", folder, "--auto-approve")
    planned = revsync("plan", folder)
    assert "webhookUrl of 1 Slack configuration is write-only: not compared" in planned.out
    forced = revsync("plan", folder, "--update-sensitive")
    assert "~ update slackConfigurations/finops" in forced.out
    assert (
        "webhookUrl: (sensitive) -> (sensitive)  # write-only: sent again (--update-sensitive)"
        in forced.out
    )
    assert WEBHOOK not in forced.out
    since = last_seq(env)
    assert revsync("apply", folder, "--update-sensitive", "--auto-approve").code == 0
    put = [w for w in writes(env, since) if w["path"].startswith("/v2/api/configurations")]
    assert put and put[0]["body"]["webhookUrl"] == WEBHOOK


TIERED = """\
products:
  - name: Metered
    plan:
      name: Metered monthly
      type: SUBSCRIPTION
      currency: USD
      tiers:
        - {name: Free, upTo: 1000, unitAmount: 0}
@GROWTH@        - {name: Scale, startingFrom: @SCALE@, unitAmount: 0.001}
"""


def test_inserting_a_tier_shows_one_added_tier(revsync, env: Emulator, write) -> None:
    folder = write(TIERED.replace("@GROWTH@", "").replace("@SCALE@", "1000"))
    assert revsync("apply", folder, "--auto-approve").code == 0
    growth = "        - {name: Growth, startingFrom: 1000, upTo: 5000, unitAmount: 0.002}\n"
    write(TIERED.replace("@GROWTH@", growth).replace("@SCALE@", "5000"))
    planned = revsync("plan", folder, "-o", "json").json()
    jsonschema.validate(planned, PLAN_SCHEMA)
    [change] = planned["changes"]
    assert [(f["path"], f.get("old"), f.get("new")) for f in change["fields"]] == [
        (
            "plan.tiers[name=Growth]",
            None,
            {"name": "Growth", "startingFrom": 1000, "upTo": 5000, "unitAmount": 0.002},
        ),
        ("plan.tiers[name=Scale].startingFrom", 1000, 5000),
    ]
    text = revsync("plan", folder).out
    assert "plan.tiers[name=Growth]" in text and "plan.tiers[1]" not in text, text
    assert "plan.tiers[2]" not in text, text
    assert revsync("apply", folder, "--auto-approve").code == 0
    tiers = by_name(env, "product")["Metered"]["plan"]["tiers"]
    assert [t["name"] for t in tiers] == ["Free", "Growth", "Scale"]
    assert revsync("plan", folder, "--detailed-exitcode").code == 0
