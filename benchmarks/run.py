"""Performance at scale: plan, drift, export and apply on large accounts.

    make bench                                  # N = 1,000, 4,000 and 13,000 objects
    make bench BENCH_SIZES=13000,100000         # also 100,000 objects (some minutes)
    make bench BENCH_PROFILE=mix                # issue 16's account mix instead
    python benchmarks/run.py --sizes 1000 --creates 200     # a quick run

For each size an emulator process (rate limit off: stated as 100,000/s) is loaded with an
account of the chosen profile (benchmarks/profiles.py), through `revsync apply`; `--cache
DIR` (BENCH_CACHE) keeps that database for the next run. Then, each as its own revsync
process: a no-change plan (limit off: CPU and memory; the run of median CPU of
`--repeat` runs, 3 by default, each after the host reference of host_reference.py, which
says how fast the shared host was then), the same plan with the emulator
limiting to 50 requests/s (time against the floor Σ⌈objects per kind / 100⌉ ÷ 50 s, 429s
drawn), a plan with 1% drift, export, the naive baseline (one GET per object; up to 20,000
objects), and an apply of new objects at 50 requests/s. Prints a table and writes
benchmarks/results/scale-<profile>.json.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import host_reference  # noqa: E402
from _emulator_process import KEY, REVSYNC, TEAM, emulator_process  # noqa: E402
from profiles import PROFILES  # noqa: E402

from tests.bulk import count, split_by_kind  # noqa: E402

# "rate limit off": a limit stated so high it never binds. With no limit at all the emulator
# sends no X-RateLimit headers and revsync keeps to the platform's 50/s it assumes.
UNLIMITED = "100000"
NAIVE_UP_TO = 20_000  # one GET per object: beyond this the baseline only costs time
# part of a cached account's name: changed when the emulator's database changes shape (v2:
# list items stored at write time), so a cached account always comes from today's emulator
CACHE_FORMAT = "v2"


class Emu:
    def __init__(self, api_url: str) -> None:
        self.api_url = api_url
        self.admin = api_url.removesuffix("/profitstream") + "/_emulator"

    def seq(self) -> int:
        log = httpx.get(f"{self.admin}/requests", params={"since": 0}, timeout=60).json()
        return log[-1]["seq"] if log else 0

    def requests(self, since: int) -> list[dict]:
        return httpx.get(f"{self.admin}/requests", params={"since": since}, timeout=60).json()

    def rate(self, value: float) -> None:
        httpx.put(f"{self.admin}/rate-limit", json={"rate": value}, timeout=10)


def measure(emu: Emu, name: str, args: list[str], env: dict[str, str], objects: int) -> dict:
    """Run one revsync process; wall, CPU and peak memory of it, requests it made."""
    since = emu.seq()
    started = time.monotonic()
    with tempfile.TemporaryFile() as output:
        proc = subprocess.Popen(args, env=env, stdout=output, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.monotonic() - started
        output.seek(0)
        text = output.read().decode("utf-8", "replace")
    code = os.waitstatus_to_exitcode(status)
    log = emu.requests(since)
    writes = [r for r in log if r["method"] != "GET" and r["status"] < 300]
    limited = sum(1 for r in log if r["status"] == 429)
    phase = None
    if len(writes) > 1:
        span = writes[-1]["time"] - writes[0]["time"]
        phase = (len(writes) - 1) / span if span > 0 else None
    return {
        "scenario": name,
        "objects": objects,
        "exit": code,
        "wall_s": round(wall, 2),
        "requests": len(log),
        "requests_per_object": round(len(log) / objects, 3) if objects else None,
        "http_429": limited,
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 2),
        "peak_mb": round(usage.ru_maxrss / 1024, 1),
        "write_rate": round(phase, 1) if phase else None,
        "tail": text.strip().splitlines()[-1:] if code not in (0, 2) else [],
    }


def median_run(runs: list[dict]) -> dict:
    """The run of median CPU, with every run's CPU: one run on a shared host can be a
    third slower or faster than the next, and a CPU target is about the code."""
    chosen = dict(sorted(runs, key=lambda r: r["cpu_s"])[len(runs) // 2])
    if len(runs) > 1:
        chosen["cpu_runs"] = [r["cpu_s"] for r in runs]
    return chosen


def write_manifests(folder: Path, manifest: dict) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for kind, doc in split_by_kind(manifest).items():
        (folder / f"{kind}.yaml").write_text(yaml.safe_dump(doc, sort_keys=False))


def drifted(manifest: dict, share: float, seed: int = 1) -> tuple[dict, int]:
    """The same manifest with `share` of its objects changed (descriptions, thresholds...)."""
    rng = random.Random(seed)
    out = json.loads(json.dumps(manifest))
    entries = [(k, e) for k, v in out.items() if isinstance(v, list) for e in v]
    chosen = rng.sample(entries, k=max(1, round(len(entries) * share)))
    for kind, entry in chosen:
        if kind == "products":
            entry["description"] = "changed"
        elif kind == "alerts":
            entry["threshold"] = entry["threshold"] + 1
        elif kind == "subscribers":
            entry["firstName"] = "Changed"
        elif kind == "organizations":
            entry["city"] = "Changed"
        elif kind == "subscriptions":
            entry["tags"] = ["changed"]
        elif kind == "aiModels":  # a re-price moves the token dimension with it (one price)
            entry["inputCostPerToken"] = 0.0000123
            for dim in entry.get("pricingDimensions") or []:
                if dim.get("costType") == "TEXT_TOKEN_INPUT":
                    dim["unitPrice"] = 0.0000123
        elif kind == "meteringElements":
            entry["description"] = "changed"
        elif kind == "slackConfigurations":
            entry["channelName"] = "#changed"
    return out, len(chosen)


def new_objects(manifest: dict, creates: int) -> dict:
    """`creates` new organizations, subscribers and products, on top of the account."""
    out = json.loads(json.dumps(manifest))
    orgs = [o["name"] for o in out["organizations"]]
    third = creates // 3
    out["organizations"] += [{"name": f"new-org-{i:05d}"} for i in range(third)]
    out["subscribers"] += [
        {"email": f"new-{i:05d}@example.com", "organizations": [orgs[0]]} for i in range(third)
    ]
    out["products"] += [
        {
            "name": f"new-product-{i:05d}",
            "plan": {"name": "p", "type": "SUBSCRIPTION", "currency": "USD"},
        }
        for i in range(creates - 2 * third)
    ]
    return out


def read_bound(manifest: dict) -> int:
    """Σ⌈objects per kind / 100⌉ + one page per kind read + the GLOBAL model catalog."""
    kinds = [v for k, v in manifest.items() if isinstance(v, list)]
    return sum(math.ceil(len(v) / 100) for v in kinds) + len(kinds) + 1


def floor_seconds(manifest: dict, rate: float) -> float:
    """The fastest a no-change plan can be at `rate` requests/s: Σ⌈objects per kind/100⌉/rate."""
    pages = sum(math.ceil(len(v) / 100) for v in manifest.values() if isinstance(v, list))
    return pages / rate


def bench_env(api_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "REVENIUM_API_URL": api_url,
        "REVENIUM_API_KEY": KEY,
        "REVENIUM_TEAM_ID": TEAM,
        "REVENIUM_OWNER_ID": "EMUownr",
        "SLACK_WEBHOOK": "https://hooks.slack.example/T/B/x",
        "NO_COLOR": "1",
    }


def loaded_database(
    manifest: dict, base: str, db: Path, cache: Path | None, key: str
) -> dict | None:
    """Fill `db` with the account (through `revsync apply`), or copy it from the cache."""
    cached = cache / f"{key}.sqlite" if cache else None
    if cached and cached.exists():
        shutil.copyfile(cached, db)
        return None
    with emulator_process("--rate-limit", UNLIMITED, "--db", str(db)) as api_url:
        row = measure(
            Emu(api_url),
            "initial apply (creates, rate limit off)",
            [*REVSYNC, "apply", base, "--auto-approve", "--parallelism", "8"],
            bench_env(api_url),
            count(manifest),
        )
    if cached:
        with contextlib.closing(sqlite3.connect(db)) as connection:  # WAL into the file
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        cached.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(db, cached)
    return row


def run_size(
    size: int,
    creates: int,
    rate: float,
    work: Path,
    profile: str,
    cache: Path | None,
    repeat: int = 3,
) -> list[dict]:
    manifest = PROFILES[profile](size)
    objects = count(manifest)
    folder = work / f"n{size}"
    write_manifests(folder / "base", manifest)
    base = str(folder / "base")
    load = loaded_database(
        manifest, base, folder / "account.sqlite", cache, f"{profile}-{size}-{CACHE_FORMAT}"
    )
    rows = [load] if load else []
    with emulator_process(
        "--rate-limit", UNLIMITED, "--db", str(folder / "account.sqlite")
    ) as api_url:
        emu = Emu(api_url)
        env = bench_env(api_url)
        plan = median_run(
            [
                {
                    "host_ref_s": host_reference.measure(),
                    **measure(
                        emu,
                        "no-change plan",
                        [*REVSYNC, "plan", base, "--detailed-exitcode"],
                        env,
                        objects,
                    ),
                }
                for _ in range(repeat)
            ]
        )
        plan["bound"] = read_bound(manifest)
        rows.append(plan)
        emu.rate(rate)
        time.sleep(1.1)
        paced = measure(
            emu,
            f"no-change plan at {rate:g} req/s",
            [*REVSYNC, "plan", base, "--detailed-exitcode"],
            env,
            objects,
        )
        paced["floor_s"] = round(floor_seconds(manifest, rate), 2)
        paced["x_floor"] = round(paced["wall_s"] / paced["floor_s"], 2)
        rows.append(paced)
        emu.rate(float(UNLIMITED))
        changed, n_changed = drifted(manifest, 0.01)
        write_manifests(folder / "drift", changed)
        rows.append(
            measure(
                emu,
                f"plan with 1% drift ({n_changed} objects)",
                [*REVSYNC, "plan", str(folder / "drift"), "--detailed-exitcode"],
                env,
                objects,
            )
        )
        rows.append(
            measure(
                emu,
                "export",
                [*REVSYNC, "export", "-o", str(folder / "export"), "--force"],
                env,
                objects,
            )
        )
        if objects <= NAIVE_UP_TO:
            naive = measure(
                emu,
                "baseline: no-change check, one GET per object",
                [sys.executable, str(HERE / "naive_refresh.py"), api_url, KEY, TEAM],
                env,
                objects,
            )
            naive["ratio_requests"] = round(naive["requests"] / max(1, plan["requests"]), 1)
            naive["ratio_wall"] = round(naive["wall_s"] / max(0.01, plan["wall_s"]), 1)
            rows.append(naive)
        more = new_objects(manifest, creates)
        write_manifests(folder / "more", more)
        emu.rate(rate)
        time.sleep(1.1)
        rows.append(
            measure(
                emu,
                f"apply of {creates} creates at {rate:g} req/s",
                [*REVSYNC, "apply", str(folder / "more"), "--auto-approve"],
                env,
                objects + creates,
            )
        )
        emu.rate(float(UNLIMITED))
    for row in rows:
        row["size"] = size
        row["profile"] = profile
    return rows


def notes_of(r: dict) -> str:
    notes = []
    if "bound" in r:
        notes.append(f"bound {r['bound']}")
    if "cpu_runs" in r:
        notes.append(f"median CPU of {'/'.join(map(str, r['cpu_runs']))} s")
    if "host_ref_s" in r:
        notes.append(f"host reference {r['host_ref_s']} s")
    if "floor_s" in r:
        notes.append(f"floor {r['floor_s']} s: {r['x_floor']}x")
    if "ratio_requests" in r:
        notes.append(f"{r['ratio_requests']}x requests, {r['ratio_wall']}x time of revsync")
    if r["write_rate"] and "creates at" in r["scenario"]:
        notes.append(f"writes {r['write_rate']}/s")
    if r["exit"] not in (0, 2):
        notes.append(f"EXIT {r['exit']} {r['tail']}")
    return "; ".join(notes)


def print_table(rows: list[dict]) -> None:
    header = (
        f"{'N':>6} {'scenario':<48} {'wall s':>7} {'requests':>8} {'req/obj':>7} "
        f"{'429s':>5} {'cpu s':>6} {'peak MB':>7}  notes"
    )
    print(header)
    print("-" * len(header))
    for r in rows:
        print(
            f"{r['size']:>6} {r['scenario']:<48} {r['wall_s']:>7} {r['requests']:>8} "
            f"{r['requests_per_object'] or 0:>7} {r['http_429']:>5} {r['cpu_s']:>6} "
            f"{r['peak_mb']:>7}  {notes_of(r)}"
        )
    plans = {r["size"]: r for r in rows if r["scenario"] == "no-change plan"}
    if len(plans) > 1:
        small, large = plans[min(plans)], plans[max(plans)]
        print(
            f"\nno-change plan growth {min(plans)} -> {max(plans)} objects: "
            f"{large['wall_s'] / small['wall_s']:.1f}x time, "
            f"{large['cpu_s'] / max(0.01, small['cpu_s']):.1f}x CPU "
            f"({max(plans) / min(plans):.1f}x objects)"
        )
        if small.get("host_ref_s") and large.get("host_ref_s"):
            growth = (large["cpu_s"] / large["host_ref_s"]) / (small["cpu_s"] / small["host_ref_s"])
            print(f"  CPU growth in host-reference seconds (host speed taken out): {growth:.1f}x")


def target_checks(rows: list[dict], rate: float) -> list[tuple[str, str, bool]]:
    """Issue 16's targets, each with what was measured: (target, measured, met)."""
    checks = []
    by = {(r["size"], r["scenario"].split(" (")[0]): r for r in rows}
    for size in sorted({r["size"] for r in rows}):
        paced = by.get((size, f"no-change plan at {rate:g} req/s"))
        plan = by.get((size, "no-change plan"))
        if paced:
            checks.append(
                (
                    f"{size:,}: no-change plan at {rate:g} req/s <= 1.2x floor, no 429",
                    f"{paced['wall_s']} s = {paced['x_floor']}x floor {paced['floor_s']} s, "
                    f"{paced['http_429']} x 429",
                    paced["x_floor"] <= 1.2 and paced["http_429"] == 0,
                )
            )
        if plan:
            # the MB and GB are decimal; peaks are measured in MiB (ru_maxrss)
            cpu_goal, peak_goal = (2.5, 300e6 / 2**20) if size <= 13_000 else (None, 1e9 / 2**20)
            if cpu_goal:
                checks.append(
                    (
                        f"{size:,}: CPU of the plan <= {cpu_goal} s",
                        f"{plan['cpu_s']} s",
                        plan["cpu_s"] <= cpu_goal,
                    )
                )
            checks.append(
                (
                    f"{size:,}: peak memory <= {peak_goal:.0f} MiB",
                    f"{plan['peak_mb']} MB",
                    plan["peak_mb"] <= peak_goal,
                )
            )
        applied = next(
            (r for r in rows if r["size"] == size and "creates at" in r["scenario"]), None
        )
        if applied and applied["write_rate"]:
            checks.append(
                (
                    f"{size:,}: apply keeps >= 95% of {rate:g} req/s, no 429",
                    f"{applied['write_rate']} writes/s, {applied['http_429']} x 429",
                    applied["write_rate"] >= 0.95 * rate and applied["http_429"] == 0,
                )
            )
    return checks


