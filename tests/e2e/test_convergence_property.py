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
