"""Deletion, partial failure and every exit code of the contract."""

from __future__ import annotations

from revsync.emulator import Emulator

from .conftest import last_seq, writes

PRODUCTS = """
products:
  - {name: Keep, plan: {name: k, type: SUBSCRIPTION, currency: USD}}
  - {name: Legacy, plan: {name: l, type: SUBSCRIPTION, currency: USD}}
  - {name: Old, plan: {name: o, type: SUBSCRIPTION, currency: USD}}
subscribers: [{email: a@b.example}]
subscriptions:
  - {name: old-sub, product: Old, subscriber: a@b.example}
"""
ONLY_KEEP = """
settings: {protect: [products/Legacy]}
products:
  - {name: Keep, plan: {name: k, type: SUBSCRIPTION, currency: USD}}
subscribers: [{email: a@b.example}]
subscriptions: []
"""


def names(emulator: Emulator, kind: str) -> list[str]:
    return sorted(o.get("name") or o.get("email") for o in emulator.objects(kind))


def test_nothing_is_deleted_without_prune(revsync, env: Emulator, write) -> None:
    revsync("apply", write(PRODUCTS), "--auto-approve")
    planned = revsync("plan", write(ONLY_KEEP))
    assert "Plan: 0 to create, 0 to update, 0 to delete." in planned.out
    assert "3 live objects of managed kinds are not in the manifests" in planned.out


def test_prune_deletes_children_first_and_keeps_protected(revsync, env: Emulator, write) -> None:
    revsync("apply", write(PRODUCTS), "--auto-approve")
    folder = write(ONLY_KEEP)
    planned = revsync("plan", folder, "--prune")
    assert "- delete products/Old" in planned.out
    assert "- delete subscriptions/old-sub" in planned.out
    assert "products/Legacy" in planned.out and "is protected: kept" in planned.out
    assert "Plan: 0 to create, 0 to update, 2 to delete." in planned.out
    since = last_seq(env)
    applied = revsync("apply", folder, "--prune", "--auto-approve")
    assert applied.code == 0, applied.out
    deletes = [w["path"].split("/")[3] for w in writes(env, since)]
    assert deletes == ["subscriptions", "products"]  # the product after its subscription
    assert names(env, "product") == ["Keep", "Legacy"]
    assert revsync("plan", folder, "--prune", "--detailed-exitcode").code == 0


def test_prune_setting_in_the_manifest(revsync, env: Emulator, write) -> None:
    revsync("apply", write(PRODUCTS), "--auto-approve")
    folder = write(
        "settings: {prune: true}\n"
        + ONLY_KEEP.replace("settings: {protect: [products/Legacy]}\n", "")
    )
    planned = revsync("plan", folder)
    assert "Plan: 0 to create, 0 to update, 3 to delete." in planned.out


def test_prune_only_touches_managed_kinds(revsync, env: Emulator, write) -> None:
    revsync(
        "apply", write(PRODUCTS + "meteringElements: [{name: e, type: NUMBER}]\n"), "--auto-approve"
    )
    planned = revsync("plan", write("meteringElements: []\n"), "--prune")
    assert "Plan: 0 to create, 0 to update, 1 to delete." in planned.out
    assert "- delete meteringElements/e" in planned.out


def test_global_models_are_never_deleted(revsync, env: Emulator, write) -> None:
    folder = write(
        "aiModels: [{name: mine, provider: CUSTOM, inputCostPerToken: 0.1,"
        " outputCostPerToken: 0.2}]\n"
    )
    revsync("apply", folder, "--auto-approve")
    planned = revsync("plan", write("aiModels: []\n"), "--prune", "--allow-mass-delete")
    assert "Plan: 0 to create, 0 to update, 1 to delete." in planned.out
    assert "- delete aiModels/mine/CUSTOM" in planned.out
    assert "gpt-4o" not in planned.out


def test_referring_to_an_object_prune_would_delete_is_an_error(revsync, env, write) -> None:
    revsync("apply", write("organizations: [{name: A}]\n"), "--auto-approve")
    folder = write("organizations: []\nsubscribers: [{email: x@y.example, organizations: [A]}]\n")
    result = revsync("plan", folder, "--prune")
    assert result.code == 3
    assert "--prune would delete it" in result.err


def test_mass_delete_is_refused_with_numbers(revsync, env: Emulator, write) -> None:
    elements = "".join(f"  - {{name: e{i}, type: NUMBER}}\n" for i in range(12))
    revsync("apply", write("meteringElements:\n" + elements), "--auto-approve")
    keep = "".join(f"  - {{name: e{i}, type: NUMBER}}\n" for i in range(6))
    folder = write("meteringElements:\n" + keep)
    planned = revsync("plan", folder, "--prune")
    assert planned.code == 4
    assert "refusing to delete 6 of 12 meteringElements (50% > maxDeletePercent 30%)" in planned.out
    since = last_seq(env)
    refused = revsync("apply", folder, "--prune", "--auto-approve")
    assert refused.code == 4
    assert writes(env, since) == []
    allowed = revsync("apply", folder, "--prune", "--allow-mass-delete", "--auto-approve")
    assert allowed.code == 0
    assert len(env.objects("element")) == 6


def test_max_delete_percent_setting(revsync, env: Emulator, write) -> None:
    elements = "".join(f"  - {{name: e{i}, type: NUMBER}}\n" for i in range(10))
    revsync("apply", write("meteringElements:\n" + elements), "--auto-approve")
    folder = write(
        "settings: {maxDeletePercent: 95}\nmeteringElements: [{name: e0, type: NUMBER}]\n"
    )
    assert revsync("plan", folder, "--prune").code == 0


