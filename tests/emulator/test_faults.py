"""Fault injection and rate limiting, seeded and observable through the request log."""

from __future__ import annotations

import time

import httpx
import pytest

from revsync.emulator import Emulator

from . import helpers as h
from .helpers import TEAM, ok


def test_rate_limit_headers_and_429(emulator: Emulator, api: httpx.Client) -> None:
    emulator.ratelimit.rate = 5
    # start at the beginning of a one-second window so all requests share it
    time.sleep(1 - (time.time() % 1) + 0.01)
    responses = [api.get("/products", params={"teamId": TEAM}) for _ in range(8)]
    statuses = [r.status_code for r in responses]
    assert statuses == [200] * 5 + [429] * 3
    first, limited = responses[0], responses[-1]
    assert first.headers["X-RateLimit-Limit"] == "5"
    assert first.headers["X-RateLimit-Remaining"] == "4"
    assert first.headers["X-RateLimit-Bucket"] == "platform"
    assert int(first.headers["X-RateLimit-Reset"]) == int(time.time()) + 1
    assert limited.headers["X-RateLimit-Remaining"] == "0"
    assert int(limited.headers["Retry-After"]) >= 1
    assert limited.json()["status"] == 429
    time.sleep(1.05)
    assert api.get("/products", params={"teamId": TEAM}).status_code == 200


def test_rate_limit_is_per_key(emulator: Emulator, api: httpx.Client) -> None:
    emulator.ratelimit.rate = 2
    emulator.add_team("hak_k2", "Team002")
    time.sleep(1 - (time.time() % 1) + 0.01)
    for _ in range(2):
        ok(api.get("/products", params={"teamId": TEAM}))
    other = httpx.get(
        emulator.api_url + "/v2/api/products",
        params={"teamId": "Team002"},
        headers={"x-api-key": "hak_k2"},
    )
    assert other.status_code == 200


def test_injected_429_and_5xx_are_seeded(emulator: Emulator, api: httpx.Client) -> None:
    def run() -> list[int]:
        emulator.faults.configure(seed=42, p429=0.3, p5xx=0.2)
        return [api.get("/products", params={"teamId": TEAM}).status_code for _ in range(40)]

    first, second = run(), run()
    assert first == second
    assert 429 in first and any(s >= 500 for s in first) and 200 in first
    limited = next(e for e in emulator.requests() if e["status"] == 429)
    assert limited["fault"] == "injected-429"


def test_injected_429_carries_retry_after(emulator: Emulator, api: httpx.Client) -> None:
    emulator.faults.configure(p429=1.0, retry_after=2)
    response = api.get("/products", params={"teamId": TEAM})
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "2"


def test_injected_errors_happen_before_any_write(emulator: Emulator, api) -> None:
    emulator.faults.configure(p5xx=1.0)
    response = api.post(
        "/metering-element-definitions", json={"name": "x", "type": "NUMBER", "teamId": TEAM}
    )
    assert response.status_code >= 500
    emulator.faults.clear()
    assert emulator.objects("element") == []


def test_dropped_response_after_committed_write(emulator: Emulator, api: httpx.Client) -> None:
    emulator.faults.configure(p_drop_after_write=1.0)
    with pytest.raises(httpx.RemoteProtocolError):
        api.post(
            "/metering-element-definitions", json={"name": "lost", "type": "NUMBER", "teamId": TEAM}
        )
    emulator.faults.clear()
    assert [o["name"] for o in emulator.objects("element")] == ["lost"]
    entry = emulator.requests()[-1]
    assert entry["fault"] == "dropped-after-write" and entry["status"] == 200
    # reads are never dropped by this fault
    emulator.faults.configure(p_drop_after_write=1.0)
    ok(api.get("/metering-element-definitions", params={"teamId": TEAM}))


def test_slow_response_past_client_timeout(emulator: Emulator) -> None:
    emulator.faults.configure(p_slow=1.0, slow_seconds=1.0)
    with (
        httpx.Client(
            base_url=emulator.api_url + "/v2/api",
            timeout=0.2,
            headers={"x-api-key": emulator.api_key},
        ) as client,
        pytest.raises(httpx.ReadTimeout),
    ):
        client.post(
            "/metering-element-definitions",
            json={"name": "slow", "type": "NUMBER", "teamId": TEAM},
        )
    emulator.faults.clear()
    assert [o["name"] for o in emulator.objects("element")] == ["slow"]


def test_latency(emulator: Emulator, api: httpx.Client) -> None:
    emulator.faults.configure(latency_ms=150)
    started = time.monotonic()
    ok(api.get("/products", params={"teamId": TEAM}))
    assert time.monotonic() - started >= 0.15


def test_faults_can_target_methods_and_paths(emulator: Emulator, api: httpx.Client) -> None:
    emulator.faults.configure(p5xx=1.0, methods=["POST"], path_pattern="anomaly")
    ok(api.get("/sources/ai/anomaly", params={"teamId": TEAM}))
    h.element(api)
    assert api.post("/sources/ai/anomaly", json=h.anomaly_body()).status_code >= 500


def test_admin_endpoint_configures_faults_at_run_time(emulator: Emulator) -> None:
    admin = emulator.url + "/_emulator"
    config = httpx.put(f"{admin}/faults", json={"p429": 1.0, "seed": 3}).json()
    assert config["p429"] == 1.0
    response = httpx.get(
        emulator.api_url + "/v2/api/products",
        params={"teamId": TEAM},
        headers={"x-api-key": emulator.api_key},
    )
    assert response.status_code == 429
    assert httpx.delete(f"{admin}/faults").json()["p429"] == 0
    bad = httpx.put(f"{admin}/faults", json={"p429": 2})
    assert bad.status_code == 400
    assert httpx.put(f"{admin}/faults", json={"nonsense": 1}).status_code == 400


def test_request_log_records_method_path_status_body(emulator: Emulator, api) -> None:
    h.element(api, "logged")
    api.get("/products/Zzzzzzz", params={"teamId": TEAM})
    log = httpx.get(emulator.url + "/_emulator/requests").json()
    post, get = log[-2], log[-1]
    assert (post["method"], post["path"], post["status"]) == (
        "POST",
        "/v2/api/metering-element-definitions",
        200,
    )
    assert post["body"]["name"] == "logged"
    assert (get["method"], get["status"], get["query"]) == ("GET", 404, {"teamId": TEAM})
    since = httpx.get(emulator.url + "/_emulator/requests", params={"since": post["seq"]}).json()
    assert [e["seq"] for e in since] == [get["seq"]]


def test_admin_reset_and_teams(emulator: Emulator, api: httpx.Client) -> None:
    h.element(api)
    httpx.post(emulator.url + "/_emulator/reset")
    assert emulator.objects("element") == []
    assert len(emulator.objects("model")) >= 5
    added = httpx.post(
        emulator.url + "/_emulator/teams", json={"apiKey": "hak_new", "teamId": "NEWteam"}
    ).json()
    assert added == {"teamId": "NEWteam", "tenantId": "NEWteam"}
    response = httpx.get(
        emulator.api_url + "/v2/api/products",
        params={"teamId": "NEWteam"},
        headers={"x-api-key": "hak_new"},
    )
    assert response.status_code == 200
