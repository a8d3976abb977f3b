"""The "late commit" fault (issue 12): a write held past the client's timeout, then committed."""

from __future__ import annotations

import time

import httpx
import pytest

from revsync.emulator import Emulator, FaultConfig
from revsync.emulator.faults import Faults

from .helpers import TEAM

ELEMENT = {"name": "late", "type": "NUMBER", "teamId": TEAM}


def impatient(emulator: Emulator, timeout: float = 0.3) -> httpx.Client:
    return httpx.Client(
        base_url=emulator.api_url + "/v2/api",
        timeout=timeout,
        headers={"x-api-key": emulator.api_key},
    )


def wait_for(predicate, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return predicate()


def test_write_commits_after_the_client_gave_up(emulator: Emulator) -> None:
    """Held before it commits: nothing is stored when the client times out, then it is."""
    emulator.faults.configure(p_late_commit=1.0, late_commit_seconds=1.0)
    with impatient(emulator) as client, pytest.raises(httpx.ReadTimeout):
        client.post("/metering-element-definitions", json=ELEMENT)
    assert emulator.objects("element") == []  # not yet committed when the client gave up
    assert wait_for(lambda: emulator.objects("element"), 3.0)
    assert [o["name"] for o in emulator.objects("element")] == ["late"]
    assert wait_for(lambda: emulator.requests(), 2.0)  # logged once the answer is sent
    entry = emulator.requests()[-1]
    assert (entry["fault"], entry["status"]) == ("late-commit", 200)


def test_a_retry_can_overtake_the_held_write(emulator: Emulator, api: httpx.Client) -> None:
    """What makes the fault worth having: a naive retry creates a duplicate."""
    emulator.faults.configure(p_late_commit=1.0, late_commit_seconds=1.0)
    with impatient(emulator) as client, pytest.raises(httpx.ReadTimeout):
        client.post("/metering-element-definitions", json=ELEMENT)
    emulator.faults.clear()
    assert api.post("/metering-element-definitions", json=ELEMENT).status_code == 200
    assert wait_for(lambda: len(emulator.objects("element")) == 2, 3.0)


def test_reads_are_never_held(emulator: Emulator) -> None:
    """Only writes commit, so only writes are held."""
    emulator.faults.configure(p_late_commit=1.0, late_commit_seconds=5.0)
    with impatient(emulator, timeout=2.0) as client:
        assert client.get("/products", params={"teamId": TEAM}).status_code == 200


def test_injectable_at_start() -> None:
    """Like the other faults, it can be configured when the emulator starts."""
    config = FaultConfig(p_late_commit=1.0, late_commit_seconds=0.8)
    with Emulator(rate_limit=0, faults=config) as emu:
        with impatient(emu) as client, pytest.raises(httpx.ReadTimeout):
            client.post("/metering-element-definitions", json=ELEMENT)
        assert wait_for(lambda: emu.objects("element"), 3.0)


def test_injectable_at_run_time_through_the_admin_endpoint(emulator: Emulator) -> None:
    """PUT /_emulator/faults sets it; bad settings are refused."""
    admin = emulator.url + "/_emulator/faults"
    settings = {"p_late_commit": 1.0, "late_commit_seconds": 0.8, "methods": ["POST"]}
    assert httpx.put(admin, json=settings).json()["p_late_commit"] == 1.0
    with impatient(emulator) as client, pytest.raises(httpx.ReadTimeout):
        client.post("/metering-element-definitions", json=ELEMENT)
    assert wait_for(lambda: emulator.objects("element"), 3.0)
    assert httpx.put(admin, json={"p_late_commit": 1.5}).status_code == 400
    assert httpx.put(admin, json={"late_commit_seconds": -1}).status_code == 400


def test_late_commits_are_seeded() -> None:
    """The same seed picks the same writes to hold."""

    def picks(seed: int) -> list[bool]:
        faults = Faults(FaultConfig(seed=seed, p_late_commit=0.5, late_commit_seconds=2))
        return [bool(faults.decide("PUT", "/v2/api/products/x").late_commit) for _ in range(40)]

    assert picks(7) == picks(7)
    assert True in picks(7) and False in picks(7)
    assert picks(7) != picks(8)