def print_targets(checks: list[tuple[str, str, bool]]) -> None:
    print("\nissue 16 targets:")
    for target, measured, met in checks:
        print(f"  {'met    ' if met else 'NOT MET'}  {target:<58} {measured}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=os.environ.get("BENCH_SIZES") or "1000,4000,13000")
    parser.add_argument(
        "--profile", default=os.environ.get("BENCH_PROFILE") or "large", choices=sorted(PROFILES)
    )
    parser.add_argument("--creates", type=int, default=1000)
    parser.add_argument("--rate", type=float, default=50)
    parser.add_argument(
        "--repeat", type=int, default=3, help="Runs of the limit-off plan (median CPU shown)."
    )
    parser.add_argument(
        "--cache",
        type=Path,
        default=os.environ.get("BENCH_CACHE") or None,
        help="Keep loaded emulator databases here for the next run.",
    )
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    rows: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="revsync-bench-") as tmp:
        for size in sizes:
            print(f"... N = {size} ({args.profile})", file=sys.stderr, flush=True)
            rows += run_size(
                size, args.creates, args.rate, Path(tmp), args.profile, args.cache, args.repeat
            )
    print_table(rows)
    print_targets(target_checks(rows, args.rate))
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    (out / f"scale-{args.profile}.json").write_text(json.dumps(rows, indent=2) + "\n")


if __name__ == "__main__":
    main()
