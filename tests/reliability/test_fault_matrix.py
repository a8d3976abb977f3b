"""The fault matrix: ~200 objects applied through injected faults. After at most one
re-run the account equals the manifests, nothing exists twice, nothing outside the plan was
touched, and the report told the truth."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import httpx
import pytest
import yaml

from revsync.emulator import Emulator

from ..bulk import bulk_manifest, count

MANIFEST = bulk_manifest(seed=11)
TOTAL = count(MANIFEST)
KEYS = {
    "element": ("name",),
    "slack": ("name",),
    "org": ("name",),
    "subscriber": ("email",),
    "product": ("name",),
    "subscription": ("name",),
    "anomaly": ("name",),
}


@pytest.fixture
def manifest_path(tmp_path: Path) -> str:
    path = tmp_path / "bulk.yaml"
    path.write_text(yaml.safe_dump(MANIFEST, sort_keys=False))
    return str(path)


@pytest.fixture
def bystander(env: Emulator) -> dict:
    """An object no manifest mentions: it must come through every scenario untouched."""
    with httpx.Client(base_url=env.api_url + "/v2/api", headers={"x-api-key": env.api_key}) as api:
        return api.post(
            "/products",
            params={"teamId": env.team_id},
            json={
                "name": "bystander",
                "teamId": env.team_id,
                "plan": {"name": "b", "type": "SUBSCRIPTION", "currency": "USD"},
            },
        ).json()


def assert_no_duplicates(env: Emulator) -> None:
    for kind, fields in KEYS.items():
        keys = Counter(tuple(str(o[f]).lower() for f in fields) for o in env.objects(kind))
        assert [k for k, n in keys.items() if n > 1] == [], kind
    custom = env.store.all("model", (env.team_id,))
    assert len({(m["name"], m["provider"]) for m in custom}) == len(custom) == 10


def assert_converged(revsync, path: str) -> None:
    planned = revsync("plan", path, "--detailed-exitcode")
    assert planned.code == 0, planned.out + planned.err


def assert_untouched(env: Emulator, bystander: dict, since: int = 0) -> None:
    stored = next(p for p in env.objects("product") if p["id"] == bystander["id"])
    assert stored["updated"] == bystander["updated"]
    touched = [
        r for r in env.requests(since) if r["method"] != "GET" and bystander["id"] in r["path"]
    ]
    assert touched == []


def assert_report_is_true(env: Emulator, report: dict) -> None:
    results = report["result"]["results"]
    ids = {o["id"] for kind in (*KEYS, "model") for o in env.objects(kind)}
    for result in results:
        if result["status"] in ("created", "updated"):
            assert result["id"] in ids, result
        if result["status"] == "failed":
            assert result["error"]
    assert len(results) == len(report["plan"]["changes"])


def apply_with_one_rerun(revsync, path: str, *extra: str) -> list[dict]:
    reports = []
    for _ in range(2):
        result = revsync(
            "apply", path, "--auto-approve", "--output", "json", "--parallelism", "8", *extra
        )
        assert result.code in (0, 1), result.err
        reports.append(result.json())
        if result.code == 0:
            break
    return reports


def run_scenario(revsync, env: Emulator, path: str, bystander: dict, *extra: str) -> list[dict]:
    reports = apply_with_one_rerun(revsync, path, *extra)
    env.faults.clear()
    for report in reports:
        assert_report_is_true(env, report)
    assert_converged(revsync, path)
    assert_no_duplicates(env)
    assert_untouched(env, bystander)
    created = sum(r["result"]["summary"]["created"] for r in reports)
    assert created == TOTAL
    print(
        f"runs={len(reports)} faults={Counter(r['fault'] for r in env.requests())} "
        f"recovered={sum(r['recovered'] for rep in reports for r in rep['result']['results'])}"
    )
    return reports


def test_a_429_with_retry_after(revsync, env, manifest_path, bystander) -> None:
    env.faults.configure(seed=1, p429=0.2, retry_after=0.05)
    run_scenario(revsync, env, manifest_path, bystander)
    injected = [r for r in env.requests() if r["fault"] == "injected-429"]
    assert len(injected) > 20


def test_b_5xx(revsync, env, manifest_path, bystander) -> None:
    env.faults.configure(seed=2, p5xx=0.1)
    # a 502/504 to a create may mean "still running": it is looked up for the whole window
    # before it is sent again; a short window keeps this scenario quick
    run_scenario(revsync, env, manifest_path, bystander, "--timeout", "1", "--lookup-window", "2")
    assert any(r["fault"] and r["fault"].startswith("injected-5") for r in env.requests())


def test_c_committed_writes_whose_answer_is_lost(revsync, env, manifest_path, bystander) -> None:
    env.faults.configure(seed=3, p_drop_after_write=0.1)
    reports = run_scenario(revsync, env, manifest_path, bystander)
    dropped = [r for r in env.requests() if r["fault"] == "dropped-after-write"]
    assert len(dropped) > 5
    recovered = sum(1 for rep in reports for r in rep["result"]["results"] if r["recovered"])
    assert recovered > 0


def test_d_latency_spikes_past_the_client_timeout(revsync, env, manifest_path, bystander) -> None:
    env.faults.configure(seed=4, p_slow=0.05, slow_seconds=0.8)
    run_scenario(revsync, env, manifest_path, bystander, "--timeout", "0.4")
    assert any(r["fault"] == "slow-response" for r in env.requests())


@pytest.mark.parametrize("seed", [5, 6])
def test_e_killed_during_apply_then_run_again(
    revsync, env, manifest_path, bystander, seed: int
) -> None:
    kill_after = random.Random(seed).randint(20, 150)
    env.faults.configure(seed=seed, latency_ms=3)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "revsync",
            "apply",
            manifest_path,
            "--auto-approve",
            "--parallelism",
            "8",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=dict(os.environ),
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        if sum(1 for r in env.requests() if r["method"] != "GET") >= kill_after:
            process.send_signal(signal.SIGKILL)
            break
        time.sleep(0.005)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL, "apply finished before it could be killed"
    env.faults.clear()
    before = sum(1 for r in env.requests() if r["method"] == "POST")
    assert 0 < before < TOTAL + 10
    rerun = revsync("apply", manifest_path, "--auto-approve", "--output", "json")
    assert rerun.code == 0, rerun.err
    assert_report_is_true(env, rerun.json())
    assert_converged(revsync, manifest_path)
    assert_no_duplicates(env)
    assert_untouched(env, bystander)
