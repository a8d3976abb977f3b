"""The baseline: a no-change check done the naive way, one GET per object (as a
Terraform-style refresh does), with the same parallelism revsync uses by default.

    python benchmarks/naive_refresh.py API_URL API_KEY TEAM_ID
"""

from __future__ import annotations

import sys
from concurrent.futures import ThreadPoolExecutor

import httpx

PATHS = [
    "/v2/api/products",
    "/v2/api/subscriptions",
    "/v2/api/subscribers",
    "/v2/api/organizations",
    "/v2/api/metering-element-definitions",
    "/v2/api/sources/ai/anomaly",
    "/v2/api/configurations/slack",
]


def main() -> None:
    api_url, key, team = sys.argv[1:4]
    client = httpx.Client(base_url=api_url, headers={"x-api-key": key}, timeout=60)
    objects: list[str] = []
    for path in [*PATHS, "/v2/api/sources/ai/models?modelType=CUSTOM"]:
        base, _, query = path.partition("?")
        page = 0
        while True:
            params = {"teamId": team, "tenantId": team, "page": page, "size": 100}
            if query:
                params.update(dict([query.split("=")]))
            body = client.get(base, params=params).json()
            items = next(iter((body.get("_embedded") or {}).values()), [])
            objects += [f"{base}/{item['id']}" for item in items]
            if page >= body["page"]["totalPages"] - 1:
                break
            page += 1
    with ThreadPoolExecutor(4) as pool:
        statuses = list(
            pool.map(lambda p: client.get(p, params={"teamId": team}).status_code, objects)
        )
    bad = [s for s in statuses if s != 200]
    print(f"{len(objects)} objects refreshed one by one; {len(bad)} errors")


if __name__ == "__main__":
    main()
