"""Options with ranges, Terraform habits, folders named like formats, whole-or-nothing files,
and saved plans applied from another checkout."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from revsync.emulator import Emulator

BASE = """
meteringElements:
  - {name: tokens, type: NUMBER, description: one}
organizations:
  - {name: Acme}
"""


# option ranges -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--timeout", "-1"], "'--timeout': -1 s is out of range: give more than 0"),
        (["--timeout", "0"], "'--timeout': 0 s is out of range: give more than 0"),
        (["--timeout", "nan"], "'--timeout': 'nan' is not a finite number"),
        (["--retry-time", "-5"], "'--retry-time': -5 s is out of range: give at least 0"),
        (["--retry-time", "inf"], "'--retry-time': 'inf' is not a finite number"),
        (["--parallelism", "0"], "'--parallelism': 0 is not in the range 1<=x<=32"),
    ],
)
def test_option_ranges_are_usage_errors(revsync, write, args: list[str], said: str) -> None:
    result = revsync("plan", write(BASE), *args)
    assert result.code == 1
    assert said in result.err
    assert "Traceback" not in result.err and "internal error" not in result.err


def test_zero_retry_time_is_allowed(revsync, write) -> None:
    assert revsync("plan", write(BASE), "--retry-time", "0", "--timeout", "0.5").code == 0


@pytest.mark.parametrize("args", [["--p429", "2"], ["--port", "-3"], ["--latency-ms", "-1"]])
def test_emulator_option_ranges(revsync, args: list[str]) -> None:
    result = revsync("emulator", *args)
    assert result.code == 1 and "is not in the range" in result.err


# -out and export -o ------------------------------------------------------------------------------
def test_dash_out_is_an_alias_of_out(revsync, write, tmp_path: Path) -> None:
    plan_file = tmp_path / "x.plan"
    result = revsync("plan", write(BASE), "-out", str(plan_file))
    assert result.code == 0, result.err
    assert plan_file.exists() and '"revsyncPlan"' in plan_file.read_text()


def test_export_refuses_a_format_name_as_folder(
    revsync, env: Emulator, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.chdir(tmp_path)
    refused = revsync("export", "-o", "json")
    assert refused.code == 1
    assert "folder named 'json'" in refused.err and "--force" in refused.err
    assert not (tmp_path / "json").exists()
    assert revsync("export", "-o", "json", "--force").code == 0
    assert (tmp_path / "json" / "organizations.yaml").exists()
    assert revsync("export", "-o", "manifests").code == 0


# whole files or nothing --------------------------------------------------------------------------
def test_plan_out_into_a_missing_folder_is_a_clean_error(revsync, write, tmp_path: Path) -> None:
    result = revsync("plan", write(BASE), "--out", str(tmp_path / "nowhere" / "p.plan"))
    assert result.code == 1
    assert "cannot write" in result.err and "Traceback" not in result.err


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_plan_out_on_a_read_only_folder_keeps_the_old_file(revsync, write, tmp_path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    old = folder / "p.plan"
    old.write_text("the previous plan\n")
    folder.chmod(0o500)
    try:
        result = revsync("plan", write(BASE), "--out", str(old))
    finally:
        folder.chmod(0o700)
    assert result.code == 1 and "cannot write" in result.err
    assert old.read_text() == "the previous plan\n"
    assert sorted(p.name for p in folder.iterdir()) == ["p.plan"]


def test_full_disk_leaves_no_truncated_file(revsync, write, tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "p.plan"
    target.write_text("the previous plan\n")
    real_fsync = os.fsync

    def full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    result = revsync("plan", write(BASE), "--out", str(target))
    monkeypatch.setattr(os, "fsync", real_fsync)
    assert result.code == 1 and "No space left on device" in result.err
    assert target.read_text() == "the previous plan\n"
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == ["p.plan"]


def test_export_on_a_full_disk_leaves_no_half_file(
    revsync, env: Emulator, write, tmp_path: Path, monkeypatch
) -> None:
    assert revsync("apply", write(BASE), "--auto-approve").code == 0
    monkeypatch.setattr(os, "fsync", lambda fd: (_ for _ in ()).throw(OSError(28, "disk full")))
    out = tmp_path / "exported"
    result = revsync("export", "-o", str(out))
    assert result.code == 1 and "disk full" in result.err
    assert list(out.iterdir()) == []


# saved plans from another checkout ---------------------------------------------------------------
def _repo(at: Path, manifest: str) -> Path:
    (at / "revenium").mkdir(parents=True)
    (at / "revenium" / "main.yaml").write_text(manifest)
    subprocess.run(["git", "init", "-q", str(at)], check=True)
    return at


def test_saved_plan_applies_from_another_checkout(
    revsync, env: Emulator, tmp_path: Path, monkeypatch
) -> None:
    first = _repo(tmp_path / "plan-job", BASE)
    monkeypatch.chdir(first / "revenium")  # plan from a sub-folder of the repository
    plan_file = tmp_path / "artifact.plan"
    assert revsync("plan", ".", "--out", str(plan_file)).code == 0
    assert '"revenium/main.yaml"' in plan_file.read_text()
    second = tmp_path / "apply-job"
    shutil.copytree(first, second)
    monkeypatch.chdir(second)
    applied = revsync("apply", "--plan", str(plan_file), "--auto-approve")
    assert applied.code == 0, applied.err
    assert [o["name"] for o in env.objects("org")] == ["Acme"]


def test_saved_plan_says_where_it_looked(
    revsync, env: Emulator, tmp_path: Path, monkeypatch
) -> None:
    first = _repo(tmp_path / "plan-job", BASE)
    monkeypatch.chdir(first)
    plan_file = tmp_path / "artifact.plan"
    assert revsync("plan", "revenium", "--out", str(plan_file)).code == 0
    elsewhere = tmp_path / "empty"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    result = revsync("apply", "--plan", str(plan_file), "--auto-approve")
    assert result.code == 1
    assert str(elsewhere / "revenium" / "main.yaml") in result.err
    assert f"repository root {elsewhere}" in result.err


# export cosmetics --------------------------------------------------------------------------------
def test_export_writes_plain_prices_and_the_id_first(
    revsync, env: Emulator, write, api, tmp_path: Path
) -> None:
    model = (
        "aiModels:\n  - {name: in-house, provider: CUSTOM, mode: CHAT,"
        " inputCostPerToken: 0.0000006, outputCostPerToken: 0.0000024}\n"
    )
    planned = revsync("plan", write(model))
    assert "inputCostPerToken:  0.0000006" in planned.out and "e-07" not in planned.out
    assert revsync("apply", write(model), "--auto-approve").code == 0
    team = {"teamId": env.team_id}
    for _ in range(2):
        api.post(
            "/organizations",
            json={"name": "Twin", "tenantId": env.tenant_id, "metadata": "", **team},
        )
    out = tmp_path / "exported"
    assert revsync("export", "-o", str(out)).code == 0
    models = (out / "aiModels.yaml").read_text()
    assert "inputCostPerToken: 0.0000006" in models and "e-0" not in models
    organizations = (out / "organizations.yaml").read_text()
    assert organizations.count("- id: ") == 2 and "\n    name: Twin" in organizations
