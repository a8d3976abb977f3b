"""Heavy faults (issue 12): 15% 429 + 10% 5xx + 10% lost write answers, and still every
create converges in the FIRST apply, nothing twice. Small seeds here; `make bench-faults`
runs 6 seeds x 500 objects."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml

from revsync.emulator import Emulator

from ..bulk import bulk_manifest, count

HEAVY = {"p429": 0.15, "p5xx": 0.10, "p_drop_after_write": 0.10, "retry_after": 0.05}


def small_manifest(seed: int) -> dict:
    """Kinds with references (products -> elements), some 70 objects."""
    return bulk_manifest(
        seed=seed,
        elements=10,
        slack=4,
        organizations=0,
        subscribers=30,
        products=26,
        subscriptions=0,
        models=0,
        alerts=0,
    )


@pytest.mark.parametrize("seed", [21, 22])
def test_heavy_faults_converge_in_the_first_apply(
    revsync, env: Emulator, tmp_path: Path, seed: int
) -> None:
    manifest = small_manifest(seed)
    path = tmp_path / "heavy.yaml"
    path.write_text(yaml.safe_dump(manifest, sort_keys=False))
    env.faults.configure(seed=seed, **HEAVY)
    applied = revsync(
        "apply", str(path), "--auto-approve", "-o", "json", "--parallelism", "8",
        "--timeout", "1", "--lookup-window", "2",
    )  # fmt: skip
    faults = Counter(r["fault"] for r in env.requests() if r["fault"])
    env.faults.clear()
    assert applied.code == 0, applied.err
    summary = applied.json()["result"]["summary"]
    assert summary["created"] == count(manifest)
    assert faults["dropped-after-write"] >= 3 and faults["injected-429"] >= 10
    assert revsync("plan", str(path), "--detailed-exitcode").code == 0
    for kind, field in (("element", "name"), ("product", "name"), ("subscriber", "email")):
        keys = Counter(str(o[field]).lower() for o in env.objects(kind))
        assert [k for k, n in keys.items() if n > 1] == [], kind
