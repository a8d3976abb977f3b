"""Account mixes the benchmarks run on, at any size.

`large`: the proportions of a large customer (tests/bulk.py LARGE, with AI models).
`mix`: issue 16's account, per 13,000 objects: 20 Slack configurations, 200 metering
elements, 1,000 organizations, 4,000 subscribers, 1,000 products each with a usage element,
6,300 subscriptions, 480 alerts (no AI models).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.bulk import account, bulk_manifest

MIX = {
    "slack": 20,
    "elements": 200,
    "organizations": 1000,
    "subscribers": 4000,
    "products": 1000,
    "subscriptions": 6300,
    "alerts": 480,
}


def mix_account(total: int, seed: int = 0) -> dict[str, Any]:
    """Issue 16's mix scaled to `total` objects; every product meters one element."""
    scale = total / sum(MIX.values())
    sizes = {k: max(1, round(v * scale)) for k, v in MIX.items()}
    manifest = bulk_manifest(seed=seed, models=0, **sizes)
    del manifest["aiModels"]  # not a managed kind in this mix
    elements = [e["name"] for e in manifest["meteringElements"]]
    for i, product in enumerate(manifest["products"]):
        product["plan"]["elements"] = [
            {
                "name": "usage",
                "type": "SUM",
                "element": elements[i % len(elements)],
                "unitAmount": 0.001,
            }
        ]
    return manifest


PROFILES = {"large": account, "mix": mix_account}
