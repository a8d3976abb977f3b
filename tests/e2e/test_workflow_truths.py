"""The GitOps workflow tells the truth (issue 13): offline validate, targets that name
something, protect entries that protect, secrets masked and nothing else, refusals before
harm, drift the right way round, no "Saved" for a refused plan."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml

from revsync.emulator import Emulator

from .conftest import WEBHOOK, last_seq, writes

ROOT = Path(__file__).resolve().parents[2]
GITOPS = ROOT / "examples" / "gitops"

PEOPLE = """
organizations:
  - name: Acme
subscribers:
  - email: Ops@Acme.example
    organizations: [Acme]
products:
  - name: Pro
    plan: {name: p, type: SUBSCRIPTION, currency: USD, charge: 10}
"""


def run_bare(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    """revsync as a CI job without secrets runs it: an empty environment."""
    env = {"PATH": os.environ.get("PATH", ""), "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "revsync", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


# 1. validate is offline ---------------------------------------------------------------------------
def _validate_commands() -> list[list[str]]:
    """Every `revsync validate` line of the shipped CI files."""
    found = []
    for name in (".github/workflows/revsync.yml", ".gitlab-ci.yml"):
        for line in (GITOPS / name).read_text().splitlines():
            line = line.strip().lstrip("-").strip()
            if line.startswith("revsync validate"):
                found.append(line.split()[1:])
    return found


def test_shipped_ci_validate_jobs_pass_without_secrets() -> None:
    commands = _validate_commands()
    assert len(commands) >= 4
    for args in commands:
        result = run_bare(*args, cwd=GITOPS)
        assert result.returncode == 0, (args, result.stdout, result.stderr)
        assert "note:" in result.stdout and "SLACK_WEBHOOK" in result.stdout


def test_pre_commit_hook_passes_without_secrets() -> None:
    hook = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())[0]
    entry = hook["entry"].split()[1:]
    for folder in ("environments/staging", "environments/production"):
        result = run_bare(*entry, "shared", folder, cwd=GITOPS)
        assert result.returncode == 0, result.stdout + result.stderr


def test_validate_require_env_and_plan_still_need_every_variable(
    revsync, write, monkeypatch
) -> None:
    monkeypatch.delenv("NO_SUCH_WEBHOOK", raising=False)
    path = write(
        'slackConfigurations: [{name: a, channelName: "#a", webhookUrl: "${NO_SUCH_WEBHOOK}"}]\n'
        "alerts:\n"
        "  - name: b\n"
        "    alertType: THRESHOLD\n"
        "    metricType: TOTAL_COST\n"
        "    operatorType: GREATER_THAN\n"
        "    threshold: ${NO_SUCH_BUDGET}\n"
    )
    offline = revsync("validate", path)
    assert offline.code == 0, offline.out
    assert "note: " in offline.out and "NO_SUCH_BUDGET is not set" in offline.out
    assert "is not a" not in offline.out  # the placeholder's type is not checked
    assert revsync("validate", path, "--require-env").code == 3
    planned = revsync("plan", path)
    assert planned.code == 3
    assert "environment variable NO_SUCH_WEBHOOK is not set" in planned.err


# 2. targets --------------------------------------------------------------------------------------
def test_target_that_matches_nothing_is_an_error_with_a_did_you_mean(revsync, write) -> None:
    path = write(PEOPLE)
    wrong_kind = revsync("plan", path, "--target", "product/Pro", "--detailed-exitcode")
    assert wrong_kind.code == 3
    assert "did you mean products/Pro?" in wrong_kind.err
    nope = revsync("plan", path, "--target", "products/Nope")
    assert nope.code == 3 and "--target products/Nope matches nothing" in nope.err
    wrong_case = revsync("plan", path, "--target", "products/pro")
    assert wrong_case.code == 3 and "did you mean products/Pro?" in wrong_case.err
    assert revsync("plan", path, "--exclude", "products/Nope").code == 3


def test_targeted_plan_says_so_and_names_the_dependencies_it_added(revsync, write) -> None:
    path = write(PEOPLE)
    email = revsync("plan", path, "--target", "subscribers/ops@acme.example")  # other case
    assert email.code == 0, email.err
    assert "Targeting in effect" in email.out
    assert "+ create subscribers/Ops@Acme.example" in email.out
    assert "added organizations/Acme: a target depends on it" in email.out
    assert "products/Pro" not in email.out
    assert revsync("apply", path, "--auto-approve").code == 0
    in_sync = revsync("plan", path, "--target", "products/Pro")
    assert "No changes" in in_sync.out and "Targeting in effect" in in_sync.out


def test_kind_wildcards_and_exclude(revsync, env: Emulator, write) -> None:
    path = write(
        PEOPLE + "  - name: Team\n    plan: {name: t, type: SUBSCRIPTION, currency: USD}\n"
    )
    both = revsync("plan", path, "--target", "products/*")
    assert "+ create products/Pro" in both.out and "+ create products/Team" in both.out
    assert "organizations/Acme" not in both.out
    excluded = revsync("plan", path, "--exclude", "organizations/*")
    assert "organizations/Acme" not in excluded.out.replace("excluded organizations/Acme", "")
    assert "left out subscribers/Ops@Acme.example" in excluded.out
    assert "+ create products/Team" in excluded.out
    assert revsync("apply", path, "--exclude", "products/Team", "--auto-approve").code == 0
    assert [o["name"] for o in env.objects("product")] == ["Pro"]


# 3. protect --------------------------------------------------------------------------------------
def test_protect_uses_the_kinds_key_rules_and_names_what_matches_nothing(
    revsync, env: Emulator, write
) -> None:
    revsync(
        "apply",
        write(
            PEOPLE
            + "  - name: Legacy3\n    plan: {name: l, type: SUBSCRIPTION, currency: USD}\n"
            + "  - {name: Old, plan: {name: o, type: SUBSCRIPTION, currency: USD}}\n"
        ),
        "--auto-approve",
    )
    path = write(
        "settings:\n  prune: true\n"
        "  protect: [subscribers/OPS@acme.example, products/legacy3, products/Gone]\n"
        "organizations: [{name: Acme}]\n"
        "subscribers: []\n"
        "products: [{name: Pro, plan: {name: p, type: SUBSCRIPTION, currency: USD, charge: 10}}]\n"
    )
    planned = revsync("plan", path)
    assert planned.code == 0, planned.err
    assert "- delete products/Old" in planned.out
    assert "delete products/Legacy3" not in planned.out  # differs only in case: still kept
    assert "differs only in case" in planned.out
    assert "delete subscribers/" not in planned.out  # emails ignore case
    assert "'products/Gone' matches no product" in planned.out
    assert "'products/legacy3' matches no product" in planned.out
    assert "did you mean products/Legacy3?" in planned.out


def test_production_example_protects_a_product_it_knows() -> None:
    text = (GITOPS / "environments" / "production" / "revenium.yaml").read_text()
    protect = yaml.safe_load(text)["settings"]["protect"]
    names = set()
    for folder in ("shared", "environments/production"):
        for file in (GITOPS / folder).glob("*.yaml"):
            names |= {
                f"products/{p['name']}"
                for p in yaml.safe_load(file.read_text()).get("products", [])
            }
    assert protect and set(protect) <= names


# 4. secrets only ---------------------------------------------------------------------------------
def test_only_secrets_are_masked(revsync, write, monkeypatch) -> None:
    monkeypatch.setenv("BUDGET", "750")
    monkeypatch.setenv("TEAM_NOTE", "note-from-env")
    monkeypatch.setenv("ALERT_TOKEN", "tok-12345678")
    path = write(
        "settings: {sensitive: [TEAM_NOTE]}\n"
        'slackConfigurations: [{name: a, channelName: "#a", webhookUrl: "${SLACK_WEBHOOK}"}]\n'
        "alerts:\n"
        "  - name: b\n"
        "    alertType: THRESHOLD\n"
        "    metricType: TOTAL_COST\n"
        "    operatorType: GREATER_THAN\n"
        "    threshold: ${BUDGET}\n"
        '    description: "${TEAM_NOTE}"\n'
        '    notificationAddresses: ["${ALERT_TOKEN}@x.example"]\n'
    )
    planned = revsync("plan", path, "--output", "json")
    text = planned.out
    assert '"new": 750' in text  # a budget is reviewable
    for secret in (WEBHOOK, "note-from-env", "tok-12345678"):
        assert secret not in text
    assert revsync("apply", path, "--auto-approve").code == 0
    monkeypatch.setenv("BUDGET", "900")
    assert "threshold: 750 -> 900" in revsync("plan", path).out


# 5. two live objects with one name ---------------------------------------------------------------
def test_ambiguous_name_is_refused_without_planning_deletes(
    revsync, env: Emulator, write, api
) -> None:
    team = {"teamId": env.team_id}
    plan = {"name": "p", "type": "SUBSCRIPTION", "currency": "USD"}
    ids = [
        api.post("/products", params=team, json={"name": "Twin", "plan": plan, **team}).json()["id"]
        for _ in range(2)
    ]
    path = write(
        "settings: {prune: true, maxDeletePercent: 100}\n"
        "products: [{name: Twin, plan: {name: p, type: SUBSCRIPTION, currency: USD}}]\n"
    )
    planned = revsync("plan", path)
    assert planned.code == 4
    assert "2 live products match 'Twin'" in planned.out
    assert "delete" not in planned.out.split("Refused")[0]
    for ident in ids:
        assert f"(id {ident})" not in planned.out.split("Refused")[0]
    since = last_seq(env)
    assert revsync("apply", path, "--auto-approve").code == 4
    assert writes(env, since) == []


# 7. drift ----------------------------------------------------------------------------------------
def test_drift_reads_from_the_manifest_to_revenium(revsync, env: Emulator, write, api) -> None:
    path = write(
        "settings: {prune: true}\n"
        "meteringElements: [{name: tokens, type: NUMBER, description: manifest}]\n"
    )
    assert revsync("apply", path, "--auto-approve").code == 0
    element = env.objects("element")[0]
    api.put(
        f"/metering-element-definitions/{element['id']}",
        params={"teamId": env.team_id},
        json={"name": "tokens", "type": "NUMBER", "description": "edited in the UI"},
    )
    api.post(
        "/metering-element-definitions",
        json={"name": "stray", "type": "NUMBER", "teamId": env.team_id},
    )
    drift = revsync("drift", path)
    assert drift.code == 2
    assert 'description: "manifest" -> "edited in the UI"' in drift.out
    assert "--prune" not in drift.out and "pruning is on" in drift.out
    markdown = revsync("drift", path, "--output", "markdown").out
    assert '~ description: "manifest" -> "edited in the UI"' in markdown


# 8. a refused plan is not saved ------------------------------------------------------------------
def test_refused_plan_with_out_is_not_saved(revsync, env: Emulator, write, api, tmp_path) -> None:
    for _ in range(2):
        api.post(
            "/metering-element-definitions",
            json={"name": "dup", "type": "NUMBER", "teamId": env.team_id},
        )
    out = tmp_path / "plan.json"
    planned = revsync(
        "plan", write("meteringElements: [{name: dup, type: NUMBER}]\n"), "--out", str(out)
    )
    assert planned.code == 4
    assert "Saved the plan" not in planned.err and "not saved" in planned.err
    assert not out.exists()


# 6. renames --------------------------------------------------------------------------------------
RENAMED = """
settings: {prune: true}
organizations: [{name: Acme}]
subscribers: [{email: a@acme.example, organizations: [Acme]}]
products:
  - name: NAME
    PREVIOUSdescription: pro tier
    plan: {name: p, type: SUBSCRIPTION, currency: USD, charge: 10}
