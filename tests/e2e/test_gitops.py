"""GitOps workflow: saved plans, drift, machine and PR output, export, targets, concurrency."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from revsync import kinds
from revsync.emulator import Emulator
from revsync.lock import apply_lock as account_lock

from .conftest import WEBHOOK, last_seq, writes

ROOT = Path(__file__).resolve().parents[2]
VALID = str(ROOT / "tests" / "manifests" / "valid")
OUTPUT_SCHEMA = json.loads((ROOT / "schemas" / "plan.schema.json").read_text())

BASE = """
slackConfigurations:
  - {name: finops, channelName: "#finops", webhookUrl: "${SLACK_WEBHOOK}"}
meteringElements:
  - {name: tokens, type: NUMBER, description: DESC}
products:
  - {name: Pro, plan: {name: p, type: SUBSCRIPTION, currency: USD, charge: 10}}
"""


def conforms(document: dict) -> None:
    jsonschema.validate(document, OUTPUT_SCHEMA)


# saved plans -------------------------------------------------------------------------------------
def test_saved_plan_is_applied_exactly(revsync, env: Emulator, write, tmp_path: Path) -> None:
    folder = write(BASE.replace("DESC", "one"))
    plan_file = str(tmp_path / "plan.json")
    planned = revsync("plan", folder, "--out", plan_file)
    assert planned.code == 0
    text = Path(plan_file).read_text()
    assert WEBHOOK not in text and env.api_key not in text
    assert '"$secret"' in text
    since = last_seq(env)
    applied = revsync("apply", "--plan", plan_file, "--auto-approve")
    assert applied.code == 0, applied.err
    assert sorted((w["method"], w["path"]) for w in writes(env, since)) == [
        ("POST", "/v2/api/configurations/slack"),
        ("POST", "/v2/api/metering-element-definitions"),
        ("POST", "/v2/api/products"),
    ]
    assert env.objects("slack")[0]["webhookUrl"] == WEBHOOK


def test_account_changed_between_plan_and_apply(
    revsync, env: Emulator, write, api, tmp_path: Path
) -> None:
    """Two runs: a PR plans, someone edits Revenium, the merge applies the saved plan."""
    revsync("apply", write(BASE.replace("DESC", "one")), "--auto-approve")
    folder = write(BASE.replace("DESC", "two"))
    plan_file = str(tmp_path / "plan.json")
    assert revsync("plan", folder, "--out", plan_file).code == 0
    element = env.objects("element")[0]
    api.put(
        f"/metering-element-definitions/{element['id']}",
        params={"teamId": env.team_id},
        json={"name": "tokens", "type": "NUMBER", "description": "edited in the UI"},
    )
    since = last_seq(env)
    refused = revsync("apply", "--plan", plan_file, "--auto-approve")
    assert refused.code == 4
    assert f"meteringElements/tokens (id {element['id']}) changed since the plan" in refused.err
    assert writes(env, since) == []
    fresh = str(tmp_path / "fresh.json")
    assert revsync("plan", folder, "--out", fresh).code == 0
    assert revsync("apply", "--plan", fresh, "--auto-approve").code == 0


def test_saved_plan_refused_when_objects_appear_or_vanish(
    revsync, env, write, api, tmp_path
) -> None:
    folder = write(BASE.replace("DESC", "one"))
    plan_file = str(tmp_path / "plan.json")
    revsync("plan", folder, "--out", plan_file)
    api.post(
        "/metering-element-definitions",
        json={"name": "tokens", "type": "NUMBER", "teamId": env.team_id},
    )
    refused = revsync("apply", "--plan", plan_file, "--auto-approve")
    assert refused.code == 4
    assert "meteringElements/tokens now exists in Revenium" in refused.err


def test_saved_plan_refused_when_manifests_or_secrets_change(
    revsync, env, write, tmp_path, monkeypatch
) -> None:
    folder = write(BASE.replace("DESC", "one"))
    plan_file = str(tmp_path / "plan.json")
    revsync("plan", folder, "--out", plan_file)
    write(BASE.replace("DESC", "changed"))
    refused = revsync("apply", "--plan", plan_file, "--auto-approve")
    assert refused.code == 4 and "manifests" in refused.err
    write(BASE.replace("DESC", "one"))
    monkeypatch.setenv("SLACK_WEBHOOK", "https://hooks.slack.com/services/other")
    refused = revsync("apply", "--plan", plan_file, "--auto-approve")
    assert refused.code == 4
    monkeypatch.setenv("SLACK_WEBHOOK", WEBHOOK)
    assert revsync("apply", "--plan", plan_file, "--auto-approve").code == 0


def test_saved_plan_refused_for_another_account(
    revsync, env: Emulator, write, tmp_path, monkeypatch
) -> None:
    plan_file = str(tmp_path / "plan.json")
    revsync("plan", write(BASE.replace("DESC", "one")), "--out", plan_file)
    env.add_team("hak_prod_key", "PRODteam")
    monkeypatch.setenv("REVENIUM_API_KEY", "hak_prod_key")
    monkeypatch.setenv("REVENIUM_TEAM_ID", "PRODteam")
    refused = revsync("apply", "--plan", plan_file, "--auto-approve")
    assert refused.code == 4
    assert "the plan was made for" in refused.err and "team EMUteam" in refused.err


def test_bad_plan_files(revsync, tmp_path: Path) -> None:
    (tmp_path / "x.json").write_text("{not json")
    result = revsync("apply", "--plan", str(tmp_path / "x.json"), "--auto-approve")
    assert result.code == 1 and "not a revsync plan file" in result.err
    result = revsync("apply", "--plan", str(tmp_path / "missing.json"), "--auto-approve")
    assert result.code == 1 and "cannot read plan file" in result.err


# drift -------------------------------------------------------------------------------------------
def test_drift_categories_and_exit_codes(revsync, env: Emulator, write, api) -> None:
    folder = write(BASE.replace("DESC", "one"))
    assert revsync("drift", folder).code == 2  # everything missing
    revsync("apply", folder, "--auto-approve")
    in_sync = revsync("drift", folder)
    assert in_sync.code == 0 and "In sync: 3 objects match the manifests." in in_sync.out
    element = env.objects("element")[0]
    api.put(
        f"/metering-element-definitions/{element['id']}",
        params={"teamId": env.team_id},
        json={"name": "tokens", "type": "NUMBER", "description": "edited"},
    )
    api.post(
        "/products",
        params={"teamId": env.team_id},
        json={
            "name": "Shadow",
            "teamId": env.team_id,
            "plan": {"name": "s", "type": "SUBSCRIPTION", "currency": "USD"},
        },
    )
    write(BASE.replace("DESC", "one") + "organizations: [{name: NewOrg}]\n")
    drifted = revsync("drift", folder)
    assert drifted.code == 2
    assert "Changed in Revenium (apply would change them back): 1" in drifted.out
    assert 'description: "one" -> "edited"' in drifted.out  # manifest -> what Revenium has
    assert "Missing in Revenium (apply would create them): 1" in drifted.out
    assert (
        "In Revenium but not in the manifests" in drifted.out and "products/Shadow" in drifted.out
    )
    document = revsync("drift", folder, "--output", "json").json()
    conforms(document)
    assert document["summary"] == {
        "changed": 1,
        "missing": 1,
        "unmanaged": 1,
        "conflicts": 0,
        "inSync": 3 - 1,
    }
    markdown = revsync("drift", folder, "--output", "markdown").out
    assert "| changed in Revenium | `meteringElements/tokens` |" in markdown


def test_drift_error_is_exit_1(revsync, write, monkeypatch) -> None:
    monkeypatch.setenv("REVENIUM_API_KEY", "hak_nope")
    assert revsync("drift", write(BASE)).code == 1


# machine and PR output ---------------------------------------------------------------------------
def test_json_outputs_follow_the_schema(revsync, env: Emulator, write, tmp_path) -> None:
    plan = revsync("plan", VALID, "--output", "json").json()
    conforms(plan)
    assert plan["summary"] == {"create": 17, "update": 0, "delete": 0, "unchanged": 0}
    slack = next(c for c in plan["changes"] if c["key"] == "slackConfigurations/finops")
    assert {"path": "webhookUrl", "new": "(sensitive)", "sensitive": True} in slack["fields"]
    applied = revsync("apply", VALID, "--auto-approve", "--output", "json").json()
    conforms(applied)
    assert applied["result"]["summary"]["created"] == 17
    again = revsync("plan", VALID, "--output", "json")
    assert again.out == revsync("plan", VALID, "--output", "json").out  # stable
    conforms(again.json())
    (tmp_path / "bad.yaml").write_text("products: [{name: x}]")
    validation = revsync("validate", str(tmp_path / "bad.yaml"), "--output", "json").json()
    conforms(validation)
    everything = json.dumps([plan, applied]) + again.out
    assert WEBHOOK not in everything and env.api_key not in everything


def test_markdown_plan_for_pull_requests(revsync, env: Emulator, write) -> None:
    revsync("apply", write(BASE.replace("DESC", "one")), "--auto-approve")
    md = revsync(
        "plan",
        write(BASE.replace("DESC", "two") + "organizations: [{name: A}]\n"),
        "--output",
        "markdown",
    ).out
    assert md.startswith("### revsync plan: 1 to create, 1 to update, 0 to delete")
    assert "| 🟡 | `meteringElements/tokens` | update |" in md
    assert "<details><summary>🟢 create <code>organizations/A</code></summary>" in md
    assert '~ description: "one" -> "two"' in md


# targets -----------------------------------------------------------------------------------------
def test_target_plans_a_subset_with_its_dependencies(revsync, env: Emulator) -> None:
    planned = revsync("plan", VALID, "--target", "subscriptions/acme-pro")
    keys = [
        line.split(maxsplit=2)[2] for line in planned.out.splitlines() if line.startswith("  + ")
    ]
    assert sorted(keys) == [
        "organizations/Acme",
        "organizations/Acme EU",
        "products/Pro",
        "subscribers/ops@acme.example",
        "subscriptions/acme-pro",
    ]
    assert revsync("apply", VALID, "--target", "subscriptions/acme-pro", "--auto-approve").code == 0
    assert [o["name"] for o in env.objects("subscription")] == ["acme-pro"]
    assert env.objects("anomaly") == []


# export ------------------------------------------------------------------------------------------
def test_export_round_trip(revsync, env: Emulator, tmp_path: Path, monkeypatch) -> None:
    assert revsync("apply", VALID, "--auto-approve").code == 0
    out = tmp_path / "exported"
    exported = revsync("export", "-o", str(out))
    assert exported.code == 0, exported.err
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{k}.yaml" for k in kinds.names())
    slack_text = (out / "slackConfigurations.yaml").read_text()
    assert "${SLACK_WEBHOOK_FINOPS}" in slack_text and WEBHOOK not in slack_text
    assert "SLACK_WEBHOOK_FINOPS, SLACK_WEBHOOK_ONCALL" in exported.err
    assert "gpt-4o" in (out / "aiModels.yaml").read_text()
    assert "claude" not in (out / "aiModels.yaml").read_text()  # GLOBAL catalog left out
    monkeypatch.setenv("SLACK_WEBHOOK_FINOPS", WEBHOOK)
    monkeypatch.setenv("SLACK_WEBHOOK_ONCALL", WEBHOOK)
    replanned = revsync("plan", str(out), "--prune", "--detailed-exitcode")
    assert replanned.code == 0, replanned.out
    assert revsync("export", "-o", str(out)).code == 1  # no overwrite without --force
    assert revsync("export", "-o", str(out), "--force").code == 0


def test_export_kind_and_stdout(revsync, env: Emulator) -> None:
    revsync("apply", VALID, "--auto-approve")
    out = revsync("export", "--kind", "organizations", "--kind", "subscribers").out
    assert "organizations:" in out and "subscribers:" in out and "products:" not in out
    assert "parent: Acme" in out


def test_export_pins_duplicates_and_keeps_ids_for_ambiguous_references(
    revsync, env: Emulator, api, tmp_path: Path
) -> None:
    team = {"teamId": env.team_id}
    plan = {"name": "p", "type": "SUBSCRIPTION", "currency": "USD"}
    first = api.post("/products", params=team, json={"name": "Twin", "plan": plan, **team}).json()
    api.post("/products", params=team, json={"name": "Twin", "plan": plan, **team})
    api.post("/subscribers", json={"email": "a@b.example", **team})
    api.post(
        "/subscriptions",
        params=team,
        json={"name": "s", "productId": first["id"], "subscriberEmail": "a@b.example", **team},
    )
    out = tmp_path / "exported"
    assert revsync("export", "-o", str(out)).code == 0
    products = (out / "products.yaml").read_text()
    assert products.count("  - id: ") == 2  # the id first
    assert f"productId: {first['id']}" in (out / "subscriptions.yaml").read_text()
    assert revsync("validate", str(out)).code == 0
    assert revsync("plan", str(out), "--prune", "--detailed-exitcode").code == 0


# concurrency -------------------------------------------------------------------------------------
def test_second_apply_on_this_machine_is_refused(revsync, env: Emulator, write) -> None:
    folder = write(BASE.replace("DESC", "one"))
    with account_lock(env.api_url, env.team_id):
        result = revsync("apply", folder, "--auto-approve")
    assert result.code == 4
    assert "another revsync apply" in result.err
    assert env.objects("element") == []
    assert revsync("apply", folder, "--auto-approve").code == 0


def test_apply_verifies_the_plan_right_before_writing(
    revsync, env: Emulator, write, api, monkeypatch
) -> None:
    """Another apply (or a person) changes Revenium while this one waits for confirmation."""
    import revsync.cli.apply as apply_module

    def someone_else_meanwhile() -> None:
        api.post(
            "/metering-element-definitions",
            json={"name": "tokens", "type": "NUMBER", "teamId": env.team_id},
        )

    monkeypatch.setattr(apply_module, "_confirm", someone_else_meanwhile)
    result = revsync("apply", write(BASE.replace("DESC", "one")))
    assert result.code == 4
    assert "meteringElements/tokens now exists in Revenium" in result.err
    assert len(env.objects("element")) == 1


@pytest.mark.parametrize("flag", ["--prune", "--target=products/Pro"])
def test_saved_plan_options_belong_to_plan(revsync, tmp_path: Path, flag: str) -> None:
    result = revsync("apply", "--plan", str(tmp_path / "p.json"), flag)
    assert result.code == 1 and "go to `plan`" in result.err


def test_export_indents_lists_like_hand_written_manifests(
    revsync, env: Emulator, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setenv("SLACK_WEBHOOK_FINOPS", WEBHOOK)
    monkeypatch.setenv("SLACK_WEBHOOK_ONCALL", WEBHOOK)
    revsync("apply", VALID, "--auto-approve")
    out = tmp_path / "exported"
    revsync("export", "-o", str(out))
    text = (out / "alerts.yaml").read_text()
    assert "\nalerts:\n  - name: " in text
    with (out / "alerts.yaml").open("a") as f:  # what the README tutorial asks a user to do
        f.write(
            "  - name: hourly-spend\n    alertType: THRESHOLD\n    metricType: TOTAL_COST\n"
            "    operatorType: GREATER_THAN\n    threshold: 50\n"
            "    periodDuration: ONE_HOUR\n    slackConfigurations: [finops]\n"
        )
    assert revsync("validate", str(out)).code == 0
