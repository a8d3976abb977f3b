"""Job types that declare a PER_JOB `quality_rate`: what a QUALITY_RATE alert may name (§6.5).

The platform keeps these with its jobs; the emulator has no jobs API, so tests and users
register them through `Emulator.register_quality_job_type` or `POST /_emulator/job-types`.
"""

from __future__ import annotations

import json

from .store import Store

META_KEY = "quality-rate-job-types"


def registered(store: Store) -> set[str]:
    return set(json.loads(store.meta(META_KEY) or "[]"))


def register(store: Store, name: str) -> None:
    with store.lock:
        store.set_meta(META_KEY, json.dumps(sorted(registered(store) | {name})))
