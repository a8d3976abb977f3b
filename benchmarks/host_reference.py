"""How fast the host is right now, as the CPU seconds of a fixed piece of Python work.

On a shared VM the same plan's CPU differs by up to 2x from one hour to the next (2.0 s and
3.8 s for the 13,000-object plan on the same afternoon, with no change to the code). A CPU
figure alone cannot say whether the code or the host changed. Measured in its own fresh
interpreter just before each plan run, this work (JSON decoding, building and walking
small dicts and lists, as a plan does) puts the figure in context; the targets are still
judged on the plain CPU seconds.

    python benchmarks/host_reference.py      # prints the seconds once
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

ROUNDS = 40


def work() -> None:
    """A plan's kind of work in miniature: decode pages, copy and compare their objects."""
    import json

    page = json.dumps(
        [
            {"id": f"id{i}", "name": f"n{i}", "plan": {"tiers": [{"up": i, "amount": 0.5}]}}
            for i in range(2_000)
        ]
    )
    for _ in range(ROUNDS):
        items = json.loads(page)
        copies = [{k: (dict(v) if isinstance(v, dict) else v) for k, v in o.items()} for o in items]
        assert sum(a == b for a, b in zip(items, copies, strict=True)) == len(items)


def measure() -> float:
    """CPU seconds of `work` in a fresh interpreter (as each revsync run is one)."""
    before = os.times()
    subprocess.run([sys.executable, __file__, "--work"], check=True)
    after = os.times()
    return round(
        after.children_user - before.children_user + after.children_system - before.children_system,
        3,
    )


if __name__ == "__main__":
    if sys.argv[1:] == ["--work"]:
        work()
    else:
        started = time.monotonic()
        print(f"{measure()} s of CPU ({time.monotonic() - started:.2f} s wall)")
