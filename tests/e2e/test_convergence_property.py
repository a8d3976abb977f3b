"""Convergence as a property: after any successful apply, plan shows no changes."""

from __future__ import annotations

from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from revsync.emulator import Emulator

from ..strategies import manifests, mutated

SETTINGS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _write(tmp_path: Path, data: dict) -> str:
    path = tmp_path / "generated.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return str(path)


@SETTINGS
@given(manifest=manifests())
def test_apply_then_plan_is_empty(revsync, env: Emulator, tmp_path: Path, manifest) -> None:
    env.reset()
    path = _write(tmp_path, manifest)
    applied = revsync("apply", path, "--auto-approve")
    assert applied.code == 0, applied.out + applied.err
    planned = revsync("plan", path, "--detailed-exitcode", "--prune", "--allow-mass-delete")
    assert planned.code == 0, planned.out


@SETTINGS
@given(first=manifests(), second=manifests())
def test_apply_over_another_account_converges(
    revsync, env: Emulator, tmp_path: Path, first, second
) -> None:
    env.reset()
    assert revsync("apply", _write(tmp_path, first), "--auto-approve").code == 0
    path = _write(tmp_path, second)
    applied = revsync("apply", path, "--auto-approve", "--prune", "--allow-mass-delete")
    assert applied.code == 0, applied.out + applied.err
    planned = revsync("plan", path, "--detailed-exitcode", "--prune", "--allow-mass-delete")
    assert planned.code == 0, planned.out


@SETTINGS
@given(data=st.data(), first=manifests())
def test_updates_converge(revsync, env: Emulator, tmp_path: Path, data, first) -> None:
    env.reset()
    assert revsync("apply", _write(tmp_path, first), "--auto-approve").code == 0
    path = _write(tmp_path, data.draw(mutated(first)))
    applied = revsync("apply", path, "--auto-approve")
    assert applied.code == 0, applied.out + applied.err
    assert "0 created" in applied.out or "Nothing to apply" in applied.out, applied.out
    planned = revsync("plan", path, "--detailed-exitcode")
    assert planned.code == 0, planned.out


@SETTINGS
@given(manifest=manifests(), twins=st.lists(st.sampled_from(["element", "product"]), max_size=2))
def test_export_then_plan_is_empty(
    revsync, env: Emulator, tmp_path: Path, monkeypatch, manifest, twins
) -> None:
    """Any account (duplicates made outside revsync included) exports to manifests that
    plan reads back with no changes."""
    env.reset()
    assert revsync("apply", _write(tmp_path, manifest), "--auto-approve").code == 0
    _add_twins(env, manifest, twins)
    out = tmp_path / "exported"
    exported = revsync("export", "-o", str(out), "--force")
    assert exported.code == 0, exported.err
    for line in exported.err.splitlines():
        if line.startswith("Set these"):
            for variable in line.split(": ", 1)[1].split(", "):
                monkeypatch.setenv(variable, "https://hooks.slack.example/T/B/x")
    planned = revsync("plan", str(out), "--prune", "--detailed-exitcode", "--allow-mass-delete")
    assert planned.code == 0, planned.out + planned.err


def _add_twins(env: Emulator, manifest: dict, twins: list[str]) -> None:
    import httpx

    team = {"teamId": env.team_id}
    with httpx.Client(base_url=env.api_url + "/v2/api", headers={"x-api-key": env.api_key}) as api:
        for twin in twins:
            if twin == "element" and manifest["meteringElements"]:
                name = manifest["meteringElements"][0]["name"]
                api.post(
                    "/metering-element-definitions", json={"name": name, "type": "STRING", **team}
                )
            if twin == "product" and manifest["products"]:
                name = manifest["products"][0]["name"]
                api.post(
                    "/products",
                    params=team,
                    json={
                        "name": name,
                        **team,
                        "plan": {"name": "twin", "type": "SUBSCRIPTION", "currency": "USD"},
                    },
                )