def test_ambiguous_live_objects_are_refused(revsync, env: Emulator, write, api) -> None:
    for _ in range(2):
        api.post(
            "/metering-element-definitions",
            json={"name": "dup", "type": "NUMBER", "teamId": env.team_id},
        )
    folder = write("meteringElements: [{name: dup, type: NUMBER, description: x}]\n")
    planned = revsync("plan", folder)
    assert planned.code == 4
    assert "2 live meteringElements match 'dup'" in planned.out
    assert "pin one with 'id:'" in planned.out
    since = last_seq(env)
    assert revsync("apply", folder, "--auto-approve").code == 4
    assert writes(env, since) == []
    ident = env.objects("element")[0]["id"]
    pinned = write(
        f"meteringElements: [{{name: dup, type: NUMBER, description: x, id: {ident}}}]\n"
    )
    assert revsync("apply", pinned, "--auto-approve").code == 0


def test_partial_failure_reports_exactly_what_happened(
    revsync, env: Emulator, write, monkeypatch
) -> None:
    monkeypatch.setenv("REVENIUM_OWNER_ID", "Nobody1")  # the emulator knows no such user
    folder = write("""
organizations: [{name: Acme}]
meteringElements: [{name: tokens, type: NUMBER}]
subscribers: [{email: a@b.example, organizations: [Acme]}]
products: [{name: Pro, plan: {name: p, type: SUBSCRIPTION, currency: USD}}]
subscriptions: [{name: s, product: Pro, subscriber: a@b.example}]
""")
    result = revsync("apply", folder, "--auto-approve", "--output", "json")
    assert result.code == 1
    statuses = {r["key"]: (r["status"], r["error"]) for r in result.json()["result"]["results"]}
    assert statuses["organizations/Acme"][0] == "created"
    assert statuses["meteringElements/tokens"][0] == "created"
    assert statuses["subscribers/a@b.example"][0] == "created"
    assert statuses["products/Pro"][0] == "failed"
    assert "User with id Nobody1 not found" in statuses["products/Pro"][1]
    assert statuses["subscriptions/s"] == (
        "skipped",
        "not attempted: depends on products/Pro, which failed",
    )
    assert [o["name"] for o in env.objects("product")] == []

    text = revsync("plan", folder)
    assert "Plan: 2 to create, 0 to update, 0 to delete." in text.out


def test_text_report_of_a_failure(revsync, env: Emulator, write, monkeypatch) -> None:
    monkeypatch.setenv("REVENIUM_OWNER_ID", "Nobody1")
    folder = write(
        "products: [{name: Pro, plan: {name: p, type: SUBSCRIPTION, currency: USD}}]\n"
        "meteringElements: [{name: t, type: NUMBER}]\n"
    )
    result = revsync("apply", folder, "--auto-approve")
    assert result.code == 1
    assert "Failed:\n  products/Pro: POST /v2/api/products: 400 Validation failed" in result.out
    assert "Apply failed: 1 created, 0 updated, 0 deleted, 1 failed, 0 skipped." in result.out


def test_exit_codes(revsync, env: Emulator, write, monkeypatch) -> None:
    folder = write("meteringElements: [{name: t, type: NUMBER}]\n")
    assert revsync("plan", folder).code == 0
    assert revsync("plan", folder, "--detailed-exitcode").code == 2
    assert revsync("apply", folder, "--auto-approve").code == 0
    assert revsync("plan", folder, "--detailed-exitcode").code == 0
    assert revsync("apply", folder, "--auto-approve").code == 0  # nothing to do
    bad = write("meteringElements: [{name: t, type: NUMBR}]\n", "bad.yaml")
    assert revsync("plan", bad).code == 3
    assert revsync("apply", bad, "--auto-approve").code == 3
    monkeypatch.setenv("REVENIUM_API_KEY", "hak_wrong")
    denied = revsync("plan", folder)
    assert denied.code == 1
    assert "401" in denied.err and "Revenium rejected the API key" in denied.err
    assert "hak_wrong" not in denied.err + denied.out


def test_apply_needs_auto_approve_off_a_terminal(revsync, env: Emulator, write) -> None:
    folder = write("meteringElements: [{name: t, type: NUMBER}]\n")
    result = revsync("apply", folder)
    assert result.code == 1
    assert "--auto-approve" in result.err
    assert env.objects("element") == []


def test_unreachable_api_is_a_clear_error(revsync, write, monkeypatch) -> None:
    monkeypatch.setenv("REVENIUM_API_URL", "http://127.0.0.1:9/profitstream")
    result = revsync("plan", write("meteringElements: []\n"), "--retry-time", "1")
    assert result.code == 1
    assert "cannot connect" in result.err
    assert "Traceback" not in result.err


def test_emulator_option_runs_without_credentials(revsync, write, monkeypatch) -> None:
    for var in ("REVENIUM_API_URL", "REVENIUM_API_KEY", "REVENIUM_TEAM_ID"):
        monkeypatch.delenv(var)
    folder = write("meteringElements: [{name: t, type: NUMBER}]\n")
    assert "missing" not in revsync("plan", folder, "--emulator").err
    result = revsync("plan", "--emulator", folder)  # the path is not taken for a DB file
    assert result.code == 0 and "+ create meteringElements/t" in result.out
