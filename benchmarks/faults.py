"""Heavy faults (issue 12): do 500 creates converge in the FIRST apply, without duplicates?

    make bench-faults                                   # 6 seeds x 500 objects
    python benchmarks/faults.py --seeds 1 --objects 100 # a quick run

For each seed a fresh emulator process (rate limit off) answers 15% of requests with 429,
10% with a 5xx, and loses the answer of 10% of committed writes. One `revsync apply` runs
against it; then faults are cleared and the account is checked: the next plan is empty
(first-apply convergence) and no natural key exists twice. Prints one line per seed.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import httpx
import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from _emulator_process import KEY, REVSYNC, TEAM, emulator_process  # noqa: E402

from revsync import kinds  # noqa: E402
from revsync.core.live import Account  # noqa: E402
from tests.bulk import bulk_manifest, count  # noqa: E402

FAULTS = {"p429": 0.15, "p5xx": 0.10, "p_drop_after_write": 0.10, "retry_after": 0.2}
CHECKED_KINDS = (
    "meteringElements",
    "slackConfigurations",
    "organizations",
    "subscribers",
    "products",
    "alerts",
)


def duplicates(api_url: str) -> int:
    """How many objects share a natural key with another (0 when nothing was duplicated)."""
    account = Account(TEAM, TEAM, "EMUownr")
    extra = 0
    with httpx.Client(base_url=api_url, headers={"x-api-key": KEY}, timeout=60) as api:
        for name in CHECKED_KINDS:
            kind = kinds.get(name)
            seen: Counter[tuple] = Counter()
            page, pages = 0, 1
            while page < pages:
                params = {**kind.read_params(account), "page": page, "size": 500}
                body = api.get(kind.api_path, params=params).json()
                items = body if isinstance(body, list) else _items(body)
                for item in items:
                    seen[tuple(str(item.get(f, "")).lower() for f in kind.key_fields)] += 1
                pages = 1 if isinstance(body, list) else body.get("page", {}).get("totalPages", 1)
                page += 1
            extra += sum(n - 1 for n in seen.values() if n > 1)
    return extra


def _items(body: dict) -> list[dict]:
    embedded = body.get("_embedded") or {}
    return next(iter(embedded.values()), []) if embedded else []


def heavy_manifest(objects: int, seed: int) -> dict:
    """Every kind bulk_manifest makes, with references between them (subscriptions name
    products and subscribers, alerts name Slack configurations)."""
    return bulk_manifest(
        seed=seed,
        elements=objects // 10,
        slack=objects // 50,
        organizations=objects // 10,
        subscribers=objects * 30 // 100,
        products=objects * 20 // 100,
        subscriptions=objects * 24 // 100,
        models=0,
        alerts=objects // 25,
    )


def one_seed(seed: int, objects: int, folder: Path, extra: list[str]) -> dict:
    manifest = heavy_manifest(objects, seed)
    path = folder / f"seed-{seed}.yaml"
    path.write_text(yaml.safe_dump(manifest, sort_keys=False))
    with emulator_process("--rate-limit", "0", "--seed", str(seed)) as api_url:
        admin = api_url.removesuffix("/profitstream") + "/_emulator"
        httpx.put(f"{admin}/faults", json={"seed": seed, **FAULTS}, timeout=10).raise_for_status()
        env = {**os.environ, "REVENIUM_API_URL": api_url, "REVENIUM_API_KEY": KEY}
        env.update({"REVENIUM_TEAM_ID": TEAM, "REVENIUM_OWNER_ID": "EMUownr", "NO_COLOR": "1"})
        env.setdefault("SLACK_WEBHOOK", "https://hooks.slack.com/services/T0/B0/bench")
        started = time.monotonic()
        applied = subprocess.run(
            [*REVSYNC, "apply", str(path), "--auto-approve", "-o", "json", *extra],
            env=env,
            capture_output=True,
            text=True,
        )
        seconds = time.monotonic() - started
        log = httpx.get(f"{admin}/requests", params={"since": 0}, timeout=60).json()
        httpx.put(f"{admin}/faults", json={}, timeout=10).raise_for_status()
        planned = subprocess.run(
            [*REVSYNC, "plan", str(path), "--detailed-exitcode"], env=env, capture_output=True
        )
        summary = _summary(applied.stdout)
        return {
            "seed": seed,
            "objects": count(manifest),
            "apply_exit": applied.returncode,
            "converged": planned.returncode == 0,
            "duplicates": duplicates(api_url),
            "seconds": round(seconds, 1),
            "created": summary.get("created"),
            "recovered": summary.get("recovered"),
            "faults": dict(Counter(r["fault"] for r in log if r["fault"])),
            "error": applied.stderr.strip().splitlines()[-1:] if applied.returncode else [],
        }


def _summary(stdout: str) -> dict:
    try:
        result = json.loads(stdout)["result"]
    except (ValueError, KeyError, TypeError):
        return {}
    out = dict(result["summary"])
    out["recovered"] = sum(1 for r in result["results"] if r["recovered"])
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, default=6)
    parser.add_argument("--objects", type=int, default=500)
    parser.add_argument("--parallelism", type=int, default=8)
    args, extra = parser.parse_known_args()
    extra = ["--parallelism", str(args.parallelism), *extra]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for seed in range(1, args.seeds + 1):
            row = one_seed(seed, args.objects, Path(tmp), extra)
            rows.append(row)
            print(json.dumps(row), flush=True)
    converged = sum(r["converged"] and r["apply_exit"] == 0 for r in rows)
    dupes = sum(r["duplicates"] for r in rows)
    times = ", ".join(f"{r['seconds']:.0f}" for r in rows)
    print(
        f"first-apply convergence: {converged}/{len(rows)} seeds; duplicates: {dupes}; "
        f"seconds per seed: {times}"
    )
    return 0 if converged == len(rows) and dupes == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