subscriptions:
  - {name: s1, product: NAME, subscriber: a@acme.example, organization: Acme}
"""


def _renamed(name: str, previous: str = "") -> str:
    return RENAMED.replace("NAME", name).replace("PREVIOUS", previous)


def test_a_create_and_a_delete_that_look_alike_are_called_a_rename(
    revsync, env: Emulator, write
) -> None:
    assert revsync("apply", write(_renamed("Pro")), "--auto-approve").code == 0
    ident = env.objects("product")[0]["id"]
    planned = revsync("plan", write(_renamed("Pro Plus")))
    assert "- delete products/Pro" in planned.out
    assert f"looks like products/Pro (id {ident}) renamed" in planned.out
    assert f"pin 'id: {ident}'" in planned.out and "previousNames: [Pro]" in planned.out


def test_previous_names_make_a_rename_an_update(revsync, env: Emulator, write) -> None:
    assert revsync("apply", write(_renamed("Pro")), "--auto-approve").code == 0
    ident = env.objects("product")[0]["id"]
    path = write(_renamed("Pro Plus", "previousNames: [Pro]\n    "))
    assert revsync("validate", path, "--strict").code == 0
    planned = revsync("plan", path)
    assert f"~ update products/Pro Plus (id {ident})" in planned.out
    assert 'name: "Pro" -> "Pro Plus"' in planned.out
    assert "- delete" not in planned.out and "subscriptions/s1" not in planned.out
    since = last_seq(env)
    assert revsync("apply", path, "--auto-approve").code == 0
    assert [w["method"] for w in writes(env, since)] == ["PUT"]
    assert [(p["id"], p["name"]) for p in env.objects("product")] == [(ident, "Pro Plus")]
    assert revsync("plan", path, "--detailed-exitcode").code == 0
